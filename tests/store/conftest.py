"""Fixtures for the store tests: a store in tmp_path, a fake clock, and a
stand-in for ``listings.merge`` so the catalogue can be filled exactly."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from readinglist.models import Author, Paper, ParsedListing
from readinglist.store import Store


class Clock:
    """A clock that moves one second per reading, so every write has its own time."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@dataclass
class FakeReport:
    """The fields of ``merge.ImportReport`` the store relies on."""

    file: str
    added: int = 0
    merged: int = 0
    versions: int = 0
    flagged: int = 0
    absorbed: dict[str, str] = field(default_factory=dict)


#: What a fake merge does to the catalogue; returns ``absorbed`` (old id -> new id).
Plan = Callable[["FakeCatalogue", ParsedListing], "dict[str, str] | None"]


class FakeCatalogue:
    """``merge.Catalogue``'s interface; ``install_merge`` adds what ``merge_listing`` does."""

    def __init__(self, papers: dict[str, Paper], authors: dict[str, Author], redirects: dict[str, str]):
        self.papers, self.authors, self.redirects = papers, authors, redirects

    @classmethod
    def from_records(cls, papers: Iterable[dict[str, Any]], authors: Iterable[dict[str, Any]],
                     redirects: dict[str, str] | None = None) -> FakeCatalogue:
        return cls({p["id"]: Paper.from_dict(p) for p in papers},
                   {a["id"]: Author.from_dict(a) for a in authors}, dict(redirects or {}))

    def merge_listings(self, listings: Iterable[ParsedListing], now: datetime | None = None) -> list[FakeReport]:
        return [self.merge_listing(listing, now) for listing in listings]  # type: ignore[attr-defined]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "library.json"


@pytest.fixture
def open_store(db_path: Path, clock: Clock) -> Callable[..., Store]:
    """Open a (new) Store on the test's library, as another command would."""

    def make(path: Path = db_path, **kwargs: Any) -> Store:
        return Store(path, clock=clock, **kwargs)

    return make


@pytest.fixture
def store(open_store: Callable[..., Store]) -> Store:
    return open_store()


@pytest.fixture
def install_merge(monkeypatch: pytest.MonkeyPatch) -> Callable[[Plan], None]:
    """Make the store's import use a FakeCatalogue whose merge runs ``plan(catalogue, listing)``."""

    def install(plan: Plan) -> None:
        class Catalogue(FakeCatalogue):
            def merge_listing(self, listing: ParsedListing, now: datetime | None = None) -> FakeReport:
                return FakeReport(file=listing.name, absorbed=plan(self, listing) or {})

        module = types.ModuleType("readinglist.listings.merge")
        module.Catalogue = Catalogue  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "readinglist.listings.merge", module)

    return install


LISTING = ParsedListing(name="test.txt", format="compact", papers=[])


@pytest.fixture
def seed(install_merge: Callable[[Plan], None]) -> Callable[..., FakeReport]:
    """Add papers (given as Paper objects or bare ids) and authors to the catalogue,
    through import_listing as a real import would."""

    def add(store: Store, papers: Iterable[Paper | str] = (), authors: Iterable[Author] = ()) -> FakeReport:
        new_papers = [Paper(id=p, title=f"Title of {p}") if isinstance(p, str) else p for p in papers]
        new_authors = list(authors)

        def plan(catalogue: FakeCatalogue, listing: ParsedListing) -> None:
            catalogue.papers.update({p.id: p for p in new_papers})
            catalogue.authors.update({a.id: a for a in new_authors})

        install_merge(plan)
        return store.import_listing(LISTING)

    return add
