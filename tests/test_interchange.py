"""BibTeX / CSL-JSON / CSV / Markdown out, BibTeX / CSL-JSON in, and round trips."""

from __future__ import annotations

import csv
import io
import json
import warnings

import pytest

from readinglist import interchange
from readinglist.citations import STYLES, cite, unique_keys
from readinglist.library import Library
from readinglist.models import Paper
from readinglist.store import Store

GOLDEN = __import__("pathlib").Path(__file__).parent / "golden"


@pytest.fixture
def library(tmp_path):
    lib = Library(Store(tmp_path / "lib" / "library.json"))
    lib.import_paths(None)
    return lib


def find(library, start):
    return next(p.id for p in library.store.papers() if p.title.startswith(start))


@pytest.fixture
def annotated(library):
    store = library.store
    a, b, c = find(library, "Liger"), find(library, "Half-Hop"), find(library, "Learning and Gen")
    store.add_tags(a, ["systems", "R&D_2024 {x}"])
    store.set_status(a, "read")
    store.add_tags(b, ["graphs"])
    store.set_status(b, "reading")
    store.set_note(b, "Compare with *rewiring*; 100% worth it -- see $\\alpha$.")
    store.queue_add(c)
    return library


def snapshot(library):
    user = library.store.all_user()
    out = {}
    for p in library.store.papers():
        u = user.get(p.id)
        out[p.title] = (tuple(p.authors), p.et_al, p.date, p.category, p.has_code, p.score,
                        tuple(u.tags) if u else (), u.status if u else "unread")
    return out


def people(library):
    """Every person with their spellings and the papers that name them. (Links a
    profile page made to papers that hide its owner behind "et al." are not in
    BibTeX or CSL-JSON; our own JSON export keeps the author list as written.)"""
    names = {}
    for p in library.store.papers():
        for n in p.authors:
            names.setdefault(n, set()).add(p.title)
    by_person = {}
    for a in library.store.authors():
        by_person[a.name] = (tuple(sorted(a.aliases)),
                             sorted(t for s in a.spellings for t in names.get(s, ())))
    return by_person


@pytest.mark.parametrize(("fmt", "suffix"), [("bibtex", ".bib"), ("csl-json", ".json"), ("json", ".json")])
def test_round_trip_into_a_fresh_store(annotated, tmp_path, fmt, suffix):
    records = annotated.records()
    keys = unique_keys(annotated.store.papers())
    text = {
        "bibtex": lambda: interchange.to_bibtex(records, keys),
        "csl-json": lambda: interchange.to_csl_json(records, keys),
        "json": lambda: json.dumps(annotated.export(), ensure_ascii=False),
    }[fmt]()
    path = tmp_path / f"export{suffix}"
    path.write_text(text, encoding="utf-8")
    fresh = Library(Store(tmp_path / "fresh" / "library.json"))
    outcome = fresh.import_paths([path])
    assert outcome.rejected == [] and outcome.reports[0].added == 57
    assert snapshot(fresh) == snapshot(annotated)
    assert people(fresh) == people(annotated)
    note = fresh.store.user(find(fresh, "Half-Hop")).note
    assert note == "Compare with *rewiring*; 100% worth it -- see $\\alpha$."


def test_bibtex_export_parses_cleanly_with_bibtexparser_and_pybtex(annotated):
    import bibtexparser
    from pybtex.database import parse_string

    text = interchange.to_bibtex(annotated.records(), unique_keys(annotated.store.papers()),
                                 with_abstract=True)
    parsed = bibtexparser.parse_string(text)
    assert len(parsed.entries) == 57 and parsed.failed_blocks == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = parse_string(text, "bibtex")
    assert len(data.entries) == 57
    entry = data.entries[unique_keys(annotated.store.papers())[find(annotated, "Liger")]]
    assert entry.fields["keywords"] == "systems, R\\&D\\_2024 \\{x\\}"
    assert [str(p) for p in entry.persons["author"]][-1] == "others"


def test_every_style_on_every_seed_parses_as_bibtex(library):
    from pybtex.database import parse_string

    keys = unique_keys(library.store.papers())
    for style in ("bibtex", "biblatex"):
        text = "\n".join(cite(p, style=style, key=keys[p.id]) for p in library.store.papers())
        assert len(parse_string(text, "bibtex").entries) == 57


