"""What the app looks like in a 16-colour terminal, cell by cell.

A 16-colour terminal gets every colour downsampled by Rich to one of 16 palette
numbers (``Color.downgrade``), and the terminal then paints those numbers with
its *own* palette. So readability is measured here the same way: take the
composited screen, downsample each style to the standard colour system, paint it
with a real terminal palette (dark and light backgrounds), apply reverse and dim
as a terminal does, and compute the WCAG contrast of every printed character
against its background. Imported by name (tests/ has no packages).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rich.color import Color, ColorSystem, ColorType
from rich.style import Style

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class TerminalPalette:
    name: str
    foreground: RGB
    background: RGB
    colours: tuple[RGB, ...]  # 0-7 normal, 8-15 bright


_XTERM = ((0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
          (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
          (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255))
# GNOME Terminal / Tango, the default of many Linux desktops
_TANGO = ((0x2E, 0x34, 0x36), (0xCC, 0x00, 0x00), (0x4E, 0x9A, 0x06), (0xC4, 0xA0, 0x00),
          (0x34, 0x65, 0xA4), (0x75, 0x50, 0x7B), (0x06, 0x98, 0x9A), (0xD3, 0xD7, 0xCF),
          (0x55, 0x57, 0x53), (0xEF, 0x29, 0x29), (0x8A, 0xE2, 0x34), (0xFC, 0xE9, 0x4F),
          (0x72, 0x9F, 0xCF), (0xAD, 0x7F, 0xA8), (0x34, 0xE2, 0xE2), (0xEE, 0xEE, 0xEC))
# the Linux console / VGA (also Rich's STANDARD_PALETTE, which it downsamples by)
_VGA = ((0, 0, 0), (170, 0, 0), (0, 170, 0), (170, 85, 0), (0, 0, 170), (170, 0, 170),
        (0, 170, 170), (170, 170, 170), (85, 85, 85), (255, 85, 85), (85, 255, 85),
        (255, 255, 85), (85, 85, 255), (255, 85, 255), (85, 255, 255), (255, 255, 255))

PALETTES = {
    "xterm-dark": TerminalPalette("xterm-dark", (229, 229, 229), (0, 0, 0), _XTERM),
    "xterm-light": TerminalPalette("xterm-light", (0, 0, 0), (255, 255, 255), _XTERM),
    "tango-dark": TerminalPalette("tango-dark", (0xD3, 0xD7, 0xCF), (0x2E, 0x34, 0x36), _TANGO),
    "tango-light": TerminalPalette("tango-light", (0x2E, 0x34, 0x36), (255, 255, 255), _TANGO),
    "vga": TerminalPalette("vga", (170, 170, 170), (0, 0, 0), _VGA),
}


class Cell(NamedTuple):
    x: int
    y: int
    char: str
    style: Style


def screen_cells(app) -> list[list[Cell]]:
    """The screen as the terminal gets it: one list of cells per line, modal
    screens over what they cover (as ``App.export_screenshot`` composes it)."""
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True)
    lines: list[list[Cell]] = []
    for y, strips in enumerate(update.strips):
        row: list[Cell] = []
        for strip in strips:
            for text, style, control in strip:
                if control:
                    continue
                for char in text:
                    row.append(Cell(len(row), y, char, style or Style()))
        lines.append(row)
    return lines


def standard(colour: Color | None) -> int | None:
    """The palette number a 16-colour terminal is sent (None: its default)."""
    if colour is None or colour.type == ColorType.DEFAULT:
        return None
    number = colour.downgrade(ColorSystem.STANDARD).number
    assert number is not None and 0 <= number < 16, colour
    return number


@lru_cache(maxsize=4096)
def painted(style: Style, palette: TerminalPalette) -> tuple[RGB, RGB]:
    """(foreground, background) as ``palette`` paints ``style`` after downsampling."""
    fg_number, bg_number = standard(style.color), standard(style.bgcolor)
    fg = palette.foreground if fg_number is None else palette.colours[fg_number]
    bg = palette.background if bg_number is None else palette.colours[bg_number]
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:  # terminals draw dim text about half way to the background
        fg = tuple((f + b) // 2 for f, b in zip(fg, bg))  # type: ignore[assignment]
    return fg, bg


def _luminance(rgb: RGB) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@lru_cache(maxsize=4096)
def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio, 1 (invisible) to 21 (black on white)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# characters that are decoration, not text: borders, scrollbars, blocks
_DECORATION = set("▁▂▃▄▅▆▇█▉▊▋▌▍▎▏▐▔▕─│┌┐└┘├┤┬┴┼╭╮╯╰━┃═║▀╷╵╶╴ \u2007")


def is_text(char: str) -> bool:
    return char not in _DECORATION and not ("\u2500" <= char <= "\u259f")


class Run(NamedTuple):
    y: int
    x: int
    text: str
    ratio: float


def faint_text(lines: list[list[Cell]], palette: TerminalPalette, minimum: float) -> list[Run]:
    """Runs of printed characters whose contrast with their background is below
    ``minimum`` in ``palette``, with the lowest ratio of each run."""
    runs: list[Run] = []
    for row in lines:
        current: list[Cell] = []
        worst = 99.0

        def flush() -> None:
            nonlocal current, worst
            if current:
                runs.append(Run(current[0].y, current[0].x, "".join(c.char for c in current),
                                round(worst, 2)))
            current, worst = [], 99.0

        for cell in row:
            ratio = contrast(*painted(cell.style, palette)) if is_text(cell.char) else 99.0
            if ratio < minimum or (current and cell.char == " " and _same_colours(cell, current[-1], palette)):
                if ratio < minimum:
                    worst = min(worst, ratio)
                current.append(cell)
            else:
                flush()
        flush()
    return [r._replace(text=r.text.rstrip()) for r in runs if r.text.strip()]


def _same_colours(a: Cell, b: Cell, palette: TerminalPalette) -> bool:
    return painted(a.style, palette) == painted(b.style, palette)


def line_text(lines: list[list[Cell]], y: int) -> str:
    return "".join(c.char for c in lines[y])


def downsampled(style: Style) -> Style:
    """``style`` as a 16-colour terminal gets it: each colour one of 16 numbers."""
    fg, bg = standard(style.color), standard(style.bgcolor)
    return style + Style(color=Color.default() if fg is None else Color.from_ansi(fg),
                         bgcolor=Color.default() if bg is None else Color.from_ansi(bg))


def export_svg(app, palette: TerminalPalette = PALETTES["xterm-dark"],
               title: str | None = None) -> str:
    """An SVG of the screen as a 16-colour terminal with ``palette`` shows it
    (``App.export_screenshot`` always renders in true colour)."""
    import io

    from rich.console import Console
    from rich.terminal_theme import TerminalTheme
    from rich.text import Text

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="standard", record=True, legacy_windows=False,
                      safe_box=False)
    text = Text()
    for y, row in enumerate(screen_cells(app)):
        if y:
            text.append("\n")
        for cell in row:
            text.append(cell.char, downsampled(cell.style))
    console.print(text, crop=True, no_wrap=True, overflow="crop")
    theme = TerminalTheme(palette.background, palette.foreground,
                          list(palette.colours[:8]), list(palette.colours[8:]))
    return console.export_svg(title=title or f"{app.title} · 16 colours · {palette.name}",
                              theme=theme)
