"""The abstract dump: one abstract per line, each starting ``Abstract:``.

No title, authors or date: the merge attaches each abstract to the paper it
belongs to, or keeps it apart, flagged for review.
"""

from __future__ import annotations

from readinglist.models import FORMAT_ABSTRACTS, ParsedListing, ParsedPaper, Source
from readinglist.text import clean_line

PREFIX = "Abstract:"


def looks_like_abstracts(lines: list[str]) -> bool:
    content = [line for line in lines if line.strip()]
    return bool(content) and all(line.lstrip().startswith(PREFIX) for line in content)


def parse(lines: list[str], name: str) -> ParsedListing:
    papers = []
    for number, line in enumerate(lines, start=1):
        text = clean_line(line.lstrip()[len(PREFIX):]) if line.strip() else ""
        if text:
            papers.append(ParsedPaper(source=Source(name, number, FORMAT_ABSTRACTS), abstract=text))
    return ParsedListing(name, FORMAT_ABSTRACTS, papers)
