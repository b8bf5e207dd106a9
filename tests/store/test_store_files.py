"""The files on disk: atomic replace, refusing damaged files, failed writes, caching."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from tinydb.table import Document

from readinglist import store as store_module
from readinglist.models import UserData
from readinglist.store import AtomicJSONStorage, Store, StoreError, _KeyedTable


def leftovers(folder: Path) -> list[str]:
    """Temp files a write left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def file_id(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


# -- creating --------------------------------------------------------------------


def test_opening_a_missing_library_creates_nothing(db_path: Path, open_store) -> None:
    store = open_store()
    assert store.is_empty() and store.papers() == [] and store.queue() == []
    assert not db_path.parent.exists()


def test_first_write_creates_a_private_folder_and_files(db_path: Path, store: Store, seed) -> None:
    seed(store, ["p1"])
    store.add_tags("p1", ["x"])
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    for path in (db_path, db_path.with_name("library.user.json")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert leftovers(db_path.parent) == []


def test_a_symlinked_library_stays_a_symlink(tmp_path: Path, clock, seed) -> None:
    real = tmp_path / "synced" / "library.json"
    real.parent.mkdir()
    link = tmp_path / "library.json"
    link.symlink_to(real)
    store = Store(link, clock=clock)
    seed(store, ["p1"])
    store.set_note("p1", "kept")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.is_file() and "p1" in real.read_text()
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []
    assert Store(link).user("p1").note == "kept"


# -- damaged files ---------------------------------------------------------------

DAMAGED = {
    "empty": (b"", "empty (0 bytes)"),
    "truncated": (b'{"papers": {"p1": {"id": "p1",\n "title": "T"', "not valid JSON (line 2)"),
    "null": (b"null", "does not hold readinglist tables"),
    "list": (b'[{"id": "p1"}]', "does not hold readinglist tables"),
    "nul bytes": (b"\x00" * 64, "not valid JSON (line 1)"),
    "table not an object": (b'{"papers": []}', "does not hold readinglist tables"),
    "document not an object": (b'{"papers": {"p1": 3}}', "does not hold readinglist tables"),
    "byte order mark": (b'\xef\xbb\xbf{"papers": {}}', "not valid JSON"),
    "paper without title": (b'{"papers": {"p1": {"id": "p1"}}}', "malformed record"),
}


@pytest.mark.parametrize("which", ["catalogue", "user file"])
@pytest.mark.parametrize("content, message", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_file_is_refused_and_left_byte_identical(
    db_path: Path, open_store, seed, which: str, content: bytes, message: str
) -> None:
    store = open_store()
    seed(store, ["p1"])
    store.add_tags("p1", ["before"])
    target = db_path if which == "catalogue" else store.user_path
    if which == "user file" and message == "malformed record":
        content = b'{"annotations": {"p1": {"tags": 5}}}'
    target.write_bytes(content)

    with pytest.raises(StoreError, match="left untouched") as error:
        open_store()
    assert message in str(error.value) and str(target) in str(error.value)
    assert "\n" not in str(error.value)
    # The store that was already open refuses to read or write over it too.
    with pytest.raises(StoreError):
        store.add_tags("p1", ["after"])
    with pytest.raises(StoreError):
        seed(store, ["p2"])
    assert target.read_bytes() == content
    assert leftovers(db_path.parent) == []


def test_a_newer_schema_is_refused(db_path: Path, open_store, seed) -> None:
    seed(open_store(), ["p1"])
    before = db_path.read_bytes()
    db_path.write_bytes(before.replace(b'"schema":1', b'"schema":99'))
    with pytest.raises(StoreError, match=r"schema 99, newer than this readinglist understands \(1\)"):
        open_store()
    assert b'"schema":99' in db_path.read_bytes()


# -- failed writes ---------------------------------------------------------------


def failing(*_args, **_kwargs):
    raise OSError(28, "No space left on device")


def failing_from(call: str, n: int):
    """``os.<call>`` that works until its ``n``-th call, and fails from then on (the disk is full)."""
    real, calls = getattr(os, call), 0

    def fail(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls >= n:
            failing()
        return real(*args, **kwargs)

    return fail


#: (how the edit is saved, the OS call that fails, from which call on). An edit
#: appends a line to the journal (os.open, os.write, os.utime, os.fsync; never
#: os.replace); one too big for the journal rewrites the user file instead.
FAILED_WRITES = {
    "append, second half of the line": ("append", "write", 2),  # half a line already on disk
    "append, utime": ("append", "utime", 1),
    "append, fsync": ("append", "fsync", 1),  # the whole line already on disk
    "compaction, replace": ("compaction", "replace", 1),
    "compaction, fsync": ("compaction", "fsync", 1),
}


@pytest.mark.parametrize("path, call, n", FAILED_WRITES.values(), ids=FAILED_WRITES.keys())
def test_a_failed_write_changes_nothing(
    db_path: Path, store: Store, seed, monkeypatch: pytest.MonkeyPatch, path: str, call: str, n: int
) -> None:
    seed(store, ["p1"])
    store.add_tags("p1", ["old"])
    store.queue_add("p1")
    # A note of 150 KB is appended; a later change to p1 repeats it, and two
    # such lines would outgrow the journal (store.JOURNAL_MIN_LIMIT): compacted.
    store.set_note("p1", "long " * 30000 if path == "compaction" else "short")
    journal = db_path.with_name("library.user.journal")
    before, journal_before = store.user_path.read_bytes(), journal.read_bytes()

    monkeypatch.setattr(os, call, failing_from(call, n))
    with pytest.raises(StoreError, match="No space left on device.*left as it was") as error:
        store.set_status("p1", "read")  # a two-table change: status and queue
    monkeypatch.undo()

    # The save took the path this case is about: the journal, or the user file.
    assert error.value.path == (journal if path == "append" else store.user_path)
    assert store.user_path.read_bytes() == before
    assert journal.read_bytes() == journal_before  # no line, not even half of one
    assert leftovers(db_path.parent) == []
    # The cache was not left holding the change that never reached the disk.
    assert store.user("p1").status == "unread" and store.queue() == ["p1"]
    assert store.user("p1").tags == ["old"]
    store.add_tags("p1", ["new"])
    reopened = Store(db_path)
    assert reopened.user("p1").tags == ["old", "new"]
    assert reopened.user("p1").status == "unread" and reopened.queue() == ["p1"]


def test_a_failed_plain_tinydb_write_drops_the_mutated_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TinyDB mutates the dict read() returned, then writes it: a failure must not stick."""
    storage = AtomicJSONStorage(tmp_path / "db.json")
    table = _KeyedTable(storage, "t")
    table.insert(Document({"v": 1}, doc_id="a"))
    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(StoreError):
        table.insert(Document({"v": 2}, doc_id="b"))
    monkeypatch.undo()
    assert [doc.doc_id for doc in table] == ["a"]
    assert leftovers(tmp_path) == []


def test_an_error_inside_a_change_writes_nothing(
    db_path: Path, store: Store, seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store, ["p1"])
    store.add_tags("p1", ["old"])
    before = store.user_path.read_bytes()

    def explode(*_args):
        raise RuntimeError("boom")

    # Fails after the annotation was buffered, before the queue was.
    monkeypatch.setattr(Store, "_put_queue", explode)
    with pytest.raises(RuntimeError):
        store.restore("p1", UserData("p1", tags=["other"]), ["p1"])
    monkeypatch.undo()
    assert store.user_path.read_bytes() == before
    assert store.user("p1").tags == ["old"] and store.queue() == []


# -- the buffered transaction and the cache --------------------------------------


def count_calls(monkeypatch: pytest.MonkeyPatch, module, name: str) -> list[object]:
    calls: list[object] = []
    real = getattr(module, name)

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def test_several_tinydb_operations_in_a_transaction_are_one_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = AtomicJSONStorage(tmp_path / "db.json")
    replaces = count_calls(monkeypatch, os, "replace")
    storage.begin()
    for key in "abc":
        _KeyedTable(storage, "t").insert(Document({"v": key}, doc_id=key))
    _KeyedTable(storage, "u").insert(Document({"v": 1}, doc_id="x"))
    assert not (tmp_path / "db.json").exists()
    assert storage.commit() is True
    assert len(replaces) == 1
    assert [d.doc_id for d in _KeyedTable(storage, "t")] == ["a", "b", "c"]


def test_a_rollback_writes_nothing(tmp_path: Path) -> None:
    storage = AtomicJSONStorage(tmp_path / "db.json")
    _KeyedTable(storage, "t").insert(Document({"v": 1}, doc_id="a"))
    before = (tmp_path / "db.json").read_bytes()
    storage.begin()
    _KeyedTable(storage, "t").update({"v": 2}, doc_ids=["a"])
    storage.rollback()
    assert (tmp_path / "db.json").read_bytes() == before
    assert _KeyedTable(storage, "t").get(doc_id="a") == {"v": 1}


def test_reads_parse_the_file_only_when_it_changed(
    db_path: Path, store: Store, open_store, seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store, ["p1", "p2"])
    store.add_tags("p1", ["x"])
    # Another process, already open. Without backups: the backup taken on a
    # session's first write checks its copy by parsing it (tested in test_backup.py).
    other = open_store(backup_interval=None)
    parses = count_calls(monkeypatch, store_module.orjson, "loads")
    for _ in range(50):
        store.paper("p1"), store.user("p1"), store.papers(), store.queue()
    assert parses == []
    other.add_tags("p2", ["y"])  # its own cache is current: no parse either
    assert parses == []
    assert store.user("p2").tags == ["y"]
    assert len(parses) == 1  # the changed user file, once; not the catalogue


def test_two_quick_rewrites_of_the_same_size_are_still_seen(tmp_path: Path) -> None:
    """On ext4 the second of two quick writes gets the first file's inode back,
    and where mtimes tick coarsely (older kernels: jiffies) it can carry the same
    size and mtime too; the writer's nanosecond mtime keeps a reader's cache
    from taking the new file for the one it already parsed."""
    path = tmp_path / "db.json"
    writer, reader = AtomicJSONStorage(path), AtomicJSONStorage(path)
    table = _KeyedTable(writer, "t")
    table.insert(Document({"v": "a0"}, doc_id="k"))
    for n in range(1, 30):
        assert _KeyedTable(reader, "t").get(doc_id="k") == {"v": f"a{n - 1}"}
        table.update({"v": f"b{n}"}, doc_ids=["k"])
        table.update({"v": f"a{n}"}, doc_ids=["k"])


def test_an_unchanged_write_does_not_touch_the_file(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    table = _KeyedTable(storage, "t")
    table.insert(Document({"v": 1}, doc_id="a"))
    before = file_id(path)
    table.update({"v": 1}, doc_ids=["a"])
    assert file_id(path) == before
