"""Every tag with its count; choosing one filters the papers to it."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from readinglist.text import clean_line
from readinglist.tui.widgets import SentBy

ALL = "__all__"


class TagList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tags.down",
                tooltip="Highlight the next tag"),
        Binding("k", "cursor_up", "Up", show=False, id="tags.up",
                tooltip="Highlight the previous tag"),
        Binding("g", "first", "Top", show=False, id="tags.top", tooltip="First tag"),
        Binding("G", "last", "Bottom", show=False, id="tags.bottom", tooltip="Last tag"),
    ]

    class TagSelected(SentBy):
        """A tag was chosen (``tag`` None: papers with any tag or none)."""

        def __init__(self, tag_list: TagList, tag: str | None) -> None:
            super().__init__(tag_list)
            self.tag = tag

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.selected: str | None = None
        self._tags: list[str] = []

    def set_tags(self, counts: list[tuple[str, int]]) -> None:
        current = self.highlighted_option.id if self.highlighted_option else None
        self._tags = [tag for tag, _ in counts]
        items = [Option(Content.assemble(("All papers", "bold")), id=ALL)]
        # ANSI themes resolve $text-muted to the default colour, which would sit on
        # the blue cursor row as black on a light terminal: dim follows the row
        muted = "dim" if self.app.native_ansi_color else "$text-muted"
        for index, (tag, count) in enumerate(counts):
            mark = "▸ " if tag == self.selected else "\u2007 "
            items.append(Option(Content.assemble(mark, "#", clean_line(tag),
                                                 (f"  {count}", muted)),
                                id=f"tag-{index}"))
        if not counts:
            items.append(Option(Content("No tags yet: press t on a paper"), disabled=True))
        self.set_options(items)
        try:
            self.highlighted = self.get_option_index(current) if current else 0
        except Exception:
            self.highlighted = 0

    def tag_of(self, option_id: str | None) -> str | None:
        if option_id and option_id.startswith("tag-"):
            return self._tags[int(option_id[4:])]
        return None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.selected = self.tag_of(event.option.id)
        self.post_message(self.TagSelected(self, self.selected))
