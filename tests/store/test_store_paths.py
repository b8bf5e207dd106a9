"""Where the library lives: --db, then $READINGLIST_DB, then the user data folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from readinglist import paths


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never look at the real user data folder."""
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    monkeypatch.setattr(platformdirs, "user_data_path", lambda app: tmp_path / "data" / app)
    return tmp_path / "data"


@pytest.mark.parametrize(
    "cli, env, expected",
    [
        (None, None, "data/readinglist/library.json"),
        (None, "env/lib.json", "env/lib.json"),
        ("cli/lib.json", "env/lib.json", "cli/lib.json"),
        ("cli/lib.json", None, "cli/lib.json"),
        ("", "env/lib.json", "env/lib.json"),
    ],
)
def test_the_cli_wins_then_the_environment_then_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: str | None, env: str | None, expected: str
) -> None:
    if env is not None:
        monkeypatch.setenv(paths.DB_ENV_VAR, str(tmp_path / env))
    given = None if cli is None else (str(tmp_path / cli) if cli else "")
    assert paths.resolve_db_path(given) == tmp_path / expected


def test_a_home_relative_path_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.resolve_db_path("~/lib.json") == tmp_path / "lib.json"


def test_resolving_creates_nothing(data_folder: Path) -> None:
    paths.default_db_path()
    assert not data_folder.exists()
