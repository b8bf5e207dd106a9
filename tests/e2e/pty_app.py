"""The real ``readinglist`` command in a pseudo-terminal: keys in, every byte out.

``PtyApp`` forks the installed console script onto a fresh pty (its
controlling terminal, so closing the master sends it SIGHUP, as closing a
terminal window does), with its settings, data and library in a temporary
folder. It keeps every byte the app writes, so a test can look for escape
sequences in what reached the terminal, not only at what a screen shows.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

EXE = Path(sys.executable).with_name("readinglist")

# One escape sequence of any kind a terminal acts on: CSI (with private and
# intermediate bytes), OSC (to BEL or ST), DCS/SOS/PM/APC (to ST), or ESC and
# one byte.
ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x1b]*\x1b\\"
    r"|\x1b[ -~]"
)


def app_env(folder: Path, db: Path) -> dict[str, str]:
    """A clean environment: no clipboard, no inherited size, everything in ``folder``."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "READINGLIST_DB": str(db),
        "READINGLIST_CONFIG": str(folder / "settings.toml"),
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_CACHE_HOME": str(folder / "cache"),
    }


class PtyApp:
    def __init__(self, env: dict[str, str], *args: str, size: tuple[int, int] = (160, 48)) -> None:
        columns, rows = size
        pid, fd = pty.fork()
        if pid == 0:  # the child: the app, on the pty
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
                os.execve(str(EXE), [str(EXE), *args], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.status: int | None = None
        self.closed = False

    # -- reading -----------------------------------------------------------------

    def pump(self, seconds: float) -> None:
        """Read what the app writes for ``seconds`` (or until it closes the pty)."""
        deadline = time.monotonic() + seconds
        while not self.closed and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], min(0.05, max(deadline - time.monotonic(), 0)))
            if ready:
                try:
                    data = os.read(self.fd, 1 << 16)
                except OSError:  # EIO: the app has gone and the pty with it
                    data = b""
                if not data:
                    self.closed = True
                    break
                self.output.extend(data)

    def text(self, since: int = 0) -> str:
        """What was written since byte ``since``, escape sequences removed."""
        return ESCAPE.sub("", bytes(self.output[since:]).decode("utf-8", "replace"))

    def wait_for(self, *words: str, since: int = 0, timeout: float = 30.0) -> None:
        """Read until every one of ``words`` has been drawn (after byte ``since``)."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.text(since)
            if all(word in shown for word in words):
                return
            if self.closed or time.monotonic() > deadline:
                raise AssertionError(f"{words!r} never appeared; the app wrote:\n{shown[-3000:]}")
            self.pump(0.1)

    # -- writing ---------------------------------------------------------------------

    def press(self, keys: str | bytes, *, settle: float = 0.0) -> int:
        """Type ``keys``; returns where the output stood before them."""
        mark = len(self.output)
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)
        if settle:
            self.pump(settle)
        return mark

    # -- ending ------------------------------------------------------------------------

    def wait_exit(self, timeout: float = 20.0) -> int:
        """Read until the app exits; its wait status."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                break
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the app did not exit within {timeout} s")
            if self.closed:
                time.sleep(0.05)
            else:
                self.pump(0.05)
        self.pump(0.2)
        return self.status

    def hang_up(self) -> None:
        """Close the terminal: the kernel sends the app SIGHUP."""
        if not self.closed:
            os.close(self.fd)
            self.closed = True
            self.fd = -1

    def kill(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                _, self.status = os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            self.closed = True
