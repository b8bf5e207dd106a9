"""The hostile corpus (``tests/hostile_corpus.py``, ``tests/fixtures/hostile/``).

1. Every file parses to the input with only control characters removed (and
   the bidi overrides; whitespace folded in one-line fields; NFC), or is
   refused with its one-line ``ListingError``: binary, not UTF-8, empty, no papers.
2. The corpus goes through the real ``readinglist`` command into a library in
   ``tmp_path``: what is stored is what (1) says, NFC and NFD spellings of a
   name are one person, notes are kept byte for byte.
The parsers' linearity on the big files is ``tests/listings/test_linear.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import hostile_corpus as hc
from readinglist.listings import ListingError, parse_file
from readinglist.listings.merge import Catalogue
from readinglist.store import Store
from readinglist.text import clean

TODAY = date(2026, 11, 22)
EXE = Path(sys.executable).with_name("readinglist")
SMALL = hc.small_cases()


def check_parsed(case: hc.Case, path: Path) -> None:
    if not case.parses:
        with pytest.raises(ListingError) as info:
            parse_file(path, TODAY)
        assert str(info.value) == f"{case.name}: {case.refused}"
        assert "\n" not in str(info.value)
        return
    listing = parse_file(path, TODAY)
    assert listing.owner == case.owner
    got = [hc.Expected(p.title or "", p.authors, p.abstract, p.affiliation, p.et_al)
           for p in listing.papers]
    assert got == case.papers
    assert listing.warnings == []


# -- 1. each file -------------------------------------------------------------------------


def test_the_checked_in_files_are_what_the_generator_writes():
    assert hc.checked_in_differences() == [], "run: python tests/hostile_corpus.py"


def test_the_fixtures_readme_describes_every_file():
    readme = (hc.FIXTURES / "README.md").read_text(encoding="utf-8")
    for case in SMALL + hc.big_cases():
        assert f"`{case.name}`" in readme, case.name
    for name in hc.NOTES:
        assert f"`notes/{name}`" in readme, name


@pytest.mark.parametrize("case", SMALL, ids=[c.name for c in SMALL])
def test_each_file_parses_cleaned_or_is_refused_with_its_reason(case):
    check_parsed(case, hc.FIXTURES / case.name)


def test_the_big_files_parse_cleaned(tmp_path):
    """A 10 MB line (an abstract dump, a compact abstract) and 3,000 authors
    (compact, where the title must be split off, and a profile page)."""
    cases = hc.big_cases()
    hc.write_cases(tmp_path, cases)
    for case in cases:
        check_parsed(case, tmp_path / case.name)


def test_nfc_and_nfd_spellings_are_one_person():
    catalogue = Catalogue()
    now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    for name in ("profile_nfc.txt", "compact_nfd.txt"):
        catalogue.merge_listing(parse_file(hc.FIXTURES / name, TODAY), now)
    people = {a.name: a for a in catalogue.authors.values()}
    assert hc.NFD_NAME not in people and hc.NFD_NAME_2 not in people
    assert len(people[hc.NFC_NAME].paper_ids) == 2
    assert len(people[hc.NFC_NAME_2].paper_ids) == 2
    assert people[hc.NFC_NAME].aliases == []  # one spelling: the NFC one
    assert all(unicodedata.is_normalized("NFC", p.title) for p in catalogue.papers.values())


# -- 2. through the command line ---------------------------------------------------------------


def cli(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(EXE), "--db", str(db), *args], capture_output=True,
                            timeout=120)
    if check:
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result


def test_the_corpus_through_the_cli(tmp_path):
    corpus = tmp_path / "corpus"
    hc.write_cases(corpus, SMALL)
    big = [c for c in hc.big_cases() if c.name.startswith("authors_3000")]
    hc.write_cases(corpus, big)
    db = tmp_path / "lib" / "library.json"

    result = cli(db, "import", "--json", str(corpus), check=False)
    assert result.returncode == 1  # some files are refused
    outcome = json.loads(result.stdout)
    refused = {Path(r["file"]).name: r["reason"] for r in outcome["rejected"]}
    assert refused == {c.name: c.refused for c in SMALL if not c.parses}
    assert {r["file"] for r in outcome["imported"]} == {c.name for c in SMALL + big if c.parses}

    records = json.loads(cli(db, "list", "--json").stdout)
    by_title = {r["title"]: r for r in records}
    abstracts = {v for r in records for v in r["abstract_versions"]}
    for case in SMALL + big:
        for want in case.papers:
            if want.title:
                record = by_title[want.title]  # KeyError: the title was not kept as given
                assert record["authors"] == want.authors
                assert record["abstract"] == want.abstract
                assert record["affiliation"] == want.affiliation
            else:  # an abstract dump: kept (attached or flagged), cleaned
                assert want.abstract in abstracts
    for record in records:  # nothing anywhere kept a control character
        text = json.dumps(record, ensure_ascii=False)
        assert clean(text) == text, record["title"]

    people = json.loads(cli(db, "authors", "--json").stdout)
    names = [p["name"] for p in people]
    assert names.count(hc.NFC_NAME) == 1 and hc.NFD_NAME not in names
    assert next(p for p in people if p["name"] == hc.NFC_NAME)["papers"] == 2
    many = set(hc.many_authors())
    assert len([n for n in names if n in many]) == hc.MANY_AUTHORS

    # Notes are the user's text: kept byte for byte, escapes and all.
    targets = [by_title[hc.MARKUP_EXPECTED[0].title]["id"], by_title[hc.ESCAPE_EXPECTED[0].title]["id"]]
    for paper_id, note in zip(targets, hc.NOTES.values()):
        cli(db, "note", paper_id, "--set", note)
    assert cli(db, "note", targets[1], "--show").stdout == hc.NOTES["note_escapes.md"].encode()
    store = Store(db)
    assert [store.user(pid).note for pid in targets] == list(hc.NOTES.values())


def test_a_10_mb_line_through_the_cli(tmp_path):
    case = next(c for c in hc.big_cases() if c.name == "long_line_compact.txt")
    hc.write_cases(tmp_path, [case])
    db = tmp_path / "lib" / "library.json"
    outcome = json.loads(cli(db, "import", "--json", str(tmp_path / case.name)).stdout)
    assert [r["added"] for r in outcome["imported"]] == [1]
    (paper,) = Store(db).papers()
    want = case.papers[0]
    assert (paper.title, paper.authors, paper.abstract) == (want.title, want.authors, want.abstract)
