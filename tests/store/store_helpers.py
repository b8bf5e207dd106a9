"""Shared by the crash, soak and failure tests: whole-library snapshots, and
running code in a forked child that can be killed."""

from __future__ import annotations

import os
import shutil
import signal
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readinglist import store as store_module
from readinglist.store import Store


def snapshot(path: Path) -> dict[str, Any]:
    """Everything a reopened library shows, as plain data (notes byte for byte)."""
    store = Store(path, backup_interval=None)
    return {
        "papers": {p.id: p.to_dict() for p in store.papers()},
        "authors": {a.id: a.to_dict() for a in store.authors()},
        "user": {pid: u.to_dict() for pid, u in store.all_user().items()},
        "queue": store.queue(),
    }


def files(folder: Path) -> dict[str, bytes]:
    """The library files' bytes, the journal's too (temp files, locks and backups left out)."""
    return {p.name: p.read_bytes() for p in folder.iterdir()
            if p.is_file() and p.name.endswith((".json", ".journal")) and not p.name.startswith(".")}


def temp_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def copy_folder(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock"))
    return target


def killer(step: str, occurrence: int = 1) -> Callable[[str], None]:
    """A ``_crash_hook`` that SIGKILLs this process at the ``occurrence``-th ``step``."""
    seen: Counter[str] = Counter()

    def hook(name: str) -> None:
        seen[name] += 1
        if name == step and seen[name] == occurrence:
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


def run_forked(body: Callable[[], None], hook: Callable[[str], None] | None = None) -> int:
    """Run ``body`` in a forked child (with ``hook`` as the store's crash hook).

    Returns the signal that killed it, or 0 if it finished; an exception in the
    child is exit status 3, reported as an AssertionError.
    """
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            if hook is not None:
                store_module._crash_hook = hook
            body()
        except BaseException:
            import traceback

            traceback.print_exc()
            status = 3
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return os.WTERMSIG(status)
    code = os.WEXITSTATUS(status)
    assert code == 0, f"the child failed (exit {code})"
    return 0
