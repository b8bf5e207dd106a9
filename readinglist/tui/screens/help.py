"""Every key, grouped by where it applies, as the keymap has them now."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HelpSection = tuple[str, list[tuple[str, str, str]]]  # (title, [(keys, description, tooltip)])

QUERY_HELP = (
    "Search: words match title, authors, abstract, tags and notes (typos forgiven).\n"
    "Filters: tag:theory status:unread author:kothapalli cat:LG year:>=2024 "
    "year:2020..2022 code:yes queue:yes review:yes"
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close",
                tooltip="Close the help"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down", tooltip="Scroll"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up", tooltip="Scroll"),
    ]

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static("readinglist · keys", classes="dialog-title", markup=False)
            with VerticalScroll(id="help-body"):
                for title, rows in self.sections:
                    parts: list[Content | str | tuple[str, str]] = [(title, "bold $accent")]
                    for keys, description, tooltip in rows:
                        parts += ["\n", (f"  {keys:<15}", "bold"), f"{description:<20}",
                                  (tooltip, "$text-muted")]
                    yield Static(Content.assemble(*parts), classes="help-section", markup=False)
                yield Static(Content(QUERY_HELP), classes="help-section", markup=False)
            yield Static("escape closes · keys can be remapped by binding id", classes="dialog-help",
                         markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, delta: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(y=delta, animate=False)
