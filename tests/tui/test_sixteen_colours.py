"""A 16-colour terminal (``TERM=xterm`` or ``screen`` without ``COLORTERM``, the
Linux console): the app starts with the terminal's own palette and every screen
stays readable there, on dark and on light terminal backgrounds.

The screens are measured as such a terminal shows them (``colours16``): styles
downsampled to the 16 colour numbers, painted with real terminal palettes.
"""

from __future__ import annotations

import pytest

import colours16 as c16
from readinglist.settings import Settings, load_settings
from readinglist.tui.app import ReadingListApp, make_app
from readinglist.tui.screens.main import MainScreen
from readinglist.tui.widgets.paper_list import PaperList

from tui_helpers import run_async

SIZE = (120, 36)
DARK = ("xterm-dark", "tango-dark", "vga")
LIGHT = ("xterm-light", "tango-light")


@pytest.fixture
def sixteen_colours(monkeypatch):
    """The app believes it runs in a real 16-colour terminal (tests run headless)."""
    monkeypatch.setattr(ReadingListApp, "sixteen_colours", lambda self: True)
    monkeypatch.delenv("COLORFGBG", raising=False)


def reading_list(store) -> str:
    """Read, reading, queued and tagged papers; returns the one that is all of
    reading, queued and tagged (second in the default order)."""
    papers = sorted(store.papers(), key=lambda p: (p.date or ""), reverse=True)
    store.set_status(papers[1].id, "reading")
    store.set_status(papers[2].id, "read")
    store.set_status(papers[4].id, "read")
    for paper in (papers[1], papers[3], papers[5], papers[6]):
        store.queue_add(paper.id)
    store.set_tags(papers[0].id, ["theory", "neural-collapse"])
    store.set_tags(papers[1].id, ["llm"])
    store.set_note(papers[0].id, "## Why read\n- exact **two-step** dynamics\n- `muP`")
    return papers[1].id


def main_of(app) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


# -- which theme ------------------------------------------------------------------------


@pytest.mark.parametrize("configured, colorfgbg, expected", [
    (None, None, "ansi-dark"),
    (None, "0;15", "ansi-light"),        # the terminal says: black on white
    (None, "15;default;0", "ansi-dark"),
    ("textual-light", None, "ansi-light"),  # a light theme stays light
    ("nord", None, "ansi-dark"),
    ("ansi-light", None, "ansi-light"),
])
@run_async
async def test_a_16_colour_terminal_starts_with_its_own_palette(
        store, tmp_path, monkeypatch, sixteen_colours, configured, colorfgbg, expected):
    if colorfgbg:
        monkeypatch.setenv("COLORFGBG", colorfgbg)
    path = tmp_path / "settings.toml"
    text = "# mine\n" + (f'theme = "{configured}"\n' if configured else "")
    path.write_text(text, encoding="utf-8")
    app = make_app(store, settings=load_settings(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == expected
        assert app.native_ansi_color
        await pilot.pause()
    # the automatic choice is not written over the user's setting
    assert path.read_text(encoding="utf-8") == text


@run_async
async def test_a_theme_picked_in_a_16_colour_terminal_is_still_remembered(
        store, tmp_path, sixteen_colours):
    path = tmp_path / "settings.toml"
    path.write_text('theme = "nord"\n', encoding="utf-8")
    app = make_app(store, settings=load_settings(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "ansi-dark"
        app.theme = "ansi-light"
        await pilot.pause()
    assert load_settings(path).theme == "ansi-light"


@run_async
async def test_a_full_colour_terminal_keeps_the_default_theme(store):
    app = make_app(store, settings=Settings())
    async with app.run_test(size=SIZE) as pilot:  # headless: never "16 colours"
        await pilot.pause()
        assert not app.sixteen_colours()
        assert app.theme == "textual-dark"
