"""The paper table, on Textual's Line API so it stays fast at 100,000 rows.

Only the rows on screen are rendered (``render_line``), straight to Segments:
no markup is ever parsed, so a title like ``[@click=app.quit]`` is just text.
The first line is a fixed header; the rows scroll under it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from readinglist.tui.state import PaperRow
from readinglist.tui.widgets import SentBy

GLYPHS = {"unread": "○", "reading": "◐", "read": "●"}
SORT_COLUMN = {"date": "year", "title": "title", "author": "author", "status": "status",
               "score": None}


class PaperList(ScrollView, can_focus=True):
    """A virtual table of papers. Set rows with ``set_rows``; it posts messages up."""

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="papers.down",
                tooltip="Move to the next paper"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="papers.up",
                tooltip="Move to the previous paper"),
        Binding("g,home", "top", "Top", show=False, id="papers.top",
                tooltip="Move to the first paper"),
        Binding("G,end", "bottom", "Bottom", show=False, id="papers.bottom",
                tooltip="Move to the last paper"),
        Binding("pagedown,ctrl+d", "page(1)", "Page down", show=False, id="papers.page_down",
                tooltip="Move one page down"),
        Binding("pageup,ctrl+u", "page(-1)", "Page up", show=False, id="papers.page_up",
                tooltip="Move one page up"),
        Binding("enter", "select", "Open", id="papers.open",
                tooltip="Open the selected paper in the detail pane"),
    ]

    COMPONENT_CLASSES = {
        "paper-list--header", "paper-list--cursor", "paper-list--dim",
        "paper-list--unread", "paper-list--reading", "paper-list--read",
        "paper-list--code", "paper-list--tags", "paper-list--queue",
    }

    DEFAULT_CSS = """
    PaperList { height: 1fr; overflow-x: hidden; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class PaperHighlighted(SentBy):
        """The cursor moved to another paper (or to none)."""

        def __init__(self, paper_list: PaperList, paper_id: str | None) -> None:
            super().__init__(paper_list)
            self.paper_id = paper_id

    class PaperSelected(SentBy):
        """Enter (or a double click) on a paper."""

        def __init__(self, paper_list: PaperList, paper_id: str) -> None:
            super().__init__(paper_list)
            self.paper_id = paper_id

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._ids: list[str] = []
        self._row: Callable[[str], PaperRow] | None = None
        self._last_highlight: str | None | bool = False
        self.sort_key = "date"
        self.reverse = False
        self.empty_message = "No papers"

    # -- attributes down ------------------------------------------------------------------

    @property
    def paper_ids(self) -> list[str]:
        return self._ids

    @property
    def current_id(self) -> str | None:
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    def set_rows(self, ids: list[str], row: Callable[[str], PaperRow], *,
                 keep: str | None = None, select_first: bool = False) -> None:
        """Show ``ids``; keep the cursor on ``keep`` (or the current paper) if still shown."""
        previous = keep if keep is not None else self.current_id
        old_cursor = self.cursor
        self._ids = ids
        self._row = row
        self.virtual_size = Size(self.size.width, len(ids) + 1)
        if select_first or not ids:
            index = 0
        elif previous is not None and previous in ids:
            index = ids.index(previous) if len(ids) < 50_000 else self._find(previous, old_cursor)
        else:
            index = min(old_cursor, len(ids) - 1)
        self.cursor = index
        self.refresh()

    def _find(self, paper_id: str, near: int) -> int:
        if 0 <= near < len(self._ids) and self._ids[near] == paper_id:
            return near
        return self._ids.index(paper_id)

    def move_to(self, paper_id: str) -> bool:
        if paper_id in self._ids:
            self.cursor = self._ids.index(paper_id)
            return True
        return False

    def refresh_rows(self) -> None:
        self.refresh()

    # -- cursor -----------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._ids) - 1)) if self._ids else 0

    def watch_cursor(self, value: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        current = self.current_id
        if current != self._last_highlight:
            self._last_highlight = current
            self.post_message(self.PaperHighlighted(self, current))

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        page = self._page
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._ids) + 1)
        self._scroll_to_cursor()

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, delta: int) -> None:
        self.cursor += delta * self._page

    def action_top(self) -> None:
        self.cursor = 0

    def action_bottom(self) -> None:
        self.cursor = len(self._ids) - 1

    def action_select(self) -> None:
        if self.current_id is not None:
            self.post_message(self.PaperSelected(self, self.current_id))

    async def _on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if 0 <= index < len(self._ids):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    # -- rendering ----------------------------------------------------------------------------

    def _columns(self, width: int) -> dict[str, int]:
        """Cell widths per column: the title keeps at least 28 cells, the optional
        columns join in order of use while there is room."""
        cols = {"status": 2, "queue": 4, "year": 5, "author": 0, "cat": 0, "code": 0, "tags": 0}
        for name, size in (("author", 16), ("code", 5), ("tags", 16), ("cat", 5),
                           ("author", 20), ("tags", 22)):
            extra = size - cols[name]
            if width - sum(cols.values()) - extra - 1 < 28:
                break  # in order: a later column never takes a skipped one's place
            cols[name] = size
        cols["title"] = max(10, width - sum(cols.values()) - 1)
        return cols

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"paper-list--{name}", partial=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width)
        index = round(self.scroll_offset.y) + y - 1
        if index >= len(self._ids) or self._row is None:
            if index == 0 and not self._ids:
                text = set_cell_size(f" {self.empty_message}", width)
                return Strip([Segment(text, base + self._style("dim"))], width)
            return Strip.blank(width, base)
        row = self._row(self._ids[index])
        if index == self.cursor:
            base = base + self._style("cursor")
        cols = self._columns(width)
        dim = self._style("dim")
        segments = [
            Segment(" " + GLYPHS.get(row.status, "?"), self._style(row.status)),
            Segment(set_cell_size(f"{row.queue:>3} " if row.queue else "    ", cols["queue"]),
                    self._style("queue")),
            Segment(set_cell_size(" " + row.title, cols["title"]), Style()),
        ]
        if cols["author"]:
            segments.append(Segment(set_cell_size(" " + row.first_author, cols["author"]), dim))
        segments.append(Segment(set_cell_size(" " + row.year, cols["year"]), dim))
        if cols["cat"]:
            segments.append(Segment(set_cell_size(" " + row.category, cols["cat"]), dim))
        if cols["code"]:
            segments.append(Segment(set_cell_size(" code" if row.code else "", cols["code"]),
                                    self._style("code")))
        if cols["tags"]:
            segments.append(Segment(set_cell_size(" " + row.tags, cols["tags"]),
                                    self._style("tags")))
        if index == self.cursor and self.app.native_ansi_color:
            # The terminal's own green or yellow on its blue cursor row can read
            # at 1.7:1: with the ANSI themes the cursor's colour goes over each column's.
            cursor = self._style("cursor")
            segments = [Segment(text, base + style + cursor) for text, style, _ in segments]
        else:
            segments = [Segment(text, base + style) for text, style, _ in segments]
        return Strip(segments).adjust_cell_length(width, base)

    def _header(self, width: int) -> Strip:
        cols = self._columns(width)
        arrow = "▲" if self.reverse else "▼"
        sorted_col = SORT_COLUMN.get(self.sort_key)

        def label(name: str, text: str) -> str:
            return f"{text}{arrow}" if sorted_col == name else text

        parts = [
            set_cell_size("S▼" if sorted_col == "status" else " S", cols["status"]),
            set_cell_size("  Q ", cols["queue"]),
            set_cell_size(" " + label("title", "Title"), cols["title"]),
        ]
        if cols["author"]:
            parts.append(set_cell_size(" " + label("author", "First author"), cols["author"]))
        parts.append(set_cell_size(" " + label("year", "Year"), cols["year"]))
        if cols["cat"]:
            parts.append(set_cell_size(" Cat", cols["cat"]))
        if cols["code"]:
            parts.append(set_cell_size(" Code", cols["code"]))
        if cols["tags"]:
            parts.append(set_cell_size(" Tags", cols["tags"]))
        text = "".join(parts)
        if self.sort_key == "score":
            text = text.rstrip() + "   (by score ▼)"
        style = self.rich_style + self._style("header")
        return Strip([Segment(set_cell_size(text, width), style)], width)

    def header_text(self) -> str:  # for tests
        return "".join(seg.text for seg in self._header(self.size.width or 100))


def row_text(strip: Strip) -> str:
    return "".join(seg.text for seg in strip)


__all__ = ["PaperList", "GLYPHS", "cell_len", "row_text"]
