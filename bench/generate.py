"""Synthetic libraries for the benchmark: N papers written as listing files.

    python bench/generate.py 10000            # -> bench/.cache/lib-10000-s7-v1/
    python bench/generate.py 1000 --check     # also parse every file back and compare

Deterministic: everything is drawn from ``random.Random(f"{seed}-{n}")``, so a
size and a seed always give the same files (byte for byte). A set is built in a
temporary folder and renamed into ``bench/.cache/`` when complete, so an
interrupted run never leaves half a set behind.

What a set holds (word lists in ``bench/vocab.py``):

- N papers with titles and 1,000-1,500-character abstracts built from per-topic
  vocabularies, a per-paper method name, datasets, metrics and numbers.
- About N/3 people in research groups; a paper's authors come mostly from one
  group (co-authors overlap) plus an occasional outsider. Some people with a
  middle name are written ``Ganesh R. Kini`` in some listings and
  ``Ganesh Ramachandra Kini`` in others. Lists longer than four names are often
  cut to three and ``et al.``.
- Listing files in the three seed formats, rendered with
  ``readinglist.listings.render`` so the real parsers read them:
  profile pages of the most prolific people (each of their papers, newest
  first, at most 300), compact listings of 200-400 papers (every paper no
  profile page lists, plus about 12% that one does: those merge), and abstract
  dumps (older reworded versions of about 3% of the abstracts, exact copies of
  1%, and a few abstracts from an unrelated field that match nothing). Files
  are named ``NNNN_<hash>.txt`` in shuffled order, so the formats interleave.
- ``manifest.json``: counts, and the user's data to apply after the import
  (tags, statuses, notes, a queue), by paper title. Its size grows slowly with
  N (a researcher annotates hundreds of papers, not a fixed share of 100,000).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import vocab  # noqa: E402

from readinglist.listings.render import (  # noqa: E402
    date_text_for,
    render_abstracts,
    render_compact,
    render_profile,
)
from readinglist.models import Profile  # noqa: E402
from readinglist.text import fold  # noqa: E402

#: Bump when the output changes, so old cached sets are not reused.
GENERATOR_VERSION = 2
DEFAULT_SEED = 7
CACHE = BENCH / ".cache"

PROFILE_SHARE = 0.55  # of the papers, listed on some profile page
PROFILE_CAP = 300
COMPACT_OVERLAP = 0.12  # profile-listed papers listed again in a compact listing
REWORDED_SHARE = 0.03
COPY_SHARE = 0.01


@dataclass
class Person:
    given: str
    middle: str | None
    family: str
    variant_prone: bool = False

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.given, self.middle, self.family) if p)

    def spelled(self, rng: random.Random) -> str:
        """As one listing writes the name: sometimes the middle name as an initial."""
        if self.variant_prone and rng.random() < 0.5:
            return f"{self.given} {self.middle[0]}. {self.family}"
        return self.full


@dataclass
class SynthPaper:
    title: str
    authors: list[int]  # indexes into the people
    category: str
    date: str
    has_code: bool
    score: float | None
    affiliation: str | None
    abstract: str
    slots: dict[str, str]


def set_dir(n: int, seed: int = DEFAULT_SEED) -> Path:
    return CACHE / f"lib-{n}-s{seed}-v{GENERATOR_VERSION}"


def ensure_set(n: int, seed: int = DEFAULT_SEED, log=None) -> Path:
    """The cached set for (n, seed), generating it first if needed."""
    folder = set_dir(n, seed)
    if (folder / "manifest.json").exists():
        return folder
    CACHE.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    temp = Path(tempfile.mkdtemp(dir=CACHE, prefix=f".tmp-{folder.name}-"))
    try:
        generate(n, seed, temp / "listings", temp / "manifest.json")
        if folder.exists():  # a stale, incomplete set
            shutil.rmtree(folder)
        os.replace(temp, folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    if log:
        log(f"generated {n} papers in {time.perf_counter() - started:.1f} s -> {folder}")
    return folder


# -- building blocks ---------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title_case(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word.lower() in vocab.SMALL_WORDS:
            out.append(word.lower())
        elif word[:1].islower():
            out.append(word[:1].upper() + word[1:])
        else:
            out.append(word)
    return " ".join(out)


def _people(rng: random.Random, count: int) -> list[Person]:
    people: list[Person] = []
    seen: set[str] = set()
    for name in vocab.ANCHORS:
        parts = name.split()
        middle = parts[1] if len(parts) == 3 else None
        people.append(Person(parts[0], middle, parts[-1], variant_prone=middle is not None))
        seen.add(name)
    while len(people) < count:
        given = rng.choice(vocab.GIVEN)
        family = rng.choice(vocab.FAMILY)
        middle = rng.choice(vocab.MIDDLE) if rng.random() < 0.25 else None
        person = Person(given, middle, family, variant_prone=middle is not None and rng.random() < 0.6)
        if person.full in seen:
            continue
        seen.add(person.full)
        people.append(person)
    return people


def _groups(rng: random.Random, people: list[Person]) -> list[dict]:
    """Research groups: a topic, members, and how productive each one is."""
    groups: list[dict] = []
    order = list(range(len(vocab.ANCHORS), len(people)))
    rng.shuffle(order)
    order = list(range(len(vocab.ANCHORS))) + order
    start = 0
    while start < len(order):
        size = rng.randint(5, 20)
        members = order[start:start + size]
        start += size
        topic = 0 if not groups else rng.randrange(len(vocab.TOPICS))
        groups.append({
            "members": members,
            # The first member (the group's head) writes most of its papers.
            "weights": [8.0] + [rng.paretovariate(1.5) for _ in members[1:]],
            "topic": topic,
            "second": rng.randrange(len(vocab.TOPICS)),
            "weight": rng.paretovariate(1.3) * (3.0 if not groups else 1.0),
        })
    return groups


AUTHOR_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
AUTHOR_COUNT_WEIGHTS = [3, 12, 22, 22, 16, 10, 6, 4, 2, 2, 1]


def _authors(rng: random.Random, group: dict, n_people: int) -> list[int]:
    wanted = rng.choices(AUTHOR_COUNTS, AUTHOR_COUNT_WEIGHTS)[0]
    members, weights = group["members"], group["weights"]
    chosen: list[int] = []
    for _ in range(wanted * 4):
        if len(chosen) >= min(wanted, len(members)):
            break
        pick = rng.choices(members, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):  # outsiders
        other = rng.randrange(n_people)
        if other not in chosen:
            chosen.insert(rng.randrange(len(chosen) + 1), other)
    rng.shuffle(chosen)
    head = members[0]
    if head in chosen and rng.random() < 0.7:  # the head of the group goes last
        chosen.remove(head)
        chosen.append(head)
    return chosen


def _method(rng: random.Random) -> str:
    name = rng.choice(vocab.STEMS)
    if rng.random() < 0.5:
        name += rng.choice(vocab.STEMS).lower()
    return name + rng.choice(vocab.SUFFIXES)


def _lexicon(rng: random.Random, size: int) -> tuple[list[str], list[float]]:
    """``size`` made-up technical words and cumulative Zipf weights to draw them by."""
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(vocab.SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        if word not in seen and len(word) > 4:
            seen.add(word)
            words.append(word)
    cumulative, total = [], 0.0
    for rank in range(size):
        total += 1.0 / (rank + 20)
        cumulative.append(total)
    return words, cumulative


def _slots(rng: random.Random, topic: dict, method: str,
           lexicon: tuple[list[str], list[float]]) -> dict[str, str]:
    term, term2 = rng.sample(topic["terms"], 2)
    rare = rng.choices(lexicon[0], cum_weights=lexicon[1], k=4)
    datasets = topic["datasets"]
    dataset, dataset2 = rng.sample(datasets, 2) if len(datasets) > 1 else (datasets[0],) * 2
    return {
        "term": term, "term2": term2, "Term": _cap(term), "Term2": _cap(term2),
        "task": rng.choice(topic["tasks"]), "method": method,
        "dataset": dataset, "dataset2": dataset2,
        "metric": rng.choice(vocab.METRICS), "num": f"{rng.uniform(1.5, 60):.1f}",
        "num2": str(rng.randint(3, 40)), "baseline": rng.choice(vocab.BASELINES),
        "model": rng.choice(vocab.MODELS), "adj": rng.choice(vocab.ADJECTIVES),
        "approach": rng.choice(vocab.APPROACHES), "user": rng.choice(vocab.GITHUB_USERS),
        "repo": method.lower().replace("+", "p"),
        "rare1": rare[0], "rare2": rare[1], "rare3": rare[2], "rare4": rare[3],
    }


def _sentence(rng: random.Random, pool: list[str], slots: dict[str, str]) -> str:
    return _cap(rng.choice(pool).format(**slots))


def _abstract(rng: random.Random, slots: dict[str, str]) -> str:
    """1,000-1,500 characters: context, gap, contribution, jargon, details, results, closing."""
    target = rng.randint(1000, 1500)
    opening = [_sentence(rng, vocab.CONTEXT, slots)]
    if rng.random() < 0.7:
        opening.append(_sentence(rng, vocab.GAP, slots))
    opening.append(_sentence(rng, vocab.CONTRIBUTION, slots))
    # Two sentences of jargon: rare1/rare2, then rare3/rare4.
    opening.append(_sentence(rng, vocab.JARGON, slots))
    opening.append(_sentence(rng, vocab.JARGON, {**slots, "rare1": slots["rare3"],
                                                  "rare2": slots["rare4"]}))
    closing = [_sentence(rng, vocab.CLOSING, slots)] if rng.random() < 0.8 else []
    middle: list[str] = []
    used: set[str] = set()

    def text() -> str:
        return " ".join(opening + middle + closing)

    for _ in range(40):
        if len(text()) >= target:
            break
        pool = vocab.DETAIL if rng.random() < 0.55 else vocab.RESULTS
        sentence = _sentence(rng, pool, slots)
        if sentence not in used:
            used.add(sentence)
            middle.append(sentence)
    while len(text()) > 1500 and middle:
        middle.pop(rng.randrange(len(middle)))
    while len(text()) < 1000:  # rare: short sentences only; add until it fits
        middle.append(_sentence(rng, vocab.DETAIL + vocab.RESULTS, slots))
        if len(text()) > 1500:
            middle.pop()
            middle.append(_sentence(rng, ["We release all code and data."], slots))
    return text()


def _reword(rng: random.Random, abstract: str) -> str:
    """An older version of an abstract: synonyms, one sentence dropped, two swapped."""
    sentences = abstract.split(". ")
    if len(sentences) > 4:
        sentences.pop(rng.randrange(1, len(sentences) - 1))
    if len(sentences) > 3 and rng.random() < 0.5:
        i = rng.randrange(1, len(sentences) - 2)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    text = ". ".join(sentences)
    if not text.endswith("."):
        text += "."
    for old, new in vocab.SYNONYMS.items():
        if rng.random() < 0.8:
            text = re.sub(rf"\b{re.escape(old)}\b", new, text)
    return text


def _unrelated_abstract(rng: random.Random) -> str:
    term, term2 = rng.sample(vocab.UNRELATED_TERMS, 2)
    place = rng.choice(vocab.UNRELATED_PLACES)
    sentences = [
        f"{_cap(term)} shape nutrient cycles across {place}, yet their response to warming is poorly constrained.",
        f"We combined field surveys of {term} with laboratory incubations of {term2} collected over {rng.randint(3, 12)} seasons.",
        f"Sampling covered {rng.randint(20, 400)} sites and {rng.randint(2, 9)} elevation bands.",
        f"Rates of {term2} rose by {rng.randint(5, 80)}% under experimental warming, while {term} declined at the driest sites.",
        f"Isotope tracers showed that {term} respond to moisture more than to temperature in {place}.",
        f"Long-term monitoring data confirm a shift in the seasonal timing of {term2}.",
        f"These results suggest that models of {term} in {place} underestimate the sensitivity of {term2} to drought.",
        f"We discuss implications for conservation planning and for monitoring {term} under future climate scenarios.",
        f"Data and scripts are archived in a public repository.",
    ]
    text = ""
    for sentence in sentences:
        if len(text) + len(sentence) > 1500:
            break
        text = f"{text} {sentence}".strip()
    while len(text) < 1000:
        text += f" Replicate plots in {rng.choice(vocab.UNRELATED_PLACES)} showed the same pattern."
    return text


def _papers(rng: random.Random, n: int, people: list[Person], groups: list[dict]) -> list[SynthPaper]:
    papers: list[SynthPaper] = []
    lexicon = _lexicon(rng, 5000 + 2 * n)
    titles: set[str] = set()
    group_weights = [g["weight"] for g in groups]
    for _ in range(n):
        group = rng.choices(groups, group_weights)[0]
        topic = vocab.TOPICS[group["topic"] if rng.random() < 0.8 else group["second"]]
        authors = _authors(rng, group, len(people))
        while True:
            method = _method(rng)
            slots = _slots(rng, topic, method, lexicon)
            title = rng.choice(vocab.TITLES).format(
                Method=method, Adj=_title_case(slots["adj"]), Term=_title_case(slots["term"]),
                Term2=_title_case(slots["term2"]), Task=_title_case(slots["task"]),
                Property=rng.choice(vocab.PROPERTIES), Approach=_title_case(slots["approach"]),
            )
            if fold(title) not in titles:
                titles.add(fold(title))
                break
        year = rng.choices(range(2015, 2027), [1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 12])[0]
        month = rng.randint(1, 10 if year == 2026 else 12)
        papers.append(SynthPaper(
            title=title,
            authors=authors,
            category=topic["category"],
            date=f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
            has_code=rng.random() < 0.4,
            score=round(rng.uniform(40, 99.9), 1) if rng.random() < 0.3 else None,
            affiliation=rng.choice(vocab.AFFILIATIONS) if rng.random() < 0.2 else None,
            abstract=_abstract(rng, slots),
            slots=slots,
        ))
    return papers


def _as_listed(rng: random.Random, paper: SynthPaper, people: list[Person]) -> SimpleNamespace:
    """One listing's record of a paper: names as this listing spells them, long
    author lists often cut to three and ``et al.``."""
    names = [people[i].spelled(rng) for i in paper.authors]
    et_al = False
    if len(names) > 4 and rng.random() < 0.8:
        names, et_al = names[:3], True
    return SimpleNamespace(
        title=paper.title, authors=names, et_al=et_al, affiliation=paper.affiliation,
        category=paper.category, date=paper.date, date_text=date_text_for(paper.date),
        has_code=paper.has_code, score=paper.score, abstract=paper.abstract,
    )


def _chunks(rng: random.Random, items: list, low: int, high: int) -> list[list]:
    out, start = [], 0
    while start < len(items):
        size = rng.randint(low, high)
        out.append(items[start:start + size])
        start += size
    return out


def _user_plan(rng: random.Random, n: int, papers: list[SynthPaper]) -> dict:
    """The user's data, by title: grows slowly with the library."""
    def pick(count: int) -> list[int]:
        return rng.sample(range(n), min(n, count))

    tagged = pick(min(n // 5, 200 + n // 100))
    statuses = pick(min(n // 4, 150 + n // 100))
    noted = pick(min(n // 10, 50 + n // 500))
    queued = pick(min(n // 10, 60))
    # Some tagged papers are about theory: the queries use tag:theory.
    tags = {}
    for i in tagged:
        chosen = rng.sample(vocab.TAGS, rng.choice((1, 1, 2, 3)))
        if papers[i].category == "ML" and "theory" not in chosen:
            chosen.append("theory")
        tags[i] = chosen
    return {
        "tags": [{"title": papers[i].title, "tags": t} for i, t in tags.items()],
        "statuses": [{"title": papers[i].title, "status": rng.choice(("reading", "read", "read"))}
                     for i in statuses],
        "notes": [{"title": papers[i].title,
                   "note": "\n\n".join(rng.sample(vocab.NOTE_SENTENCES, rng.randint(1, 3)))}
                  for i in noted],
        "queue": [papers[i].title for i in queued],
    }


# -- the whole set ---------------------------------------------------------------------


def generate(n: int, seed: int, out: Path, manifest_path: Path) -> dict:
    """Write the listing files for ``n`` papers into ``out``; returns the manifest."""
    rng = random.Random(f"{seed}-{n}")
    people = _people(rng, max(12, n // 3))
    groups = _groups(rng, people)
    papers = _papers(rng, n, people, groups)

    by_person: dict[int, list[int]] = {}
    for index, paper in enumerate(papers):
        for person in paper.authors:
            by_person.setdefault(person, []).append(index)

    files: list[tuple[str, str]] = []  # (format, text)
    covered: set[int] = set()
    owners = sorted(by_person, key=lambda p: (-len(by_person[p]), p))
    for owner in owners:
        if len(covered) >= PROFILE_SHARE * n or len(by_person[owner]) < 3:
            break
        mine = sorted(by_person[owner], key=lambda i: papers[i].date, reverse=True)[:PROFILE_CAP]
        if sum(i in covered for i in mine) > 0.6 * len(mine):
            continue  # mostly listed already: co-authors' pages overlap, but not that much
        covered.update(mine)
        stats = Profile(
            category=papers[mine[0]].category, h_index=rng.randint(5, 120),
            papers=len(by_person[owner]) + rng.randint(0, 40), citations=rng.randint(100, 90000),
            novelty=rng.randint(20, 80), ai_score=rng.randint(20, 90), listed=len(mine),
        )
        text = render_profile(people[owner].full, stats,
                              [_as_listed(rng, papers[i], people) for i in mine])
        files.append(("profile", text))

    rest = [i for i in range(n) if i not in covered]
    again = sorted(covered)
    rest += rng.sample(again, int(len(again) * COMPACT_OVERLAP))
    rng.shuffle(rest)
    for chunk in _chunks(rng, rest, 200, 400):
        files.append(("compact", render_compact(_as_listed(rng, papers[i], people) for i in chunk)))

    reworded = rng.sample(range(n), max(1, round(n * REWORDED_SHARE)))
    copies = rng.sample(range(n), max(1, round(n * COPY_SHARE)))
    unrelated = max(2, n // 5000)
    lines = ([_reword(rng, papers[i].abstract) for i in reworded]
             + [papers[i].abstract for i in copies]
             + [_unrelated_abstract(rng) for _ in range(unrelated)])
    rng.shuffle(lines)
    for chunk in _chunks(rng, lines, 100, 300):
        files.append(("abstracts", render_abstracts(chunk)))

    rng.shuffle(files)
    out.mkdir(parents=True, exist_ok=True)
    width = max(3, len(str(len(files))))
    formats: dict[str, int] = {}
    for number, (fmt, text) in enumerate(files):
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        (out / f"{number:0{width}d}_{digest}.txt").write_text(text, encoding="utf-8")
        formats[fmt] = formats.get(fmt, 0) + 1

    manifest = {
        "papers": n,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "people": len(people),
        "groups": len(groups),
        "files": formats,
        "listing_bytes": sum(len(t.encode("utf-8")) for _, t in files),
        "listed_on_profiles": len(covered),
        "listed_in_compact": len(rest),
        "reworded_abstracts": len(reworded),
        "copied_abstracts": len(copies),
        "unrelated_abstracts": unrelated,
        "variant_prone_people": sum(p.variant_prone for p in people),
        "user": _user_plan(rng, n, papers),
    }
    manifest_path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def check(folder: Path) -> None:
    """Parse every file back and compare titles and author counts with the manifest."""
    from datetime import date

    from readinglist.listings import parse_file

    counts: dict[str, int] = {}
    warnings = 0
    titles: set[str] = set()
    for path in sorted((folder / "listings").iterdir()):
        listing = parse_file(path, date(2026, 11, 22))
        counts[listing.format] = counts.get(listing.format, 0) + len(listing.papers)
        warnings += len(listing.warnings)
        titles.update(fold(p.title) for p in listing.papers if p.title)
    manifest = json.loads((folder / "manifest.json").read_text())
    print(f"parsed records by format: {counts}; warnings: {warnings}")
    print(f"distinct titles parsed: {len(titles)} (generated: {manifest['papers']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", help="comma-separated paper counts, e.g. 1000,10000")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--check", action="store_true", help="parse the files back")
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        folder = ensure_set(n, args.seed, log=print)
        print(json.dumps({k: v for k, v in json.loads((folder / "manifest.json").read_text()).items()
                          if k != "user"}))
        if args.check:
            check(folder)


if __name__ == "__main__":
    main()
