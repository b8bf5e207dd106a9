"""The hostile corpus through every widget that shows data, headless.

The library: the checked-in hostile listings imported by the real parsers, plus
records written straight into the store with their escapes still in them (a
library from an older version or another tool: the widgets must not rely on the
importer having cleaned), hostile notes (kept byte for byte) and hostile tags,
and one paper with a 10 MB abstract and 3,000 authors.

For each paper and each screen: no crash; the text a widget holds equals the
input with only control characters removed (and bidi overrides), written out
by hand in ``hostile_corpus``; no control character is in anything drawn; and
a click on text that looks like an action (``[@click=app.quit]``) runs nothing.
"""

from __future__ import annotations

import re
import shutil
import unicodedata

import pytest
from textual import events
from textual.command import CommandPalette
from textual.widgets import Input, Markdown, OptionList, Static, TextArea
from textual.widgets._toast import Toast

import hostile_corpus as hc
from readinglist.store import Store
from readinglist.tui.app import make_app
from readinglist.tui.screens.help import HelpScreen
from readinglist.tui.screens.main import MainScreen
from readinglist.tui.screens.note_editor import NoteEditor
from readinglist.tui.screens.stats import StatsScreen
from readinglist.tui.screens.style_picker import StylePicker
from readinglist.tui.screens.tag_prompt import TagPrompt
from readinglist.tui.widgets.author_list import AuthorList, FilterInput
from readinglist.tui.widgets.detail import SHOWN_LIMIT, DetailPane
from readinglist.tui.widgets.paper_list import PaperList, row_text
from readinglist.tui.widgets.tag_list import TagList
from tui_helpers import fixed_clock, run_async

# What must never be drawn: C0 but tab/newline, DEL, C1, bidi overrides and isolates.
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# title shown -> (authors shown, abstract shown, affiliation shown)
LISTED = {e.title: e for c in hc.small_cases() if c.parses for e in c.papers if e.title}


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-library")
    store = Store(folder / "library.json", clock=fixed_clock)
    hc.build_library(store, big=True)
    store.close()
    return folder


@pytest.fixture
def hostile(hostile_folder, tmp_path):
    for item in hostile_folder.iterdir():
        if item.is_file() and not item.name.endswith(".lock"):
            shutil.copy2(item, tmp_path / item.name)
    store = Store(tmp_path / "library.json", clock=fixed_clock)
    return store, make_app(store)


def drawn(app) -> list[str]:
    """Every line the terminal would show, as text; and no control character in any."""
    lines = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            assert not CONTROLS.search(segment.text), repr(segment.text)
            # The app's own keys and tabs use bindings, not @click; the only
            # action allowed on screen is a Markdown link in the note, which the
            # detail pane answers by showing the address. Anything else came
            # from parsed markup.
            action = (segment.style.meta if segment.style else {}).get("@click")
            assert action is None or action.startswith("link("), segment
        lines.append("".join(segment.text for segment in strip))
    return lines


def plain(widget: Static) -> str:
    return str(widget.render())


async def notices(app, pilot) -> list[str]:
    """The text of the notices on screen, once one is: a notice is mounted a
    moment after it is raised."""
    toasts: list[str] = []
    for _ in range(20):
        toasts = [str(t.render()) for t in app.screen.query(Toast)]
        if toasts:
            break
        await pilot.pause(0.05)
    return toasts


def main_of(app) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def files_of(store: Store) -> dict[str, bytes]:
    folder = store.path.parent
    return {p.name: p.read_bytes() for p in folder.glob("*.json")}


