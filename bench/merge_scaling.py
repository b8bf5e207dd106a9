"""How the merge grows with the library: ``merge_profile.py`` at several sizes,
each in its own process, the sizes interleaved and repeated (the machine may be
shared: the best of the runs, and CPU time, are the steadier figures).

    python bench/merge_scaling.py                      # 1k, 10k, 30k, 100k, best of 2
    python bench/merge_scaling.py --sizes 10000,100000 --repeat 3
    python bench/merge_scaling.py --rev 71a90cc --sizes 1000,10000   # merge.py of a commit
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,30000,100000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rev", help="merge.py as of this git commit")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    runs: dict[int, list[dict]] = {n: [] for n in sizes}
    for number in range(args.repeat):
        for n in sizes:
            command = [sys.executable, str(BENCH / "merge_profile.py"), str(n)]
            if args.rev:
                command += ["--rev", args.rev]
            result = subprocess.run(command, check=True, capture_output=True, text=True)
            runs[n].append(json.loads(result.stdout.strip().splitlines()[-1]))
            print(f"run {number + 1}: {n:>7} papers  merge {runs[n][-1]['merge_s']:8.2f} s  "
                  f"cpu {runs[n][-1]['cpu_s']:8.2f} s", file=sys.stderr, flush=True)
    best = {n: min(runs[n], key=lambda r: r["cpu_s"]) for n in sizes}
    base = sizes[1] if len(sizes) > 1 else sizes[0]
    print(f"{'papers':>8} {'merge s':>9} {'cpu s':>8} {'us/paper':>9} {'x ' + str(base):>9}")
    for n in sizes:
        row = best[n]
        print(f"{n:>8} {row['merge_s']:9.2f} {row['cpu_s']:8.2f} "
              f"{row['cpu_s'] / row['papers'] * 1e6:9.0f} {row['cpu_s'] / best[base]['cpu_s']:9.2f}")


if __name__ == "__main__":
    main()
