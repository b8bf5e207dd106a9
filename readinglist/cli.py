"""The command line: ``readinglist`` opens the app; sub-commands script the library.

Every sub-command works on the same core as the app. ``--json`` gives machine
output. Bad input is one line on stderr and a non-zero exit, never a traceback.
Textual is imported only to open the app, so scripted commands start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from readinglist import __version__
from readinglist.citations import DEFAULT_STYLE, STYLES
from readinglist.interchange import EXPORT_FORMATS

STATUS_GLYPHS = {"unread": "\u00b7", "reading": "\u25d0", "read": "\u2713"}
SORTS = ("date", "title", "author", "status", "score")
EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A one-line message for the user; exit status 1."""


# -- argument parsing -----------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH", default=argparse.SUPPRESS,
        help="library file (default: $READINGLIST_DB, else the user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="readinglist", parents=[common],
        description="A reading list of papers in the terminal. With no command, opens the app.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"readinglist {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help, description=help)

    def json_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("import", "import listing files or folders (default: the bundled seeds)")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    json_flag(p)

    p = command("list", "list papers, optionally matching a search query")
    p.add_argument("query", nargs="*", help="search words and filters, e.g. tag:theory year:>=2024")
    p.add_argument("--sort", choices=SORTS, help="order (default: best match, else newest)")
    p.add_argument("--limit", type=int, metavar="N")
    json_flag(p)

    p = command("show", "show one paper in full")
    p.add_argument("id")
    json_flag(p)

    p = command("authors", "list authors with paper counts")
    json_flag(p)

    p = command("tag", "add tags to a paper (or remove them with --remove)")
    p.add_argument("id")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p.add_argument("--remove", action="store_true")
    json_flag(p)

    p = command("status", "set a paper's read status")
    p.add_argument("id")
    p.add_argument("status", choices=("unread", "reading", "read"))
    json_flag(p)

    p = command("queue", "the ordered reading queue")
    qsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = qsub.add_parser("add", parents=[common], help="add a paper (at the end, or --at N)")
    q.add_argument("id")
    q.add_argument("--at", type=int, metavar="N", help="1-based position")
    q = qsub.add_parser("remove", parents=[common], help="take a paper off the queue")
    q.add_argument("id")
    q = qsub.add_parser("move", parents=[common], help="move a paper to position N (1-based)")
    q.add_argument("id")
    q.add_argument("position", type=int)
    q = qsub.add_parser("list", parents=[common], help="show the queue in order")
    json_flag(q)

    p = command("note", "set, append to or edit a paper's Markdown note")
    p.add_argument("id")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--set", metavar="TEXT", dest="set_text")
    how.add_argument("--append", metavar="TEXT", dest="append_text")
    how.add_argument("--edit", action="store_true", help="open $VISUAL or $EDITOR")
    how.add_argument("--show", action="store_true", help="print the note")

    p = command("export", "write the library, or a selection of it, for other tools")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="json")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--query", metavar="Q", help="only papers matching a search query")
    which.add_argument("--tag", metavar="T", help="only papers with this tag")
    which.add_argument("--queue", action="store_true", help="only the reading queue, in order")
    p.add_argument("--abstract", action="store_true", help="BibTeX: include abstracts")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: standard output")

    p = command("config", "the settings file")
    p.add_argument("action", choices=("path", "edit", "show"),
                   help="path: print where it is; edit: open it in $EDITOR; show: the settings in effect")
    json_flag(p)

    p = command("stats", "reading statistics")
    json_flag(p)

    p = command("doctor", "check the library: structure, duplicates, dangling references, files")
    json_flag(p)

    p = command("restore", "list the library's backups, or put one back")
    p.add_argument("backup", nargs="?", metavar="N",
                   help="the backup to restore: 1 is the newest (see the list); omit to list")
    p.add_argument("--all", action="store_true",
                   help="also replace files that are not damaged (by default a good user-data "
                        "file, with your newest tags and notes, is kept)")
    json_flag(p)

    p = command("completion", "print a shell completion script")
    p.add_argument("shell", choices=("bash", "zsh", "fish"))

    p = command("paths", "where everything lives")
    json_flag(p)

    p = command("cite", "print (or copy) citations of papers")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--style", choices=tuple(STYLES), default=None,
                   help="default: $READINGLIST_CITE_STYLE, else citation_style in the settings, "
                        f"else {DEFAULT_STYLE}")
    p.add_argument("--abstract", action="store_true", help="BibTeX: include the abstract")
    p.add_argument("--copy", action="store_true", help="also copy to the clipboard")
    return parser


