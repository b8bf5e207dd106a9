"""Pick a citation style with a live preview. Dismisses with the style id or None."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from readinglist.text import clean, clip

PREVIEW_LIMIT = 20_000  # characters of a citation laid out (a 10 MB title is cut)


class StylePicker(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="style.cancel", tooltip="Close without copying"),
        Binding("j", "move(1)", "Down", show=False, id="style.down", tooltip="Next style"),
        Binding("k", "move(-1)", "Up", show=False, id="style.up", tooltip="Previous style"),
    ]

    def __init__(self, styles: dict[str, str], preview: Callable[[str], str],
                 current: str | None = None) -> None:
        super().__init__()
        self.style_labels = styles
        self.preview = preview
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="style-dialog", classes="dialog"):
            yield Static("Copy the citation as…", classes="dialog-title", markup=False)
            with Horizontal(id="style-body"):
                yield OptionList(*[Option(Content(label), id=style)
                                   for style, label in self.style_labels.items()], id="style-options")
                with VerticalScroll(id="style-preview-scroll"):
                    yield Static(id="style-preview", markup=False)
            yield Static("enter copy · escape cancel", classes="dialog-help", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = list(self.style_labels)
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        self.set_focus(options)  # now, not after the next turn: keys typed ahead land here
        self._show(ids[options.highlighted or 0] if ids else None)

    def _show(self, style: str | None) -> None:
        preview = self.query_one("#style-preview", Static)
        if style is None:
            preview.update("")
            return
        try:
            text = self.preview(style)
        except Exception as exc:  # a style that fails shows why, the picker stays
            text = f"(this style failed: {exc})"
        preview.update(Content(clean(clip(text, PREVIEW_LIMIT))))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if delta > 0 else options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
