"""The real ``readinglist`` app in a real pseudo-terminal.

1. Nothing from the data reaches the terminal as an escape sequence. The
   hostile library (``hostile_corpus.build_library``: listings imported by the
   parsers, and records with their escapes still in them written straight into
   the store, notes and tags too) is browsed for a few screens, and every byte
   the app writes is read. Textual itself writes thousands of CSI sequences and
   one kind of OSC (22, the pointer shape), so the test looks for what was
   planted: the OSC 52 clipboard write and its payload, the OSC 8 link, the
   clear screen, a blinking colour Textual never uses, C1 controls, bidi
   overrides. Each must arrive only as the text left once its controls are gone,
   and that text must arrive (else the test proves nothing).
2. A note typed in the editor survives closing the terminal (SIGHUP), SIGTERM
   and SIGINT: everything typed a second before is on disk, byte for byte.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from datetime import date

import pytest

import hostile_corpus as hc
from pty_app import ESCAPE, PtyApp, app_env
from readinglist.library import Library
from readinglist.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def test_no_escape_sequence_from_the_data_reaches_the_terminal(tmp_path):
    db = tmp_path / "lib" / "library.json"
    store = Store(db)
    hc.build_library(store)
    papers = len(store.papers())
    store.close()

    app = PtyApp(app_env(tmp_path, db), size=(200, 50))
    try:
        # The newest paper is the raw one: its detail shows from the start.
        app.wait_for(f"{papers} of {papers} papers", "Raw ]52;c;cmwt", "Second[2J paragraph.")
        mark = app.press("n")  # its note, with every escape, in the editor
        app.wait_for("Note on", "Escapes:", "C1: 31m and 52;c;cmwt", since=mark)
        app.press("\x1b", settle=0.4)  # alone: ESC and a key together read as alt+key
        mark = app.press("t")  # its tags
        app.wait_for("Tags of", "osc]52;c;cmwt", since=mark)
        app.press("\x1b", settle=0.4)
        for _ in range(papers):  # every paper's detail
            app.press("j", settle=0.12)
        mark = app.press("3")  # the tag list
        app.wait_for("#bidievil", since=mark)
        app.press("1", settle=0.2)
        app.press("g", settle=0.2)
        mark = app.press("Y")  # the citation preview
        app.wait_for("Copy the citation", since=mark)
        app.press("\x1b", settle=0.4)
        mark = app.press("?")
        app.wait_for("readinglist · keys", since=mark)
        app.press("\x1b", settle=0.4)
        app.press("q")
        status = app.wait_exit()
    finally:
        app.kill()
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0

    stream = bytes(app.output).decode("utf-8")  # strict: the app writes only UTF-8
    visible = ESCAPE.sub("", stream)
    # What the data planted was drawn, as text...
    for text in ("]52;c;cmwtaG9z", "]8;;https://evil.example/rl-osc8", "[2J[HTitle",
                 "[38;5;196;48;5;21;5mred", "Eve[31m Evil[0m", "31mEvil Corp", "52;c;cmwtaG9z"):
        assert text in visible, text
    # ... and never acted: not one of its sequences reached the terminal.
    osc = re.findall(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)", stream)
    assert osc and all(o.startswith("\x1b]22;") for o in osc), set(osc)  # Textual's pointer only
    assert "\x1b]52" not in stream and hc.OSC52_B64 not in "".join(osc)
    assert "\x1b]8;" not in stream
    assert "\x1b[2J" not in stream  # Textual never clears the screen so; the data does
    assert hc.CSI_COLOUR not in stream and "\x1b[31m Evil" not in stream
    assert not re.search("[\x80-\x9f]", stream), "a C1 control reached the terminal"
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", stream), "a bidi override did"
    # Every ESC starts a whole sequence, and no other control is loose in the text.
    assert "\x1b" not in visible
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", visible)


# -- signals while a note is being typed ---------------------------------------------------

TYPED = "Typed before the signal: \u00fcn\u00efcode, [@click=app.quit]x[/] and more\rsecond line"
NOTE = TYPED.replace("\r", "\n")  # enter makes a newline in the editor


def pump_all(apps, seconds: float) -> None:
    """Read every app's output (a pty left unread would stall its app)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for app in apps:
            app.pump(0.02)


def wait_all(apps, *words: str, since: list[int], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not all(all(w in app.text(mark) for w in words) for app, mark in zip(apps, since)):
        if time.monotonic() > deadline:
            missing = [app.text(mark)[-2000:] for app, mark in zip(apps, since)
                       if not all(w in app.text(mark) for w in words)]
            raise AssertionError(f"{words!r} never appeared:\n" + "\n---\n".join(missing))
        pump_all(apps, 0.1)


def test_a_note_being_typed_survives_sighup_sigterm_and_sigint(tmp_path):
    """Three apps at once, one per signal: open the note editor, type, wait
    until the editor has said "saved" and a second has passed since the last
    key, then close the terminal (SIGHUP), or send SIGTERM, or SIGINT. The note
    is on disk byte for byte, and each signal ends the app as q would."""
    runs = {}
    for name in ("SIGHUP", "SIGTERM", "SIGINT"):
        folder = tmp_path / name
        db = folder / "lib" / "library.json"
        store = Store(db)
        Library(store, today=lambda: date(2026, 11, 22)).import_paths(
            [hc.FIXTURES / "profile_markup.txt"])
        store.close()
        runs[name] = (db, PtyApp(app_env(folder, db), size=(120, 40)))
    apps = [app for _, app in runs.values()]
    try:
        wait_all(apps, "3 of 3 papers", since=[0, 0, 0])
        marks = [app.press("n") for app in apps]
        wait_all(apps, "Note on", since=marks)
        marks = [app.press(TYPED) for app in apps]
        last_key = time.monotonic()
        wait_all(apps, "saved", since=marks)  # the editor said so
        pump_all(apps, max(0.0, 1.2 - (time.monotonic() - last_key)))
        for name, (_, app) in runs.items():
            if name == "SIGHUP":
                app.hang_up()  # the terminal closes: the kernel sends SIGHUP
            else:
                os.kill(app.pid, getattr(signal, name))
        statuses = {name: app.wait_exit() for name, (_, app) in runs.items()}
    finally:
        for app in apps:
            app.kill()
    for name, (db, _) in runs.items():
        notes = [u.note for u in Store(db).all_user().values() if u.note]
        assert notes == [NOTE], (name, notes, statuses[name])
    # How each ended: the app handles all three like q (the note editor saves
    # again as it closes, the terminal is restored), so none is killed by it.
    for name, status in statuses.items():
        assert os.WIFEXITED(status), (name, status)
