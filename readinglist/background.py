"""Long work that a thread does while the app runs gives way to the user.

Reading a large catalogue and building the search index take seconds at
100,000 papers. The app does them in a thread, and CPython lets one thread run
at a time: a key pressed meanwhile waited for the GIL at each of the hundreds
of hand-overs its handling needs (measured: 0.65 s to move the cursor instead
of 0.25 s). So the loops of that work call ``pause()`` between chunks, and
``pause`` waits while the user is typing: the app tells ``user_active()`` when
a key or a click arrives, and the work resumes 150 ms after the last one.

In the main thread, or when no app is running, ``pause`` costs a function call.
"""

from __future__ import annotations

import threading
import time

QUIET = 0.15  # seconds after the last key before background work goes on
_last_input = 0.0


def user_active() -> None:
    """A key or a click just arrived (called by the app, in the main thread)."""
    global _last_input
    _last_input = time.monotonic()


def pause() -> None:
    """Between chunks of background work: give the GIL away, and wait while
    the user is typing. Does nothing in the main thread."""
    if threading.current_thread() is threading.main_thread():
        return
    while (wait := _last_input + QUIET - time.monotonic()) > 0:
        time.sleep(min(wait, 0.05))
    time.sleep(0)
