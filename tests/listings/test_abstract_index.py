"""The abstract-word index behind abstract matching (``merge._AbstractIndex``):
packed postings, and a ranking that is the plain one (every vote added one at
a time in a dict, the top cut by ``heapq``, ties by paper id), only faster."""

from __future__ import annotations

import heapq
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.listings import merge
from array import array

from readinglist.listings.merge import (
    _AbstractIndex,
    _first_by_id,
    _id_key,
    _top_numbers,
    abstract_tokens,
)

WORDS = [f"w{letter}{n}" for letter in "abcdefgh" for n in range(3)]  # 24 words

abstracts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
# Paper ids alike in their first 8 bytes (compared whole at a cut), and not ASCII.
PAPER_IDS = ["p", "q", "r", "s", "t", "same-prefix-a", "same-prefix-b", "same-prefiy",
             "same-pre", "\u00e9", "\u00e9a", "f", "z\u00e9"]
adds = st.lists(st.tuples(st.sampled_from(PAPER_IDS), abstracts), min_size=1, max_size=40)


def build(pairs: list[tuple[str, str]]) -> _AbstractIndex:
    index = _AbstractIndex()
    for paper_id, abstract in pairs:
        index.add(paper_id, abstract)
    return index


@settings(max_examples=200, deadline=None)
@given(adds)
def test_postings_are_each_papers_number_once_in_ascending_order(pairs):
    index = build(pairs)
    having: dict[str, set[int]] = defaultdict(set)
    for paper_id, versions in index.versions.items():
        number = index._number[paper_id]
        for version in versions:
            for token in version:
                having[token].add(number)
    assert {t: list(p) for t, p in index.postings.items() if p} == {
        t: sorted(numbers) for t, numbers in having.items()}
    # first versions number the papers in the order they came
    firsts = list(dict.fromkeys(pid for pid, _ in pairs))
    assert index._ids == firsts


def test_a_later_version_of_an_early_paper_keeps_the_postings_ascending():
    index = build([("a", "wa0 wb0"), ("b", "wa0 wc0"), ("c", "wc0")])
    index.add("a", "wa0 wc0 wd0")  # a is paper 0: it goes first, not last
    assert list(index.postings["wc0"]) == [0, 1, 2]
    assert list(index.postings["wa0"]) == [0, 1]  # already there: not twice
    assert list(index.postings["wd0"]) == [0]


def reference_ranked(index: _AbstractIndex, query: frozenset[str],
                     exclude: set[str]) -> list[tuple[float, str]]:
    """The ranking with sets and dicts, as it was written before the packed
    postings (the oracle: same votes, same order of adding them, same cuts)."""
    postings = {t: set(p) for t, p in index.postings.items()}
    weight = index.weigher()
    ids = index._ids
    common = max(3, len(index.versions) // 4)
    voting = sorted((len(found), t) for t in query
                    if (found := postings.get(t)) and len(found) <= common)[:merge.VOTING_WORDS]
    votes: dict[int, float] = defaultdict(float)
    spent = done = 0
    for frequency, token in voting:
        spent += frequency
        if spent > merge.VOTE_BUDGET and votes:
            break
        w = weight(token)
        for number in postings[token]:
            votes[number] += w
        done += 1
    for number in index.numbers(exclude):
        votes.pop(number, None)

    def top(scores: dict[int, float], count: int) -> list[int]:
        if len(scores) <= count:
            return list(scores)
        cut = heapq.nlargest(count, scores.values())[-1]
        chosen = [k for k, s in scores.items() if s > cut]
        tied = sorted((k for k, s in scores.items() if s == cut), key=ids.__getitem__)
        return chosen + tied[: count - len(chosen)]

    shortlist = top(votes, merge.SHORTLIST)
    if len(shortlist) > merge.CANDIDATES:
        members = set(shortlist)
        votes = {n: votes[n] for n in shortlist}
        for _, token in voting[done:]:
            w = weight(token)
            for number in members & postings[token]:
                votes[number] += w
        shortlist = top(votes, merge.CANDIDATES)
    query_sum = index.weight_sum(query)
    return sorted(((index.best_similarity(query, ids[n], query_sum), ids[n]) for n in shortlist),
                  reverse=True)


@pytest.fixture
def small_cuts(monkeypatch):
    """Cuts small enough that a few dozen papers reach every branch: the
    budget running out, the shortlist, the second vote and ties at each cut."""
    monkeypatch.setattr(merge, "VOTE_BUDGET", 6)
    monkeypatch.setattr(merge, "SHORTLIST", 5)
    monkeypatch.setattr(merge, "CANDIDATES", 2)


# the fixture only sets constants: the same for every example
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=adds, query=abstracts, exclude=st.sets(st.sampled_from(PAPER_IDS), max_size=3))
def test_ranking_is_the_plain_one(small_cuts, pairs, query, exclude):
    index = build(pairs)
    tokens = abstract_tokens(query)
    assert index.ranked(query, exclude) == reference_ranked(index, tokens, exclude)