# -- helpers ---------------------------------------------------------------------------


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _load_settings():
    """The settings file, read once per run; its problems go to stderr."""
    from readinglist.settings import load_settings

    settings = load_settings()
    for problem in settings.problems:
        print(f"readinglist: settings: {problem}", file=sys.stderr)
    return settings


def _db_path(args: argparse.Namespace) -> Path:
    from readinglist.paths import resolve_db_path

    return resolve_db_path(getattr(args, "db", None), args.settings.library)


def _open_library(args: argparse.Namespace, *, seed_if_new: bool = False,
                  for_app: bool = False):
    """The library at --db / $READINGLIST_DB / the settings / the data folder. A
    library that does not exist yet gets the bundled seeds, and the user is told."""
    from readinglist.library import Library
    from readinglist.store import Store

    path = _db_path(args)
    is_new = not path.exists()
    # The app reads a large library's first screen before the rest (lazy); a
    # damaged library is still reported here, before the app starts.
    store = Store(path, keep_read_in_queue=args.settings.queue_when_read == "keep",
                  lazy=for_app)
    if for_app and not is_new and store.head(1) is None:
        store.refresh()  # not the line layout, or damaged: read it whole (raises if damaged)
    library = Library(store)
    notice = None
    if seed_if_new and is_new:
        outcome = library.import_paths(None)
        added = sum(r.added for r in outcome.reports)
        notice = (f"New library at {path}: imported {added} papers from the "
                  f"{len(outcome.reports)} bundled seed listings.")
        print(f"readinglist: {notice}", file=sys.stderr)
    return library, notice


def _line(record: dict[str, Any]) -> str:
    glyph = STATUS_GLYPHS.get(record["status"], "?")
    year = (record["date"] or "")[:4] or "----"
    first = record["authors"][0] if record["authors"] else "?"
    more = " et al." if record["et_al"] or len(record["authors"]) > 1 else ""
    queue = f"#{record['queue_position']} " if record["queue_position"] else ""
    tags = "  [" + ", ".join(record["tags"]) + "]" if record["tags"] else ""
    return f"{record['id']}  {glyph} {year}  {queue}{record['title']}  \u2014 {first}{more}{tags}"


def _print_records(args: argparse.Namespace, records: list[dict[str, Any]]) -> int:
    if args.json:
        _emit(records)
    else:
        for record in records:
            print(_line(record))
    return EXIT_OK


