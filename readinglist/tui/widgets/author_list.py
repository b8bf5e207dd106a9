"""The people in the library: a filter box over a list, and the highlighted
person's profile. Type to filter (fuzzy); enter chooses the person, which filters
the papers to theirs. Names are shown literally (``Content``, never markup)."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from readinglist.text import clean, clean_line
from readinglist.tui.widgets import SentBy

ALL = "__all__"
SHOWN_LIMIT = 400  # more people than this: type to narrow


class AuthorEntry(tuple):
    """(author id, name, papers, read): what the list needs per person."""

    __slots__ = ()

    def __new__(cls, author_id: str, name: str, papers: int, read: int) -> AuthorEntry:
        return super().__new__(cls, (author_id, name, papers, read))


class FilterInput(Input):
    """The filter box; up/down/enter drive the list below it."""

    BINDINGS = [
        Binding("down", "list_move(1)", "Next", show=False, id="authors.down",
                tooltip="Highlight the next person"),
        Binding("up", "list_move(-1)", "Previous", show=False, id="authors.up",
                tooltip="Highlight the previous person"),
        Binding("enter", "list_choose", "Show papers", id="authors.choose",
                tooltip="Show the highlighted person's papers"),
        Binding("escape", "clear", "Clear", id="authors.clear",
                tooltip="Clear the filter and show every paper"),
    ]

    def _on_paste(self, event: events.Paste) -> None:
        """Pasted text arrives without control characters (an input draws what it
        holds as it is: an ESC in it would reach the terminal)."""
        event.prevent_default()  # Input's own handler runs below, on the cleaned text
        event.stop()
        super()._on_paste(events.Paste(clean(event.text)))

    def _list(self) -> OptionList:
        return self.parent.query_one(OptionList)  # type: ignore[union-attr]

    def action_list_move(self, delta: int) -> None:
        options = self._list()
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -delta
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_list_choose(self) -> None:
        self._list().action_select()

    def action_clear(self) -> None:
        self.value = ""
        self.parent.choose(None)  # type: ignore[union-attr]


class AuthorList(Vertical):
    """Filter box, people, and the highlighted person's profile."""

    class AuthorSelected(SentBy):
        """A person was chosen (``author_id`` None: everyone)."""

        def __init__(self, author_list: AuthorList, author_id: str | None) -> None:
            super().__init__(author_list)
            self.author_id = author_id

    class AuthorHighlighted(SentBy):
        """The cursor moved to another person (``author_id`` None: everyone)."""

        def __init__(self, author_list: AuthorList, author_id: str | None) -> None:
            super().__init__(author_list)
            self.author_id = author_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[AuthorEntry] = []
        self._names: list[str] = []
        self.selected: str | None = None

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="filter people…", id="author-filter")
        options = OptionList(id="author-options")
        options.can_focus = False
        yield options
        yield Static(id="author-profile", markup=False)

    # -- attributes down --------------------------------------------------------------

    def set_authors(self, entries: list[AuthorEntry]) -> None:
        self._entries = entries
        self._names = [clean_line(e[1]) for e in entries]
        self._fill()

    def set_profile(self, content: Content) -> None:
        self.query_one("#author-profile", Static).update(content)

    def choose(self, author_id: str | None) -> None:
        """Select ``author_id`` (from outside, e.g. a jump from the detail pane)."""
        self.selected = author_id
        if author_id is not None:
            filt = self.query_one(FilterInput)
            if not any(e[0] == author_id for e in self._shown):
                with filt.prevent(Input.Changed):
                    filt.value = ""
                self._fill()
        self._highlight(author_id or ALL)
        self.post_message(self.AuthorSelected(self, author_id))

    # -- filling ------------------------------------------------------------------------

    def _fill(self) -> None:
        text = self.query_one(FilterInput).value.strip()
        entries = self._entries
        if text:
            found = process.extract(
                text, self._names, scorer=fuzz.WRatio, processor=utils.default_process,
                score_cutoff=60, limit=SHOWN_LIMIT,
            )
            shown = [entries[i] for _, _, i in found]
        else:
            shown = entries[:SHOWN_LIMIT]
        self._shown = shown
        options = self.query_one(OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        mark = "▸" if self.selected is None else " "
        # ANSI themes resolve $text-muted to the default colour, which would sit on
        # the blue cursor row as black on a light terminal: dim follows the row
        muted = "dim" if self.app.native_ansi_color else "$text-muted"
        items = [Option(Content.assemble(mark, (str(len(entries)).rjust(3, "\u2007") + " ", muted),
                                         ("All people", "bold")), id=ALL)]
        for author_id, name, papers, read in shown:
            mark = "▸" if author_id == self.selected else " "
            items.append(Option(Content.assemble(
                mark, (str(papers).rjust(3, "\u2007") + " ", muted), clean_line(name),
                (f" ✓{read}" if read else "", "$text-success"),
            ), id=author_id))
        if not text and len(entries) > SHOWN_LIMIT:
            items.append(Option(Content(f"… {len(entries) - SHOWN_LIMIT} more: type to filter"),
                                disabled=True))
        options.set_options(items)
        self._highlight(highlighted if highlighted and text == "" else
                        (shown[0][0] if text and shown else (self.selected or ALL)))

    def _highlight(self, option_id: str) -> None:
        options = self.query_one(OptionList)
        try:
            options.highlighted = options.get_option_index(option_id)
        except Exception:
            options.highlighted = 0 if options.option_count else None

    @on(Input.Changed, "#author-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill()

    @on(Input.Submitted, "#author-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    @on(OptionList.OptionHighlighted, "#author-options")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        option_id = event.option.id
        self.post_message(self.AuthorHighlighted(self, None if option_id == ALL else option_id))

    @on(OptionList.OptionSelected, "#author-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        self.selected = None if option_id == ALL else option_id
        self._fill()
        self.post_message(self.AuthorSelected(self, self.selected))
