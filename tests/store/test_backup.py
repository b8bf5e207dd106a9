"""Damaged and foreign library files, rotating backups, restore, doctor, paths."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import filelock
import pytest

from readinglist import backup
from readinglist.backup import check_library, list_backups, quarantine, restore_backup, take_backup
from readinglist.store import USER_TABLES, DamagedFileError, Store, StoreError
from store_helpers import files, snapshot

HOUR = timedelta(hours=1)


@pytest.fixture
def library(db_path: Path, clock, seed) -> Path:
    store = Store(db_path, clock=clock, backup_interval=None)
    seed(store, ["p1", "p2"])
    store.set_note("p1", "precious note ✓")
    store.queue_add("p2")
    return db_path


def open_(path: Path, clock, **kwargs) -> Store:
    return Store(path, clock=clock, **kwargs)


def user_tables(user: Path) -> dict:
    """The user data as the store reads it: the user file with the journal beside it applied."""
    return backup.read_checked(user, USER_TABLES)


# -- damaged and foreign files --------------------------------------------------------

FOREIGN = {
    "empty": b"",
    "truncated": b'{"papers": {"p1": {"id": "p1", "tit',
    "trailing garbage": b'{"papers": {}, "meta": {}}\n}}garbage',
    "null": b"null",
    "nul bytes": b"\x00" * 100,
    "empty object": b"{}",
    "package.json": json.dumps({"name": "x", "version": "1.0.0", "scripts": {"t": "jest"}}).encode(),
    "tsconfig": json.dumps({"compilerOptions": {"strict": True}}).encode(),
    "another tinydb": json.dumps({"_default": {"1": {"name": "x"}}}).encode(),
    "wrong record shape": b'{"papers": {"p1": {"id": "p1", "title": "T", "authors": 7}}}',
}


@pytest.mark.parametrize("which", ["catalogue", "user file"])
@pytest.mark.parametrize("content", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_damaged_or_foreign_file_is_refused_kept_and_a_backup_offered(
    library: Path, clock, which: str, content: bytes
) -> None:
    good = open_(library, clock, backup_interval=HOUR)
    good.set_note("p2", "after the backup")  # the first write of a session backs up
    (taken,) = list_backups(library)
    target = library if which == "catalogue" else library.with_name("library.user.json")
    if which == "user file" and content == FOREIGN["wrong record shape"]:
        content = b'{"annotations": {"p1": {"tags": 5}}}'
    target.write_bytes(content)
    folder_before = sorted(p.name for p in library.parent.iterdir())

    with pytest.raises(DamagedFileError) as error:
        open_(library, clock)
    message = str(error.value)
    assert str(target) in message and "left untouched" in message and "\n" not in message
    assert taken.taken.strftime("%Y-%m-%d %H:%M UTC") in message and "2 papers" in message
    assert "readinglist restore" in message
    assert error.value.backup.folder == taken.folder  # type: ignore[attr-defined]
    # Never read as an empty library, never written over, nothing new beside it.
    with pytest.raises(StoreError):
        good.set_note("p1", "over it?")
    assert target.read_bytes() == content
    assert sorted(p.name for p in library.parent.iterdir()) == folder_before
    assert [b.folder for b in list_backups(library)] == [taken.folder]  # no backup of damage

    # doctor names it; restore keeps it aside byte for byte and brings the backup back.
    assert any(f.code == "damaged" and f.path == target for f in check_library(library))
    restored = restore_backup(library, taken, clock())
    (aside,) = [p for p in restored.set_aside if p.name.startswith(target.name)]
    assert aside.name.startswith(f"{target.name}.damaged-") and aside.read_bytes() == content
    state = snapshot(library)
    assert state["user"]["p1"]["note"] == "precious note ✓" and state["queue"] == ["p2"]


def test_a_user_file_in_place_of_the_catalogue_is_refused(library: Path, clock) -> None:
    user = library.with_name("library.user.json")
    library.write_bytes(user.read_bytes())
    with pytest.raises(DamagedFileError, match=r"does not hold readinglist tables \(found 'annotations'"):
        open_(library, clock)


def test_without_a_backup_the_message_says_so(library: Path, clock) -> None:
    library.write_bytes(b"")
    with pytest.raises(DamagedFileError, match="There is no good backup to restore"):
        open_(library, clock)


def test_quarantine_moves_a_file_aside_unchanged(library: Path, clock) -> None:
    library.write_bytes(b"\x00garbage")
    aside = quarantine(library, clock())
    assert not library.exists() and aside.read_bytes() == b"\x00garbage"
    assert aside.name.startswith("library.json.damaged-")
    assert quarantine(library.with_name("library.user.json"), clock()).exists()


# -- taking backups -------------------------------------------------------------------


def test_the_first_write_of_a_session_backs_up_the_library_as_it_was(library: Path, clock) -> None:
    user = library.with_name("library.user.json")
    catalogue_before, user_before = library.read_bytes(), user_tables(user)
    # Some of the user data is only in the journal (the queue), not in the user file itself.
    assert json.loads(user.read_bytes()) != user_before
    store = open_(library, clock, backup_interval=HOUR)
    store.set_note("p1", "changed")
    store.set_note("p1", "changed again")
    (taken,) = list_backups(library)
    kept = files(taken.folder)
    assert set(json.loads(kept.pop(backup.SIGNATURE_FILE))) == {"catalogue", "papers", "authors"}
    # The catalogue byte for byte, and the user data as it was, journal applied,
    # in one self-contained file (no journal beside it), without the snapshot's
    # name: no journal can ever be replayed onto a restored copy.
    assert set(kept) == {"library.json", "library.user.json"}
    assert kept["library.json"] == catalogue_before
    assert "journal" in user_before["meta"]
    del user_before["meta"]["journal"]
    assert json.loads(kept["library.user.json"]) == user_before
    assert taken.ok and (taken.summary.papers, taken.summary.annotated, taken.summary.queued) == (2, 1, 1)
    assert taken.folder.parent == library.parent / "backups"
    # Another session within the hour adds none.
    open_(library, clock, backup_interval=HOUR).set_note("p1", "third")
    assert len(list_backups(library)) == 1


def test_backups_rotate_and_skip_an_unchanged_library(library: Path, clock) -> None:
    seconds = timedelta(seconds=2)
    store = open_(library, clock, backup_interval=seconds, backups_kept=3)
    for n in range(8):
        store.set_note("p1", f"version {n}")
    backups = list_backups(library)
    assert len(backups) == 3 and all(b.ok for b in backups)
    assert [b.taken for b in backups] == sorted((b.taken for b in backups), reverse=True)
    # The newest backup holds the state before some later edit, byte for byte.
    newest = json.loads((backups[0].folder / "library.user.json").read_bytes())
    assert newest["annotations"]["p1"]["note"].startswith("version ")
    # Unchanged since the newest backup: none taken, however late.
    clock.now += timedelta(days=1)
    assert take_backup(library, clock(), interval=seconds) is not None
    clock.now += timedelta(days=1)
    assert take_backup(library, clock(), interval=seconds) is None


def test_a_backup_that_fails_its_check_replaces_nothing(
    library: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_(library, clock, backup_interval=timedelta(seconds=1), backups_kept=2)
    store.set_note("p1", "a")
    clock.now += HOUR
    store.set_note("p1", "b")
    kept = [b.folder for b in list_backups(library)]
    assert len(kept) == 2

    def corrupt_check(catalogue: Path, user: Path, **_kwargs):
        raise StoreError(f"library file {user} is not valid JSON (line 1)")

    monkeypatch.setattr(backup, "check_files", corrupt_check)
    clock.now += HOUR
    store.set_note("p1", "c")  # the edit still happens
    monkeypatch.undo()
    assert [b.folder for b in list_backups(library)] == kept
    assert store.backup_problem and "not valid JSON" in store.backup_problem
    assert not [p for p in (library.parent / "backups").iterdir() if p.name.startswith(".")]
    assert Store(library).user("p1").note == "c"


def _damage_journal(journal: Path) -> None:
    """A bad line before a good one: damage, not a save killed mid-line."""
    header, *lines = journal.read_bytes().splitlines(keepends=True)
    assert lines  # the fixture's queue_add is in the journal
    journal.write_bytes(header + b"00000000 [garbage]\n" + b"".join(lines))


DAMAGE = {
    "user file": (lambda user, journal: user.write_bytes(b'{"annotations": {"p1": '), "not valid JSON"),
    "user file, no journal": (
        lambda user, journal: (journal.unlink(), user.write_bytes(b'{"annotations": {"p1": ')),
        "not valid JSON",
    ),
    "journal": (lambda user, journal: _damage_journal(journal), "holds a damaged change"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=DAMAGE.keys())
def test_a_damaged_library_is_never_backed_up(library: Path, clock, damage: str) -> None:
    user = library.with_name("library.user.json")
    damage_it, message = DAMAGE[damage]
    damage_it(user, user.with_name("library.user.journal"))
    before = files(library.parent)
    with pytest.raises(StoreError, match=message):
        take_backup(library, clock())
    assert list_backups(library) == []
    backups = library.parent / "backups"
    assert not backups.exists() or not [p for p in backups.iterdir()]  # not even a temp folder
    assert files(library.parent) == before


# -- restore ---------------------------------------------------------------------------


def test_restore_lists_backups_and_puts_one_back_keeping_the_current_files(library: Path, clock) -> None:
    state_then = snapshot(library)
    store = open_(library, clock, backup_interval=HOUR)
    store.set_note("p1", "rewritten by mistake")
    store.queue_remove("p2")
    current = files(library.parent)
    (chosen,) = list_backups(library)
    assert "2 papers, 1 with notes/tags/status, 1 queued" in chosen.describe()

    restored = restore_backup(library, chosen, clock())
    assert snapshot(library) == state_then
    assert store.user("p1").note == "precious note ✓"  # an open store sees it too
    assert sorted(p.name.split(".replaced-")[0] for p in restored.set_aside) == sorted(current)
    for aside in restored.set_aside:
        assert aside.read_bytes() == current[aside.name.split(".replaced-")[0]]
        assert stat.S_IMODE(aside.stat().st_mode) == 0o600


def test_a_bad_backup_is_not_restored(library: Path, clock) -> None:
    open_(library, clock, backup_interval=HOUR).set_note("p1", "x")
    (chosen,) = list_backups(library)
    (chosen.folder / "library.user.json").write_bytes(b"[]")
    before = files(library.parent)
    (listed,) = list_backups(library)
    assert not listed.ok and "does not hold readinglist tables" in listed.problem
    with pytest.raises(StoreError, match="cannot be restored"):
        restore_backup(library, chosen, clock())
    assert files(library.parent) == before


# -- doctor ------------------------------------------------------------------------------


def test_doctor_finds_nothing_wrong_in_a_sound_library(library: Path, clock) -> None:
    assert [f for f in check_library(library) if f.severity != "info"] == []


def test_doctor_finds_broken_references(db_path: Path) -> None:
    db_path.parent.mkdir()
    paper = {"title": "Attention Is All You Need", "author_ids": ["a1"]}
    db_path.write_text(json.dumps({
        "papers": {
            "p1": {"id": "p1", **paper},
            "p2": {"id": "p2", "title": "attention is all you need!", "author_ids": ["ghost"]},
            "p3": {"id": "pX", "title": "Other"},
        },
        "authors": {"a1": {"id": "a1", "name": "A", "paper_ids": ["p1", "gone", "old"]}},
        "redirects": {"old": {"to": "p1"}, "lost": {"to": "nowhere"}},
    }))
    db_path.with_name("library.user.json").write_text(json.dumps({
        "annotations": {"p1": {"note": "ok"}, "unknown": {"note": "orphaned note"}},
        "queue": {"main": {"ids": ["p1", "nobody", "p1"]}},
    }))
    os.chmod(db_path, 0o644)
    codes = {f.code for f in check_library(db_path)}
    assert {"duplicate-title", "dangling-author", "dangling-paper", "stale-paper-id",
            "dangling-redirect", "orphan-user-data", "orphan-queue-entry", "queue-duplicate",
            "wrong-id", "permissions"} <= codes
    findings = check_library(db_path)
    assert findings[0].severity == "error"
    assert any("'ghost'" in f.message for f in findings)
    assert any("orphaned" not in f.message and "'unknown'" in f.message for f in findings)


def test_doctor_reports_leftovers_and_set_aside_files(library: Path, clock) -> None:
    (library.parent / ".library.json.abc.tmp").write_bytes(b"{")
    library.write_bytes(b"")
    quarantine(library, clock())
    codes = [f.code for f in check_library(library)]
    assert "temp-file" in codes and "set-aside" in codes and "missing" in codes


def test_doctor_reads_the_files_under_the_library_lock(library: Path, clock, monkeypatch) -> None:
    """A save in another process (a compaction rewrites the user file, then the
    journal) must not be seen half done: no save can run while doctor reads."""
    held = []
    read_checked = backup.read_checked

    def checking(path, known):
        try:
            filelock.FileLock(f"{library}.lock", timeout=0).acquire()
        except filelock.Timeout:
            held.append(Path(path).name)
        return read_checked(path, known)

    monkeypatch.setattr(backup, "read_checked", checking)
    findings = check_library(library)
    assert held == ["library.json", "library.user.json"]
    assert "unlocked" not in {f.code for f in findings}
    store = Store(library, clock=clock)
    store.add_tags(store.papers()[0].id, ["x"])  # and it was let go


def test_doctor_still_reads_a_library_held_by_another_process(library: Path, clock) -> None:
    other = filelock.FileLock(f"{library}.lock")
    with other:
        findings = check_library(library, lock_timeout=0.05)
    codes = [f.code for f in findings]
    assert "unlocked" in codes and "backup" in codes
    assert [f for f in findings if f.severity != "info"] == []


# -- paths ---------------------------------------------------------------------------------


def test_a_library_path_that_is_a_folder_is_a_clear_error(tmp_path: Path, clock) -> None:
    folder = tmp_path / "lib.json"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder, not a file"):
        Store(folder, clock=clock)
    assert check_library(folder)[0].code == "is-folder"


def test_a_parent_that_cannot_be_created_is_a_clear_error(tmp_path: Path, clock, seed) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StoreError, match="library file .*afile/lib/library.json: Not a directory"):
        Store(tmp_path / "afile" / "lib" / "library.json", clock=clock)
    # A folder that appears to be unmakeable only at the first write.
    store = Store(tmp_path / "later" / "library.json", clock=clock)
    (tmp_path / "later").write_text("x")
    with pytest.raises(StoreError, match="cannot create the library folder .*later: File exists"):
        seed(store, ["p1"])


def test_the_data_folder_is_private_whatever_the_umask(tmp_path: Path, clock, seed) -> None:
    old = os.umask(0o002)
    try:
        store = Store(tmp_path / "new" / "library.json", clock=clock)
        seed(store, ["p1"])
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new" / "library.json").stat().st_mode) == 0o600


def test_backups_of_a_symlinked_library_go_beside_the_real_file(tmp_path: Path, clock, seed) -> None:
    real = tmp_path / "synced" / "library.json"
    real.parent.mkdir()
    link = tmp_path / "library.json"
    link.symlink_to(real)
    seed(Store(link, clock=clock), ["p1"])
    Store(link, clock=clock).set_note("p1", "x")
    assert link.is_symlink() and list_backups(link)[0].folder.parent == real.parent / "backups"
    restore_backup(link, list_backups(link)[0], clock())
    assert link.is_symlink() and Store(link).user("p1").note == ""


def test_an_unchanged_catalogue_is_not_copied_again(library: Path, clock) -> None:
    store = open_(library, clock, backup_interval=timedelta(seconds=2))
    for n in range(3):
        clock.now += HOUR
        store.set_note("p1", f"version {n}")
    backups = list_backups(library)
    assert len(backups) == 3 and all(b.ok for b in backups)
    inodes = {(b.folder / "library.json").stat().st_ino for b in backups}
    assert len(inodes) == 1  # one catalogue copy, shared
    assert len({(b.folder / "library.user.json").read_bytes() for b in backups}) == 3


def test_an_unchanged_catalogue_is_linked_into_the_next_backup_without_reading_it(
        library: Path, clock, monkeypatch) -> None:
    """The store replaces the catalogue on every write, so the signature recorded
    with a backup tells an unchanged catalogue without reading it (at 100,000
    papers reading and checking it took 2.7 s on the first edit of a session)."""
    hour = timedelta(hours=1)
    store = open_(library, clock, backup_interval=hour)
    store.set_note("p1", "one")
    (first,) = list_backups(library)
    read: list[str] = []
    real = backup.read_checked
    monkeypatch.setattr(backup, "read_checked",
                        lambda path, known: read.append(Path(path).name) or real(path, known))
    clock.now += 2 * hour
    open_(library, clock, backup_interval=hour).set_note("p1", "two")
    newest, older = list_backups(library, check=False)
    assert older.folder == first.folder
    assert (newest.folder / library.name).stat().st_ino == (first.folder / library.name).stat().st_ino
    assert library.name not in read  # only the user file was checked
    assert list_backups(library)[0].ok


def test_a_catalogue_the_store_has_read_is_copied_without_being_parsed_again(
        library: Path, clock, monkeypatch) -> None:
    """The store built every record from the catalogue it holds (read, or written
    by an import), so the first edit's backup copies it without parsing it again
    (at 100,000 papers: 1.8 of the 3 s the first edit after an import took). A
    catalogue that changed on disk since the store read it is parsed and checked."""
    hour = timedelta(hours=1)
    read: list[str] = []
    real = backup.read_checked
    monkeypatch.setattr(backup, "read_checked",
                        lambda path, known: read.append(Path(path).name) or real(path, known))
    store = open_(library, clock, backup_interval=hour)
    store.set_note("p1", "one")
    (taken,) = list_backups(library, check=False)
    assert library.name not in read  # the copy's catalogue was not parsed
    assert (taken.folder / library.name).read_bytes() == library.read_bytes()
    (checked,) = list_backups(library)
    assert checked.ok and checked.summary.papers == 2

    clock.now += 2 * hour
    stale = open_(library, clock, backup_interval=hour)
    stale.papers()
    os.utime(library, ns=(1, 1))  # changed on disk after the store read it
    read.clear()
    stale.set_note("p1", "two")
    assert library.name in read  # parsed and checked, as before
    assert len(list_backups(library)) == 2 and all(b.ok for b in list_backups(library))
