"""SVG snapshots at a fixed size on the seeded library with a fixed clock."""

from __future__ import annotations

from readinglist.tui.app import make_app

SIZE = (120, 36)


def test_main_screen(snap_compare, store):
    assert snap_compare(make_app(store), terminal_size=SIZE)


def test_detail_pane(snap_compare, store):
    # a paper with tags, status, a note and a queue place
    paper_id = sorted(store.papers(), key=lambda p: (p.date or ""), reverse=True)[1].id
    store.set_tags(paper_id, ["theory", "neural-collapse"])
    store.set_status(paper_id, "reading")
    store.queue_add(paper_id)
    store.set_note(paper_id, "## Why read\n- exact **two-step** dynamics\n- compare with `muP`")
    assert snap_compare(make_app(store), terminal_size=SIZE, press=["j", "enter"])


def test_queue_view(snap_compare, store):
    papers = sorted(store.papers(), key=lambda p: (p.date or ""), reverse=True)
    for paper in papers[3:7]:
        store.queue_add(paper.id)
    store.set_status(papers[4].id, "reading")
    assert snap_compare(make_app(store), terminal_size=SIZE, press=["2"])


def test_help(snap_compare, store):
    assert snap_compare(make_app(store), terminal_size=SIZE, press=["question_mark"])


def test_narrow_80x24(snap_compare, store):
    assert snap_compare(make_app(store), terminal_size=(80, 24))


def test_light_theme(snap_compare, store):
    from readinglist.settings import Settings

    # every column and the cursor row must stay readable on a light theme
    app = make_app(store, settings=Settings(theme="textual-light"))
    assert snap_compare(app, terminal_size=SIZE, press=["j", "j"])


def sixteen_colour_app(store, monkeypatch, palette):
    """The app as a 16-colour terminal with ``palette`` shows it: started as in such a
    terminal (it picks the terminal's own palette) and exported in 16 colours."""
    import colours16
    from test_sixteen_colours import reading_list

    from readinglist.tui.app import ReadingListApp

    monkeypatch.setattr(ReadingListApp, "sixteen_colours", lambda self: True)
    reading_list(store)  # cursor on a reading, queued, tagged paper with code
    app = make_app(store)
    app.export_screenshot = lambda title=None, simplify=False: colours16.export_svg(
        app, colours16.PALETTES[palette])
    return app


def test_16_colours_dark_terminal(snap_compare, store, monkeypatch):
    monkeypatch.delenv("COLORFGBG", raising=False)  # ansi-dark
    app = sixteen_colour_app(store, monkeypatch, "xterm-dark")
    assert snap_compare(app, terminal_size=SIZE, press=["j", "k"])


def test_16_colours_light_terminal(snap_compare, store, monkeypatch):
    monkeypatch.setenv("COLORFGBG", "0;15")  # ansi-light; focus in the detail pane
    app = sixteen_colour_app(store, monkeypatch, "tango-light")
    assert snap_compare(app, terminal_size=SIZE, press=["tab"])
