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
)
from readinglist.listings.compact import split_title_authors
from readinglist.models import ParsedPaper, Source
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


def _fill(paper, content, body, name, warnings, known) -> None:
    first_no, first = content[0]
    if len(content) >= 2 and looks_like_author_line(content[1][1]):
        paper.title = clean_line(first)
        author_line = parse_author_line(content[1][1])
        abstract_from = content[1][0] + 1
    else:
        split = split_title_authors(first, known)
        abstract_from = first_no + 1
        if split is None:
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
