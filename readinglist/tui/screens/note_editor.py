"""Edit a paper's note in a Markdown text area.

Saved as you type (0.5 s after the last key) and when closed, through the
``save`` callback the caller passes in, so closing, quitting or a crash loses at
most the last half second of typing. Dismisses with the final text.

The editor holds the note without control characters (tab and newline kept):
a text area draws what it holds as it is, so an ESC in a note (set with
``readinglist note --set``) or in pasted text would reach the terminal. A note
that is only opened and closed is left byte for byte as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static, TextArea

from readinglist.text import clean, clean_line, clip

SAVE_DELAY = 0.5
TITLE_LIMIT = 300  # characters of the paper's title in the dialog's heading


class NoteArea(TextArea):
    """The note's text area: pasted text arrives without control characters."""

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # TextArea's own handler runs below, on the cleaned text
        await super()._on_paste(events.Paste(clean(event.text)))


class NoteEditor(ModalScreen[str]):
    BINDINGS = [
        Binding("escape", "close", "Save & close", id="note.close", priority=True,
                tooltip="Save the note and close the editor"),
    ]

    def __init__(self, paper_title: str, note: str, save: Callable[[str], bool]) -> None:
        super().__init__()
        self.paper_title = paper_title
        self.note = note
        self.save = save
        self.saved = note
        self._latest = note
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Static(Content.assemble(("Note on ", "bold"),
                                          clean_line(clip(self.paper_title, TITLE_LIMIT))),
                         classes="dialog-title", markup=False)
            yield NoteArea(clean(self.note), language="markdown", soft_wrap=True,
                           tab_behavior="indent", show_line_numbers=False, id="note-text")
            yield Static("", id="note-status", markup=False)
            yield Static("Markdown · saved as you type · escape closes",
                         classes="dialog-help", markup=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        self.set_focus(area)  # now, not after the next turn: keys typed ahead land here
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._latest = event.text_area.text
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_DELAY, self.flush)
        self.query_one("#note-status", Static).update("editing…")

    def flush(self) -> None:
        """Save now if the text changed since the last save."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self._latest
        if text != self.saved and self.save(text):
            self.saved = text
            status = self.query("#note-status")
            if status:
                status.first(Static).update("saved")

    def action_close(self) -> None:
        self.flush()
        self.dismiss(self.saved)

    def on_unmount(self) -> None:
        self.flush()
