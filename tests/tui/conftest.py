"""Fixtures for the app's tests: a seeded store in a temporary folder (built once,
copied per test), a fixed clock, and no real clipboard anywhere."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from readinglist import clipboard
from readinglist.library import Library
from readinglist.store import Store
from readinglist.tui.app import make_app
from tui_helpers import fixed_clock

@pytest.fixture(scope="session")
def seeded_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeded")
    store = Store(folder / "library.json", clock=fixed_clock)
    outcome = Library(store, today=lambda: date(2026, 11, 22)).import_paths(None)
    assert not outcome.rejected, outcome.rejected
    store.close()
    return folder


@pytest.fixture
def store_path(seeded_folder, tmp_path):
    for item in seeded_folder.iterdir():
        if not item.name.endswith(".lock"):
            shutil.copy2(item, tmp_path / item.name)
    return tmp_path / "library.json"


@pytest.fixture
def store(store_path):
    return Store(store_path, clock=fixed_clock)


@pytest.fixture(autouse=True)
def no_real_clipboard(monkeypatch):
    """No clipboard tool is ever run: the chain finds none and falls back to OSC 52."""
    monkeypatch.setattr(clipboard, "copy_with_tool",
                        lambda text, *a, **k: (None, "no clipboard tool (test)"))


@pytest.fixture
def app(store):
    return make_app(store)

