"""The benchmark: synthetic libraries of growing size, measured against floors.

    python bench/run.py                      # 50, 1,000, 10,000 and 100,000 papers, 3 runs each
    python bench/run.py --quick              # 50 and 1,000 papers, 1 run: under a minute (CI smoke)
    python bench/run.py --sizes 50,1000,10000 --repeat 5 --out /tmp/results

For each size: the cached synthetic set (``bench/generate.py``) is imported into
a new store through ``Library.import_paths`` (timed, in its own process), the
user's data from the set's manifest is applied through the Store API, and then
each measurement runs in fresh processes (``bench/workers.py``, ``bench/pty_app.py``):

- import time (the further runs once every size has its store, the sizes in
  turn, while a size's imports stay under ``--import-time-cap`` seconds in
  total; an import still running after ``--import-timeout`` is stopped, its
  progress kept, and the store for the other measurements is built by merging
  every listing in memory instead: see ``workers.task_fastbuild``);
- time to interactive: headless (``run_test``: store opened, app built, first
  rows shown, ``j`` moved the cursor) and the real process in a 120x36 pty;
- per-keystroke search latency (``LibraryState.rows_for`` on every prefix of each
  query) and recall against a brute-force rapidfuzz ranking;
- saving a tag, a status, a queue move and a note (Store API) against one durable
  atomic write of the user file, interleaved, once every size has its store: one
  process per size, asked for a round in turn;
- ``readinglist list QUERY --json`` and ``readinglist --version`` as processes;
- peak memory (real process via ``wait4``, headless via ``getrusage``) against the
  store's size on disk;
- the floors: reading the store's files, ``orjson.loads`` of them, one durable
  atomic write, ``python -c pass``, ``python -c "import textual.app"``.

Every figure is the median over ``--repeat`` runs, with min and max. Results go
to ``<out>/<timestamp>.json`` and ``<out>/latest.md``; the six targets of the
performance issue are computed as ratios within the run and marked PASS/FAIL.
Timings are never asserted in tests (``tests/test_bench_smoke.py`` only checks
that every metric is there).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from statistics import median

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import pty_app  # noqa: E402

PYTHON = sys.executable
EXE = str(Path(sys.executable).with_name("readinglist"))
WORKERS = str(BENCH / "workers.py")

QUERIES = [
    "neural colapse",
    "kothapali tag:theory",
    "grad desent year:>=2023",
    "transformer status:unread code:yes",
    "difusion modles",
    "kini class imbalance",
    "graph neural netwrks year:2020..2022",
    "revisit proof",
]
LIST_QUERY = "neural collapse"
SAVE_OPS = ("tag", "status", "queue_move", "note")

TARGET_TTI_RATIO = 1.5
TARGET_SEARCH_P95_MS = 30.0
TARGET_RECALL = 0.9
TARGET_SAVE_VS_WRITE = 2.0
TARGET_SAVE_GROWTH = 1.2
TARGET_IMPORT_SLACK = 1.2  # 100k/10k at most 12 = 1.2 x the size ratio
TARGET_MEMORY_RATIO = 3.0
TARGET_CLI_RATIO = 3.0


# -- small helpers ------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def stats(values: list[float]) -> dict:
    """Median, min, max and count of a list of numbers (None if empty)."""
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": median(values), "min": min(values), "max": max(values), "n": len(values)}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with ``share`` of them at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def worker(task: str, args: dict, timeout: float = 3600.0) -> dict:
    """Run one task of ``bench/workers.py`` in a fresh interpreter; its RESULT."""
    proc = subprocess.run([PYTHON, WORKERS, task, json.dumps(args)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"worker {task} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")


def timed_process(argv: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env={**os.environ, **(env or {})}, cwd=ROOT)
    return time.perf_counter() - started


def git_state() -> dict:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}


def source_hash(package: Path) -> str:
    """A fingerprint of the package's source files (which code was measured)."""
    import hashlib

    digest = hashlib.sha1()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".tcss"):
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot_source(source: str, work: Path) -> tuple[Path, str]:
    """Copy the code to measure into ``work/src`` and return (folder, fingerprint).

    Every measured process runs with that folder first on PYTHONPATH, so the
    whole run measures one version of the code even while the working tree is
    being edited. ``worktree``: the files as they are now; ``HEAD``: the last
    commit (``git archive``).
    """
    src = work / "src"
    src.mkdir()
    if source == "worktree":
        shutil.copytree(ROOT / "readinglist", src / "readinglist",
                        ignore=shutil.ignore_patterns("__pycache__"))
        seeds = ROOT / "seeds"
        if seeds.is_dir():
            shutil.copytree(seeds, src / "seeds")
    else:
        archive = subprocess.run(["git", "archive", source, "readinglist", "seeds"],
                                 capture_output=True, check=True, cwd=ROOT).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(src), *filter(None, [os.environ.get("PYTHONPATH")])])
    return src, source_hash(src / "readinglist")


