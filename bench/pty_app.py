"""The real ``readinglist`` process in a pseudo-terminal: time to interactive.

The app is started with ``pty.fork`` (so it has a controlling terminal, as in a
real terminal emulator), TERM=xterm-256color and a 120x36 window. Its output is
read with escape sequences stripped until the summary shows ``N of M papers``
(the first screen of papers); then ``j`` is sent at once, and the clock stops
when the detail pane shows another paper's ``Id`` (the cursor moved and the
screen was redrawn). Then it waits until the summary no longer says the
library is loading or indexing (``ready_s``), ``q`` quits it, and
``os.wait4`` gives its peak memory.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time

ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")
COUNT = re.compile(rb"(\d+) of (\d+) papers")
PAPER_ID = re.compile(rb"Id\s+([0-9a-f]{8,40})\b")
BUSY = re.compile(rb"loading|indexing|when indexed")


class PtyTimeout(RuntimeError):
    pass


def _strip(data: bytes) -> bytes:
    return ANSI.sub(b"", data)


def run_app(exe: str, db: str, *, columns: int = 120, rows: int = 36,
            timeout: float = 300.0, env: dict[str, str] | None = None) -> dict:
    """Start the app on ``db``; return the timings (seconds from the fork) and peak RSS."""
    child_env = {**os.environ, **(env or {}), "TERM": "xterm-256color",
                 "COLUMNS": str(columns), "LINES": str(rows)}
    child_env.pop("TEXTUAL", None)
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal, then become the app
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.execve(exe, [exe, "--db", db], child_env)
    raw = b""
    text = b""
    marks: dict[str, float] = {}

    def read_until(condition, limit: float) -> None:
        nonlocal raw, text
        deadline = time.perf_counter() + limit
        while not condition():
            left = deadline - time.perf_counter()
            if left <= 0:
                raise PtyTimeout(f"gave up after {limit:.0f} s; screen text so far: "
                                 f"{_strip(raw)[-600:]!r}")
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:  # the child closed the terminal (exited)
                raise PtyTimeout(f"the app exited; output: {_strip(raw)[-600:]!r}") from None
            if "first_output_s" not in marks:
                marks["first_output_s"] = time.perf_counter() - started
            raw += chunk
            text = _strip(raw)

    try:
        read_until(lambda: COUNT.search(text) is not None, timeout)
        marks["first_screen_s"] = time.perf_counter() - started
        shown = PAPER_ID.findall(text)
        first_id = shown[-1] if shown else None
        mark = len(raw)
        os.write(fd, b"j")
        sent = time.perf_counter()

        def moved() -> bool:
            after = PAPER_ID.findall(_strip(raw[mark:]))
            return any(pid_ != first_id for pid_ in after)

        read_until(moved, timeout)
        marks["tti_s"] = time.perf_counter() - started
        marks["key_response_s"] = time.perf_counter() - sent
        count = COUNT.search(text)
        marks["papers_shown"] = int(count[2]) if count else None

        # A large library loads and indexes in threads after the first screen:
        # wait for the summary to say it is done, so peak memory includes it.
        def ready() -> bool:
            found = list(COUNT.finditer(text))
            return bool(found) and not BUSY.search(text[found[-1].end():found[-1].end() + 80])

        read_until(ready, timeout)
        marks["ready_s"] = time.perf_counter() - started
        os.write(fd, b"q")
        exited = _wait(pid, fd, 20.0)
    except BaseException:
        _kill(pid)
        os.waitpid(pid, 0)
        raise
    finally:
        try:
            os.close(fd)
        except OSError:
            pass
    if exited is None:
        _kill(pid)
        exited = os.wait4(pid, 0)
    _, status, usage = exited
    marks["exit_status"] = os.waitstatus_to_exitcode(status)
    marks["peak_rss_bytes"] = usage.ru_maxrss * 1024
    return marks


def _wait(pid: int, fd: int, limit: float):
    """Wait for the child to exit, reading (and dropping) what it still writes."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return done, status, usage
        ready, _, _ = select.select([fd], [], [], 0.02)
        if ready:
            try:
                os.read(fd, 1 << 16)
            except OSError:
                pass
    return None


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
