"""Saves that fail: a full disk, a read-only folder, write/fsync/replace failing
at every call in turn. The files stay byte-identical, the error names the file
and the reason, no temp file is left, and the same call made again saves.

"Pending", for this store, means: the call raised StoreError, the disk and the
store's memory are as before the call, and the caller (CLI, TUI) still holds
the change and makes the same call again to retry.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import filelock
import pytest

from readinglist import backup
from readinglist.models import Paper, ParsedListing
from readinglist.store import Store, StoreError
from store_helpers import copy_folder, files, run_forked, snapshot, temp_leftovers

def fixed_clock() -> datetime:
    return datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


LISTING = ParsedListing(name="more.txt", format="compact", papers=[])


@pytest.fixture
def library(tmp_path: Path, clock, seed, install_merge) -> Path:
    path = tmp_path / "base" / "library.json"
    store = Store(path, clock=clock, backup_interval=None)
    seed(store, ["p1", "p2", "p3"])
    store.set_note("p1", "note one")
    store.set_note("p2", "note two " * 200)
    store.queue_add("p3")

    def plan(catalogue, listing):
        catalogue.papers["p9"] = Paper(id="p9", title="New")
        if catalogue.papers.pop("p2", None) is not None:
            return {"p2": "p1"}
        return None

    install_merge(plan)
    return path


CHANGES: dict[str, Callable[[Store], object]] = {
    "grow": lambda s: s.set_note("p1", "grown " * 5000),
    # Too big for the journal (store.JOURNAL_MIN_LIMIT): the user file is rewritten.
    "compact": lambda s: s.set_note("p1", "compacted " * 30000),
    "shrink": lambda s: s.set_note("p2", "x"),
    "two tables": lambda s: s.set_status("p3", "read"),
    "import": lambda s: s.import_listing(LISTING),
}


class Failing:
    """Wraps one os function: counts calls, and raises at call number ``fail_at``."""

    def __init__(self, real: Callable, fail_at: int | None, error: OSError) -> None:
        self.real, self.fail_at, self.error, self.calls = real, fail_at, error, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.fail_at:
            raise self.error
        return self.real(*args, **kwargs)


@contextmanager
def fail_on(name: str, fail_at: int | None) -> Iterator[Failing]:
    """``os.<name>`` counted, and failing with EIO at call ``fail_at``, inside the block."""
    wrapper = Failing(getattr(os, name), fail_at, OSError(errno.EIO, os.strerror(errno.EIO)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, name, wrapper)
        yield wrapper


@pytest.mark.parametrize("call", ["write", "fsync", "replace"])
@pytest.mark.parametrize("change", CHANGES)
def test_a_call_failing_at_every_point_of_a_save_loses_nothing(
    tmp_path: Path, library: Path, call: str, change: str
) -> None:
    clock = fixed_clock  # a failed attempt must not move the time the retry stamps
    before_files, before = files(library.parent), snapshot(library)
    finished = copy_folder(library.parent, tmp_path / "finished") / library.name
    with fail_on(call, None) as counter:
        CHANGES[change](Store(finished, clock=clock, backup_interval=None))
    calls = counter.calls
    after_files, after = files(finished.parent), snapshot(finished)
    journaled = change != "compact"  # an edit appends to the journal; only "compact" rewrites
    if call == "replace" and journaled and change != "import":
        # An append replaces no file: the user file is untouched, the journal grew.
        assert calls == 0
        assert after_files["library.user.json"] == before_files["library.user.json"]
        assert after_files["library.user.journal"].startswith(before_files["library.user.journal"])
        return
    assert calls >= 1

    for n in range(1, calls + 1):
        copy = copy_folder(library.parent, tmp_path / f"fail-{n}") / library.name
        store = Store(copy, clock=clock, backup_interval=None)
        store.papers()
        failed: StoreError | None = None
        with fail_on(call, n):
            try:
                CHANGES[change](store)
            except StoreError as error:
                failed = error
        on_disk = files(copy.parent)
        if failed is None:
            assert snapshot(copy) == after
            if on_disk == after_files:
                # Only the best-effort folder fsync after the rename may fail quietly:
                # the new file is already in place.
                assert call == "fsync", n
            else:
                # A compaction's second write (the journal's fresh header) failed
                # after the user file went in: the change is saved, and the old
                # journal names the old user file, so it is not replayed.
                assert change == "compact", n
                assert on_disk["library.user.json"] == after_files["library.user.json"]
                assert on_disk["library.user.journal"] == before_files["library.user.journal"]
            continue
        message = str(failed)
        assert "Input/output error" in message and "left as it was" in message, message
        assert failed.path is not None and str(failed.path) in message
        assert failed.reason == "Input/output error"
        assert temp_leftovers(copy.parent) == [], n
        if on_disk == before_files:  # nothing changed, in the files or in memory
            assert snapshot(copy) == before
            assert store.queue() == before["queue"]
            assert {pid: u.to_dict() for pid, u in store.all_user().items()} == before["user"]
        else:  # the user file failed after the catalogue went in (import only)
            assert change == "import" and failed.path == copy.with_name("library.user.journal")
            assert on_disk[copy.name] == after_files[copy.name]
            assert snapshot(copy) == after  # the moved user data shows already
        # The caller still has the change: the same call again saves it.
        CHANGES[change](store)
        assert snapshot(copy) == after, n


def _child_error(path: Path, body: Callable[[], None], report: Path) -> None:
    try:
        body()
    except StoreError as error:
        report.write_text(f"{error}\n{error.path}\n{error.reason}", encoding="utf-8")
    else:
        report.write_text("no error", encoding="utf-8")


def test_a_full_disk_changes_nothing_and_says_why(tmp_path: Path, library: Path, clock) -> None:
    before_files, before = files(library.parent), snapshot(library)
    report = tmp_path / "report.txt"
    report.write_text("", encoding="utf-8")
    limit = max(len(raw) for raw in before_files.values()) + 100

    def child() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG, not a kill
        store = Store(library, clock=clock, backup_interval=None)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        _child_error(library, lambda: CHANGES["grow"](store), report)

    assert run_forked(child) == 0
    message, path, reason = report.read_text(encoding="utf-8").split("\n")
    # The edit is an append to the journal, and it is the journal that cannot grow.
    assert reason == "File too large" and path == str(library.with_name("library.user.journal"))
    assert f"could not save library file {path}: File too large" in message
    assert files(library.parent) == before_files and temp_leftovers(library.parent) == []
    CHANGES["grow"](Store(library, clock=clock, backup_interval=None))
    assert snapshot(library)["user"]["p1"]["note"] == "grown " * 5000


@pytest.fixture
def unprivileged_copy(library: Path) -> Iterator[tuple[Path, int | None]]:
    """A copy of the library that a non-root child can own (root ignores modes)."""
    if os.geteuid() != 0:
        folder = Path(tempfile.mkdtemp())
        yield copy_folder(library.parent, folder / "lib") / library.name, None
    else:
        folder = Path(tempfile.mkdtemp(dir="/tmp"))
        os.chmod(folder, 0o755)
        copy = copy_folder(library.parent, folder / "lib")
        for path in (copy, *copy.iterdir()):
            os.chown(path, 65534, 65534)
        yield copy / library.name, 65534
    for path in folder.rglob("*"):
        if path.is_dir():
            os.chmod(path, 0o700)
    shutil.rmtree(folder)


@pytest.mark.parametrize("lock_exists", [False, True])
def test_a_read_only_folder_changes_nothing_and_says_why(
    tmp_path: Path, unprivileged_copy: tuple[Path, int | None], clock, lock_exists: bool
) -> None:
    path, uid = unprivileged_copy
    if lock_exists:
        lock = Path(f"{path}.lock")
        lock.touch()
        if uid is not None:
            os.chown(lock, uid, uid)
    before_files = files(path.parent)
    report = path.parent.parent / "report.txt"
    report.write_text("", encoding="utf-8")
    if uid is not None:
        os.chown(report, uid, uid)

    def child() -> None:
        if uid is not None:
            os.setgid(uid)
            os.setuid(uid)
        store = Store(path, clock=clock, backup_interval=None)
        os.chmod(path.parent, 0o500)
        # A rewrite of the user file needs a temp file in the folder. (An edit
        # that appends to the journal needs only the journal to be writable.)
        _child_error(path, lambda: CHANGES["compact"](store), report)

    assert run_forked(child) == 0
    message, failed_path, reason = report.read_text(encoding="utf-8").split("\n")
    assert reason == "Permission denied", message
    if lock_exists:  # the save itself fails, and says which file
        assert message.startswith(f"could not save library file {path.with_name('library.user.json')}")
    else:  # the lock file cannot be created
        assert message.startswith(f"cannot lock the library ({path}.lock): Permission denied")
    assert files(path.parent) == before_files and temp_leftovers(path.parent) == []


def test_a_failed_backup_does_not_block_the_edit(
    library: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(library, clock=clock)

    def no_backup(*_a, **_k):
        raise StoreError("could not back up the library into x: No space left on device")

    monkeypatch.setattr(backup, "take_backup", no_backup)
    store.set_note("p1", "kept")
    assert store.backup_problem and "No space left" in store.backup_problem
    assert Store(library).user("p1").note == "kept"


# -- temp files a crash left --------------------------------------------------------


def orphan(library: Path, content: bytes, name: str = "library.json") -> Path:
    temp = library.with_name(f".{name}.k3j9_x.tmp")
    temp.write_bytes(content)
    return temp


def test_an_orphaned_temp_file_is_never_read_and_is_removed_at_start(library: Path, clock) -> None:
    before = snapshot(library)
    # A complete, valid, newer-looking library in the temp file, and a torn one.
    whole = orphan(library, b'{"papers": {"x": {"id": "x", "title": "From the temp file"}}}')
    torn = orphan(library, b'{"annotations": {"p1": {"no', name="library.user.json")
    store = Store(library, clock=clock)
    assert not whole.exists() and not torn.exists()
    assert snapshot(library) == before and sorted(p.id for p in store.papers()) == ["p1", "p2", "p3"]


def test_a_temp_file_is_left_alone_while_another_process_saves(library: Path, clock) -> None:
    temp = orphan(library, b"{")
    with filelock.FileLock(f"{library}.lock"):
        Store(library, clock=clock).papers()
        assert temp.exists()  # it may be that process's save in progress
    store = Store(library, clock=clock, backup_interval=None)
    assert not temp.exists()
    temp = orphan(library, b"{")
    store.set_note("p1", "x")  # the first write of a session sweeps too
    assert not temp.exists()


def test_leftover_backup_temp_folders_are_removed(library: Path, clock) -> None:
    half = library.parent / "backups" / ".library-abc.tmp"
    half.mkdir(parents=True)
    (half / "library.json").write_bytes(b"{")
    Store(library, clock=clock).set_note("p1", "x")
    assert not half.exists()
    assert all(b.ok for b in backup.list_backups(library))


def test_files_are_private_and_looser_ones_are_tightened(library: Path, clock) -> None:
    user = library.with_name("library.user.json")
    lock = Path(f"{library}.lock")
    lock.touch()
    for path in (library, user, lock):
        os.chmod(path, 0o644)
    Store(library, clock=clock).set_note("p1", "tight")
    for path in (library, user, lock):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    backups = library.parent / "backups"
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    for path in backups.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
