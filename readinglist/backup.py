"""Backups of the library, and the checks behind ``readinglist doctor`` and
``readinglist restore``.

A backup is a folder ``backups/<library stem>-<UTC time>/`` beside the library
holding copies of ``library.json`` and ``library.user.json`` as they were. The
store takes one on the first write of a session and then at most once per
``BACKUP_INTERVAL``, of the files as they were *before* that write, and only
when they differ from the newest backup. Each copy is written to a hidden temp
folder, checked (parses, right shape, records readable) and only then renamed
into place; only then are the oldest pruned down to ``BACKUPS_KEPT``. A library
that fails the check is never backed up.

Nothing here deletes a library file: restoring puts the current file aside
(``library.json.replaced-<time>`` or ``library.json.damaged-<time>``,
byte-identical: a hard link to the same bytes where the filesystem allows),
then replaces it atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import filelock

from readinglist import store as _store
from readinglist.store import (
    BACKUP_INTERVAL,
    BACKUPS_KEPT,
    CATALOGUE_TABLES,
    LOCK_TIMEOUT,
    USER_TABLES,
    DamagedFileError,
    StoreError,
    Tables,
    user_file_path,
)

BACKUPS_DIR = "backups"
_STAMP = "%Y%m%dT%H%M%S%fZ"
_ASIDE_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Summary:
    """What a checked library (or backup) holds."""

    papers: int
    authors: int
    annotated: int  # papers with user data
    queued: int


@dataclass(frozen=True)
class Backup:
    """One backup folder. ``summary`` is None and ``problem`` says why when it fails the check."""

    folder: Path
    taken: datetime
    summary: Summary | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        """One line for the user: date and what it holds."""
        when = self.taken.strftime("%Y-%m-%d %H:%M UTC")
        if self.summary is None:
            return f"{when}: {self.problem or 'not checked'}"
        s = self.summary
        return (f"{when}: {s.papers} paper{'s' * (s.papers != 1)}, "
                f"{s.annotated} with notes/tags/status, {s.queued} queued")


@dataclass(frozen=True)
class Restored:
    backup: Backup
    summary: Summary
    set_aside: list[Path] = field(default_factory=list)  # the replaced files, kept


@dataclass(frozen=True)
class Finding:
    """One thing ``doctor`` found. ``severity``: "error" (damage: the library
    cannot be used or data is unreachable), "warning" (inconsistent but usable)
    or "info"."""

    severity: str
    code: str
    message: str
    path: Path | None = None


# -- checking ------------------------------------------------------------------------


def _real(library: str | os.PathLike[str]) -> Path:
    return Path(os.path.realpath(library))


def read_checked(path: Path, known: frozenset[str]) -> Tables | None:
    """A library file's tables after every check the store makes on loading
    (None: no such file). Raises StoreError (DamagedFileError if damaged)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DamagedFileError(f"library file {path} is a folder", path=path, reason="is a folder") from None
    except OSError as error:
        raise StoreError(f"cannot read library file {path}: {error.strerror}",
                         path=path, reason=error.strerror) from None
    tables = _store._parse(path, raw)
    if known is USER_TABLES:
        # The live library's edits since its last compaction, in the user
        # file's own schema: applied before migrating, as the store does.
        tables = _store.read_user_tables(path, tables)
    return _store._loader(known)(path, tables)


def check_files(catalogue: Path, user: Path, *, records: bool = True,
                catalogue_checked: tuple[int, int] | None = None) -> Summary:
    """Check a catalogue and user file pair as the store would load them.

    ``records=False`` skips building every paper and author from the catalogue
    (seconds at 100,000 papers): the file must still parse, hold only
    readinglist tables of objects, at a schema this code reads.
    ``catalogue_checked=(papers, authors)``: the catalogue is a link to one
    already checked; only its redirects are read (from its head when it is in
    the store's line layout) to check the user file against.
    """
    if catalogue_checked is not None:
        head = _store.read_head(catalogue, 0)
        if head is not None:
            user_tables = read_checked(user, USER_TABLES)
            annotations, queue, _ = _store._user_view(user, user_tables, head.redirects)
            return Summary(head.total, catalogue_checked[1], len(annotations), len(queue))
    cat_tables = read_checked(catalogue, CATALOGUE_TABLES)
    user_tables = read_checked(user, USER_TABLES)
    if records:
        papers, authors, redirects = _store._catalogue_view(catalogue, cat_tables)
        counts = len(papers), len(authors)
    else:
        tables = cat_tables or {}
        try:
            redirects = {key: str(doc["to"]) for key, doc in tables.get("redirects", {}).items()}
        except (KeyError, TypeError) as error:
            raise _store._malformed(catalogue, error) from None
        counts = len(tables.get("papers", {})), len(tables.get("authors", {}))
    annotations, queue, _ = _store._user_view(user, user_tables, redirects)
    return Summary(*counts, len(annotations), len(queue))


