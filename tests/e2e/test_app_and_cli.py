"""The app open in one terminal and the command line editing in another.

The real app runs in a pty, driven by keys, open for all five rounds: each
round it walks down its 100 papers pressing ``a`` on each (queue, then unqueue
the next round: one save per key). At the same moment a second process makes
100 edits through the command line's own code, ``readinglist.cli.main(["tag",
ID, TAG])`` once per edit: each call opens the library, takes the lock and
saves, as a ``readinglist tag`` command does (in one interpreter, so that 500
of them fit in the suite's time; one real command is run at the end). Every
edit of both is in the library after each round, none failed. Then the app
must show the command line's latest tags without a restart (it polls once a
second).

Most of the time goes to the app: a burst of 100 saves takes it about 0.5 s
the first time and several seconds after a few bursts in the same session,
and under contention each save may wait on the lock's back-off (up to 50 ms).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from pty_app import EXE, PtyApp, app_env
from readinglist.models import FORMAT_COMPACT, ParsedListing, ParsedPaper, Source
from readinglist.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

EDITS = 100
ROUNDS = 5

# The command line's side: 100 edits, each a whole CLI command, counted. (The
# argument parser is built once: building it is 16 ms of each command's 36 ms,
# and has nothing to do with two processes sharing a library.)
CLI_EDITS = textwrap.dedent("""
    import functools, json, sys, time
    from pathlib import Path
    from readinglist import cli
    from readinglist.cli import main
    cli.build_parser = functools.lru_cache(maxsize=None)(cli.build_parser)
    db, tag_prefix, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    ids = sys.argv[4:]
    while not go.exists():
        time.sleep(0.001)
    failures = []
    for n, paper_id in enumerate(ids):
        status = main(["--db", db, "tag", paper_id, f"{tag_prefix}-{n}"])
        if status != 0:
            failures.append((paper_id, status))
    print(json.dumps({"failures": failures}))
""")


def library(db) -> tuple[list[str], list[str]]:
    """200 papers: the newest 100 for the app (the top of its date-sorted list),
    the older 100 for the command line. Returns both id lists, in list order."""
    papers = [
        ParsedPaper(source=Source("two.txt", n + 1, FORMAT_COMPACT), title=f"Paper number {n:03d}",
                    authors=["Ann Lee" if n < EDITS else "Bo Chen"], category="LG",
                    date=f"2024-{12 - n // 28:02d}-{28 - n % 28:02d}", date_text=None)
        for n in range(2 * EDITS)
    ]
    store = Store(db)
    store.import_listing(ParsedListing(name="two.txt", format=FORMAT_COMPACT, papers=papers))
    by_title = {p.title: p.id for p in store.papers()}
    store.close()
    ids = [by_title[p.title] for p in papers]
    return ids[:EDITS], ids[EDITS:]


def wait_until(app: PtyApp, check, timeout: float, what: str):
    """Poll ``check`` while reading the app's output (an unread pty stalls it)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        app.pump(0.1)


def run_round(app: PtyApp, tmp_path, db, round_: int, app_ids: list[str],
              cli_ids: list[str]) -> None:
    """One round: the app and the command line, 100 edits each, at once."""
    go = tmp_path / f"go-{round_}"
    cli = subprocess.Popen(
        [sys.executable, "-c", CLI_EDITS, str(db), f"cli-r{round_}", str(go), *cli_ids],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    app.press("g", settle=0.3)  # the top of the list: the app's first paper
    go.touch()
    app.press("aj" * EDITS)  # queue (odd rounds) or unqueue each of its 100 papers
    wait_until(app, lambda: cli.poll() is not None, 120, f"round {round_}: the CLI")
    out, errors = cli.communicate()
    assert cli.returncode == 0, errors
    assert json.loads(out.splitlines()[-1])["failures"] == []

    # Every key the app was sent became a save...
    want = app_ids if round_ % 2 else []
    wait_until(app, lambda: Store(db).queue() == want, 60,
               f"round {round_}: the app's {EDITS} queue changes")
    # ... and every command the command line ran is there, with the earlier rounds'.
    store = Store(db)
    for n, paper_id in enumerate(cli_ids):
        assert store.user(paper_id).tags == [f"cli-r{r}-{n}" for r in range(1, round_ + 1)]
    for paper_id in app_ids:
        assert store.user(paper_id).tags == []


def test_the_open_app_and_the_cli_edit_at_once_and_lose_nothing(tmp_path):
    db = tmp_path / "lib" / "library.json"
    app_ids, cli_ids = library(db)
    app = PtyApp(app_env(tmp_path, db), size=(160, 48))
    try:
        app.wait_for(f"{2 * EDITS} of {2 * EDITS} papers", "Paper number 000")
        for round_ in range(1, ROUNDS + 1):
            run_round(app, tmp_path, db, round_, app_ids, cli_ids)
        # The app shows the command line's edits without a restart (it polls
        # the library once a second): its cursor now stands on the command
        # line's first paper, whose tags the detail lists. Then one real command.
        app.wait_for(f"#cli-r{ROUNDS}-0", timeout=30)
        mark = len(app.output)
        result = subprocess.run(
            [str(EXE), "--db", str(db), "tag", cli_ids[0], "seen-by-the-app"],
            capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        app.wait_for("#seen-by-the-app", since=mark, timeout=15)
        app.press("q")
        app.wait_exit()
    finally:
        app.kill()
    final = Store(db)
    assert final.queue() == app_ids  # 5 rounds: queued, unqueued, ..., queued
    assert final.user(cli_ids[0]).tags == [*(f"cli-r{r}-0" for r in range(1, ROUNDS + 1)),
                                           "seen-by-the-app"]
