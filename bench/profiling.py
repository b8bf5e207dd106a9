"""Where the time and memory go: cProfile and per-phase RSS for import and app start.

    python bench/profiling.py start DB [--top 25]
        Opens the store at DB the way the app does, phase by phase (read the
        files, orjson.loads, Store(), LibraryState() with its search index, the
        headless app up to its first rows), printing each phase's time and the
        process's resident memory after it; then the same under cProfile.

    python bench/profiling.py search DB [--top 25]
        Builds the app's LibraryState, times every prefix of the benchmark's
        queries (the slowest listed), then profiles them all under cProfile.

    python bench/profiling.py saves DB [--top 25]
        cProfile of 20 tag saves and 20 note saves through the Store (on a copy).

    python bench/profiling.py import DB LISTING [LISTING...] [--top 25]
        Imports the listings into a copy of the store at DB under cProfile: the
        cost of one more import into a library of that size.

Not part of ``bench/run.py``: profiling slows everything down.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

clock = time.perf_counter


def rss_mib() -> float:
    """Resident memory now (not the peak), from /proc."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_profile(profiler: cProfile.Profile, top: int) -> None:
    """The profile's top functions by cumulative and by own time (also used by
    merge_profile.py and import_profile.py)."""
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        text = out.getvalue()
        print(f"--- top {top} by {key} ---")
        print(text[text.find("ncalls"):] if "ncalls" in text else text)


def phase(name: str, started: float) -> None:
    print(f"{name:<44} {clock() - started:8.2f} s   rss {rss_mib():8.0f} MiB   "
          f"peak {peak_mib():8.0f} MiB", flush=True)


def profile_start(db: Path, top: int) -> None:
    import orjson

    started = clock()
    import textual.app  # noqa: F401

    from readinglist.store import Store, user_file_path
    from readinglist.tui.app import make_app
    from readinglist.tui.state import LibraryState
    from readinglist.tui.widgets.paper_list import PaperList

    phase("imports (textual, readinglist.tui)", started)
    files = [db, user_file_path(db)]
    started = clock()
    blobs = [p.read_bytes() for p in files]
    phase(f"read files ({sum(map(len, blobs)) / 2**20:.0f} MiB)", started)
    started = clock()
    gc.disable()
    tables = [orjson.loads(b) for b in blobs]
    gc.enable()
    phase("orjson.loads (gc off)", started)
    del tables, blobs
    gc.collect()
    phase("(dropped the raw tables)", clock())

    started = clock()
    store = Store(db)
    phase("Store(db): parse + Paper/Author objects", started)
    started = clock()
    state = LibraryState(store)
    phase("LibraryState(store): dicts + SearchIndex", started)
    index = state.index
    print(f"    index: {len(index._postings):,} words, "
          f"{sum(len(p) for p in index._postings.values()):,} postings")

    marks = {}

    async def run_app() -> None:
        t0 = clock()
        app = make_app(store)
        async with app.run_test(size=(120, 36)):
            papers = app.screen.query_one(PaperList)
            while not papers.paper_ids:
                await asyncio.sleep(0.001)
            marks["rows"] = clock() - t0

    started = clock()
    asyncio.run(run_app())
    phase("make_app + run_test to first rows (builds its own LibraryState)", started)

    del state, store
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    store = Store(db)
    LibraryState(store)
    profiler.disable()
    print("\ncProfile of Store(db) + LibraryState(store):")
    print_profile(profiler, top)


def profile_search(db: Path, top: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import QUERIES

    from readinglist.search import QueryError
    from readinglist.store import Store
    from readinglist.tui.state import Filters, LibraryState

    state = LibraryState(Store(db))
    prefixes = [q[:k] for q in QUERIES for k in range(1, len(q) + 1)]

    def run_all() -> list[tuple[float, str, int]]:
        timings = []
        for prefix in prefixes:
            started = clock()
            try:
                shown = len(state.rows_for(Filters(query=prefix)))
            except QueryError:
                shown = -1
            timings.append((clock() - started, prefix, shown))
        return timings

    timings = run_all()
    print(f"{len(prefixes)} keystrokes over {len(state.papers):,} papers; the slowest:")
    for seconds, prefix, shown in sorted(timings, reverse=True)[:15]:
        print(f"  {seconds * 1000:8.1f} ms  {prefix!r:45} {shown:>8,} papers shown")
    profiler = cProfile.Profile()
    profiler.enable()
    run_all()
    profiler.disable()
    print_profile(profiler, top)


def profile_saves(db: Path, top: int) -> None:
    from readinglist.store import Store, user_file_path

    work = Path(tempfile.mkdtemp(prefix="readinglist-profile-"))
    try:
        for path in (db, user_file_path(db)):
            shutil.copy2(path, work / path.name)
        store = Store(work / db.name)
        ids = [p.id for p in store.papers()[:20]]
        store.add_tags(ids[0], ["warm-up"])
        profiler = cProfile.Profile()
        started = clock()
        profiler.enable()
        for i, pid in enumerate(ids):
            store.add_tags(pid, [f"profile-{i}"])
            store.set_note(pid, f"profile note {i}")
        profiler.disable()
        print(f"{2 * len(ids)} saves in {clock() - started:.3f} s "
              f"(user file {user_file_path(work / db.name).stat().st_size / 1024:.0f} KiB)")
        print_profile(profiler, top)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def profile_import(db: Path, listings: list[Path], top: int) -> None:
    from readinglist.library import Library
    from readinglist.store import Store, user_file_path

    work = Path(tempfile.mkdtemp(prefix="readinglist-profile-"))
    try:
        for path in (db, user_file_path(db)):
            if path.exists():
                shutil.copy2(path, work / path.name)
        store = Store(work / db.name)
        print(f"library: {len(store.papers()):,} papers; importing {len(listings)} file(s)")
        library = Library(store)
        profiler = cProfile.Profile()
        started = clock()
        profiler.enable()
        outcome = library.import_paths(listings)
        profiler.disable()
        print(f"import took {clock() - started:.2f} s "
              f"({sum(r.added for r in outcome.reports)} added, "
              f"{sum(r.merged for r in outcome.reports)} merged); peak {peak_mib():.0f} MiB")
        print_profile(profiler, top)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("start", "search", "saves", "import"))
    parser.add_argument("db", type=Path)
    parser.add_argument("listings", nargs="*", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if args.what == "start":
        profile_start(args.db, args.top)
    elif args.what == "search":
        profile_search(args.db, args.top)
    elif args.what == "saves":
        profile_saves(args.db, args.top)
    else:
        if not args.listings:
            sys.exit("import: name the listing files to import")
        profile_import(args.db, args.listings, args.top)


if __name__ == "__main__":
    main()
