"""Catalogue writes: import_listing, merged-away papers and their user data, schema."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from readinglist import backup
from readinglist import store as store_module
from readinglist.models import Paper, ParsedListing, ParsedPaper, Source
from readinglist.store import Store, StoreError
from store_helpers import files

LISTING = ParsedListing(name="listing.txt", format="compact", papers=[])
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def absorb(*pairs: tuple[str, str]):
    """A fake merge that folds each ``old`` paper into ``new``, as merge.py does."""

    def plan(catalogue, listing):
        for old, new in pairs:
            del catalogue.papers[old]
            catalogue.redirects[old] = new
        return dict(pairs)

    return plan


def user_tables(store: Store) -> dict:
    """The user data as the store reads it back: the user file with its journal applied."""
    return backup.read_checked(store.user_path, store_module.USER_TABLES)


@pytest.fixture
def library(store: Store, seed) -> Store:
    seed(store, ["old", "new", "other", "spare"])
    return store


def test_import_writes_papers_authors_and_redirects_in_one_catalogue_write(
    library: Store, install_merge, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    user_file_before = library.user_path.exists()
    replaced: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (replaced.append(str(dst)), real_replace(src, dst)))

    def plan(catalogue, listing):
        for n in range(500):
            catalogue.papers[f"n{n}"] = Paper(id=f"n{n}", title=f"New {n}")
        return absorb(("old", "new"))(catalogue, listing)

    install_merge(plan)
    report = library.import_listing(LISTING)

    assert report.absorbed == {"old": "new"}
    assert replaced == [str(db_path)]  # one write; no user data to move, so no user-file write
    assert not user_file_before and not library.user_path.exists()
    tables = orjson.loads(db_path.read_bytes())
    assert set(tables) == {"papers", "authors", "redirects", "meta"}
    assert tables["redirects"] == {"old": {"to": "new"}}
    assert tables["meta"] == {"info": {"schema": 1}, "layout": {"papers": 503}}
    assert len(library.papers()) == 503 and library.resolve("old") == "new"


def test_absorbed_user_data_moves_to_the_paper_that_absorbed_it(
    library: Store, install_merge, open_store, clock
) -> None:
    library.set_tags("old", ["shared", "from-old"])
    library.set_status("old", "read")
    library.set_note("old", "old note")
    library.set_tags("new", ["Shared", "from-new"])
    library.set_status("new", "reading")
    library.set_note("new", "new note")
    for pid in ("other", "old", "spare", "new"):
        library.queue_add(pid)
    old_since = library.user("old").status_since
    new_since = library.user("new").status_since

    install_merge(absorb(("old", "new")))
    library.import_listing(LISTING)

    for seen in (library, open_store()):
        moved = seen.user("new")
        assert moved.tags == ["Shared", "from-new", "from-old"]
        assert moved.status == "read"
        assert moved.status_since == {**new_since, **old_since}
        assert moved.note == "new note\n\nold note"
        assert seen.queue() == ["other", "new", "spare"]
        assert set(seen.all_user()) == {"new"}
        assert seen.user("old") == moved  # the old id still finds the data
    raw = user_tables(library)
    assert set(raw["annotations"]) == {"new"}
    assert raw["queue"]["main"]["ids"] == ["other", "new", "spare"]


def test_absorbed_data_with_no_counterpart_moves_whole(library: Store, install_merge) -> None:
    library.add_tags("old", ["t"])
    library.queue_add("old")
    install_merge(absorb(("old", "new")))
    library.import_listing(LISTING)
    assert library.user("new").tags == ["t"] and library.queue() == ["new"]


@pytest.mark.parametrize("save", ["append", "compaction"])
def test_a_crash_between_the_two_writes_loses_no_user_data(
    library: Store, install_merge, open_store, monkeypatch: pytest.MonkeyPatch, db_path: Path, save: str
) -> None:
    """The user data moves in a second write, after the catalogue's: an append to
    the journal, or, when the moved data would outgrow the journal, a rewrite of
    the user file. Either failing loses nothing."""
    journal = store_module.journal_path(library.user_path)
    # 160 KB of note: moving it repeats it in the journal, past store.JOURNAL_MIN_LIMIT.
    note = "keep me " * 20000 if save == "compaction" else "keep me"
    library.set_tags("old", ["mine"])
    library.set_note("old", note)
    library.queue_add("old")
    user_before, journal_before = library.user_path.read_bytes(), journal.read_bytes()

    if save == "append":
        real_fsync = os.fsync

        def die_on_the_journal(fd):  # the line is written; it cannot be made durable
            if journal.exists() and os.path.samestat(os.fstat(fd), os.stat(journal)):
                raise OSError(5, "Input/output error")
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", die_on_the_journal)
    else:
        real_replace = os.replace

        def die_on_the_user_file(src, dst):
            if str(dst).endswith(".user.json"):
                raise OSError(5, "Input/output error")
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", die_on_the_user_file)
    install_merge(absorb(("old", "new")))
    with pytest.raises(StoreError) as error:
        library.import_listing(LISTING)
    monkeypatch.undo()

    assert error.value.path == (journal if save == "append" else library.user_path)
    # Still under "old" on disk: the user file and its journal as they were.
    assert library.user_path.read_bytes() == user_before
    assert journal.read_bytes() == journal_before
    assert "old" in orjson.loads(db_path.read_bytes())["redirects"]
    reopened = open_store()
    assert reopened.user("new").tags == ["mine"] and reopened.user("new").note == note
    assert reopened.queue() == ["new"]

    reopened.add_tags("new", ["more"])  # the next write stores it where it now belongs
    raw = user_tables(library)
    assert set(raw["annotations"]) == {"new"} and raw["queue"]["main"]["ids"] == ["new"]
    assert open_store().user("new").tags == ["mine", "more"]
    assert open_store().user("new").note == note


def test_a_failing_merge_writes_nothing(library: Store, install_merge, db_path: Path) -> None:
    before = db_path.read_bytes()

    def broken(catalogue, listing):
        catalogue.papers.clear()
        raise ValueError("merge bug")

    install_merge(broken)
    with pytest.raises(ValueError):
        library.import_listing(LISTING)
    assert db_path.read_bytes() == before
    assert len(library.papers()) == 4


def test_import_with_the_real_merge_moves_flagged_abstract_data(store: Store, open_store) -> None:
    """Seed 001 holds bare abstracts: imported first, they are flagged records; the
    listings imported after it name their papers, and the merge absorbs them."""
    listings = pytest.importorskip("readinglist.listings")
    pytest.importorskip("readinglist.listings.merge")
    abstracts = SEEDS / "001_2ae19e42cc62bdbe.txt"
    first = store.import_listing(listings.parse_file(abstracts))
    flagged = [p.id for p in store.papers() if p.needs_review]
    assert first.flagged == len(flagged) > 0
    store.add_tags(flagged[0], ["flagged-tag"])
    store.queue_add(flagged[0])

    absorbed: dict[str, str] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        if path != abstracts:
            absorbed.update(store.import_listing(listings.parse_file(path)).absorbed)

    assert flagged[0] in absorbed
    target = absorbed[flagged[0]]
    reopened = open_store()
    assert reopened.user(target).tags == ["flagged-tag"]
    assert reopened.queue() == [target]
    assert reopened.resolve(flagged[0]) == target
    assert flagged[0] not in user_tables(store)["annotations"]


# -- schema ----------------------------------------------------------------------


def test_an_older_file_is_migrated_in_memory_and_saved_with_the_next_write(
    library: Store, open_store, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    library.set_tags("old", ["t"])  # the first write: into the user file itself
    library.set_tags("other", ["u"])  # appended to its journal
    files_before = files(db_path.parent)
    assert b'"other"' not in library.user_path.read_bytes()
    catalogue_before = db_path.read_bytes()
    migrated_files: list[str] = []

    def rename_tags(tables):
        """A pretend schema 2: tags are called labels."""
        migrated_files.append("user" if "annotations" in tables else "catalogue")
        for doc in tables.get("annotations", {}).values():
            doc["labels"] = doc.pop("tags")
        return tables

    def labels_back(tables):
        """... and schema 3 changes its mind (so migrations chain)."""
        for doc in tables.get("annotations", {}).values():
            doc["tags"] = [label.upper() for label in doc.pop("labels")]
        return tables

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(store_module, "MIGRATIONS", {1: rename_tags, 2: labels_back})
    migrated = open_store()
    assert sorted(migrated_files) == ["catalogue", "user"]
    assert migrated.user("old").tags == ["T"]
    assert migrated.user("other").tags == ["U"]  # the journal's data is migrated too
    assert files(db_path.parent) == files_before  # reading wrote nothing

    migrated.set_note("old", "n")
    # What is on disk now, as it is (the user file with its journal applied, not migrated).
    raw = orjson.loads(store_module.user_file_bytes(library.user_path))
    assert raw["meta"]["info"]["schema"] == 3
    assert raw["annotations"]["old"]["tags"] == ["T"]
    assert raw["annotations"]["other"]["tags"] == ["U"]
    assert db_path.read_bytes() == catalogue_before  # migrated when next written, not before

    migrated_files.clear()
    reopened = open_store()
    assert reopened.user("old").tags == ["T"] and reopened.user("other").tags == ["U"]
    assert migrated_files == ["catalogue"]  # the user file is current now


def test_every_older_schema_has_a_migration() -> None:
    """Whoever raises SCHEMA_VERSION must add the step from the version before."""
    assert set(store_module.MIGRATIONS) == set(range(1, store_module.SCHEMA_VERSION))


def test_a_file_without_meta_is_schema_one(db_path: Path, open_store) -> None:
    db_path.parent.mkdir()
    db_path.write_bytes(b'{"papers": {"p1": {"id": "p1", "title": "T"}}}')
    store = open_store()
    assert [p.id for p in store.papers()] == ["p1"]
    store.add_tags("p1", ["x"])
    meta = user_tables(store)["meta"]
    assert set(meta) == {"info", store_module.JOURNAL_KEY}  # the journal's: which snapshot it follows
    assert meta["info"] == {"schema": 1}


# -- the catalogue's line layout ---------------------------------------------------------


def _layout_library(tmp_path, n=40):
    from readinglist.store import Store

    store = Store(tmp_path / "library.json", backup_interval=None)
    listing = ParsedListing(name="l.txt", format="compact", papers=[
        ParsedPaper(source=Source("l.txt", i + 1, "compact"), title=f"Paper number {i}",
                    authors=[f"Person {i % 7}"], date=f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}")
        for i in range(n)])
    store.import_listing(listing)
    return store


@pytest.mark.parametrize("piece", [512, 7, 1])  # records serialised and joined at a time
def test_the_catalogue_is_json_one_record_per_line_newest_first(tmp_path, monkeypatch, piece):
    from readinglist.store import paper_order_key

    monkeypatch.setattr(store_module, "_PIECE", piece)
    store = _layout_library(tmp_path)
    raw = store.path.read_bytes()
    tables = orjson.loads(raw)  # any JSON reader reads it whole
    assert tables["meta"]["layout"] == {"papers": 40}
    docs = list(tables["papers"].values())
    assert docs == sorted(docs, key=paper_order_key, reverse=True)
    assert raw.count(b"\n") == 40 + len(tables["authors"]) + 3 * 2 + 1 + 1
    assert [p.id for p in store.papers()] == list(tables["papers"])


def test_head_reads_the_first_papers_without_the_rest(tmp_path):
    from readinglist.store import Store, read_head

    store = _layout_library(tmp_path)
    whole = [p.id for p in Store(store.path).papers()]
    for count in (0, 1, 10, 40, 100):
        head = read_head(store.path, count)
        assert head is not None and head.total == 40
        assert [p.id for p in head.papers] == whole[:count]
    # A file cut short after the first screen still gives its head (it is
    # damaged, which the whole read reports), and a file in another layout None.
    raw = store.path.read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(raw[: raw.index(b"\n", raw.index(b'"papers":{') + 1 + 12 * 200)])
    assert [p.id for p in read_head(cut, 5).papers] == whole[:5]
    compact = tmp_path / "compact.json"
    compact.write_bytes(orjson.dumps(orjson.loads(raw)))
    assert read_head(compact, 5) is None
    assert sorted(p.id for p in Store(compact).papers()) == sorted(whole)


@pytest.mark.parametrize("damage", [
    lambda raw: raw[: len(raw) // 2],
    lambda raw: raw + b"garbage",
    lambda raw: raw.replace(b'"papers":{\n', b'"papers":{\n"x":{"id":', 1),
    lambda raw: raw.replace(b'"authors":{', b'"stolen":{', 1),
])
def test_a_damaged_line_layout_is_refused_like_any_damaged_file(tmp_path, damage):
    from readinglist.store import DamagedFileError, Store

    store = _layout_library(tmp_path)
    store.path.write_bytes(damage(store.path.read_bytes()))
    with pytest.raises(DamagedFileError):
        Store(store.path, backup_interval=None).papers()
