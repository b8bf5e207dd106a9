"""The query language and the ranked fuzzy search, on the seeds."""

from __future__ import annotations

import pytest

from readinglist.models import UserData
from readinglist.search import QueryError, SearchIndex, parse_query


@pytest.fixture
def index(seed_catalogue):
    cat = seed_catalogue
    by_title = {p.title: p.id for p in cat.papers.values()}
    liger = by_title["Liger Kernel: Efficient Triton Kernels for LLM Training"]
    halfhop = next(pid for t, pid in by_title.items() if t.startswith("Half-Hop"))
    user = {
        liger: UserData(liger, tags=["systems", "gpu"], status="read"),
        halfhop: UserData(halfhop, tags=["graphs"], note="Compare with **rewiring** papers."),
    }
    return SearchIndex(cat.papers.values(), cat.authors, user, queue=[halfhop])


def titles(index, query, n=None):
    return [index.papers[h.paper_id].title for h in index.search(query)][:n]


@pytest.mark.parametrize(
    ("text", "terms", "filters"),
    [
        ("neural collapse", ["neural", "collapse"], []),
        ("tag:theory status:unread", [], [("tag", "theory"), ("status", "unread")]),
        ('author:"van der" cat:LG', [], [("author", "van der"), ("category", "LG")]),
        ("year:>=2024 code:yes kernel", ["kernel"], [("year", ">=2024"), ("code", "yes")]),
        ("tag:", [], []),  # half typed
        ('"unbalanced quote', ["unbalanced", "quote"], []),
        ("Pass@k", ["pass", "k"], []),
    ],
)
def test_parse_query(text, terms, filters):
    query = parse_query(text)
    assert (query.terms, query.filters) == (terms, filters)


@pytest.mark.parametrize("text", ["status:maybe", "code:perhaps", "year:recent", "year:>=24"])
def test_bad_filters_raise_query_error(text):
    with pytest.raises(QueryError):
        parse_query(text)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("liger kernel", "Liger Kernel"),
        ("liger kernal", "Liger Kernel"),  # typo
        ("lige", "Liger Kernel"),  # unfinished word
        ("heavy tails spectral", "From Spikes to Heavy Tails"),
        ("schur complement", "Randomized Schur Complement"),
        ("rewiring", "Half-Hop"),  # note text
        ("gpu", "Liger Kernel"),  # tag
        ("thrampoulidis imbalance", "Imbalance Trouble"),
    ],
)
def test_best_match_first(index, query, first):
    assert titles(index, query, 1)[0].startswith(first)


def test_all_words_must_match(index):
    assert titles(index, "liger xylophone") == []


def test_filters(index):
    assert len(titles(index, "author:kothapalli")) == 13  # incl. two behind "et al."
    assert len(titles(index, "author:kini")) == 3  # both spellings are one person
    assert titles(index, "tag:GPU") == ["Liger Kernel: Efficient Triton Kernels for LLM Training"]
    assert titles(index, "status:read") == ["Liger Kernel: Efficient Triton Kernels for LLM Training"]
    assert len(titles(index, "status:unread")) == 56
    assert titles(index, "queue:yes")[0].startswith("Half-Hop")
    assert all(index.papers[h.paper_id].has_code for h in index.search("code:yes"))
    assert len(titles(index, "code:yes")) == 6
    years = [index.papers[h.paper_id].year for h in index.search("year:2020..2021")]
    assert years and all(2020 <= y <= 2021 for y in years)
    assert all(index.papers[h.paper_id].category == "CL" for h in index.search("cat:cl"))


def test_filters_and_words_combine(index):
    found = titles(index, "neural collapse author:kothapalli year:>=2023")
    assert found and all("Kothapalli" in " ".join(index.papers[h.paper_id].authors)
                         for h in index.search("neural collapse author:kothapalli year:>=2023"))
    assert "Neural Collapse: A Review on Modelling Principles and Generalization" not in found  # 2022


def test_empty_query_lists_everything_newest_first(index):
    hits = index.search("")
    assert len(hits) == 57
    dates = [index.papers[h.paper_id].date for h in hits]
    assert dates == sorted(dates, reverse=True)


def test_update_user_reindexes_tags_and_notes(index):
    pid = next(p.id for p in index.papers.values() if p.title.startswith("MossNet"))
    assert titles(index, "zebrafish") == []
    index.update_user(pid, UserData(pid, tags=["zebrafish"]))
    assert titles(index, "zebrafish")[0].startswith("MossNet")
    assert titles(index, "tag:zebrafish")[0].startswith("MossNet")
    index.update_user(pid, UserData(pid))
    assert titles(index, "zebrafish") == []


def test_time_filters_with_an_injected_clock(seed_catalogue):
    from datetime import datetime, timezone

    papers = list(seed_catalogue.papers.values())
    # seed_catalogue was imported on 2026-11-22; pretend some papers came earlier
    import dataclasses

    old = [dataclasses.replace(p, added="2026-01-05T10:00:00+00:00") for p in papers[:5]]
    rest = papers[5:]
    a, b = rest[0].id, rest[1].id
    user = {
        a: UserData(a, status="read", status_since={"reading": "2026-11-01T09:00:00+00:00",
                                                   "read": "2026-11-20T09:00:00+00:00"}),
        b: UserData(b, status="reading", status_since={"reading": "2025-06-01T09:00:00+00:00"}),
    }
    index = SearchIndex(old + rest, seed_catalogue.authors, user,
                        now=lambda: datetime(2026, 11, 25, tzinfo=timezone.utc))
    ids = lambda q: {h.paper_id for h in index.search(q)}  # noqa: E731
    assert ids("added:<7d") == {p.id for p in rest}
    assert ids("added:>30d") == {p.id for p in old}
    assert ids("added:2026-01-05") == {p.id for p in old}
    assert ids("added:>=2026-11-01") == {p.id for p in rest}
    assert ids("read:<1w") == {a}
    assert ids("finished:>1w") == set()
    assert ids("started:>1y") == {b}
    assert ids("started:<1m") == {a}
    with pytest.raises(QueryError, match="added:soon"):
        index.search("added:soon")
