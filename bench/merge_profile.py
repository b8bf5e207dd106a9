"""The merge alone: parse a synthetic set once, then time (or profile) merging
every listing into one in-memory ``Catalogue``, as ``Store.import_listings``
does for a folder (file order, one Catalogue, no TinyDB).

    python bench/merge_profile.py 10000                 # time the merge
    python bench/merge_profile.py 10000 --profile       # ... under cProfile
    python bench/merge_profile.py 10000 --phases        # ... and the time in each step
    python bench/merge_profile.py 10000 --rev HEAD~3    # merge.py as of a commit
    python bench/merge_profile.py 10000 --dump /tmp/new.json   # the result, to compare
    python bench/merge_profile.py compare /tmp/old.json /tmp/new.json

Parsing is not timed; the parsed listings are cached (pickle, keyed on the
parsers' source) next to the set in ``bench/.cache/`` so repeated runs start at
the merge. Names are parsed with
the names known so far, as ``Library.import_paths`` does. ``--rev`` loads
``readinglist/listings/merge.py`` from that commit (``git show``) as a separate
module, so old and new merges can be compared on the same parsed input.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import importlib.util
import itertools
import json
import pickle
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

clock = time.perf_counter
TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


def parsed_listings(n: int, seed: int = 7) -> list:
    """Every listing of the set for ``n`` papers, parsed as import_paths parses them."""
    import generate

    from readinglist.library import listing_files
    from readinglist.listings import parse_file

    folder = generate.ensure_set(n, seed)
    cache = folder / f"parsed-{parser_fingerprint()}.pickle"
    if cache.exists():
        try:
            with cache.open("rb") as f:
                return pickle.load(f)
        except Exception as error:  # noqa: BLE001 - a stale cache is parsed again
            print(f"parsed cache unusable ({error}); parsing again", file=sys.stderr)
    for stale in folder.glob("parsed*.pickle"):
        stale.unlink()
    started = clock()
    known: set[str] = set()
    listings = []
    for path in listing_files([folder / "listings"]):
        listing = parse_file(path, TODAY, known=known.__contains__)
        known.update(name for record in listing.papers for name in record.authors)
        listings.append(listing)
    print(f"parsed {len(listings)} files in {clock() - started:.1f} s", file=sys.stderr)
    with cache.open("wb") as f:
        pickle.dump(listings, f, protocol=pickle.HIGHEST_PROTOCOL)
    return listings


def parser_fingerprint() -> str:
    """Of the code that parses listings (not the merge): another version of it
    may parse the same files differently, so its cached output is not reused."""
    package = ROOT / "readinglist"
    files = sorted(p for p in (package / "listings").glob("*.py") if p.name != "merge.py")
    files += [package / name for name in ("models.py", "text.py", "names.py")]
    digest = hashlib.sha1()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def merge_module(rev: str | None):
    """``readinglist.listings.merge`` now, or as it was at commit ``rev``."""
    if rev is None:
        from readinglist.listings import merge

        return merge
    source = subprocess.run(["git", "show", f"{rev}:readinglist/listings/merge.py"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / f"merge_{rev.replace('~', '_').replace('/', '_')}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def outcome(catalogue, reports) -> dict:
    """Everything the merge decides, as JSON-able data."""
    return {
        "parsers": parser_fingerprint(),
        "papers": {pid: p.to_dict() for pid, p in sorted(catalogue.papers.items())},
        "authors": {aid: a.to_dict() for aid, a in sorted(catalogue.authors.items())},
        "redirects": dict(sorted(catalogue.redirects.items())),
        "reports": [r.to_dict() for r in reports],
    }


# The merge's steps timed by --phases (inclusive: a step's time holds the steps it calls).
PHASES = ("Catalogue._merge_listed", "Catalogue._link_authors", "Catalogue.person",
          "_AbstractIndex.add", "Catalogue._merge_abstract", "Catalogue._rank",
          "Catalogue._place_flagged", "Catalogue._hopeful", "Catalogue._reaches",
          "Catalogue._place_remaining", "Catalogue._relink_papers")


def time_phases(module) -> dict[str, list[float]]:
    """Wrap PHASES of ``module`` with timers: {phase: [seconds, calls]}. Not
    cProfile, which charges every call and inflates the small, frequent ones;
    a timer costs about a microsecond per call of these."""
    totals: dict[str, list[float]] = {}
    for phase in PHASES:
        owner_name, name = phase.split(".")
        owner = getattr(module, owner_name)
        original = getattr(owner, name, None)
        if original is None:  # not in this version of merge.py (--rev)
            continue
        total = totals[phase] = [0.0, 0]

        def wrapper(*args, _original=original, _total=total, **kwargs):
            started = clock()
            try:
                return _original(*args, **kwargs)
            finally:
                _total[0] += clock() - started
                _total[1] += 1

        setattr(owner, name, wrapper)
    return totals


def run(args: argparse.Namespace) -> None:
    listings = parsed_listings(args.n, args.seed)
    if args.files:
        listings = listings[: args.files]
    module = merge_module(args.rev)
    phases = time_phases(module) if args.phases else None
    gc.collect()
    if args.no_gc:
        gc.disable()
    profiler = cProfile.Profile() if args.profile else None
    catalogue = module.Catalogue()
    reports = []
    started, cpu_started = clock(), time.process_time()
    marks = []
    if profiler:
        profiler.enable()
    merge_one = getattr(catalogue, "_merge_one", None)
    if merge_one is not None and args.progress:
        numbers = itertools.count(1)

        def each(listing, stamp):
            report = merge_one(listing, stamp)
            number = next(numbers)
            if number % args.progress == 0:
                marks.append((number, len(catalogue.papers), clock() - started))
                print(f"  {number:5d} files  {len(catalogue.papers):7d} papers  "
                      f"{clock() - started:8.2f} s", file=sys.stderr, flush=True)
            return report

        catalogue._merge_one = each
    if hasattr(catalogue, "merge_listings"):  # one import, as the store merges a folder
        reports = catalogue.merge_listings(listings, NOW)
    else:  # an older merge.py (--rev)
        reports = [catalogue.merge_listing(listing, NOW) for listing in listings]
    if profiler:
        profiler.disable()
    elapsed, cpu = clock() - started, time.process_time() - cpu_started
    gc.enable()
    flagged = sum(1 for p in catalogue.papers.values() if p.needs_review)
    print(json.dumps({
        "n": args.n, "rev": args.rev or "worktree", "files": len(listings),
        "merge_s": round(elapsed, 3), "cpu_s": round(cpu, 3), "papers": len(catalogue.papers),
        "authors": len(catalogue.authors), "flagged": flagged,
        "redirects": len(catalogue.redirects),
        "versions": sum(r.versions for r in reports),
        "profiled": bool(profiler),
        **({"phases": {k: {"s": round(t, 3), "calls": c} for k, (t, c) in phases.items()}}
           if phases else {}),
    }))
    if profiler:
        from profiling import print_profile

        print_profile(profiler, args.top)
    if args.dump:
        Path(args.dump).write_text(json.dumps(outcome(catalogue, reports), sort_keys=True))


def compare(old_path: str, new_path: str) -> int:
    old, new = (json.loads(Path(p).read_text()) for p in (old_path, new_path))
    if old.get("parsers") != new.get("parsers"):
        print(f"warning: parsed by other parser versions ({old.get('parsers')} vs "
              f"{new.get('parsers')}): the inputs may differ")
    problems = 0
    for table in ("papers", "authors", "redirects"):
        a, b = old[table], new[table]
        only_old, only_new = sorted(set(a) - set(b)), sorted(set(b) - set(a))
        differ = sorted(k for k in set(a) & set(b) if a[k] != b[k])
        print(f"{table}: {len(a)} vs {len(b)}; only old {len(only_old)}, only new "
              f"{len(only_new)}, different {len(differ)}")
        for key in (only_old + only_new + differ)[:5]:
            print(f"   {key}: {json.dumps(a.get(key))[:300]}\n   {' ' * len(key)}  "
                  f"{json.dumps(b.get(key))[:300]}")
        problems += len(only_old) + len(only_new) + len(differ)
    reports_differ = [i for i, (a, b) in enumerate(zip(old["reports"], new["reports"])) if a != b]
    print(f"reports: {len(old['reports'])} vs {len(new['reports'])}; different {len(reports_differ)}")
    for i in reports_differ[:5]:
        print(f"   #{i}: {old['reports'][i]}\n        {new['reports'][i]}")
    problems += len(reports_differ) + abs(len(old["reports"]) - len(new["reports"]))
    print("IDENTICAL" if not problems else f"{problems} differences")
    return 1 if problems else 0


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="papers in the synthetic set")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rev", help="merge.py as of this git commit (default: the worktree)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--files", type=int, help="only the first N files")
    parser.add_argument("--progress", type=int, default=0, help="print progress every N files")
    parser.add_argument("--dump", help="write the merge's outcome as JSON here")
    parser.add_argument("--no-gc", action="store_true", help="merge with the GC off")
    parser.add_argument("--phases", action="store_true",
                        help="time the merge's steps (inclusive), with their calls")
    run(parser.parse_args())




if __name__ == "__main__":
    main()
