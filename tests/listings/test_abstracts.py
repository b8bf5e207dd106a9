"""The abstract dump: one ``Abstract:`` line per abstract, nothing else."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readinglist.listings import ListingError, parse_bytes, parse_file, parse_text
from readinglist.listings.abstracts import looks_like_abstracts
from readinglist.listings.render import render_abstracts
from readinglist.models import FORMAT_ABSTRACTS, FORMAT_COMPACT

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DUMP = "001_2ae19e42cc62bdbe.txt"
TODAY = date(2026, 11, 22)

# The opening words of each dumped abstract, read off the seed.
OPENINGS = [
    "Training Large Language Models (LLMs) efficiently at scale presents a formidable challenge",
    "Modern training strategies of deep neural networks (NNs) tend to induce a heavy-tailed",
    'Recently, a vast amount of literature has focused on the "Neural Collapse" (NC) phenomenon',
    "Graph neural networks (GNNs) have become increasingly popular for classification tasks",
    "We introduce a randomized topological augmentor based on Schur complements",
    'With a recent observation of the "Neural Collapse (NC)" phenomena by Papyan et al.',
]


def test_seed_dump():
    listing = parse_file(SEEDS / DUMP, today=TODAY)
    assert listing.format == FORMAT_ABSTRACTS
    assert listing.owner is None and listing.profile is None and listing.warnings == []
    assert [p.source.line for p in listing.papers] == [1, 2, 3, 4, 5, 6]
    assert all(p.source.file == DUMP and p.source.format == FORMAT_ABSTRACTS
               for p in listing.papers)
    raw = (SEEDS / DUMP).read_text(encoding="utf-8").split("\n")
    for paper, line, opening in zip(listing.papers, raw, OPENINGS):
        assert paper.abstract == line.removeprefix("Abstract:")
        assert paper.abstract.startswith(opening)
        assert (paper.title, paper.authors, paper.et_al, paper.affiliation, paper.category,
                paper.date, paper.date_text, paper.has_code, paper.score) == (
            None, [], False, None, None, None, None, False, None)
    assert listing.papers[0].abstract.endswith("github.com/linkedin/Liger-Kernel.")


def test_render_abstracts_reproduces_the_seed():
    listing = parse_file(SEEDS / DUMP, today=TODAY)
    raw = (SEEDS / DUMP).read_text(encoding="utf-8")
    assert render_abstracts(listing.papers) == raw + "\n"
    assert render_abstracts(p.abstract for p in listing.papers) == raw + "\n"


def test_blank_lines_spaces_and_crlf():
    text = "\r\n  Abstract:  First   one.\r\n\r\n\r\nAbstract:Second one.\r\n   \r\n"
    listing = parse_text(text, "d.txt", today=TODAY)
    assert [(p.abstract, p.source.line) for p in listing.papers] == [
        ("First one.", 2), ("Second one.", 5)]


def test_bom_and_bytes():
    data = b"\xef\xbb\xbfAbstract:Caf\xc3\xa9 \xc5\x81ojasiewicz.\nAbstract:Two.\n"
    listing = parse_bytes(data, "d.txt", today=TODAY)
    assert listing.format == FORMAT_ABSTRACTS
    assert [p.abstract for p in listing.papers] == ["Café Łojasiewicz.", "Two."]


def test_empty_abstract_lines_are_skipped():
    listing = parse_text("Abstract:\nAbstract:   \nAbstract:Real.\n", "d.txt", today=TODAY)
    assert [(p.abstract, p.source.line) for p in listing.papers] == [("Real.", 3)]


def test_a_dump_of_only_empty_abstracts_is_no_listing():
    with pytest.raises(ListingError, match="no papers"):
        parse_text("Abstract:\nAbstract:\n", "d.txt", today=TODAY)


def test_control_characters_are_removed():
    listing = parse_text("Abstract:Bold \x1b[1mclaim\x1b[0m\u202e here.\x07\n", "d.txt",
                         today=TODAY)
    assert listing.papers[0].abstract == "Bold [1mclaim[0m here."


@pytest.mark.parametrize(("lines", "expected"), [
    (["Abstract:One.", "Abstract:Two."], True),
    (["", "Abstract:One.", "   "], True),
    (["  Abstract:Indented."], True),
    (["Abstract:One.", "a wrapped line"], False),
    (["abstract:lower case"], False),
    (["LGJul 4, 2023", "Abstract:One."], False),
    ([""], False),
    ([], False),
])
def test_looks_like_abstracts(lines, expected):
    assert looks_like_abstracts(lines) is expected


def test_a_compact_listing_whose_abstract_says_abstract_is_not_a_dump():
    text = "LGJul 4, 2023\nA TitleAnn Lee\nAbstract:We study things.\n"
    listing = parse_text(text, "c.txt", today=TODAY)
    assert listing.format == FORMAT_COMPACT
    assert listing.papers[0].abstract == "Abstract:We study things."


def test_render_abstracts_joins_paragraphs_and_skips_empties():
    class Rec:
        def __init__(self, abstract):
            self.abstract = abstract

    text = render_abstracts(["One\n\nparagraph  two.", Rec(None), Rec("Three."), "  "])
    assert text == "Abstract:One paragraph two.\nAbstract:Three.\n"
    assert render_abstracts([]) == ""
