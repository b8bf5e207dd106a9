"""The merge's lookup indexes give what a scan of everything would give.

Merging a listing must cost what the listing holds, not what the library holds,
so the Catalogue looks people, authors' paper lists and redirects up through
indexes it keeps up to date. These tests hold each against the plain scan it
replaces.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist import names as namelib
from readinglist.listings import parse_file
from readinglist.listings.merge import Catalogue
from readinglist.models import ParsedListing, ParsedPaper, Source

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


class ScanningCatalogue(Catalogue):
    """A new spelling is compared with every author of the same family name."""

    def _could_be(self, name: str) -> list[str]:
        family = namelib.split_name(name).family
        return [aid for aid, author in self.authors.items()
                if namelib.split_name(author.name).family == family]


GIVEN = ["Ganesh", "Gary", "G.", "Jun-Kun", "Jun", "J.", "J.-K.", "Ana", "A."]
MIDDLE = ["", "R.", "Ramachandra", "Kumar", "K."]
FAMILY = ["Kini", "Wang", "van der Berg", "Kiniry"]
names = st.builds(
    lambda g, m, f: " ".join(p for p in (g, m, f) if p),
    st.sampled_from(GIVEN), st.sampled_from(MIDDLE), st.sampled_from(FAMILY),
) | st.sampled_from(FAMILY)


@settings(max_examples=300, deadline=None)
@given(st.lists(names, max_size=25))
def test_people_are_found_as_a_scan_of_every_author_finds_them(spellings):
    indexed, scanning = Catalogue(), ScanningCatalogue()
    assert [indexed.person(n) for n in spellings] == [scanning.person(n) for n in spellings]
    assert {a.id: (a.name, a.aliases) for a in indexed.authors.values()} == {
        a.id: (a.name, a.aliases) for a in scanning.authors.values()}


def _listing(name: str, papers: list[tuple[str, str, list[str]]]) -> ParsedListing:
    records = [
        ParsedPaper(source=Source(name, line, "compact"), title=title, authors=authors,
                    date=when, date_text=when)
        for line, (title, when, authors) in enumerate(papers, start=1)
    ]
    return ParsedListing(name, "compact", records)


papers = st.tuples(
    st.sampled_from([f"Paper {i}" for i in range(12)]),
    st.sampled_from(["2024-01-02", "2024-01-02", "2025-03-04", "2023-07-08"]),
    st.lists(st.sampled_from(["Ann Lee", "Bo Chen", "Cy Young", "Ann B. Lee"]),
             min_size=1, max_size=3, unique=True),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(papers, max_size=6), max_size=6))
def test_authors_paper_lists_are_a_full_rebuild(listings):
    catalogue = Catalogue()
    for number, listing in enumerate(listings):
        catalogue.merge_listing(_listing(f"l{number}.txt", listing), NOW)
        order = sorted(catalogue.papers.values(), key=lambda p: (p.date or "", p.id), reverse=True)
        for author in catalogue.authors.values():
            assert author.paper_ids == [p.id for p in order if author.id in p.author_ids]


def test_a_reloaded_catalogue_keeps_its_paper_lists_when_merging_again():
    catalogue = Catalogue()
    for path in sorted(SEEDS.iterdir()):
        catalogue.merge_listing(parse_file(path, today=date(2026, 11, 22)), NOW)
    reloaded = Catalogue.from_records([p.to_dict() for p in catalogue.papers.values()],
                                      [a.to_dict() for a in catalogue.authors.values()])
    for path in sorted(SEEDS.iterdir()):
        reloaded.merge_listing(parse_file(path, today=date(2026, 11, 22)), NOW)
    assert {a.id: a.paper_ids for a in reloaded.authors.values()} == {
        a.id: a.paper_ids for a in catalogue.authors.values()}


def test_redirect_chains_end_where_they_end():
    catalogue = Catalogue(redirects={"a": "b", "b": "c"})
    catalogue.merge_listing(ParsedListing("empty.txt", "compact", []), NOW)
    assert catalogue.redirects == {"a": "c", "b": "c"}
    # a paper that others were folded into is itself folded later
    catalogue.redirects["c"] = "d"
    catalogue._unsettled.append("c")
    catalogue.merge_listing(ParsedListing("empty.txt", "compact", []), NOW)
    assert catalogue.redirects == {"a": "d", "b": "d", "c": "d"}
    catalogue.redirects["e"] = "a"  # a redirect to a redirected id
    catalogue._unsettled.append("e")
    catalogue.merge_listing(ParsedListing("empty.txt", "compact", []), NOW)
    assert catalogue.redirects == {"a": "d", "b": "d", "c": "d", "e": "d"}
