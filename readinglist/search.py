"""Search: a small query language over the library, ranked fuzzy matching.

A query is free words plus field filters that combine (all must hold)::

    neural collapse tag:theory status:unread author:kothapalli cat:LG
    year:>=2024 year:2020..2022 code:yes queue:yes review:yes
    added:<7d queued:>30d started:>30d read:<1y added:>=2026-01-01

Free words are matched fuzzily (typos, prefixes while typing) against the words
of title, authors, abstract, tags and notes through an inverted index: each query
word is compared with the index's vocabulary (rapidfuzz), never with every paper,
so a keystroke costs about the same at 100 papers and at 100,000. Every free word
must match somewhere (AND); papers rank by field-weighted, IDF-weighted matches.

Pure: no store, no files. Build a ``SearchIndex`` from papers and user data.
"""

from __future__ import annotations

import bisect
import math
import re
import shlex
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from rapidfuzz import fuzz, process, utils

from readinglist.models import STATUSES, Author, Paper, UserData
from readinglist.text import fold, words

FIELD_WEIGHTS = {"title": 3.0, "authors": 2.5, "tags": 2.0, "note": 1.2, "abstract": 1.0}
FUZZY_CUTOFF = 80  # fuzz.ratio between a query word and an index word
MIN_FUZZY_LEN = 4  # shorter words only match exactly or as a prefix
PREFIX_LIMIT = 50  # at most this many index words per query-word prefix

FILTER_ALIASES = {
    "tag": "tag", "tags": "tag", "status": "status", "is": "status",
    "author": "author", "by": "author", "cat": "category", "category": "category",
    "year": "year", "code": "code", "queue": "queue",
    "review": "review", "id": "id",
    "added": "added", "queued": "queued", "started": "started", "read": "finished",
    "finished": "finished",
}
TIME_FILTERS = ("added", "queued", "started", "finished")
_AGE = re.compile(r"(<=|>=|<|>)?(\d+)([dwmy])$")
_DAY = re.compile(r"(<=|>=|<|>|=)?(\d{4}-\d{2}-\d{2})$")
AGE_UNITS = {"d": 1, "w": 7, "m": 30, "y": 365}
YES = {"yes", "y", "true", "1", "on"}
NO = {"no", "n", "false", "0", "off"}
_COMPARISON = re.compile(r"(>=|<=|>|<|=)?(\d{4})$")
_RANGE = re.compile(r"(\d{4})\.\.(\d{4})$")


class QueryError(ValueError):
    """A filter the query language does not understand (message for the user)."""


@dataclass
class Query:
    terms: list[str] = field(default_factory=list)
    filters: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.filters


def parse_query(text: str) -> Query:
    """Split ``text`` into free words and ``field:value`` filters."""
    try:
        parts = shlex.split(text)
    except ValueError:  # an unbalanced quote while typing
        parts = text.replace('"', " ").replace("'", " ").split()
    query = Query()
    for part in parts:
        name, sep, value = part.partition(":")
        key = FILTER_ALIASES.get(name.lower()) if sep else None
        if key and value:
            _check_filter(key, value)
            query.filters.append((key, value))
        elif key:
            continue  # "tag:" half typed: no filter yet
        else:
            query.terms.extend(words(part))
    return query


def _check_filter(key: str, value: str) -> None:
    value = value.lower()
    if key == "status" and value not in STATUSES:
        raise QueryError(f"status:{value}: use one of {', '.join(STATUSES)}")
    if key in ("code", "queue", "review") and value not in YES | NO:
        raise QueryError(f"{key}:{value}: use {key}:yes or {key}:no")
    if key == "year" and not (_COMPARISON.match(value) or _RANGE.match(value)):
        raise QueryError(f"year:{value}: use year:2024, year:>=2023 or year:2020..2022")
    if key in TIME_FILTERS and not (_AGE.match(value) or _DAY.match(value)):
        raise QueryError(f"{key}:{value}: use {key}:<7d (within 7 days), {key}:>30d (over 30 "
                         f"days ago; also w, m, y) or {key}:>=2026-01-01")


@dataclass(frozen=True)
class Hit:
    paper_id: str
    score: float


