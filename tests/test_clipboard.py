"""The copy chain tells the truth: confirmed only when a tool's exit status says so."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readinglist import clipboard


def fake_tool(folder, name, exit_code, sink=None):
    """A stand-in clipboard tool that stores its input and exits with ``exit_code``."""
    script = folder / name
    body = "import sys\ndata = sys.stdin.buffer.read()\n"
    if sink:
        body += f"open({str(sink)!r}, 'wb').write(data)\n"
    if exit_code:
        body += "sys.stderr.write('Error: Can\\'t open display: :99\\n')\n"
    body += f"sys.exit({exit_code})\n"
    script.write_text(f"#!{sys.executable}\n{body}")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def env_with(folder, **extra):
    return {"PATH": str(folder), **extra}


def which_in(folder):
    return lambda name: str(folder / name) if (folder / name).exists() else None


def test_working_tool_is_confirmed(tmp_path):
    sink = tmp_path / "clip"
    fake_tool(tmp_path, "xclip", 0, sink)
    sent = []
    result = clipboard.copy("@misc{x}", sent.append, env=env_with(tmp_path, DISPLAY=":0"),
                            platform="linux", which=which_in(tmp_path))
    assert (result.ok, result.confirmed, result.method) == (True, True, "xclip")
    assert sink.read_text() == "@misc{x}"
    assert sent == ["@misc{x}"]  # the terminal gets it too (works over SSH)
    assert "Copied" in result.message


def test_failing_xclip_falls_back_to_osc52_and_says_so(tmp_path):
    fake_tool(tmp_path, "xclip", 1)
    sent = []
    result = clipboard.copy("text", sent.append, env=env_with(tmp_path, DISPLAY=":99"),
                            platform="linux", which=which_in(tmp_path))
    assert (result.ok, result.confirmed, result.method) == (True, False, "osc52")
    assert sent == ["text"]
    assert "xclip failed" in result.message and "Can't open display" in result.message
    assert "Copied" not in result.message


def test_no_tool_and_no_terminal_is_a_failure(tmp_path):
    result = clipboard.copy("text", None, env={}, platform="linux", which=lambda n: None)
    assert (result.ok, result.confirmed, result.method) == (False, False, "none")
    assert result.message.startswith("Not copied: no clipboard tool found")


def test_oversized_text_is_not_sent_by_osc52(tmp_path):
    sent = []
    big = "x" * (clipboard.OSC52_LIMIT + 1)
    result = clipboard.copy(big, sent.append, env={}, platform="linux", which=lambda n: None)
    assert sent == [] and not result.ok and "too large for OSC 52" in result.message


def test_second_tool_used_when_first_fails(tmp_path):
    sink = tmp_path / "clip"
    fake_tool(tmp_path, "xclip", 1)
    fake_tool(tmp_path, "xsel", 0, sink)
    result = clipboard.copy("abc", None, env=env_with(tmp_path, DISPLAY=":0"),
                            platform="linux", which=which_in(tmp_path))
    assert result.method == "xsel" and result.confirmed and sink.read_text() == "abc"


def test_osc52_writer_raising_is_not_fatal(tmp_path):
    def broken(text):
        raise OSError("terminal gone")

    result = clipboard.copy("abc", broken, env={}, platform="linux", which=lambda n: None)
    assert not result.ok and "Not copied" in result.message


@pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xclip")), reason="needs Xvfb and xclip (.ci/run installs them)"
)
def test_real_xclip_round_trip_under_xvfb(tmp_path):
    display = f":{90 + os.getpid() % 100}"
    server = subprocess.Popen(["Xvfb", display, "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        env = {**os.environ, "DISPLAY": display}
        for _ in range(100):  # wait for the server to accept clients
            if subprocess.run(["xclip", "-o", "-selection", "clipboard"], env=env,
                              capture_output=True).returncode in (0, 1) and (
                    Path(f"/tmp/.X11-unix/X{display[1:]}").exists()):
                break
            time.sleep(0.05)
        result = clipboard.copy("readinglist \u2713 [x]", None, env=env, platform="linux")
        assert result.confirmed and result.method == "xclip", result.message
        back = subprocess.run(["xclip", "-o", "-selection", "clipboard"], env=env,
                              capture_output=True, text=True, timeout=5)
        assert back.stdout == "readinglist \u2713 [x]"
    finally:
        server.terminate()
        server.wait(timeout=5)