def _is_damaged(path: Path, known: frozenset[str]) -> bool:
    """Whether the file fails the store's checks, its records included."""
    try:
        tables = read_checked(path, known)
        if known is CATALOGUE_TABLES:
            _store._catalogue_view(path, tables)
        else:
            _store._user_view(path, tables, {})
    except DamagedFileError:
        return True
    except StoreError:
        return False
    return False


# -- listing and taking backups --------------------------------------------------------


def backups_folder(library: str | os.PathLike[str]) -> Path:
    """Where the library's backups are kept: ``backups/`` beside the (real) file."""
    return _real(library).parent / BACKUPS_DIR


def _backup_folders(library: Path) -> list[tuple[datetime, Path]]:
    """Backup folders of this library, newest first (by the time in their names)."""
    folder = library.parent / BACKUPS_DIR
    prefix = f"{library.stem}-"
    found = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            taken = datetime.strptime(entry.name[len(prefix):], _STAMP).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        found.append((taken, Path(entry.path)))
    return sorted(found, reverse=True)


def list_backups(library: str | os.PathLike[str], *, check: bool = True) -> list[Backup]:
    """The library's backups, newest first; each checked unless ``check=False``."""
    library = _real(library)
    user = user_file_path(library)
    backups = []
    for taken, folder in _backup_folders(library):
        if not check:
            backups.append(Backup(folder, taken))
            continue
        try:
            summary = check_files(folder / library.name, folder / user.name)
        except StoreError as error:
            backups.append(Backup(folder, taken, problem=str(error)))
        else:
            backups.append(Backup(folder, taken, summary))
    return backups


def newest_good_backup(library: str | os.PathLike[str]) -> Backup | None:
    """The newest backup that passes the check, or None."""
    for backup in list_backups(library):
        if backup.ok:
            return backup
    return None


def restore_hint(library: str | os.PathLike[str]) -> tuple[str, Backup | None]:
    """What to tell a user whose library file is damaged: the newest good backup."""
    backup = newest_good_backup(library)
    if backup is None:
        return "There is no good backup to restore", None
    return (f"Newest good backup: {backup.describe()}; `readinglist restore` puts it back "
            "and keeps the damaged file"), backup


