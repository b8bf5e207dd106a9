"""Random kills: a child edits a library of a few thousand papers (notes growing
and shrinking, tags, status, queue, now and then an import that rewrites the
catalogue) and is SIGKILLed at a random moment, over and over.

After each call to the store returns, the child writes an ack line. After each
kill the library is reopened and must equal the state after the last acked
edit, or that plus the one edit in flight: 0 unreadable, 0 mixed, 0 lost.

READINGLIST_SOAK_KILLS sets the number of kills (default 200, about 30 s);
READINGLIST_SOAK_SEED the random seed.
"""

from __future__ import annotations

import copy
import os
import random
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from readinglist.models import Paper, ParsedListing
from readinglist.store import Store, StoreError, _join_notes
from store_helpers import temp_leftovers

KILLS = int(os.environ.get("READINGLIST_SOAK_KILLS", "200"))
SEED = int(os.environ.get("READINGLIST_SOAK_SEED", "20240601"))
PAPERS = 3000
EDITED = 400  # the papers the edits touch (the user file grows as notes do)
MAX_DELAY = 0.1  # seconds from fork to kill


def paper_id(n: int) -> str:
    return f"p{n:05d}"


def op(i: int) -> tuple:
    """Edit number ``i``: the same edit every time it is asked for."""
    rng = random.Random(SEED * 1_000_003 + i)
    pid = paper_id(rng.randrange(EDITED))
    kind = rng.choices(
        ["note", "append", "tag", "untag", "status", "queue", "unqueue", "import"],
        [30, 15, 15, 8, 10, 10, 7, 5],
    )[0]
    if kind == "note":  # grows a lot, shrinks to nothing, or in between
        size = rng.choice([0, 3, 200, 4_000, 60_000])
        return ("note", pid, f"edit {i}: " + rng.choice("é∑\"\\\t\n ab") * size)
    if kind == "append":
        return ("append", pid, f"appended by {i}")
    if kind in ("tag", "untag"):
        return (kind, pid, f"t{rng.randrange(6)}")
    if kind == "status":
        return ("status", pid, rng.choice(["unread", "reading", "read"]))
    if kind == "import":
        return ("import", f"n{i:06d}")
    return (kind, pid)


def apply_to_store(store: Store, edit: tuple) -> None:
    kind, *args = edit
    if kind == "note":
        store.set_note(args[0], args[1])
    elif kind == "append":
        store.append_note(args[0], args[1])
    elif kind == "tag":
        store.add_tags(args[0], [args[1]])
    elif kind == "untag":
        store.remove_tags(args[0], [args[1]])
    elif kind == "status":
        store.set_status(args[0], args[1])
    elif kind == "queue":
        store.queue_add(args[0])
    elif kind == "unqueue":
        store.queue_remove(args[0])
    elif kind == "import":
        store.import_listing(ParsedListing(name=args[0], format="compact", papers=[]))


@dataclass
class Model:
    """What the library should hold: a plain in-memory copy."""

    papers: set[str]
    user: dict[str, dict] = field(default_factory=dict)  # pid -> tags/status/note
    queue: list[str] = field(default_factory=list)

    def apply(self, edit: tuple) -> Model:
        new = copy.deepcopy(self)
        kind, *args = edit
        if kind == "import":
            new.papers.add(args[0])
            return new
        pid = args[0]
        user = new.user.setdefault(pid, {"tags": [], "status": "unread", "note": ""})
        if kind == "note":
            user["note"] = args[1]
        elif kind == "append":
            user["note"] = _join_notes(user["note"], args[1])
        elif kind == "tag" and args[1] not in user["tags"]:
            user["tags"].append(args[1])
        elif kind == "untag" and args[1] in user["tags"]:
            user["tags"].remove(args[1])
        elif kind == "status":
            user["status"] = args[1]
            if args[1] == "read" and pid in new.queue:
                new.queue.remove(pid)
        elif kind == "queue" and pid not in new.queue:
            new.queue.append(pid)
        elif kind == "unqueue" and pid in new.queue:
            new.queue.remove(pid)
        return new

    def view(self) -> tuple:
        user = {pid: (u["tags"], u["status"], u["note"]) for pid, u in self.user.items()
                if u["tags"] or u["note"] or u["status"] != "unread"}
        return sorted(self.papers), user, self.queue


def disk_view(store: Store) -> tuple:
    user = {pid: (u.tags, u.status, u.note) for pid, u in store.all_user().items()
            if u.tags or u.note or u.status != "unread"}
    return sorted(p.id for p in store.papers()), user, store.queue()


@pytest.fixture
def big_library(tmp_path: Path, seed, install_merge) -> Path:
    path = tmp_path / "lib" / "library.json"
    store = Store(path)
    seed(store, [Paper(id=paper_id(n), title=f"Paper number {n} on a topic",
                       authors=[f"Author {n % 97}", f"Author {n % 89}"],
                       abstract="An abstract that is long enough to matter. " * 8,
                       date="2024-05-01") for n in range(PAPERS)])

    def plan(catalogue, listing):
        catalogue.papers[listing.name] = Paper(id=listing.name, title=f"Imported {listing.name}")

    install_merge(plan)
    return path


def edit_until_killed(store: Store, start: int, ack_fd: int) -> None:
    i = start
    while True:
        apply_to_store(store, op(i))
        os.write(ack_fd, f"{i}\n".encode())
        i += 1


def test_random_kills_lose_no_acknowledged_edit(big_library: Path) -> None:
    rng = random.Random(SEED)
    model = Model(papers={paper_id(n) for n in range(PAPERS)})
    start = 0
    outcomes = {"old": 0, "in flight": 0, "unreadable": 0, "mixed or lost": 0}
    problems: list[str] = []
    began = time.monotonic()
    # The child carries on with the store the last check opened (as a process
    # that had the library open would), so it starts editing at once.
    store = Store(big_library)
    for round_ in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                edit_until_killed(store, start, write_fd)
            except BaseException:
                import traceback

                os.write(2, traceback.format_exc().encode())
            finally:
                os._exit(3)
        os.close(write_fd)
        time.sleep(rng.uniform(0, MAX_DELAY))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), f"round {round_}: the child stopped by itself"
        acks = b""
        while chunk := os.read(read_fd, 65536):
            acks += chunk
        os.close(read_fd)
        lines = acks.decode().split("\n")[:-1]  # a torn last line is not an ack
        last = int(lines[-1]) if lines else start - 1
        assert [int(n) for n in lines] == list(range(start, last + 1))

        for n in range(start, last + 1):
            model = model.apply(op(n))
        in_flight = model.apply(op(last + 1))
        try:
            store = Store(big_library)  # a fresh open: is the library readable?
            state = disk_view(store)
        except StoreError as error:
            outcomes["unreadable"] += 1
            problems.append(f"round {round_}: {error}")
            break
        if state == model.view():
            outcomes["old"] += 1
            start = last + 1
        elif state == in_flight.view():
            outcomes["in flight"] += 1
            model, start = in_flight, last + 2
        else:
            outcomes["mixed or lost"] += 1
            problems.append(f"round {round_}: after ack {last}, neither that state nor the next")
            break
    edits = start
    print(f"\nsoak: {KILLS} kills, {edits} edits in {time.monotonic() - began:.1f} s: {outcomes}")
    assert problems == [] and outcomes["unreadable"] == outcomes["mixed or lost"] == 0
    assert sum(outcomes.values()) == KILLS
    assert edits > KILLS  # the kills landed among edits, not all at start-up
    Store(big_library).papers()  # the next open sweeps what the last kill left
    assert temp_leftovers(big_library.parent) == []
