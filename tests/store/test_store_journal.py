"""The user file's journal: an edit appends one line, whatever the library's size;
the user file is rewritten only when the journal outgrows it; other processes
read only the lines they have not seen; a line cut short is never read and is
cut off by the next save; damage anywhere else is refused and named.

The crash, failure and soak tests (test_store_crash, test_store_failures,
test_store_soak) cover kills and failing calls at each step of an append.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist import backup
from readinglist import store as store_module
from readinglist.store import (
    DamagedFileError,
    Store,
    StoreError,
    _journal_header,
    _journal_line,
    _parse_journal,
    journal_path,
)
from store_helpers import snapshot


@pytest.fixture
def library(db_path: Path, clock, seed) -> Store:
    store = Store(db_path, clock=clock, backup_interval=None)
    seed(store, [f"p{n}" for n in range(1, 6)])
    store.add_tags("p1", ["first"])  # the first save writes the user file and starts the journal
    return store


def journal_of(store: Store) -> bytes:
    return store.journal_path.read_bytes()


def lines(raw: bytes) -> list[bytes]:
    return raw.splitlines(keepends=True)


def test_an_edit_appends_one_line_and_leaves_the_user_file_alone(library: Store) -> None:
    user_before = library.user_path.read_bytes()
    inode = library.user_path.stat().st_ino
    journal_before = journal_of(library)

    library.set_status("p2", "reading")

    assert library.user_path.read_bytes() == user_before and library.user_path.stat().st_ino == inode
    journal = journal_of(library)
    assert journal.startswith(journal_before)
    (line,) = lines(journal[len(journal_before):])
    ops = orjson.loads(line[9:])
    assert [op[:3] for op in ops] == [["put", "annotations", "p2"]]
    assert ops[0][3]["status"] == "reading"
    assert journal_path(library.user_path) == library.path.with_name("library.user.journal")


def test_one_change_is_one_line_however_many_documents_it_touches(library: Store) -> None:
    library.queue_add("p3")
    before = journal_of(library)
    library.set_status("p3", "read")  # the status, and the paper leaves the queue
    (line,) = lines(journal_of(library)[len(before):])
    assert sorted(op[1] for op in orjson.loads(line[9:])) == ["annotations", "queue"]


def test_the_bytes_a_save_writes_do_not_grow_with_the_library(db_path: Path, clock, seed) -> None:
    """Counted, not timed: a tag on a library with 2,000 annotated papers appends
    as many bytes as on one with 2 (the user file was rewritten whole before)."""
    appended = {}
    for annotated in (2, 2000):
        path = db_path.parent / f"lib{annotated}" / "library.json"
        store = Store(path, clock=clock, backup_interval=None)
        seed(store, [f"p{n:05}" for n in range(annotated + 1)])
        for n in range(annotated):
            store.set_note(f"p{n:05}", f"note {n:05} " * 20)
        before = store.journal_path.stat().st_size, store.user_path.stat().st_size
        store.add_tags(f"p{annotated:05}", ["x"])
        after = store.journal_path.stat().st_size, store.user_path.stat().st_size
        assert after[1] == before[1]  # the user file was not rewritten
        appended[annotated] = after[0] - before[0]
    assert appended[2] == appended[2000] < 200


def test_the_journal_is_folded_into_the_user_file_when_it_outgrows_it(library: Store) -> None:
    storage = library._userfile
    compactions = storage.compactions
    note = "a long note " * 2000  # 24 KB a line
    limit = max(store_module.JOURNAL_MIN_LIMIT, library.user_path.stat().st_size)
    for n in range(limit // len(note) + 2):
        library.set_note("p2", f"{n} {note}")
    assert storage.compactions == compactions + 1
    # After the compaction: the user file holds it all, the journal only what came since.
    assert len(journal_of(library)) < limit
    tables = orjson.loads(library.user_path.read_bytes())
    header = orjson.loads(lines(journal_of(library))[0])
    assert header["snapshot"] == tables["meta"]["journal"]["snapshot"]
    assert Store(library.path, backup_interval=None).user("p2").note.endswith(note)


def test_another_process_reads_only_the_new_lines(library: Store, clock, monkeypatch) -> None:
    other = Store(library.path, clock=clock, backup_interval=None)
    assert other.user("p1").tags == ["first"]
    loads = []
    real = store_module.AtomicJSONStorage._load
    monkeypatch.setattr(store_module.AtomicJSONStorage, "_load",
                        lambda self: (loads.append(self.path), real(self))[1])

    library.add_tags("p4", ["seen"])
    assert other.refresh()  # changed by another process: time to redraw
    assert other.user("p4").tags == ["seen"] and loads == []  # the user file was not read again
    assert not other.refresh()

    other.set_note("p4", "and back")
    assert library.refresh() and library.user("p4").note == "and back" and loads == []


def test_a_line_cut_short_is_not_read_and_the_next_save_cuts_it_off(library: Store, clock) -> None:
    library.set_note("p3", "kept")
    before = snapshot(library.path)
    good = journal_of(library)
    torn = _journal_line([["put", "annotations", "p3", {"note": "never acknowledged"}]])
    for cut in (1, 8, 9, len(torn) // 2, len(torn) - 1):
        library.journal_path.write_bytes(good + torn[:cut])
        assert snapshot(library.path) == before, cut
        assert any(f.code == "journal-tail" for f in backup.check_library(library.path))
    store = Store(library.path, clock=clock, backup_interval=None)
    store.set_note("p5", "after")
    raw = journal_of(store)
    assert raw.startswith(good) and not _parse_journal(store.journal_path, raw).torn
    assert [lines(raw)[-1][9:].startswith(b'[["put","annotations","p5"')] == [True]
    assert Store(library.path, backup_interval=None).user("p3").note == "kept"


def test_a_damaged_line_before_the_end_is_refused_and_named(library: Store, clock) -> None:
    library.set_note("p3", "one")
    library.set_note("p4", "two")
    raw = bytearray(journal_of(library))
    start = raw.index(b'"p3"')
    raw[start + 1:start + 3] = b"q3"  # the checksum no longer matches
    library.journal_path.write_bytes(bytes(raw))
    with pytest.raises(DamagedFileError) as caught:
        Store(library.path, backup_interval=None)
    assert str(library.journal_path) in str(caught.value) and "damaged change" in str(caught.value)
    findings = backup.check_library(library.path)
    assert any(f.severity == "error" and f.path == library.journal_path for f in findings)
    # Nothing was written over it.
    assert library.journal_path.read_bytes() == bytes(raw)


@pytest.mark.parametrize("line", [
    _journal_line([["put", "papers", "p1", {"title": "not the user's table"}]]),
    _journal_line([["replace", "annotations", "p1", {}]]),
    _journal_line([["put", "annotations", "p1", "not a document"]]),
    b"00000000 [] \n",
])
def test_a_line_that_is_not_a_change_of_user_data_is_damage(library: Store, line: bytes) -> None:
    library.journal_path.write_bytes(journal_of(library) + line + _journal_line([]))
    with pytest.raises(DamagedFileError):
        Store(library.path, backup_interval=None)


def test_a_journal_without_a_header_is_damage(library: Store) -> None:
    library.journal_path.write_bytes(b'{"annotations": {}}\n')
    with pytest.raises(DamagedFileError, match="journal header"):
        Store(library.path, backup_interval=None)


def test_a_journal_of_another_user_file_is_ignored_and_replaced(library: Store, clock) -> None:
    library.set_note("p2", "in the snapshot? no: in the journal")
    stale = _journal_header("0" * 16) + _journal_line([["put", "annotations", "p2", {"note": "stale"}]])
    library.journal_path.write_bytes(stale)
    store = Store(library.path, clock=clock, backup_interval=None)
    assert store.user("p2").note == ""  # the journal belonged to another user file
    assert store.user("p1").tags == ["first"]
    store.set_note("p5", "new")  # the journal cannot take it: compacted
    assert store._userfile.compactions == 1
    assert orjson.loads(lines(journal_of(store))[0])["snapshot"] != "0" * 16
    assert Store(library.path, backup_interval=None).user("p5").note == "new"


def test_backups_hold_the_journal_s_changes_and_restore_sets_the_journal_aside(
    db_path: Path, clock, seed
) -> None:
    store = Store(db_path, clock=clock, backup_interval=None)
    seed(store, ["p1", "p2"])
    store.set_note("p1", "before the backup")
    store.add_tags("p2", ["kept"])
    assert store._userfile.appends >= 1
    taken = backup.take_backup(db_path, clock())
    assert taken is not None and taken.ok and taken.summary.annotated == 2
    store.set_note("p1", "after the backup")

    restored = backup.restore_backup(db_path, taken)
    assert any(p.name.startswith("library.user.journal.replaced-") for p in restored.set_aside)
    again = Store(db_path, clock=clock, backup_interval=None)
    assert again.user("p1").note == "before the backup" and again.user("p2").tags == ["kept"]
    again.set_note("p2", "restored, then edited")
    assert Store(db_path, backup_interval=None).user("p2").note == "restored, then edited"
    assert Store(db_path, backup_interval=None).user("p1").note == "before the backup"


documents = st.dictionaries(st.sampled_from(["note", "status", "tags"]),
                            st.text(max_size=20), max_size=3)
ops = st.lists(st.one_of(
    st.tuples(st.just("put"), st.sampled_from(["annotations", "queue"]), st.text(max_size=6), documents)
    .map(list),
    st.tuples(st.just("drop"), st.sampled_from(["annotations", "queue"]), st.text(max_size=6)).map(list),
), max_size=4)


@settings(max_examples=200, deadline=None)
@given(changes=st.lists(ops, max_size=6), tail=st.binary(max_size=40), cut=st.integers(0, 400))
def test_parsing_gives_back_the_whole_lines_and_never_a_cut_one(changes, tail, cut) -> None:
    """Any journal: header, whole lines, then a cut-short line (or garbage with no
    newline) reads as exactly the whole lines; the end is where the next line goes."""
    whole = _journal_header("abc") + b"".join(_journal_line(c) for c in changes)
    line = _journal_line([["put", "annotations", "x", {"note": "cut"}]])
    extra = line[:cut % len(line)] + tail.replace(b"\n", b"")
    parsed = _parse_journal(Path("j"), whole + extra)
    assert parsed.snapshot == "abc" and parsed.changes == changes
    assert parsed.end == len(whole) and parsed.torn == bool(extra)
    # Read on from any line boundary, as another process does.
    boundary = len(_journal_header("abc")) + sum(len(_journal_line(c)) for c in changes[:1])
    on = _parse_journal(Path("j"), (whole + extra)[boundary:], header=False, base=boundary)
    assert on.changes == changes[1:] and on.end == len(whole)



def journal_writes_fail(monkeypatch) -> None:
    """A compaction's second write (the journal's fresh header) fails: no space."""
    real = store_module._atomic_write

    def no_journal(path, raw):
        if path.name.endswith(".journal"):
            raise OSError(28, "No space left on device")
        return real(path, raw)

    monkeypatch.setattr(store_module, "_atomic_write", no_journal)

def test_a_compaction_back_to_an_earlier_state_never_revives_the_old_journal(
    library: Store, clock, monkeypatch
) -> None:
    """The new snapshot's name is never its predecessor's, even when its content
    is: else a failed journal write after it would replay the old lines."""
    moment = clock()
    library = Store(library.path, clock=lambda: moment, backup_interval=None)  # time stands still
    monkeypatch.setattr(store_module, "JOURNAL_MIN_LIMIT", 0)
    library.set_note("p1", "n")  # compacted: the snapshot on disk holds this state
    monkeypatch.setattr(store_module, "JOURNAL_MIN_LIMIT", 1 << 20)
    library.add_tags("p1", ["x"])  # a line in that snapshot's journal
    monkeypatch.setattr(store_module, "JOURNAL_MIN_LIMIT", 0)  # the next save compacts
    journal_writes_fail(monkeypatch)
    library.remove_tags("p1", ["x"])  # back to the content of the snapshot before
    assert library.user("p1").tags == ["first"]
    assert Store(library.path, backup_interval=None).user("p1").tags == ["first"]


# -- a save that fails after another process read its line ------------------------
# (found in review: the failed save cuts its line off again, and the next line
# may take its place; the other process must notice, not read on mid-line)


def fails_after_the_other_read_it(other: Store, step: str = "appended",
                                  error: BaseException | None = None, seen: list | None = None):
    def hook(name: str) -> None:
        if name == step:
            other.refresh()  # the other process polls now and reads the whole line
            if seen is not None:
                seen.append(other.user("p2").tags)
            raise error or OSError(5, "Input/output error")  # as if fsync failed
    return hook


@pytest.mark.parametrize("tags", [["bbbb"], ["a-much-longer-tag-than-before"], ["b"]],
                         ids=["same length", "longer", "shorter"])
def test_another_process_drops_a_line_whose_save_failed(
        library: Store, db_path: Path, clock, monkeypatch, tags: list[str]) -> None:
    other, seen = Store(db_path, clock=clock, backup_interval=None), []
    monkeypatch.setattr(store_module, "_crash_hook", fails_after_the_other_read_it(other, seen=seen))
    with pytest.raises(StoreError):
        library.add_tags("p2", ["aaaa"])  # not acknowledged
    assert seen == [["aaaa"]]  # the other did read the line before it was cut off
    monkeypatch.setattr(store_module, "_crash_hook", lambda step: None)
    library.add_tags("p2", tags)  # acknowledged, where the failed line was
    library.set_status("p3", "reading")
    assert other.refresh()
    assert other.user("p2").tags == tags and other.user("p3").status == "reading"
    other.add_tags("p4", ["from the other"])  # its own save keeps every acknowledged line
    after = snapshot(db_path)["user"]
    assert after["p2"]["tags"] == tags and after["p3"]["status"] == "reading"
    assert after["p4"]["tags"] == ["from the other"]
    assert not _parse_journal(db_path.with_name("library.user.journal"),
                              journal_of(library)).torn


def test_an_interrupt_after_the_sync_cuts_the_line_and_the_other_process_notices(
        library: Store, db_path: Path, clock, monkeypatch) -> None:
    other = Store(db_path, clock=clock, backup_interval=None)
    monkeypatch.setattr(store_module, "_crash_hook",
                        fails_after_the_other_read_it(other, "append-synced", KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        library.add_tags("p2", ["a"])
    monkeypatch.setattr(store_module, "_crash_hook", lambda step: None)
    library.add_tags("p2", ["acknowledged-and-longer"])
    other.set_status("p3", "reading")
    after = snapshot(db_path)["user"]
    assert after["p2"]["tags"] == ["acknowledged-and-longer"] and after["p3"]["status"] == "reading"


def test_a_save_never_cuts_off_whole_lines_it_has_not_read(library: Store, db_path: Path) -> None:
    """Past what the store read there can only be a killed save's unfinished
    line; whole lines there mean its view is stale, and it refuses to save."""
    storage = library._userfile
    storage.begin()
    storage.put("annotations", "p5", {"note": "mine"})
    with library.journal_path.open("ab") as file:  # written behind its back
        file.write(_journal_line([["put", "annotations", "p4", {"note": "theirs"}]]))
    with pytest.raises(StoreError, match="changed while it was being saved"):
        storage.commit()
    assert Store(db_path, backup_interval=None).user("p4").note == "theirs"


def test_a_failed_journal_header_is_not_taken_for_another_process_s_change(
        library: Store, monkeypatch) -> None:
    library.refresh()
    journal_writes_fail(monkeypatch)
    monkeypatch.setattr(store_module, "JOURNAL_MIN_LIMIT", 0)  # the save compacts
    library.set_note("p2", "x" * 5000)
    assert not library.refresh()  # our own save, not a change to redraw for
    assert Store(library.path, backup_interval=None).user("p2").note == "x" * 5000


def test_a_damaged_journal_of_another_user_file_does_not_stop_the_library(library: Store) -> None:
    """Its lines are not read (they belong to another snapshot), so neither can
    their damage refuse the library; the next save replaces it."""
    library.journal_path.write_bytes(_journal_header("0" * 16) + b"garbage\n" + _journal_line([]))
    store = Store(library.path, backup_interval=None)
    assert store.user("p1").tags == ["first"]
    assert not [f for f in backup.check_library(library.path) if f.severity == "error"]
