"""The benchmark's measurements, each run in a fresh process by ``bench/run.py``.

    python bench/workers.py TASK '{"json": "arguments"}'

A fresh interpreter per measurement keeps sizes and runs from sharing memory,
caches or imported modules (peak memory is the process's own). Each task prints
one line ``RESULT {...}`` (JSON, times in seconds) as its last line of output.

Tasks:
  import      import a folder of listings into a new store via Library.import_paths
              (timed, with per-file progress to a JSON-lines file), then apply the
              user's data from the manifest through the Store API (timed apart)
  fastbuild   build a store without the store's per-file import: every listing
              merged into one in-memory Catalogue, written once (for a size whose
              real import is too slow to wait for; never reported as import time)
  floors      read the store's files, orjson.loads them, one durable atomic write
  headless    time to interactive in Textual's headless run_test, and peak memory
  search      per-keystroke latency of LibraryState.rows_for, recall against a
              brute-force rapidfuzz ranking, and a save followed by the list refresh
  saves       Store.add_tags / set_status / queue_move / set_note against one
              durable atomic write of the user file, interleaved; with
              "lockstep", one round per request on stdin (bench/run.py runs the
              sizes' processes side by side and asks them in turn)
  textual_check  whether a CLI command imports Textual
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

clock = time.perf_counter


def peak_rss_bytes() -> int:
    """This process's peak resident memory (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def store_files(db: Path) -> list[Path]:
    """The store's JSON files (catalogue and user file; not the journal or the lock)."""
    from readinglist.store import user_file_path

    return [p for p in (db, user_file_path(db)) if p.exists()]


def journal_bytes(db: Path) -> int:
    """The size of the user file's journal (0 if there is none)."""
    from readinglist.store import journal_path, user_file_path

    path = journal_path(user_file_path(db))
    return path.stat().st_size if path.exists() else 0


def durable_write(path: Path, data: bytes) -> None:
    """The floor for a save: temp file in the same folder, write, fsync, replace,
    fsync the folder. What one atomic durable write costs at the least."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".bench-", suffix=".tmp")
    with open(fd, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


# -- building a store --------------------------------------------------------------


def apply_user_plan(store, plan: dict) -> dict:
    """The manifest's tags, statuses, notes and queue, through the Store API."""
    from readinglist.listings.merge import title_key

    by_title = {title_key(p.title): p.id for p in store.papers() if not p.needs_review}
    missing = 0

    def pid(title: str) -> str | None:
        nonlocal missing
        found = by_title.get(title_key(title))
        missing += found is None
        return found

    started = clock()
    for item in plan["tags"]:
        if (paper := pid(item["title"])):
            store.add_tags(paper, item["tags"])
    for item in plan["statuses"]:
        if (paper := pid(item["title"])):
            store.set_status(paper, item["status"])
    for item in plan["notes"]:
        if (paper := pid(item["title"])):
            store.set_note(paper, item["note"])
    for title in plan["queue"]:
        if (paper := pid(title)) and store.user(paper).status != "read":
            store.queue_add(paper)
    return {"seconds": clock() - started, "missing_titles": missing,
            "annotated": len(store.all_user()), "queued": len(store.queue())}


def library_summary(store) -> dict:
    papers = store.papers()
    return {
        "papers": len(papers),
        "authors": len(store.authors()),
        "needs_review": sum(p.needs_review for p in papers),
        "abstract_versions": sum(len(p.abstract_versions) for p in papers),
        "file_bytes": {**{p.name: p.stat().st_size for p in store_files(store.path)},
                       "journal": journal_bytes(store.path)},
    }


def task_import(args: dict) -> dict:
    from readinglist.library import Library
    from readinglist.store import Store

    db = Path(args["db"])
    progress_path = Path(args["progress"]) if args.get("progress") else None
    log = progress_path.open("w", encoding="utf-8") if progress_path else None
    store = Store(db)
    library = Library(store)
    started = clock()

    def progress(number: int, total: int, name: str) -> None:
        if log:
            log.write(json.dumps({"file": number - 1, "of": total, "s": clock() - started,
                                  "papers": len(store.papers())}) + "\n")
            log.flush()

    outcome = library.import_paths([Path(args["listings"])], progress=progress)
    seconds = clock() - started
    if log:
        log.write(json.dumps({"file": len(outcome.reports) + len(outcome.rejected),
                              "s": seconds, "papers": len(store.papers()), "done": True}) + "\n")
        log.close()
    result = {
        "seconds": seconds,
        "files": len(outcome.reports),
        "rejected": len(outcome.rejected),
        "flagged": sum(r.flagged for r in outcome.reports),
        "versions": sum(r.versions for r in outcome.reports),
        "warnings": sum(len(r.warnings) for r in outcome.reports),
        "peak_rss_bytes": peak_rss_bytes(),
    }
    if args.get("manifest"):
        plan = json.loads(Path(args["manifest"]).read_text())["user"]
        result["user_data"] = apply_user_plan(store, plan)
    result["library"] = library_summary(store)
    return result


