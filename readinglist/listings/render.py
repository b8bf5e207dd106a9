"""Writing listings: the inverse of the parsers.

``render_profile``, ``render_compact`` and ``render_abstracts`` turn paper
records back into the text of a profile page, a compact listing and an abstract
dump, laid out exactly like the real listings (see ``seeds/``). Whatever they
write, ``parse_text`` reads back to the same fields (the round-trip property
tests hold them to that).

The records may be ``ParsedPaper``s, library ``Paper``s or anything else with
the same attribute names (``title``, ``authors``, ``et_al``, ``affiliation``,
``category``, ``date``, ``date_text``, ``has_code``, ``score``, ``abstract``);
missing attributes count as empty. Used by the tests and by the benchmark's
synthetic-library generator.

What the formats cannot carry, the renderer refuses with ``ValueError`` rather
than writing a listing that would read back as something else: a paper with no
title or no category, no date at all, a score the meta line cannot hold.
Whitespace inside one-line fields (title, names) is folded to single spaces, as
the parsers do; an abstract keeps its paragraphs (blank-line separated) in the
profile and compact formats, and is joined into one line in a dump.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date as _date
from typing import Any

from readinglist.listings.abstracts import PREFIX as ABSTRACT_PREFIX
from readinglist.listings.common import AFFILIATION_SEP, MONTHS, format_meta
from readinglist.models import Profile

__all__ = [
    "date_text_for",
    "render_abstracts",
    "render_author_line",
    "render_compact",
    "render_meta",
    "render_profile",
]

_MONTH_NAMES = {number: name for name, number in MONTHS.items()}


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _paragraphs(text: str | None) -> list[str]:
    """An abstract's paragraphs (blank-line separated), each on one line."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in (text or "").split("\n"):
        if line.strip():
            current.append(_one_line(line))
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def date_text_for(iso: str, with_year: bool = True) -> str:
    """``2023-07-04`` -> ``Jul 4, 2023`` (or ``Jul 4`` without the year)."""
    when = _date.fromisoformat(iso)
    text = f"{_MONTH_NAMES[when.month]} {when.day}"
    return f"{text}, {when.year}" if with_year else text


def render_meta(paper: Any) -> str:
    """The meta line of one paper: ``81.2LGMay 29Code``.

    Uses the date as written (``date_text``) when there is one, so a date
    written without a year stays without it; else writes the ISO ``date`` in
    full.
    """
    category = getattr(paper, "category", None)
    if not category:
        raise ValueError("cannot render a paper without a category")
    date_text = getattr(paper, "date_text", None)
    if not date_text:
        iso = getattr(paper, "date", None)
        if not iso:
            raise ValueError("cannot render a paper without a date")
        date_text = date_text_for(iso)
    return format_meta(
        category,
        date_text,
        bool(getattr(paper, "has_code", False)),
        getattr(paper, "score", None),
    )


def render_author_line(
    authors: Iterable[str], et_al: bool = False, affiliation: str | None = None
) -> str:
    """``A, B, C et al. · princeton``: the author line of both listed formats."""
    line = ", ".join(_one_line(name) for name in authors if _one_line(name))
    if et_al:
        line = f"{line} et al." if line else "et al."
    affiliation = _one_line(affiliation)
    if affiliation:
        line = f"{line}{AFFILIATION_SEP}{affiliation}"
    return line


def _title(paper: Any) -> str:
    title = _one_line(getattr(paper, "title", None))
    if not title:
        raise ValueError("cannot render a paper without a title")
    return title


def _paper_author_line(paper: Any) -> str:
    return render_author_line(
        getattr(paper, "authors", None) or [],
        bool(getattr(paper, "et_al", False)),
        getattr(paper, "affiliation", None),
    )


def _profile_header(owner: str, profile: Profile | None, count: int) -> list[str]:
    profile = profile or Profile()
    lines = [_one_line(owner), ""]
    stats = [
        profile.category,
        None if profile.h_index is None else f"h-index{profile.h_index}",
        None if profile.papers is None else f"{profile.papers}papers",
        None if profile.citations is None else f"{profile.citations}citations",
        None if profile.novelty is None else f"Novelty{profile.novelty}%",
        None if profile.ai_score is None else f"AI Score{profile.ai_score}",
    ]
    stats = [s for s in stats if s]
    if stats:
        lines += [*stats, ""]
    # The "13 Papers" line is always written: it is what marks the page as a
    # profile when the header gives no other stats.
    listed = profile.listed if profile.listed is not None else count
    lines += [f"{listed} Papers", ""]
    return lines


def render_profile(owner: str, profile: Profile | None, papers: Iterable[Any]) -> str:
    """An author's profile page: the stats header, then per paper the meta
    line, title, blank, author line, blank, abstract, blank.

    ``profile`` may be None (no stats); the ``N Papers`` line then counts
    ``papers``. ``Profile.source`` is not written (the parser sets it to the
    file name).
    """
    papers = list(papers)
    lines = _profile_header(owner, profile, len(papers))
    for paper in papers:
        lines += [render_meta(paper), _title(paper), "", _paper_author_line(paper), ""]
        paragraphs = _paragraphs(getattr(paper, "abstract", None))
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_compact(papers: Iterable[Any]) -> str:
    """A compact listing: per paper the meta line, the title and author line
    run together (``...GeometryChristos Thrampoulidis, Ganesh R. Kini et al.``),
    then the abstract on the next line (further paragraphs after blank lines).

    The format leans on the name rules (``readinglist.names``) to find where
    the title ends: a paper with no authors, or whose first author is no name
    by those rules ("danah boyd", a mononym), is written but may not read back
    as it was; use ``render_profile`` for those.
    """
    lines: list[str] = []
    for paper in papers:
        lines += [render_meta(paper), _title(paper) + _paper_author_line(paper)]
        paragraphs = _paragraphs(getattr(paper, "abstract", None))
        for k, paragraph in enumerate(paragraphs):
            if k:
                lines.append("")
            lines.append(paragraph)
    return "\n".join(lines) + "\n" if lines else ""


def render_abstracts(abstracts: Iterable[Any]) -> str:
    """An abstract dump: one ``Abstract:...`` line per abstract.

    Takes strings or paper records (their ``abstract``); empty ones are
    skipped, paragraphs are joined into the one line.
    """
    lines: list[str] = []
    for item in abstracts:
        text = item if isinstance(item, str) else getattr(item, "abstract", None)
        text = _one_line(text)
        if text:
            lines.append(f"{ABSTRACT_PREFIX}{text}")
    return "\n".join(lines) + "\n" if lines else ""
