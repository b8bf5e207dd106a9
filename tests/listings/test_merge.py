"""One library, each paper once: merging listings, abstract versions, people."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from readinglist.listings import parse_file, parse_text
from readinglist.listings.merge import Catalogue, provisional_title, title_key
from readinglist.listings.render import render_abstracts
from readinglist.models import FORMAT_ABSTRACTS, Paper, ParsedListing, ParsedPaper, Source

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FILES = sorted(SEEDS.iterdir())
TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
KOTHAPALLI, DUMP, COMPACT_A, COMPACT_B, PANIGRAHI = (p.name for p in FILES)

ORDERS = {
    "sorted": FILES,
    "reverse": FILES[::-1],
    "twice-in-a-row": [f for f in FILES for _ in range(2)],
    "all-then-all-again": FILES + FILES,
    "reverse-twice": FILES[::-1] + FILES[::-1],
}

# Each dumped abstract (by line) and the title of the paper it belongs to, read
# off the seeds by hand; True where the dump words it differently.
DUMPED = {
    1: ("Liger Kernel: Efficient Triton Kernels for LLM Training", False),
    2: ("From Spikes to Heavy Tails: Unveiling the Spectral Evolution of Neural Networks", True),
    3: ("Can Kernel Methods Explain How the Data Affects Neural Collapse?", True),
    4: ("A Neural Collapse Perspective on Feature Evolution in Graph Neural Networks", False),
    5: ("Randomized Schur Complement Views for Graph Contrastive Learning", False),
    6: ("Neural Collapse: A Review on Modelling Principles and Generalization", True),
}

UNRELATED = (
    "Coral reefs in the western Pacific are bleaching at record rates. We survey 412 reef "
    "sites over six monsoon seasons and relate bleaching to sea surface temperature, "
    "turbidity and the density of grazing parrotfish. Sites with more parrotfish recover "
    "faster after a heatwave, and shaded lagoons bleach less than exposed slopes."
)


def build(paths, catalogue: Catalogue | None = None, known: bool = False):
    catalogue = catalogue or Catalogue()
    reports = []
    for path in paths:
        listing = parse_file(path, today=TODAY, known=catalogue.knows_name if known else None)
        reports.append(catalogue.merge_listing(listing, now=NOW))
    return catalogue, reports


def by_title(catalogue: Catalogue, title: str) -> Paper:
    (paper,) = [p for p in catalogue.papers.values() if title_key(p.title) == title_key(title)]
    return paper


def author_named(catalogue: Catalogue, name: str):
    (author,) = [a for a in catalogue.authors.values() if name in a.spellings]
    return author


@pytest.fixture(scope="module")
def seeded() -> Catalogue:
    return build(FILES)[0]


# -- the seeds: 57 papers, 79 people, in any order -------------------------------------------


@pytest.mark.parametrize("known", [False, True], ids=["alone", "with-known-names"])
@pytest.mark.parametrize("order", ORDERS, ids=list(ORDERS))
def test_seeds_hold_57_papers_and_79_people(order, known):
    catalogue, _ = build(ORDERS[order], known=known)
    assert len(catalogue.papers) == 57
    assert len(catalogue.authors) == 79
    assert not any(p.needs_review for p in catalogue.papers.values())
    assert len({title_key(p.title) for p in catalogue.papers.values()}) == 57


@pytest.mark.parametrize("order", ORDERS, ids=list(ORDERS))
def test_paper_ids_do_not_depend_on_the_order(order, seeded):
    catalogue, _ = build(ORDERS[order])
    assert {p.id: p.title for p in catalogue.papers.values()} == {
        p.id: p.title for p in seeded.papers.values()}


def test_every_paper_knows_its_source_file_and_line(seeded):
    paper = by_title(seeded, "Transform-Augmented GRPO Improves Pass@k")
    assert [(s.file, s.line, s.format) for s in paper.sources] == [(COMPACT_B, 16, "compact")]
    paper = by_title(seeded, "Liger Kernel: Efficient Triton Kernels for LLM Training")
    assert [(s.file, s.line) for s in paper.sources] == [(KOTHAPALLI, 40), (DUMP, 1)]
    assert sum(len(p.sources) for p in seeded.papers.values()) == 57 + 6


# -- people -------------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["sorted", "reverse"])
def test_kini_spellings_are_one_author(order):
    catalogue, _ = build(ORDERS[order])
    kini = author_named(catalogue, "Ganesh R. Kini")
    assert kini is author_named(catalogue, "Ganesh Ramachandra Kini")
    assert kini.name == "Ganesh Ramachandra Kini" and kini.aliases == ["Ganesh R. Kini"]
    assert sorted(catalogue.papers[pid].title for pid in kini.paper_ids) == [
        "Imbalance Trouble: Revisiting Neural-Collapse Geometry",
        "On the Implicit Geometry of Cross-Entropy Parameterizations for Label-Imbalanced Data",
        "Symmetric Neural-Collapse Representations with Supervised Contrastive Loss: The Impact "
        "of ReLU and Batching",
    ]
    assert not [a for a in catalogue.authors.values() if "Kini" in a.name and a is not kini]


@pytest.mark.parametrize("order", ["sorted", "reverse", "twice-in-a-row"])
@pytest.mark.parametrize(("owner", "count", "hidden"), [
    ("Vignesh Kothapalli", 13, [
        "360Brew: A Decoder-only Foundation Model for Personalized Ranking and Recommendation",
        "Scaling Down, Serving Fast: Compressing and Deploying Efficient LLMs for Recommendation "
        "Systems"]),
    ("Abhishek Panigrahi", 18, [
        "Self-Distillation Zero: Self-Revision Turns Binary Rewards into Dense Supervision"]),
])
def test_owner_paper_counts_match_the_header(order, owner, count, hidden):
    catalogue, _ = build(ORDERS[order])
    author = author_named(catalogue, owner)
    assert author.profile is not None
    assert author.profile.listed == author.profile.papers == count
    assert len(author.paper_ids) == len(set(author.paper_ids)) == count
    for title in hidden:  # behind "et al.": not in the names, yet linked
        paper = by_title(catalogue, title)
        assert owner not in paper.authors and paper.et_al
        assert author.id in paper.author_ids
        assert paper.id in author.paper_ids


def test_header_stats_are_kept_on_the_owner(seeded):
    profile = author_named(seeded, "Vignesh Kothapalli").profile
    assert (profile.category, profile.h_index, profile.papers, profile.citations,
            profile.novelty, profile.ai_score, profile.listed) == ("LG", 27, 13, 299, 46, 56, 13)
    profile = author_named(seeded, "Abhishek Panigrahi").profile
    assert (profile.h_index, profile.citations, profile.novelty, profile.ai_score) == (
        96, 692, 50, 52)
    assert sum(1 for a in seeded.authors.values() if a.profile) == 2


def test_people_are_linked_in_paper_order(seeded):
    paper = by_title(seeded, "Analysis on Gradient Propagation in Batch Normalized Residual "
                             "Networks")
    assert [seeded.authors[a].name for a in paper.author_ids] == [
        "Abhishek Panigrahi", "Yueru Chen", "C. -C. Jay Kuo"]
    lin = author_named(seeded, "Chi-Heng Lin")
    assert len(lin.paper_ids) == 13
    assert seeded.knows_name("Chi-Heng Lin") and not seeded.knows_name("Chi Lin")


# -- abstracts from the dump ------------------------------------------------------------------


@pytest.mark.parametrize("order", ORDERS, ids=list(ORDERS))
def test_all_six_dumped_abstracts_are_attached(order):
    catalogue, _ = build(ORDERS[order])
    dump = {p.source.line: p.abstract for p in parse_file(SEEDS / DUMP, today=TODAY).papers}
    for line, (title, reworded) in DUMPED.items():
        paper = by_title(catalogue, title)
        assert any(s.file == DUMP and s.line == line for s in paper.sources)
        assert dump[line] in paper.abstract_versions
        assert len(paper.abstract_versions) == (2 if reworded else 1)
        assert paper.abstract != dump[line] if reworded else paper.abstract == dump[line]
        assert paper.abstract == paper.abstract_versions[0]  # the listed version leads
    assert sum(len(p.abstract_versions) for p in catalogue.papers.values()) == 57 + 3


def test_the_dump_after_its_papers_adds_three_versions():
    catalogue, reports = build(FILES)
    dump = reports[1]
    assert (dump.format, dump.added, dump.flagged, dump.versions, dump.merged) == (
        "abstracts", 0, 0, 3, 3)


def test_the_dump_before_its_papers_is_flagged_then_placed():
    catalogue, reports = build([SEEDS / DUMP])
    assert reports[0].flagged == 6 and reports[0].added == 0
    flagged = {p.id: p for p in catalogue.papers.values()}
    assert all(p.needs_review for p in flagged.values())
    assert {p.title for p in flagged.values()} == {
        provisional_title(p.abstract) for p in flagged.values()}

    _, (report,) = build([SEEDS / KOTHAPALLI], catalogue)
    assert report.added == 13 and report.versions == 3
    assert set(report.absorbed) == set(flagged)
    assert catalogue.redirects == report.absorbed
    assert report.to_dict()["absorbed"] == report.absorbed
    for old_id, new_id in report.absorbed.items():
        assert old_id not in catalogue.papers
        host = catalogue.papers[new_id]
        assert not host.needs_review
        assert flagged[old_id].abstract in host.abstract_versions
        line = flagged[old_id].sources[0].line
        assert title_key(host.title) == title_key(DUMPED[line][0])
    assert not any(p.needs_review for p in catalogue.papers.values())


def test_an_unrelated_abstract_stays_apart_and_flagged():
    dump = render_abstracts([UNRELATED])
    for position in ("first", "last"):
        catalogue = Catalogue()
        if position == "last":
            build(FILES, catalogue)
        report = catalogue.merge_listing(parse_text(dump, "reefs.txt", today=TODAY), now=NOW)
        assert report.flagged == 1 and report.versions == 0
        if position == "first":
            build(FILES, catalogue)
        assert len(catalogue.papers) == 58
        (odd,) = [p for p in catalogue.papers.values() if p.needs_review]
        assert odd.title == "Coral reefs in the western Pacific are bleaching at record rates"
        assert odd.abstract == UNRELATED and odd.abstract_versions == [UNRELATED]
        assert [(s.file, s.line) for s in odd.sources] == [("reefs.txt", 1)]
        assert odd.authors == [] and odd.author_ids == []
        assert not catalogue.redirects
        # Imported again: recognised, not duplicated.
        again = catalogue.merge_listing(parse_text(dump, "reefs.txt", today=TODAY), now=NOW)
        assert (again.added, again.flagged, again.versions) == (0, 0, 0)
        assert len(catalogue.papers) == 58


def test_an_unrelated_abstract_in_a_dump_with_related_ones():
    lines = [p.abstract for p in parse_file(SEEDS / DUMP, today=TODAY).papers] + [UNRELATED]
    catalogue, _ = build(FILES)
    report = catalogue.merge_listing(
        parse_text(render_abstracts(lines), "mixed.txt", today=TODAY), now=NOW)
    assert (report.flagged, report.versions, report.merged) == (1, 0, 6)


@pytest.mark.parametrize(("abstract", "title"), [
    ("Short one. Second sentence.", "Short one"),
    ("No full stop at all", "No full stop at all"),
    ("A very long opening sentence that goes on and on about graph neural networks and "
     "their many uses in chemistry, biology and physics. Then more.",
     "A very long opening sentence that goes on and on about graph neural networks and\u2026"),
    ("Graph neural networks have become increasingly popular for classification tasks on "
     "graph-structured data. Yet more.",
     "Graph neural networks have become increasingly popular for classification tasks\u2026"),
])
def test_provisional_titles(abstract, title):
    assert provisional_title(abstract) == title


# -- the same paper in two listings -----------------------------------------------------------

COMPACT = """\
LGJul 4
Deep Learning for Coral Reefs: A SurveyAnn B. Lee, Bo Chen et al. · mit
First version of the abstract about reefs and learning.
"""

PROFILE = """\
Cy Young

