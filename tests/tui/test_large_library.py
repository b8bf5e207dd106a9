"""A large library opens on its first screen and loads the rest in a thread.

The threshold (``LARGE``, 5,000 papers) is lowered to 10 so that the 57 seed
papers take the large-library path; threads are held with events, so each
state (first screen only, loaded but not indexed, ready) is looked at for sure.
"""

from __future__ import annotations

import threading

import pytest

from readinglist.store import Store
from readinglist.tui import state as state_module
from readinglist.tui.app import make_app
from readinglist.tui.screens import main as main_module
from readinglist.tui.screens.main import MainScreen
from readinglist.tui.widgets.paper_list import PaperList
from tui_helpers import fixed_clock, run_async

SIZE = (120, 36)


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(main_module, "LARGE", 10)
    monkeypatch.setattr(main_module, "HEAD_ROWS", 20)


@pytest.fixture
def gates(monkeypatch):
    """Hold the loading thread before the whole library is read, and the
    index before it is handed over, until the test opens each gate."""
    load_gate, index_gate = threading.Event(), threading.Event()
    real_init = state_module.LibraryState.__init__

    def init(self, store, *, index: bool = True):
        if threading.current_thread() is not threading.main_thread():
            assert load_gate.wait(10)
        real_init(self, store, index=index)

    real_index_of = MainScreen._index_of

    def held_index_of(self, state):
        assert index_gate.wait(10)
        return real_index_of(self, state)

    monkeypatch.setattr(state_module.LibraryState, "__init__", init)
    monkeypatch.setattr(MainScreen, "_index_of", held_index_of)
    return load_gate, index_gate


def lazy_store(path):
    return Store(path, clock=fixed_clock, lazy=True)


async def wait_for(pilot, condition, what: str, turns: int = 400):
    for _ in range(turns):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def summary(app) -> str:
    return str(app.screen.query_one("#summary").render())


@run_async
async def test_first_screen_from_the_head_then_the_whole_library(large, gates, store_path):
    load, index = gates
    store = lazy_store(store_path)
    everything = [p.id for p in Store(store_path).papers()]
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        papers = screen.query_one(PaperList)
        # Only the head is in: the newest 20 papers, in the order of the whole.
        assert screen.state.loading
        assert papers.paper_ids == everything[:20]
        assert "20 of 57 papers" in summary(app) and "loading" in summary(app)
        await pilot.press("j")
        assert papers.cursor == 1  # the first screen answers keys
        # Paper actions wait for the whole library; nothing reaches the store.
        await pilot.press("s")
        assert all(u.status == "unread" for u in Store(store_path).all_user().values())

        load.set()
        await wait_for(pilot, lambda: not screen.state.loading, "the library to load")
        assert len(papers.paper_ids) == 57
        assert papers.current_id == everything[1]  # the cursor stayed on its paper
        assert "indexing" in summary(app)

        # A search typed before the index is there runs when it arrives.
        await pilot.press("slash", *"liger")
        await pilot.pause()
        assert screen.state.index is None
        index.set()
        await wait_for(pilot, lambda: screen.state.index is not None, "the index")
        await wait_for(pilot, lambda: len(papers.paper_ids) < 57, "the search to run")
        first = screen.state.papers[papers.paper_ids[0]].title
        assert first.startswith("Liger Kernel")
        await pilot.press("enter", "s")
        assert Store(store_path).user(papers.current_id).status == "reading"


@run_async
async def test_an_edit_made_while_indexing_is_in_the_index(large, gates, store_path):
    load, index = gates
    load.set()
    app = make_app(lazy_store(store_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: not screen.state.loading, "the library to load")
        paper_id = screen.query_one(PaperList).current_id
        screen.store.set_tags(paper_id, ["zebrafish"])
        screen.paper_changed(paper_id)
        index.set()
        await wait_for(pilot, lambda: screen.state.index is not None, "the index")
        assert screen.state.index.search_ids("zebrafish") == [paper_id]


@run_async
async def test_a_small_library_loads_at_once(store_path):
    app = make_app(lazy_store(store_path))
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert not screen.state.loading and screen.state.index is not None
        assert len(screen.query_one(PaperList).paper_ids) == 57


def test_quitting_while_loading_does_not_wait_for_the_thread(large, gates, store_path):
    """The loading thread is a daemon: run_test returns while it is held."""
    import asyncio

    async def run():
        app = make_app(lazy_store(store_path))
        async with app.run_test(size=SIZE) as pilot:
            assert app.screen.state.loading
            await pilot.press("q")

    asyncio.run(asyncio.wait_for(run(), 20))
    threads = [t for t in threading.enumerate() if t.name == "readinglist-load"]
    assert all(t.daemon for t in threads)
    gates[0].set()
    gates[1].set()
