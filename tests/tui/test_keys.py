"""Pilot tests: every key of the main screen, asserted on the store and the screen."""

from __future__ import annotations

from readinglist.store import Store
from readinglist.tui.app import make_app
from readinglist.tui.screens.help import HelpScreen
from readinglist.tui.screens.main import MainScreen
from readinglist.tui.screens.note_editor import NoteEditor
from readinglist.tui.screens.style_picker import StylePicker
from readinglist.tui.screens.tag_prompt import TagPrompt
from readinglist.tui.widgets.detail import DetailPane
from readinglist.tui.widgets.paper_list import PaperList

from tui_helpers import fixed_clock, run_async

SIZE = (120, 36)


def main_of(app) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def paper_list(app) -> PaperList:
    return main_of(app).query_one(PaperList)


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


@run_async
async def test_opens_on_the_library_with_every_paper(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        papers = paper_list(app)
        assert len(papers.paper_ids) == len(store.papers())
        assert app.focused is papers
        # newest first by default
        dates = [store.paper(pid).date or "" for pid in papers.paper_ids]
        assert dates == sorted(dates, reverse=True)
        detail = main_of(app).query_one(DetailPane)
        assert detail.paper_id == papers.current_id


@run_async
async def test_j_k_g_G_move_the_cursor(app):
    async with app.run_test(size=SIZE) as pilot:
        papers = paper_list(app)
        await pilot.press("j", "j", "down")
        assert papers.cursor == 3
        await pilot.press("k", "up")
        assert papers.cursor == 1
        await pilot.press("G")
        assert papers.cursor == len(papers.paper_ids) - 1
        await pilot.press("g")
        assert papers.cursor == 0
        await pilot.press("j")
        await pilot.pause()
        assert main_of(app).query_one(DetailPane).paper_id == papers.paper_ids[1]


@run_async
async def test_s_cycles_the_status_in_the_store(app, store):
    async with app.run_test(size=SIZE) as pilot:
        pid = paper_list(app).current_id
        assert store.user(pid).status == "unread"
        await pilot.press("s")
        assert store.user(pid).status == "reading"
        await pilot.press("s")
        assert store.user(pid).status == "read"
        await pilot.press("s")
        assert store.user(pid).status == "unread"


@run_async
async def test_a_queues_J_K_reorder_and_read_leaves_the_queue(app, store):
    async with app.run_test(size=SIZE) as pilot:
        papers = paper_list(app)
        first, second, third = papers.paper_ids[:3]
        await pilot.press("a", "j", "a", "j", "a")
        assert store.queue() == [first, second, third]
        await pilot.press("K")  # third moves up
        assert store.queue() == [first, third, second]
        await pilot.press("2")  # queue view, in queue order
        await pilot.pause()
        assert papers.paper_ids == [first, third, second]
        assert papers.current_id == first
        await pilot.press("J")  # first moves down
        assert store.queue() == [third, first, second]
        assert papers.paper_ids == [third, first, second]
        assert papers.current_id == first  # the cursor follows the paper
        await pilot.press("s", "s")  # reading, then read: leaves the queue
        assert store.user(first).status == "read"
        assert store.queue() == [third, second]
        assert papers.paper_ids == [third, second]
        await pilot.press("g", "a")  # a again removes
        assert store.queue() == [second]


@run_async
async def test_t_edits_tags_adding_and_removing(app, store):
    async with app.run_test(size=SIZE) as pilot:
        pid = paper_list(app).current_id
        await pilot.press("t")
        assert isinstance(app.screen, TagPrompt)
        await pilot.press(*"theory, llm")
        await pilot.press("enter")
        await pilot.pause()
        assert store.user(pid).tags == ["theory", "llm"]
        assert "#theory" in paper_list(app)._row(pid).tags
        await pilot.press("t")
        prompt = app.screen
        prompt.query_one("Input").value = "llm to-read"
        await pilot.press("enter")
        await pilot.pause()
        assert store.user(pid).tags == ["llm", "to-read"]
        await pilot.press("t", "x", "escape")  # escape cancels
        await pilot.pause()
        assert store.user(pid).tags == ["llm", "to-read"]


@run_async
async def test_n_writes_the_note_and_it_survives_a_restart(app, store, store_path):
    async with app.run_test(size=SIZE) as pilot:
        pid = paper_list(app).current_id
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Key idea", "enter", *"- **bold** claim")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert store.user(pid).note == "Key idea\n- **bold** claim"
    # a new process: a fresh store on the same file
    again = make_app(Store(store_path, clock=fixed_clock))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.store.user(pid).note == "Key idea\n- **bold** claim"
        await pilot.press("n")
        assert again.screen.query_one("TextArea").text == "Key idea\n- **bold** claim"


@run_async
async def test_note_is_saved_while_typing_without_closing(app, store):
    async with app.run_test(size=SIZE) as pilot:
        pid = paper_list(app).current_id
        await pilot.press("n", *"draft")
        editor = app.screen
        editor.flush()  # what the 0.5 s timer calls
        assert store.user(pid).note == "draft"
        await pilot.press(*" more")
    # quitting with the editor open still saves
    assert store.user(pid).note == "draft more"


@run_async
async def test_u_undoes_repeatedly(app, store):
    async with app.run_test(size=SIZE) as pilot:
        pid = paper_list(app).current_id
        await pilot.press("s", "a", "t", *"x", "enter")
        await pilot.pause()
        assert store.user(pid).tags == ["x"] and store.queue() == [pid]
        assert store.user(pid).status == "reading"
        await pilot.press("u")
        assert store.user(pid).tags == []
        await pilot.press("u")
        assert store.queue() == []
        await pilot.press("u")
        assert store.user(pid).status == "unread"
        await pilot.press("u")  # nothing left: a notice, no error
        await pilot.pause()


@run_async
async def test_u_restores_a_note(app, store):
    async with app.run_test(size=SIZE) as pilot:
        pid = paper_list(app).current_id
        await pilot.press("n", *"abc", "escape")
        assert store.user(pid).note == "abc"
        await pilot.press("u")
        assert store.user(pid).note == ""


@run_async
async def test_y_copies_bibtex(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.startswith("@")
        messages = [n.message for n in app._notifications]
        assert any("OSC 52" in m for m in messages)  # no tool: says so, claims no more


@run_async
async def test_Y_picks_a_style_with_preview(app, store):
    async with app.run_test(size=SIZE) as pilot:
        pid = paper_list(app).current_id
        await pilot.press("Y")
        await pilot.pause()
        assert isinstance(app.screen, StylePicker)
        preview = app.screen.query_one("#style-preview")
        assert str(preview.render()).startswith("@")
        await pilot.press("j", "j")  # biblatex, then apa
        await pilot.pause()
        assert not str(preview.render()).startswith("@")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert store.paper(pid).title.split()[0] in app.clipboard
        assert not app.clipboard.startswith("@")


@run_async
async def test_failed_copy_is_an_error_notice(app, monkeypatch):
    async with app.run_test(size=SIZE) as pilot:
        import readinglist.clipboard as clipboard

        monkeypatch.setattr(clipboard, "OSC52_LIMIT", 1)
        await pilot.press("y")
        await pilot.pause()
        notice = list(app._notifications)[-1]
        assert notice.severity == "error" and notice.message.startswith("Not copied")
        assert app.clipboard.startswith("@")  # still reachable in the app


@run_async
async def test_search_filters_and_enter_selects_best_match(app, store):
    async with app.run_test(size=SIZE) as pilot:
        papers = paper_list(app)
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press(*"neural collapse graph")
        await settle(app, pilot)
        assert 0 < len(papers.paper_ids) < len(store.papers())
        best = papers.paper_ids[0]
        assert "Graph Neural Networks" in store.paper(best).title
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is papers and papers.current_id == best
        await pilot.press("slash", "escape")
        await settle(app, pilot)
        assert len(papers.paper_ids) == len(store.papers())


@run_async
async def test_search_field_filters_and_a_bad_query_is_gentle(app, store):
    async with app.run_test(size=SIZE) as pilot:
        papers = paper_list(app)
        await pilot.press("a")  # one queued paper
        queued = papers.current_id
        await pilot.press("slash", *"queue:yes")
        await settle(app, pilot)
        assert papers.paper_ids == [queued]
        search = main_of(app).query_one("#search")
        search.value = "status:bogus"
        await settle(app, pilot)
        assert papers.paper_ids == [queued]  # the last good answer stays
        summary = str(main_of(app).query_one("#summary").render())
        assert "status:bogus" in summary
        search.value = "year:>=2026 code:yes"
        await settle(app, pilot)
        assert papers.paper_ids
        assert all(store.paper(p).year >= 2026 and store.paper(p).has_code
                   for p in papers.paper_ids)


@run_async
async def test_1_2_3_switch_views_and_a_tag_filters(app, store):
    async with app.run_test(size=SIZE) as pilot:
        papers = paper_list(app)
        pid = papers.current_id
        await pilot.press("t", *"theory", "enter")
        await pilot.press("2")
        assert main_of(app).filters.view == "queue" and papers.paper_ids == []
        await pilot.press("3")
        await pilot.pause()
        assert main_of(app).filters.view == "tags"
        assert app.focused.id == "tags"
        await pilot.press("j", "enter")  # the first tag: theory
        await pilot.pause()
        assert papers.paper_ids == [pid]
        await pilot.press("1")
        assert main_of(app).filters.view == "library"
        assert len(papers.paper_ids) == len(store.papers())


@run_async
async def test_choosing_an_author_filters_and_detail_jumps(app, store):
    async with app.run_test(size=SIZE) as pilot:
        main = main_of(app)
        await pilot.press("shift+tab", "shift+tab")  # to the people filter
        await pilot.pause()
        assert app.focused.id == "author-filter"
        await pilot.press(*"kothapalli", "enter")
        await pilot.pause()
        author = store.author(main.filters.author)
        assert "Kothapalli" in author.name
        papers = paper_list(app)
        assert set(papers.paper_ids) == set(author.paper_ids)
        # jump from the detail pane to another person
        await pilot.press("escape")
        assert main.filters.author is None
        paper = store.paper(papers.current_id)
        detail = main.query_one(DetailPane)
        options = detail.query_one("#detail-authors")
        options.focus()
        options.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert main.filters.author == paper.author_ids[0] or main.filters.author in paper.author_ids


@run_async
async def test_enter_opens_the_detail_and_tab_cycles(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("tab")
        assert app.focused.id == "detail-authors"


@run_async
async def test_o_sorts_by_title(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")  # date -> title
        papers = paper_list(app)
        titles = [store.paper(p).title.casefold() for p in papers.paper_ids]
        assert titles == sorted(titles)
        await pilot.press("O")
        assert papers.paper_ids[0] != [p for p in papers.paper_ids][-1]
        assert [store.paper(p).title.casefold() for p in papers.paper_ids] == titles[::-1]


@run_async
async def test_question_mark_shows_help_and_q_quits(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(".help-section"))
        for word in ("Status", "Undo", "Cite", "Library", "Search"):
            assert word in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_command_palette_runs_an_action(app, store):
    async with app.run_test(size=SIZE) as pilot:
        pid = paper_list(app).current_id
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Cycle status")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert store.user(pid).status == "reading"


@run_async
async def test_changes_from_another_process_show_up(app, store, store_path):
    async with app.run_test(size=SIZE) as pilot:
        papers = paper_list(app)
        pid = papers.paper_ids[2]
        other = Store(store_path, clock=fixed_clock)  # "the CLI in another terminal"
        other.queue_add(pid)
        other.add_tags(pid, ["from-cli"])
        main_of(app).poll_store()  # what the 1 s interval calls
        await pilot.pause()
        assert "#from-cli" in papers._row(pid).tags
        assert papers._row(pid).queue == 1


@run_async
async def test_store_error_is_a_notice_not_a_traceback(app, monkeypatch):
    from readinglist.store import StoreError

    async with app.run_test(size=SIZE) as pilot:
        def boom(*args, **kwargs):
            raise StoreError("the library is locked by another process")

        monkeypatch.setattr(app.store, "set_status", boom)
        await pilot.press("s")
        await pilot.pause()
        notice = list(app._notifications)[-1]
        assert notice.severity == "error" and "locked" in notice.message
        assert main_of(app).undo_stack == []