def _sort(records: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    order = {
        "date": (lambda r: r["date"] or "", True),
        "title": (lambda r: r["title"].casefold(), False),
        "author": (lambda r: (r["authors"][0] if r["authors"] else "").casefold(), False),
        "status": (lambda r: ("reading", "unread", "read").index(r["status"]), False),
        "score": (lambda r: r["score"] if r["score"] is not None else -1.0, True),
    }
    func, reverse = order[key]
    return sorted(records, key=func, reverse=reverse)


# -- commands ---------------------------------------------------------------------------


def _progress(number: int, total: int, name: str) -> None:
    """``[3/120] file.txt`` on one line of a terminal's stderr while importing."""
    print(f"\r\x1b[2K[{number}/{total}] reading {name}", end="", file=sys.stderr, flush=True)


def cmd_import(args, library) -> int:
    paths = args.paths or None
    show = sys.stderr.isatty() and not args.json
    outcome = library.import_paths(paths, progress=_progress if show else None)
    if show:
        print("\r\x1b[2K", end="", file=sys.stderr, flush=True)
    if args.json:
        _emit(outcome.to_dict())
    else:
        for r in outcome.reports:
            print(f"{r.file}: {r.added} added, {r.merged} merged, "
                  f"{r.versions} abstract versions attached, {r.flagged} flagged for review")
            if r.absorbed:
                # Abstracts flagged by an earlier listing (or import) that now
                # found their papers: their versions are counted above, though
                # this file did not hold them.
                print(f"  {len(r.absorbed)} abstracts left for review were placed "
                      f"as versions of their papers")
            for warning in r.warnings:
                print(f"  warning: {warning}")
        for file, reason in outcome.rejected:
            print(f"rejected {file}: {reason}", file=sys.stderr)
        print(f"library: {len(library.store.papers())} papers, "
              f"{len(library.store.authors())} authors")
    return EXIT_ERROR if outcome.rejected else EXIT_OK


def cmd_list(args, library) -> int:
    from readinglist.search import QueryError

    query = " ".join(args.query)
    try:
        hits = library.search_index().search(query)
    except QueryError as exc:
        raise CliError(str(exc)) from None
    records = library.records(h.paper_id for h in hits)
    if args.sort:
        records = _sort(records, args.sort)
    if args.limit is not None:
        records = records[: max(args.limit, 0)]
    return _print_records(args, records)


def cmd_show(args, library) -> int:
    store = library.store
    record = library.record(store.resolve(args.id))
    if args.json:
        _emit(record)
        return EXIT_OK
    authors = {a.id: a for a in store.authors()}
    print(record["title"])
    print(", ".join(record["authors"]) + (" et al." if record["et_al"] else ""))
    hidden = [authors[a].name for a in record["author_ids"]
              if a in authors and not any(s in record["authors"] for s in authors[a].spellings)]
    if hidden:
        print(f"(also: {', '.join(hidden)})")
    facts = [
        f"id {record['id']}",
        record["date_text"] or "no date",
        record["category"] or "",
        "code" if record["has_code"] else "",
        f"score {record['score']:g}" if record["score"] is not None else "",
        record["affiliation"] or "",
        record["status"],
        f"queue #{record['queue_position']}" if record["queue_position"] else "",
        "NEEDS REVIEW (provisional title)" if record["needs_review"] else "",
    ]
    print(" \u00b7 ".join(f for f in facts if f))
    if record["tags"]:
        print("tags: " + ", ".join(record["tags"]))
    print("sources: " + ", ".join(f"{s['file']}:{s['line']}" for s in record["sources"]))
    if record["abstract"]:
        print("\n" + record["abstract"])
    for n, version in enumerate(record["abstract_versions"][1:], start=2):
        print(f"\n[abstract version {n}]\n{version}")
    if record["note"]:
        print("\nnote:\n" + record["note"])
    return EXIT_OK


def cmd_authors(args, library) -> int:
    rows = library.author_records()
    if args.json:
        _emit(rows)
        return EXIT_OK
    for row in rows:
        aka = f"  (also {', '.join(row['aliases'])})" if row["aliases"] else ""
        profile = row["profile"]
        stats = (f"  h-index {profile['h_index']}, {profile['citations']} citations"
                 if profile and profile.get("h_index") is not None else "")
        print(f"{row['papers']:4d} papers {row['read']:3d} read  {row['name']}{aka}{stats}")
    return EXIT_OK


def _print_paper_state(args, library, paper_id: str) -> int:
    record = library.record(paper_id)
    if getattr(args, "json", False):
        _emit(record)
    else:
        print(_line(record))
    return EXIT_OK


def cmd_tag(args, library) -> int:
    store = library.store
    paper_id = store.resolve(args.id)
    (store.remove_tags if args.remove else store.add_tags)(paper_id, args.tags)
    return _print_paper_state(args, library, paper_id)


def cmd_status(args, library) -> int:
    paper_id = library.store.resolve(args.id)
    library.store.set_status(paper_id, args.status)
    return _print_paper_state(args, library, paper_id)


def cmd_queue(args, library) -> int:
    store = library.store
    if args.action == "list":
        return _print_records(args, library.records(store.queue()))
    paper_id = store.resolve(args.id)
    if args.action == "add":
        store.queue_add(paper_id, None if args.at is None else max(args.at - 1, 0))
    elif args.action == "remove":
        store.queue_remove(paper_id)
    elif args.action == "move":
        store.queue_move(paper_id, max(args.position - 1, 0))
    return _print_paper_state(args, library, paper_id)


def _edit_in_editor(text: str) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="readinglist-") as folder:
        path = Path(folder) / "note.md"
        path.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run([*shlex.split(editor), str(path)])
        except OSError as exc:
            raise CliError(f"cannot run editor {editor!r}: {exc.strerror}") from None
        if result.returncode != 0:
            raise CliError(f"editor {editor!r} exited with status {result.returncode}; note unchanged")
        return path.read_text(encoding="utf-8")


def cmd_note(args, library) -> int:
    store = library.store
    paper_id = store.resolve(args.id)
    if args.show:
        print(store.user(paper_id).note, end="")
        return EXIT_OK
    if args.set_text is not None:
        store.set_note(paper_id, args.set_text)
    elif args.append_text is not None:
        store.append_note(paper_id, args.append_text)
    else:
        before = store.user(paper_id).note
        after = _edit_in_editor(before)
        if after != before:
            store.set_note(paper_id, after)
    print(f"note saved for {paper_id} ({len(store.user(paper_id).note)} characters)")
    return EXIT_OK


