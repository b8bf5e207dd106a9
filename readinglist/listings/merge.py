"""One library, each paper once: merging parsed listings into the catalogue.

- The same title (case, punctuation, accents and spacing aside) is one paper that
  remembers every source; a field one listing has and another lacks is kept.
- An abstract from a dump is attached to the paper whose abstract it matches
  (IDF-weighted word overlap, with a margin over the runner-up), also when it is
  an older, reworded version. One that matches nothing well enough becomes its
  own record, flagged ``needs_review``; later imports try again to place it.
- Names are people: spellings that agree (``Ganesh R. Kini`` ~ ``Ganesh
  Ramachandra Kini``) are one author, and a profile page's owner is linked to
  every paper on the page, also where ``et al.`` hides them.

Pure: no files, no TinyDB. The store loads a ``Catalogue``, calls
``merge_listing`` and writes the result back.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
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
from readinglist.text import fold, words

# Abstract matching, measured on the seeds (``python bench/abstract_match.py``):
# the three reworded versions score 0.23, 0.28 and 0.39 against their paper and
# beat the runner-up by x2.4 or more; leave-one-out, no abstract scores above
# 0.144 against a wrong paper, nor beats its runner-up by more than x1.9.
# Each condition alone separates the seeds; a match must pass both.
MATCH_MIN_SCORE = 0.18
MATCH_MIN_MARGIN = 2.0  # best must beat the runner-up by this factor
CANDIDATES = 20
VOTING_WORDS = 80  # the query's rarest words that pick the candidates
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


def abstract_tokens(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if len(w) > 2 and w not in STOPWORDS)


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
    without comparing against every paper."""

    def __init__(self) -> None:
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.versions: dict[str, list[frozenset[str]]] = defaultdict(list)
        self._weigher: Callable[[str], float] | None = None

    def add(self, paper_id: str, abstract: str) -> None:
        tokens = abstract_tokens(abstract)
        if tokens in self.versions[paper_id]:
            return
        self.versions[paper_id].append(tokens)
        for token in tokens:
            self.postings[token].add(paper_id)
        self._weigher = None

    def remove(self, paper_id: str) -> None:
        for tokens in self.versions.pop(paper_id, []):
            for token in tokens:
                self.postings[token].discard(paper_id)
        self._weigher = None

    def weigher(self) -> Callable[[str], float]:
        """IDF weight of a word (rarer weighs more), memoised until the index changes."""
        if self._weigher is not None:
            return self._weigher
        total = max(len(self.versions), 1)
        cache: dict[str, float] = {}

        def weight(token: str) -> float:
            value = cache.get(token)
            if value is None:
                value = cache[token] = math.log(
                    (total + 1) / (len(self.postings.get(token, ())) + 1)) + 1.0
            return value

        self._weigher = weight
        return weight

    @staticmethod
    def similarity(query: frozenset[str], tokens: frozenset[str],
                   weight: Callable[[str], float]) -> float:
        """IDF-weighted Jaccard overlap of two word sets."""
        shared = sum(map(weight, query & tokens))
        total = sum(map(weight, query)) + sum(map(weight, tokens)) - shared
        return shared / total if total else 0.0

    def best_similarity(self, query: frozenset[str], paper_id: str,
                        weight: Callable[[str], float]) -> float:
        return max((self.similarity(query, v, weight) for v in self.versions.get(paper_id, ())),
                   default=0.0)

    def ranked(self, abstract: str, exclude: set[str]) -> list[tuple[float, str]]:
        """Papers by similarity to ``abstract``, best first (top candidates only)."""
        query = abstract_tokens(abstract)
        weight = self.weigher()
        common = max(3, len(self.versions) // 4)
        # The rarest words find the candidates; words in over a quarter of the
        # library narrow nothing down.
        rare = sorted((t for t in query if 0 < len(self.postings.get(t, ())) <= common),
                      key=lambda t: len(self.postings[t]))[:VOTING_WORDS]
        votes: dict[str, float] = defaultdict(float)
        for token in rare:
            w = weight(token)
            for paper_id in self.postings[token]:
                votes[paper_id] += w
        for paper_id in exclude:
            votes.pop(paper_id, None)
        shortlist = sorted(votes, key=votes.__getitem__, reverse=True)[:CANDIDATES]
        return sorted(((self.best_similarity(query, pid, weight), pid) for pid in shortlist),
                      reverse=True)


class Catalogue:
    """The imported papers and the people who wrote them, with lookup indexes."""

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
        for paper in self.papers.values():
            self._index_paper(paper)
        self._by_family: dict[str, list[str]] = defaultdict(list)
        self._spelling: dict[str, str] = {}
        for author in self.authors.values():
            self._index_author(author)
        self._abstracts: _AbstractIndex | None = None
        self._touched: set[str] = set()  # papers added or given an abstract by this listing
        self._flagged_best: dict[str, float] = {}  # flagged id -> best score it has had

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
        else:
            self._by_title[title_key(paper.title)] = paper.id

    def _index_author(self, author: Author) -> None:
        for spelling in author.spellings:
            self._spelling[spelling] = author.id
        family = namelib.split_name(author.name).family
        if author.id not in self._by_family[family]:
            self._by_family[family].append(author.id)

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
        family = namelib.split_name(name).family
        matches = [
            aid
            for aid in self._by_family.get(family, [])
            if all(namelib.compatible(name, s) for s in self.authors[aid].spellings)
        ]
        if len(matches) == 1:
            author = self.authors[matches[0]]
            spellings = sorted([*author.spellings, name], key=namelib.fullness, reverse=True)
            author.name, author.aliases = spellings[0], spellings[1:]
        else:
            author = Author(id=self._new_id("a", fold(name), self.authors), name=name)
            self.authors[author.id] = author
        self._index_author(author)
        return author.id

    # -- papers ------------------------------------------------------------------

    def _add_paper(self, paper: Paper) -> None:
        self.papers[paper.id] = paper
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

    def _merge_fields(self, paper: Paper, record: ParsedPaper) -> bool:
        """Fill ``paper`` from ``record`` without dropping anything; True if it changed."""
        before = paper.to_dict()
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
        return paper.to_dict() != before

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
            self._merge_fields(paper, record)
            self._add_source(paper, record)
            if self._add_version(paper, record.abstract):
                report.versions += 1
            report.merged += 1
        self._link_authors(paper, owner_id, record.authors)

    def _best_match(self, abstract: str) -> str | None:
        return self._match(abstract)[0]

    def _match(self, abstract: str) -> tuple[str | None, float]:
        """The paper ``abstract`` belongs to (or None), and the best score seen."""
        ranked = self._abstract_index().ranked(abstract, exclude=set())
        if not ranked:
            return None, 0.0
        best_score, best_id = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if best_score >= MATCH_MIN_SCORE and best_score >= MATCH_MIN_MARGIN * runner_up:
            return best_id, best_score
        return None, best_score

    def _merge_abstract(self, record: ParsedPaper, report: ImportReport, now: str) -> None:
        abstract = record.abstract or ""
        target = self._best_match(abstract)
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
        report.flagged += 1

    def _place_flagged(self, report: ImportReport) -> None:
        """Give every flagged abstract another chance against the papers this
        import added or gave a new abstract. Only such a paper can lift a flagged
        abstract over the bar, so the full ranking (with its runner-up margin)
        runs only for abstracts one of them scores at least the minimum with."""
        index = self._abstract_index()
        weight = index.weigher()
        flagged = {p.id: abstract_tokens(p.abstract or "") for p in self.papers.values()
                   if p.needs_review}
        by_word: dict[str, set[str]] = defaultdict(set)  # a small index of the flagged
        for fid, tokens in flagged.items():
            for token in tokens:
                by_word[token].add(fid)
        # A new paper changes the outcome only if it beats the best score the
        # abstract already had (else the runner-up just rises): a little slack
        # for the weights shifting as the library grows.
        bar = {fid: max(MATCH_MIN_SCORE, 0.9 * self._flagged_best.get(fid, 0.0)) for fid in flagged}
        flagged_sum = {fid: sum(map(weight, tokens)) for fid, tokens in flagged.items()}
        hopeful: set[str] = set()
        for pid in self._touched:
            for tokens in index.versions.get(pid, ()):
                tokens_sum = sum(map(weight, tokens))
                for fid in {fid for t in tokens for fid in by_word.get(t, ())} - hopeful:
                    # the similarity, with both sides' weight sums computed once
                    shared = sum(map(weight, flagged[fid] & tokens))
                    if shared >= bar[fid] * (flagged_sum[fid] + tokens_sum - shared):
                        hopeful.add(fid)
        for paper in [self.papers[fid] for fid in flagged if fid in hopeful]:
            target, best = self._match(paper.abstract or "")
            self._flagged_best[paper.id] = best
            if target is None:
                continue
            host = self.papers[target]
            for version in paper.abstract_versions:
                if self._add_version(host, version):
                    report.versions += 1
            for source in paper.sources:
                if source not in host.sources:
                    host.sources.append(source)
            del self.papers[paper.id]
            self._review_by_abstract.pop(fold(paper.abstract or ""), None)
            self.redirects[paper.id] = target
            report.absorbed[paper.id] = target

    def _relink_papers(self) -> None:
        """Rebuild every author's ``paper_ids`` from the papers' links, in date order."""
        for author in self.authors.values():
            author.paper_ids = []
        for paper in sorted(self.papers.values(), key=lambda p: (p.date or "", p.id), reverse=True):
            for aid in paper.author_ids:
                if aid in self.authors:
                    self.authors[aid].paper_ids.append(paper.id)
        for old, new in list(self.redirects.items()):  # chains: a -> b -> c
            while new in self.redirects:
                new = self.redirects[new]
            self.redirects[old] = new

    def merge_listing(self, listing: ParsedListing, now: datetime | None = None) -> ImportReport:
        """Merge one parsed listing into the catalogue; returns what it did."""
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
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
        if self._touched and any(p.needs_review for p in self.papers.values()):
            self._place_flagged(report)
        self._relink_papers()
        return report
