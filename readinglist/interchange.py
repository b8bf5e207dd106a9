"""Interchange with reference managers: BibTeX and CSL-JSON in and out, CSV and a
Markdown reading list out.

Exports carry the user's tags (``keywords``), read status and note so that
export -> import into a fresh library gives back the same papers, authors, tags
and status. Imports (Zotero, JabRef, our own exports) are parsed with real
libraries (bibtexparser, json) into the same ``ParsedPaper`` records the
listings give, so they merge by title like any listing; every entry that cannot
be used is reported with its reason and the rest still import.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from readinglist import citations
from readinglist.listings.common import MONTHS, ListingError
from readinglist.models import STATUSES, Paper, ParsedListing, ParsedPaper, Source
from readinglist.names import family_name
from readinglist.text import clean, clean_line

FORMAT_BIBTEX = "bibtex"
FORMAT_CSL = "csl-json"
EXPORT_FORMATS = ("json", "bibtex", "csl-json", "csv", "markdown")
STATUS_FIELD = "readstatus"  # JabRef's field name for read status


@dataclass
class UserFields:
    """What an interchange entry says about the user's own data."""

    tags: list[str] = field(default_factory=list)
    status: str | None = None
    note: str | None = None


@dataclass
class Interchange:
    """A parsed BibTeX or CSL-JSON file: records to merge, user data, rejections."""

    listing: ParsedListing
    user: list[UserFields]  # parallel to listing.papers
    rejected: list[str] = field(default_factory=list)  # "entry 'key' (line 3): reason"


# -- export ---------------------------------------------------------------------------------


def _paper(record: Mapping[str, Any]) -> Paper:
    return Paper.from_dict(dict(record))


def to_bibtex(records: Iterable[Mapping[str, Any]], keys: Mapping[str, str],
              with_abstract: bool = False) -> str:
    """A .bib file of ``records`` (the CLI's paper records, user data included)."""
    entries = []
    for record in records:
        paper = _paper(record)
        extra: list[tuple[str, str]] = []
        if paper.date:
            extra.append(("date", "{%s}" % paper.date))
        if paper.category:
            extra.append(("category", "{%s}" % paper.category))
        if paper.has_code:
            extra.append(("hascode", "{yes}"))
        if paper.score is not None:
            extra.append(("score", "{%g}" % paper.score))
        if record.get("status") and record["status"] != "unread":
            extra.append((STATUS_FIELD, "{%s}" % record["status"]))
        if record.get("note"):
            extra.append(("annote", "{%s}" % citations.latex_escape(record["note"])))
        if with_abstract and paper.abstract:
            extra.append(("abstract", "{%s}" % citations.latex_escape(paper.abstract)))
        entries.append(citations.bibtex_entry(paper, keys[paper.id], record.get("tags", ()), extra))
    return "\n".join(entries)


def _csl_name(name: str) -> dict[str, str]:
    family = family_name(name)
    given = name[: len(name) - len(family)].strip()
    return {"family": family, "given": given} if given else {"literal": name}


def to_csl_json(records: Iterable[Mapping[str, Any]], keys: Mapping[str, str]) -> str:
    items = []
    for record in records:
        paper = _paper(record)
        item: dict[str, Any] = {
            "id": keys[paper.id],
            "type": "article",
            "genre": "Preprint",
            "title": paper.title,
            "author": [_csl_name(n) for n in paper.authors],
        }
        if paper.et_al:
            item["author"].append({"literal": "others"})
        if paper.date:
            item["issued"] = {"date-parts": [[int(x) for x in paper.date.split("-")]]}
        if paper.abstract:
            item["abstract"] = paper.abstract
        if record.get("tags"):
            item["keyword"] = ", ".join(record["tags"])
        if record.get("note"):
            item["note"] = record["note"]
        item["custom"] = {
            "readinglist": {
                "status": record.get("status", "unread"),
                "category": paper.category,
                "has_code": paper.has_code,
                "score": paper.score,
            }
        }
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("id", "key", "title", "authors", "et_al", "date", "category", "has_code",
               "score", "status", "tags", "queue_position", "note")