def _selection(args, library) -> list[dict[str, Any]]:
    from readinglist.search import QueryError

    if args.queue:
        return library.records(library.store.queue())
    query = f'tag:"{args.tag}"' if args.tag else (args.query or "")
    try:
        hits = library.search_index().search(query)
    except QueryError as exc:
        raise CliError(str(exc)) from None
    return library.records(h.paper_id for h in hits)


def cmd_export(args, library) -> int:
    from readinglist import interchange
    from readinglist.citations import unique_keys

    if args.format == "json" and not (args.query or args.tag or args.queue):
        data = library.export()
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        count = len(data["papers"])
    else:
        records = _selection(args, library)
        keys = unique_keys(library.store.papers())
        count = len(records)
        text = {
            "json": lambda: json.dumps({"papers": records}, ensure_ascii=False, indent=2) + "\n",
            "bibtex": lambda: interchange.to_bibtex(records, keys, with_abstract=args.abstract),
            "csl-json": lambda: interchange.to_csl_json(records, keys),
            "csv": lambda: interchange.to_csv(records, keys),
            "markdown": lambda: interchange.to_markdown(records),
        }[args.format]()
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc.strerror}") from None
    print(f"exported {count} papers to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_cite(args, library) -> int:
    from readinglist import citations, clipboard

    store = library.store
    style = args.style or os.environ.get("READINGLIST_CITE_STYLE") or args.settings.citation_style
    if style not in STYLES:
        raise CliError(f"unknown citation style {style!r} (from $READINGLIST_CITE_STYLE); "
                       f"choose from {', '.join(STYLES)}")
    ids = [store.resolve(i) for i in args.ids]
    keys = citations.unique_keys(store.papers())
    authors = {a.id: a for a in store.authors()}
    parts = []
    for paper_id in ids:
        paper = store.paper(paper_id)
        user = store.user(paper_id)
        if args.abstract and style in ("bibtex", "biblatex") and paper.abstract:
            extra = [("abstract", "{%s}" % citations.latex_escape(paper.abstract))]
            parts.append(citations.bibtex_entry(paper, keys[paper_id], user.tags, extra,
                                                biblatex=style == "biblatex"))
        else:
            parts.append(citations.cite(paper, authors, style, keys[paper_id], user.tags))
    text = ("\n" if style in ("bibtex", "biblatex") else "").join(
        p if p.endswith("\n") else p + "\n" for p in parts)
    sys.stdout.write(text)
    if args.copy:
        result = clipboard.copy(text if style in ("bibtex", "biblatex") else text.rstrip("\n"))
        print(result.message, file=sys.stderr)
        return EXIT_OK if result.confirmed else EXIT_ERROR
    return EXIT_OK


def cmd_config(args, library) -> int:
    from readinglist.settings import TEMPLATE, load_settings, settings_path

    path = settings_path()
    if args.action == "path":
        print(path)
        return EXIT_OK
    if args.action == "edit":
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(TEMPLATE, encoding="utf-8")
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            status = subprocess.run([*shlex.split(editor), str(path)]).returncode
        except OSError as exc:
            raise CliError(f"cannot run editor {editor!r}: {exc.strerror}") from None
        problems = load_settings(path).problems
        for problem in problems:
            print(f"readinglist: settings: {problem}", file=sys.stderr)
        return EXIT_ERROR if status or problems else EXIT_OK
    settings = args.settings
    if args.json:
        _emit(settings.to_dict())
    else:
        for key, value in settings.to_dict().items():
            if key not in ("presets", "problems", "keys"):
                print(f"{key:16} {value}")
        for binding, key in settings.keys.items():
            print(f"key {binding:12} {key}")
        for preset in settings.presets:
            print(f"preset {preset.key}         {preset.name}: {preset.query}")
    return EXIT_ERROR if settings.problems else EXIT_OK


def cmd_stats(args, library) -> int:
    from datetime import datetime, timezone

    from readinglist import stats

    store = library.store
    result = stats.compute(store.papers(), {a.id: a for a in store.authors()}, store.all_user(),
                           store.queue(), datetime.now(timezone.utc), store.queued_since())
    if args.json:
        _emit(result.to_dict())
    else:
        print(stats.render_text(result))
    return EXIT_OK


def cmd_doctor(args, library) -> int:
    from readinglist.backup import check_library

    findings = check_library(_db_path(args))
    if args.json:
        _emit([{"severity": f.severity, "code": f.code, "message": f.message,
                "path": str(f.path) if f.path else None} for f in findings])
    else:
        for f in findings:
            print(f"{f.severity:7} {f.code:18} {f.message}")
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        print(f"{errors} errors, {warnings} warnings")
    return EXIT_ERROR if any(f.severity == "error" for f in findings) else EXIT_OK


def cmd_restore(args, library) -> int:
    from readinglist.backup import list_backups, restore_backup

    path = _db_path(args)
    backups = list_backups(path)
    if args.backup is None:
        if args.json:
            _emit([{"number": n, "folder": str(b.folder), "taken": b.taken.isoformat(),
                    "ok": b.ok, "problem": b.problem, "description": b.describe()}
                   for n, b in enumerate(backups, start=1)])
        elif not backups:
            print(f"no backups of {path} yet")
        else:
            for n, b in enumerate(backups, start=1):
                print(f"{n:3}  {b.describe()}" + ("" if b.ok else "  (fails the check)"))
        return EXIT_OK
    if not args.backup.isdigit() or not 1 <= int(args.backup) <= len(backups):
        raise CliError(f"no backup number {args.backup!r}: there are {len(backups)} "
                       "(`readinglist restore` lists them)")
    backup = backups[int(args.backup) - 1]
    if not backup.ok:
        raise CliError(f"backup {args.backup} fails the check ({backup.problem}); choose another")
    restored = restore_backup(path, backup, only_damaged=not args.all)
    print(f"restored {backup.describe()}")
    for kept in restored.set_aside:
        print(f"kept the replaced file as {kept}")
    return EXIT_OK


def cmd_completion(args, library) -> int:
    from readinglist.completion import script

    sys.stdout.write(script(args.shell, build_parser()))
    return EXIT_OK


def cmd_paths(args, library) -> int:
    from readinglist.settings import settings_path
    from readinglist.store import journal_path, user_file_path

    db = _db_path(args)
    places = {
        "settings": str(settings_path()),
        "library": str(db),
        "user_data": str(user_file_path(db)),
        "journal": str(journal_path(user_file_path(db))),
        "lock": str(db.with_name(db.name + ".lock")),
        "index": str(db.with_name(db.stem + ".index")),  # readinglist.index_cache.cache_path
    }
    if args.json:
        _emit(places)
    else:
        for name, where in places.items():
            print(f"{name:10} {where}")
    return EXIT_OK


COMMANDS = {
    "import": cmd_import, "list": cmd_list, "show": cmd_show, "authors": cmd_authors,
    "tag": cmd_tag, "status": cmd_status, "queue": cmd_queue, "note": cmd_note,
    "export": cmd_export, "cite": cmd_cite, "config": cmd_config, "paths": cmd_paths,
    "stats": cmd_stats, "completion": cmd_completion, "doctor": cmd_doctor,
    "restore": cmd_restore,
}
# Commands that must work without opening the library (it may be damaged).
NO_LIBRARY = {"config", "paths", "completion", "doctor", "restore"}
SEED_IF_NEW = {"list", "show", "authors", "export", None}


def run_app(args: argparse.Namespace) -> int:
    """Open the Textual app (the only place the CLI imports Textual)."""
    library, notice = _open_library(args, seed_if_new=True, for_app=True)
    from readinglist.tui.app import make_app

    make_app(library.store, notice=notice, settings=args.settings).run()
    return EXIT_OK


class _TerminalSafe:
    """stdout when it is a terminal: text from the library (a note, a title
    another tool wrote) is printed without its control characters, so no
    escape sequence in the data acts on the terminal. Pipes get the bytes."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from readinglist.text import clean

        return self._stream.write(clean(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout.isatty() and not isinstance(sys.stdout, _TerminalSafe):
        sys.stdout = _TerminalSafe(sys.stdout)
    parser = build_parser()
    args = parser.parse_args(argv)
    from readinglist.listings import ListingError
    from readinglist.store import StoreError

    try:
        args.settings = _load_settings()
        if args.command is None:
            return run_app(args)
        if args.command in NO_LIBRARY:
            return COMMANDS[args.command](args, None)
        library, _ = _open_library(args, seed_if_new=args.command in SEED_IF_NEW)
        return COMMANDS[args.command](args, library)
    except (CliError, StoreError, ListingError) as exc:
        print(f"readinglist: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `readinglist list | head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
