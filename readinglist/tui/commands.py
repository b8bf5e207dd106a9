"""The command palette: every action of the app, found by fuzzy name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (name, action run on the main screen, help). Views, paper actions, sorting, app.
COMMANDS: list[tuple[str, str, str]] = [
    ("Library view", "view('library')", "Show every paper"),
    ("Queue view", "view('queue')", "Show the reading queue in order"),
    ("Tags view", "view('tags')", "Show every tag with its count"),
    ("Search", "search", "Search papers (fuzzy, with field filters)"),
    ("Cycle status", "cycle_status", "unread → reading → read"),
    ("Edit tags", "edit_tags", "Edit the selected paper's tags"),
    ("Add to / remove from queue", "toggle_queue", "Toggle the selected paper in the queue"),
    ("Move up the queue", "queue_shift(-1)", "Move the selected paper one place up"),
    ("Move down the queue", "queue_shift(1)", "Move the selected paper one place down"),
    ("Edit note", "edit_note", "Write the selected paper's note in Markdown"),
    ("Copy citation (BibTeX)", "copy_citation", "Copy the selected paper's citation"),
    ("Copy citation as…", "copy_citation_as", "Pick a citation style and copy"),
    ("Undo", "undo", "Undo the last change"),
    ("Sort: next order", "cycle_sort", "date, title, first author, status, score"),
    ("Sort: reverse", "reverse_sort", "Reverse the sort order"),
    ("Help: keys", "app.help", "Show every key"),
    ("Quit", "app.quit", "Leave readinglist"),
]


class ReadingListCommands(Provider):
    """Commands for the main screen's actions."""

    def _target(self):
        from readinglist.tui.screens.main import MainScreen

        screens = [s for s in self.app.screen_stack if isinstance(s, MainScreen)]
        return screens[-1] if screens else None

    def _run(self, action: str) -> None:
        screen = self._target()
        if action.startswith("app."):
            self.app.call_later(self.app.run_action, action[4:])
        elif screen is not None:
            self.app.call_later(screen.run_action, action)

    async def discover(self) -> Hits:
        for name, action, help_text in COMMANDS:
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=help_text)
