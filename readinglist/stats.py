"""Reading statistics: pure functions over papers, user data and the queue.

The clock is a parameter, so the figures are testable on a library with known
dates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from readinglist.models import STATUSES, Author, Paper, UserData

WEEKS = 52
SPARK = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


@dataclass
class Stats:
    total: int
    by_status: dict[str, int]
    by_category: list[tuple[str, int]]
    by_tag: list[tuple[str, int]]
    read_per_week: list[int]  # oldest week first; the last is the current week
    week_starts: list[str]  # ISO date of each week's Monday
    queue_length: int
    oldest_queued_days: int | None
    most_read_authors: list[tuple[str, int]]
    read_last_30_days: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_status": self.by_status,
            "by_category": dict(self.by_category),
            "by_tag": dict(self.by_tag),
            "read_per_week": [{"week": w, "read": n} for w, n in zip(self.week_starts, self.read_per_week)],
            "read_last_30_days": self.read_last_30_days,
            "queue_length": self.queue_length,
            "oldest_queued_days": self.oldest_queued_days,
            "most_read_authors": [{"name": n, "read": c} for n, c in self.most_read_authors],
        }


def _parse(when: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(when)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def compute(
    papers: Iterable[Paper],
    authors: Mapping[str, Author],
    user: Mapping[str, UserData],
    queue: list[str],
    now: datetime,
    queued_since: Mapping[str, str] | None = None,
) -> Stats:
    papers = list(papers)
    statuses = Counter((user[p.id].status if p.id in user else "unread") for p in papers)
    categories = Counter(p.category or "?" for p in papers)
    tags = Counter(t for p in papers if p.id in user for t in user[p.id].tags)

    this_monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0,
                                                                microsecond=0)
    first_monday = this_monday - timedelta(weeks=WEEKS - 1)
    per_week = [0] * WEEKS
    read_30 = 0
    readers: Counter[str] = Counter()
    for paper in papers:
        data = user.get(paper.id)
        if data is None or data.status != "read":
            continue
        for aid in paper.author_ids:
            if aid in authors:
                readers[authors[aid].name] += 1
        finished = _parse(data.status_since.get("read", ""))
        if finished is None:
            continue
        if finished >= now - timedelta(days=30):
            read_30 += 1
        if finished >= first_monday:
            week = min((finished - first_monday).days // 7, WEEKS - 1)
            per_week[week] += 1

    oldest = None
    stamps = [_parse(queued_since[pid]) for pid in queue if queued_since and pid in queued_since]
    stamps = [s for s in stamps if s is not None]
    if stamps:
        oldest = (now - min(stamps)).days
    return Stats(
        total=len(papers),
        by_status={s: statuses.get(s, 0) for s in STATUSES},
        by_category=categories.most_common(),
        by_tag=tags.most_common(),
        read_per_week=per_week,
        week_starts=[(first_monday + timedelta(weeks=i)).date().isoformat() for i in range(WEEKS)],
        queue_length=len(queue),
        oldest_queued_days=oldest,
        most_read_authors=readers.most_common(10),
        read_last_30_days=read_30,
    )


def sparkline(values: list[int]) -> str:
    """``▁▂▅█``: one block per value, scaled to the largest."""
    top = max(values, default=0)
    if top == 0:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(len(SPARK) - 1, round(v * (len(SPARK) - 1) / top))] for v in values)


def render_text(stats: Stats) -> str:
    """The stats as a few lines of plain text (the CLI and the app's Stats view)."""
    lines = [
        f"{stats.total} papers: " + ", ".join(f"{n} {s}" for s, n in stats.by_status.items()),
        f"read per week, last {WEEKS} weeks (from {stats.week_starts[0]}): "
        f"{sparkline(stats.read_per_week)}  ({sum(stats.read_per_week)} in all, "
        f"{stats.read_last_30_days} in the last 30 days)",
        f"queue: {stats.queue_length} papers"
        + (f", the oldest queued {stats.oldest_queued_days} days ago"
           if stats.oldest_queued_days is not None else ""),
        "by category: " + ", ".join(f"{c} {n}" for c, n in stats.by_category),
        "by tag: " + (", ".join(f"{t} {n}" for t, n in stats.by_tag) or "no tags yet"),
        "most read authors: " + (", ".join(f"{a} ({n})" for a, n in stats.most_read_authors)
                                 or "nothing read yet"),
    ]
    return "\n".join(lines)
