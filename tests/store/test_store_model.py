"""A hypothesis state machine over the store, compared after every step with a
plain in-memory model: imports, tags, status, queue moves, notes, restore
(undo), reopening, and saves that fail."""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
import types
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from readinglist import store as store_module
from readinglist.models import Author, Paper, ParsedListing, ParsedPaper, Source, UserData
from readinglist.store import Store, StoreError, _join_notes, normalize_tags

IDS = [f"p{n}" for n in range(6)]
ids = st.sampled_from(IDS)
tags = st.lists(st.sampled_from(["ML", "ml", "  deep   learning ", "nlp", "", "Ω"]), max_size=3)
notes = st.text(alphabet=st.sampled_from(["a", "é", "\n", " ", "\\", '"', "\x00", "\u2028", "🙂"]), max_size=30)
statuses = st.sampled_from(["unread", "reading", "read"])
positions = st.integers(min_value=-2, max_value=8)


class Catalogue:
    """A stand-in for ``merge.Catalogue``: each listing record's title is the
    id of a paper to add (the real merge is tested in tests/listings)."""

    def __init__(self, papers: dict, authors: dict, redirects: dict) -> None:
        self.papers, self.authors, self.redirects = papers, authors, redirects

    @classmethod
    def from_records(cls, papers, authors, redirects=None) -> Catalogue:
        return cls({p["id"]: Paper.from_dict(p) for p in papers},
                   {a["id"]: Author.from_dict(a) for a in authors}, dict(redirects or {}))

    def merge_listing(self, listing: ParsedListing, now: datetime | None = None):
        for record in listing.papers:
            self.papers.setdefault(record.title, Paper(id=record.title, title=f"Paper {record.title}"))
        return types.SimpleNamespace(file=listing.name, absorbed={})

    def merge_listings(self, listings, now: datetime | None = None):
        return [self.merge_listing(listing, now) for listing in listings]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def blank(pid: str) -> dict:
    return {"tags": [], "status": "unread", "note": ""}


class StoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.path = self.folder / "lib" / "library.json"
        self.clock = Clock()
        module = types.ModuleType("readinglist.listings.merge")
        module.Catalogue = Catalogue  # type: ignore[attr-defined]
        self.saved_module = sys.modules.get("readinglist.listings.merge")
        sys.modules["readinglist.listings.merge"] = module
        # A small journal: compactions come every few edits, between appends.
        self.saved_limit = store_module.JOURNAL_MIN_LIMIT
        store_module.JOURNAL_MIN_LIMIT = 1024
        self.store = Store(self.path, clock=self.clock, backup_interval=timedelta(seconds=5))
        # Another process's store, open all along: it reads what the first appends
        # incrementally, and the first reads what it appends.
        self.other = Store(self.path, clock=self.clock, backup_interval=None)
        self.papers: list[str] = []
        self.user: dict[str, dict] = {}
        self.queue: list[str] = []
        self.undo: tuple[str, UserData, list[str]] | None = None

    def teardown(self) -> None:
        store_module.JOURNAL_MIN_LIMIT = self.saved_limit
        if self.saved_module is None:
            sys.modules.pop("readinglist.listings.merge", None)
        else:
            sys.modules["readinglist.listings.merge"] = self.saved_module
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers

    def edit(self, pid: str, call, change) -> None:
        """Make a store call; the model changes the same way, or expects StoreError."""
        if pid not in self.papers:
            try:
                call()
            except StoreError:
                return
            raise AssertionError(f"an edit of unknown paper {pid} was accepted")
        self.undo = (pid, self.store.user(pid), self.store.queue())
        call()
        change(self.user.setdefault(pid, blank(pid)))

    # -- rules

    @rule(new=st.lists(ids, min_size=1, max_size=3))
    def import_listing(self, new: list[str]) -> None:
        source = Source("gen.txt", 1, "compact")
        listing = ParsedListing("gen.txt", "compact", [ParsedPaper(source, title=pid) for pid in new])
        self.store.import_listing(listing)
        self.papers += [pid for pid in dict.fromkeys(new) if pid not in self.papers]

    @rule(pid=ids, wanted=tags, remove=st.booleans())
    def tag(self, pid: str, wanted: list[str], remove: bool) -> None:
        def change(user: dict) -> None:
            if remove:
                gone = {t.casefold() for t in normalize_tags(wanted)}
                user["tags"] = [t for t in user["tags"] if t.casefold() not in gone]
            else:
                user["tags"] = normalize_tags([*user["tags"], *wanted])

        call = self.store.remove_tags if remove else self.store.add_tags
        self.edit(pid, lambda: call(pid, wanted), change)

    @rule(pid=ids, wanted=tags)
    def tag_from_another_process(self, pid: str, wanted: list[str]) -> None:
        def change(user: dict) -> None:
            user["tags"] = normalize_tags([*user["tags"], *wanted])

        self.edit(pid, lambda: self.other.add_tags(pid, wanted), change)

    @rule(pid=ids, status=statuses)
    def set_status(self, pid: str, status: str) -> None:
        def change(user: dict) -> None:
            user["status"] = status
            if status == "read" and pid in self.queue:
                self.queue.remove(pid)

        self.edit(pid, lambda: self.store.set_status(pid, status), change)

    @rule(pid=ids, text=notes, append=st.booleans())
    def note(self, pid: str, text: str, append: bool) -> None:
        def change(user: dict) -> None:
            user["note"] = _join_notes(user["note"], text) if append else text

        call = self.store.append_note if append else self.store.set_note
        self.edit(pid, lambda: call(pid, text), change)

    @rule(pid=ids, position=st.none() | positions)
    def queue_add(self, pid: str, position: int | None) -> None:
        def change(_user: dict) -> None:
            if pid not in self.queue:
                at = len(self.queue) if position is None else max(0, min(position, len(self.queue)))
                self.queue.insert(at, pid)

        self.edit(pid, lambda: self.store.queue_add(pid, position), change)

    @rule(pid=ids)
    def queue_remove(self, pid: str) -> None:
        self.edit(pid, lambda: self.store.queue_remove(pid),
                  lambda _u: self.queue.remove(pid) if pid in self.queue else None)

    @rule(pid=ids, to=positions)
    def queue_move(self, pid: str, to: int) -> None:
        if pid in self.papers and pid not in self.queue:
            try:
                self.store.queue_move(pid, to)
            except StoreError:
                return
            raise AssertionError("moved a paper that is not queued")

        def change(_user: dict) -> None:
            self.queue.remove(pid)
            self.queue.insert(max(0, min(to, len(self.queue))), pid)

        self.edit(pid, lambda: self.store.queue_move(pid, to), change)

    @rule()
    def restore_last(self) -> None:
        """Undo: put back the paper's user data and the queue from before the last edit."""
        if self.undo is None:
            return
        pid, user, queue = self.undo
        self.store.restore(pid, user, queue)
        self.user[pid] = {"tags": normalize_tags(user.tags), "status": user.status, "note": user.note}
        self.queue = [p for p in dict.fromkeys(queue) if p in self.papers]
        self.undo = None

    @rule()
    def reopen(self) -> None:
        self.store = Store(self.path, clock=self.clock, backup_interval=timedelta(seconds=5))

    @rule(pid=ids, text=notes, call=st.sampled_from(["write", "fsync", "replace"]))
    def failed_save(self, pid: str, text: str, call: str) -> None:
        """A save that fails changes nothing; the same call again saves."""
        if pid not in self.papers or self.user.get(pid, blank(pid))["note"] == text:
            return
        def library_files() -> dict[str, bytes]:
            return {p.name: p.read_bytes() for p in self.path.parent.iterdir()
                    if p.name.endswith((".json", ".journal"))}

        before = library_files()
        real = getattr(os, call)

        def failing(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        setattr(os, call, failing)
        try:
            self.store.set_note(pid, text)
        except StoreError as error:
            assert "No space left on device" in str(error)
        else:
            # Only a save that replaces no file (a line appended to the journal)
            # gets past a failing os.replace.
            assert call == "replace" and library_files()[self.store.user_path.name] == \
                before[self.store.user_path.name], "the save did not fail"
            self.user.setdefault(pid, blank(pid))["note"] = text
            self.check(self.store)
            return
        finally:
            setattr(os, call, real)
        assert library_files() == before
        self.check(self.store)
        self.note(pid, text, False)  # the retry

    # -- the comparison

    def check(self, store: Store) -> None:
        assert sorted(p.id for p in store.papers()) == sorted(self.papers)
        shown = {pid: {"tags": u.tags, "status": u.status, "note": u.note}
                 for pid, u in store.all_user().items()}
        expected = {pid: u for pid, u in self.user.items() if u != blank(pid)}
        assert {pid: u for pid, u in shown.items() if u != blank(pid)} == expected
        assert store.queue() == self.queue

    @invariant()
    def matches_the_model(self) -> None:
        self.check(self.store)
        self.check(self.other)
        self.check(Store(self.path, backup_interval=None))
        assert not [p for p in self.path.parent.glob(".*.tmp")] if self.path.parent.exists() else True


StoreMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStoreMachine = StoreMachine.TestCase