# -- per size -----------------------------------------------------------------------------


def run_import(n: int, folder: Path, work: Path, args) -> tuple[dict, Path]:
    """Import ``n`` papers; returns the figures and the store kept for the other
    measurements (the first import's, with the user's data applied after timing).
    The further timing runs come once every size has its store
    (``measure_import_repeats``)."""
    listings, manifest = folder / "listings", folder / "manifest.json"
    runs: list[float] = []
    result: dict = {"method": "import_paths", "timed_out": False}
    db = work / f"import-{n}" / "library.json"
    db.parent.mkdir(parents=True)
    progress = db.parent / "progress.jsonl"
    try:
        out = worker("import", {"db": str(db), "listings": str(listings),
                                "manifest": str(manifest), "progress": str(progress)},
                     timeout=args.import_timeout)
    except subprocess.TimeoutExpired:
        lines = [json.loads(line) for line in progress.read_text().splitlines() if line]
        done = lines[-1] if lines else {"file": 0, "s": 0.0, "papers": 0}
        log(f"  import of {n} stopped after {args.import_timeout:.0f} s: "
            f"{done['file']} of {done.get('of', '?')} files, {done['papers']} papers")
        result.update(timed_out=True, timeout_s=args.import_timeout, progress=_sample(lines),
                      files_done=done["file"], files_total=done.get("of"),
                      papers_done=done["papers"])
        log(f"  building the {n}-paper store by an in-memory merge instead")
        db = work / f"fastbuild-{n}" / "library.json"
        db.parent.mkdir(parents=True)
        out = worker("fastbuild", {"db": str(db), "listings": str(listings),
                                   "manifest": str(manifest),
                                   "progress": str(db.parent / "progress.jsonl")})
        log(f"  built in {out['seconds']:.0f} s ({out['library']['papers']} papers)")
        result.update(fastbuild_s=out["seconds"], user_data=out["user_data"],
                      library=out["library"], s=stats([]))
        return result, db
    runs.append(out["seconds"])
    lines = [json.loads(line) for line in progress.read_text().splitlines() if line]
    result.update({k: out[k] for k in ("files", "rejected", "flagged", "versions", "warnings",
                                       "user_data", "library", "peak_rss_bytes")},
                  progress=_sample(lines))
    log(f"  import 1: {out['seconds']:.2f} s ({out['library']['papers']} papers, "
        f"{out['files']} files; user data applied in {out['user_data']['seconds']:.1f} s)")
    result["runs"] = runs  # until measure_import_repeats
    result["listings"] = str(listings)
    return result, db


def measure_import_repeats(results: dict, work: Path, args) -> None:
    """The further import runs: ``--import-repeat`` rounds, the sizes in turn
    (which size goes first rotates), each while the size's runs stay under the
    cap. In a round the largest size is imported once and the others
    ``--import-small-runs`` times in a row. The same import's time varies by
    15-25% from run to run on this machine, CPU time alike (10,000 papers: 4.9
    to 6.3 s within one benchmark run), so imports get more runs than the other
    figures; a smaller size's run is short, so it samples the machine's speed
    over seconds rather than the minute a run of the largest takes, and gets
    more runs; and the sizes take turns so that they share the machine's
    conditions."""
    blocks = {n: results["sizes"][n]["import"] for n in results["sizes"]
              if "runs" in results["sizes"][n].get("import", {})}
    sizes = list(blocks)
    largest = max(sizes, key=int, default=None)
    for attempt in range(1, args.import_repeat):
        shift = (attempt - 1) % max(len(sizes), 1)
        for n in sizes[shift:] + sizes[:shift]:
            for _ in range(1 if n == largest else args.import_small_runs):
                runs = blocks[n]["runs"]
                if sum(runs) + runs[-1] > args.import_time_cap:
                    log(f"  no import run {len(runs) + 1} at {int(n):,}: over the "
                        f"{args.import_time_cap:.0f} s cap")
                    break
                again = work / f"import-{n}-{len(runs)}" / "library.json"
                again.parent.mkdir(parents=True)
                try:
                    extra = worker("import", {"db": str(again), "listings": blocks[n]["listings"]},
                                   timeout=args.import_timeout)
                except subprocess.TimeoutExpired:
                    break
                finally:
                    shutil.rmtree(again.parent, ignore_errors=True)
                runs.append(extra["seconds"])
                log(f"  import {len(runs)} at {int(n):,}: {extra['seconds']:.2f} s")
    for block in blocks.values():
        block["s"] = stats(block.pop("runs"))
        block.pop("listings")


