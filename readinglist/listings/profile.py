"""The author profile page: a stats header, then the author's papers.

Header (each line optional): the author's name, primary category, ``h-index27``,
``13papers``, ``299citations``, ``Novelty46%``, ``AI Score56``, ``13 Papers``.
The papers follow as blocks: meta line, title, author line, abstract, separated
by blank lines. Every paper on the page belongs to the page's owner.
"""

from __future__ import annotations

import re
from datetime import date

from readinglist.listings.common import ListingError, is_name, parse_meta
from readinglist.listings.records import parse_blocks
from readinglist.models import FORMAT_PROFILE, ParsedListing, Profile
from readinglist.text import clean_line

_STATS = {
    "h_index": re.compile(r"h-index\s*(\d+)", re.I),
    "papers": re.compile(r"(\d+)\s*papers", re.I),
    "citations": re.compile(r"(\d+)\s*citations", re.I),
    "novelty": re.compile(r"novelty\s*(\d+)\s*%?", re.I),
    "ai_score": re.compile(r"ai score\s*(\d+)", re.I),
}
_LISTED = re.compile(r"(\d+) Papers")
_CATEGORY = re.compile(r"[A-Z]{2}")


def header_end(lines: list[str], today: date) -> int:
    """Index of the first meta line (where the header stops)."""
    for i, line in enumerate(lines):
        if parse_meta(line, today):
            return i
    return len(lines)


def looks_like_profile(lines: list[str], today: date) -> bool:
    """A profile page starts with a header naming a person and giving stats."""
    header = [clean_line(line) for line in lines[: header_end(lines, today)] if line.strip()]
    return bool(header) and is_name(header[0]) and any(
        pattern.fullmatch(line) for line in header[1:] for pattern in _STATS.values()
    )


def parse_header(lines: list[str], name: str) -> tuple[str, Profile]:
    header = [clean_line(line) for line in lines if line.strip()]
    owner = header[0]
    stats: dict[str, int] = {}
    category = listed = None
    for line in header[1:]:
        if _CATEGORY.fullmatch(line) and category is None:
            category = line
        elif match := _LISTED.fullmatch(line):
            listed = int(match[1])
        else:
            for key, pattern in _STATS.items():
                if match := pattern.fullmatch(line):
                    stats[key] = int(match[1])
                    break
    return owner, Profile(category=category, listed=listed, source=name, **stats)


def parse(lines: list[str], name: str, today: date) -> ParsedListing:
    start = header_end(lines, today)
    if start == len(lines):
        raise ListingError(f"{name}: profile header but no papers")
    owner, profile = parse_header(lines[:start], name)
    papers, warnings = parse_blocks(lines, start, name, FORMAT_PROFILE, today)
    return ParsedListing(name, FORMAT_PROFILE, papers, owner=owner, profile=profile,
                         warnings=warnings)



