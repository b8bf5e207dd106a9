"""Pieces every listing format shares: decoding, the meta line, dates, author lists."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from readinglist import names as name_rules
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


# C0 controls that no text file holds (tab, line ends and form feed do occur).
_BINARY_CONTROLS = frozenset(chr(c) for c in range(32)) - set("\t\n\r\x0c")


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of what looks like a UTF-16 file saved without a BOM, else None.

    Such a file is recognised by where its NUL bytes are: every ASCII
    character is one byte and a NUL, so in little-endian text the NULs sit in
    the odd bytes (and almost never in the even ones), in big-endian text the
    other way round. It must then decode strictly and hold no NUL or other
    control character that text does not have, which binary data never passes.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    units = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= units // 4 and even <= units // 100:
        encoding = "utf-16-le"
    elif even >= units // 4 and odd <= units // 100:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if not _BINARY_CONTROLS.isdisjoint(text):
        return None
    return text


def decode(data: bytes, name: str) -> str:
    """Bytes of a listing file -> text with ``\\n`` line ends, or ListingError.

    UTF-8 with or without a BOM; UTF-16 when it carries a BOM. Anything with NUL
    bytes (and no UTF-16 BOM) is binary; the message says so when it looks like
    UTF-16 without its BOM. Line ends LF, CRLF or CR. Legacy encodings (Latin-1,
    cp1252) are refused, not guessed: a wrong guess would store mojibake
    without a word.
    """
    if not data.strip():
        raise ListingError(f"{name}: empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ListingError(f"{name}: not valid UTF-16 text ({exc.reason})") from None
    elif b"\x00" in data:
        # Refused even when it is UTF-16 text without a BOM (a guess, where
        # binary data must never be taken for text), but then saying so.
        hint = ("; it looks like UTF-16 text without a byte-order mark: save it as UTF-8"
                if _utf16_without_bom(data) is not None else "")
        raise ListingError(f"{name}: binary file (contains NUL bytes), not a listing{hint}")
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


# ``names.name_penalty`` refuses a name longer than this, but only after
# splitting the text into words: on a 10 MB line that list alone is ~100 MB.
# Checking the length first gives the same answer in constant memory.
MAX_NAME_CHARS = 80


def name_penalty(text: str) -> float | None:
    """``names.name_penalty``, refusing a long text before looking at its words."""
    return None if len(text) > MAX_NAME_CHARS else name_rules.name_penalty(text)


def is_name(text: str) -> bool:
    return name_penalty(text) is not None


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
    start = et_al_start(text)
    if start is not None:
        text, et_al = text[:start], True
    return text.strip(), et_al, affiliation


def et_al_start(text: str) -> int | None:
    """Where ``ET_AL`` matches ``text`` (which ends in no whitespace), or None.

    The same answer as ``ET_AL.search(text).start()``, found by reading back
    from the end: the search tried every position of the line, which on a
    10 MB line was the slowest step of the parse.
    """

    def spaces_before(end: int) -> int:
        start = end
        while start > 0 and text[start - 1].isspace():
            start -= 1
        return start

    end = len(text) - 1 if text.endswith(".") else len(text)
    if not text.endswith("al", 0, end):
        return None
    end -= 2
    start = spaces_before(end)
    if start == end:
        return None
    end = start - 1 if text.endswith(".", 0, start) else start
    if not text.endswith("et", 0, end):
        return None
    end -= 2
    start = spaces_before(end)
    if start == end:
        return None
    return start - 1 if text.endswith(",", 0, start) else start


def iter_names(text: str) -> Iterator[str]:
    """``A, B and C`` -> A, B, C, one at a time (so a caller can stop early)."""
    for part in text.split(","):
        part = clean_line(part)
        if part.startswith("and "):
            part = part[4:]
        if " and " in part:
            left, _, right = part.rpartition(" and ")
            if is_name(left) and is_name(right):
                yield left
                yield right
                continue
        if part:
            yield part


def split_names(text: str) -> list[str]:
    """``A, B and C`` -> [A, B, C]."""
    return list(iter_names(text))


def parse_author_line(line: str) -> AuthorLine:
    body, et_al, affiliation = split_tail(clean_line(line))
    return AuthorLine(split_names(body), et_al, affiliation)


def looks_like_author_line(line: str) -> bool:
    """True if ``line`` is a comma-separated list of names and nothing else."""
    if not _first_part_may_be_a_name(line):
        return False
    body, _, _ = split_tail(clean_line(line))
    # Stops at the first part that is no name: on a 10 MB abstract line (the
    # line under a compact title is tried as an author line) that is the first
    # comma, not 80,000 of them.
    names = iter_names(body)
    first = next(names, None)
    return first is not None and is_name(first) and all(is_name(n) for n in names)


def _first_part_may_be_a_name(line: str) -> bool:
    """False when ``line``'s first name-to-be is certainly no name, judged from
    the text before its first comma alone (so an abstract line, tried as an
    author line, is not cleaned whole just to be turned down at its first comma).

    The author line's first part is that text, cleaned, whenever it holds no
    affiliation separator (not even its dot) and a comma follows it (``split_tail`` only cuts the
    end of the line). With no comma, a head of over 200 characters is no name
    either way: cutting ", et al." off its end leaves it longer than two names.
    """
    head, comma, _ = line.partition(",")
    head = clean_line(head)
    if not head or AFFILIATION_SEP.strip() in head or not (comma or len(head) > 200):
        return True  # undecided: look at the whole line
    return is_name(next(iter_names(head)))


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