def to_csv(records: Iterable[Mapping[str, Any]], keys: Mapping[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        writer.writerow([
            r["id"], keys[r["id"]], r["title"], "; ".join(r["authors"]), r["et_al"], r["date"] or "",
            r["category"] or "", r["has_code"], "" if r["score"] is None else r["score"],
            r["status"], "; ".join(r.get("tags", [])), r.get("queue_position") or "", r.get("note", ""),
        ])
    return out.getvalue()


def to_markdown(records: Iterable[Mapping[str, Any]]) -> str:
    """A readable reading list: grouped by status, notes indented under each paper."""
    records = list(records)
    lines = ["# Reading list", ""]
    for status, heading in (("reading", "Reading"), ("unread", "To read"), ("read", "Read")):
        group = [r for r in records if r.get("status", "unread") == status]
        if status == "unread":  # the queue's order first, then newest
            group.sort(key=lambda r: (r.get("queue_position") or 10**9, ""))
        if not group:
            continue
        lines += [f"## {heading} ({len(group)})", ""]
        for r in group:
            lines.append(citations.cite(_paper(r), style="markdown")
                         + (f" `{'` `'.join(r['tags'])}`" if r.get("tags") else ""))
            for note_line in (r.get("note") or "").strip().splitlines():
                lines.append(f"  > {note_line}".rstrip())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- import ---------------------------------------------------------------------------------


def _split_authors(text: str) -> tuple[list[str], bool]:
    """BibTeX ``Last, First and ... and others`` -> (["First Last", ...], et_al)."""
    names, et_al = [], False
    for part in (p.strip() for p in " ".join(text.split()).split(" and ")):
        if not part:
            continue
        if part.lower() == "others":
            et_al = True
            continue
        if "," in part:
            last, _, first = part.partition(",")
            part = f"{first.strip()} {last.strip()}".strip()
        names.append(clean_line(part.replace("{", "").replace("}", "")))
    return names, et_al


def _date_from(fields: Mapping[str, str]) -> str | None:
    raw = fields.get("date", "").strip()
    try:
        if raw:
            parts = [int(x) for x in raw.split("-")[:3]]
            return date(*(parts + [1] * (3 - len(parts)))).isoformat()
        year = int(fields.get("year", "").strip()[:4])
    except ValueError:
        return None
    month_raw = fields.get("month", "").strip().lower()[:3]
    month = MONTHS.get(month_raw.title()) or (int(month_raw) if month_raw.isdigit() else 1)
    try:
        return date(year, month, 1).isoformat()
    except ValueError:
        return None


def _tags(text: str) -> list[str]:
    separator = ";" if ";" in text else ","
    return [clean_line(t) for t in text.split(separator) if clean_line(t)]


def _status(value: Any) -> str | None:
    value = str(value or "").strip().lower()
    if value == "skimmed":  # JabRef
        return "reading"
    return value if value in STATUSES else None


def parse_bibtex(text: str, name: str) -> Interchange:
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    # bibtexparser logs each bad block as a warning; we report them ourselves.
    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
    logging.getLogger("bibtexparser").propagate = False
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    papers: list[ParsedPaper] = []
    user: list[UserFields] = []
    rejected: list[str] = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        kind = type(block).__name__
        if kind == "DuplicateBlockKeyBlock":
            rejected.append(f"entry '{block.key}' (line {line}): duplicate key; the first one was kept")
        else:
            key = block.raw.partition("{")[2].partition(",")[0].strip() or "?"
            rejected.append(f"entry '{key}' (line {line}): could not be parsed "
                            "(unbalanced braces or a syntax error); skipped")
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        line = entry.start_line + 1
        title = clean_line(fields.get("title", "").replace("{", "").replace("}", ""))
        if not title:
            rejected.append(f"entry '{entry.key}' (line {line}): no title")
            continue
        authors, et_al = _split_authors(fields.get("author", ""))
        when = _date_from(fields)
        score = fields.get("score", "").strip()
        papers.append(ParsedPaper(
            source=Source(name, line, FORMAT_BIBTEX),
            title=title,
            authors=authors,
            et_al=et_al,
            category=fields.get("category") or None,
            date=when,
            date_text=when,
            has_code=fields.get("hascode", "").strip().lower() in ("yes", "true", "1"),
            score=float(score) if score.replace(".", "", 1).isdigit() else None,
            abstract=clean(fields["abstract"]).strip() or None if "abstract" in fields else None,
        ))
        user.append(UserFields(
            tags=_tags(fields.get("keywords", "")),
            status=_status(fields.get(STATUS_FIELD)),
            note=clean(fields["annote"]) if fields.get("annote") else None,
        ))
    return Interchange(ParsedListing(name, FORMAT_BIBTEX, papers), user, rejected)


def _csl_authors(people: Any) -> tuple[list[str], bool]:
    names, et_al = [], False
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        literal = person.get("literal")
        if literal == "others":
            et_al = True
            continue
        name = literal or " ".join(
            str(person.get(k, "")).strip() for k in ("given", "non-dropping-particle", "family")
        )
        if clean_line(name):
            names.append(clean_line(name))
    return names, et_al


def _csl_date(issued: Any) -> str | None:
    try:
        parts = [int(x) for x in issued["date-parts"][0]][:3]
        return date(*(parts + [1] * (3 - len(parts)))).isoformat()
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def parse_csl_json(text: str, name: str) -> Interchange:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListingError(f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if isinstance(items, dict) and isinstance(items.get("papers"), list):
        return _parse_native(items["papers"], name)
    if isinstance(items, dict) and isinstance(items.get("items"), list):
        items = items["items"]
    if not isinstance(items, list):
        raise ListingError(f"{name}: not CSL-JSON (expected a list of items)")
    papers: list[ParsedPaper] = []
    user: list[UserFields] = []
    rejected: list[str] = []
    for number, item in enumerate(items, start=1):
        label = f"item {number}" + (f" '{item.get('id')}'" if isinstance(item, dict) and item.get("id") else "")
        if not isinstance(item, dict):
            rejected.append(f"{label}: not an object")
            continue
        title = clean_line(str(item.get("title") or ""))
        if not title:
            rejected.append(f"{label}: no title")
            continue
        custom = item.get("custom", {}).get("readinglist", {}) if isinstance(item.get("custom"), dict) else {}
        authors, et_al = _csl_authors(item.get("author"))
        when = _csl_date(item.get("issued"))
        score = custom.get("score")
        papers.append(ParsedPaper(
            source=Source(name, number, FORMAT_CSL),
            title=title,
            authors=authors,
            et_al=et_al,
            category=custom.get("category") or None,
            date=when,
            date_text=when,
            has_code=bool(custom.get("has_code")),
            score=float(score) if isinstance(score, (int, float)) else None,
            abstract=clean(str(item["abstract"])).strip() or None if item.get("abstract") else None,
        ))
        user.append(UserFields(
            tags=_tags(str(item.get("keyword") or "")),
            status=_status(custom.get("status")),
            note=clean(str(item["note"])) if item.get("note") else None,
        ))
    return Interchange(ParsedListing(name, FORMAT_CSL, papers), user, rejected)


def _parse_native(records: list[Any], name: str) -> Interchange:
    """Our own ``export --format json``: paper records with the user's data."""
    papers: list[ParsedPaper] = []
    user: list[UserFields] = []
    rejected: list[str] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict) or not clean_line(str(record.get("title") or "")):
            rejected.append(f"paper {number}: no title")
            continue
        versions = [clean(str(v)) for v in record.get("abstract_versions") or [] if v]
        papers.append(ParsedPaper(
            source=Source(name, number, "json"),
            title=clean_line(str(record["title"])),
            authors=[clean_line(str(a)) for a in record.get("authors") or []],
            et_al=bool(record.get("et_al")),
            affiliation=record.get("affiliation"),
            category=record.get("category"),
            date=record.get("date"),
            date_text=record.get("date_text") or record.get("date"),
            has_code=bool(record.get("has_code")),
            score=record.get("score") if isinstance(record.get("score"), (int, float)) else None,
            abstract=versions[0] if versions else record.get("abstract"),
        ))
        user.append(UserFields(
            tags=[clean_line(str(t)) for t in record.get("tags") or []],
            status=_status(record.get("status")),
            note=clean(str(record["note"])) if record.get("note") else None,
        ))
    return Interchange(ParsedListing(name, "json", papers), user, rejected)


def parse_interchange(text: str, name: str) -> Interchange | None:
    """Parse ``text`` if ``name`` is a .bib or .json file; None for listings."""
    lowered = name.lower()
    if lowered.endswith((".bib", ".bibtex")):
        result = parse_bibtex(text, name)
    elif lowered.endswith(".json"):
        result = parse_csl_json(text, name)
    else:
        return None
    if not result.listing.papers:
        reasons = "; ".join(result.rejected[:3]) or "no entries"
        raise ListingError(f"{name}: nothing to import ({reasons})")
    return result