class SearchIndex:
    """Field-weighted inverted index over papers, tags and notes."""

    def __init__(
        self,
        papers: Iterable[Paper],
        authors: dict[str, Author],
        user: dict[str, UserData],
        queue: Iterable[str] = (),
        now: Callable[[], datetime] | None = None,
        queued_since: dict[str, str] | None = None,
    ) -> None:
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.queued_since = queued_since if queued_since is not None else {}
        self.papers: dict[str, Paper] = {p.id: p for p in papers}
        self.authors = authors
        self.user = user
        self.queue = set(queue)
        self._postings: dict[str, dict[str, float]] = defaultdict(dict)
        self._doc_words: dict[str, dict[str, float]] = {}
        for paper in self.papers.values():
            self._index(paper.id)
        self._vocab: list[str] | None = None

    # -- building ----------------------------------------------------------------

    def _fields(self, paper_id: str) -> dict[str, str]:
        paper = self.papers[paper_id]
        user = self.user.get(paper_id)
        names = list(paper.authors)
        for aid in paper.author_ids:
            if aid in self.authors:
                names.extend(self.authors[aid].spellings)
        return {
            "title": paper.title,
            "authors": " ".join(names),
            "abstract": " ".join(paper.abstract_versions or [paper.abstract or ""]),
            "tags": " ".join(user.tags) if user else "",
            "note": user.note if user else "",
        }

    def _index(self, paper_id: str) -> None:
        weights: dict[str, float] = {}
        for name, text in self._fields(paper_id).items():
            for word in set(words(text)):
                weights[word] = max(weights.get(word, 0.0), FIELD_WEIGHTS[name])
        self._doc_words[paper_id] = weights
        for word, weight in weights.items():
            self._postings[word][paper_id] = weight

    def _unindex(self, paper_id: str) -> None:
        for word in self._doc_words.pop(paper_id, {}):
            posting = self._postings.get(word)
            if posting is not None:
                posting.pop(paper_id, None)
                if not posting:
                    del self._postings[word]
                    self._vocab = None

    def update_user(self, paper_id: str, user: UserData, queue: Iterable[str] | None = None,
                    queued_since: dict[str, str] | None = None) -> None:
        """Re-index one paper after its tags or note changed."""
        self.user[paper_id] = user
        if queue is not None:
            self.queue = set(queue)
        if queued_since is not None:
            self.queued_since = queued_since
        before = set(self._doc_words.get(paper_id, {}))
        self._unindex(paper_id)
        self._index(paper_id)
        if set(self._doc_words[paper_id]) - before:
            self._vocab = None

    @property
    def vocabulary(self) -> list[str]:
        if self._vocab is None:
            self._vocab = sorted(self._postings)
        return self._vocab

    # -- matching ------------------------------------------------------------------

    def expand(self, term: str) -> dict[str, float]:
        """Index words that ``term`` stands for, each with a similarity in (0, 1]."""
        matches: dict[str, float] = {}
        if term in self._postings:
            matches[term] = 1.0
        vocab = self.vocabulary
        start = bisect.bisect_left(vocab, term)
        for word in vocab[start:start + PREFIX_LIMIT]:
            if not word.startswith(term):
                break
            matches.setdefault(word, 0.9)  # typing: "collap" -> "collapse"
        if len(term) >= MIN_FUZZY_LEN:
            for word, score, _ in process.extract(
                term, vocab, scorer=fuzz.ratio, processor=utils.default_process,
                score_cutoff=FUZZY_CUTOFF, limit=20,
            ):
                matches.setdefault(word, 0.8 * score / 100)
        return matches

    def _idf(self, word: str) -> float:
        return math.log((len(self.papers) + 1) / (len(self._postings[word]) + 1)) + 1.0

    def _rank(self, terms: list[str]) -> dict[str, float]:
        scores: dict[str, float] | None = None
        for term in dict.fromkeys(terms):
            term_scores: dict[str, float] = defaultdict(float)
            for word, similarity in self.expand(term).items():
                idf = self._idf(word)
                for paper_id, weight in self._postings[word].items():
                    value = similarity * weight * idf
                    if value > term_scores[paper_id]:
                        term_scores[paper_id] = value
            if scores is None:
                scores = dict(term_scores)
            else:
                scores = {pid: s + term_scores[pid] for pid, s in scores.items() if pid in term_scores}
            if not scores:
                return {}
        return scores or {}

    # -- filters -------------------------------------------------------------------

    def _filter(self, key: str, value: str) -> Callable[[Paper], bool]:
        value_l = value.lower()
        if key == "tag":
            wanted = value_l
            return lambda p: any(t.lower() == wanted for t in self._user(p.id).tags)
        if key == "status":
            return lambda p: self._user(p.id).status == value_l
        if key == "category":
            return lambda p: (p.category or "").lower() == value_l
        if key == "code":
            return lambda p: p.has_code == (value_l in YES)
        if key == "queue":
            return lambda p: (p.id in self.queue) == (value_l in YES)
        if key == "review":
            return lambda p: p.needs_review == (value_l in YES)
        if key == "id":
            return lambda p: p.id.startswith(value_l)
        if key == "author":
            needle = fold(value)
            return lambda p: any(needle in fold(n) for n in self._names(p))
        if key == "year":
            return _year_filter(value_l)
        if key in TIME_FILTERS:
            return self._time_filter(key, value_l)
        raise QueryError(f"unknown filter {key}:")  # pragma: no cover - parse_query checks

    def _when(self, key: str, paper: Paper) -> str | None:
        """The ISO time a paper was added, queued, started (reading) or finished (read)."""
        if key == "added":
            return paper.added
        if key == "queued":
            return self.queued_since.get(paper.id) if paper.id in self.queue else None
        user = self.user.get(paper.id)
        if user is None:
            return None
        status = "reading" if key == "started" else "read"
        return user.status_since.get(status) if key == "started" or user.status == "read" else None

    def _time_filter(self, key: str, value: str) -> Callable[[Paper], bool]:
        """``added:<7d`` = within the last 7 days; ``>30d`` = longer ago; or a date."""
        if match := _AGE.match(value):
            op, amount, unit = match[1] or "<", int(match[2]), match[3]
            cutoff = (self.now() - timedelta(days=amount * AGE_UNITS[unit])).isoformat()
            # "<7d" means younger than 7 days: the time is after the cutoff.
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
        else:
            match = _DAY.match(value)
            assert match is not None
            op, cutoff = match[1] or "=", match[2]
        compare = _COMPARE[op]

        def check(paper: Paper) -> bool:
            when = self._when(key, paper)
            if when is None:
                return False
            return compare(when[: len(cutoff)] if op == "=" else when, cutoff)

        return check

    def _user(self, paper_id: str) -> UserData:
        return self.user.get(paper_id) or UserData(paper_id)

    def _names(self, paper: Paper) -> list[str]:
        names = list(paper.authors)
        for aid in paper.author_ids:
            if aid in self.authors:
                names.extend(self.authors[aid].spellings)
        return names

    # -- the entry point -------------------------------------------------------------

    def search(self, query: str | Query, limit: int | None = None) -> list[Hit]:
        """Papers matching ``query``, best first; all filtered papers if no words."""
        if isinstance(query, str):
            query = parse_query(query)
        if query.terms:
            scores = self._rank(query.terms)
            candidates = [self.papers[pid] for pid in scores]
        else:
            scores = {}
            candidates = list(self.papers.values())
        checks = [self._filter(k, v) for k, v in query.filters]
        hits = [
            Hit(p.id, scores.get(p.id, 0.0))
            for p in candidates
            if all(check(p) for check in checks)
        ]
        # Best score first; newest first among equals (and when there are no words).
        hits.sort(key=lambda h: (h.score, self.papers[h.paper_id].date or ""), reverse=True)
        return hits[:limit] if limit else hits


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, "<": lambda a, b: a < b, "=": lambda a, b: a == b,
}


def _year_filter(value: str) -> Callable[[Paper], bool]:
    if match := _RANGE.match(value):
        low, high = int(match[1]), int(match[2])
        return lambda p: p.year is not None and low <= p.year <= high
    match = _COMPARISON.match(value)
    assert match is not None
    op, year = match[1] or "=", int(match[2])
    compare = _COMPARE[op]
    return lambda p: p.year is not None and compare(p.year, year)
