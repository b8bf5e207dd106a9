"""A small prompt to edit a paper's tags: comma or space separated, existing
tags offered as you type. Dismisses with the new list, or None on escape.

Tags are shown, offered and pasted without control characters: an input draws
what it holds as it is, so an ESC in a tag (``readinglist tag ID $'\\e[2J'``)
would reach the terminal. Saving such a tag in the prompt saves it cleaned."""

from __future__ import annotations

import re

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from readinglist.text import clean, clean_line, clip

_SPLIT = re.compile(r"[,\s]+")
TITLE_LIMIT = 300  # characters of the paper's title in the dialog's heading


class TagInput(Input):
    """The tags' input: pasted text arrives without control characters."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own handler runs below, on the cleaned text
        event.stop()
        super()._on_paste(events.Paste(clean(event.text)))


def parse_tags(text: str) -> list[str]:
    """``"theory, llm  theory"`` -> ``["theory", "llm"]`` (order kept, no repeats)."""
    return list(dict.fromkeys(t.lstrip("#") for t in _SPLIT.split(text) if t.lstrip("#")))


class TagSuggester(Suggester):
    """Completes the word being typed from the known tags."""

    def __init__(self, known: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = known

    async def get_suggestion(self, value: str) -> str | None:
        match = re.search(r"[^,\s]*$", value)
        word = match.group(0) if match else ""
        if not word:
            return None
        typed = set(parse_tags(value[: len(value) - len(word)]))
        for tag in self.known:
            if tag.casefold().startswith(word.casefold()) and tag != word and tag not in typed:
                return value[: len(value) - len(word)] + tag
        return None


class TagPrompt(ModalScreen[list[str] | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="tags.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, paper_title: str, tags: list[str], known: list[str]) -> None:
        super().__init__()
        self.paper_title = paper_title
        self.tags = [tag for tag in (clean_line(t) for t in tags) if tag]
        self.known = list(dict.fromkeys(tag for tag in (clean_line(t) for t in known) if tag))

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog", classes="dialog"):
            yield Static(Content.assemble(("Tags of ", "bold"),
                                          clean_line(clip(self.paper_title, TITLE_LIMIT))),
                         classes="dialog-title", markup=False)
            yield TagInput(", ".join(self.tags), placeholder="theory, to-read …",
                           suggester=TagSuggester(self.known), id="tag-input")
            known = "  ".join(self.known[:30]) or "none yet"
            yield Static(Content.assemble(("Known: ", "$text-muted"), known), id="tag-known",
                         markup=False)
            yield Static(Content("enter save · escape cancel · → accept a suggestion · "
                                 "commas or spaces separate tags"),
                         classes="dialog-help", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(parse_tags(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
