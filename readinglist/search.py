"""Search: a small query language over the library, ranked fuzzy matching.

A query is free words plus field filters that combine (all must hold)::

    neural collapse tag:theory status:unread author:kothapalli cat:LG
    year:>=2024 year:2020..2022 code:yes queue:yes review:yes
    added:<7d queued:>30d started:>30d read:<1y added:>=2026-01-01

Free words are matched fuzzily (typos, prefixes while typing) against the words
of title, authors, abstract, tags and notes. Every free word must match
somewhere (AND). A paper's score is the sum over the query's words of the best
``similarity x field weight`` among the paper's words, times the query word's
idf (from how many papers it matched), where similarity is 1 for the same word,
0.9 for a word the query word begins (typing), and ``0.8 x fuzz.ratio / 100``
for a word within ``FUZZY_CUTOFF`` (a typo). Equal scores: newest first.

How it stays fast at 100,000 papers (see bench/): the catalogue's words are in
an inverted index held in numpy arrays (the paper numbers of each word, laid end
to end), so a query word costs a comparison with the vocabulary (rapidfuzz,
cached while you type) and array operations over the papers holding the words
it stands for, never a Python loop over papers. Tags and notes change with
every edit, so they live in a small dict index beside it. Filters are arrays
(year, code, category, review) or sets (status, tags, queue); only author and
time filters look at each paper that is left.

Pure: no store, no files. Build a ``SearchIndex`` from papers and user data.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import shlex
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from rapidfuzz import fuzz, process

from readinglist.background import pause
from readinglist.models import STATUSES, Author, Paper, UserData
from readinglist.text import fold, words

FIELD_WEIGHTS = {"title": 3.0, "authors": 2.5, "tags": 2.0, "note": 1.2, "abstract": 1.0}
FUZZY_CUTOFF = 80  # fuzz.ratio between a query word and an index word
MIN_FUZZY_LEN = 4  # shorter words only match exactly or as a prefix
PREFIX_LIMIT = 50  # at most this many index words per query-word prefix (the most common)

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


# ASCII text (nearly all of it) is split with translate + split, in C; it gives
# exactly ``text.words`` (runs of [0-9a-z] after folding). Other text goes to it.
_ASCII_WORD_TABLE = {c: (c if chr(c).isalnum() else 32) for c in range(128)}
_ASCII_WORD_TABLE.update({c: c + 32 for c in range(65, 91)})


def _words(text: str) -> list[str]:
    if text.isascii():
        return text.translate(_ASCII_WORD_TABLE).split()
    return words(text)


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


#: The catalogue's fields in the order of their codes in the index.
_CATALOGUE_FIELDS = tuple((name, FIELD_WEIGHTS[name]) for name in ("title", "authors", "abstract"))
_FIELD_CODE_WEIGHTS = None  # numpy array of the three weights by code, set on first use
SHORT_PREFIX = 2  # a query word this short stands for at most SHORT_PREFIX_LIMIT words
SHORT_PREFIX_LIMIT = 12
TERM_CACHE = 64  # query words whose scores are kept while typing


class SearchIndex:
    """Field-weighted inverted index over papers (numpy), tags and notes (dicts)."""

    def __init__(
        self,
        papers: Iterable[Paper],
        authors: dict[str, Author],
        user: dict[str, UserData],
        queue: Iterable[str] = (),
        now: Callable[[], datetime] | None = None,
        queued_since: dict[str, str] | None = None,
        saved: dict[str, Any] | None = None,
    ) -> None:
        """``saved``: what ``saved_arrays()`` gave for these papers (see
        ``readinglist.index_cache``), used instead of reading every paper again."""
        import numpy as np

        global _FIELD_CODE_WEIGHTS
        if _FIELD_CODE_WEIGHTS is None:
            _FIELD_CODE_WEIGHTS = np.array([w for _, w in _CATALOGUE_FIELDS], dtype=np.float32)
        self._np = np
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.queued_since = queued_since if queued_since is not None else {}
        self.papers: dict[str, Paper] = {p.id: p for p in papers}
        self.authors = authors
        self.user = user
        self.queue = set(queue)
        if saved is not None and not self._adopt(saved):
            saved = None
        if saved is None:
            # Papers are numbered newest first (ties: as given), so that a stable sort
            # by score leaves equal scores newest first, and no words means arange.
            self.ids: list[str] = sorted(self.papers, key=lambda pid: self.papers[pid].date or "",
                                         reverse=True)
            self._build_catalogue()
            self._build_columns()
        self._number = {pid: i for i, pid in enumerate(self.ids)}
        self._ids = np.array(self.ids, dtype=object)
        self._index_words()
        # Tags and notes: word -> {paper number: weight}, and each paper's words.
        self._user_postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._user_words: dict[int, dict[str, float]] = {}
        for pid, data in user.items():
            if pid in self._number:
                self._index_user(self._number[pid], data)
        self._user_vocab: list[str] | None = None
        self._term_cache: dict[str, tuple[Any, Any]] = {}
        self._expand_cache: dict[str, dict[str, float]] = {}

    # -- building ----------------------------------------------------------------

    def _paper_names(self, paper: Paper) -> list[str]:
        names = list(paper.authors)
        for aid in paper.author_ids:
            author = self.authors.get(aid)
            if author is not None:
                names.extend(author.spellings)
        return names

    def _build_catalogue(self) -> None:
        """Title, author and abstract words of every paper, as CSR arrays:
        ``_docs[_starts[w]:_starts[w + 1]]`` are the papers holding word ``w``
        (ascending), ``_weights`` the best field weight each holds it in.

        Built with set operations and ``map`` over each paper's words, which
        run in C: a Python loop per word took 27 s at 100,000 papers."""
        np = self._np
        word_ids: dict[str, int] = {}
        # Ids with gaps: each new word takes the next number of a counter that
        # every lookup advances (map cannot tell new words from known ones).
        counter = itertools.count()
        setdefault = word_ids.setdefault
        wids = array("q")
        sizes = array("q")  # per paper, the number of its title, author-only, abstract-only words
        for number, pid in enumerate(self.ids):
            if not number & 255:
                pause()
            paper = self.papers[pid]
            title = set(_words(paper.title))
            names = set(_words(" ".join(self._paper_names(paper)))) - title
            abstract = set(_words(" ".join(paper.abstract_versions or [paper.abstract or ""])))
            abstract -= title
            abstract -= names
            for group in (title, names, abstract):
                wids.extend(map(setdefault, group, counter))
                sizes.append(len(group))
        n = len(self.ids)
        per_field = np.frombuffer(sizes, dtype=np.int64).reshape(n, 3) if n else np.zeros((0, 3), np.int64)
        raw = np.frombuffer(wids, dtype=np.int64)
        # Compact the ids: 0..V-1 in order of first appearance.
        used = np.zeros(int(raw.max()) + 1 if len(raw) else 0, dtype=np.int64)
        used[raw] = 1
        remap = np.cumsum(used) - 1
        dense = remap[raw].astype(np.int32)
        words_in_order = [""] * int(used.sum())
        for word, wid in word_ids.items():
            words_in_order[remap[wid]] = word
        docs = np.repeat(np.arange(n, dtype=np.int32), per_field.sum(axis=1))
        # Field weights as codes (0 title, 1 authors, 2 abstract): a byte per posting.
        weights = np.repeat(np.tile(np.arange(3, dtype=np.uint8), n), per_field.reshape(-1))
        order = np.argsort(dense, kind="stable")  # by word, then by paper (already ascending)
        self._docs = docs[order]
        self._weights = weights[order]
        counts = np.bincount(dense, minlength=len(words_in_order))
        self._starts = np.zeros(len(words_in_order) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._starts[1:])
        self._words = words_in_order
        self._df = counts

    def _index_words(self) -> None:
        """The vocabulary's lookups: word -> id; the words sorted, with their
        document frequencies (prefixes); by first letter and length (typos)."""
        np = self._np
        words_in_order = self._words
        self._word_id = {word: i for i, word in enumerate(words_in_order)}
        self._sorted_words = sorted(words_in_order)
        self._sorted_df = self._df[np.array([self._word_id[w] for w in self._sorted_words],
                                            dtype=np.int64)] if words_in_order else self._df
        # Typos rarely hit the first letter: a query word is first compared with
        # the words that share its first letter (15x fewer), and with the rest
        # only when that finds nothing at all.
        by_length: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in self._sorted_words:
            by_length[word[0], len(word)].append(word)
            by_length["", len(word)].append(word)
        self._by_length = by_length

    def _build_columns(self) -> None:
        """Per-paper columns for the filters and for ties (newest first)."""
        np = self._np
        papers = [self.papers[pid] for pid in self.ids]
        self._year = np.array([p.year or 0 for p in papers], dtype=np.int32)
        self._code = np.array([bool(p.has_code) for p in papers], dtype=bool)
        self._review = np.array([bool(p.needs_review) for p in papers], dtype=bool)
        categories: dict[str, int] = {}
        self._category = np.array(
            [categories.setdefault((p.category or "").lower(), len(categories)) for p in papers],
            dtype=np.int32)
        self._categories = categories
        self._all = np.arange(len(papers), dtype=np.int64)
        self._folded_names: list[str] | None = None

    #: What ``saved_arrays`` gives: numpy arrays, and lists of strings.
    SAVED_ARRAYS = ("docs", "weights", "starts", "df", "year", "code", "review", "category")
    SAVED_LISTS = ("ids", "words", "categories")

    def saved_arrays(self) -> dict[str, Any]:
        """The catalogue part of the index, to be saved and given back as
        ``SearchIndex(..., saved=...)`` for the same papers: building it reads
        every abstract (seconds at 100,000 papers), loading it does not."""
        return {
            "docs": self._docs, "weights": self._weights, "starts": self._starts, "df": self._df,
            "year": self._year, "code": self._code, "review": self._review,
            "category": self._category, "ids": list(self.ids), "words": list(self._words),
            "categories": list(self._categories),
        }

    def _adopt(self, saved: dict[str, Any]) -> bool:
        """Take saved arrays if they were built from exactly these papers."""
        ids = saved["ids"]
        if len(ids) != len(self.papers) or any(pid not in self.papers for pid in ids):
            return False
        np = self._np
        self.ids = list(ids)
        self._docs, self._weights = saved["docs"], saved["weights"]
        self._starts, self._df = saved["starts"], saved["df"]
        self._words = list(saved["words"])
        self._year, self._code = saved["year"], saved["code"]
        self._review, self._category = saved["review"], saved["category"]
        self._categories = {name: i for i, name in enumerate(saved["categories"])}
        self._all = np.arange(len(self.ids), dtype=np.int64)
        self._folded_names = None
        return True

    def _index_user(self, number: int, data: UserData) -> None:
        weights: dict[str, float] = {}
        for word in words(data.note):
            weights[word] = FIELD_WEIGHTS["note"]
        for word in words(" ".join(data.tags)):
            weights[word] = FIELD_WEIGHTS["tags"]
        for word, weight in weights.items():
            self._user_postings[word][number] = weight
        if weights:
            self._user_words[number] = weights

    def _unindex_user(self, number: int) -> None:
        for word in self._user_words.pop(number, {}):
            posting = self._user_postings.get(word)
            if posting is not None:
                posting.pop(number, None)
                if not posting:
                    del self._user_postings[word]

    def update_user(self, paper_id: str, user: UserData, queue: Iterable[str] | None = None,
                    queued_since: dict[str, str] | None = None) -> None:
        """Re-index one paper after its tags or note changed."""
        self.user[paper_id] = user
        if queue is not None:
            self.queue = set(queue)
        if queued_since is not None:
            self.queued_since = queued_since
        number = self._number.get(paper_id)
        if number is None:
            return
        self._unindex_user(number)
        self._index_user(number, user)
        self._user_vocab = None
        self._term_cache.clear()
        self._expand_cache.clear()

    @property
    def vocabulary(self) -> list[str]:
        """Every word of the index, sorted."""
        return sorted(set(self._word_id) | set(self._user_postings))

    @property
    def user_vocabulary(self) -> list[str]:
        """The words of tags and notes, sorted (rebuilt after an edit; small)."""
        if self._user_vocab is None:
            self._user_vocab = sorted(self._user_postings)
        return self._user_vocab

    # -- matching ------------------------------------------------------------------

    def _df_of(self, word: str) -> int:
        wid = self._word_id.get(word)
        df = int(self._df[wid]) if wid is not None else 0
        return df + len(self._user_postings.get(word, ()))

    def expand(self, term: str) -> dict[str, float]:
        """Index words that ``term`` stands for, each with a similarity in (0, 1]."""
        cached = self._expand_cache.get(term)
        if cached is not None:
            return cached
        matches: dict[str, float] = {}
        if term in self._word_id or term in self._user_postings:
            matches[term] = 1.0
        # Typing: "collap" -> "collapse". Of many words with this prefix, the
        # most common ones (a two-letter prefix can start thousands of words).
        limit = SHORT_PREFIX_LIMIT if len(term) <= SHORT_PREFIX else PREFIX_LIMIT
        vocab = self._sorted_words
        start = bisect.bisect_left(vocab, term)
        stop = bisect.bisect_left(vocab, term + "\uffff", lo=start)
        if stop - start > limit:
            np = self._np
            top = np.argpartition(-self._sorted_df[start:stop], limit)[:limit]
            prefixed = [vocab[start + int(i)] for i in top]
        else:
            prefixed = vocab[start:stop]
        user_vocab = self.user_vocabulary
        first = bisect.bisect_left(user_vocab, term)
        for word in user_vocab[first:first + limit]:
            if not word.startswith(term):
                break
            prefixed.append(word)
        for word in prefixed:
            if word != term:
                matches.setdefault(word, 0.9)
        if len(term) >= MIN_FUZZY_LEN:
            for choices in (self._fuzzy_choices(term[0], len(term)), user_vocab):
                self._fuzzy(term, choices, matches)
            if not matches:
                self._fuzzy(term, self._fuzzy_choices("", len(term)), matches)
        if len(self._expand_cache) > 4 * TERM_CACHE:
            self._expand_cache.clear()
        self._expand_cache[term] = matches
        return matches

    def _fuzzy_choices(self, first: str, length: int) -> list[str]:
        """Catalogue words starting with ``first`` ("": any) whose length allows
        ``fuzz.ratio >= FUZZY_CUTOFF`` against a word of ``length`` letters
        (2*min/(a+b) >= 0.8)."""
        out: list[str] = []
        for size in range(math.ceil(length * 2 / 3), math.floor(length * 3 / 2) + 1):
            out.extend(self._by_length.get((first, size), ()))
        return out

    @staticmethod
    def _fuzzy(term: str, choices: list[str], matches: dict[str, float]) -> None:
        for word, score, _ in process.extract(
            term, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20,
        ):
            matches.setdefault(word, 0.8 * score / 100)

    def _term_scores(self, term: str):
        """Each paper's best match for one query word: (paper numbers, scores)."""
        cached = self._term_cache.get(term)
        if cached is not None:
            return cached
        np = self._np
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for word, factor in self.expand(term).items():
            wid = self._word_id.get(word)
            if wid is not None:
                lo, hi = self._starts[wid], self._starts[wid + 1]
                docs = self._docs[lo:hi]
                current = scores[docs]
                np.maximum(current, _FIELD_CODE_WEIGHTS[self._weights[lo:hi]] * factor, out=current)
                scores[docs] = current
            for number, weight in self._user_postings.get(word, {}).items():
                value = weight * factor
                if value > scores[number]:
                    scores[number] = value
        found = np.flatnonzero(scores)
        # One idf for the query word, from how many papers it matched: a rare
        # word that only looks like it (a typo's neighbour, a long prefix match)
        # must not outrank the word itself for being rare.
        idf = math.log((len(self.ids) + 1) / (len(found) + 1)) + 1.0
        result = (found, scores[found] * np.float32(idf))
        if len(self._term_cache) >= TERM_CACHE:
            self._term_cache.pop(next(iter(self._term_cache)))
        self._term_cache[term] = result
        return result

    def _rank(self, terms: list[str]):
        """(paper numbers, scores) of the papers matching every term, or None if no terms."""
        np = self._np
        total = None
        for term in dict.fromkeys(terms):
            found, values = self._term_scores(term)
            if total is None:
                total = np.zeros(len(self.ids), dtype=np.float32)
                total[found] = values
                alive = np.zeros(len(self.ids), dtype=bool)
                alive[found] = True
            else:
                hit = np.zeros(len(self.ids), dtype=bool)
                hit[found] = True
                alive &= hit
                total[found] += values
            if not alive.any():
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        numbers = np.flatnonzero(alive)
        return numbers, total[numbers]

    # -- filters -------------------------------------------------------------------

    def _numbers_of(self, ids: Iterable[str]):
        np = self._np
        return np.array([self._number[pid] for pid in ids if pid in self._number], dtype=np.int64)

    def _mask(self, key: str, value: str):
        """A boolean array over papers for an array-backed filter, else None."""
        np = self._np
        value_l = value.lower()
        n = len(self.ids)
        if key == "year":
            year = self._year
            if match := _RANGE.match(value_l):
                low, high = int(match[1]), int(match[2])
                return (year > 0) & (year >= low) & (year <= high)
            match = _COMPARISON.match(value_l)
            assert match is not None
            return (year > 0) & _COMPARE[match[1] or "="](year, int(match[2]))
        if key == "code":
            return self._code if value_l in YES else ~self._code
        if key == "review":
            return self._review if value_l in YES else ~self._review
        if key == "category":
            code = self._categories.get(value_l)
            return self._category == code if code is not None else np.zeros(n, dtype=bool)
        if key in ("tag", "status", "queue"):
            if key == "tag":
                chosen = [pid for pid, u in self.user.items()
                          if any(t.lower() == value_l for t in u.tags)]
                yes = True
            elif key == "status":
                if value_l == "unread":  # most papers: the ones with another status are few
                    chosen = [pid for pid, u in self.user.items() if u.status != "unread"]
                    yes = False
                else:
                    chosen = [pid for pid, u in self.user.items() if u.status == value_l]
                    yes = True
            else:
                chosen, yes = list(self.queue), value_l in YES
            mask = np.zeros(n, dtype=bool)
            mask[self._numbers_of(chosen)] = True
            return mask if yes else ~mask
        return None

    def _filter(self, key: str, value: str) -> Callable[[Paper], bool]:
        value_l = value.lower()
        if key == "id":
            return lambda p: p.id.startswith(value_l)
        if key == "author":
            needle = fold(value)
            folded = self._names_folded()
            return lambda p: needle in folded[self._number[p.id]]
        if key in TIME_FILTERS:
            return self._time_filter(key, value_l)
        raise QueryError(f"unknown filter {key}:")  # pragma: no cover - parse_query checks

    def _names_folded(self) -> list[str]:
        if self._folded_names is None:
            self._folded_names = ["\x00".join(fold(n) for n in self._paper_names(self.papers[pid]))
                                  for pid in self.ids]
        return self._folded_names

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

    # -- the entry points ------------------------------------------------------------

    def _search(self, query: Query):
        """(paper numbers best first, their scores)."""
        np = self._np
        if query.terms:
            numbers, scores = self._rank(query.terms)
        else:
            numbers, scores = None, None
        mask = None
        checks: list[Callable[[Paper], bool]] = []
        for key, value in query.filters:
            part = self._mask(key, value)
            if part is None:
                checks.append(self._filter(key, value))
            else:
                mask = part if mask is None else mask & part
        if numbers is None:
            numbers = self._all if mask is None else np.flatnonzero(mask)
            scores = np.zeros(len(numbers), dtype=np.float32)
        else:
            if mask is not None:
                keep = mask[numbers]
                numbers, scores = numbers[keep], scores[keep]
            # Best score first; papers are numbered newest first, so a stable
            # sort leaves equal scores newest first.
            # Scores to 0.01 as 16-bit integers: numpy sorts those stably by radix,
            # in linear time (a float sort of 100,000 hits was the slowest step).
            key = np.clip(np.rint(scores * 100), 0, 32767).astype(np.int16)
            order = np.argsort(-key, kind="stable")
            numbers, scores = numbers[order], scores[order]
        if checks:
            ids, papers = self.ids, self.papers
            keep = np.array([all(check(papers[ids[i]]) for check in checks) for i in numbers.tolist()],
                            dtype=bool)
            if len(keep):
                numbers, scores = numbers[keep], scores[keep]
        return numbers, scores

    def search_ids(self, query: str | Query) -> list[str]:
        """Ids of the papers matching ``query``, best first (newest first with no words)."""
        if isinstance(query, str):
            query = parse_query(query)
        numbers, _ = self._search(query)
        return self._ids[numbers].tolist()

    def search(self, query: str | Query, limit: int | None = None) -> list[Hit]:
        """Papers matching ``query``, best first; all filtered papers if no words."""
        if isinstance(query, str):
            query = parse_query(query)
        numbers, scores = self._search(query)
        if limit:
            numbers, scores = numbers[:limit], scores[:limit]
        ids = self.ids
        return [Hit(ids[i], float(s)) for i, s in zip(numbers.tolist(), scores.tolist())]


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, "<": lambda a, b: a < b, "=": lambda a, b: a == b,
}