def task_fastbuild(args: dict) -> dict:
    """Build a store without the store's per-file import, for a size whose real
    import is too slow to wait for: every listing merged into one in-memory
    Catalogue (listed papers first, then every abstract dump's records as one
    listing, so flagged abstracts are retried once rather than after every file),
    written once in the layout store.py documents. Then the user's data as usual."""
    from datetime import date, datetime, timezone

    import orjson

    from readinglist.library import listing_files
    from readinglist.listings import parse_file
    from readinglist.listings.merge import Catalogue
    from readinglist.models import FORMAT_ABSTRACTS, ParsedListing
    from readinglist.store import SCHEMA_VERSION, Store

    started = clock()
    progress = Path(args["progress"]).open("w") if args.get("progress") else None
    gc.disable()
    catalogue = Catalogue()
    now = datetime.now(timezone.utc)
    dumps = []
    files = listing_files([Path(args["listings"])])
    for number, path in enumerate(files):
        listing = parse_file(path, date.today(), known=catalogue.knows_name)
        if listing.format == FORMAT_ABSTRACTS:
            dumps.extend(listing.papers)
        else:
            catalogue.merge_listing(listing, now)
        if progress and number % 50 == 0:
            progress.write(json.dumps({"file": number, "of": len(files), "s": clock() - started,
                                       "papers": len(catalogue.papers)}) + "\n")
            progress.flush()
    catalogue.merge_listing(ParsedListing("abstract dumps", FORMAT_ABSTRACTS, dumps), now)
    gc.enable()
    tables = {
        "papers": {pid: p.to_dict() for pid, p in catalogue.papers.items()},
        "authors": {aid: a.to_dict() for aid, a in catalogue.authors.items()},
        "redirects": {old: {"to": new} for old, new in catalogue.redirects.items()},
        "meta": {"info": {"schema": SCHEMA_VERSION}},
    }
    db = Path(args["db"])
    db.parent.mkdir(parents=True, exist_ok=True)
    durable_write(db, orjson.dumps(tables))
    seconds = clock() - started
    del tables, catalogue
    store = Store(db)
    result = {"seconds": seconds}
    if args.get("manifest"):
        plan = json.loads(Path(args["manifest"]).read_text())["user"]
        result["user_data"] = apply_user_plan(store, plan)
    result["library"] = library_summary(store)
    return result


# -- floors ------------------------------------------------------------------------------


def task_floors(args: dict) -> dict:
    import orjson

    db = Path(args["db"])
    from readinglist.store import user_file_bytes, user_file_path

    files = store_files(db)
    user_file = user_file_path(db)
    repeat = args.get("repeat", 3)
    read_s, loads_s, write_s = [], [], []
    for _ in range(repeat):
        started = clock()
        blobs = [p.read_bytes() for p in files]
        read_s.append(clock() - started)
        gc.disable()
        started = clock()
        for blob in blobs:
            orjson.loads(blob)
        loads_s.append(clock() - started)
        gc.enable()
        del blobs
    # All the user data as one file (the user file with its journal applied):
    # what a save wrote before the journal, and what one durable write of the
    # user data costs.
    data = user_file_bytes(user_file) or b"{}"
    target = user_file.with_name(".bench-floor.user.json")
    for _ in range(max(repeat, 10)):
        started = clock()
        durable_write(target, data)
        write_s.append(clock() - started)
    target.unlink()
    return {"read_files_s": read_s, "orjson_loads_s": loads_s, "atomic_write_s": write_s,
            "store_bytes": sum(p.stat().st_size for p in files) + journal_bytes(db),
            "user_file_bytes": len(data)}


# -- the app, headless -------------------------------------------------------------------