def _sample(lines: list[dict], keep: int = 40) -> list[dict]:
    """At most ``keep`` evenly spaced progress points (plus the last)."""
    if len(lines) <= keep:
        return lines
    step = len(lines) / keep
    return [lines[int(i * step)] for i in range(keep)] + [lines[-1]]


def measure_size(n: int, work: Path, args) -> dict:
    log(f"== {n} papers")
    folder = generate.ensure_set(n, args.seed, log=lambda m: log("  " + m))
    manifest = json.loads((folder / "manifest.json").read_text())
    out: dict = {"generated": {k: v for k, v in manifest.items() if k != "user"}}
    out["import"], db = run_import(n, folder, work, args)
    out["library"] = out["import"]["library"]
    repeat = args.repeat

    log("  floors: read, orjson.loads, atomic write")
    floors = worker("floors", {"db": str(db), "repeat": repeat})
    out["floors"] = {k: stats(floors[k]) for k in ("read_files_s", "orjson_loads_s",
                                                   "atomic_write_s")}
    out["store_bytes"] = floors["store_bytes"]
    out["user_file_bytes"] = floors["user_file_bytes"]

    log("  time to interactive, headless")
    headless = [worker("headless", {"db": str(db)}) for _ in range(repeat)]
    out["tti_headless"] = {k: stats([h[k] for h in headless])
                           for k in ("tti_s", "store_open_s", "first_rows_s", "imports_s",
                                     "loaded_s", "indexed_s")}

    log("  time to interactive, real process in a pty")
    ptys = [pty_app.run_app(EXE, str(db), timeout=args.app_timeout) for _ in range(repeat)]
    out["tti_pty"] = {k: stats([p[k] for p in ptys])
                      for k in ("tti_s", "first_screen_s", "key_response_s", "first_output_s",
                                "ready_s")}
    index_file = db.with_name(db.stem + ".index")
    out["index_bytes"] = index_file.stat().st_size if index_file.exists() else 0
    out["memory"] = {
        "pty_peak_bytes": stats([p["peak_rss_bytes"] for p in ptys]),
        "headless_peak_bytes": stats([h["peak_rss_bytes"] for h in headless]),
    }

    log("  readinglist list QUERY --json")
    out["cli_list_s"] = stats([timed_process([EXE, "--db", str(db), "list", LIST_QUERY, "--json"])
                               for _ in range(repeat)])

    log("  search as you type")
    search = worker("search", {"db": str(db), "queries": QUERIES, "repeat": repeat})
    medians = [median(run) * 1000 for run in search["per_key_runs"]]
    p95s = [percentile(run, 0.95) * 1000 for run in search["per_key_runs"]]
    maxes = [max(run) * 1000 for run in search["per_key_runs"]]
    recall = search["recall"]

    def mean_of(scorer: str, key: str) -> float | None:
        values = [r[scorer][key] for r in recall if r[scorer][key] is not None]
        return sum(values) / len(values) if values else None

    out["search"] = {
        "keystrokes": search["keystrokes"],
        "per_key_median_ms": stats(medians),
        "per_key_p95_ms": stats(p95s),
        "per_key_max_ms": stats(maxes),
        "state_build_s": search["state_build_s"],
        "vocabulary": search["vocabulary"],
        "recall": recall,
        "recall_wratio_ties": mean_of("wratio", "recall_ties"),
        "recall_wratio": mean_of("wratio", "recall"),
        "recall_partial_ties": mean_of("partial_ratio", "recall_ties"),
        "recall_partial_relevant": mean_of("partial_ratio", "recall_relevant"),
        "recall_exhaustive_ties": mean_of("exhaustive", "recall_ties"),
        "recall_exhaustive": mean_of("exhaustive", "recall"),
        "brute_force_wratio_s": stats([r["wratio"]["brute_force_s"] for r in recall]),
    }
    out["tag_save_and_refresh_s"] = stats(search["tag_save_and_refresh_s"])
    out["store_path"] = str(db)  # for the saves, measured once every size has its store
    return out


