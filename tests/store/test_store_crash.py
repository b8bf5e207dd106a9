"""Killed at every step of a save: the library reopens as the old one or the new
one, whole, never a mix of the two and never unreadable.

Each case forks a child that makes one change with the store's ``_crash_hook``
set to SIGKILL it at one step (``SAVE_STEPS``) of one file's save. The "after"
state comes from the same change made, without a crash, on a copy.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from readinglist import backup
from readinglist.models import ParsedListing
from readinglist.store import SAVE_STEPS, Store
from store_helpers import copy_folder, files, killer, run_forked, snapshot, temp_leftovers

BIG = "".join(f"line {n}: naïve café ∑ \u2028 \"quoted\" \\ tab\t end\n" for n in range(4000))


def edit_grow(store: Store) -> None:
    store.set_note("p1", BIG)


def edit_shrink(store: Store) -> None:
    store.set_note("p2", "short")


def edit_two_tables(store: Store) -> None:
    store.set_status("p3", "read")  # status, and out of the queue


def edit_import(store: Store) -> None:
    """Catalogue write (p9 added, p2 merged into p1), then the user file
    (p2's note and tags move to p1)."""
    store.import_listing(ParsedListing(name="more.txt", format="compact", papers=[]))


EDITS = {"grow": edit_grow, "shrink": edit_shrink, "two tables": edit_two_tables, "import": edit_import}
# (edit, which save in the change to kill: 1st file written, 2nd ...)
CASES = [("grow", 1), ("shrink", 1), ("two tables", 1), ("import", 1), ("import", 2)]


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


@pytest.mark.parametrize("step", SAVE_STEPS)
@pytest.mark.parametrize("edit, occurrence", CASES, ids=[f"{e}-file{n}" for e, n in CASES])
def test_a_kill_at_any_step_leaves_the_old_or_the_new_library(
    tmp_path: Path, library: Path, clock, edit: str, occurrence: int, step: str
) -> None:
    before_files, before = files(library.parent), snapshot(library)

    finished = copy_folder(library.parent, tmp_path / "finished") / library.name
    assert run_forked(lambda: change(finished, clock, edit)) == 0
    after_files, after = files(finished.parent), snapshot(finished)
    assert after != before

    crashed = copy_folder(library.parent, tmp_path / "crashed") / library.name
    signal_ = run_forked(lambda: change(crashed, clock, edit), killer(step, occurrence))
    assert signal_ == signal.SIGKILL, "the change finished before reaching the step"

    # Each file is byte for byte the old one or the new one.
    for name, raw in files(crashed.parent).items():
        assert raw in (before_files.get(name), after_files.get(name)), name
    # The library as a whole is the old one or the new one (never unreadable).
    state = snapshot(crashed)
    expected = before if step in ("created", "half-written", "written", "synced") and occurrence == 1 else after
    if edit == "import" and occurrence == 2:
        # The catalogue is in; the user data shows on the merged paper already.
        expected = after
    assert state == expected
    if step in ("replaced", "folder-synced") or occurrence == 2:
        assert state["user"] == after["user"] and state["queue"] == after["queue"]
    # Reopening removed the temp file the crash left; it was never read.
    assert temp_leftovers(crashed.parent) == []
    # And the library takes the change (again).
    if edit != "import":
        change(crashed, clock, edit)
        assert snapshot(crashed)["user"] == after["user"]


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