def task_headless(args: dict) -> dict:
    started = clock()
    import textual.app  # noqa: F401  (timed apart: the same in every size)
    from textual import events

    from readinglist.store import Store
    from readinglist.tui.app import make_app
    from readinglist.tui.widgets.paper_list import PaperList

    imports_s = clock() - started
    width, height = args.get("size", (120, 36))
    marks: dict[str, float] = {}

    async def run() -> None:
        t0 = clock()
        store = Store(Path(args["db"]), lazy=True)  # as the CLI opens it for the app
        marks["store_open_s"] = clock() - t0
        app = make_app(store)
        async with app.run_test(size=(width, height)):
            papers = app.screen.query_one(PaperList)
            while not papers.paper_ids:
                await asyncio.sleep(0.001)
            marks["first_rows_s"] = clock() - t0
            marks["rows"] = len(papers.paper_ids)
            before = papers.cursor
            # As the terminal driver delivers a key: no waiting for idle (pilot.press
            # waits for the app to go idle and for animations, which is not the key).
            key = events.Key("j", "j")
            key.set_sender(app)
            app._driver.send_message(key)
            while papers.cursor == before:
                await asyncio.sleep(0.001)
            marks["tti_s"] = clock() - t0
            marks["rss_at_tti_bytes"] = peak_rss_bytes()
            # A large library goes on loading and indexing in threads: peak
            # memory is measured once all of it is in.
            screen = app.screen
            while screen.state.loading:
                await asyncio.sleep(0.01)
            marks["loaded_s"] = clock() - t0
            while screen.state.index is None:
                await asyncio.sleep(0.01)
            marks["indexed_s"] = clock() - t0
            marks["peak_rss_bytes"] = peak_rss_bytes()

    asyncio.run(run())
    return {"imports_s": imports_s, **marks}


# -- search --------------------------------------------------------------------------------


def _brute_force_texts(state, ids: list[str]) -> list[str]:
    """What a brute-force search compares: title, authors, abstract(s), tags, note."""
    out = []
    for pid in ids:
        paper = state.papers[pid]
        names = list(paper.authors)
        for aid in paper.author_ids:
            if aid in state.authors:
                names.extend(state.authors[aid].spellings)
        user = state.user.get(pid)
        out.append(" ".join([
            paper.title, " ".join(names), " ".join(paper.abstract_versions or [paper.abstract or ""]),
            " ".join(user.tags) if user else "", user.note if user else "",
        ]))
    return out


#: A brute-force result scoring below this is not counted as "returned" in the
#: ``recall_relevant`` variant (partial_ratio only: WRatio scores long texts
#: around 85 against nearly anything, so no cutoff separates them).
RELEVANT_CUTOFF = {"wratio": 0.0, "partial_ratio": 80.0}


class Exhaustive:
    """The search's scoring rule applied without its index or its caps: every
    word of every paper (title, authors, abstract, tags, note) compared with
    each query word by rapidfuzz, over the whole vocabulary (no first-letter
    bucket, no limit of 20 typo matches or 12/50 prefix words), each query
    word's idf counted from the papers it matches. What the index must agree with."""

    def __init__(self, state) -> None:
        from readinglist.search import FIELD_WEIGHTS, _words

        self.weights = FIELD_WEIGHTS
        self.fields: dict[str, dict[str, float]] = {}
        df: dict[str, int] = {}
        for pid, paper in state.papers.items():
            names = list(paper.authors)
            for aid in paper.author_ids:
                if aid in state.authors:
                    names.extend(state.authors[aid].spellings)
            user = state.user.get(pid)
            texts = {"abstract": " ".join(paper.abstract_versions or [paper.abstract or ""]),
                     "note": user.note if user else "", "tags": " ".join(user.tags) if user else "",
                     "authors": " ".join(names), "title": paper.title}
            best: dict[str, float] = {}
            for field, text in texts.items():  # ascending weight: the last write wins
                for word in _words(text):
                    if self.weights[field] > best.get(word, 0.0):
                        best[word] = self.weights[field]
            self.fields[pid] = best
            for word in best:
                df[word] = df.get(word, 0) + 1
        self.df = df
        self.vocabulary = list(df)
        self.n = len(state.papers)
        self.date = {pid: p.date or "" for pid, p in state.papers.items()}

    def similarity(self, term: str) -> dict[str, float]:
        from rapidfuzz import fuzz, process

        from readinglist.search import FUZZY_CUTOFF, MIN_FUZZY_LEN

        out: dict[str, float] = {}
        if len(term) >= MIN_FUZZY_LEN:
            for word, score, _ in process.extract(term, self.vocabulary, scorer=fuzz.ratio,
                                                  score_cutoff=FUZZY_CUTOFF, limit=None):
                out[word] = 0.8 * score / 100
        for word in self.vocabulary:
            if word.startswith(term):
                out[word] = max(out.get(word, 0.0), 0.9)
        if term in self.df:
            out[term] = 1.0
        return out

    def top(self, terms: list[str], candidates: list[str], k: int = 10) -> list[tuple[str, float]]:
        import math

        sims = [self.similarity(t) for t in dict.fromkeys(terms)]
        # Each query word's idf, from the papers (all of them) it matches.
        idf = []
        for sim in sims:
            matched = sum(1 for words in self.fields.values() if not sim.keys().isdisjoint(words))
            idf.append(math.log((self.n + 1) / (matched + 1)) + 1.0)
        scored = []
        for pid in candidates:
            words = self.fields[pid]
            total = 0.0
            for sim, term_idf in zip(sims, idf):
                best = max((sim[w] * weight for w, weight in words.items() if w in sim),
                           default=0.0)
                if best <= 0:
                    break
                total += best * term_idf
            else:
                scored.append((pid, total))
        scored.sort(key=lambda item: (round(item[1], 2), self.date[item[0]]), reverse=True)
        return scored[:max(k, 0)] if k else scored


