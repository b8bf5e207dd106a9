"""Shared fixtures: the seeds merged into an in-memory catalogue, and a guard
that no test reaches the real user's data folder."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from readinglist.library import bundled_seeds
from readinglist.listings import parse_file
from readinglist.listings.merge import Catalogue

IMPORT_DAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Point every default location at a throwaway folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READINGLIST_DB", str(home / "default" / "library.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


@pytest.fixture(scope="session")
def seed_catalogue() -> Catalogue:
    catalogue = Catalogue()
    for path in bundled_seeds():
        listing = parse_file(path, IMPORT_DAY, known=catalogue.knows_name)
        catalogue.merge_listing(listing, datetime(2026, 11, 22, tzinfo=timezone.utc))
    return catalogue


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden files")
