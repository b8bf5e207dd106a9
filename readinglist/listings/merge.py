"""One library, each paper once: merging parsed listings into the catalogue.

- The same title (case, punctuation, accents and spacing aside) is one paper that
  remembers every source; a field one listing has and another lacks is kept.
- An abstract from a dump is attached to the paper whose abstract it matches
  (IDF-weighted word overlap, with a margin over the runner-up), also when it is
  an older, reworded version. One that matches nothing well enough becomes its
  own record, flagged ``needs_review``; it is tried again after each listing
  that brings papers it may match, and once more against the whole library at
  the end of each import (``Catalogue.merge_listings``).
- Names are people: spellings that agree (``Ganesh R. Kini`` ~ ``Ganesh
  Ramachandra Kini``) are one author, and a profile page's owner is linked to
  every paper on the page, also where ``et al.`` hides them.

Pure: no files, no TinyDB. The store loads a ``Catalogue``, calls
``merge_listings`` and writes the result back.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import itertools
import math
import operator
import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from readinglist import names as namelib
from readinglist.models import (
    FORMAT_ABSTRACTS,
    Author,
    Paper,
    ParsedListing,
    ParsedPaper,
)
from readinglist.text import ascii_fold, fold

# Abstract matching, measured on the seeds (``python bench/abstract_match.py``):
# the three reworded versions score 0.23, 0.28 and 0.39 against their paper and
# beat the runner-up by x2.4 or more; leave-one-out, no abstract scores above
# 0.144 against a wrong paper, nor beats its runner-up by more than x1.9.
# Each condition alone separates the seeds; a match must pass both.
MATCH_MIN_SCORE = 0.18
MATCH_MIN_MARGIN = 2.0  # best must beat the runner-up by this factor
# Finding the best match and the runner-up without scoring every paper: the
# query's VOTING_WORDS rarest words vote (none in over a quarter of the
# library), each with its weight, for the papers that have it, and the
# CANDIDATES with the most votes are scored. So that a lookup does not cost more
# as the library grows, only the rarest words vote for every paper that has
# them, until their postings reach VOTE_BUDGET papers (the rarest always votes);
# the commoner ones then add their votes to the SHORTLIST papers with the most
# votes only. (On the 10,000-paper benchmark set, the outcome is the one the
# full vote of every voting word gave.)
VOTING_WORDS = 80
VOTE_BUDGET = 3000
SHORTLIST = 300
CANDIDATES = 20
# A flagged abstract is tried again after a listing when a paper the listing added
# or gave a new abstract scores at least the minimum with it, or REVISIT x the
# best score it had when last ranked. Of those tries, only the ones that can
# change the outcome are run (``Catalogue._hopeful``); DRIFT is the slack there
# for the weights shifting between then and the ranking.
REVISIT = 0.9
DRIFT = 0.9
# How the pairs worth scoring are found for an abstract that had a good match
# candidate (the others are checked exactly): a paper scores, of the abstracts
# with its KEY_WORDS rarest words (when it was added), the FLAG_CANDIDATES with
# the most of them. (On the 10,000-paper set, every pair that then passed its
# bar shared 12 or more of the 16 and came first; 0.1% of the others shared 8
# or more.) A word in more than FLAG_WORD_CAP flagged abstracts is passed over:
# rare in the library but common among them (an older wording's), it tells none
# apart.
KEY_WORDS = 16
FLAG_CANDIDATES = 2
FLAG_WORD_CAP = 16
# Which papers of a few have a word: a walk through the word's postings up to
# _FEW_POSTINGS of them (about 1 us for 30), else a binary search for each
# paper (numpy: about 5 us, whatever the postings).
_FEW_POSTINGS = 64
# A ranking: (best score, its paper, runner-up's score, its paper).
_UNRANKED: tuple[float, str | None, float, str | None] = (0.0, None, 0.0, None)
STOPWORDS = frozenset(
    """the and for with that this from are was were our its their these those which
    into than then also can not but such has have been being more most over under
    between both each other some any all one two three when where while what how
    show shows shown propose proposed paper work results using use used based via
    however thus here there well new very only they them his her who whom whose
    """.split()
)


def title_key(title: str) -> str:
    """Same key, same paper. A title with no letter or digit at all ("???")
    keys on its own spelling rather than on "", which every such title shares."""
    return fold(title) or " ".join(title.casefold().split())


def _short_hash(text: str, length: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


_ZEROS = itertools.repeat(0.0)  # map(dict.get, words, _ZEROS): a default per word
_LONG_WORD = re.compile(r"[0-9a-z]{3,}")  # the words of ``text.words`` longer than two letters


def abstract_tokens(text: str) -> frozenset[str]:
    """The words that tell abstracts apart: longer than two letters, not stopwords.
    Interned: a library's abstracts share one string per word (memory), and a
    lookup of a word finds the very same object (no string comparison)."""
    return frozenset(map(sys.intern, _LONG_WORD.findall(ascii_fold(text).casefold()))) - STOPWORDS


def provisional_title(abstract: str, limit: int = 80) -> str:
    """A stand-in title for an abstract nobody has named: its opening words."""
    first = abstract.split(". ")[0].strip()
    if len(first) <= limit:
        return first.rstrip(".")
    # One character more, so that a word ending right at the limit is kept
    # whole (``first[:limit]`` then dropped it as if it were cut).
    cut = first[: limit + 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"


@dataclass
class ImportReport:
    """What one listing did to the library."""

    file: str
    format: str = ""
    added: int = 0
    merged: int = 0
    versions: int = 0
    flagged: int = 0
    absorbed: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "added": self.added,
            "merged": self.merged,
            "versions": self.versions,
            "flagged": self.flagged,
            "absorbed": dict(self.absorbed),
            "warnings": list(self.warnings),
        }


class _AbstractIndex:
    """Inverted index from abstract words to papers, for matching bare abstracts
    without comparing against every paper.

    A word's weight is its IDF, log((papers + 1) / (papers with it + 1)) + 1,
    kept as log(papers + 1) + 1 - log(papers with it + 1): the second part
    changes only when the word's postings do, so it is kept per word, and the
    weight of a set of words is a sum over a dict, whatever was added since.
    What one lookup costs does not grow with the library (see ``ranked``).

    Inside, a paper is a number (in the order papers were first added), and a
    word's postings are those numbers in ascending order, packed 4 bytes each
    in an ``array`` (a new paper's number is the largest yet: appended) that
    numpy reads in place. As sets of ints they took 53 bytes a posting, 61%
    of what a merge allocated (tracemalloc, 10,000 papers), and every lookup
    walked through them: packed, a 100,000-paper merge peaks 0.4 GB lower
    (1.45 against 1.85 GB) and ranks an abstract in half the time. A version
    is a tuple of its words, its KEY_WORDS rarest (when it was added) first: a
    fifth of the memory of a frozenset of them.
    """

    def __init__(self) -> None:
        # word -> paper numbers, ascending, each once
        self.postings: dict[str, array[int]] = defaultdict(_new_postings)
        self.versions: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        self._log_df: dict[str, float] = {}  # word -> log(papers with it + 1)
        self._number: dict[str, int] = {}  # paper id -> its number
        self._ids: list[str] = []  # number -> paper id
        self._id_keys: array[int] = array("Q")  # number -> ``_id_key`` of its id

    @staticmethod
    def rarest(version: tuple[str, ...]) -> tuple[str, ...]:
        """A version's KEY_WORDS rarest words when it was added (ties by spelling)."""
        return version[:KEY_WORDS]

    def numbers(self, paper_ids: Iterable[str]) -> set[int]:
        """The numbers of those of ``paper_ids`` the index has."""
        number = self._number
        return {number[pid] for pid in paper_ids if pid in number}

    def paper_ids(self, numbers: Iterable[int]) -> list[str]:
        """The papers of those numbers."""
        return list(map(self._ids.__getitem__, numbers))

    def add(self, paper_id: str, abstract: str) -> None:
        tokens = abstract_tokens(abstract)
        versions = self.versions[paper_id]
        if any(len(v) == len(tokens) and tokens.issuperset(v) for v in versions):
            return
        found = list(map(self.postings.__getitem__, tokens))
        if not versions:
            # A paper's first version: a new number, the largest yet.
            number = self._number[paper_id] = len(self._ids)
            self._ids.append(paper_id)
            self._id_keys.append(_id_key(paper_id))
            for papers in found:
                papers.append(number)
        else:
            # A further version: the words no earlier one had, in their place.
            number = self._number[paper_id]
            had = set().union(*versions)
            for token, papers in zip(tokens, found):
                if token not in had:
                    bisect.insort(papers, number)
        frequencies = list(map(len, found))
        self._log_df.update(zip(tokens, map(math.log, map((1).__add__, frequencies))))
        versions.append(tuple(t for _, t in sorted(zip(frequencies, tokens))))

    def _scale(self) -> float:
        return math.log(max(len(self.versions), 1) + 1) + 1.0

    unseen_weight = _scale  # the weight of a word no paper has

    def weigher(self) -> Callable[[str], float]:
        """IDF weight of a word (rarer weighs more), as the index is now."""
        scale, log_df = self._scale(), self._log_df.get
        return lambda token: scale - log_df(token, 0.0)

    def weight_sum(self, tokens: Collection[str]) -> float:
        """The weights of ``tokens`` (distinct words) added up."""
        return len(tokens) * self._scale() - sum(map(self._log_df.get, tokens, _ZEROS))

    def similarity(self, query: frozenset[str], tokens: Collection[str],
                   query_sum: float | None = None, tokens_sum: float | None = None) -> float:
        """IDF-weighted Jaccard overlap of two word sets (``tokens`` may be a
        version: distinct words), given the weight sums of either, if known."""
        scale, log_df = self._scale(), self._log_df.get
        both = query.intersection(tokens)
        shared = len(both) * scale - sum(map(log_df, both, _ZEROS))
        if query_sum is None:
            query_sum = len(query) * scale - sum(map(log_df, query, _ZEROS))
        if tokens_sum is None:
            tokens_sum = self.weight_sum(tokens)
        total = query_sum + tokens_sum - shared
        return shared / total if total else 0.0

    def best_similarity(self, query: frozenset[str], paper_id: str,
                        query_sum: float | None = None) -> float:
        """``similarity`` with the paper's closest version."""
        if query_sum is None:
            query_sum = self.weight_sum(query)
        return max((self.similarity(query, tokens, query_sum)
                    for tokens in self.versions.get(paper_id, ())), default=0.0)

    def having(self, token: str, numbers: Any) -> Any:
        """Which of ``numbers`` (a numpy array of paper numbers) have ``token``:
        a boolean array (a binary search of its postings for each)."""
        import numpy as np

        found = np.frombuffer(self.postings[token], dtype=np.intc)
        return found.take(found.searchsorted(numbers), mode="clip") == numbers

    def ranked(self, abstract: str, exclude: set[str],
               query: frozenset[str] | None = None) -> list[tuple[float, str]]:
        """Papers by similarity to ``abstract``, best first (top candidates only)."""
        import numpy as np

        if query is None:
            query = abstract_tokens(abstract)
        weight = self.weigher()
        postings = self.postings
        common = max(3, len(self.versions) // 4)
        # The rarest words find the candidates; words in over a quarter of the
        # library narrow nothing down.
        voting = sorted((len(found), t) for t in query
                        if (found := postings.get(t)) and len(found) <= common)[:VOTING_WORDS]
        if not voting:
            return []
        spent = done = 0
        for frequency, _ in voting:
            spent += frequency
            if spent > VOTE_BUDGET and done:
                break
            done += 1
        weights = [weight(token) for _, token in voting]
        # Every paper with one of the first ``done`` words gets their weights
        # as votes, added word by word in that order (``bincount`` adds in the
        # order it is given: the sums are those of adding one vote at a time).
        numbers = np.concatenate([np.frombuffer(postings[token], dtype=np.intc)
                                  for _, token in voting[:done]])
        papers, where = np.unique(numbers, return_inverse=True)
        votes = np.bincount(where, weights=np.repeat(weights[:done],
                                                     [f for f, _ in voting[:done]]))
        if exclude:
            keep = ~np.isin(papers, list(self.numbers(exclude)))
            papers, votes = papers[keep], votes[keep]
        ids = self._ids
        papers, votes = _top_numbers(papers, votes, SHORTLIST, ids, self._id_keys)
        if len(papers) > CANDIDATES:
            # the commoner words' votes, for the shortlist only (a binary
            # search of the word's postings for each, not a walk through them)
            for (_, token), w in zip(voting[done:], weights[done:]):
                np.add(votes, w, out=votes, where=self.having(token, papers))
            papers, votes = _top_numbers(papers, votes, CANDIDATES, ids, self._id_keys)
        query_sum = self.weight_sum(query)
        return sorted(((self.best_similarity(query, ids[n], query_sum), ids[n])
                       for n in papers.tolist()), reverse=True)


def _new_postings() -> array[int]:
    return array("i")


def _id_key(paper_id: str) -> int:
    """The id's first 8 bytes (UTF-8, zero-padded) as a big-endian number: ids
    whose keys differ are in the order of their keys (bytes of UTF-8 sort as
    its code points do); only ids with equal keys need comparing whole."""
    return int.from_bytes(paper_id.encode("utf-8")[:8].ljust(8, b"\0"), "big")


def _top_numbers(papers: Any, votes: Any, count: int, ids: list[str],
                 id_keys: array[int]) -> tuple[Any, Any]:
    """The ``count`` papers (numpy arrays of numbers, ascending, and their
    votes) with the most votes: those above the ``count``-th most, then of
    those with as many, the first by paper id (not by number or by array
    order, which depend on the order papers arrived in)."""
    import numpy as np

    if len(papers) <= count:
        return papers, votes
    cut = np.partition(votes, len(votes) - count)[len(votes) - count]
    keep = votes > cut
    tied = np.flatnonzero(votes == cut)
    room = count - int(np.count_nonzero(keep))
    if len(tied) > room:
        tied = _first_by_id(tied, papers[tied], room, ids, id_keys)
    keep[tied] = True
    return papers[keep], votes[keep]


def _first_by_id(positions: Any, numbers: Any, count: int, ids: list[str],
                 id_keys: array[int]) -> Any:
    """Those of ``positions`` (numpy) whose papers (``numbers``) have the
    ``count`` first ids. By the ids' keys (``_id_key``), without reading the
    ids themselves: at 100,000 papers, sorting 459 tied ids by their strings
    cost more than the rest of the cut, each a read from a far-off string."""
    import numpy as np

    keys = np.frombuffer(id_keys, dtype=np.uint64)[numbers]
    last = np.partition(keys, count - 1)[count - 1]
    before = keys < last
    at = np.flatnonzero(keys == last)
    room = count - int(np.count_nonzero(before))
    if len(at) > room:  # ids alike in their first 8 bytes: whole
        tied = numbers[at].tolist()
        at = at[sorted(range(len(at)), key=lambda i: ids[tied[i]])[:room]]
    return np.concatenate([positions[before], positions[at]])


def _close(ranking: tuple[float, str | None, float, str | None]) -> bool:
    """Did the best stand so close to the minimum and to the margin over the
    second that the weights shifting as the library grows may lift it over?"""
    best, _, second, _ = ranking
    return best >= DRIFT * MATCH_MIN_SCORE and best >= DRIFT * MATCH_MIN_MARGIN * second


def _margin_bar(ranking: tuple[float, str | None, float, str | None], paper_id: str) -> float:
    """What ``paper_id`` must score to beat, by the margin, the best other paper
    of the ranking (with DRIFT slack)."""
    best, best_id, second, _ = ranking
    return DRIFT * MATCH_MIN_MARGIN * (second if paper_id == best_id else best)


class Catalogue:
    """The imported papers and the people who wrote them, with lookup indexes.

    Every lookup a record needs goes through an index (title key, name bucket,
    abstract words, flagged abstracts' words), and what a listing changes is
    tracked, so that merging one more listing costs what that listing holds,
    not what the library holds.
    """

    def __init__(
        self,
        papers: dict[str, Paper] | None = None,
        authors: dict[str, Author] | None = None,
        redirects: dict[str, str] | None = None,
    ) -> None:
        self.papers: dict[str, Paper] = papers or {}
        self.authors: dict[str, Author] = authors or {}
        self.redirects: dict[str, str] = redirects or {}
        self._by_title: dict[str, str] = {}
        self._review_by_abstract: dict[str, str] = {}
        # The flagged papers (needs_review), in library order, with their words;
        # how each was last ranked; those whose bar is the minimum score (never
        # ranked, or nothing came close); which of the others have a word.
        self._flagged: dict[str, frozenset[str]] = {}
        self._flag_order: dict[str, int] = {}
        self._flagged_best: dict[str, tuple[float, str | None, float, str | None]] = {}
        self._low_bar: dict[str, None] = {}
        self._flag_words: dict[str, set[str]] = defaultdict(set)
        for paper in self.papers.values():
            self._index_paper(paper)
        # Authors by their name's family name and first given name (or its
        # first letter): where a new spelling's candidates are (``_could_be``).
        self._author_key: dict[str, tuple[str, str | None, str | None, bool]] = {}  # author -> its name's
        self._name_keys: dict[str, tuple[str, str | None, str | None, bool]] = {}  # name -> its key
        self._by_first: dict[tuple[str, str | None], dict[str, None]] = defaultdict(dict)
        self._by_initial: dict[tuple[str, str | None], dict[str, None]] = defaultdict(dict)
        self._by_letter: dict[tuple[str, str | None], dict[str, None]] = defaultdict(dict)
        self._spelling: dict[str, str] = {}
        for author in self.authors.values():
            self._index_author(author)
        self._abstracts: _AbstractIndex | None = None
        self._touched: set[str] = set()  # papers added or given an abstract by this listing
        self._touched_numbers: Any = ()  # their numbers in the abstract index (numpy, ascending)
        self._touched_set: set[int] = set()  # the same numbers
        self._flagged_by: dict[str, ImportReport] = {}  # flagged by this import: by which listing
        # Authors' paper lists: rebuilt whole at the end of the first import, then
        # only for the authors of the papers an import changed (``_relink_papers``).
        self._changed: set[str] = set()  # papers this import created, changed or removed
        self._links: dict[str, tuple[str, tuple[str, ...]]] | None = None  # id -> (date, author ids)
        self._keys_of: dict[str, list[tuple[str, str]]] = defaultdict(list)  # (date, id), oldest first
        # Redirects added since chains were last followed (None: never), and
        # which redirects point at a paper.
        self._unsettled: list[str] | None = None
        self._pointing_at: dict[str, list[str]] = defaultdict(list)

    @classmethod
    def from_records(
        cls,
        papers: Iterable[dict[str, Any]],
        authors: Iterable[dict[str, Any]],
        redirects: dict[str, str] | None = None,
    ) -> Catalogue:
        return cls(
            {p["id"]: Paper.from_dict(p) for p in papers},
            {a["id"]: Author.from_dict(a) for a in authors},
            dict(redirects or {}),
        )

    # -- indexes ---------------------------------------------------------------

    def _index_paper(self, paper: Paper) -> None:
        if paper.needs_review:
            self._review_by_abstract[fold(paper.abstract or "")] = paper.id
            self._flag(paper)
        else:
            self._by_title[title_key(paper.title)] = paper.id

    def _flag(self, paper: Paper) -> None:
        self._flagged[paper.id] = abstract_tokens(paper.abstract or "")
        self._flag_order[paper.id] = len(self._flag_order)
        self._low_bar[paper.id] = None

    def _unflag(self, paper_id: str) -> None:
        tokens = self._flagged.pop(paper_id)
        self._flagged_best.pop(paper_id, None)
        if paper_id in self._low_bar:
            del self._low_bar[paper_id]
        else:
            for token in tokens:
                self._flag_words[token].discard(paper_id)

    def _ranked_as(self, flagged_id: str,
                   ranking: tuple[float, str | None, float, str | None]) -> None:
        """Remember how a flagged abstract ranked; index it by its bar: with the
        minimum bar, among those checked exactly, else by its words."""
        self._flagged_best[flagged_id] = ranking
        low = REVISIT * ranking[0] <= MATCH_MIN_SCORE
        if low == (flagged_id in self._low_bar):
            return
        if low:
            self._low_bar[flagged_id] = None
            for token in self._flagged[flagged_id]:
                self._flag_words[token].discard(flagged_id)
        else:
            del self._low_bar[flagged_id]
            for token in self._flagged[flagged_id]:
                self._flag_words[token].add(flagged_id)

    def _key_of(self, name: str) -> tuple[str, str | None, str | None, bool]:
        """(family name, first letter of the first given name, that name, is
        it an initial); no given name: (family, None, None, False). Memoised."""
        key = self._name_keys.get(name)
        if key is None:
            parts = namelib.split_name(name)
            if not parts.given:
                key = parts.family, None, None, False
            else:
                first, initial = parts.given[0]
                key = parts.family, first[:1], first, initial
            self._name_keys[name] = key
        return key

    def _index_author(self, author: Author) -> None:
        """Index the author's spellings, and the author by its name's key (its
        name, the fullest spelling, may have changed)."""
        for spelling in author.spellings:
            self._spelling[spelling] = author.id
        key = self._key_of(author.name)
        before = self._author_key.get(author.id)
        if key == before:
            return
        if before is not None:
            for bucket in self._buckets(before):
                bucket.pop(author.id, None)
        for bucket in self._buckets(key):
            bucket[author.id] = None
        self._author_key[author.id] = key

    def _buckets(self, key: tuple[str, str | None, str | None, bool]) -> list[dict[str, None]]:
        family, letter, first, initial = key
        return [self._by_letter[family, letter],
                self._by_initial[family, letter] if initial else self._by_first[family, first]]

    def _could_be(self, name: str) -> list[str]:
        """The authors ``name`` could be a spelling of, and maybe others: those
        whose name agrees with it on the family name and on the first given
        name (``namelib.compatible`` needs both, and a spelling to agree with
        the author's name): the same name, or an initial where either has one."""
        family, letter, first, initial = self._key_of(name)
        if initial:
            return list(self._by_letter.get((family, letter), ()))
        return [*self._by_first.get((family, first), ()),
                *(self._by_initial.get((family, letter), ()) if letter is not None else ())]

    def _abstract_index(self) -> _AbstractIndex:
        """Built on first need only: most imports carry no bare abstracts."""
        if self._abstracts is None:
            self._abstracts = _AbstractIndex()
            for paper in self.papers.values():
                if not paper.needs_review:
                    for version in paper.abstract_versions:
                        self._abstracts.add(paper.id, version)
        return self._abstracts

    def knows_name(self, name: str) -> bool:
        """Is ``name`` a spelling already in the library? (Helps the compact parser.)"""
        return name in self._spelling

    # -- people ------------------------------------------------------------------

    def _new_id(self, prefix: str, basis: str, taken: dict[str, Any]) -> str:
        length = 10
        while (candidate := prefix + _short_hash(basis, length)) in taken:
            length += 2
        return candidate

    def person(self, name: str) -> str:
        """The id of the author ``name`` spells, creating the author if new.

        A spelling joins an existing author only when exactly one author is
        compatible with every spelling they already have.
        """
        if name in self._spelling:
            return self._spelling[name]
        matches = [
            aid
            for aid in self._could_be(name)
            if all(namelib.compatible(name, s) for s in self.authors[aid].spellings)
        ]
        if len(matches) == 1:
            author = self.authors[matches[0]]
            spellings = sorted([*author.spellings, name], key=namelib.fullness, reverse=True)
            author.name, author.aliases = spellings[0], spellings[1:]
        else:
            author = Author(id=self._new_id("a", fold(name), self.authors), name=name)
            author.paper_ids = [pid for _, pid in reversed(self._keys_of.get(author.id, ()))]
            self.authors[author.id] = author
        self._index_author(author)
        return author.id

    # -- papers ------------------------------------------------------------------

    def _add_paper(self, paper: Paper) -> None:
        self.papers[paper.id] = paper
        self._changed.add(paper.id)
        self._index_paper(paper)
        if not paper.needs_review:
            self._touched.add(paper.id)
        if self._abstracts is not None and not paper.needs_review:
            for version in paper.abstract_versions:
                self._abstracts.add(paper.id, version)

    def _add_version(self, paper: Paper, abstract: str | None) -> bool:
        """Keep ``abstract`` as a version of ``paper``; True if it was new."""
        if not abstract:
            return False
        if abstract in paper.abstract_versions:
            return False
        paper.abstract_versions.append(abstract)
        if paper.abstract is None:
            paper.abstract = abstract
        if not paper.needs_review:
            self._touched.add(paper.id)
        if self._abstracts is not None and not paper.needs_review:
            self._abstracts.add(paper.id, abstract)
        return True

    @staticmethod
    def _add_source(paper: Paper, record: ParsedPaper) -> None:
        if record.source not in paper.sources:
            paper.sources.append(record.source)

    def _link_authors(self, paper: Paper, owner_id: str | None,
                      spellings: Iterable[str] = ()) -> None:
        ids = [self.person(n) for n in paper.authors]
        for aid in paper.author_ids:  # keep links made by other listings (owners)
            if aid not in ids and aid in self.authors:
                ids.append(aid)
        # The names this listing gave, where the paper kept another listing's
        # list: "Ganesh R. Kini" here and "Ganesh Ramachandra Kini" there must
        # still become one author with both spellings (merging drops nothing).
        for name in spellings:
            aid = self.person(name)
            if aid not in ids:
                ids.append(aid)
        if owner_id and owner_id not in ids:
            ids.append(owner_id)
        paper.author_ids = list(dict.fromkeys(ids))

    @staticmethod
    def _merged_fields(paper: Paper) -> tuple[Any, ...]:
        return (list(paper.authors), paper.et_al, paper.affiliation, paper.category,
                paper.date, paper.date_text, paper.has_code, paper.score)

    def _merge_fields(self, paper: Paper, record: ParsedPaper) -> bool:
        """Fill ``paper`` from ``record`` without dropping anything; True if it changed."""
        before = self._merged_fields(paper)
        fuller = len(record.authors) > len(paper.authors) or (
            paper.et_al and not record.et_al and len(record.authors) >= len(paper.authors)
        )
        if record.authors and (not paper.authors or fuller):
            paper.authors, paper.et_al = list(record.authors), record.et_al
        paper.affiliation = paper.affiliation or record.affiliation
        paper.category = paper.category or record.category
        has_year = bool(paper.date_text and "," in paper.date_text)
        if record.date and (paper.date is None or (not has_year and "," in (record.date_text or ""))):
            paper.date, paper.date_text = record.date, record.date_text
        paper.has_code = paper.has_code or record.has_code
        if paper.score is None:
            paper.score = record.score
        return self._merged_fields(paper) != before

    def _merge_listed(self, record: ParsedPaper, owner_id: str | None,
                      report: ImportReport, now: str) -> None:
        assert record.title is not None
        key = title_key(record.title)
        existing = self._by_title.get(key)
        if existing is None:
            paper = Paper(
                id=self._new_id("", key, self.papers),
                title=record.title,
                authors=list(record.authors),
                et_al=record.et_al,
                affiliation=record.affiliation,
                category=record.category,
                date=record.date,
                date_text=record.date_text,
                has_code=record.has_code,
                score=record.score,
                abstract=record.abstract,
                abstract_versions=[record.abstract] if record.abstract else [],
                sources=[record.source],
                added=now,
            )
            self._add_paper(paper)
            report.added += 1
        else:
            paper = self.papers[existing]
            self._changed.add(paper.id)
            self._merge_fields(paper, record)
            self._add_source(paper, record)
            if self._add_version(paper, record.abstract):
                report.versions += 1
            report.merged += 1
        self._link_authors(paper, owner_id, record.authors)

    def _rank(self, abstract: str, tokens: frozenset[str] | None = None,
              ) -> tuple[str | None, tuple[float, str | None, float, str | None]]:
        """The paper ``abstract`` belongs to (or None), and the ranking: best
        score and its paper, runner-up's score and its paper."""
        ranked = self._abstract_index().ranked(abstract, exclude=set(), query=tokens)
        if not ranked:
            return None, _UNRANKED
        best_score, best_id = ranked[0]
        runner_up, runner_up_id = ranked[1] if len(ranked) > 1 else (0.0, None)
        ranking = (best_score, best_id, runner_up, runner_up_id)
        if best_score >= MATCH_MIN_SCORE and best_score >= MATCH_MIN_MARGIN * runner_up:
            return best_id, ranking
        return None, ranking

    def _merge_abstract(self, record: ParsedPaper, report: ImportReport, now: str) -> None:
        abstract = record.abstract or ""
        target, ranking = self._rank(abstract)
        if target is None:
            target = self._review_by_abstract.get(fold(abstract))
        if target is not None:
            paper = self.papers[target]
            self._add_source(paper, record)
            if self._add_version(paper, abstract):
                report.versions += 1
            else:
                report.merged += 1
            return
        paper = Paper(
            id=self._new_id("", "abstract:" + fold(abstract), self.papers),
            title=provisional_title(abstract),
            abstract=abstract,
            abstract_versions=[abstract],
            sources=[record.source],
            needs_review=True,
            added=now,
        )
        self._add_paper(paper)
        self._flagged_best[paper.id] = ranking  # how it ranked; its bar stays the minimum
        self._flagged_by[paper.id] = report
        report.flagged += 1

    def _hopeful(self, index: _AbstractIndex) -> list[str]:
        """The flagged abstracts worth ranking again, in library order.

        An abstract is tried again when a paper this import added or gave a new
        abstract scores at least its bar: the minimum score, or REVISIT x the
        best it had when last tried (the minimum until it has been tried once).
        Only such a paper can lift it over the bar.

        A try is run only if it can change the outcome: the paper must also
        beat, by the margin, the paper that stood first when the abstract was
        last ranked (for that paper itself, the second), which is still there;
        unless the first stood so close to the minimum and to beating the
        second by the margin that shifting weights may have done it (all with
        DRIFT slack). A try that cannot change the outcome is not run; the
        abstract keeps the ranking it had.

        Where the bar is the minimum, the papers reaching it are found exactly,
        through the abstract's rarest words (``_reaches``). Otherwise a paper
        that can change the outcome is close to the abstract: of the abstracts
        with the paper's rarest words, those with the most are scored.
        """
        import numpy as np

        ranks = self._flagged_best
        hopeful: set[str] = set()
        # for ``_near``: their numbers, as a set and ascending
        self._touched_set = index.numbers(self._touched)
        self._touched_numbers = np.array(sorted(self._touched_set), dtype=np.intc)
        for fid in list(self._low_bar):
            reached = self._reaches(fid, index)
            if reached is True:
                hopeful.add(fid)
            elif reached:
                # Not tried: a try would find this paper at least as close.
                score, pid = reached
                best, best_id, second, second_id = ranks[fid]
                if pid == best_id:
                    best = max(best, score)
                elif score > best:
                    best, best_id, second, second_id = score, pid, best, best_id
                elif score > second or pid == second_id:
                    second, second_id = max(score, second), pid
                self._ranked_as(fid, (best, best_id, second, second_id))
        flagged, flag_words, order = self._flagged, self._flag_words, self._flag_order
        flagged_sums: dict[str, float] = {}
        for pid in self._touched:
            for tokens in index.versions.get(pid, ()):
                hits: Counter[str] = Counter()
                for token in index.rarest(tokens):
                    ids = flag_words.get(token)
                    if ids and len(ids) <= FLAG_WORD_CAP:
                        hits.update(ids)
                for fid in hopeful.intersection(hits):
                    del hits[fid]
                if not hits:
                    continue
                found = list(hits)
                if len(found) > FLAG_CANDIDATES:
                    cut = heapq.nlargest(FLAG_CANDIDATES, hits.values())[-1]
                    found = [fid for fid, count in hits.items() if count >= cut]
                    if len(found) > FLAG_CANDIDATES:  # ties: the earliest flagged
                        found = sorted(found, key=lambda fid: (-hits[fid], order[fid])
                                       )[:FLAG_CANDIDATES]
                tokens_sum = index.weight_sum(tokens)
                for fid in found:
                    ranking = ranks[fid]
                    bar = max(MATCH_MIN_SCORE, REVISIT * ranking[0])
                    if not _close(ranking):
                        bar = max(bar, _margin_bar(ranking, pid))
                    flagged_sum = flagged_sums.get(fid)
                    if flagged_sum is None:
                        flagged_sum = flagged_sums[fid] = index.weight_sum(flagged[fid])
                    if index.similarity(flagged[fid], tokens, flagged_sum, tokens_sum) >= bar:
                        hopeful.add(fid)
        return sorted(hopeful, key=order.__getitem__)

    def _reaches(self, flagged_id: str,
                 index: _AbstractIndex) -> bool | tuple[float, str] | None:
        """Does a paper this import added or gave a new abstract score the
        minimum with this flagged abstract, so that it is tried again, and
        could a try then change the outcome (see ``_hopeful``)? True if so;
        else a paper that reaches the minimum and its score, or None."""
        tokens = self._flagged[flagged_id]
        tokens_sum = index.weight_sum(tokens)

        def score(paper_id: str) -> float:
            return max(index.similarity(tokens, version, tokens_sum)
                       for version in index.versions[paper_id])

        ranking = self._flagged_best.get(flagged_id)
        if ranking is not None and not _close(ranking):
            # A try can change the outcome only through a paper beating the
            # best other one by the margin: so close, few papers can.
            best, best_id, second, _ = ranking
            if (best_id in self._touched
                    and score(best_id) >= max(MATCH_MIN_SCORE, DRIFT * MATCH_MIN_MARGIN * second)):
                return True
            bar = max(MATCH_MIN_SCORE, DRIFT * MATCH_MIN_MARGIN * best)
            if any(score(pid) >= bar for pid in self._near(tokens, bar, index) if pid != best_id):
                return True
        for pid in self._near(tokens, MATCH_MIN_SCORE, index):
            reached = score(pid)
            if reached >= MATCH_MIN_SCORE:
                return True if ranking is None or _close(ranking) else (reached, pid)
        return None

    def _near(self, tokens: frozenset[str], bar: float, index: _AbstractIndex) -> list[str]:
        """The papers this import added or gave a new abstract that may score
        ``bar`` with ``tokens``, those sharing the most of its rarest words
        first. Exact, without trying every paper: a paper scoring s shares at
        least s x the weight of ``tokens``, so a paper sharing none of its
        rarest words, as many as leave less than that share, cannot score it."""
        weight = index.weigher()
        postings = index.postings
        present = sorted((len(found), t) for t in tokens if (found := postings.get(t)))
        total = index.weight_sum(tokens)
        rest = total - (len(tokens) - len(present)) * index.unseen_weight()  # of those present
        limit = bar * total
        touched, touched_set = self._touched_numbers, self._touched_set
        hits: Counter[int] = Counter()
        for frequency, token in present:
            if rest < limit or not touched_set:
                break
            rest -= weight(token)
            if frequency <= _FEW_POSTINGS:  # a rare word: walk its postings
                hits.update(touched_set.intersection(postings[token]))
            else:
                hits.update(touched[index.having(token, touched)].tolist())
        ids = index.paper_ids(hits)
        return [pid for _, pid in sorted(zip(map(operator.neg, hits.values()), ids))]

    def _place_flagged(self, report: ImportReport) -> None:
        """Give the flagged abstracts another chance against the papers this
        import added or gave a new abstract (see ``_hopeful``)."""
        index = self._abstract_index()
        for fid in self._hopeful(index):
            paper = self.papers[fid]
            target, ranking = self._rank(paper.abstract or "", self._flagged[fid])
            if target is None:
                self._ranked_as(fid, ranking)
                continue
            self._absorb(paper, target, report)

    def _absorb(self, paper: Paper, target: str, report: ImportReport) -> None:
        """The flagged ``paper`` is a version of ``target``: its abstracts and
        sources move there, and its id redirects there."""
        host = self.papers[target]
        for version in paper.abstract_versions:
            if self._add_version(host, version):
                report.versions += 1
        for source in paper.sources:
            if source not in host.sources:
                host.sources.append(source)
        del self.papers[paper.id]
        self._unflag(paper.id)
        self._changed.add(paper.id)
        self._review_by_abstract.pop(fold(paper.abstract or ""), None)
        self.redirects[paper.id] = target
        if self._unsettled is not None:
            self._unsettled.append(paper.id)
        report.absorbed[paper.id] = target

    def _place_remaining(self, report_for: Callable[[str], ImportReport]) -> None:
        """Rank every flagged abstract once more, against the library as the
        import leaves it, and place those that now pass (``report_for(its id)``
        is the report that tells of it).

        After each listing, a flagged abstract is only tried against what that
        listing brought (``_place_flagged``). That misses two things, both
        common in a large library: the weights shift as papers arrive, so a
        best match that missed the margin over the runner-up can pass it later
        without its paper changing (at 100,000 papers, 103 reworded abstracts
        were left flagged that way); and the shortcut that finds the abstracts
        worth trying again can pass one over (21 more). Once per import, every
        flagged abstract is ranked against everything."""
        for fid in list(self._flagged):
            paper = self.papers[fid]
            target, ranking = self._rank(paper.abstract or "", self._flagged[fid])
            if target is None:
                self._ranked_as(fid, ranking)
            else:
                self._absorb(paper, target, report_for(fid))

    def _relink_papers(self) -> None:
        """Every author's ``paper_ids`` from the papers' links, in date order
        (newest first, then by id, descending): all of them the first time, then
        only the links of papers this import created, changed or removed, each
        put in its place (bisection on the author's (date, id) list)."""
        papers, authors = self.papers, self.authors
        if self._links is None:
            self._links = {}
            for author in authors.values():
                author.paper_ids = []
            for paper in sorted(papers.values(), key=lambda p: (p.date or "", p.id), reverse=True):
                link = self._links[paper.id] = (paper.date or "", tuple(paper.author_ids))
                for aid in link[1]:
                    self._keys_of[aid].append((link[0], paper.id))
                    if aid in authors:
                        authors[aid].paper_ids.append(paper.id)
            for keys in self._keys_of.values():
                keys.reverse()  # oldest first, for bisect
        else:
            for pid in self._changed:
                paper = papers.get(pid)
                now = None if paper is None else (paper.date or "", tuple(paper.author_ids))
                before = self._links.get(pid)
                if now == before:
                    continue
                if before is not None:
                    del self._links[pid]
                    key = (before[0], pid)
                    for aid in before[1]:
                        keys = self._keys_of[aid]
                        at = bisect.bisect_left(keys, key)
                        del keys[at]
                        if aid in authors:  # newest first: the same place from the end
                            del authors[aid].paper_ids[len(keys) - at]
                if now is not None:
                    self._links[pid] = now
                    key = (now[0], pid)
                    for aid in now[1]:
                        keys = self._keys_of[aid]
                        at = bisect.bisect_left(keys, key)
                        keys.insert(at, key)
                        if aid in authors:
                            authors[aid].paper_ids.insert(len(keys) - 1 - at, pid)
        self._changed = set()
        self._settle_redirects()

    def _settle_redirects(self) -> None:
        """Point every redirect at the end of its chain (a -> b -> c: a -> c):
        all of them the first time, then the ones added since, and those that
        pointed at a paper that has since been redirected."""
        redirects = self.redirects
        if self._unsettled is None:
            for old, new in list(redirects.items()):
                while new in redirects:
                    new = redirects[new]
                redirects[old] = new
            for old, new in redirects.items():
                self._pointing_at[new].append(old)
        else:
            for old in self._unsettled:
                new = redirects[old]
                while new in redirects:
                    new = redirects[new]
                redirects[old] = new
                pointing = self._pointing_at.pop(old, [])
                for source in pointing:
                    redirects[source] = new
                self._pointing_at[new] += [old, *pointing]
        self._unsettled = []

    def merge_listing(self, listing: ParsedListing, now: datetime | None = None) -> ImportReport:
        """Merge one parsed listing into the catalogue, as an import of its
        own; returns what it did. (A folder: ``merge_listings``.)"""
        return self.merge_listings([listing], now)[0]

    def merge_listings(self, listings: Sequence[ParsedListing],
                       now: datetime | None = None) -> list[ImportReport]:
        """Merge parsed listings in order, as one import; returns what each did.
        The flagged abstracts are then ranked once more against the whole
        library (``_place_remaining``); one that finds its paper then is told
        of in the report of the listing it came from, if it came in this
        import, else in the last report."""
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        reports: list[ImportReport] = []
        self._flagged_by = {}
        changed = False  # did a paper arrive or get a new abstract (the weights shift)?
        for listing in listings:
            reports.append(self._merge_one(listing, stamp))
            changed = changed or bool(self._touched)
        if changed and self._flagged:
            flagged_by = self._flagged_by
            self._place_remaining(lambda fid: flagged_by.get(fid, reports[-1]))
        self._flagged_by = {}
        # Nothing in a merge reads the authors' paper lists: they are put in
        # order once, for every paper the import changed (at 100,000 papers,
        # after every listing cost 1.0 s in all).
        self._relink_papers()
        return reports

    def _merge_one(self, listing: ParsedListing, stamp: str) -> ImportReport:
        report = ImportReport(file=listing.name, format=listing.format,
                              warnings=list(listing.warnings))
        self._touched = set()
        owner_id = None
        if listing.owner:
            owner_id = self.person(listing.owner)
            if listing.profile is not None:
                self.authors[owner_id].profile = listing.profile
        for record in listing.papers:
            if record.title is None or listing.format == FORMAT_ABSTRACTS:
                if record.abstract:
                    self._merge_abstract(record, report, stamp)
            else:
                self._merge_listed(record, owner_id, report, stamp)
        # A flagged abstract can only find a home among papers this listing added
        # or gave a new abstract: without those, trying again would find nothing new.
        if self._touched and self._flagged:
            self._place_flagged(report)
        return report
