"""Hostile text is shown literally and does nothing; the modal screens work on
their own, on a throwaway host app."""

from __future__ import annotations

from textual.app import App

from readinglist.models import FORMAT_COMPACT, ParsedListing, ParsedPaper, Source
from readinglist.tui.screens.help import HelpScreen
from readinglist.tui.screens.main import MainScreen
from readinglist.tui.screens.note_editor import NoteEditor
from readinglist.tui.screens.style_picker import StylePicker
from readinglist.tui.screens.tag_prompt import TagPrompt, TagSuggester, parse_tags
from readinglist.tui.widgets.detail import DetailPane
from readinglist.tui.widgets.paper_list import PaperList
from tui_helpers import run_async

HOSTILE_TITLE = "[/] [link=http://x]click[/link] [@click=app.quit]q[/]"
HOSTILE_ABSTRACT = "Before \x1b]52;c;SGVsbG8=\x07 after [bold]not bold[/bold] [@click=app.quit]x[/]"


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join(
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()
    )


@run_async
async def test_hostile_title_and_abstract_are_literal_and_harmless(app, store):
    store.import_listing(ParsedListing(
        name="hostile.txt", format=FORMAT_COMPACT,
        papers=[ParsedPaper(source=Source("hostile.txt", 1, FORMAT_COMPACT), title=HOSTILE_TITLE,
                            authors=["[b]Mallory[/b]"], date="2027-01-01",
                            abstract=HOSTILE_ABSTRACT)],
    ))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
        papers = main.query_one(PaperList)
        pid = papers.current_id  # newest first: the hostile paper
        assert store.paper(pid).title == HOSTILE_TITLE
        shown = screen_text(app)
        assert "[/] [link=http://x]click" in shown  # the list and the detail, literally
        assert "[@click=app.quit]" in shown
        assert "[b]Mallory[/b]" in shown
        assert "[bold]not" in shown and "bold[/bold]" in shown  # may wrap between the words
        assert "\x1b" not in shown and "\x07" not in shown
        # clicking every part of the title row does nothing but select
        for x in (8, 12, 16, 24, 30):
            await pilot.click(PaperList, offset=(x, 1))
        detail = main.query_one(DetailPane)
        for x in (0, 5, 12, 20, 26):
            await pilot.click("#detail-title", offset=(x, 0))
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, MainScreen)
        # tags and notes with markup are literal too
        await pilot.press("t", *"[red]x[/red]", "enter")
        await pilot.press("n", *"[@click=app.quit]note[/]", "escape")
        await pilot.pause()
        assert "#[red]x[/red]" in screen_text(app)
        assert app.is_running and detail.paper_id == pid


class Host(App):
    """A throwaway app to hold one modal screen."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.modal = screen
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)


@run_async
async def test_tag_prompt_returns_tags_or_none():
    host = Host(TagPrompt("A [b]paper[/b]", ["theory"], ["theory", "transformers", "llm"]))
    async with host.run_test() as pilot:
        await pilot.press("end", *", tr", "right", "enter")
        await pilot.pause()
    assert host.results == [["theory", "transformers"]]
    host = Host(TagPrompt("t", [], []))
    async with host.run_test() as pilot:
        await pilot.press("x", "escape")
        await pilot.pause()
    assert host.results == [None]


@run_async
async def test_tag_suggester_completes_the_last_word():
    suggester = TagSuggester(["theory", "transformers"])
    assert await suggester.get_suggestion("llm, th") == "llm, theory"
    assert await suggester.get_suggestion("theory tr") == "theory transformers"
    assert await suggester.get_suggestion("theory ") is None
    assert parse_tags("a, b  #c,,a") == ["a", "b", "c"]


@run_async
async def test_style_picker_previews_and_returns_the_style():
    styles = {"one": "One", "two": "Two"}
    host = Host(StylePicker(styles, lambda s: f"[b]{s}[/b] cite", current="one"))
    async with host.run_test() as pilot:
        preview = host.screen.query_one("#style-preview")
        assert str(preview.render()) == "[b]one[/b] cite"
        await pilot.press("down")
        await pilot.pause()
        assert str(preview.render()) == "[b]two[/b] cite"
        await pilot.press("enter")
        await pilot.pause()
    assert host.results == ["two"]


@run_async
async def test_note_editor_saves_debounced_and_on_close():
    saved: list[str] = []
    host = Host(NoteEditor("p", "old", lambda text: saved.append(text) or True))
    async with host.run_test() as pilot:
        await pilot.press(*" new")
        assert saved == []  # not on every key
        await pilot.pause(0.7)  # the debounce timer fires
        assert saved == ["old new"]
        await pilot.press("!", "escape")
        await pilot.pause()
    assert saved == ["old new", "old new!"]
    assert host.results == ["old new!"]


@run_async
async def test_help_screen_lists_sections_and_closes():
    host = Host(HelpScreen([("Somewhere", [("x", "Do [b]x[/b]", "tip")])]))
    async with host.run_test() as pilot:
        assert "Do [b]x[/b]" in str(host.screen.query_one(".help-section").render())
        await pilot.press("escape")
        await pilot.pause()
    assert host.results == [None]
