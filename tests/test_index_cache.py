"""The saved search index (readinglist.index_cache) and background pauses."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time

import pytest

from readinglist import background, index_cache
from readinglist.library import Library
from readinglist.models import UserData
from readinglist.search import SearchIndex
from readinglist.store import Store

QUERIES = ["neural colapse", "kothapalli", "liger kernal", "lige", "year:>=2024 graph",
           "author:kini", "gpu", "status:read", "rewiring tag:graphs", ""]


@pytest.fixture
def library(tmp_path):
    path = tmp_path / "library.json"
    store = Store(path, backup_interval=None)
    Library(store).import_paths(None)
    return path


def user_data(store):
    papers = store.papers()
    a, b = papers[3].id, papers[9].id
    return {a: UserData(a, tags=["gpu"], status="read"),
            b: UserData(b, tags=["graphs"], note="Compare with **rewiring** papers.")}


def test_a_saved_index_answers_exactly_like_a_built_one(library):
    store = Store(library)
    papers, authors = store.papers(), {a.id: a for a in store.authors()}
    built = SearchIndex(papers, authors, {})
    index_cache.save(library, index_cache.catalogue_signature(library), built.saved_arrays())
    saved = index_cache.load(library)
    assert saved is not None
    user = user_data(store)
    fresh = SearchIndex(papers, authors, dict(user))
    loaded = SearchIndex(papers, authors, dict(user), saved=saved)
    assert loaded.ids == fresh.ids
    for query in QUERIES:
        assert loaded.search(query) == fresh.search(query), query


def test_a_stale_or_damaged_index_file_is_ignored(library):
    store = Store(library)
    papers, authors = store.papers(), {a.id: a for a in store.authors()}
    arrays = SearchIndex(papers, authors, {}).saved_arrays()
    signature = index_cache.catalogue_signature(library)
    path = index_cache.save(library, signature, arrays)
    assert index_cache.load(library) is not None
    raw = path.read_bytes()
    for damaged in (raw[: len(raw) // 2], b"", b"not json\n" + raw, raw.replace(b'"version":1', b'"version":9')):
        path.write_bytes(damaged)
        assert index_cache.load(library) is None
    index_cache.save(library, [signature[0] + 1, *signature[1:]], arrays)  # another catalogue
    assert index_cache.load(library) is None
    # Saved arrays for other papers are refused by the index itself.
    index_cache.save(library, signature, arrays)
    saved = index_cache.load(library)
    assert SearchIndex(papers[:-1], authors, {}, saved=saved).ids != saved["ids"]


def test_the_cli_saves_the_index_of_a_large_library_and_uses_it(library, monkeypatch):
    monkeypatch.setattr(index_cache, "WORTH_SAVING", 10)
    cache = index_cache.cache_path(library)
    assert not cache.exists()
    first = [h.paper_id for h in Library(Store(library)).search_index().search("neural collapse")]
    assert cache.exists() and cache.stat().st_mode & 0o777 == 0o600
    calls = []
    real = SearchIndex._build_catalogue
    monkeypatch.setattr(SearchIndex, "_build_catalogue",
                        lambda self: calls.append(1) or real(self))
    again = [h.paper_id for h in Library(Store(library)).search_index().search("neural collapse")]
    assert again == first and calls == []  # read back, not rebuilt


def test_a_small_library_gets_no_index_file(library):
    Library(Store(library)).search_index()
    assert not index_cache.cache_path(library).exists()


def test_the_background_build_writes_the_file(library, tmp_path):
    copy = tmp_path / "copy" / "library.json"
    copy.parent.mkdir()
    shutil.copy2(library, copy)
    result = subprocess.run([sys.executable, "-m", "readinglist.index_cache", str(copy)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    saved = index_cache.load(copy)
    assert saved is not None and len(saved["ids"]) == 57


def test_pause_waits_while_the_user_types_and_not_in_the_main_thread():
    background.user_active()
    started = time.monotonic()
    background.pause()  # the main thread never waits
    assert time.monotonic() - started < background.QUIET / 2
    took: list[float] = []

    def work():
        begun = time.monotonic()
        background.pause()
        took.append(time.monotonic() - begun)

    background.user_active()
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(5)
    assert took and took[0] >= background.QUIET * 0.8
