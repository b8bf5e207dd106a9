"""The Stats view: reading per week, the queue, categories, tags, authors."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from readinglist.stats import WEEKS, Stats, sparkline
from readinglist.text import clean_line

BAR = "\u2588"


def _bars(rows: list[tuple[str, int]], width: int = 30, limit: int = 12) -> list[tuple[str, str] | str]:
    """Label, a bar scaled to the largest count, the count."""
    top = max((n for _, n in rows), default=0) or 1
    parts: list[tuple[str, str] | str] = []
    for label, count in rows[:limit]:
        parts += ["\n", f"{clean_line(label)[:18]:<18} ", (BAR * max(1, round(count * width / top)), "$accent"),
                  f" {count}"]
    return parts or ["\n(none)"]


class StatsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,0", "close", "Close", id="stats.close", tooltip="Close the stats")]

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        s = self.stats
        status = " · ".join(f"{n} {name}" for name, n in s.by_status.items())
        queue = f"{s.queue_length} queued" + (
            f", the oldest for {s.oldest_queued_days} days" if s.oldest_queued_days is not None else "")
        body = Content.assemble(
            ("Read per week", "bold $accent"), f" \u2014 last {WEEKS} weeks, from {s.week_starts[0]}\n",
            (sparkline(s.read_per_week), "$accent"), "\n",
            f"{sum(s.read_per_week)} read in the last year, {s.read_last_30_days} in the last 30 days\n\n",
            ("Library", "bold $accent"), f" \u2014 {s.total} papers: {status}\n",
            ("Queue", "bold $accent"), f" \u2014 {queue}\n\n",
            ("By category", "bold $accent"), *_bars(s.by_category), "\n\n",
            ("By tag", "bold $accent"), *_bars(s.by_tag), "\n\n",
            ("Most read authors", "bold $accent"), *_bars(s.most_read_authors),
        )
        with Vertical(id="stats-dialog", classes="dialog"):
            yield Static("readinglist \u00b7 stats", classes="dialog-title", markup=False)
            with VerticalScroll(id="stats-body"):
                yield Static(body, markup=False)
            yield Static("escape closes", classes="dialog-help", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