def _recall(state, query: str, processed: dict[str, str], exhaustive=None) -> dict:
    """The product's top 10 for ``query`` against a brute-force rapidfuzz ranking
    of the papers that pass the same filters, over the same fields.

    ``recall``: the share of the brute force's top 10 that the product's top 10
    holds. ``recall_ties``: the same, counting any paper that ties with the
    brute force's tenth as one of its top 10 (long texts tie a lot).
    ``recall_relevant``: like ``recall_ties`` over the brute-force results that
    score at least ``RELEVANT_CUTOFF`` (None when none does).
    """
    from rapidfuzz import fuzz, process, utils

    from readinglist.search import Query, parse_query
    from readinglist.tui.state import Filters

    parsed = parse_query(query)
    free = utils.default_process(" ".join(parsed.terms))
    mine = set(state.rows_for(Filters(query=query))[:10])
    candidates = [h.paper_id for h in state.index.search(Query(filters=parsed.filters))]
    choices = [processed[pid] for pid in candidates]
    out = {"query": query, "candidates": len(candidates), "product_hits": len(mine)}
    if exhaustive is not None and parsed.terms:
        started = clock()
        ranked = exhaustive.top(parsed.terms, candidates, k=0)
        seconds = clock() - started
        want = min(10, len(ranked))
        cut = round(ranked[want - 1][1], 2) if want else 0.0
        tier = {pid for pid, score in ranked if round(score, 2) >= cut}
        out["exhaustive"] = {
            "recall": (len(mine & {pid for pid, _ in ranked[:10]}) / want) if want else None,
            "recall_ties": (min(want, len(mine & tier)) / want) if want else None,
            "matches": len(ranked), "brute_force_s": seconds,
        }
    for name, scorer in (("wratio", fuzz.WRatio), ("partial_ratio", fuzz.partial_ratio)):
        started = clock()
        ranked = process.extract(free, choices, scorer=scorer, processor=None,
                                 limit=len(choices))
        seconds = clock() - started
        want = min(10, len(ranked)) or 1
        top = {candidates[index] for _, _, index in ranked[:10]}
        cut = ranked[want - 1][1] if ranked else 0.0
        tier = {candidates[index] for _, score, index in ranked if score >= cut}
        floor = max(cut, RELEVANT_CUTOFF[name])
        relevant = [candidates[index] for _, score, index in ranked if score >= floor]
        relevant_want = min(10, sum(1 for _, score, _ in ranked if score >= RELEVANT_CUTOFF[name]))
        out[name] = {
            "recall": len(mine & top) / want,
            "recall_ties": min(10, len(mine & tier)) / want,
            "recall_relevant": (min(relevant_want, len(mine & set(relevant))) / relevant_want
                                if relevant_want else None),
            "tenth_score": cut,
            "tied_at_tenth": sum(1 for _, score, _ in ranked if score == cut),
            "brute_force_s": seconds,
        }
    return out


