"""Settings reach the app: keys by binding id, theme (remembered), sort,
citation style and preset views on the digit keys."""

from __future__ import annotations

from readinglist.settings import load_settings
from readinglist.tui.app import make_app
from readinglist.tui.screens.main import MainScreen
from readinglist.tui.widgets.paper_list import PaperList

from tui_helpers import run_async

SIZE = (120, 36)


def settings_file(tmp_path, text):
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def main_of(app) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


@run_async
async def test_remapped_key_default_sort_and_style(store, tmp_path):
    settings = settings_file(tmp_path, 'sort = "title"\ncitation_style = "apa"\n'
                                       '[keys]\n"paper.status" = "x"\n')
    app = make_app(store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        papers = main_of(app).query_one(PaperList)
        titles = [store.paper(pid).title.casefold() for pid in papers.paper_ids]
        assert titles == sorted(titles)
        pid = papers.current_id
        await pilot.press("x")
        await pilot.pause()
        assert store.user(pid).status == "reading"
        await pilot.press("s")  # no longer bound
        await pilot.pause()
        assert store.user(pid).status == "reading"
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.startswith(store.paper(pid).authors[0].split()[-1] + ", ")  # APA


@run_async
async def test_presets_on_digit_keys(store, tmp_path):
    settings = settings_file(tmp_path, '[[presets]]\nkey = "8"\nname = "Has code, unread"\n'
                                       'query = "code:yes status:unread"\n')
    app = make_app(store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        papers = main_of(app).query_one(PaperList)
        await pilot.press("8")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert papers.paper_ids and all(store.paper(p).has_code for p in papers.paper_ids)
        assert len(papers.paper_ids) == 6
        await pilot.press("6")  # default preset: has code
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(papers.paper_ids) == 6
        await pilot.press("4")  # default preset: unread (all, in a fresh library)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(papers.paper_ids) == len(store.papers())


@run_async
async def test_theme_from_settings_and_remembered(store, tmp_path):
    settings = settings_file(tmp_path, '# my settings\ntheme = "nord"\n')
    app = make_app(store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        app.theme = "gruvbox"
        await pilot.pause()
    assert load_settings(tmp_path / "settings.toml").theme == "gruvbox"
    assert (tmp_path / "settings.toml").read_text().startswith("# my settings\n")


@run_async
async def test_bad_settings_are_a_notice_not_a_crash(store, tmp_path):
    settings = settings_file(tmp_path, 'theme = "no-such-theme"\nsort = "sideways"\n')
    app = make_app(store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("sort" in m and "sideways" in m for m in messages)
        assert any("no-such-theme" in m for m in messages)
        assert app.is_running


@run_async
async def test_zero_opens_the_stats(app, store):
    from readinglist.tui.screens.stats import StatsScreen

    pid = store.papers()[0].id
    store.set_status(pid, "read")
    store.add_tags(pid, ["theory"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("0")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.stats.by_status["read"] == 1
        assert app.screen.stats.by_tag == [("theory", 1)]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)
