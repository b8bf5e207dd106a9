"""The Store's reads and user writes: round trips, tags, status, queue, notes, ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readinglist import backup
from readinglist.models import Author, Paper, ParsedListing, Profile, Source, UserData
from readinglist.store import USER_TABLES, Store, StoreError, normalize_tags

FULL_PAPER = Paper(
    id="p1",
    title="A [bold] title with \u00fcml\u00e4uts",
    authors=["Ada Lovelace", "Alan Turing"],
    author_ids=["a1", "a2", "owner"],
    et_al=True,
    affiliation="Analytical Engines Ltd",
    category="cs.LG",
    date="2023-07-04",
    date_text="Jul 4, 2023",
    has_code=True,
    score=8.5,
    abstract="Second version.",
    abstract_versions=["First version.", "Second version."],
    sources=[Source("a.txt", 3, "profile"), Source("b.txt", 10, "abstracts")],
    needs_review=True,
    added="2024-01-01T00:00:00+00:00",
)
FULL_AUTHOR = Author(
    id="a1",
    name="Ada King Lovelace",
    aliases=["Ada Lovelace", "A. Lovelace"],
    paper_ids=["p1"],
    profile=Profile("cs.LG", 12, 40, 900, 37, 5, 13, "profile.txt"),
)


def file_id(path: Path) -> tuple[int, int, int]:
    st_ = path.stat()
    return st_.st_ino, st_.st_mtime_ns, st_.st_size


@pytest.fixture
def library(store: Store, seed) -> Store:
    seed(store, ["p1", "p2", "p3", "p4"], [Author("a1", "Ada")])
    return store


# -- round trips -----------------------------------------------------------------


def test_every_model_survives_a_round_trip_and_a_reopen(store: Store, open_store, seed) -> None:
    bare = Paper(id="p2", title="Bare")
    seed(store, [FULL_PAPER, bare], [FULL_AUTHOR, Author("a2", "Alan")])
    store.set_tags("p1", ["b", "a"])
    store.set_status("p1", "reading")
    store.set_note("p1", "line one\nline two \u2603")
    store.queue_add("p2")
    store.queue_add("p1")
    expected_user = store.user("p1")
    assert expected_user.tags == ["b", "a"] and expected_user.status == "reading"
    assert list(expected_user.status_since) == ["reading"] and expected_user.updated

    for seen in (store, open_store()):
        assert seen.papers() == [FULL_PAPER, bare]
        assert seen.paper("p1") == FULL_PAPER
        assert seen.authors() == [FULL_AUTHOR, Author("a2", "Alan")]
        assert seen.author("a1") == FULL_AUTHOR
        assert seen.user("p1") == expected_user
        assert seen.all_user() == {"p1": expected_user}
        assert seen.user("p2") == UserData("p2")
        assert seen.queue() == ["p2", "p1"]
        assert seen.tags() == {"a": 1, "b": 1}
        assert not seen.is_empty()


def test_returned_user_data_and_lists_are_copies(library: Store) -> None:
    library.add_tags("p1", ["x"])
    library.queue_add("p1")
    library.user("p1").tags.append("sneaky")
    library.all_user()["p1"].status_since["read"] = "never"
    library.queue().append("p2")
    assert library.user("p1").tags == ["x"] and library.user("p1").status_since == {}
    assert library.queue() == ["p1"]


# -- what a user edit writes -------------------------------------------------------


def test_a_user_edit_rewrites_only_the_user_file(library: Store, db_path: Path) -> None:
    catalogue = file_id(db_path)
    library.add_tags("p1", ["x"])
    library.set_status("p2", "read")
    library.queue_add("p3")
    library.set_note("p4", "n")
    assert file_id(db_path) == catalogue
    assert "x" in library.user_path.read_text()


NO_OPS = {
    "add a tag it has": lambda s: s.add_tags("p1", ["TAG "]),
    "remove a tag it lacks": lambda s: s.remove_tags("p1", ["other"]),
    "set the same tags": lambda s: s.set_tags("p1", ["tag"]),
    "same status": lambda s: s.set_status("p1", "reading"),
    "queue a queued paper": lambda s: s.queue_add("p1", 0),
    "unqueue an unqueued paper": lambda s: s.queue_remove("p2"),
    "move to where it is": lambda s: s.queue_move("p1", 5),
    "shift past the end": lambda s: s.queue_shift("p1", 3),
    "same note": lambda s: s.set_note("p1", "note"),
    "append nothing": lambda s: s.append_note("p1", ""),
    "restore the current state": lambda s: s.restore("p1", s.user("p1"), s.queue()),
}


@pytest.mark.parametrize("change", NO_OPS.values(), ids=NO_OPS.keys())
def test_a_change_that_changes_nothing_writes_nothing(library: Store, change) -> None:
    library.set_tags("p1", ["tag"])
    library.set_status("p1", "reading")
    library.set_note("p1", "note")
    library.queue_add("p1")
    before = file_id(library.user_path)
    change(library)
    assert file_id(library.user_path) == before


WRITES = {
    "set_tags": lambda s, pid: s.set_tags(pid, ["x"]),
    "add_tags": lambda s, pid: s.add_tags(pid, ["x"]),
    "remove_tags": lambda s, pid: s.remove_tags(pid, ["x"]),
    "set_status": lambda s, pid: s.set_status(pid, "read"),
    "set_note": lambda s, pid: s.set_note(pid, "x"),
    "append_note": lambda s, pid: s.append_note(pid, "x"),
    "queue_add": lambda s, pid: s.queue_add(pid),
    "queue_remove": lambda s, pid: s.queue_remove(pid),
    "queue_move": lambda s, pid: s.queue_move(pid, 0),
    "queue_shift": lambda s, pid: s.queue_shift(pid, 1),
    "restore": lambda s, pid: s.restore(pid, UserData(pid, tags=["x"]), []),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_refuses_an_unknown_paper(library: Store, write) -> None:
    with pytest.raises(StoreError, match="no paper with id 'nope'"):
        write(library, "nope")
    assert not library.user_path.exists()


def test_every_user_write_stamps_updated(library: Store, clock) -> None:
    library.add_tags("p1", ["x"])
    first = library.user("p1").updated
    library.set_note("p1", "n")
    assert first is not None and library.user("p1").updated > first
    assert library.user("p1").updated == clock.now.isoformat()


def test_user_data_that_becomes_blank_is_removed(library: Store) -> None:
    library.add_tags("p1", ["x"])
    library.remove_tags("p1", ["X"])
    assert library.all_user() == {}
    # Stored as the store reads it back (the user file with its journal applied): no blank document.
    stored = backup.read_checked(library.user_path, USER_TABLES)
    assert '"p1"' not in json.dumps(stored)


# -- tags ----------------------------------------------------------------------------

TAG_CASES = [
    (["ml"], ["ml"]),
    (["  deep   learning\t"], ["deep learning"]),
    (["", "   ", "\n"], []),
    (["ML", "ml", "Ml"], ["ML"]),
    (["b", "a", "b"], ["b", "a"]),
    (["Stra\u00dfe", "STRASSE"], ["Stra\u00dfe"]),
    (["to read", "to  read", "To Read"], ["to read"]),
]


@pytest.mark.parametrize("given_tags, expected", TAG_CASES)
def test_tags_are_normalised(library: Store, given_tags: list[str], expected: list[str]) -> None:
    library.set_tags("p1", given_tags)
    assert library.user("p1").tags == expected


@given(st.lists(st.text(max_size=8), max_size=8))
def test_normalising_tags_is_idempotent_and_leaves_no_duplicates(tags: list[str]) -> None:
    once = normalize_tags(tags)
    assert normalize_tags(once) == once
    assert len({t.casefold() for t in once}) == len(once)
    assert all(t and t == " ".join(t.split()) for t in once)


def test_add_and_remove_tags_ignore_case_and_keep_order(library: Store) -> None:
    library.add_tags("p1", ["ML", "nlp"])
    library.add_tags("p1", ["ml", "Vision", " nlp "])
    assert library.user("p1").tags == ["ML", "nlp", "Vision"]
    library.remove_tags("p1", ["vision", " ml"])
    assert library.user("p1").tags == ["nlp"]
    library.add_tags("p2", ["nlp"])
    assert library.tags() == {"nlp": 2}


# -- status, notes ---------------------------------------------------------------------


def test_status_changes_record_when(library: Store, clock) -> None:
    library.set_status("p1", "reading")
    reading_since = clock.now.isoformat()
    library.set_status("p1", "read")
    user = library.user("p1")
    assert user.status == "read"
    assert user.status_since == {"reading": reading_since, "read": clock.now.isoformat()}


def test_marking_read_takes_the_paper_off_the_queue(library: Store) -> None:
    for pid in ("p1", "p2", "p3"):
        library.queue_add(pid)
    library.set_status("p2", "read")
    assert library.queue() == ["p1", "p3"]
    assert library.user("p2").status == "read"


def test_an_unknown_status_is_refused(library: Store) -> None:
    with pytest.raises(StoreError, match="unknown status 'done'; use one of unread, reading, read"):
        library.set_status("p1", "done")


@pytest.mark.parametrize(
    "before, appended, after",
    [("", "first", "first"), ("first", "second", "first\n\nsecond"),
     ("first\n\n\n", "second", "first\n\nsecond"), ("  \n", "second", "second")],
)
def test_append_note_joins_with_a_blank_line(library: Store, before: str, appended: str, after: str) -> None:
    library.set_note("p1", before)
    library.append_note("p1", appended)
    assert library.user("p1").note == after


# -- the queue ---------------------------------------------------------------------

QUEUE_CASES = [
    # (operation, expected queue), starting from ["p1", "p2", "p3"]
    (lambda s: s.queue_add("p4"), ["p1", "p2", "p3", "p4"]),
    (lambda s: s.queue_add("p4", 0), ["p4", "p1", "p2", "p3"]),
    (lambda s: s.queue_add("p4", 1), ["p1", "p4", "p2", "p3"]),
    (lambda s: s.queue_add("p4", 99), ["p1", "p2", "p3", "p4"]),
    (lambda s: s.queue_add("p4", -5), ["p4", "p1", "p2", "p3"]),
    (lambda s: s.queue_add("p2", 0), ["p1", "p2", "p3"]),
    (lambda s: s.queue_remove("p2"), ["p1", "p3"]),
    (lambda s: s.queue_remove("p4"), ["p1", "p2", "p3"]),
    (lambda s: s.queue_move("p3", 0), ["p3", "p1", "p2"]),
    (lambda s: s.queue_move("p1", 1), ["p2", "p1", "p3"]),
    (lambda s: s.queue_move("p1", 99), ["p2", "p3", "p1"]),
    (lambda s: s.queue_move("p2", -1), ["p2", "p1", "p3"]),
    (lambda s: s.queue_shift("p2", -1), ["p2", "p1", "p3"]),
    (lambda s: s.queue_shift("p2", 1), ["p1", "p3", "p2"]),
    (lambda s: s.queue_shift("p1", -3), ["p1", "p2", "p3"]),
    (lambda s: s.queue_shift("p1", 7), ["p2", "p3", "p1"]),
]


@pytest.mark.parametrize("operation, expected", QUEUE_CASES)
def test_queue_operations(library: Store, open_store, operation, expected: list[str]) -> None:
    for pid in ("p1", "p2", "p3"):
        library.queue_add(pid)
    operation(library)
    assert library.queue() == expected
    assert open_store().queue() == expected


@pytest.mark.parametrize("move", [lambda s: s.queue_move("p4", 0), lambda s: s.queue_shift("p4", 1)])
def test_moving_an_unqueued_paper_is_refused(library: Store, move) -> None:
    library.queue_add("p1")
    with pytest.raises(StoreError, match="paper 'p4' is not in the queue"):
        move(library)


def test_restore_puts_back_user_data_and_queue(library: Store) -> None:
    library.add_tags("p1", ["keep"])
    library.queue_add("p2")
    saved_user, saved_queue = library.user("p1"), library.queue()

    library.set_status("p1", "read")
    library.add_tags("p1", ["oops"])
    library.queue_add("p1")
    library.queue_remove("p2")

    library.restore("p1", saved_user, saved_queue)
    restored = library.user("p1")
    assert (restored.tags, restored.status, restored.status_since) == (["keep"], "unread", {})
    assert library.queue() == ["p2"]


# -- ids -------------------------------------------------------------------------------


@pytest.fixture
def prefixed(store: Store, seed, install_merge) -> Store:
    seed(store, ["abc123", "abd456", "xyz789", "xy"])

    def absorb(catalogue, listing):
        del catalogue.papers["xyz789"]
        catalogue.redirects["old1"] = "xyz789x"  # a chain: old1 -> xyz789x -> abc123
        catalogue.redirects["xyz789x"] = "abc123"
        return {"xyz789": "abd456"}

    install_merge(absorb)
    store.import_listing(ParsedListing("l", "compact", []))
    return store


@pytest.mark.parametrize(
    "typed, resolved",
    [("abc123", "abc123"), ("abc", "abc123"), ("abd", "abd456"), (" abd4 ", "abd456"),
     ("xy", "xy"), ("xyz789", "abd456"), ("old1", "abc123")],
)
def test_resolve_finds_ids_prefixes_and_redirects(prefixed: Store, typed: str, resolved: str) -> None:
    assert prefixed.resolve(typed) == resolved


@pytest.mark.parametrize(
    "typed, message",
    [("ab", r"'ab' is ambiguous: 2 paper ids start with it \(abc123, abd456\)"),
     ("q", "no paper with id or id prefix 'q'"),
     ("", "no paper id given")],
)
def test_resolve_explains_what_it_cannot_resolve(prefixed: Store, typed: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        prefixed.resolve(typed)


def test_paper_and_author_follow_redirects_or_refuse(prefixed: Store) -> None:
    assert prefixed.paper("xyz789").id == "abd456"
    with pytest.raises(StoreError, match="no paper with id 'abc'"):
        prefixed.paper("abc")  # prefixes are for resolve() only
    with pytest.raises(StoreError, match="no author with id 'a9'"):
        prefixed.author("a9")


# -- two stores on one library ------------------------------------------------------------


def test_a_change_by_another_store_is_seen(library: Store, open_store) -> None:
    other = open_store()
    revision = library.revision()
    assert library.refresh() is False

    other.add_tags("p1", ["from-cli"])
    other.queue_add("p2")

    assert library.revision() != revision
    assert library.refresh() is True
    assert library.refresh() is False
    assert library.user("p1").tags == ["from-cli"] and library.queue() == ["p2"]
    # Reads pick changes up by themselves; refresh() still reports them once.
    other.set_note("p1", "hi")
    assert library.user("p1").note == "hi"
    assert library.refresh() is True
    assert library.refresh() is False


def test_our_own_writes_do_not_count_as_changes_from_elsewhere(library: Store, seed) -> None:
    library.add_tags("p1", ["x"])
    library.queue_add("p1")
    seed(library, ["p9"])
    assert library.refresh() is False
    assert library.user("p1").tags == ["x"] and library.paper("p9").id == "p9"


def test_revision_changes_with_our_own_writes_too(library: Store) -> None:
    revision = library.revision()
    library.add_tags("p1", ["x"])
    assert library.revision() != revision
    assert library.revision() == library.revision()


def test_close_is_optional_and_harmless(library: Store, open_store) -> None:
    library.add_tags("p1", ["x"])
    library.close()
    assert library.user("p1").tags == ["x"]
    assert open_store().user("p1").tags == ["x"]


def test_queue_remembers_when_each_paper_joined(tmp_path):
    from datetime import datetime, timedelta, timezone

    from readinglist.library import Library
    from readinglist.store import Store

    moments = iter(datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(days=d) for d in range(100))
    store = Store(tmp_path / "library.json", clock=lambda: next(moments))
    Library(store).import_paths(None)
    a, b, c = (p.id for p in store.papers()[:3])
    store.queue_add(a)
    store.queue_add(b)
    first = store.queued_since()
    assert set(first) == {a, b} and first[a] < first[b]
    store.queue_move(b, 0)  # moving keeps the time it joined
    store.queue_add(c)
    assert store.queued_since()[b] == first[b]
    store.set_status(a, "read")  # leaves the queue, and its time with it
    assert a not in store.queued_since() and a not in store.queue()
    reopened = Store(tmp_path / "library.json")
    assert reopened.queued_since() == store.queued_since()


def test_keep_read_in_queue(tmp_path):
    from readinglist.library import Library
    from readinglist.store import Store

    store = Store(tmp_path / "library.json", keep_read_in_queue=True)
    Library(store).import_paths(None)
    pid = store.papers()[0].id
    store.queue_add(pid)
    store.set_status(pid, "read")
    assert store.queue() == [pid] and store.user(pid).status == "read"
