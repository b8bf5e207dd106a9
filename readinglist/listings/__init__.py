"""Listing parsers behind one interface: ``parse_text`` and ``parse_file``.

Each format module offers ``looks_like_*`` and ``parse``; this module decides
which one a file is and turns "not a listing" into a one-line ``ListingError``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from readinglist.listings import abstracts, profile
from readinglist.listings.common import ListingError, decode
from readinglist.listings.records import parse_blocks
from readinglist.models import FORMAT_COMPACT, ParsedListing

__all__ = ["ListingError", "parse_bytes", "parse_file", "parse_text"]


def parse_text(
    text: str,
    name: str,
    today: date | None = None,
    known: Callable[[str], bool] | None = None,
) -> ParsedListing:
    """Parse a listing's text. ``today`` resolves dates written without a year;
    ``known`` says whether a name is already in the library (helps the compact split)."""
    today = today or date.today()
    # Every BOM goes, not just a leading one: two files saved with BOMs and
    # joined with ``cat`` have one at the start of a line in the middle, which
    # then hid that line's meta line (and the paper went into the abstract above).
    lines = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if abstracts.looks_like_abstracts(lines):
        listing = abstracts.parse(lines, name)
    elif profile.looks_like_profile(lines, today):
        listing = profile.parse(lines, name, today)
    else:
        papers, warnings = parse_blocks(lines, 0, name, FORMAT_COMPACT, today, known)
        listing = ParsedListing(name, FORMAT_COMPACT, papers, warnings=warnings)
    if not listing.papers:
        raise ListingError(f"{name}: no papers found (not a listing)")
    return listing


def parse_bytes(data: bytes, name: str, today: date | None = None,
                known: Callable[[str], bool] | None = None) -> ParsedListing:
    return parse_text(decode(data, name), name, today, known)


def parse_file(path: Path, today: date | None = None,
               known: Callable[[str], bool] | None = None) -> ParsedListing:
    """Read and parse one listing file; every failure is a ``ListingError``."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ListingError(f"{path}: is a folder, not a file") from None
    except FileNotFoundError:
        raise ListingError(f"{path}: no such file") from None
    except OSError as exc:
        raise ListingError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_bytes(data, path.name, today, known)
