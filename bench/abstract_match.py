"""Print how well bare abstracts separate from the wrong papers on the seeds.

For each abstract in the dump: the score of the best and second-best paper. Then,
leave-one-out: each listed abstract against every *other* paper (the best of
those is what an unrelated abstract scores at worst). The thresholds in
readinglist/listings/merge.py come from these figures.

    python bench/abstract_match.py
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from readinglist.listings import parse_file
from readinglist.listings.merge import Catalogue

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    catalogue = Catalogue()
    dumps = []
    for path in sorted(SEEDS.iterdir()):
        listing = parse_file(path, date(2026, 11, 22))
        if listing.format == "abstracts":
            dumps = [p.abstract for p in listing.papers]
        else:
            catalogue.merge_listing(listing)
    index = catalogue._abstract_index()
    print("dump abstract -> best, runner-up, ratio")
    for abstract in dumps:
        ranked = index.ranked(abstract, exclude=set())
        best, second = ranked[0][0], (ranked[1][0] if len(ranked) > 1 else 0.0)
        title = catalogue.papers[ranked[0][1]].title[:50]
        ratio = f"x{best / second:4.1f}" if second else "  -- "
        print(f"  {best:.3f}  {second:.3f}  {ratio}  {title}")
    wrong = [
        index.ranked(p.abstract, exclude={p.id})[:2]
        for p in catalogue.papers.values()
        if p.abstract
    ]
    top = max((r[0][0] for r in wrong if r), default=0.0)
    ratio = max((r[0][0] / r[1][0] for r in wrong if len(r) > 1 and r[1][0]), default=0.0)
    print(f"leave-one-out over {len(wrong)} abstracts, against the wrong papers only:")
    print(f"  highest score {top:.3f}; highest best/runner-up ratio x{ratio:.1f}")


if __name__ == "__main__":
    main()
