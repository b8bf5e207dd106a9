"""Killed at every step of a save: the library reopens as the old one or the new
one, whole, never a mix of the two and never unreadable.

Each case forks a child that makes one change with the store's ``_crash_hook``
set to SIGKILL it at one step of one file's save: a file replaced whole
(``SAVE_STEPS``) or a line appended to the user file's journal
(``APPEND_STEPS``). The "after" state comes from the same change made,
without a crash, on a copy.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from readinglist import backup
from readinglist.models import ParsedListing
from readinglist.store import APPEND_STEPS, SAVE_STEPS, Store, _parse_journal
from store_helpers import copy_folder, files, killer, run_forked, snapshot, temp_leftovers

BIG = "".join(f"line {n}: naïve café ∑ \u2028 \"quoted\" \\ tab\t end\n" for n in range(4000))


def edit_compact(store: Store) -> None:
    """Too big for the journal: the user file is rewritten, then the journal."""
    store.set_note("p1", BIG * 2)


def edit_shrink(store: Store) -> None:
    store.set_note("p2", "short")


def edit_two_tables(store: Store) -> None:
    store.set_status("p3", "read")  # status, and out of the queue


def edit_import(store: Store) -> None:
    """Catalogue write (p9 added, p2 merged into p1), then the user file
    (p2's note and tags move to p1)."""
    store.import_listing(ParsedListing(name="more.txt", format="compact", papers=[]))


EDITS = {"compact": edit_compact, "shrink": edit_shrink, "two tables": edit_two_tables,
         "import": edit_import}
BEFORE_THE_RENAME = ("created", "half-written", "written", "synced")
# (edit, step, which time the step comes in the change, what a kill there leaves)
CASES = (
    # The user file rewritten (1st save), then the journal started afresh (2nd).
    [("compact", step, 1, "before" if step in BEFORE_THE_RENAME else "after") for step in SAVE_STEPS]
    + [("compact", step, 2, "after") for step in SAVE_STEPS]
    # One line appended to the journal: a line cut short is not read.
    + [(edit, step, 1, "before" if step == "appending" else "after")
       for edit in ("shrink", "two tables") for step in APPEND_STEPS]
    # The catalogue replaced, then the moved user data appended. Once the
    # catalogue is in, the user data shows on the merged paper already.
    + [("import", step, 1, "before" if step in BEFORE_THE_RENAME else "after") for step in SAVE_STEPS]
    + [("import", step, 1, "after") for step in APPEND_STEPS]
)


@pytest.fixture
def library(tmp_path: Path, clock, seed, install_merge) -> Path:
    path = tmp_path / "base" / "library.json"
    store = Store(path, clock=clock, backup_interval=None)
    seed(store, ["p1", "p2", "p3", "p4"])
    store.set_note("p1", "a small note")
    store.set_note("p2", BIG)
    store.add_tags("p2", ["merged-away"])
    for pid in ("p3", "p2", "p1"):
        store.queue_add(pid)

    def plan(catalogue, listing):
        from readinglist.models import Paper

        catalogue.papers["p9"] = Paper(id="p9", title="New")
        del catalogue.papers["p2"]
        return {"p2": "p1"}

    install_merge(plan)
    return path


def change(path: Path, clock, edit: str) -> None:
    edit_fn = EDITS[edit]
    edit_fn(Store(path, clock=clock, backup_interval=None))


@pytest.mark.parametrize("edit, step, occurrence, leaves", CASES,
                         ids=[f"{e}-{s}-{n}" for e, s, n, _ in CASES])
def test_a_kill_at_any_step_leaves_the_old_or_the_new_library(
    tmp_path: Path, library: Path, clock, edit: str, occurrence: int, step: str, leaves: str
) -> None:
    before_files, before = files(library.parent), snapshot(library)

    finished = copy_folder(library.parent, tmp_path / "finished") / library.name
    assert run_forked(lambda: change(finished, clock, edit)) == 0
    after_files, after = files(finished.parent), snapshot(finished)
    assert after != before

    crashed = copy_folder(library.parent, tmp_path / "crashed") / library.name
    signal_ = run_forked(lambda: change(crashed, clock, edit), killer(step, occurrence))
    assert signal_ == signal.SIGKILL, "the change finished before reaching the step"

    # Each file is byte for byte the old one or the new one; the journal may
    # also be the old one plus the start of the new line.
    journal = library.with_name("library.user.journal").name
    for name, raw in files(crashed.parent).items():
        old, new = before_files.get(name), after_files.get(name)
        if name == journal and step == "appending":
            assert raw.startswith(old) and new.startswith(raw) and old != raw != new
        else:
            assert raw in (old, new), name
    # The library as a whole is the old one or the new one (never unreadable).
    state = snapshot(crashed)
    assert state == (before if leaves == "before" else after)
    # Reopening removed the temp file the crash left; it was never read.
    assert temp_leftovers(crashed.parent) == []
    # And the library takes the change (again); a line cut short is cut off first.
    if edit != "import":
        change(crashed, clock, edit)
        assert snapshot(crashed)["user"] == after["user"]
    Store(crashed, clock=clock, backup_interval=None).add_tags("p4", ["later"])
    raw = (crashed.parent / journal).read_bytes()
    assert not _parse_journal(crashed.parent / journal, raw).torn
    assert snapshot(crashed)["user"]["p4"]["tags"] == ["later"]


@pytest.mark.parametrize("step", SAVE_STEPS)
def test_a_kill_while_taking_a_backup_leaves_the_library_and_no_half_backup(
    tmp_path: Path, library: Path, clock, step: str
) -> None:
    before_files, before = files(library.parent), snapshot(library)

    def edit_with_backup() -> None:
        Store(library, clock=clock).set_note("p4", "new")

    # The backup's first file copy is the first save of the change.
    assert run_forked(edit_with_backup, killer(step, 1)) == signal.SIGKILL
    assert files(library.parent) == before_files and snapshot(library) == before
    assert all(b.ok for b in backup.list_backups(library))
    store = Store(library, clock=clock)
    store.set_note("p4", "new")
    assert [p.name for p in (library.parent / "backups").iterdir() if p.name.startswith(".")] == []
    good = backup.list_backups(library)
    assert good and good[0].ok and good[0].summary.papers == 4
