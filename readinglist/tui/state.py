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


class IndexNotReady(Exception):
    """The search index is still being built (a large library, just opened)."""


class LibraryState:
    """The store's data as the app needs it, loaded once and updated per change.

    ``LibraryState(store)`` loads everything, the search index included.
    ``LibraryState(store, index=False)`` leaves ``index`` None for the caller
    to build with ``build_index()`` (the app does it in a thread).
    ``LibraryState.preview(store, head)`` holds only the first papers of a
    large library (``loading`` is True): enough for the first screen.
    """

    def __init__(self, store, *, index: bool = True) -> None:
        self.store = store
        self.loading = False
        self.total: int | None = None
        self.reload(index=index)

    @classmethod
    def preview(cls, store, head) -> LibraryState:
        """The first screen of a large library: ``head`` from ``Store.head()``."""
        state = cls.__new__(cls)
        state.store = store
        state.loading = True
        state.total = head.total
        state._load(papers=head.papers, authors=[], user=head.user, queue=head.queue,
                    queued_since=head.queued_since)
        state.index = None
        return state

    def reload(self, *, index: bool = True) -> None:
        store = self.store
        self._load(papers=store.papers(), authors=store.authors(), user=store.all_user(),
                   queue=store.queue(), queued_since=store.queued_since())
        self.index: SearchIndex | None = None
        if index:
            self.index = self.build_index()

    def _load(self, *, papers, authors, user, queue, queued_since) -> None:
        self.papers: dict[str, Paper] = {p.id: p for p in papers}
        self.authors: dict[str, Author] = {a.id: a for a in authors}
        self.user: dict[str, UserData] = dict(user)
        self.queue: list[str] = list(queue)
        self.queued_since: dict[str, str] = dict(queued_since)
        self.positions = {pid: i for i, pid in enumerate(self.queue, start=1)}
        self._author_by_spelling: dict[str, str] = {}
        for author in self.authors.values():
            for spelling in author.spellings:
                self._author_by_spelling.setdefault(spelling, author.id)
        self._rows: dict[str, PaperRow] = {}
        self._citation_keys: dict[str, str] | None = None
        self._orders: dict[str, list[str]] = {}  # sort key -> every paper id in that order
        self._read_counts: dict[str, int] | None = None
        #: Papers whose user data changed since the index was built from a copy.
        self.changed_since_index: set[str] = set()

    def build_index(self, saved=None) -> SearchIndex:
        """A search index over this state (safe to run in a thread: it reads
        copies). ``saved``: the catalogue part from ``readinglist.index_cache``."""
        return SearchIndex(list(self.papers.values()), self.authors, dict(self.user),
                           list(self.queue), queued_since=dict(self.queued_since), saved=saved)

    def adopt_index(self, index: SearchIndex) -> None:
        """Take an index built by ``build_index``; replay the edits made meanwhile."""
        for paper_id in self.changed_since_index:
            index.update_user(paper_id, self.user_of(paper_id), self.queue, self.queued_since)
        self.changed_since_index = set()
        self.index = index

    def citation_key(self, paper_id: str) -> str:
        """The paper's library-unique citation key (computed once per reload)."""
        if self._citation_keys is None:
            from readinglist.citations import unique_keys

            self._citation_keys = unique_keys(self.papers.values())
        return self._citation_keys[paper_id]

    # -- after one change -----------------------------------------------------------

    def paper_changed(self, paper_id: str) -> None:
        """Re-read one paper's user data and the queue from the store."""
        before = self.user_of(paper_id).status
        self.user[paper_id] = self.store.user(paper_id)
        self.queue = list(self.store.queue())
        self.queued_since = self.store.queued_since()
        old = self.positions
        self.positions = {pid: i for i, pid in enumerate(self.queue, start=1)}
        if self.index is not None:
            self.index.update_user(paper_id, self.user[paper_id], self.queue, self.queued_since)
        self.changed_since_index.add(paper_id)
        status = self.user[paper_id].status
        if status != before:
            self._orders.pop("status", None)
            if self._read_counts is not None and "read" in (before, status):
                paper = self.papers.get(paper_id)
                for aid in paper.author_ids if paper else ():
                    self._read_counts[aid] = self._read_counts.get(aid, 0) + (
                        1 if status == "read" else -1)
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
        """Papers by ``author`` marked read (counted once for all, kept per change)."""
        if self._read_counts is None:
            counts: Counter[str] = Counter()
            for pid, user in self.user.items():
                paper = self.papers.get(pid)
                if user.status == "read" and paper is not None:
                    counts.update(set(paper.author_ids))
            self._read_counts = dict(counts)
        return self._read_counts.get(author.id, 0)

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
            if self.index is None:
                raise IndexNotReady
            found = self.index.search_ids(query)
        if filters.view == "queue":
            ids = list(self.queue)
            if found is not None:
                keep = set(found)
                ids = [pid for pid in ids if pid in keep]
        elif found is not None:
            ids = found
        else:
            ids = None  # every paper: sorted once per order, below
        if ids is None and not filters.author and not (filters.view == "tags" and filters.tag):
            order = self._order(filters.sort)
            return order[::-1] if filters.reverse else list(order)
        if ids is None:
            ids = list(self.papers)
        if filters.author:
            mine = set(self.authors[filters.author].paper_ids) if filters.author in self.authors else set()
            ids = [pid for pid in ids if pid in mine or filters.author in self.papers[pid].author_ids]
        if filters.view == "tags" and filters.tag:
            ids = [pid for pid in ids if filters.tag in self.user_of(pid).tags]
        if self.loading:  # a preview knows only the first papers
            ids = [pid for pid in ids if pid in self.papers]
        if filters.view == "queue" or query.terms:
            return ids  # queue order, or best match first
        return self.sort(ids, filters.sort, filters.reverse)

    def _order(self, key: str) -> list[str]:
        """Every paper in the order of ``key``, computed once (status: per change)."""
        order = self._orders.get(key)
        if order is None:
            order = self._orders[key] = self.sort(list(self.papers), key)
        return order

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