CV
h-index3
2papers

2 Papers

81.2CVJul 4, 2025Code
deep learning for coral-reefs:  a survey

Ann Bertha Lee, Bo Chen, Cy Young

A reworded second version of the abstract, about reefs and learning.

CVJan 2, 2024
Another Paper Entirely

Cy Young

Unrelated text.
"""


def _merge_two(first, second):
    catalogue = Catalogue()
    reports = [catalogue.merge_listing(parse_text(text, name, today=TODAY), now=NOW)
               for name, text in (first, second)]
    return catalogue, reports


@pytest.mark.parametrize("compact_first", [True, False])
def test_same_title_in_two_listings_keeps_every_field(compact_first):
    pair = [("c.txt", COMPACT), ("p.txt", PROFILE)]
    catalogue, reports = _merge_two(*(pair if compact_first else pair[::-1]))
    assert len(catalogue.papers) == 2
    assert reports[1].added == (1 if compact_first else 0) and reports[1].merged == (
        1 if compact_first else 1)
    paper = by_title(catalogue, "Deep Learning for Coral Reefs: A Survey")
    # Both sources, both abstracts.
    assert sorted((s.file, s.line) for s in paper.sources) == [("c.txt", 1), ("p.txt", 9)]
    assert sorted(paper.abstract_versions) == [
        "A reworded second version of the abstract, about reefs and learning.",
        "First version of the abstract about reefs and learning."]
    # What one has and the other lacks: the affiliation (compact only), score,
    # code flag and a dated year (profile only), the fuller author list.
    assert paper.affiliation == "mit"
    assert paper.score == 81.2 and paper.has_code is True
    assert (paper.date, paper.date_text) == ("2025-07-04", "Jul 4, 2025")
    assert paper.authors == ["Ann Bertha Lee", "Bo Chen", "Cy Young"] and paper.et_al is False
    assert paper.category in {"LG", "CV"}
    # One person per name, both spellings kept; the owner is linked.
    lee = author_named(catalogue, "Ann B. Lee")
    assert lee is author_named(catalogue, "Ann Bertha Lee")
    assert lee.name == "Ann Bertha Lee" and lee.aliases == ["Ann B. Lee"]
    young = author_named(catalogue, "Cy Young")
    assert len(young.paper_ids) == 2 and young.profile.papers == 2
    assert [catalogue.authors[a].name for a in paper.author_ids] == [
        "Ann Bertha Lee", "Bo Chen", "Cy Young"]
    assert len(catalogue.authors) == 3


def test_other_spelling_of_a_kept_author_list_is_remembered():
    """The paper keeps the first (equally long) author list; the second listing's
    spelling still becomes an alias of the same person."""
    first = "LGJul 4, 2025\nA Paper On ThingsGanesh R. Kini, Bo Chen\nText.\n"
    second = "LGJul 4, 2025\nA Paper on Things!Ganesh Ramachandra Kini, Bo Chen\nText.\n"
    catalogue, reports = _merge_two(("a.txt", first), ("b.txt", second))
    assert len(catalogue.papers) == 1 and reports[1].merged == 1
    kini = author_named(catalogue, "Ganesh R. Kini")
    assert kini.spellings == ["Ganesh Ramachandra Kini", "Ganesh R. Kini"]
    assert len(catalogue.authors) == 2


def test_different_titles_stay_different_papers():
    first = "LGJul 4, 2025\nLearning to RankAnn Lee\nText.\n"
    second = "LGJul 4, 2025\nLearning to Rank 2Ann Lee\nText.\n"
    catalogue, _ = _merge_two(("a.txt", first), ("b.txt", second))
    assert len(catalogue.papers) == 2 and len(catalogue.authors) == 1


# -- re-import ----------------------------------------------------------------------------------


def test_reimport_adds_nothing_and_keeps_ids():
    catalogue, first = build(FILES)
    before = {pid: p.to_dict() for pid, p in catalogue.papers.items()}
    people = {aid: a.to_dict() for aid, a in catalogue.authors.items()}
    _, again = build(FILES, catalogue)
    assert [r.added for r in first] == [13, 0, 7, 19, 18]
    assert [(r.added, r.flagged, r.versions) for r in again] == [(0, 0, 0)] * 5
    assert [r.merged for r in again] == [13, 6, 7, 19, 18]
    assert {pid: p.to_dict() for pid, p in catalogue.papers.items()} == before
    assert {aid: a.to_dict() for aid, a in catalogue.authors.items()} == people


@pytest.mark.parametrize("order", ["sorted", "reverse"])
def test_ids_survive_a_save_and_reload(order):
    """The store keeps the records as dicts: a catalogue rebuilt from them and
    fed every listing again has the same ids and adds nothing."""
    catalogue, _ = build(ORDERS[order])
    records = ([p.to_dict() for p in catalogue.papers.values()],
               [a.to_dict() for a in catalogue.authors.values()], dict(catalogue.redirects))
    reloaded = Catalogue.from_records(*records)
    assert reloaded.knows_name("Ganesh R. Kini")
    _, reports = build(FILES[::-1], reloaded, known=True)
    assert sum(r.added + r.flagged + r.versions for r in reports) == 0
    assert sorted(reloaded.papers) == sorted(catalogue.papers)
    assert sorted(reloaded.authors) == sorted(catalogue.authors)
    assert reloaded.redirects == catalogue.redirects
    assert {pid: p.to_dict() for pid, p in reloaded.papers.items()} == {
        pid: p.to_dict() for pid, p in catalogue.papers.items()}


def test_the_same_file_under_another_name_is_another_source_but_no_new_paper(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes((SEEDS / COMPACT_A).read_bytes())
    catalogue, _ = build(FILES)
    _, (report,) = build([copy], catalogue)
    assert (report.added, report.merged) == (0, 7)
    paper = by_title(catalogue, "Imbalance Trouble: Revisiting Neural-Collapse Geometry")
    assert [(s.file, s.line) for s in paper.sources] == [(COMPACT_A, 1), ("copy.txt", 1)]
    assert len(catalogue.papers) == 57


def test_import_stamps_the_first_import_time_only(seeded):
    assert {p.added for p in seeded.papers.values()} == {NOW.isoformat(timespec="seconds")}
    later = datetime(2027, 1, 1, tzinfo=timezone.utc)
    seeded_copy = Catalogue.from_records([p.to_dict() for p in seeded.papers.values()],
                                         [a.to_dict() for a in seeded.authors.values()])
    seeded_copy.merge_listing(parse_file(SEEDS / KOTHAPALLI, today=TODAY), now=later)
    assert {p.added for p in seeded_copy.papers.values()} == {NOW.isoformat(timespec="seconds")}


# -- title keys --------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("Deep Learning for Coral Reefs: A Survey", "deep learning for coral-reefs:  a survey"),
    ("Polyak-Łojasiewicz Functions", "Polyak Lojasiewicz functions"),
    ("Über Alles", "uber alles"),
    ("Глубокое обучение", "глубокое  обучение!"),
])
def test_same_title_key(a, b):
    assert title_key(a) == title_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Learning to Rank", "Learning to Rank 2"),
    ("Глубокое обучение", "Машинное обучение"),  # Cyrillic letters are letters
    ("深度学习", "机器学习"),
    ("α-Divergence Bounds", "β-Divergence Bounds"),
    ("???", "!!!"),  # no letters at all: the spelling is the key
])
def test_different_title_keys(a, b):
    assert title_key(a) != title_key(b)


def test_titles_in_other_scripts_stay_separate_papers():
    text = ("LGJul 4, 2025\nГлубокое обучениеAnn Lee\nOne.\n"
            "LGJul 5, 2025\nМашинное обучениеAnn Lee\nTwo.\n"
            "LGJul 6, 2025\n深度学习Bo Chen\nThree.\n")
    listing = parse_text(text, "ru.txt", today=TODAY)
    assert [p.title for p in listing.papers] == ["Глубокое обучение", "Машинное обучение",
                                                 "深度学习"]
    catalogue = Catalogue()
    report = catalogue.merge_listing(listing, now=NOW)
    assert report.added == 3 and len(catalogue.papers) == 3


# -- flagged abstracts, ranked again at the end of each import ----------------------


def _words(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{chr(97 + i // 26)}{chr(97 + i % 26)}x" for i in range(count))


def _drift_listings() -> tuple[ParsedListing, ParsedListing, ParsedListing, str]:
    """Paper P and paper S share a long run of stock phrases; the dump's
    abstract is an older wording of P. While the phrases are rare, S stands too
    close to P for the margin; then ten papers using the same phrases arrive
    (P itself does not change), the phrases weigh less, and P passes it."""
    stock = _words("stock", 30)
    ours = f"{_words('pone', 8)} {_words('qnew', 2)} {stock}"

    def listed(name: str, records: list[tuple[str, str]]) -> ParsedListing:
        return ParsedListing(name, "compact", [
            ParsedPaper(Source(name, line, "compact"), title=title, authors=["Ann Lee"],
                        abstract=abstract)
            for line, (title, abstract) in enumerate(records, start=1)])

    first = listed("first.txt", [("Paper P", f"{_words('pone', 10)} {stock}"),
                                 ("Paper S", f"{_words('stwo', 10)} {stock}")])
    dump = ParsedListing("dump.txt", FORMAT_ABSTRACTS,
                         [ParsedPaper(Source("dump.txt", 1, FORMAT_ABSTRACTS), abstract=ours)])
    more = listed("more.txt", [(f"Other {i}", f"{_words(f'oth{chr(97 + i)}', 12)} {stock}")
                               for i in range(10)])
    return first, dump, more, ours


def test_a_flagged_abstract_is_placed_when_shifting_weights_let_it_pass():
    first, dump, more, ours = _drift_listings()
    catalogue = Catalogue()
    catalogue.merge_listing(first, now=NOW)
    assert catalogue.merge_listing(dump, now=NOW).flagged == 1
    (flagged,) = [p.id for p in catalogue.papers.values() if p.needs_review]
    paper_p = by_title(catalogue, "Paper P")

    report = catalogue.merge_listing(more, now=NOW)  # P untouched: only the weights moved

    assert report.absorbed == {flagged: paper_p.id} and report.versions == 1
    assert ours in paper_p.abstract_versions
    assert not any(p.needs_review for p in catalogue.papers.values())
    assert catalogue.redirects == {flagged: paper_p.id}


def test_placed_at_the_end_of_an_import_it_is_told_by_the_listing_it_came_from():
    first, dump, more, ours = _drift_listings()
    catalogue = Catalogue()
    reports = catalogue.merge_listings([first, dump, more], now=NOW)
    assert [r.file for r in reports] == ["first.txt", "dump.txt", "more.txt"]
    assert (reports[1].flagged, reports[1].versions) == (1, 1)
    assert list(reports[1].absorbed.values()) == [by_title(catalogue, "Paper P").id]
    assert not reports[0].absorbed and not reports[2].absorbed
    assert ours in by_title(catalogue, "Paper P").abstract_versions
