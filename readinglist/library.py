"""The library as the CLI and the app see it: the store's catalogue joined with
the user's data, importing files and folders, exporting, searching.

UI-free. The store is passed in (no global store); nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from readinglist.interchange import Interchange, parse_interchange
from readinglist.listings import ListingError, parse_file
from readinglist.listings.common import decode
from readinglist.listings.merge import ImportReport, title_key
from readinglist.models import Author, Paper, ParsedListing, UserData
from readinglist.search import SearchIndex
from readinglist.store import Store, StoreError, gc_paused

_PACKAGE = Path(__file__).resolve().parent
INTERCHANGE_SUFFIXES = (".bib", ".bibtex", ".json")


def bundled_seeds_dir() -> Path:
    """The seed listings: inside the installed package, or the checkout's ``seeds/``."""
    for candidate in (_PACKAGE / "_seeds", _PACKAGE.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled seed listings are missing from this installation")


def bundled_seeds() -> list[Path]:
    return sorted(p for p in bundled_seeds_dir().iterdir() if p.suffix == ".txt")


def listing_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and every visible file below each folder named, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            files.append(path)
    return files


@dataclass
class ImportOutcome:
    reports: list[ImportReport] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    def to_dict(self) -> dict[str, Any]:
        return {
            "imported": [r.to_dict() for r in self.reports],
            "rejected": [{"file": f, "reason": why} for f, why in self.rejected],
        }


def paper_record(paper: Paper, user: UserData, queue_position: int | None,
                 queued_at: str | None = None) -> dict[str, Any]:
    """One paper as the CLI's JSON and the export show it."""
    data = paper.to_dict()
    data.update(
        tags=list(user.tags),
        status=user.status,
        status_since=dict(user.status_since),
        queue_position=queue_position,
        queued_at=queued_at if queue_position else None,
        note=user.note,
    )
    return data


def author_record(author: Author, read: int = 0) -> dict[str, Any]:
    data = author.to_dict()
    data["papers"] = len(author.paper_ids)
    data["read"] = read
    return data


class Library:
    """The store plus what every front end needs on top of it."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today

    # -- importing -----------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[Path] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> ImportOutcome:
        """Import listing files (or the bundled seeds). Each file is imported whole
        or rejected whole with its reason; the others still import."""
        outcome = ImportOutcome()
        files = bundled_seeds() if paths is None else []
        if paths is not None:
            for path in paths:
                if not path.exists():
                    outcome.rejected.append((str(path), "no such file or folder"))
            files = listing_files(p for p in paths if p.exists())
        with gc_paused():  # parsed records and merged papers: millions of acyclic objects
            self._import_files(files, progress, outcome)
        return outcome

    def _import_files(self, files: list[Path], progress: Callable[[int, int, str], None] | None,
                      outcome: ImportOutcome) -> None:
        known = {s for a in self.store.authors() for s in a.spellings}
        batch: list[tuple[Path, ParsedListing]] = []
        for number, path in enumerate(files, start=1):
            if progress:
                progress(number, len(files), path.name)
            try:
                if path.suffix.lower() in INTERCHANGE_SUFFIXES:
                    self._import_batch(batch, outcome)  # keep the files' order
                    outcome.reports.append(self._import_interchange(path))
                else:
                    listing = parse_file(path, self.today(), known=known.__contains__)
                    known.update(name for record in listing.papers for name in record.authors)
                    batch.append((path, listing))
            except (ListingError, StoreError) as exc:
                outcome.rejected.append((str(path), str(exc).removeprefix(f"{path.name}: ")))
        self._import_batch(batch, outcome)

    def _import_batch(self, batch: list[tuple[Path, ParsedListing]], outcome: ImportOutcome) -> None:
        """Parsed listings into the store in one transaction (one catalogue write
        however many files), then empty ``batch``."""
        if not batch:
            return
        try:
            outcome.reports.extend(self.store.import_listings([listing for _, listing in batch]))
        except StoreError as exc:
            outcome.rejected.extend((str(path), str(exc)) for path, _ in batch)
        batch.clear()

    def _import_interchange(self, path: Path) -> ImportReport:
        """A BibTeX or CSL-JSON file, whole: papers merged, then the user's fields."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ListingError(f"{path}: cannot read ({exc.strerror})") from None
        parsed = parse_interchange(decode(data, path.name), path.name)
        assert parsed is not None
        report = self.store.import_listing(parsed.listing)
        report.warnings.extend(f"rejected {why}" for why in parsed.rejected)
        self._apply_user_fields(parsed)
        return report

    def _apply_user_fields(self, parsed: Interchange) -> None:
        """Tags, status and note from an export: added, never taking anything away."""
        by_title = {title_key(p.title): p.id for p in self.store.papers() if not p.needs_review}
        for record, fields in zip(parsed.listing.papers, parsed.user):
            paper_id = by_title.get(title_key(record.title or ""))
            if paper_id is None:
                continue
            user = self.store.user(paper_id)
            if fields.tags:
                self.store.add_tags(paper_id, fields.tags)
            if fields.status and user.status == "unread" and fields.status != "unread":
                self.store.set_status(paper_id, fields.status)
            if fields.note and fields.note.strip() not in user.note:
                self.store.append_note(paper_id, fields.note.strip())

    # -- reading -------------------------------------------------------------------

    def queue_positions(self) -> dict[str, int]:
        return {pid: i for i, pid in enumerate(self.store.queue(), start=1)}

    def record(self, paper_id: str) -> dict[str, Any]:
        paper = self.store.paper(paper_id)
        return paper_record(paper, self.store.user(paper.id), self.queue_positions().get(paper.id),
                            self.store.queued_since().get(paper.id))

    def records(self, paper_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        positions = self.queue_positions()
        since = self.store.queued_since()
        user = self.store.all_user()
        papers = (
            self.store.papers() if paper_ids is None else [self.store.paper(p) for p in paper_ids]
        )
        return [
            paper_record(p, user.get(p.id) or UserData(p.id), positions.get(p.id), since.get(p.id))
            for p in papers
        ]

    def author_records(self) -> list[dict[str, Any]]:
        user = self.store.all_user()
        rows = [
            author_record(a, sum(1 for pid in a.paper_ids if pid in user and user[pid].status == "read"))
            for a in self.store.authors()
        ]
        return sorted(rows, key=lambda r: (-r["papers"], r["name"].casefold()))

    def export(self) -> dict[str, Any]:
        papers = sorted(self.records(), key=lambda r: (r["date"] or "", r["id"]), reverse=True)
        authors = [
            {k: r[k] for k in ("id", "name", "aliases", "paper_ids", "profile")}
            for r in self.author_records()
        ]
        return {"papers": papers, "authors": authors}

    def search_index(self) -> SearchIndex:
        """The search index: from the saved index file when it is current (a
        large library), else built, and saved for the next command."""
        from readinglist.index_cache import index_for

        return index_for(self.store, self.store.papers(), {a.id: a for a in self.store.authors()},
                         self.store.all_user(), self.store.queue(),
                         queued_since=self.store.queued_since())