GOLDEN_PAPERS = {
    "one-author": "Neural Collapse: A Review",
    "two-authors": "Learning and Generalization in RNNs",
    "three-authors": "Analysis on Gradient Propagation",
    "et-al": "Provable Acceleration of Heavy Ball",
    "colon-acronym": "MoDeGPT",
    "question": "Can Kernel Methods",
}
# No seed author has a name beyond ASCII or a particle; this paper does.
NON_ASCII = Paper(id="x1", title="Attention Is All You Need: GPT-4 and Beyond",
                  authors=["Łukasz Kaiser", "Ana María de la Cruz", "Jörg van der Berg"],
                  date="2017-06-12", category="CL")


@pytest.mark.parametrize("style", list(STYLES))
def test_golden_citations(library, style, request):
    keys = unique_keys(library.store.papers())
    authors = {a.id: a for a in library.store.authors()}
    parts = []
    for label, start in GOLDEN_PAPERS.items():
        paper = library.store.paper(find(library, start))
        parts.append(f"## {label}\n{cite(paper, authors, style, keys[paper.id]).rstrip()}\n")
    parts.append(f"## non-ascii-particles\n{cite(NON_ASCII, {}, style, 'kaiser2017attention').rstrip()}\n")
    text = "\n".join(parts)
    golden = GOLDEN / f"citations-{style}.txt"
    if request.config.getoption("--update-goldens"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_csv_and_markdown(annotated):
    records = annotated.records()
    rows = list(csv.DictReader(io.StringIO(interchange.to_csv(records, unique_keys(annotated.store.papers())))))
    assert len(rows) == 57
    liger = next(r for r in rows if r["title"].startswith("Liger"))
    assert liger["status"] == "read" and liger["tags"] == "systems; R&D_2024 {x}"
    md = interchange.to_markdown(records)
    assert md.startswith("# Reading list\n\n## Reading (1)\n\n- Half-Hop")
    assert "  > Compare with *rewiring*" in md
    assert "## Read (1)" in md and "## To read (55)" in md
    to_read = md.split("## To read (55)\n\n")[1]
    assert to_read.startswith("- Learning and Generalization in RNNs")  # the queue comes first


BAD_BIB = r"""
@misc{good1, title = {A Good Paper}, author = {Doe, Jane and Roe, Richard}, year = 2021}
@misc{notitle, author = {Doe, Jane}, year = 2020}
@misc{good1, title = {Duplicate Key}, author = {X, Y}}
@article{broken, title = {Unbalanced {braces}, author = {Doe, J}
@misc{good2, title = {Another {GOOD} Paper}, author = {M{\"u}ller, J{\"o}rg}, keywords = {a, b}}
"""


def test_bad_bibtex_reports_each_entry_and_imports_the_rest(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BAD_BIB, encoding="utf-8")
    lib = Library(Store(tmp_path / "lib.json"))
    outcome = lib.import_paths([path])
    assert outcome.rejected == []
    report = outcome.reports[0]
    assert report.added == 2
    assert sorted(p.title for p in lib.store.papers()) == ["A Good Paper", "Another GOOD Paper"]
    joined = "\n".join(report.warnings)
    assert "entry 'notitle' (line 3): no title" in joined
    assert "entry 'good1'" in joined and "duplicate key" in joined
    assert "could not be parsed" in joined
    muller = next(p for p in lib.store.papers() if p.title.startswith("Another"))
    assert muller.authors == ["Jörg Müller"]
    assert lib.store.user(muller.id).tags == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "message"),
    [("{not json", "not valid JSON"), ('{"a": 1}', "not CSL-JSON"), ("[]", "nothing to import"),
     ('[{"id": "x"}]', "item 1 'x': no title")],
)
def test_bad_csl_json(tmp_path, text, message):
    path = tmp_path / "refs.json"
    path.write_text(text, encoding="utf-8")
    outcome = Library(Store(tmp_path / "lib.json")).import_paths([path])
    assert len(outcome.rejected) == 1 and message in outcome.rejected[0][1]


def test_zotero_style_csl_json_merges_with_listed_paper(library, tmp_path):
    item = [{
        "id": "http://zotero.org/1", "type": "article-journal",
        "title": "liger kernel: efficient triton kernels for LLM training",
        "author": [{"family": "Hsu", "given": "Pin-Lun"}, {"family": "Dai", "given": "Yun"}],
        "issued": {"date-parts": [[2024, 10]]}, "keyword": "kernels, gpu",
    }]
    path = tmp_path / "zotero.json"
    path.write_text(json.dumps(item), encoding="utf-8")
    report = library.import_paths([path]).reports[0]
    assert (report.added, report.merged) == (0, 1)
    assert library.store.user(find(library, "Liger")).tags == ["kernels", "gpu"]
    assert len(library.store.papers()) == 57