def _saves_process(db: Path) -> subprocess.Popen:
    """A ``saves`` worker in lockstep on ``db``, once it has opened the store."""
    proc = subprocess.Popen([PYTHON, WORKERS, "saves", json.dumps({"db": str(db), "lockstep": True})],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    for line in proc.stdout:
        if line.startswith("READY"):
            return proc
    raise RuntimeError(f"saves worker on {db} exited before it was ready (exit {proc.wait()})")


def measure_saves(results: dict, work: Path, args) -> None:
    """Saves at every size, round by round in turn, ``--repeat`` times, each
    time on fresh copies of the stores.

    A save is one small fsync (0.3-0.6 ms), and how long an fsync takes
    drifts with the disk's state by a third between minutes: measured one
    size after the other, minutes apart, the 100,000 / 1,000 ratio of
    identical work (the same CPU time per save at both sizes, measured with
    fsync off) came out anywhere between x0.8 and x1.4, and between x1.0 and
    x1.15 with 40 rounds per size in turn. So one process per size opens its
    store, and the sizes take turns round by round (which size goes first
    rotates): every size's saves meet the same disk, within milliseconds."""
    sizes = [n for n in results["sizes"] if "store_path" in results["sizes"][n]]
    pooled: dict[str, dict[str, list[float]]] = {n: {} for n in sizes}
    for attempt in range(args.repeat):
        log(f"  saves at {', '.join(f'{int(n):,}' for n in sizes)} papers in turn, "
            f"{args.save_rounds} rounds, {attempt + 1} of {args.repeat} (on copies of the stores)")
        copies = {}
        for n in sizes:
            db = Path(results["sizes"][n]["store_path"])
            copy = work / f"saves-{n}"
            copy.mkdir()
            for path in db.parent.iterdir():
                if path.name.startswith("library."):
                    shutil.copy2(path, copy / path.name)
            copies[n] = copy / db.name
        procs = {}
        try:
            for n in sizes:
                procs[n] = _saves_process(copies[n])
            # The copies' pages are written back before the timing starts: a save's
            # fsync would otherwise wait behind hundreds of megabytes at 100k papers.
            os.sync()
            time.sleep(1)
            for i in range(args.save_rounds):
                shift = i % len(sizes)
                for n in sizes[shift:] + sizes[:shift]:
                    procs[n].stdin.write(f"{i}\n")
                    procs[n].stdin.flush()
                    line = procs[n].stdout.readline()
                    if not line.startswith("ROUND "):
                        raise RuntimeError(f"saves worker at {n} papers: {line!r}")
            for n in sizes:
                procs[n].stdin.close()
                out = procs[n].stdout.read()
                if procs[n].wait() != 0:
                    raise RuntimeError(f"saves worker at {n} papers failed")
                result = json.loads(out.split("RESULT ", 1)[1])
                for name, times in result["times_s"].items():
                    pooled[n].setdefault(name, []).extend(times)
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.kill()
            for copy in copies.values():
                shutil.rmtree(copy.parent)
    for n in sizes:
        results["sizes"][n]["saves"] = {k: stats(v) for k, v in pooled[n].items()}


# -- the whole run -----------------------------------------------------------------------


def measure_floors(repeat: int) -> dict:
    log("floors: python -c pass, import textual.app, readinglist --version")
    n = max(repeat, 5)
    floors = {
        "python_pass_s": stats([timed_process([PYTHON, "-c", "pass"]) for _ in range(n)]),
        "import_textual_s": stats([timed_process([PYTHON, "-c", "import textual.app"])
                                   for _ in range(n)]),
        "version_s": stats([timed_process([EXE, "--version"]) for _ in range(n)]),
    }
    for name, argv in (("version", ["--version"]),
                       ("list", ["list", LIST_QUERY, "--json", "--limit", "3"])):
        check = worker("textual_check", {"argv": argv})
        floors[f"{name}_imports_textual"] = check["textual_modules"] > 0
    return floors


def _med(block: dict | None) -> float | None:
    return block["median"] if block else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def targets(results: dict) -> list[dict]:
    """The six targets of the issue, as ratios within this run."""
    sizes = sorted(int(n) for n in results["sizes"])
    if not sizes:
        return []
    big, small = sizes[-1], sizes[0]
    at = {n: results["sizes"][str(n)] for n in sizes}
    B, S = at[big], at[small]
    out = []

    def add(number: int, name: str, value, limit, ok, detail: str) -> None:
        out.append({"target": number, "name": name, "value": value, "limit": limit,
                    "status": "n/a" if ok is None else ("PASS" if ok else "FAIL"),
                    "detail": detail})

    # 1. Time to interactive
    pty = _ratio(_med(B["tti_pty"]["tti_s"]), _med(S["tti_pty"]["tti_s"]))
    headless = _ratio(_med(B["tti_headless"]["tti_s"]), _med(S["tti_headless"]["tti_s"]))
    add(1, f"time to interactive {big:,} / {small:,} papers", pty, TARGET_TTI_RATIO,
        None if big == small or pty is None else (pty <= TARGET_TTI_RATIO
                                                  and headless <= TARGET_TTI_RATIO),
        f"pty x{pty:.2f}, headless x{headless:.2f}" if pty and headless else "")

    # 2. Search
    p95 = _med(B["search"]["per_key_p95_ms"])
    recall = B["search"].get("recall_exhaustive_ties")
    add(2, f"search p95 per keystroke at {big:,} (ms); recall vs brute force", p95,
        TARGET_SEARCH_P95_MS,
        p95 < TARGET_SEARCH_P95_MS and recall is not None and recall >= TARGET_RECALL,
        f"p95 {p95:.1f} ms; recall@10 vs exhaustive rapidfuzz {recall or 0:.2f} "
        f"(strict {B['search'].get('recall_exhaustive') or 0:.2f}); for comparison WRatio "
        f"(ties) {B['search']['recall_wratio_ties']:.2f}, partial_ratio >= 80 "
        f"{B['search']['recall_partial_relevant'] or 0:.2f}")

    # 3. Saves
    write = _med(B["floors"]["atomic_write_s"])
    vs_write = {op: _ratio(_med(B["saves"][op]), write) for op in SAVE_OPS}
    ref = 1000 if 1000 in at and big != 1000 else small
    growth = {op: _ratio(_med(B["saves"][op]), _med(at[ref]["saves"][op])) for op in SAVE_OPS}
    worst_write = max(v for v in vs_write.values() if v is not None)
    worst_growth = max(v for v in growth.values() if v is not None) if big != ref else None
    add(3, f"save vs one atomic write at {big:,}; {big:,} / {ref:,}", worst_write,
        TARGET_SAVE_VS_WRITE,
        worst_write <= TARGET_SAVE_VS_WRITE and (worst_growth is None
                                                 or worst_growth <= TARGET_SAVE_GROWTH),
        "vs write: " + ", ".join(f"{op} x{v:.2f}" for op, v in vs_write.items())
        + ("; growth: " + ", ".join(f"{op} x{v:.2f}" for op, v in growth.items())
           if worst_growth is not None else ""))

    # 4. Import grows linearly
    if len(sizes) >= 2:
        prev = sizes[-2]
        limit = TARGET_IMPORT_SLACK * big / prev
        imp = B["import"]
        if imp["timed_out"]:
            lower = _ratio(imp["timeout_s"], _med(at[prev]["import"]["s"]))
            add(4, f"import {big:,} / {prev:,}", lower, limit, False,
                f"stopped after {imp['timeout_s']:.0f} s ({_stopped_where(imp)}): "
                f"ratio above x{lower:.0f}")
        else:
            ratio = _ratio(_med(imp["s"]), _med(at[prev]["import"]["s"]))
            add(4, f"import {big:,} / {prev:,}", ratio, limit, ratio <= limit,
                f"x{ratio:.1f} for x{big / prev:.0f} the papers")
    else:
        add(4, "import growth", None, None, None, "needs two sizes")

    # 5. Memory
    store = B["store_bytes"]
    index = B.get("index_bytes", 0)
    mem = _ratio(_med(B["memory"]["pty_peak_bytes"]), store + index)
    mem_h = _ratio(_med(B["memory"]["headless_peak_bytes"]), store + index)
    mem_cat = _ratio(_med(B["memory"]["pty_peak_bytes"]), store)
    add(5, f"peak memory / store on disk at {big:,}", mem, TARGET_MEMORY_RATIO,
        mem <= TARGET_MEMORY_RATIO,
        f"real process {_med(B['memory']['pty_peak_bytes']) / 2**20:.0f} MiB (x{mem:.2f}), "
        f"headless x{mem_h:.2f}; store {(store + index) / 2**20:.1f} MiB = catalogue + user "
        f"{store / 2**20:.1f} + index {index / 2**20:.1f} (without the index x{mem_cat:.2f})")

    # 6. Commands without an interface
    f = results["floors"]
    cli = _ratio(_med(f["version_s"]), _med(f["python_pass_s"]))
    add(6, "readinglist --version / python -c pass", cli, TARGET_CLI_RATIO,
        cli <= TARGET_CLI_RATIO and not f["version_imports_textual"]
        and not f["list_imports_textual"],
        f"x{cli:.2f}; Textual imported by --version: {f['version_imports_textual']}, "
        f"by list: {f['list_imports_textual']}")
    return out


# -- the report ---------------------------------------------------------------------------


def _cell(block: dict | None, scale: float = 1.0, digits: int = 3, unit: str = "") -> str:
    if not block or block.get("median") is None:
        return "–"
    m, lo, hi = (block[k] * scale for k in ("median", "min", "max"))
    fmt = f"{{:.{digits}f}}"
    if block["n"] == 1:
        return fmt.format(m) + unit
    return f"{fmt.format(m)}{unit} ({fmt.format(lo)}–{fmt.format(hi)})"


def _stopped_where(imp: dict) -> str:
    """How far a stopped import had got, from its progress log."""
    total, done, papers = imp.get("files_total") or 0, imp.get("files_done") or 0, imp.get("papers_done")
    if papers == 0 and total and done >= total - 1:
        parsed = imp["progress"][-1]["s"] if imp.get("progress") else 0.0
        return (f"all {total} files read and parsed by {parsed:.0f} s, then the merge "
                f"(one transaction) still running")
    return f"{done} of {total} files, {papers:,} papers in the store"


def markdown(results: dict) -> str:
    sizes = sorted(results["sizes"], key=int)
    at = results["sizes"]
    meta = results["meta"]
    lines = [
        "# readinglist benchmark",
        "",
        f"{meta['timestamp']} · `{meta['command']}` · commit {meta['git']['commit'][:10]}"
        f"{' (with uncommitted changes)' if meta['git']['dirty'] else ''} · measured "
        f"{meta['source']['from']}, source {meta['source']['hash']} · Python "
        f"{meta['python']} · Textual {meta['textual']} · {meta['cpus']} CPUs, load "
        f"{meta['load_start']} at start · {meta['repeat']} run(s) per figure"
        + (f" ({meta['import_repeat']} rounds for imports, within the time cap"
           + (f"; {meta['import_small_runs']} runs a round below the largest size"
              if meta.get("import_small_runs", 1) != 1 else "") + ")"
           if meta.get("import_repeat", meta["repeat"]) != meta["repeat"] else "")
        + f" · {meta['elapsed_s']:.0f} s in all",
        "",
        "Each cell: median (min–max) over the runs; times in seconds unless marked.",
        "",
        "| | " + " | ".join(f"{int(n):,} papers" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]

    def row(label: str, cells) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("papers / authors in the store", [f"{at[n]['library']['papers']:,} / "
                                          f"{at[n]['library']['authors']:,}" for n in sizes])
    row("store on disk (MiB): catalogue + user file and journal (+ search index file)",
        [f"{at[n]['store_bytes'] / 2**20:.1f} (user data {at[n]['user_file_bytes'] / 1024:.0f} KiB)"
         + (f" + {at[n]['index_bytes'] / 2**20:.1f}" if at[n].get("index_bytes") else "")
         for n in sizes])

    def import_cell(n: str) -> str:
        imp = at[n]["import"]
        if imp["timed_out"]:
            return f"stopped at {imp['timeout_s']:.0f} s: {_stopped_where(imp)}"
        return _cell(imp["s"], digits=2) + f" ({imp['files']} files; {imp['s']['n']} runs)"

    row("**import** (Library.import_paths)", [import_cell(n) for n in sizes])
    row("time to interactive, **pty** (real process)",
        [_cell(at[n]["tti_pty"]["tti_s"], digits=2) for n in sizes])
    row("&nbsp;&nbsp;of which first screen", [_cell(at[n]["tti_pty"]["first_screen_s"], digits=2)
                                              for n in sizes])
    row("&nbsp;&nbsp;of which `j` to redraw (ms)",
        [_cell(at[n]["tti_pty"]["key_response_s"], 1000, 0) for n in sizes])
    row("&nbsp;&nbsp;then loaded and indexed in the background (s)",
        [_cell(at[n]["tti_pty"].get("ready_s"), digits=2) for n in sizes])
    row("time to interactive, **headless** (store open → `j` moved)",
        [_cell(at[n]["tti_headless"]["tti_s"], digits=2) for n in sizes])
    row("&nbsp;&nbsp;of which store open", [_cell(at[n]["tti_headless"]["store_open_s"], digits=2)
                                            for n in sizes])
    row("&nbsp;&nbsp;headless: whole library loaded / indexed (s)",
        [_cell(at[n]["tti_headless"].get("loaded_s"), digits=2) + " / "
         + _cell(at[n]["tti_headless"].get("indexed_s"), digits=2) for n in sizes])
    row("LibraryState built from scratch, index included (s)",
        [f"{at[n]['search']['state_build_s']:.2f}" for n in sizes])
    row("**search** per keystroke, median (ms)",
        [_cell(at[n]["search"]["per_key_median_ms"], digits=1) for n in sizes])
    row("**search** per keystroke, p95 (ms)",
        [_cell(at[n]["search"]["per_key_p95_ms"], digits=1) for n in sizes])
    row("search per keystroke, worst (ms)",
        [_cell(at[n]["search"]["per_key_max_ms"], digits=1) for n in sizes])
    row("**recall@10 vs exhaustive rapidfuzz** (ties / strict)",
        [f"{at[n]['search'].get('recall_exhaustive_ties') or 0:.2f} / "
         f"{at[n]['search'].get('recall_exhaustive') or 0:.2f}" for n in sizes])
    row("recall@10 vs brute force (WRatio, ties / strict)",
        [f"{at[n]['search']['recall_wratio_ties']:.2f} / {at[n]['search']['recall_wratio']:.2f}"
         for n in sizes])
    row("recall@10 vs brute force (partial_ratio ≥ 80)",
        [f"{at[n]['search']['recall_partial_relevant']:.2f}"
         if at[n]['search']['recall_partial_relevant'] is not None else "–" for n in sizes])
    row("brute-force WRatio per query", [_cell(at[n]["search"]["brute_force_wratio_s"], digits=2)
                                         for n in sizes])
    for op in SAVE_OPS:
        row(f"**save** {op.replace('_', ' ')} (ms)", [_cell(at[n]["saves"][op], 1000, 1)
                                                      for n in sizes])
    row("tag save + state update + list refresh (ms)",
        [_cell(at[n]["tag_save_and_refresh_s"], 1000, 1) for n in sizes])
    row("`readinglist list QUERY --json`", [_cell(at[n]["cli_list_s"], digits=2) for n in sizes])
    row("**peak memory**, real process (MiB)",
        [_cell(at[n]["memory"]["pty_peak_bytes"], 1 / 2**20, 0) for n in sizes])
    row("peak memory, headless (MiB)",
        [_cell(at[n]["memory"]["headless_peak_bytes"], 1 / 2**20, 0) for n in sizes])
    row("floor: read the store's files (ms)",
        [_cell(at[n]["floors"]["read_files_s"], 1000, 1) for n in sizes])
    row("floor: orjson.loads of them (ms)",
        [_cell(at[n]["floors"]["orjson_loads_s"], 1000, 1) for n in sizes])
    row("floor: one durable atomic write of the user data, as one file (ms)",
        [_cell(at[n]["floors"]["atomic_write_s"], 1000, 1) for n in sizes])
    f = results["floors"]
    lines += [
        "",
        f"Floors for the whole run: `python -c pass` {_cell(f['python_pass_s'], 1000, 0, ' ms')}; "
        f"`python -c \"import textual.app\"` {_cell(f['import_textual_s'], 1000, 0, ' ms')}; "
        f"`readinglist --version` {_cell(f['version_s'], 1000, 0, ' ms')}.",
        "",
        "## Targets",
        "",
        "| # | target | value | limit | status | detail |",
        "|---|---|---|---|---|---|",
    ]
    for t in results["targets"]:
        value = "–" if t["value"] is None else f"{t['value']:.2f}"
        limit = "–" if t["limit"] is None else f"{t['limit']:g}"
        lines.append(f"| {t['target']} | {t['name']} | {value} | {limit} | **{t['status']}** "
                     f"| {t['detail']} |")
    lines += ["", "## Search recall per query (largest size)", "",
              "| query | product hits | candidates | exhaustive matches | exhaustive (ties) "
              "| WRatio ties | partial_ratio ≥ 80 |",
              "|---|---|---|---|---|---|---|"]
    for r in at[sizes[-1]]["search"]["recall"]:
        rel = r["partial_ratio"]["recall_relevant"]
        ex = r.get("exhaustive") or {}
        ex_r = ex.get("recall_ties")
        lines.append(f"| `{r['query']}` | {r['product_hits']} | {r['candidates']:,} | "
                     f"{ex.get('matches', 0):,} | {'–' if ex_r is None else f'{ex_r:.1f}'} | "
                     f"{r['wratio']['recall_ties']:.1f} | {'–' if rel is None else f'{rel:.1f}'} |")
    for n, error in results.get("failed", {}).items():
        lines += ["", f"The {int(n):,}-paper measurements failed: `{error[:300]}`"]
    for n in sizes:
        imp = at[n]["import"]
        if imp["timed_out"]:
            lines += ["", f"The {int(n):,}-paper import was stopped after {imp['timeout_s']:.0f} s; "
                      f"the other {int(n):,}-paper figures come from a store built by merging every "
                      f"listing in one in-memory Catalogue ({imp['fastbuild_s']:.0f} s), written once."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="readinglist benchmark (see the module docstring)")
    parser.add_argument("--quick", action="store_true",
                        help="50 and 1,000 papers, one run: a smoke test under a minute")
    parser.add_argument("--sizes", default=None, help="comma-separated (default 50,1000,10000,100000)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 3)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument("--import-timeout", type=float, default=900.0,
                        help="stop an import after this many seconds (default 900)")
    parser.add_argument("--import-repeat", type=int, default=None,
                        help="import runs per size (default 5: the noisiest figure)")
    parser.add_argument("--import-small-runs", type=int, default=3,
                        help="import runs per round of the sizes below the largest (default 3)")
    parser.add_argument("--import-time-cap", type=float, default=400.0,
                        help="repeat a size's import only while its runs stay under this (s)")
    parser.add_argument("--save-rounds", type=int, default=40)
    parser.add_argument("--app-timeout", type=float, default=1800.0,
                        help="give up on the app's first screen or key after this (s)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary stores")
    parser.add_argument("--source", default="worktree",
                        help="code to measure: worktree (default, copied at the start) or a "
                             "git revision such as HEAD")
    parser.add_argument("--report", type=Path, metavar="JSON",
                        help="only re-render <out>/latest.md from a results file")
    args = parser.parse_args(argv)
    if args.report:
        results = json.loads(args.report.read_text())
        results["targets"] = targets(results)
        md = markdown(results)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "latest.md").write_text(md, encoding="utf-8")
        print(md)
        return 0
    sizes_text = args.sizes or ("50,1000" if args.quick else "50,1000,10000,100000")
    sizes = sorted({int(s) for s in sizes_text.split(",")})
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.import_repeat = args.import_repeat or (1 if args.quick else 5)
    if args.quick:
        args.save_rounds = min(args.save_rounds, 5)

    import textual

    started = time.perf_counter()
    results: dict = {"meta": {
        "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "sizes": sizes, "repeat": args.repeat, "import_repeat": args.import_repeat,
        "import_small_runs": args.import_small_runs,
        "quick": args.quick, "seed": args.seed,
        "python": platform.python_version(), "textual": textual.__version__,
        "cpus": os.cpu_count(), "load_start": round(os.getloadavg()[0], 2),
        "git": git_state(), "queries": QUERIES, "list_query": LIST_QUERY,
    }}
    work = Path(tempfile.mkdtemp(prefix="readinglist-bench-"))
    try:
        src, fingerprint = snapshot_source(args.source, work)
        results["meta"]["source"] = {"from": args.source, "hash": fingerprint}
        check = subprocess.run([PYTHON, "-c", "import readinglist; print(readinglist.__file__)"],
                               capture_output=True, text=True, check=True, cwd=work)
        if not check.stdout.strip().startswith(str(src)):
            raise RuntimeError(f"the snapshot is not what gets imported: {check.stdout}")
        log(f"measuring {args.source} (source {fingerprint}) from {src}")
        results["floors"] = measure_floors(args.repeat)
        results["sizes"] = {}
        results["failed"] = {}
        args.out.mkdir(parents=True, exist_ok=True)
        partial = args.out / "partial.json"
        for n in sizes:
            try:
                results["sizes"][str(n)] = measure_size(n, work, args)
            except Exception as error:  # keep the other sizes' figures
                log(f"  {n} papers failed: {error}")
                results["failed"][str(n)] = repr(error)[-2000:]
            partial.write_text(json.dumps(results, indent=1), encoding="utf-8")
        log("== imports again, the sizes in turn")
        measure_import_repeats(results, work, args)
        log("== saves, the sizes in turn")
        measure_saves(results, work, args)
        for block in results["sizes"].values():
            block.pop("store_path", None)
    finally:
        if args.keep:
            log(f"stores kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    results["meta"]["elapsed_s"] = time.perf_counter() - started
    results["meta"]["load_end"] = round(os.getloadavg()[0], 2)
    results["targets"] = targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = results["meta"]["timestamp"].replace(":", "").replace("-", "")
    json_path = args.out / f"{stamp}{'-quick' if args.quick else ''}.json"
    json_path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    (args.out / "partial.json").unlink(missing_ok=True)
    md = markdown(results)
    (args.out / "latest.md").write_text(md, encoding="utf-8")
    log(f"wrote {json_path} and {args.out / 'latest.md'} ({results['meta']['elapsed_s']:.0f} s)")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
