"""Several processes on one library: the lock keeps every edit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import filelock
import pytest

from readinglist.store import Store, StoreError

REPO = Path(__file__).resolve().parents[2]
EDITS = 100

# One writer process: opens the store once (so it relies on noticing the other
# writer's changes) and adds EDITS tags to its own paper, one transaction each.
WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from readinglist.store import Store

    path, paper, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    store = Store(path)
    while not go.exists():
        time.sleep(0.001)
    for n in range({edits}):
        store.add_tags(paper, [f"{{paper}}-{{n}}"])
    """
).format(edits=EDITS)


@pytest.mark.parametrize("round_", range(3))
def test_two_processes_editing_at_once_lose_no_edit(
    tmp_path: Path, store: Store, seed, db_path: Path, round_: int
) -> None:
    seed(store, ["pa", "pb"])
    go = tmp_path / "go"
    pythonpath = filter(None, [str(REPO), os.environ.get("PYTHONPATH")])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(pythonpath)}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), paper, str(go)], env=env,
                         stderr=subprocess.PIPE, text=True)
        for paper in ("pa", "pb")
    ]
    time.sleep(0.3)  # both started and waiting
    go.touch()
    for writer in writers:
        _, errors = writer.communicate(timeout=60)
        assert writer.returncode == 0, errors

    final = Store(db_path)
    for paper in ("pa", "pb"):
        assert final.user(paper).tags == [f"{paper}-{n}" for n in range(EDITS)]
    assert store.user("pa").tags == final.user("pa").tags  # the first store sees it all too


def test_a_held_lock_times_out_with_a_clear_message(store: Store, seed, db_path: Path, open_store) -> None:
    seed(store, ["p1"])
    impatient = open_store(lock_timeout=0.2)
    with filelock.FileLock(f"{db_path}.lock"):
        with pytest.raises(StoreError, match="library is locked by another readinglist process"):
            impatient.add_tags("p1", ["x"])
        assert impatient.papers()[0].id == "p1"  # reads do not wait for the lock
    impatient.add_tags("p1", ["x"])
    assert store.user("p1").tags == ["x"]


def test_the_lock_is_a_separate_file_beside_the_library(store: Store, seed, db_path: Path) -> None:
    seed(store, ["p1"])
    store.add_tags("p1", ["x"])
    names = sorted(p.name for p in db_path.parent.iterdir())
    assert names in (
        ["library.json", "library.json.lock", "library.user.journal", "library.user.json"],
        ["library.json", "library.user.journal", "library.user.json"],  # filelock may delete it on release
    )
