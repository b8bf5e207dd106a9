"""Paper blocks shared by the profile page and the compact listing.

A block starts at a meta line. Its non-blank lines are either
``title / authors / abstract...`` (profile layout) or
``title+authors / abstract...`` (compact layout); the block's own shape decides,
so a page that mixes the two still parses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from readinglist.listings.common import (
    clean_block,
    looks_like_author_line,
    parse_author_line,
    parse_meta,
    split_names,
    split_tail,
)
from readinglist.listings.compact import split_title_authors
from readinglist.models import FORMAT_PROFILE, ParsedPaper, Source
from readinglist.names import SUFFIXES
from readinglist.text import clean_line


def parse_blocks(
    lines: list[str],
    start: int,
    name: str,
    fmt: str,
    today: date,
    known: Callable[[str], bool] | None = None,
) -> tuple[list[ParsedPaper], list[str]]:
    """Parse every block from ``lines[start]`` (a meta line) to the end."""
    papers: list[ParsedPaper] = []
    warnings: list[str] = []
    i = start
    while i < len(lines):
        meta = parse_meta(lines[i], today)
        if meta is None:
            if lines[i].strip():
                warnings.append(f"{name}:{i + 1}: skipped a line outside any paper")
            i += 1
            continue
        meta_line = i
        i += 1
        body: list[tuple[int, str]] = []
        while i < len(lines) and parse_meta(lines[i], today) is None:
            body.append((i, lines[i]))
            i += 1
        content = [(n, text) for n, text in body if text.strip()]
        paper = ParsedPaper(
            source=Source(name, meta_line + 1, fmt),
            category=meta.category,
            date=meta.date,
            date_text=meta.date_text,
            has_code=meta.has_code,
            score=meta.score,
        )
        if not content:
            warnings.append(f"{name}:{meta_line + 1}: a paper with no title; skipped")
            continue
        _fill(paper, content, body, name, warnings, known)
        papers.append(paper)
    return papers, warnings


def _could_be_names(line: str) -> bool:
    """Names the name rules do not know (a mononym, "danah boyd", 张伟), not
    prose: no part longer than a name, and no sentence end."""
    body, _, _ = split_tail(clean_line(line))
    names = split_names(body)
    # split(None, 6) and rsplit(None, 1), not split(): the same answers
    # without a list of every word of a 10 MB line.
    return (
        bool(names)
        and all(len(n.split(None, 6)) <= 6 for n in names)
        and not (body[-1] in ".!?:;)]" and body.rsplit(None, 1)[-1].lower() not in SUFFIXES)
    )


def _author_line_below(content, fmt) -> bool:
    """Is ``content[1]`` the author line (profile layout), not the abstract?

    Yes if it reads as names. On a profile page also when it only could be
    names, in a block laid out title, blank, authors, blank, abstract: else
    the title line went to the compact split, which cut "DeepMind Lab" into
    "Deep" + "Mind Lab", and the real author line became the abstract. (A
    last line alone might be an abstract with the author line missing, so it
    must read as names.)
    """
    if len(content) < 2:
        return False
    if looks_like_author_line(content[1][1]):
        return True
    if fmt != FORMAT_PROFILE or len(content) < 3:
        return False
    (title_no, _), (authors_no, authors), (abstract_no, _) = content[:3]
    return (authors_no > title_no + 1 and abstract_no > authors_no + 1
            and _could_be_names(authors))


def _fill(paper, content, body, name, warnings, known) -> None:
    first_no, first = content[0]
    if _author_line_below(content, paper.source.format):
        paper.title = clean_line(first)
        author_line = parse_author_line(content[1][1])
        abstract_from = content[1][0] + 1
    else:
        # On a profile page a title followed by a blank line is a title alone
        # (the author line is missing): not title and authors run together.
        alone = (paper.source.format == FORMAT_PROFILE and len(content) >= 2
                 and content[1][0] > first_no + 1)
        split = None if alone else split_title_authors(first, known)
        abstract_from = first_no + 1
        if alone:
            warnings.append(f"{name}:{first_no + 1}: no author line under the title")
            paper.title = clean_line(first)
            author_line = None
        elif split is None:
            warnings.append(f"{name}:{first_no + 1}: could not find the authors in the title line")
            paper.title = clean_line(first)
            author_line = None
        else:
            paper.title, author_line = split
    if author_line is not None:
        paper.authors = author_line.authors
        paper.et_al = author_line.et_al
        paper.affiliation = author_line.affiliation
    abstract = clean_block([text for n, text in body if n >= abstract_from])
    paper.abstract = abstract or None
