"""Where the library lives on disk, and how the user overrides it.

Only computes paths: creating folders is the store's job, on its first write,
so that a read-only command never leaves anything behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "readinglist"
DB_ENV_VAR = "READINGLIST_DB"
DB_FILENAME = "library.json"


def default_db_path(configured: Path | None = None) -> Path:
    """The library file: ``$READINGLIST_DB`` if set, else the settings file's
    ``library``, else the user data folder.

    The variable lets tests, scripts and people with several libraries point
    every command at one file without repeating ``--db``.
    """
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser()
    if configured is not None:
        return configured
    return platformdirs.user_data_path(APP_NAME) / DB_FILENAME


def resolve_db_path(cli_value: str | None, configured: Path | None = None) -> Path:
    """The library file for this run: ``--db`` wins over everything else."""
    if cli_value:
        return Path(cli_value).expanduser()
    return default_db_path(configured)
