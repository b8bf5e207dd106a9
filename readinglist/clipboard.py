"""Copying text to the clipboard, and telling the truth about it.

pyperclip's ``copy()`` returns silently when ``xclip`` exists but fails (a stale
``DISPLAY``), and a terminal's OSC 52 is never acknowledged. So the chain is:

1. a native tool run with its exit status checked (``wl-copy``, ``xclip``,
   ``xsel``, ``pbcopy``), or pyperclip on Windows, whose ctypes backend raises
   on failure; a copy is *confirmed* only here;
2. else, or as well, OSC 52 through the terminal (the app passes Textual's
   ``copy_to_clipboard``), capped in size; reported as *sent*, not confirmed.

No Textual import: the OSC 52 writer is passed in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass

OSC52_LIMIT = 75_000  # bytes of text; many terminals drop larger OSC 52 payloads
TOOL_TIMEOUT = 3.0


@dataclass(frozen=True)
class CopyResult:
    ok: bool  # confirmed by a tool, or at least sent to the terminal
    confirmed: bool  # a clipboard tool reported success
    method: str  # "xclip", "osc52", "none", ...
    message: str  # one line for the user, never overclaiming


def _tools(env: Mapping[str, str], platform: str) -> list[list[str]]:
    """Clipboard commands worth trying here, best first."""
    if platform == "darwin":
        return [["pbcopy"]]
    tools: list[list[str]] = []
    if env.get("WAYLAND_DISPLAY"):
        tools.append(["wl-copy"])
    if env.get("DISPLAY"):
        tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    return tools


def copy_with_tool(
    text: str,
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
) -> tuple[str | None, str]:
    """Try each native tool; (tool name, "") on success, (None, why not) otherwise."""
    env = os.environ if env is None else env
    if platform.startswith("win"):
        import pyperclip  # its Windows backend raises when the copy fails

        try:
            pyperclip.copy(text)
        except pyperclip.PyperclipException as exc:
            return None, f"pyperclip: {exc}"
        return "pyperclip", ""
    reasons: list[str] = []
    for command in _tools(env, platform):
        if which(command[0]) is None:
            continue
        # stderr goes to a file, not a pipe: xclip forks a child that keeps
        # serving the selection and would hold a pipe open until timeout.
        with tempfile.TemporaryFile() as errors:
            try:
                result = subprocess.run(
                    command, input=text.encode("utf-8"), env=dict(env),
                    stdout=subprocess.DEVNULL, stderr=errors, timeout=TOOL_TIMEOUT,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                reasons.append(f"{command[0]}: {exc}")
                continue
            errors.seek(0)
            stderr = errors.read()
        if result.returncode == 0:
            return command[0], ""
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        reasons.append(f"{command[0]} failed" + (f" ({detail[0]})" if detail else ""))
    return None, "; ".join(reasons) or "no clipboard tool found"


def copy(
    text: str,
    osc52: Callable[[str], None] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
) -> CopyResult:
    """Copy ``text`` by every route available; say exactly what happened."""
    tool, why = copy_with_tool(text, env, platform, which)
    sent = False
    if osc52 is not None and len(text.encode("utf-8")) <= OSC52_LIMIT:
        try:
            osc52(text)
            sent = True
        except Exception:  # a terminal write failing must not lose the copy message
            sent = False
    if tool is not None:
        return CopyResult(True, True, tool, f"Copied to the clipboard ({tool}).")
    if sent:
        return CopyResult(
            True, False, "osc52",
            "Sent to the terminal's clipboard (OSC 52); no clipboard tool confirmed it "
            f"({why}).",
        )
    too_big = osc52 is not None and len(text.encode("utf-8")) > OSC52_LIMIT
    reason = f"{why}; too large for OSC 52" if too_big else why
    return CopyResult(False, False, "none", f"Not copied: {reason}.")
