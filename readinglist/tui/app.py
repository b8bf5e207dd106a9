"""ReadingListApp and ``make_app(store)``: wiring only. The screens do the work."""

from __future__ import annotations

import os

from textual import events
from textual.app import App
from textual.binding import Binding

from readinglist.background import user_active
from readinglist.text import clean, clean_line
from readinglist.settings import Settings, save_theme
from readinglist.tui.commands import ReadingListCommands
from readinglist.tui.screens.main import MainScreen

SIXTEEN_COLOURS = ("standard", "windows")  # Rich's colour systems of 16-colour terminals


class ReadingListApp(App[None]):
    CSS_PATH = "readinglist.tcss"
    TITLE = "readinglist"
    COMMANDS = App.COMMANDS | {ReadingListCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave readinglist"),
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Show every key"),
    ]

    def __init__(self, store, *, keymap: dict[str, str] | None = None,
                 notice: str | None = None, settings: Settings | None = None) -> None:
        super().__init__()
        self.store = store
        self.startup_notice = notice
        self.settings = settings or Settings()
        keys = {**self.settings.keys, **(keymap or {})}
        if keys:
            self.set_keymap(keys)

    def on_mount(self) -> None:
        if not self.is_headless:
            self._exit_on_signals()
        problems = list(self.settings.problems)
        theme = self.settings.theme
        if theme and theme not in self.available_themes:
            problems.append(f"theme {theme!r} is not a known theme")
            theme = None
        if self.sixteen_colours():
            theme = self.terminal_palette_theme(theme)
        # a theme chosen here, not by the user, is never written to the settings
        self._automatic_theme = theme if theme != self.settings.theme else None
        if theme:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(MainScreen(self.store, self.settings))
        if self.startup_notice:
            self.notify(self.startup_notice, title="Library", markup=False, timeout=8)
        for problem in problems:
            self.notify(problem, title="Settings", severity="warning", markup=False, timeout=10)

    def sixteen_colours(self) -> bool:
        """Is this a real terminal with 16 colours (``TERM=xterm`` or ``screen`` without
        ``COLORTERM``, the Linux console, or ``TEXTUAL_COLOR_SYSTEM=standard``)?"""
        return not self.is_headless and self.console.color_system in SIXTEEN_COLOURS

    def terminal_palette_theme(self, configured: str | None) -> str:
        """The theme for a 16-colour terminal. A full-colour theme squeezed into 16
        colours lands text on or next to its background (muted text, the cursor row,
        footer keys), so use the terminal's own palette, the one its owner made
        readable: ``ansi-light`` for a light theme or a light terminal
        (``COLORFGBG``), else ``ansi-dark``. The settings keep the configured theme."""
        if configured:
            theme = self.get_theme(configured)
            if theme is not None and theme.ansi:
                return configured
            return "ansi-dark" if theme is None or theme.dark else "ansi-light"
        background = os.environ.get("COLORFGBG", "").rpartition(";")[2]
        return "ansi-light" if background in ("7", "15") else "ansi-dark"

    async def on_event(self, event: events.Event) -> None:
        # Background loading and indexing wait while the user types or clicks.
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown,
                              events.MouseScrollUp)):
            user_active()
        if isinstance(event, events.Paste) and not event.is_forwarded:
            # A paste goes to whatever has focus, the search box and the command
            # palette included: escapes in it must not reach the terminal.
            cleaned = clean(event.text)
            if cleaned != event.text:
                event = events.Paste(cleaned)
        await super().on_event(event)

    def _exit_on_signals(self) -> None:
        """SIGTERM, SIGHUP (the terminal closed) and SIGINT end the app the way
        ``q`` does: the note being typed is saved, the terminal restored."""
        import asyncio
        import signal

        try:
            loop = asyncio.get_running_loop()
            for name in ("SIGTERM", "SIGHUP", "SIGINT"):
                if hasattr(signal, name):
                    loop.add_signal_handler(getattr(signal, name), self.exit)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # Windows, or not the main thread (tests): the defaults stay

    def _remember_theme(self, theme) -> None:
        """A theme chosen in the palette is written to the settings file."""
        if self._automatic_theme is not None and theme.name == self._automatic_theme:
            self._automatic_theme = None  # the start-up choice, not the user's
            return
        if self.settings.path is None or theme.name == self.settings.theme:
            return
        try:
            save_theme(self.settings.path, theme.name)
        except OSError as exc:
            self.notify(f"Theme not saved to {self.settings.path}: {exc.strerror}",
                        severity="warning", markup=False)
            return
        self.settings.theme = theme.name

    def keep_clipboard(self, text: str) -> None:
        """Keep ``text`` as the app's clipboard, whichever route the copy takes."""
        self._clipboard = text

    def action_help(self) -> None:
        from readinglist.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self):
        """Every binding, as the keymap has it now, grouped by where it applies."""
        from readinglist.tui.screens.main import SearchInput
        from readinglist.tui.widgets.author_list import FilterInput
        from readinglist.tui.widgets.detail import DetailPane
        from readinglist.tui.widgets.paper_list import PaperList
        from readinglist.tui.widgets.tag_list import TagList

        screens = [s for s in self.screen_stack if isinstance(s, MainScreen)]
        main = screens[-1] if screens else None

        def rows(node):
            seen, out = set(), []
            for key, bindings in node._bindings.key_to_bindings.items():
                for binding in bindings:
                    if binding.id is None or binding.id in seen:
                        continue
                    seen.add(binding.id)
                    keys = [self.get_key_display(b) for k, bs in
                            node._bindings.key_to_bindings.items() for b in bs
                            if b.id == binding.id]
                    out.append((" ".join(dict.fromkeys(keys)), binding.description,
                                binding.tooltip))
            return out

        sections = [("Everywhere", rows(self) + [
            ("tab shift+tab", "Next/previous pane", "Cycle the panes"),
            ("ctrl+p", "Commands", "Every action, by name")])]
        if main is not None:
            sections.append(("Papers and detail", rows(main)))
            # settings.toml's [[presets]], as written there (controls removed)
            sections.append(("Preset views", [(p.key, clean_line(p.name), clean_line(p.query))
                                              for p in main.settings.presets]))
            for title, kind in (("Paper list", PaperList), ("Detail pane", DetailPane),
                                ("Search box", SearchInput), ("People filter", FilterInput),
                                ("Tag list", TagList)):
                nodes = list(main.query(kind))
                if nodes and (found := rows(nodes[0])):
                    sections.append((title, found))
        return sections


def make_app(store, *, keymap: dict[str, str] | None = None, notice: str | None = None,
             settings: Settings | None = None) -> ReadingListApp:
    """The app on ``store``: used by the CLI and by the tests. ``notice`` is shown
    once at start (the CLI says so when it imported the bundled seeds);
    ``settings`` gives keys, theme, sort, citation style and presets."""
    return ReadingListApp(store, keymap=keymap, notice=notice, settings=settings)
