"""The whole import, as the CLI runs it: ``Library.import_paths`` of a synthetic
set into a new store, with where its time goes.

    python bench/import_profile.py 10000              # time it, by phase
    python bench/import_profile.py 10000 --profile    # ... and the cProfile

Phases are measured by wrapping the functions the import calls (parsing each
file, merging each listing into the Catalogue, the store's transaction with its
serialising and writing), so the figures add up to the whole. Wall and CPU time
(the machine may be shared: CPU time is the steadier figure).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

clock = time.perf_counter


def timed(owner: object, name: str, totals: Counter, label: str) -> None:
    """Replace ``owner.name`` by a wrapper adding its wall time to ``totals[label]``."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started = clock()
        try:
            return original(*args, **kwargs)
        finally:
            totals[label] += clock() - started

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="papers in the synthetic set")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    import generate

    import readinglist.library as library_module
    from readinglist.library import Library
    from readinglist.listings.merge import Catalogue
    from readinglist.store import Store

    folder = generate.ensure_set(args.n, args.seed) / "listings"
    totals: Counter = Counter()
    timed(library_module, "parse_file", totals, "parse files")
    timed(Catalogue, "merge_listings", totals, "merge (Catalogue.merge_listings)")
    timed(Store, "import_listings", totals, "store transaction (incl. merge)")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "library.json")
        library = Library(store)
        profiler = cProfile.Profile() if args.profile else None
        started, cpu = clock(), time.process_time()
        if profiler:
            profiler.enable()
        outcome = library.import_paths([folder])
        if profiler:
            profiler.disable()
        seconds, cpu = clock() - started, time.process_time() - cpu
        size = sum(p.stat().st_size for p in Path(tmp).iterdir() if p.is_file())
        papers = len(store.papers())
    merge = totals["merge (Catalogue.merge_listings)"]
    phases = {
        "parse files": totals["parse files"],
        "merge (Catalogue.merge_listings)": merge,
        "store: load, serialise, write": totals["store transaction (incl. merge)"] - merge,
    }
    phases["other"] = seconds - sum(phases.values())
    print(json.dumps({
        "n": args.n, "files": len(outcome.reports), "rejected": len(outcome.rejected),
        "papers": papers, "import_s": round(seconds, 3), "cpu_s": round(cpu, 3),
        "phases_s": {k: round(v, 3) for k, v in phases.items()},
        "store_mib": round(size / 2**20, 1), "profiled": bool(profiler),
    }))
    if profiler:
        from profiling import print_profile

        print_profile(profiler, args.top)


if __name__ == "__main__":
    main()
