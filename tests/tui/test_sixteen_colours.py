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


def reading_list(store) -> None:
    """Read, reading, queued and tagged papers. The first in the default order, where
    the cursor starts, is all of them at once: reading, queued, tagged, with code."""
    papers = sorted(store.papers(), key=lambda p: (p.date or ""), reverse=True)
    assert papers[0].has_code
    store.set_status(papers[0].id, "reading")
    store.set_status(papers[2].id, "read")
    store.set_status(papers[4].id, "read")
    for paper in (papers[0], papers[3], papers[5], papers[6]):
        store.queue_add(paper.id)
    store.set_tags(papers[0].id, ["theory", "neural-collapse"])
    store.set_tags(papers[3].id, ["llm"])
    store.set_note(papers[0].id, "## Why read\n- exact **two-step** dynamics\n- `muP`")


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


# -- every screen readable ----------------------------------------------------------------

MIN_TEXT = 2.0  # WCAG contrast; 1 is invisible. Terminal palettes' own pairs (xterm's
# green on white, 2.2) sit just above, so this catches "on or next to its background"
MIN_PLAIN = 3.0  # text in the terminal's default colour, not dim, needs more


def cursor_row_y(app) -> int | None:
    """The screen line of the paper list's cursor row (None: not on screen)."""
    if not isinstance(app.screen, MainScreen):
        return None
    papers = app.screen.query_one(PaperList)
    return papers.region.y + 1 + papers.cursor - round(papers.scroll_offset.y)


def faint(app, palettes, *, default_fg_only=False, minimum=MIN_TEXT) -> list[str]:
    """Every run of text under ``minimum`` in ``palettes``, but the paper list's
    cursor row (its own tests below) and emoji (the palette's 🔎)."""
    lines = c16.screen_cells(app)
    skip = cursor_row_y(app)
    found = []
    for name in palettes:
        palette = c16.PALETTES[name]
        for run in c16.faint_text(lines, palette, minimum):
            if run.y == skip or run.text in ("🔎",):
                continue
            cells = lines[run.y][run.x:run.x + len(run.text)]
            if default_fg_only and any(c16.standard(c.style.color) is not None or c.style.dim
                                       for c in cells):
                continue
            found.append(f"{app.screen.__class__.__name__} {name} line {run.y}: "
                         f"{run.text!r} {run.ratio}:1")
    return found


async def tour(app, pilot, check) -> None:
    """Every screen once, calling ``check(name)`` on each."""
    main = main_of(app)
    papers = main.query_one(PaperList)

    async def press(*keys):
        await pilot.press(*keys)
        await app.workers.wait_for_complete()
        await pilot.pause()

    async def back_to_papers():
        main.set_focus(papers)
        await pilot.pause()

    check("library, cursor on a reading, queued, tagged paper")
    await press("tab")
    check("detail pane focused")
    await back_to_papers()
    await press("slash", "t", "h")
    check("search typed")
    await press("escape")
    await back_to_papers()
    main.set_focus(main.query_one("#author-filter"))
    await press("down", "down")
    check("people filter focused")
    await back_to_papers()
    await press("2")
    check("queue view")
    await press("3")
    check("tags view, tag list focused")
    await back_to_papers()
    await press("1")
    for keys, name in ((["question_mark"], "help"), (["n"], "note editor"),
                       (["t"], "tag prompt"), (["Y"], "style picker"), (["0"], "stats"),
                       (["ctrl+p"], "command palette")):
        await press(*keys)
        check(name)
        await press("escape")
        await back_to_papers()
    await press("y")
    check("notification")


@pytest.mark.parametrize("theme, palettes, light", [
    ("ansi-dark", DARK, LIGHT),  # light: a light terminal that does not say so (COLORFGBG)
    ("ansi-light", LIGHT, ()),
])
@run_async
async def test_every_screen_is_readable_in_16_colours(store, theme, palettes, light):
    reading_list(store)
    app = make_app(store, settings=Settings(theme=theme))
    problems: list[str] = []

    def check(name: str) -> None:
        problems.extend(f"[{name}] {p}" for p in faint(app, palettes))
        problems.extend(f"[{name}] {p}" for p in faint(app, palettes, default_fg_only=True,
                                                       minimum=MIN_PLAIN))
        # on a light terminal, ansi-dark's accents are the terminal's own green and
        # yellow (xterm's are faint on white); all other text must read
        problems.extend(f"[{name}] {p}" for p in faint(app, light, default_fg_only=True,
                                                       minimum=MIN_PLAIN))

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await tour(app, pilot, check)
    assert not problems, "\n".join(problems)


# -- the cursor row --------------------------------------------------------------------------

THEMES_ON = [("ansi-dark", DARK + LIGHT), ("ansi-light", LIGHT)]


async def cursor_row(store, theme, *, focus_detail=False):
    """(lines, cursor y, app) with the cursor on a reading, queued, tagged paper."""
    reading_list(store)
    app = make_app(store, settings=Settings(theme=theme))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if focus_detail:
            await pilot.press("tab")
            await pilot.pause()
        return c16.screen_cells(app), cursor_row_y(app), app


@pytest.mark.parametrize("theme, palettes", THEMES_ON)
@run_async
async def test_the_cursor_row_stands_out_and_reads(store, theme, palettes):
    lines, y, _ = await cursor_row(store, theme)
    header_y = next(i for i, _ in enumerate(lines) if "First author" in c16.line_text(lines, i))
    start = c16.line_text(lines, header_y).index("Title")
    for name in palettes:
        palette = c16.PALETTES[name]
        row_bg = c16.painted(lines[y][start].style, palette)[1]
        for other in (y - 1, y + 1):  # the rows above and below
            other_bg = c16.painted(lines[other][start].style, palette)[1]
            assert c16.contrast(row_bg, other_bg) >= 1.5, (name, row_bg, other_bg)
        for cell in lines[y][start:start + 25]:  # the title
            assert c16.contrast(*c16.painted(cell.style, palette)) >= 4.5, (name, cell)


@pytest.mark.parametrize("theme, palettes", THEMES_ON)
@run_async
async def test_every_column_of_the_cursor_row_reads(store, theme, palettes):
    lines, y, _ = await cursor_row(store, theme)
    for name in palettes:
        palette = c16.PALETTES[name]
        runs = c16.faint_text([lines[y]], palette, MIN_TEXT)
        assert not runs, (name, runs)


@pytest.mark.parametrize("theme", ["ansi-dark", "ansi-light"])
@run_async
async def test_the_cursor_row_shows_when_the_list_is_not_focused(store, theme):
    lines, y, app = await cursor_row(store, theme, focus_detail=True)
    header_y = next(i for i, _ in enumerate(lines) if "First author" in c16.line_text(lines, i))
    start = c16.line_text(lines, header_y).index("Title")
    cell, below = lines[y][start + 1], lines[y + 1][start + 1]
    assert cell.style.underline or cell.style.bgcolor != below.style.bgcolor