@run_async
async def test_every_paper_in_the_list_and_the_detail_is_shown_cleaned(hostile):
    store, app = hostile
    async with app.run_test(size=(200, 60), notifications=True) as pilot:
        await pilot.pause()
        main = main_of(app)
        papers = main.query_one(PaperList)
        detail = main.query_one(DetailPane)
        seen = set()
        for index, paper_id in enumerate(list(papers.paper_ids)):
            papers.cursor = index
            await pilot.pause()
            drawn(app)
            paper = store.paper(paper_id)
            title = plain(detail.query_one("#detail-title"))
            abstract = plain(detail.query_one("#detail-abstract"))
            people = detail.query_one("#detail-authors", OptionList)
            names = [str(people.get_option_at_index(i).prompt)[2:]
                     for i in range(people.option_count)]
            row = row_text(papers.render_line(papers.cursor - round(papers.scroll_offset.y) + 1))
            assert title[:40] in row or title[:40].rstrip() in row, (title, row)
            if title == hc.RAW_TITLE_SHOWN:
                seen.add("raw")
                assert names == hc.RAW_AUTHORS_SHOWN
                assert abstract == hc.RAW_ABSTRACT_SHOWN
                meta = plain(detail.query_one("#detail-meta"))
                assert f"Affiliation {hc.RAW_AFFILIATION_SHOWN}\n" in meta
                assert f"Sources  {hc.RAW_SOURCE_SHOWN}:1" in meta
                tags = plain(detail.query_one("#detail-tags"))
                assert tags == "Tags " + "  ".join(f"#{t}" for t in hc.TAGS_SHOWN)
                note = detail.query_one("#detail-note", Markdown)
                assert note.source == hc.NOTES_SHOWN["note_escapes.md"]
                detail.scroll_end(animate=False)
                await pilot.pause()
                text = "\n".join(drawn(app))
                assert "Escapes:" in text and "bidi override; zero" in text  # the note, drawn
                assert store.user(paper_id).note == hc.NOTES["note_escapes.md"]  # kept as given
            elif title == hc.BIG_TITLE:
                seen.add("big")
                assert len(names) == hc.MANY_AUTHORS and names[:2] == hc.many_authors(2)
                shown = hc.long_line(SHOWN_LIMIT).replace("\x1b", "").strip()  # paragraphs as given
                assert abstract == f"{shown} … (the first 20,000 of 10,485,760 characters)"
            elif title in LISTED:
                seen.add(title)
                want = LISTED[title]
                assert names[:len(want.authors)] == want.authors
                assert abstract == want.abstract
            else:  # an abstract dump's record, flagged: its provisional title
                assert paper.needs_review, title
        assert seen >= {"raw", "big", *LISTED}, set(LISTED) - seen


