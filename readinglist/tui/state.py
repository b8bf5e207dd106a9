"""What the main screen shows, computed from the store: no widgets here.

``LibraryState`` caches the store's answers (papers, people, user data, queue),
keeps the search index in step with every change, and turns the current view,
filters, query and sort order into the ordered list of paper ids the paper list
shows. Pure Python, so it is cheap to test and safe to call from a worker.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from readinglist.models import Author, Paper, UserData
from readinglist.search import SearchIndex, parse_query
from readinglist.text import clean_line

VIEWS = ("library", "queue", "tags")
SORTS = ("date", "title", "author", "status", "score")
STATUS_ORDER = {"reading": 0, "unread": 1, "read": 2}


class PaperRow(NamedTuple):
    """One row of the paper list, already cleaned for display."""

    id: str
    status: str
    queue: int | None
    title: str
    first_author: str
    year: str
    category: str
    code: bool
    tags: str


@dataclass
class Filters:
    view: str = "library"
    author: str | None = None
    tag: str | None = None
    query: str = ""
    sort: str = "date"
    reverse: bool = False


def surname(name: str) -> str:
    parts = name.split()
    return parts[-1] if parts else name


class LibraryState:
    """The store's data as the app needs it, loaded once and updated per change."""

    def __init__(self, store) -> None:
        self.store = store
        self.reload()

    def reload(self) -> None:
        store = self.store
        self.papers: dict[str, Paper] = {p.id: p for p in store.papers()}
        self.authors: dict[str, Author] = {a.id: a for a in store.authors()}
        self.user: dict[str, UserData] = dict(store.all_user())
        self.queue: list[str] = list(store.queue())
        self.queued_since: dict[str, str] = store.queued_since()
        self.positions = {pid: i for i, pid in enumerate(self.queue, start=1)}
        self.index = SearchIndex(self.papers.values(), self.authors, self.user, self.queue,
                                 queued_since=self.queued_since)
        self._author_by_spelling: dict[str, str] = {}
        for author in self.authors.values():
            for spelling in author.spellings:
                self._author_by_spelling.setdefault(spelling, author.id)
        self._rows: dict[str, PaperRow] = {}
        self._citation_keys: dict[str, str] | None = None

    def citation_key(self, paper_id: str) -> str:
        """The paper's library-unique citation key (computed once per reload)."""
        if self._citation_keys is None:
            from readinglist.citations import unique_keys

            self._citation_keys = unique_keys(self.papers.values())
        return self._citation_keys[paper_id]

    # -- after one change -----------------------------------------------------------

    def paper_changed(self, paper_id: str) -> None:
        """Re-read one paper's user data and the queue from the store."""
        self.user[paper_id] = self.store.user(paper_id)
        self.queue = list(self.store.queue())
        self.queued_since = self.store.queued_since()
        old = self.positions
        self.positions = {pid: i for i, pid in enumerate(self.queue, start=1)}
        self.index.update_user(paper_id, self.user[paper_id], self.queue, self.queued_since)
        # Queue positions shift for other papers too: drop their cached rows.
        for pid in set(old) | set(self.positions):
            if old.get(pid) != self.positions.get(pid):
                self._rows.pop(pid, None)
        self._rows.pop(paper_id, None)

    # -- reading ----------------------------------------------------------------------

    def user_of(self, paper_id: str) -> UserData:
        return self.user.get(paper_id) or UserData(paper_id)

    def row(self, paper_id: str) -> PaperRow:
        row = self._rows.get(paper_id)
        if row is None:
            paper = self.papers[paper_id]
            user = self.user_of(paper_id)
            first = clean_line(paper.authors[0]) if paper.authors else ""
            if first and (len(paper.authors) > 1 or paper.et_al):
                first = f"{surname(first)} et al."
            row = PaperRow(
                id=paper_id,
                status=user.status,
                queue=self.positions.get(paper_id),
                title=clean_line(paper.title),
                first_author=first,
                year=str(paper.year) if paper.year else "",
                category=clean_line(paper.category or ""),
                code=paper.has_code,
                tags=clean_line(" ".join(f"#{t}" for t in user.tags)),
            )
            self._rows[paper_id] = row
        return row

    def author_id_for(self, name: str) -> str | None:
        return self._author_by_spelling.get(name)

    def paper_authors(self, paper: Paper) -> list[tuple[str, str | None]]:
        """(name as written, author id) for every listed author, then the hidden ones."""
        out: list[tuple[str, str | None]] = []
        seen: set[str] = set()
        for name in paper.authors:
            aid = self.author_id_for(name)
            if aid is None or aid not in paper.author_ids:
                aid = aid if aid in self.authors else None
            out.append((name, aid))
            if aid:
                seen.add(aid)
        for aid in paper.author_ids:
            if aid not in seen and aid in self.authors:
                out.append((self.authors[aid].name, aid))
                seen.add(aid)
        return out

    def read_count(self, author: Author) -> int:
        return sum(1 for pid in author.paper_ids if self.user_of(pid).status == "read")

    def coauthors(self, author_id: str, limit: int = 8) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        for pid in self.authors[author_id].paper_ids:
            paper = self.papers.get(pid)
            if paper is None:
                continue
            for other in set(paper.author_ids) - {author_id}:
                counts[other] += 1
        return [
            (self.authors[a].name, n) for a, n in counts.most_common(limit) if a in self.authors
        ]

    def tag_counts(self) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        for user in self.user.values():
            counts.update(user.tags)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))

    # -- the list the paper pane shows -------------------------------------------------

    def rows_for(self, filters: Filters) -> list[str]:
        """Paper ids to show, in order. Raises ``QueryError`` for a bad query."""
        query = parse_query(filters.query)
        found: list[str] | None = None
        if not query.is_empty:
            found = self.index.search_ids(query)
        if filters.view == "queue":
            ids = list(self.queue)
            if found is not None:
                keep = set(found)
                ids = [pid for pid in ids if pid in keep]
        elif found is not None:
            ids = found
        else:
            ids = list(self.papers)
        if filters.author:
            mine = set(self.authors[filters.author].paper_ids) if filters.author in self.authors else set()
            ids = [pid for pid in ids if pid in mine or filters.author in self.papers[pid].author_ids]
        if filters.view == "tags" and filters.tag:
            ids = [pid for pid in ids if filters.tag in self.user_of(pid).tags]
        if filters.view == "queue" or query.terms:
            return ids  # queue order, or best match first
        return self.sort(ids, filters.sort, filters.reverse)

    def sort(self, ids: list[str], key: str, reverse: bool = False) -> list[str]:
        papers = self.papers
        if key == "date":
            ids = sorted(ids, key=lambda p: (papers[p].date or "", papers[p].title.casefold()),
                         reverse=True)
        elif key == "title":
            ids = sorted(ids, key=lambda p: papers[p].title.casefold())
        elif key == "author":
            ids = sorted(ids, key=lambda p: (surname(papers[p].authors[0]).casefold()
                                             if papers[p].authors else "\uffff"))
        elif key == "status":
            ids = sorted(ids, key=lambda p: (STATUS_ORDER.get(self.user_of(p).status, 9),
                                             self.positions.get(p, 1 << 30)))
        elif key == "score":
            ids = sorted(ids, key=lambda p: papers[p].score if papers[p].score is not None else -1.0,
                         reverse=True)
        return ids[::-1] if reverse else ids