def take_backup(
    library: str | os.PathLike[str],
    now: datetime,
    *,
    interval: timedelta = BACKUP_INTERVAL,
    kept: int = BACKUPS_KEPT,
    checked: tuple[tuple[int, int, int], int, int] | None = None,
) -> Backup | None:
    """Back up the library as it is on disk now, if it is due; the new backup or None.

    Due: the newest backup is at least ``interval`` old (or there is none) and
    the files differ from it. The caller holds the library's lock (the store
    does, inside a write). Raises StoreError if the library fails the check or
    the copy cannot be written; nothing is left behind then.

    ``checked=(signature, papers, authors)``: the caller read (or wrote) the
    catalogue with that signature and built every record from it, so a
    catalogue that still has it is copied without being parsed again (at
    100,000 papers the check was 1.8 of the 3 s that the first edit after
    an import took).
    """
    library = _real(library)
    user = user_file_path(library)
    sources = [p for p in (library, user) if p.exists()]
    if not sources:
        return None
    user_raw = _store.user_file_bytes(user)  # the user file with its journal applied
    existing = _backup_folders(library)
    newest: Path | None = None
    signature = _signature(library)
    if existing:
        newest_time, newest = existing[0]
        if now - newest_time < interval:
            return None
        same_catalogue = _recorded_signature(newest) == signature
        if same_catalogue and _same_user(newest, user, user_raw):
            return None
    else:
        same_catalogue = False
    # Counts of a catalogue already checked: by the newest backup, or by the caller.
    counts = _recorded_counts(newest) if same_catalogue else None
    if counts is None and checked is not None and signature is not None and tuple(checked[0]) == signature:
        counts = (checked[1], checked[2])
    folder = library.parent / BACKUPS_DIR
    final = folder / f"{library.stem}-{now.astimezone(timezone.utc).strftime(_STAMP)}"
    if final.exists():
        return None
    temp: Path | None = None
    try:
        _make_private_folder(folder)
        temp = Path(tempfile.mkdtemp(dir=folder, prefix=f".{library.stem}-", suffix=_store.TEMP_SUFFIX))
        for source in sources:
            previous = newest / source.name if newest is not None else None
            if source == user:
                _store._atomic_write(temp / source.name, user_raw or b"")
            elif source == library and same_catalogue:
                _link_or_copy(previous, temp / source.name)  # unchanged since it was checked
            elif previous is not None and _same_bytes(source, previous):
                _link_or_copy(previous, temp / source.name)  # an unchanged catalogue: no copy
            else:
                _store._atomic_write(temp / source.name, source.read_bytes())
        if counts is not None:
            # The catalogue was checked when the newest backup took it, or when
            # the store read it; only the user file is new. (At 100,000 papers
            # the whole check took 2.7 s, on the first edit of every session.)
            summary = check_files(temp / library.name, temp / user.name, records=False,
                                  catalogue_checked=counts)
        else:
            summary = check_files(temp / library.name, temp / user.name, records=False)
        if signature is not None:
            _store._atomic_write(temp / SIGNATURE_FILE, json.dumps(  # 0600, like the rest
                {"catalogue": list(signature), "papers": summary.papers,
                 "authors": summary.authors}).encode())
        os.rename(temp, final)
    except OSError as error:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
        raise StoreError(f"could not back up the library into {folder}: {error.strerror or error}",
                         path=folder, reason=error.strerror) from None
    except BaseException:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
        raise
    _store._fsync_folder(folder)
    for _, old in _backup_folders(library)[kept:]:
        shutil.rmtree(old, ignore_errors=True)
    return Backup(final, datetime.strptime(final.name[len(library.stem) + 1:], _STAMP)
                  .replace(tzinfo=timezone.utc), summary)


#: In each backup: the live catalogue's (size, mtime_ns, inode) when it was
#: copied, and its counts. The store replaces the catalogue on every write, so
#: an equal signature means the same bytes, without reading 200 MB twice.
SIGNATURE_FILE = "catalogue-signature.json"


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _recorded(backup: Path) -> dict | None:
    try:
        data = json.loads((backup / SIGNATURE_FILE).read_text())
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def _recorded_signature(backup: Path) -> tuple[int, ...] | None:
    data = _recorded(backup)
    try:
        return tuple(int(v) for v in data["catalogue"]) if data else None
    except (KeyError, TypeError, ValueError):
        return None


def _recorded_counts(backup: Path) -> tuple[int, int]:
    data = _recorded(backup) or {}
    return int(data.get("papers", 0)), int(data.get("authors", 0))


def _same_user(backup: Path, user: Path, user_raw: bytes | None) -> bool:
    """Whether the backup's user file holds exactly ``user_raw`` (the library's
    user data; its catalogue is known to be the same), or both have none."""
    copy = backup / user.name
    if user_raw is None or not copy.exists():
        return user_raw is None and not copy.exists()
    try:
        return copy.stat().st_size == len(user_raw) and copy.read_bytes() == user_raw
    except OSError:
        return False


