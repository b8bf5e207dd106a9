"""Plain data: what a listing holds, what the library keeps, what the user adds.

Nothing here knows about TinyDB, Textual or files. Each record converts to and
from a JSON-ready dict (``to_dict``/``from_dict``); the store persists those.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, Literal

STATUSES: tuple[str, ...] = ("unread", "reading", "read")
Status = Literal["unread", "reading", "read"]

FORMAT_PROFILE = "profile"
FORMAT_COMPACT = "compact"
FORMAT_ABSTRACTS = "abstracts"


@cache
def _field_names(cls) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def _from_dict(cls, data: dict[str, Any]):
    """Build a dataclass from a dict, ignoring keys it does not know."""
    try:
        return cls(**data)  # the usual case, and 3x faster than filtering first
    except TypeError:
        names = _field_names(cls)
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: the listing file (its name) and 1-based line."""

    file: str
    line: int
    format: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "format": self.format}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class Profile:
    """The stats header of an author profile page, as the page gave them."""

    category: str | None = None
    h_index: int | None = None
    papers: int | None = None
    citations: int | None = None
    novelty: int | None = None  # percent
    ai_score: int | None = None
    listed: int | None = None  # the "13 Papers" line
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "h_index": self.h_index, "papers": self.papers,
                "citations": self.citations, "novelty": self.novelty, "ai_score": self.ai_score,
                "listed": self.listed, "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Profile | None:
        return None if data is None else _from_dict(cls, data)


@dataclass
class ParsedPaper:
    """One record as a listing gives it, before it meets the library.

    A record from an abstract dump has only ``abstract`` (and its source).
    """

    source: Source
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    et_al: bool = False
    affiliation: str | None = None
    category: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd, year resolved
    date_text: str | None = None  # as written: "May 29" or "Jul 4, 2023"
    has_code: bool = False
    score: float | None = None
    abstract: str | None = None


@dataclass
class ParsedListing:
    """A whole listing file, parsed."""

    name: str
    format: str
    papers: list[ParsedPaper]
    owner: str | None = None  # the profile page's author
    profile: Profile | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Paper:
    """A paper in the library: the merge of every listing that named it."""

    id: str
    title: str
    authors: list[str] = field(default_factory=list)  # names as written, in order
    author_ids: list[str] = field(default_factory=list)  # people, incl. hidden owners
    et_al: bool = False
    affiliation: str | None = None
    category: str | None = None
    date: str | None = None
    date_text: str | None = None
    has_code: bool = False
    score: float | None = None
    abstract: str | None = None
    abstract_versions: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    needs_review: bool = False
    added: str | None = None  # ISO timestamp of the first import

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def to_dict(self) -> dict[str, Any]:
        # Written out, not dataclasses.asdict, which deep-copies field by field:
        # at 100,000 papers asdict took 5 of an import's 75 s. Lists are copied,
        # so a document never shares a list with the paper it came from.
        return {
            "id": self.id, "title": self.title, "authors": list(self.authors),
            "author_ids": list(self.author_ids), "et_al": self.et_al,
            "affiliation": self.affiliation, "category": self.category, "date": self.date,
            "date_text": self.date_text, "has_code": self.has_code, "score": self.score,
            "abstract": self.abstract, "abstract_versions": list(self.abstract_versions),
            "sources": [s.to_dict() for s in self.sources], "needs_review": self.needs_review,
            "added": self.added,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        paper = _from_dict(cls, data)
        paper.sources = [Source.from_dict(s) for s in data.get("sources", [])]
        paper.authors = list(paper.authors)
        paper.author_ids = list(paper.author_ids)
        if "abstract_versions" in data:
            paper.abstract_versions = list(paper.abstract_versions)
        else:  # the store leaves out a single version that is the abstract itself
            paper.abstract_versions = [paper.abstract] if paper.abstract else []
        return paper


@dataclass(slots=True)
class Author:
    """A person. ``name`` is the fullest spelling seen; ``aliases`` the others."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    paper_ids: list[str] = field(default_factory=list)
    profile: Profile | None = None

    @property
    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "aliases": list(self.aliases),
                "paper_ids": list(self.paper_ids),
                "profile": self.profile.to_dict() if self.profile else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Author:
        author = _from_dict(cls, data)
        author.aliases = list(author.aliases)
        author.paper_ids = list(author.paper_ids)
        author.profile = Profile.from_dict(data.get("profile"))
        return author


@dataclass(slots=True)
class UserData:
    """What the user adds to a paper. Kept apart from the catalogue."""

    paper_id: str
    tags: list[str] = field(default_factory=list)
    status: str = "unread"
    status_since: dict[str, str] = field(default_factory=dict)  # status -> ISO time
    note: str = ""
    updated: str | None = None

    def is_blank(self) -> bool:
        return not (self.tags or self.note or self.status != "unread" or self.status_since)

    def to_dict(self) -> dict[str, Any]:
        return {"paper_id": self.paper_id, "tags": list(self.tags), "status": self.status,
                "status_since": dict(self.status_since), "note": self.note,
                "updated": self.updated}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UserData:
        user = _from_dict(cls, data)
        user.tags = list(user.tags)
        user.status_since = dict(user.status_since)
        return user
