"""The main screen's widgets: author list, paper list (Line API), detail pane."""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget


class SentBy(Message):
    """A widget's news for its parents ("messages up"); ``control`` is the
    widget that sent it, so handlers can be scoped with ``@on(..., "#id")``."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self._widget = widget

    @property
    def control(self) -> Widget:
        return self._widget