def test_ranking_on_the_seed_sized_defaults_is_the_plain_one():
    # Many papers sharing words: ties at both cuts, with the real constants.
    pairs = [(f"p{n:03d}", " ".join(WORDS[(n * 7 + k * 5) % 24] for k in range(6)))
             for n in range(400)]
    index = build(pairs)
    for query in [" ".join(WORDS[:8]), " ".join(WORDS[10:20]), "wa0 wh2"]:
        tokens = abstract_tokens(query)
        assert index.ranked(query, set()) == reference_ranked(index, tokens, set())


@pytest.mark.parametrize(("votes", "count", "chosen"), [
    ([3.0, 1.0, 2.0], 5, {"a", "b", "c"}),             # fewer than the cut: all
    ([3.0, 1.0, 2.0], 2, {"a", "c"}),
    ([1.0, 2.0, 2.0, 2.0], 2, {"b", "c"}),             # ties: first ids
    ([2.0, 2.0, 2.0, 5.0], 3, {"d", "a", "b"}),
    ([1.0, 1.0, 1.0, 1.0], 1, {"a"}),
])
def test_the_top_cut_breaks_ties_by_paper_id(votes, count, chosen):
    # ``votes`` by name; paper numbers (the array's order, as ``np.unique``
    # leaves it) run the other way from the ids: ties must go by id
    names = "abcd"[: len(votes)]
    ids = sorted(names, reverse=True)  # number -> id
    papers = np.arange(len(names), dtype=np.intc)
    by_number = np.array([votes[names.index(paper_id)] for paper_id in ids])
    keys = array("Q", map(_id_key, ids))
    kept, kept_votes = _top_numbers(papers, by_number, count, ids, keys)
    assert {ids[n] for n in kept.tolist()} == chosen
    assert sorted(kept_votes.tolist()) == sorted(v for n, v in zip(names, votes) if n in chosen)


@pytest.mark.parametrize("few", [0, 10**9], ids=["binary-search", "walk"])
def test_flagged_abstracts_find_their_papers_whichever_way_the_postings_are_read(
        monkeypatch, few):
    """``Catalogue._near`` walks a rare word's postings and binary-searches a
    common one's: either way alone, the dump read before its papers is placed
    when they arrive, by the try after the listing (the last pass of the
    import, which ranks every flagged abstract anyway, is left out)."""
    from datetime import date, datetime, timezone
    from pathlib import Path

    from readinglist.listings import parse_file
    from readinglist.listings.merge import Catalogue

    monkeypatch.setattr(merge, "_FEW_POSTINGS", few)
    monkeypatch.setattr(Catalogue, "_place_remaining", lambda self, report_for: None)
    seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").iterdir())
    profile, dump = seeds[0], seeds[1]
    catalogue = Catalogue()
    today, now = date(2026, 11, 22), datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
    first = catalogue.merge_listing(parse_file(dump, today=today), now=now)
    assert first.flagged == 6
    calls = []
    near = Catalogue._near
    monkeypatch.setattr(Catalogue, "_near", lambda self, *a: calls.append(a) or near(self, *a))
    report = catalogue.merge_listing(parse_file(profile, today=today), now=now)
    assert calls and len(report.absorbed) == 6
    assert not any(p.needs_review for p in catalogue.papers.values())


@settings(max_examples=300, deadline=None)
# few letters: many ids alike in their first 8 bytes (and NUL, and a 2-byte letter)
@given(ids=st.lists(st.text(alphabet="a\x00\u00e9", max_size=10) | st.text(max_size=12),
                    min_size=1, max_size=30, unique=True), data=st.data())
def test_the_first_ids_are_found_by_their_keys(ids, data):
    """Any strings (NUL, accents, ids alike in their first 8 bytes or
    shorter): the ``count`` first ids, as sorting the strings finds them."""
    count = data.draw(st.integers(1, len(ids)))
    numbers = np.arange(len(ids), dtype=np.intc)
    positions = numbers[::-1].copy()  # anything: they are only carried along
    chosen = _first_by_id(positions, numbers, count, ids, array("Q", map(_id_key, ids)))
    assert sorted(ids[len(ids) - 1 - p] for p in chosen.tolist()) == sorted(ids)[:count]
