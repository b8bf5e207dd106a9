"""The records' dict form: every field, in field order, nothing shared.

``to_dict`` is written out by hand (``dataclasses.asdict`` cost seconds at
100,000 papers), so these tests hold it to what ``asdict`` gives: a field added
to a record and forgotten in its ``to_dict`` fails here.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readinglist.models import Author, Paper, Profile, Source, UserData

texts = st.text(max_size=12)
maybe_texts = st.none() | texts
maybe_ints = st.none() | st.integers(-5, 10_000)
sources = st.builds(Source, file=texts, line=st.integers(1, 10_000), format=texts)
profiles = st.builds(Profile, category=maybe_texts, h_index=maybe_ints, papers=maybe_ints,
                     citations=maybe_ints, novelty=maybe_ints, ai_score=maybe_ints,
                     listed=maybe_ints, source=maybe_texts)
papers = st.builds(
    Paper, id=texts, title=texts, authors=st.lists(texts, max_size=4),
    author_ids=st.lists(texts, max_size=4), et_al=st.booleans(), affiliation=maybe_texts,
    category=maybe_texts, date=maybe_texts, date_text=maybe_texts, has_code=st.booleans(),
    score=st.none() | st.floats(0, 10), abstract=maybe_texts,
    abstract_versions=st.lists(texts, min_size=2, max_size=3),
    sources=st.lists(sources, max_size=3), needs_review=st.booleans(), added=maybe_texts)
authors = st.builds(Author, id=texts, name=texts, aliases=st.lists(texts, max_size=3),
                    paper_ids=st.lists(texts, max_size=3), profile=st.none() | profiles)
users = st.builds(UserData, paper_id=texts, tags=st.lists(texts, max_size=3),
                  status=st.sampled_from(["unread", "reading", "read"]),
                  status_since=st.dictionaries(texts, texts, max_size=2), note=texts,
                  updated=maybe_texts)
records = st.one_of(sources, profiles, papers, authors, users)


@given(records)
def test_to_dict_is_asdict(record) -> None:
    data = record.to_dict()
    assert data == dataclasses.asdict(record)
    assert list(data) == [f.name for f in dataclasses.fields(record)]


@given(records)
def test_from_dict_gives_the_record_back(record) -> None:
    assert type(record).from_dict(record.to_dict()) == record


@pytest.mark.parametrize("record, lists", [
    (Paper("p", "T", authors=["A"], author_ids=["a"], abstract_versions=["x", "y"],
           sources=[Source("f", 1, "compact")]), ("authors", "author_ids", "abstract_versions",
                                                  "sources")),
    (Author("a", "A", aliases=["B"], paper_ids=["p"]), ("aliases", "paper_ids")),
    (UserData("p", tags=["t"], status_since={"read": "now"}), ("tags", "status_since")),
])
def test_to_dict_shares_no_list_with_the_record(record, lists) -> None:
    """A document is a copy: the store keeps documents next to the objects, and
    a change to one must not show in the other."""
    data = record.to_dict()
    for name in lists:
        assert data[name] == dataclasses.asdict(record)[name]
        assert data[name] is not getattr(record, name)