@run_async
async def test_people_tags_notes_and_every_modal_show_hostile_text_cleaned(hostile):
    store, app = hostile
    ids = {p.title: p.id for p in store.papers()}
    raw_id = ids[hc.RAW_TITLE]  # the store keeps what it was given; the widgets clean
    async with app.run_test(size=(200, 60), notifications=True) as pilot:
        await pilot.pause()
        main = main_of(app)
        papers = main.query_one(PaperList)
        assert papers.move_to(raw_id)
        await pilot.pause()

        # people: every name cleaned, the NFC and NFD spellings one person
        authors = main.query_one(AuthorList)
        options = authors.query_one("#author-options", OptionList)
        filt = authors.query_one(FilterInput)
        for name in [*hc.RAW_AUTHORS_SHOWN, hc.NFC_NAME, hc.NFC_NAME_2, hc.NFD_NAME]:
            filt.value = name  # the list shows 400 of the 3,000-odd people: narrow it
            await pilot.pause()
            listed = [str(options.get_option_at_index(i).prompt)
                      for i in range(options.option_count)]
            nfc = unicodedata.normalize("NFC", name)
            assert sum(1 for line in listed if line.endswith(f" {nfc}")) == 1, (name, listed)
            assert not any(hc.NFD_NAME in line for line in listed)
            drawn(app)
        filt.value = "Mallory"
        await pilot.pause()
        drawn(app)
        profile = plain(authors.query_one("#author-profile"))
        assert not CONTROLS.search(profile)

        # the note editor offers the note cleaned, and leaves it as it was
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == hc.NOTES_SHOWN["note_escapes.md"]
        assert plain(app.screen.query_one(".dialog-title")) == f"Note on {hc.RAW_TITLE_SHOWN}"
        drawn(app)
        await pilot.press("escape")
        await pilot.pause()
        assert store.user(raw_id).note == hc.NOTES["note_escapes.md"]

        # the tag prompt: the paper's tags and the known ones, cleaned
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagPrompt)
        assert app.screen.query_one(Input).value == ", ".join(hc.TAGS_SHOWN)
        # most used first (the first two are on two papers), then by name
        known = [hc.TAGS_SHOWN[0], hc.TAGS_SHOWN[1], hc.TAGS_SHOWN[3], hc.TAGS_SHOWN[2]]
        assert plain(app.screen.query_one("#tag-known")) == "Known: " + "  ".join(known)
        drawn(app)
        await pilot.press("escape")
        await pilot.pause()
        assert store.user(raw_id).tags == hc.TAGS  # nothing saved

        # a notice with hostile text: the tags saved through the prompt
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one(Input).value += ", [@click=app.quit]new[/]"
        await pilot.press("enter")
        await pilot.pause()
        toasts = await notices(app, pilot)
        assert any("[@click=app.quit]new[/]" in t for t in toasts), toasts
        assert store.user(raw_id).tags == [*hc.TAGS_SHOWN, "[@click=app.quit]new[/]"]
        drawn(app)

        # the tag list
        await pilot.press("3")
        await pilot.pause()
        tags = main.query_one(TagList)
        shown = [str(tags.get_option_at_index(i).prompt) for i in range(tags.option_count)]
        for tag in hc.TAGS_SHOWN:
            assert any(f"#{tag}  " in line for line in shown), (tag, shown)
        drawn(app)
        await pilot.press("1")

        # help, stats, the citation style picker
        for key, screen in (("question_mark", HelpScreen), ("0", StatsScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen)
            drawn(app)
            await pilot.press("escape")
            await pilot.pause()
        assert papers.move_to(raw_id)
        await pilot.press("Y")
        await pilot.pause()
        assert isinstance(app.screen, StylePicker)
        preview = plain(app.screen.query_one("#style-preview"))
        assert "Raw {]52;c;cmwt" in preview and not CONTROLS.search(preview)
        drawn(app)
        await pilot.press("escape")
        await pilot.pause()

        # the command palette: hostile text typed and pasted as the query
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        app.screen.query_one(Input).value = "[@click=app.quit]"
        await pilot.pause(0.3)
        drawn(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MainScreen)


@run_async
async def test_pasted_escapes_are_dropped_in_the_note_the_tags_and_the_people_filter(hostile):
    store, app = hostile
    pasted = f"pasted {hc.OSC52} and {hc.CSI_CLEAR}text\u202e"
    cleaned = f"pasted {hc.OSC52_SHOWN} and {hc.CSI_CLEAR_SHOWN}text"
    ids = {p.title: p.id for p in store.papers()}
    paper_id = ids[hc.MARKUP_EXPECTED[2].title]
    async with app.run_test(size=(200, 60), notifications=True) as pilot:
        await pilot.pause()
        main = main_of(app)
        filt = main.query_one(FilterInput)
        filt.focus()
        await pilot.pause()
        app.post_message(events.Paste(pasted))  # as a terminal's paste arrives
        await pilot.pause()
        assert filt.value == cleaned
        drawn(app)
        filt.value = ""
        main.query_one(PaperList).focus()
        assert main.query_one(PaperList).move_to(paper_id)
        await pilot.pause()

        await pilot.press("t")
        await pilot.pause()
        field = app.screen.query_one(Input)
        app.post_message(events.Paste(pasted))
        await pilot.pause()
        assert field.value == cleaned
        drawn(app)
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("n")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        app.post_message(events.Paste(pasted))
        await pilot.pause()
        assert area.text == cleaned  # the paper had no note
        drawn(app)
        await pilot.press("escape")
        await pilot.pause()
    assert store.user(paper_id).note == cleaned


@run_async
async def test_a_click_on_text_that_looks_like_an_action_runs_nothing(hostile):
    """Click every ``[@click=...]`` and link on screen: in the paper list,
    the detail (title, people, affiliation, abstract, tags, note), the tag list,
    a notice and the note editor. The app keeps running, on the same screen, no
    browser opens, and the library's files are byte for byte as they were."""
    store, app = hostile
    ids = {p.title: p.id for p in store.papers()}
    raw_id = ids[hc.RAW_TITLE]
    markup_id = ids[hc.MARKUP_EXPECTED[1].title]
    before = files_of(store)
    opened: list = []
    app.open_url = lambda *args, **kwargs: opened.append(args)  # no browser, ever

    async def click_every_action_text(expect_screen) -> int:
        clicks = 0
        for y, line in enumerate(drawn(app)):
            for match in re.finditer(r"\[@click=[a-z.]*\]|https://evil\.example", line):
                # on its action: the cell a parsed [@click] would have made
                # clickable (the structure of every cell is checked by drawn())
                await pilot.click(offset=(match.end() - 3, y))
                clicks += 1
                assert app.is_running
                assert isinstance(app.screen, expect_screen), app.screen
        await pilot.pause()
        return clicks

    async with app.run_test(size=(200, 60), notifications=True) as pilot:
        await pilot.pause()
        main = main_of(app)
        papers = main.query_one(PaperList)
        total = 0
        assert papers.move_to(raw_id)  # in the list, the detail's title, people,
        await pilot.pause()  # affiliation, abstract, other versions, tags and note
        total += await click_every_action_text(MainScreen)
        app.notify("[@click=app.quit]notice[/]", markup=False)
        await pilot.press("3")
        await pilot.pause()
        total += await click_every_action_text(MainScreen)
        await pilot.press("1")
        assert papers.move_to(markup_id)
        await pilot.press("n")
        await pilot.pause()
        total += await click_every_action_text(NoteEditor)
        await pilot.press("escape")
        await pilot.pause()
        assert total >= 12, total
        assert app.is_running
    assert files_of(store) == before
    assert opened == []  # a link in the note shows its address, never opens


@run_async
async def test_a_paste_into_the_search_box_loses_its_escapes(store_path):
    """The app cleans every paste before it reaches the focused widget."""
    from textual import events

    from readinglist.store import Store
    from readinglist.tui.app import make_app

    app = make_app(Store(store_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash")
        app.post_message(events.Paste("liger\x1b]52;c;SGVsbG8=\x07\x9b2J"))
        await pilot.pause()
        value = app.screen.query_one("#search").value
        assert value == "liger]52;c;SGVsbG8=2J" and "\x1b" not in value and "\x9b" not in value


HOSTILE_PRESET = ('[link="x"]evil[/link] \u001b[31mred\u0007 [@click=app.quit]q[/] '
                  '\u202eevil\u202c')
HOSTILE_PRESET_SHOWN = '[link="x"]evil[/link] [31mred [@click=app.quit]q[/] evil'


@run_async
async def test_a_hostile_preset_name_from_settings_is_shown_literally(store, tmp_path):
    """A preset's name comes from settings.toml, which the user may have pasted
    together: it is shown as written, controls removed, in the notice the key
    raises and in the help."""
    from readinglist.settings import load_settings

    path = tmp_path / "settings.toml"
    escaped = HOSTILE_PRESET.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 32 or 0x202a <= ord(c) <= 0x202e else c
                      for c in escaped)
    path.write_text(f'[[presets]]\nkey = "7"\nname = "{escaped}"\nquery = "neural"\n',
                    encoding="utf-8")
    settings = load_settings(path)
    assert [p.name for p in settings.presets if p.key == "7"] == [HOSTILE_PRESET]
    app = make_app(store, settings=settings)
    async with app.run_test(size=(200, 60), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await app.workers.wait_for_complete()
        toasts = await notices(app, pilot)
        assert any(f"{HOSTILE_PRESET_SHOWN}: neural" in t for t in toasts), toasts
        drawn(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = "\n".join(plain(s) for s in app.screen.query(".help-section"))
        assert HOSTILE_PRESET_SHOWN in help_text, help_text
        drawn(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MainScreen)
