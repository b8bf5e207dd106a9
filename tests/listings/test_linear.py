"""The parsers are linear in their input, on what a hostile listing holds.

A 3,000-author line and a long title line are split with work in proportion
to their length (counted, not timed); the shortcuts that make it so give the
same answers as the plain definitions they replace (property tests); and a
50 MB listing parses in memory proportional to a 5 MB one. Nothing here times
anything (speed is ``bench/``'s job); a hang guard only stops a catastrophe.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hostile_corpus as hc
from readinglist.listings import compact, parse_text
from readinglist.listings.common import (
    ET_AL,
    et_al_start,
    is_name,
    looks_like_author_line,
    split_names,
    split_tail,
)
from readinglist.names import name_penalty
from readinglist.text import clean, clean_line

TODAY = date(2026, 11, 22)


def count_name_checks(monkeypatch) -> list[int]:
    """Count the compact split's name checks, and the characters they looked at."""
    seen = [0, 0]
    real = compact._name_penalty

    def counting(text: str):
        seen[0] += 1
        seen[1] += len(text)
        return real(text)

    monkeypatch.setattr(compact, "_name_penalty", counting)
    return seen


def compact_line(title: str, authors: list[str]) -> str:
    return f"LGMay 1, 2024\n{title}{', '.join(authors)}\nAbstract.\n"


def test_the_compact_split_is_linear_in_the_number_of_authors(monkeypatch):
    """It tried each comma as the title's end and re-checked every name after
    it each time: 3,000 authors took 50 s (and 10 x the authors, 100 x the work)."""
    seen = count_name_checks(monkeypatch)
    work = []
    for count in (300, 3000):
        seen[:] = [0, 0]
        listing = parse_text(compact_line("A Title", hc.many_authors(count)), "x", TODAY)
        assert len(listing.papers[0].authors) == count
        work.append(seen[0])
    assert work[1] <= 11 * work[0], work


def test_the_compact_split_looks_at_a_long_title_line_linearly(monkeypatch):
    """Each capital of a 20 kB title with no spaces was tried as the first
    author's initial, with everything after it as the name: 14 s. A name is at
    most 80 characters, so only the line's last 80 are worth trying."""
    seen = count_name_checks(monkeypatch)
    work = []
    for size in (20_000, 200_000):
        seen[:] = [0, 0]
        listing = parse_text(compact_line("aB" * (size // 2), ["Ann Lee", "Bo Chen"]), "x", TODAY)
        assert listing.papers[0].authors == ["Ann Lee", "Bo Chen"]
        work.append(seen[1])
    assert work[1] <= 2 * work[0], work  # characters looked at: bounded, not 10 x, not 100 x


def test_a_long_name_is_refused_before_its_words_are_split():
    """The parsers refuse a name over 80 characters without splitting it into
    words (a list of every word of a 10 MB line); that is only right if the
    name rules refuse it too."""
    long_but_wordy = "Ann " + "Lee-" * 20 + "Chen"
    assert len(long_but_wordy) > 80 and name_penalty(long_but_wordy) is None
    assert name_penalty("Ann " + "Lee-" * 15 + "Chen") is not None  # 68 characters


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\u00a0,.etalx", max_size=16),
       st.sampled_from(["", " et al", " et al.", ", et. al.", ",  et \t al", " et al ."]))
def test_et_al_is_found_from_the_end_as_the_regex_finds_it(body, tail):
    text = (body + tail).rstrip()
    match = ET_AL.search(text)
    assert et_al_start(text) == (match.start() if match else None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x85\u00a0\u2028\u3000ab\x1b"))))
def test_clean_line_folds_whitespace_as_split_does(text):
    assert clean_line(text) == " ".join(clean(text).split())


def old_looks_like_author_line(line: str) -> bool:
    """The definition before it learnt to turn a line down at its first comma."""
    body, _, _ = split_tail(clean_line(line))
    names = split_names(body)
    return bool(names) and all(is_name(n) for n in names)


PIECES = ["Ann Lee", "Bo Chen", " and ", "and ", ",", ", ", " · ", "·", "MIT", " et al.",
          "et al", "\x1b", "  ", "x" * 90, "Zoë Brontë", "the", "We study", "\t", "J. R. Smith",
          "A" * 81, "[b]", "\u00a0", "al.", " et", "Lee" + "-Lee" * 60]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_an_author_line_is_recognised_as_before(line):
    assert looks_like_author_line(line) == old_looks_like_author_line(line)


# The 5 and 50 MB parses run in two child processes at once, each measuring its
# own peak with tracemalloc (which then sees only the parse).
PARSE_AND_MEASURE = textwrap.dedent("""
    import json, sys, time, tracemalloc
    from datetime import date
    from pathlib import Path
    from readinglist.listings import parse_bytes
    from readinglist.listings import compact
    calls = [0]
    real = compact._name_penalty
    def counting(text):
        calls[0] += 1
        return real(text)
    compact._name_penalty = counting
    data = Path(sys.argv[1]).read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    listing = parse_bytes(data, "big.txt", date(2026, 11, 22))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    print(json.dumps({"bytes": len(data), "papers": len(listing.papers), "peak": peak,
                      "seconds": seconds, "name_checks": calls[0]}))
""")
HANG_GUARD = 300  # seconds; a linear parse of 50 MB takes a few


def test_a_50_mb_listing_parses_in_linear_time_and_memory(tmp_path, record_property):
    """The 5 MB and 50 MB listings hold the same papers, ten times over."""
    runs = {}
    for megabytes in (5, 50):
        path = tmp_path / f"listing-{megabytes}mb.txt"
        path.write_bytes(hc.sized_listing(megabytes))
        runs[megabytes] = subprocess.Popen([sys.executable, "-c", PARSE_AND_MEASURE, str(path)],
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           text=True)
    results = {}
    for megabytes, child in runs.items():
        try:
            out, errors = child.communicate(timeout=HANG_GUARD)
        except subprocess.TimeoutExpired:
            child.kill()
            pytest.fail(f"parsing {megabytes} MB did not finish in {HANG_GUARD} s")
        assert child.returncode == 0, errors
        results[megabytes] = json.loads(out)
    small, big = results[5], results[50]
    for name, run in (("5 MB", small), ("50 MB", big)):
        record_property(name, run)
        print(f"{name}: {run['papers']} papers, {run['seconds']:.1f} s, "
              f"peak {run['peak'] / 1e6:.0f} MB ({run['peak'] / run['bytes']:.1f} x the file)")
    scale = big["bytes"] / small["bytes"]
    assert big["papers"] == 10 * small["papers"]  # the same papers, ten times over
    # Memory: a few times the file (the text, its lines, the papers), never more,
    # and in proportion to it.
    assert big["peak"] <= 8 * big["bytes"]
    assert big["peak"] <= 1.5 * scale * small["peak"]
    # Work: the compact split's name checks grow with the papers, not faster.
    assert big["name_checks"] <= 1.1 * scale * small["name_checks"]