def task_search(args: dict) -> dict:
    from readinglist.search import QueryError
    from readinglist.store import Store
    from readinglist.tui.state import Filters, LibraryState

    store = Store(Path(args["db"]))
    started = clock()
    state = LibraryState(store)
    state_s = clock() - started
    queries: list[str] = args["queries"]
    runs = []
    for _ in range(args.get("repeat", 3)):
        per_key = []
        for query in queries:
            for k in range(1, len(query) + 1):
                started = clock()
                try:
                    state.rows_for(Filters(query=query[:k]))
                except QueryError:
                    pass
                per_key.append(clock() - started)
        runs.append(per_key)
    from rapidfuzz import utils

    processed = {pid: utils.default_process(text)
                 for pid, text in zip(state.papers, _brute_force_texts(state, list(state.papers)))}
    exhaustive = Exhaustive(state)
    recall = [_recall(state, q, processed, exhaustive) for q in queries]

    # A save as the app does it: store first, then the state and the list refresh.
    refresh = []
    ids = state.rows_for(Filters())
    for i in range(args.get("saves", 10)):
        pid = ids[(i * 7919) % len(ids)]
        started = clock()
        store.add_tags(pid, [f"bench-refresh-{i}"])
        state.paper_changed(pid)
        state.rows_for(Filters())
        refresh.append(clock() - started)
    return {"state_build_s": state_s, "keystrokes": len(runs[0]), "per_key_runs": runs,
            "recall": recall, "vocabulary": len(state.index.vocabulary),
            "tag_save_and_refresh_s": refresh, "peak_rss_bytes": peak_rss_bytes()}


# -- saves --------------------------------------------------------------------------------


def task_saves(args: dict) -> dict:
    """``rounds`` rounds of the four saves and the floor's write, on one store.

    With ``lockstep``, the rounds are run one at a time on request: the task
    prints ``READY`` once the store is open, then runs round ``i`` for each line
    ``i`` it reads from stdin and answers ``ROUND {times}``, until stdin closes.
    ``bench/run.py`` drives one such process per size and asks them in turn,
    round by round, so that every size's saves meet the same disk."""
    from readinglist.store import Store, user_file_bytes, user_file_path

    db = Path(args["db"])
    store = Store(db)
    papers = [p.id for p in store.papers() if not p.needs_review]
    queued = store.queue()
    if len(queued) < 2:
        for pid in papers[:3]:
            store.queue_add(pid)
        queued = store.queue()
    others = [pid for pid in papers if pid not in set(queued)]
    mover = queued[len(queued) // 2]
    user_file = user_file_path(db)
    floor_target = user_file.with_name(".bench-floor.user.json")
    times: dict[str, list[float]] = {"atomic_write": [], "tag": [], "status": [], "queue_move": [],
                                     "note": []}
    statuses = ("reading", "read", "unread")

    def one_round(i: int) -> dict[str, float]:
        target = others[(i * 104729) % len(others)]
        user_data = user_file_bytes(user_file) or b"{}"  # as the floors task: journal applied
        steps = [
            ("atomic_write", lambda: durable_write(floor_target, user_data)),
            ("tag", lambda: store.add_tags(target, [f"bench-{i}"])),
            ("status", lambda: store.set_status(target, statuses[i % 3])),
            ("queue_move", lambda: store.queue_move(mover, 0 if i % 2 else len(queued) - 1)),
            ("note", lambda: store.set_note(target, f"Benchmark note {i}: revisit the proof.")),
        ]
        took = {}
        for name, step in steps:
            started = clock()
            step()
            took[name] = clock() - started
            times[name].append(took[name])
        return took

    if args.get("lockstep"):
        print("READY", flush=True)
        for line in sys.stdin:
            print("ROUND " + json.dumps(one_round(int(line))), flush=True)
    else:
        for i in range(args.get("rounds", 20)):
            one_round(i)
    floor_target.unlink(missing_ok=True)
    storage = store._userfile
    return {"times_s": times, "user_file_bytes": user_file.stat().st_size,
            "journal_bytes": journal_bytes(db), "appends": storage.appends,
            "compactions": storage.compactions}


def task_textual_check(args: dict) -> dict:
    """Run the CLI's main() in this process and report whether Textual got imported."""
    from readinglist.cli import main

    try:
        code = main(args["argv"])
    except SystemExit as exit_:
        code = exit_.code
    loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    return {"argv": args["argv"], "exit": code, "textual_modules": len(loaded)}


TASKS = {
    "import": task_import, "fastbuild": task_fastbuild, "floors": task_floors,
    "headless": task_headless, "search": task_search, "saves": task_saves,
    "textual_check": task_textual_check,
}


def main() -> None:
    task, raw = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "{}"
    result = TASKS[task](json.loads(raw))
    sys.stdout.flush()
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
