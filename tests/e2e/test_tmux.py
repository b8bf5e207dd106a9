"""The real ``readinglist`` command in a real terminal (tmux): keys in, screen out.

Runs on a temporary copy of the seeds with its own tmux server, so it touches
neither the user's library nor their tmux. tmux keeps what the app sends by
OSC 52 in its paste buffer, which shows the copy really left the app.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readinglist.library import bundled_seeds

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
EXE = Path(sys.executable).with_name("readinglist")


class Tmux:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def __call__(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                                text=True, check=check)
        return result.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "rl")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Poll the screen until ``text`` shows (a condition, not a fixed sleep)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        size = self("display", "-p", "-t", "rl", "#{window_width}x#{window_height}", check=False)
        raise AssertionError(f"{text!r} never appeared; the {size.strip()} screen was:\n{screen}")

    def wait_gone(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text in self.screen():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never went away")
            time.sleep(0.1)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", "rl"],
                              capture_output=True).returncode == 0


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(f"rl-test-{os.getpid()}")
    yield server
    server("kill-server", check=False)


def cli(db: Path, *args: str) -> str:
    return subprocess.run([str(EXE), "--db", str(db), *args], capture_output=True, text=True,
                          check=True).stdout


def test_keyboard_session_in_a_real_terminal(tmux, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in bundled_seeds():
        shutil.copy(path, seeds / path.name)
    db = tmp_path / "lib" / "library.json"
    cli(db, "import", str(seeds))

    # COLUMNS and LINES from the test runner would override the pane's real size.
    env = "env -u DISPLAY -u WAYLAND_DISPLAY -u COLUMNS -u LINES TERM=xterm-256color"
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "rl", "-x", "120", "-y", "36",
         f"{env} {EXE} --db {db}")
    tmux("set-option", "-g", "set-clipboard", "on")
    tmux.wait_for("57 of 57 papers")

    tmux("send-keys", "-t", "rl", "/")
    tmux("send-keys", "-t", "rl", "-l", "liger kernal")
    tmux.wait_for("1 of 57 papers")
    tmux("send-keys", "-t", "rl", "Enter")
    tmux.wait_for("t Tags")  # the footer shows the paper list's keys: focus has moved
    tmux("send-keys", "-t", "rl", "t")
    tmux.wait_for("Tags of Liger Kernel")
    tmux("send-keys", "-t", "rl", "-l", "systems gpu")
    tmux("send-keys", "-t", "rl", "Enter")
    tmux.wait_for("systems")
    tmux("send-keys", "-t", "rl", "s", "a")
    tmux.wait_for("queue #1")
    tmux("send-keys", "-t", "rl", "y")
    tmux.wait_for("OSC 52")
    # tmux keeps an OSC 52 copy as a paste buffer (read it while the server lives).
    assert tmux("show-buffer").startswith("@misc{hsu2024liger,\n  title = {Liger Kernel")
    tmux("send-keys", "-t", "rl", "n")
    tmux.wait_for("Note on Liger Kernel")
    tmux("send-keys", "-t", "rl", "-l", "Fused kernels: 60% less memory.")
    tmux("send-keys", "-t", "rl", "Escape")
    # Wait for the editor to close: ESC and a key sent together read as alt+key.
    tmux.wait_gone("Note on Liger Kernel")
    tmux("send-keys", "-t", "rl", "q")
    deadline = time.monotonic() + 10
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not tmux.alive(), "q did not quit the app"

    record = next(r for r in json.loads(cli(db, "list", "--json", "liger"))
                  if r["title"].startswith("Liger Kernel"))
    assert record["tags"] == ["systems", "gpu"]
    assert record["status"] == "reading"
    assert record["queue_position"] == 1
    assert record["note"] == "Fused kernels: 60% less memory."