def _same_bytes(one: Path, other: Path) -> bool:
    try:
        return one.stat().st_size == other.stat().st_size and one.read_bytes() == other.read_bytes()
    except OSError:
        return False


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` with ``source``'s bytes: a hard link (backups are never
    written in place), or a copy where links are not allowed."""
    try:
        os.link(source, target)
    except OSError:
        _store._atomic_write(target, source.read_bytes())


def _make_private_folder(folder: Path) -> None:
    if not folder.is_dir():
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
    else:
        tighten(folder)


def tighten(path: Path) -> None:
    """Take group and other permissions off a file or folder (best effort):
    0644 becomes 0600, 0755 becomes 0700."""
    with contextlib.suppress(OSError):
        current = stat.S_IMODE(os.stat(path).st_mode)
        if current & 0o077:
            os.chmod(path, current & 0o700)


def sweep_temp_files(library: str | os.PathLike[str]) -> list[Path]:
    """Remove temp files and folders that a crash mid-save or mid-backup left.

    Call only while holding the library's lock (every save holds it, so no save
    is under way). Returns what was removed.
    """
    library = _real(library)
    removed = []
    user = user_file_path(library)
    for path in (library, user, _store.journal_path(user)):
        for temp in _store.temp_files(path):
            with contextlib.suppress(OSError):
                temp.unlink()
                removed.append(temp)
    folder = library.parent / BACKUPS_DIR
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name.startswith(f".{library.stem}-") and name.endswith(_store.TEMP_SUFFIX):
                shutil.rmtree(folder / name, ignore_errors=True)
                removed.append(folder / name)
    return removed


# -- restoring and setting aside -------------------------------------------------------


def _aside_path(path: Path, kind: str, now: datetime) -> Path:
    base = f"{path.name}.{kind}-{now.astimezone(timezone.utc).strftime(_ASIDE_STAMP)}"
    candidate, n = path.with_name(base), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{base}-{n}")
    return candidate


def _keep_aside(path: Path, aside: Path) -> None:
    """Keep ``path``'s current bytes at ``aside`` without touching ``path``."""
    _link_or_copy(path, aside)
    tighten(aside)


def _lock(library: Path, timeout: float) -> filelock.FileLock:
    return filelock.FileLock(f"{library}.lock", timeout=timeout, mode=0o600)


def _locked(lock: filelock.FileLock):
    try:
        lock.acquire()
    except filelock.Timeout:
        raise StoreError(f"library is locked by another readinglist process ({lock.lock_file}); "
                         "try again when it has finished") from None
    return lock


def quarantine(
    path: str | os.PathLike[str], now: datetime | None = None, *, lock_timeout: float = LOCK_TIMEOUT
) -> Path:
    """Move a (damaged) library file aside to ``<name>.damaged-<time>``, unchanged;
    returns where it went. The library then reads as if that file did not exist,
    so call this only when the user has chosen to start afresh or restore."""
    path = _real(path)
    catalogue = path if not path.name.endswith(".user.json") else path.with_name(
        path.name[: -len(".user.json")] + ".json")
    now = now or datetime.now(timezone.utc)
    with _locked(_lock(catalogue, lock_timeout)):
        aside = _aside_path(path, "damaged", now)
        os.rename(path, aside)
        _store._fsync_folder(path.parent)
    return aside


def restore_backup(
    library: str | os.PathLike[str],
    backup: Backup | str | os.PathLike[str],
    now: datetime | None = None,
    *,
    lock_timeout: float = LOCK_TIMEOUT,
    only_damaged: bool = False,
) -> Restored:
    """Put a backup back in place of the library.

    The backup is checked first (a bad one raises StoreError and nothing
    changes). Under the lock, each current file is kept aside
    (``.replaced-<time>``, or ``.damaged-<time>`` if it fails the check) and
    then atomically replaced by the backup's copy; a file the backup does not
    have is moved aside. Catalogue first, user file second.

    ``only_damaged``: leave a current file that passes the check alone. When
    only the catalogue is damaged, the user's newer tags, notes and queue stay
    (paper ids are stable, so they still fit the restored catalogue).
    """
    library = _real(library)
    user = user_file_path(library)
    folder = backup.folder if isinstance(backup, Backup) else Path(backup)
    now = now or datetime.now(timezone.utc)
    try:
        summary = check_files(folder / library.name, folder / user.name)
    except StoreError as error:
        raise StoreError(f"backup {folder} cannot be restored: {error}", path=folder,
                         reason=error.reason) from None
    if not (folder / library.name).exists() and not (folder / user.name).exists():
        raise StoreError(f"backup {folder} holds no library files", path=folder)
    taken = backup.taken if isinstance(backup, Backup) else now
    set_aside = []
    with _locked(_lock(library, lock_timeout)):
        for target, known in ((library, CATALOGUE_TABLES), (user, USER_TABLES)):
            source = folder / target.name
            damaged = target.exists() and _is_damaged(target, known)
            if only_damaged and target.exists() and not damaged:
                continue
            if target.exists():
                kind = "damaged" if damaged else "replaced"
                aside = _aside_path(target, kind, now)
                _keep_aside(target, aside)
                set_aside.append(aside)
                if not source.exists():
                    os.unlink(target)  # its bytes are kept at ``aside``
            if source.exists():
                _store._atomic_write(target, source.read_bytes())
            journal = _store.journal_path(target)
            if target == user and journal.exists():
                # Its changes belong to the user file just replaced (and are
                # in the copy kept aside, with it).
                aside = _aside_path(journal, "replaced", now)
                os.rename(journal, aside)
                set_aside.append(aside)
        _store._fsync_folder(library.parent)
    return Restored(Backup(folder, taken, summary), summary, set_aside)


# -- doctor ----------------------------------------------------------------------------


def _title_key(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())


def check_library(library: str | os.PathLike[str], *,
                  lock_timeout: float = LOCK_TIMEOUT) -> list[Finding]:
    """Everything ``readinglist doctor`` reports about the library, worst first.

    Reads only; changes nothing. The library's files are read under its lock,
    so that a save in another process (an append, a compaction rewriting the
    user file and the journal) is not seen half done. If the lock cannot be
    had (held past ``lock_timeout``, or a read-only folder), they are read
    without it, and a finding says so.
    """
    library = _real(library)
    findings: list[Finding] = []
    if library.is_dir():
        return [Finding("error", "is-folder", f"library path {library} is a folder, not a file", library)]
    lock = _lock(library, lock_timeout) if library.exists() else None
    try:
        if lock is not None:
            lock.acquire()
    except filelock.Timeout:
        lock = None
        findings.append(Finding("info", "unlocked", f"another readinglist process held the library "
                                f"for over {lock_timeout:.0f} s; read while it was saving, so a "
                                "finding may describe a change half made", library))
    except OSError:
        lock = None  # a read-only folder: nothing can be saving there
    try:
        _check_files(library, findings.append)
    finally:
        if lock is not None:
            lock.release()
    _check_backups(library, findings.append)
    rank = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: rank.get(f.severity, 3))


def _check_files(library: Path, add) -> None:
    """The library's own files: the catalogue, the user file and its journal,
    left-over temporary files and files set aside."""
    user = user_file_path(library)
    tables: dict[Path, Tables | None] = {}
    for path, known in ((library, CATALOGUE_TABLES), (user, USER_TABLES)):
        try:
            tables[path] = read_checked(path, known)
        except DamagedFileError as error:
            add(Finding("error", "damaged", str(error), error.path or path))
        except StoreError as error:
            add(Finding("error", "unreadable", str(error), path))
        else:
            if tables[path] is None:
                add(Finding("info", "missing", f"{path.name} does not exist yet", path))
            with contextlib.suppress(OSError):
                mode = stat.S_IMODE(os.stat(path).st_mode)
                if mode & 0o077:
                    add(Finding("warning", "permissions",
                                f"{path} is readable by others (mode {mode:o}); the next save makes it 0600",
                                path))

    if library in tables and user in tables:
        _check_records(library, user, tables[library], tables[user], add)

    journal = _store.journal_path(user)
    with contextlib.suppress(StoreError, OSError):
        raw = journal.read_bytes()
        if _store._parse_journal(journal, raw).torn:
            add(Finding("info", "journal-tail", f"{journal.name} ends with a change whose save was "
                        "interrupted; it is not read, and the next save removes it", journal))
    for path in (library, user, journal):
        for temp in _store.temp_files(path):
            add(Finding("info", "temp-file", f"{temp.name} was left by an interrupted save; "
                        "the next save removes it", temp))
    with contextlib.suppress(OSError):
        for name in sorted(os.listdir(library.parent)):
            if re.fullmatch(rf"{re.escape(library.stem)}(\.user)?\.(json|journal)\.(damaged|replaced)-.*", name):
                add(Finding("info", "set-aside", f"{name} is a library file set aside earlier (kept)",
                            library.parent / name))


def _check_backups(library: Path, add) -> None:
    backups = list_backups(library)
    good = [b for b in backups if b.ok]
    for backup in backups:
        if not backup.ok:
            add(Finding("warning", "bad-backup", f"backup {backup.folder.name} fails the check: "
                        f"{backup.problem}", backup.folder))
    if good:
        add(Finding("info", "backup", f"newest good backup: {good[0].describe()}", good[0].folder))
    else:
        add(Finding("info", "backup", "no good backup yet", None))


def _check_records(library: Path, user: Path, cat: Tables | None, usr: Tables | None, add) -> None:
    cat, usr = cat or {}, usr or {}
    papers = cat.get("papers", {})
    authors = cat.get("authors", {})
    redirect_docs = cat.get("redirects", {})
    try:
        _, _, redirects = _store._catalogue_view(library, cat)
    except StoreError as error:
        add(Finding("error", "damaged", str(error), library))
        return
    try:
        _store._user_view(user, usr, redirects)
    except StoreError as error:
        add(Finding("error", "damaged", str(error), user))
        return

    for key, doc in papers.items():
        if doc.get("id") != key:
            add(Finding("error", "wrong-id", f"paper stored under '{key}' says its id is "
                        f"{doc.get('id')!r}", library))
    for key, doc in authors.items():
        if doc.get("id") != key:
            add(Finding("error", "wrong-id", f"author stored under '{key}' says its id is "
                        f"{doc.get('id')!r}", library))

    titles: dict[str, list[str]] = {}
    for key, doc in papers.items():
        title = doc.get("title")
        if isinstance(title, str) and _title_key(title):
            titles.setdefault(_title_key(title), []).append(key)
    for ids in titles.values():
        if len(ids) > 1:
            title = papers[ids[0]]["title"]
            add(Finding("warning", "duplicate-title",
                        f"{len(ids)} papers share the title {title!r}: {', '.join(ids)}", library))

    for key, doc in papers.items():
        for author_id in _ids(doc.get("author_ids")):
            if author_id not in authors:
                add(Finding("error", "dangling-author",
                            f"paper '{key}' names author id '{author_id}', which does not exist", library))
    for key, doc in authors.items():
        for paper_id in _ids(doc.get("paper_ids")):
            if paper_id not in papers:
                target = _store._follow(redirects, paper_id)
                if target in papers:
                    add(Finding("warning", "stale-paper-id", f"author '{key}' lists paper '{paper_id}', "
                                f"since merged into '{target}'", library))
                else:
                    add(Finding("error", "dangling-paper",
                                f"author '{key}' lists paper id '{paper_id}', which does not exist", library))

    for old in redirect_docs:
        target = _store._follow(redirects, old)
        if target not in papers:
            add(Finding("error", "dangling-redirect",
                        f"redirect '{old}' leads to '{target}', which does not exist", library))
        elif old in papers:
            add(Finding("warning", "shadowed-redirect",
                        f"'{old}' is both a paper and a redirect to '{target}'", library))

    for key in usr.get("annotations", {}):
        if _store._follow(redirects, key) not in papers:
            add(Finding("error", "orphan-user-data",
                        f"user data (notes, tags, status) for unknown paper '{key}' is kept but not shown",
                        user))
    queue = _ids(usr.get("queue", {}).get(_store.QUEUE_KEY, {}).get("ids"))
    for paper_id in queue:
        if _store._follow(redirects, paper_id) not in papers:
            add(Finding("warning", "orphan-queue-entry", f"the queue holds unknown paper '{paper_id}'", user))
    for paper_id, count in Counter(queue).items():
        if count > 1:
            add(Finding("warning", "queue-duplicate", f"paper '{paper_id}' is queued {count} times", user))


def _ids(value: object) -> Iterable[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
