"""Pieces every listing format shares: decoding, the meta line, dates, author lists."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from readinglist.names import is_name
from readinglist.text import clean_line


class ListingError(ValueError):
    """A file that is not a listing. The message is one line, for the user."""


MONTHS = {m: i for i, m in enumerate(calendar.month_abbr) if m}

# "81.2LGMay 29Code": optional score, two-letter category, date, optional Code.
# Digits are ASCII only ([0-9], not \d: that would take "May ٢٩" for May 29).
META_LINE = re.compile(
    r"(?P<score>[0-9]{1,3}(?:\.[0-9]{1,3})?)?"
    r"(?P<category>[A-Z]{2})"
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" (?P<day>[0-9]{1,2})(?:, (?P<year>[0-9]{4}))?"
    r"(?P<code> ?Code)?"
)


def decode(data: bytes, name: str) -> str:
    """Bytes of a listing file -> text with ``\\n`` line ends, or ListingError.

    UTF-8 with or without a BOM; UTF-16 when it carries a BOM. Anything with NUL
    bytes (and no UTF-16 BOM) is binary. Line ends LF, CRLF or CR.
    """
    if not data.strip():
        raise ListingError(f"{name}: empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ListingError(f"{name}: not valid UTF-16 text ({exc.reason})") from None
    elif b"\x00" in data:
        raise ListingError(f"{name}: binary file (contains NUL bytes), not a listing")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ListingError(
                f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Meta:
    category: str
    date: str  # ISO
    date_text: str
    has_code: bool
    score: float | None


def resolve_date(month: int, day: int, year: int | None, today: date) -> date | None:
    """The date as written; with no year, the most recent such date not after ``today``."""
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for candidate_year in range(today.year, today.year - 9, -1):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:  # Feb 29 outside a leap year, or Apr 31
            continue
        if candidate <= today:
            return candidate
    return None


def parse_meta(line: str, today: date) -> Meta | None:
    """Parse a meta line (``81.2LGMay 29Code``); None if ``line`` is not one."""
    match = META_LINE.fullmatch(line.strip())
    if not match:
        return None
    year = int(match["year"]) if match["year"] else None
    when = resolve_date(MONTHS[match["month"]], int(match["day"]), year, today)
    if when is None:
        return None
    # The date exactly as written ("Jul 04, 2023" stays so), not re-spelt.
    date_text = match.string[match.start("month"):match.end("year" if match["year"] else "day")]
    return Meta(
        category=match["category"],
        date=when.isoformat(),
        date_text=date_text,
        has_code=bool(match["code"]),
        score=float(match["score"]) if match["score"] else None,
    )


def format_score(score: float) -> str:
    """A score as the meta line writes it: ``81.2``, ``100``, at most 3 decimals.

    Not ``f"{score:g}"``: that writes ``1e-05`` and ``1.2346e+03``, which the
    meta line cannot hold. Scores outside [0, 1000) cannot be written at all.
    """
    if not 0 <= score < 1000:  # also refuses NaN
        raise ValueError(f"a meta line cannot hold the score {score!r}")
    text = f"{score:.3f}".rstrip("0").rstrip(".")
    if len(text.partition(".")[0]) > 3:  # 999.9996 rounds up to 1000
        raise ValueError(f"a meta line cannot hold the score {score!r}")
    return text


def format_meta(category: str, date_text: str, has_code: bool, score: float | None) -> str:
    """The inverse of ``parse_meta`` (used by tests and the benchmark's generator).

    Raises ValueError for what ``parse_meta`` would not read back: a category
    that is not two capital letters, a date not written ``Mon D`` or
    ``Mon D, YYYY`` or no such day (``Apr 31``), a score outside [0, 1000).
    """
    score_text = "" if score is None else format_score(score)
    line = f"{score_text}{category}{date_text}{'Code' if has_code else ''}"
    match = META_LINE.fullmatch(line)
    if (
        match is None
        or match["category"] != category
        or line[match.start("month"):match.end("year") if match["year"] else match.end("day")]
        != date_text
        # 2000 is a leap year: a yearless Feb 29 always resolves to some year.
        or resolve_date(MONTHS[match["month"]], int(match["day"]),
                        int(match["year"]) if match["year"] else None, date(2000, 12, 31))
        is None
    ):
        raise ValueError(f"cannot write a meta line for {category!r}, {date_text!r}")
    return line


ET_AL = re.compile(r",?\s+et\.?\s+al\.?$")
AFFILIATION_SEP = " \u00b7 "


@dataclass(frozen=True)
class AuthorLine:
    authors: list[str]
    et_al: bool
    affiliation: str | None


def split_tail(text: str) -> tuple[str, bool, str | None]:
    """Strip `` · affiliation`` and `` et al.`` off the end of an author line."""
    affiliation = None
    if AFFILIATION_SEP in text:
        text, _, affiliation = text.rpartition(AFFILIATION_SEP)
        affiliation = clean_line(affiliation) or None
    text = text.rstrip()
    et_al = False
    match = ET_AL.search(text)
    if match:
        text, et_al = text[: match.start()], True
    return text.strip(), et_al, affiliation


def split_names(text: str) -> list[str]:
    """``A, B and C`` -> [A, B, C]."""
    names: list[str] = []
    for part in text.split(","):
        part = clean_line(part)
        if part.startswith("and "):
            part = part[4:]
        if " and " in part:
            left, _, right = part.rpartition(" and ")
            if is_name(left) and is_name(right):
                names.extend([left, right])
                continue
        if part:
            names.append(part)
    return names


def parse_author_line(line: str) -> AuthorLine:
    body, et_al, affiliation = split_tail(clean_line(line))
    return AuthorLine(split_names(body), et_al, affiliation)


def looks_like_author_line(line: str) -> bool:
    """True if ``line`` is a comma-separated list of names and nothing else."""
    body, _, _ = split_tail(clean_line(line))
    names = split_names(body)
    return bool(names) and all(is_name(n) for n in names)


def clean_block(lines: list[str]) -> str:
    """Join an abstract's lines: paragraphs kept, control characters removed."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(clean_line(line))
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
