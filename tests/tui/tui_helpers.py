"""Helpers shared by the app's tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

import asyncio
import functools
from datetime import datetime, timezone

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    return NOW


def run_async(test):
    """Run an async test function without pytest-asyncio."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper
