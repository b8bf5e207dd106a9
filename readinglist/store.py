"""The library on disk. The only module that imports TinyDB.

Two JSON files, so that a tag or a note never rewrites the catalogue (which
can hold 100,000 papers), and a journal, so that it does not rewrite the user
file either:

- ``library.json``: the catalogue. Tables ``papers`` and ``authors`` (keyed by
  id), ``redirects`` (old paper id -> ``{"to": new id}``, left by merges) and
  ``meta`` (``{"info": {"schema": 1}}``).
- ``library.user.json`` beside it: what the user added. Tables
  ``annotations`` (paper id -> UserData), ``queue`` (``{"main": {"ids": [...],
  "updated": ...}}``) and ``meta``.
- ``library.user.journal`` beside them: one line per change made since the
  user file was last written whole (see "the user file's journal" below).
- ``library.json.lock``: the lock file every write holds (see ``_transaction``).

Why it is built this way (measured, see the design notes): stock TinyDB
storage overwrites in place and tears files on a kill, so every write here is
a temp file plus ``os.replace``, or a checksummed line appended to the journal
(a line cut short is never read); atomic writes alone still lose concurrent
updates, so every read-modify-write holds a lock; and re-parsing a large file
on every operation is slow, so each file is parsed once and re-read only when
its size, mtime or inode changed.

When a save fails (full disk, read-only folder, an I/O error) the call raises
StoreError naming the file and the OS's reason; the files on disk and the
store's memory are as they were before the call, no temp file is left, and the
change is "pending" in the only honest sense: the caller still holds it and
retries by making the same call again. (Exception: in an import, if the
catalogue was saved and the user file then failed, the import is in; the
moved user data already shows and is stored by the next write.)

A file that is empty, cut short, not JSON, of the wrong shape or another
program's raises DamagedFileError: it is never read as an empty library and
never written over; the message offers the newest good backup and its date.
``readinglist.backup`` takes rotating backups (on the first write of a
session, at most hourly), restores them and checks a library (doctor).

Temp files (``.library.json.<random>.tmp``) are never read as the library; one
left by a crash is removed at the next open (if no save holds the lock) or
the next write. ``_crash_hook`` marks each step of a save for the crash tests.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import mmap
import os
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Sequence, Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import filelock
import orjson

try:
    import fcntl
except ImportError:  # Windows: filelock's own lock
    fcntl = None  # type: ignore[assignment]
from tinydb.storages import Storage
from tinydb.table import Table

from readinglist.background import pause
from readinglist.models import STATUSES, Author, Paper, UserData

if TYPE_CHECKING:
    from readinglist.listings.merge import ImportReport
    from readinglist.models import ParsedListing

Tables = dict[str, dict[str, Any]]
Signature = tuple[int, int, int]  # st_size, st_mtime_ns, st_ino

#: The layout version this code writes. Both files carry it in ``meta``.
SCHEMA_VERSION = 1
#: ``MIGRATIONS[n]`` turns a file's tables at schema ``n`` into schema ``n + 1``.
#: The same table serves both files: a step changes the tables it finds.
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {}
LOCK_TIMEOUT = 10.0  # seconds
#: A backup is taken at most this often (see ``readinglist.backup``), and this many kept.
BACKUP_INTERVAL = timedelta(hours=1)
BACKUPS_KEPT = 10

META_KEY = "info"
QUEUE_KEY = "main"


class StoreError(Exception):
    """A problem with the library files, worded for the user in one line.

    ``path`` is the file concerned and ``reason`` the OS's or the parser's
    reason, when there is one, for callers that show them apart.
    """

    def __init__(self, message: str, *, path: Path | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class DamagedFileError(StoreError):
    """A library file that is not a readinglist library: empty, cut short, not
    JSON, the wrong shape, another program's file. It is never read as an empty
    library and never written over; ``readinglist.backup`` can put it aside and
    restore a backup. ``backup`` is the newest good backup, when the store
    looked for one (a ``readinglist.backup.Backup``), else None."""

    backup: Any = None


def utc_now() -> datetime:
    """The default clock: timezone-aware, so stored times compare across machines."""
    return datetime.now(timezone.utc)


def user_file_path(catalogue: Path) -> Path:
    """The user's data file beside the catalogue: ``library.json`` -> ``library.user.json``."""
    return catalogue.with_name(f"{catalogue.stem}.user.json")


def normalize_tags(tags: Iterable[str]) -> list[str]:
    """Tags as the library keeps them.

    Trimmed, inner whitespace collapsed to one space, empties dropped; the
    first spelling of a tag wins, so ``ML`` and ``ml`` on one paper are one tag
    while the user's capitalisation is kept.
    """
    kept: dict[str, str] = {}
    for tag in tags:
        clean = " ".join(tag.split())
        if clean:
            kept.setdefault(clean.casefold(), clean)
    return list(kept.values())


def merge_user_data(kept: UserData, absorbed: UserData) -> UserData:
    """One paper's user data after a merge folded ``absorbed``'s paper into ``kept``'s.

    Nothing the user wrote is dropped: tags are united, notes joined, the more
    advanced status wins and each status keeps its earliest time.
    """
    since = {**absorbed.status_since, **kept.status_since}
    for status, when in absorbed.status_since.items():
        since[status] = min(since[status], when)
    return UserData(
        paper_id=kept.paper_id,
        tags=normalize_tags([*kept.tags, *absorbed.tags]),
        status=max(kept.status, absorbed.status, key=_status_rank),
        status_since=since,
        note=_join_notes(kept.note, absorbed.note),
        updated=max(filter(None, (kept.updated, absorbed.updated)), default=None),
    )


# -- the file ------------------------------------------------------------------


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never tears a file and parses it only when it changed.

    Writes go to a temp file in the same folder, are fsynced and renamed over
    the old file, so a reader or a crash sees the old file or the new one,
    never a mix. A file that is empty or not JSON is refused, never read as an
    empty library (which the next write would then make permanent).

    Between ``begin()`` and ``commit()`` writes are buffered: several TinyDB
    operations become one file write, or none if ``rollback()`` is called.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        on_load: Callable[[Path, Tables], Tables] | None = None,
        dumps: Callable[[Tables], bytes] = orjson.dumps,
    ) -> None:
        """``on_load`` sees each freshly parsed file first (schema checks, migrations);
        ``dumps`` turns the tables into the file's bytes (any valid JSON layout)."""
        # The real path: replacing a symlink would turn it into a plain file.
        self.path = Path(os.path.realpath(path))
        #: Goes up whenever the cached data is replaced, so owners of derived
        #: views know when to rebuild them.
        self.generation = 0
        #: Goes up whenever the data is (re)read from disk, i.e. not written by us.
        self.reloads = 0
        self._on_load = on_load
        self._dumps = dumps
        self._data: Tables | None = None
        self._signature: Signature | None = None  # None: the file did not exist
        self._loaded = False
        self._buffering = False
        self._dirty = False

    # TinyDB's Storage interface

    def read(self) -> Tables | None:
        """The whole database (``None`` if the file does not exist yet).

        TinyDB mutates the returned dict in place before calling ``write``;
        that is safe because a failed write or a rollback drops the cache.
        """
        if not self._buffering:
            self.reload_if_changed()
        return self._data

    def write(self, data: Tables) -> None:
        """Replace the database: at once, or at ``commit()`` while buffering."""
        self._data = data
        if self._buffering:
            self._dirty = True
        else:
            self._flush()

    def close(self) -> None:
        """Nothing is held open; drop the cache to free its memory."""
        self.invalidate()

    # Cache

    def reload_if_changed(self) -> bool:
        """Re-parse the file if it changed on disk since we last saw it; True if so."""
        if self._loaded and _disk_signature(self.path) == self._signature:
            return False
        self._load()
        return True

    @property
    def signature(self) -> Signature | None:
        """The signature of the file as last read or written."""
        return self._signature

    def release(self) -> None:
        """Drop the cached data to free its memory (the next read parses the
        file again) without counting as a change: owners of views built from
        it keep them."""
        if not self._buffering:
            self._data, self._loaded = None, False

    def invalidate(self) -> None:
        """Forget the cached data; the next read parses the file again."""
        self._data, self._signature, self._loaded = None, None, False
        self.generation += 1

    # Transactions

    def begin(self) -> None:
        """Catch up with the disk, then buffer writes until ``commit()``."""
        self.reload_if_changed()
        self._buffering, self._dirty = True, False

    @property
    def dirty(self) -> bool:
        """Whether a write was buffered since ``begin()``."""
        return self._dirty

    def commit(self) -> bool:
        """Write the buffered data in one atomic replace; True if the file changed."""
        try:
            return self._dirty and self._flush()
        finally:
            self._buffering = self._dirty = False

    def rollback(self) -> None:
        """Drop buffered writes, and the cache TinyDB may have mutated for them."""
        self._buffering = self._dirty = False
        self.invalidate()

    # Internals

    def _load(self) -> None:
        raw, signature = self._read_file()
        data = None
        if raw is not None:
            data = _parse(self.path, raw)
            if self._on_load is not None:
                data = self._on_load(self.path, data)
        self._data, self._signature, self._loaded = data, signature, True
        self.generation += 1
        self.reloads += 1

    def _read_file(self) -> tuple[bytes | None, Signature | None]:
        """The file's bytes and signature (None, None: no such file)."""
        try:
            with open(self.path, "rb") as file:
                # fstat of the open file: the signature matches the bytes read.
                signature: Signature | None = _signature_of(os.fstat(file.fileno()))
                return file.read(), signature
        except FileNotFoundError:
            return None, None
        except IsADirectoryError:
            raise StoreError(
                f"library path {self.path} is a folder, not a file; "
                f"point readinglist at a file such as {self.path / 'library.json'}",
                path=self.path, reason="is a folder",
            ) from None
        except OSError as error:
            raise StoreError(
                f"cannot read library file {self.path}: {error.strerror}",
                path=self.path, reason=error.strerror,
            ) from None

    @contextmanager
    def _saving(self, path: Path) -> Iterator[None]:
        """A save of ``path``: if it fails, the cache is dropped (TinyDB or the
        store may have changed it already) and an OSError becomes a StoreError
        that names the file and the reason."""
        try:
            yield
        except OSError as error:
            self.invalidate()
            reason = error.strerror or str(error)
            raise StoreError(
                f"could not save library file {path}: {reason}; "
                "the file on disk was left as it was",
                path=path, reason=reason,
            ) from None
        except BaseException:
            self.invalidate()
            raise

    def _flush(self) -> bool:
        """Write the cached data to disk unless the file already holds exactly it."""
        with self._saving(self.path):
            raw = self._dumps(self._data or {})
            if _file_holds(self.path, raw):
                return False
            signature = _atomic_write(self.path, raw)
        self._signature, self._loaded = signature, True
        self.generation += 1
        return True


# -- the user file's journal -----------------------------------------------------
#
# A save used to rewrite the whole user file: at 100,000 papers with a few
# hundred tagged, 450 KB dumped, written and fsynced for one tag. Now an edit
# appends one line to ``library.user.journal`` and syncs that (a few hundred
# bytes, whatever the library's size); the user file is a snapshot that the
# journal's lines are replayed onto, rewritten ("compacted") only when the
# journal has grown as large as the snapshot, when a change is too big for a
# line, or when the journal does not belong to the snapshot.
#
#     {"readinglist-journal":1,"snapshot":"<id>"}
#     <crc32 of the JSON, 8 hex digits> [["put","annotations","<paper id>",{...}],["drop",...]]
#     ...
#
# - The header names the snapshot the lines apply to (``meta.journal.snapshot``
#   in the user file). A compaction writes a snapshot with a new id, then a new
#   journal holding only the header (both atomically): a crash between the two
#   leaves a journal naming the old snapshot, which is ignored, correctly, as
#   its lines are in the new snapshot.
# - A line is one whole change (every document it put or dropped), so a change
#   is in or out, never half. A line cut short or failing its checksum at the
#   end of the file is a save that was killed before it returned: it is not
#   read, and the next save cuts it off before appending. Such a line anywhere
#   else is damage, reported like a damaged user file.
# - Puts and drops carry whole documents, so replaying is the same as reading
#   the state they left; another process reads only the lines it has not seen.

JOURNAL_FORMAT = 1
#: The journal is compacted into the snapshot when it would grow past the
#: larger of this and the snapshot's size (so replaying it at open costs no
#: more than reading the snapshot does).
JOURNAL_MIN_LIMIT = 256 << 10
#: The steps of an append, in order, as ``_crash_hook`` is told them.
APPEND_STEPS = ("appending", "appended", "append-synced")
JOURNAL_KEY = "journal"


def journal_path(user_path: Path) -> Path:
    """The journal beside the user file: ``library.user.json`` -> ``library.user.journal``."""
    name = user_path.name
    stem = name[: -len(".json")] if name.endswith(".json") else name
    return user_path.with_name(f"{stem}.journal")


def _journal_header(snapshot: str) -> bytes:
    return orjson.dumps({"readinglist-journal": JOURNAL_FORMAT, "snapshot": snapshot}) + b"\n"


def _journal_line(ops: list[list[Any]]) -> bytes:
    body = orjson.dumps(ops)
    return b"%08x %s\n" % (zlib.crc32(body), body)


class _Journal(NamedTuple):
    """What a journal file holds for a snapshot: its header's snapshot id (None
    if it has none), its changes in order, and where its valid bytes end."""

    snapshot: str | None
    changes: list[list[list[Any]]]
    end: int
    torn: bool  # an unfinished last line was left out
    last: int = -1  # where the last whole line starts (-1: no line)


_NO_SNAPSHOT = object()


def _parse_journal(path: Path, raw: bytes, *, header: bool = True, base: int = 0,
                   snapshot_of: Any = _NO_SNAPSHOT) -> _Journal:
    """The changes in ``raw`` (the journal's bytes from offset ``base``; with
    ``header``, from its start). Raises DamagedFileError for a bad header, or a
    bad line that is not the last one (the last is a save killed mid-line).

    ``snapshot_of``: the id of the snapshot at hand; the lines of a journal
    that names another are not read (nor can their damage stop anything)."""
    snapshot, position = None, 0
    if header:
        newline = raw.find(b"\n", 0, 4096)
        try:
            head = orjson.loads(raw[:newline]) if newline > 0 else None
        except orjson.JSONDecodeError:
            head = None
        if not (isinstance(head, dict) and head.get("readinglist-journal") == JOURNAL_FORMAT
                and isinstance(head.get("snapshot"), str)):
            raise _damaged(path, "does not start with a readinglist journal header")
        snapshot, position = head["snapshot"], newline + 1
        if snapshot_of is not _NO_SNAPSHOT and snapshot != snapshot_of:
            return _Journal(snapshot, [], base + len(raw), False)
    changes: list[list[list[Any]]] = []
    size, last = len(raw), -1
    while position < size:
        newline = raw.find(b"\n", position)
        ops = _journal_ops(raw[position:newline]) if newline >= 0 else None
        if ops is None:
            if newline < 0 or newline + 1 >= size:
                return _Journal(snapshot, changes, base + position, True, last)
            raise _damaged(path, f"holds a damaged change at byte {base + position}")
        changes.append(ops)
        last, position = base + position, newline + 1
    return _Journal(snapshot, changes, base + position, False, last)


def _journal_ops(line: bytes) -> list[list[Any]] | None:
    """One line's operations, or None if it is not a whole, intact line."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        ops = orjson.loads(body)
    except (ValueError, orjson.JSONDecodeError):
        return None
    if not isinstance(ops, list) or not all(_is_op(op) for op in ops):
        return None
    return ops


def _is_op(op: Any) -> bool:
    """A put or drop of one document in one of the user file's tables."""
    if not isinstance(op, list) or len(op) < 3 or op[1] not in USER_TABLES or not isinstance(op[2], str):
        return False
    return (op[0] == "put" and len(op) == 4 and isinstance(op[3], dict)) or (op[0] == "drop" and len(op) == 3)


def _apply(tables: Tables, changes: Iterable[list[list[Any]]]) -> None:
    for ops in changes:
        for op in ops:
            if op[0] == "put":
                tables.setdefault(op[1], {})[op[2]] = op[3]
            else:
                tables.get(op[1], {}).pop(op[2], None)


def _snapshot_id(tables: Tables | None) -> str | None:
    doc = (tables or {}).get("meta", {}).get(JOURNAL_KEY)
    return doc.get("snapshot") if isinstance(doc, dict) else None


def _read_journal(path: Path) -> tuple[bytes, Signature] | None:
    """The journal's bytes and signature (None: no journal)."""
    try:
        with open(path, "rb") as file:
            signature = _signature_of(os.fstat(file.fileno()))
            return file.read(signature[0]), signature
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read library file {path}: {error.strerror}",
                         path=path, reason=error.strerror) from None


def read_user_tables(user_path: Path, tables: Tables | None) -> Tables | None:
    """The user file's tables with its journal's changes applied (``tables``:
    the user file as parsed and checked). For doctor and backups."""
    path = journal_path(user_path)
    found = _read_journal(path)
    if found is None or tables is None:
        return tables
    journal = _parse_journal(path, found[0], snapshot_of=_snapshot_id(tables))
    if journal.snapshot == _snapshot_id(tables):
        _apply(tables, journal.changes)
    return tables


def user_file_bytes(user_path: Path) -> bytes | None:
    """The user data as one self-contained file (for backups): the user file
    with its journal's changes applied, and without the snapshot's name, so
    that no journal is ever replayed onto a restored copy (None: no user
    file). Raises StoreError as the store's own load would."""
    try:
        raw = user_path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read library file {user_path}: {error.strerror}",
                         path=user_path, reason=error.strerror) from None
    tables = read_user_tables(user_path, _parse(user_path, raw))
    tables.get("meta", {}).pop(JOURNAL_KEY, None)
    return orjson.dumps(tables)


class JournaledJSONStorage(AtomicJSONStorage):
    """The user file: a snapshot plus an append-only journal (see above).

    The store changes documents through ``put`` and ``drop``, which are
    recorded; ``commit`` appends them as one line. A whole-table ``write``
    (TinyDB's interface) or a journal that cannot take the line makes the
    commit compact instead.
    """

    def __init__(self, path: str | os.PathLike[str], *,
                 on_load: Callable[[Path, Tables], Tables] | None = None) -> None:
        super().__init__(path, on_load=on_load)
        self.journal_path = journal_path(self.path)
        self._journal_signature: Signature | None = None
        self._journal_end = 0  # where its valid bytes end (what the next line follows)
        self._journal_ok = False  # it exists and belongs to the snapshot read
        # Where the last line read or written starts, and its checksum: reading
        # on, another process checks it is still there (a save that failed
        # after writing its line cuts it off again, and the next line may
        # then take its place).
        self._last_line: tuple[int, bytes] | None = None
        self._ops: list[list[Any]] = []
        self._wholesale = False
        self._migrated = False
        #: How many saves appended a line and how many compacted (for tests and the bench).
        self.appends = self.compactions = 0

    # documents

    def put(self, table: str, key: str, doc: dict[str, Any]) -> None:
        data = self.read()
        if data is None:
            data = self._data = {}
        data.setdefault(table, {})[key] = doc
        self._record(["put", table, key, doc])

    def drop(self, table: str, key: str) -> None:
        data = self.read()
        if data is not None and key in data.get(table, {}):
            del data[table][key]
            self._record(["drop", table, key])

    def _record(self, op: list[Any]) -> None:
        self._ops.append(op)
        if self._buffering:
            self._dirty = True
        else:
            self._save()

    def write(self, data: Tables) -> None:
        """TinyDB's whole-database write: stored by a compaction."""
        self._data, self._wholesale = data, True
        if self._buffering:
            self._dirty = True
        else:
            self._compact()
            self._wholesale = False

    # cache

    def reload_if_changed(self) -> bool:
        if not self._loaded:
            self._load()
            return True
        snapshot = _disk_signature(self.path)
        journal = _disk_signature(self.journal_path)
        if snapshot == self._signature and journal == self._journal_signature:
            return False
        if (snapshot == self._signature and self._journal_ok and journal is not None
                and self._journal_signature is not None
                and journal[2] == self._journal_signature[2] and journal[0] >= self._journal_end):
            return self._read_on()
        self._load()
        return True

    def invalidate(self) -> None:
        super().invalidate()
        self._journal_signature, self._journal_end, self._journal_ok = None, 0, False
        self._last_line = None
        self._ops, self._wholesale = [], False

    def begin(self) -> None:
        super().begin()
        self._ops, self._wholesale = [], False

    def commit(self) -> bool:
        try:
            return self._dirty and self._save()
        finally:
            self._buffering = self._dirty = False
            self._ops, self._wholesale = [], False

    def rollback(self) -> None:
        super().rollback()
        self._ops, self._wholesale = [], False

    # internals

    def _load(self) -> None:
        for _ in range(8):  # a compaction between the two reads: read both again
            raw, signature = self._read_file()
            found = _read_journal(self.journal_path)
            if _disk_signature(self.path) == signature:
                break
        data, journal, ok = None, None, False
        if raw is not None:
            data = _parse(self.path, raw)
        if found is not None:
            journal = _parse_journal(self.journal_path, found[0], snapshot_of=_snapshot_id(data))
        if raw is not None:
            # The journal's lines are written in the snapshot's schema: replay
            # them first, then migrate the whole.
            ok = journal is not None and journal.snapshot == _snapshot_id(data)
            if ok:
                _apply(data, journal.changes)
            version = data.get("meta", {}).get(META_KEY, {}).get("schema", 1)
            if self._on_load is not None:
                data = self._on_load(self.path, data)
            # A migrated library is stored whole at the next save: journal
            # lines must never be in another schema than their snapshot.
            self._migrated = version != SCHEMA_VERSION
        self._data, self._signature, self._loaded = data, signature, True
        self._journal_signature = found[1] if found is not None else None
        self._journal_end = journal.end if journal is not None else 0
        self._journal_ok = ok
        self._last_line = None
        if ok and journal.last >= 0:
            self._last_line = (journal.last, found[0][journal.last:journal.last + 8])
        self.generation += 1
        self.reloads += 1

    def _read_on(self) -> bool:
        """Apply the lines another process appended since we last read, after
        checking that the last line we read is still where it was."""
        start = self._last_line[0] if self._last_line else self._journal_end
        try:
            with open(self.journal_path, "rb") as file:
                signature = _signature_of(os.fstat(file.fileno()))
                if signature[2] != self._journal_signature[2] or signature[0] < self._journal_end:
                    raise FileNotFoundError  # replaced or cut since the stat: read it all
                file.seek(start)
                raw = file.read(signature[0] - start)
            seen = self._journal_end - start
            if self._last_line and (raw[:8] != self._last_line[1] or raw[seen - 1:seen] != b"\n"):
                raise FileNotFoundError  # our last line was cut off (a failed save): read it all
            journal = _parse_journal(self.journal_path, raw[seen:], header=False, base=self._journal_end)
        except (FileNotFoundError, DamagedFileError):
            self._load()  # reads it all; raises if it really is damaged
            return True
        except OSError as error:
            raise StoreError(f"cannot read library file {self.journal_path}: {error.strerror}",
                             path=self.journal_path, reason=error.strerror) from None
        self._journal_signature = signature
        if not journal.changes:
            return False
        self._journal_end = journal.end
        self._last_line = (journal.last, raw[journal.last - start:journal.last - start + 8])
        _apply(self._data, journal.changes)
        self.generation += 1
        self.reloads += 1
        return True

    def _save(self) -> bool:
        """Store what changed: one appended line, or a compaction."""
        if (not self._wholesale and not self._migrated and self._ops and self._journal_ok
                and self._data is not None):
            line = _journal_line(self._ops)
            limit = max(JOURNAL_MIN_LIMIT, (self._signature or (0,))[0])
            if self._journal_end + len(line) <= limit:
                self._append(line)
                return True
        return self._compact()

    def _append(self, line: bytes) -> None:
        with self._saving(self.journal_path):
            fd = os.open(self.journal_path, os.O_RDWR | getattr(os, "O_BINARY", 0))
            writing = False
            try:
                size = os.fstat(fd).st_size
                if size != self._journal_end:
                    # Only a killed save's unfinished line is cut off: whole lines
                    # past what we read mean our view is stale (never expected).
                    if size < self._journal_end or _parse_journal(
                            self.journal_path, _read_at(fd, self._journal_end, size - self._journal_end),
                            header=False).changes:
                        raise StoreError(f"library file {self.journal_path} changed while it was "
                                         "being saved; nothing was saved, try again",
                                         path=self.journal_path)
                    os.ftruncate(fd, self._journal_end)
                view, half = memoryview(line), len(line) // 2
                writing = True
                os.lseek(fd, self._journal_end, os.SEEK_SET)
                _write_all(fd, view[:half])
                _crash_hook("appending")
                _write_all(fd, view[half:])
                _crash_hook("appended")
                stamp = time.time_ns()  # see _atomic_write
                os.utime(fd if os.utime in os.supports_fd else self.journal_path, ns=(stamp, stamp))
                os.fsync(fd)
                _crash_hook("append-synced")
                signature = _signature_of(os.fstat(fd))
            except BaseException:
                if writing:
                    with contextlib.suppress(OSError):  # leave no line of a failed save
                        os.ftruncate(fd, self._journal_end)
                raise
            finally:
                os.close(fd)
        self._last_line = (self._journal_end, line[:8])
        self._journal_end += len(line)
        self._journal_signature = signature
        self.generation += 1
        self.appends += 1

    def _compact(self) -> bool:
        """Write the snapshot whole under a new id, then a fresh journal for it."""
        data = self._data if self._data is not None else {}
        meta = data.setdefault("meta", {})
        previous = _snapshot_id(data) or ""
        meta.pop(JOURNAL_KEY, None)
        # Named by the previous name and the content: never the name of the
        # snapshot before it (whose journal is still on disk, and would be
        # replayed if writing the new journal failed), and the same bytes for
        # the same history (the crash tests compare files).
        snapshot = hashlib.blake2b(previous.encode() + orjson.dumps(data), digest_size=8).hexdigest()
        meta[JOURNAL_KEY] = {"snapshot": snapshot}
        self._data = data
        self._flush()  # raises StoreError, the cache dropped, if it fails
        self._migrated = False
        self.compactions += 1
        header = _journal_header(snapshot)
        try:
            signature = _atomic_write(self.journal_path, header)
        except OSError:
            # The change is saved: the snapshot holds everything, and the old
            # journal names the old snapshot, so it is ignored. The next save
            # compacts again. (Its signature is kept: it is not a change.)
            self._journal_signature = _disk_signature(self.journal_path)
            self._journal_end, self._journal_ok, self._last_line = 0, False, None
            return True
        self._journal_signature, self._journal_end, self._journal_ok = signature, len(header), True
        self._last_line = None
        return True


def _disk_signature(path: Path) -> Signature | None:
    """What identifies a version of the file without reading it (None: no file)."""
    try:
        return _signature_of(os.stat(path))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read library file {path}: {error.strerror}",
                         path=path, reason=error.strerror) from None


def _signature_of(stat: os.stat_result) -> Signature:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _parse(path: Path, raw: bytes) -> Tables:
    """The file's tables, or a StoreError that says what is wrong with it."""
    if not raw:
        raise _damaged(path, "is empty (0 bytes)")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise _damaged(path, f"is not valid JSON (line {error.lineno})") from None
    if not _is_tables(data):
        raise _damaged(path, "does not hold readinglist tables")
    return data


def _damaged(path: Path, what: str) -> DamagedFileError:
    return DamagedFileError(f"library file {path} {what}; it was left untouched", path=path, reason=what)


def _is_tables(data: Any) -> bool:
    """TinyDB's layout: an object of tables, each an object of documents (objects)."""
    return isinstance(data, dict) and all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    )


def _file_holds(path: Path, raw: bytes) -> bool:
    """Whether the file's bytes are exactly ``raw`` (then a write would change nothing)."""
    try:
        if os.stat(path).st_size != len(raw):
            return False
        return path.read_bytes() == raw
    except FileNotFoundError:
        return False


#: Temp files are named ``.<file name>.<random>.tmp`` in the library's folder:
#: hidden, and never a name the store reads.
TEMP_SUFFIX = ".tmp"

#: The steps of a save, in order, as ``_crash_hook`` is told them.
SAVE_STEPS = ("created", "half-written", "written", "synced", "replaced", "folder-synced")


def _crash_hook(step: str) -> None:
    """Called at each step of a save (see SAVE_STEPS). Does nothing: the crash
    tests replace it, in a child process, with one that kills the process there."""


def temp_files(path: Path) -> list[Path]:
    """Temp files a save of ``path`` left behind (a crash mid-save)."""
    prefix = f".{path.name}."
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return sorted(path.parent / n for n in names if n.startswith(prefix) and n.endswith(TEMP_SUFFIX))


def _atomic_write(path: Path, raw: bytes) -> Signature:
    """Replace ``path`` with ``raw`` all at once; returns the new file's signature.

    The mtime is set from the nanosecond clock because the filesystem's own is
    coarse (milliseconds) and inodes are reused at once: two quick writes of
    the same size could otherwise look identical to another process's cache.
    """
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        try:
            _crash_hook("created")
            view = memoryview(raw)
            half = len(raw) // 2
            _write_all(fd, view[:half])
            _crash_hook("half-written")
            _write_all(fd, view[half:])
            _crash_hook("written")
            stamp = time.time_ns()
            os.utime(temp, ns=(stamp, stamp))
            os.fsync(fd)
            _crash_hook("synced")
            signature = _signature_of(os.fstat(fd))
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _crash_hook("replaced")
    _fsync_folder(path.parent)
    _crash_hook("folder-synced")
    return signature


def _read_at(fd: int, offset: int, count: int) -> bytes:
    """``count`` bytes from ``offset`` (fewer at the end of the file)."""
    os.lseek(fd, offset, os.SEEK_SET)
    parts = []
    while count > 0 and (part := os.read(fd, count)):
        parts.append(part)
        count -= len(part)
    return b"".join(parts)


def _write_all(fd: int, data: memoryview) -> None:
    """``os.write`` until all of ``data`` is written (a write may be short)."""
    while data:
        written = os.write(fd, data)
        if written <= 0:  # not expected from a regular file; never loop forever
            raise OSError(errno.EIO, "the disk accepted no data")
        data = data[written:]


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable. Best effort: the new file is already in place,
    and some platforms (Windows) and filesystems cannot sync a folder."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _HeldOpenLock:
    """An exclusive ``flock`` on the lock file, with the file kept open between
    transactions: about 10 us to take, against 0.4 ms for ``filelock.FileLock``,
    which opens and closes the file each time (measured in a tag save at 100,000
    papers). It is the same kind of lock filelock takes on POSIX, so the backup
    code's FileLock on the same file excludes it. A process killed while holding
    it releases it with its files. Re-opened after a fork (a child would share
    the parent's lock) and when the lock file was replaced or deleted.
    """

    def __init__(self, lock_file: str, timeout: float) -> None:
        self.lock_file = lock_file
        self.timeout = timeout
        self._file: Any = None
        self._pid = -1
        self._depth = 0

    def _open(self) -> None:
        if self._file is not None and self._pid == os.getpid():
            return
        self._file = open(self.lock_file, "ab", opener=_private_opener)  # noqa: SIM115
        self._pid = os.getpid()

    def acquire(self, timeout: float | None = None) -> _HeldOpenLock:
        if self._depth and self._pid == os.getpid():
            self._depth += 1
            return self
        wait = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + wait
        delay = 0.001
        while True:
            self._open()
            try:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if wait >= 0 and time.monotonic() >= deadline:
                    raise filelock.Timeout(self.lock_file) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
                continue
            try:
                same = os.fstat(self._file.fileno()).st_ino == os.stat(self.lock_file).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            # The file we hold was deleted or replaced: lock the one that is there now.
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self._depth = 1
        return self

    def release(self) -> None:
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0 and self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)

    def close(self) -> None:
        if self._file is not None:
            if self._pid == os.getpid():
                self._depth = 0
                with contextlib.suppress(OSError):
                    fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> _HeldOpenLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _private_opener(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


class _KeyedTable(Table):
    """A TinyDB table keyed by our own ids (paper ids, author ids) instead of 1, 2, 3.

    A record is then found by its id without a scan, and the file reads
    ``{"papers": {"<paper id>": {...}}}``. Documents must come with their id.
    """

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:
        raise TypeError("a keyed table needs each document's id (pass a tinydb Document)")


def _raw_table(storage: Storage, name: str) -> dict[str, dict[str, Any]]:
    """A table's documents as stored, without TinyDB's per-document copies."""
    return (storage.read() or {}).get(name, {})


def _as_docs(
    records: Mapping[str, Paper] | Mapping[str, Author],
    before: Mapping[str, Paper] | Mapping[str, Author],
    stored: Mapping[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """Records as documents, reusing the stored document of each record a merge
    left as it was: ``to_dict`` costs seconds at 100,000 papers, a comparison does not."""
    return {
        key: stored[key] if before.get(key) == record else record.to_dict()
        for key, record in records.items()
    }


# -- the catalogue's layout ------------------------------------------------------
#
# The catalogue is plain JSON, written one record per line, papers newest first:
#
#     {"meta":{"info":{"schema":1},"layout":{"papers":100345}},
#     "redirects":{
#     "old id":{"to":"new id"}
#     },
#     "papers":{
#     "<id>":{...},
#     "<id>":{...}
#     },
#     "authors":{
#     ...
#     }
#     }
#
# Any JSON reader (TinyDB, backups, doctor) reads it as before. The store also
# reads it in pieces: the first screen of papers without the rest (``head``),
# and the whole in chunks of about a megabyte turned straight into Paper and
# Author objects, so that neither the raw tables nor one long parse (which
# would hold the GIL for a second at 100,000 papers) stand between the app and
# its keys. A file in any other layout is read whole, as before.

CATALOGUE_ORDER = ("redirects", "papers", "authors")
#: A catalogue file smaller than this keeps its parsed tables in memory, which
#: makes the next import start at once; a larger one is streamed into objects
#: and its tables dropped (at 100,000 papers they cost as much memory again).
KEEP_RAW_BELOW = 16 << 20
_LAYOUT_START = b'{"meta":'
_CHUNK_BYTES = 1 << 18  # ~1 ms of orjson: a thread reading the file lets the UI's keys through


class _NotLayout(Exception):
    """The file is not in the line layout (or is damaged): read it whole."""


def paper_order_key(doc: Mapping[str, Any]) -> tuple[str, str]:
    """Newest first is ``sorted(..., key=paper_order_key, reverse=True)``: the
    app's default order (date, then title), so the file's first papers are its
    first screen."""
    return (doc.get("date") or "", str(doc.get("title") or "").casefold())


#: Records serialised, then joined, this many at a time. Joined all at once,
#: an import of 100,000 papers held 100,000 small serialised records at the
#: same moment, in a heap the import had left full of holes: the dump took
#: 2.5 s there (0.7 s in a fresh process). In pieces, each piece's records are
#: freed before the next are made: 1.1 s.
_PIECE = 512


def _dumps_catalogue(data: Tables) -> bytes:
    meta = dict(data.get("meta", {}))
    papers = data.get("papers", {})
    meta["layout"] = {"papers": len(papers)}
    data["meta"] = meta  # the cache holds what the file holds
    names = [n for n in CATALOGUE_ORDER if n in data or n == "papers"]
    names += sorted(n for n in data if n not in CATALOGUE_ORDER and n != "meta")
    dumps = orjson.dumps
    parts = [_LAYOUT_START, dumps(meta), b",\n"]
    for number, name in enumerate(names):
        table = data.get(name, {})
        keys: Iterable[str] = table
        if name == "papers":
            keys = sorted(table, key=lambda k: paper_order_key(table[k]), reverse=True)
        parts.append(dumps(name) + b":{\n")
        if table:
            doc = _slim_paper if name == "papers" else _same
            keys = list(keys)
            for start in range(0, len(keys), _PIECE):
                if start:
                    parts.append(b",\n")
                parts.append(b",\n".join([dumps(key) + b":" + dumps(doc(table[key]))
                                           for key in keys[start:start + _PIECE]]))
            parts.append(b"\n")
        parts.append(b"}")
        parts.append(b",\n" if number < len(names) - 1 else b"\n")
    parts.append(b"}\n")
    return b"".join(parts)


def _same(doc: dict[str, Any]) -> dict[str, Any]:
    return doc


def _slim_paper(doc: dict[str, Any]) -> dict[str, Any]:
    """A paper whose only abstract version is its abstract is written without
    the list (``Paper.from_dict`` puts it back): that copy was 40% of the file."""
    versions = doc.get("abstract_versions")
    if versions is not None and len(versions) == 1 and versions[0] == doc.get("abstract"):
        return {key: value for key, value in doc.items() if key != "abstract_versions"}
    return doc


def _layout_meta(raw: bytes) -> tuple[dict[str, Any], int]:
    """The meta table of a line-layout file and where the first table starts."""
    if raw[:len(_LAYOUT_START)] != _LAYOUT_START:
        raise _NotLayout
    end = raw.find(b"\n")
    if end < 0 or raw[end - 1:end] != b",":
        raise _NotLayout
    try:
        meta = orjson.loads(raw[len(_LAYOUT_START):end - 1])
    except orjson.JSONDecodeError:
        raise _NotLayout from None
    if not isinstance(meta, dict):
        raise _NotLayout
    return meta, end + 1


def _layout_tables(raw: bytes | mmap.mmap, start: int, *,
                   stop_after: tuple[str, int] | None = None,
                   done: Callable[[int], None] | None = None,
                   ) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table name, a chunk of its documents) in file order. ``stop_after``
    (name, n): stop once ``n`` documents of that table were given (``raw`` may
    then be the file's beginning only). ``done(offset)``: everything before
    ``offset`` has been read. Raises _NotLayout on anything else."""
    pos = start
    while True:
        if raw[pos:pos + 1] == b"}":
            if raw[pos + 1:pos + 64].strip() or len(raw) > pos + 64:
                raise _NotLayout  # trailing garbage
            return
        header_end = raw.find(b"\n", pos)
        if header_end < 0 or raw[header_end - 2:header_end] != b":{":
            raise _NotLayout
        try:
            name = orjson.loads(raw[pos:header_end - 2])
        except orjson.JSONDecodeError:
            raise _NotLayout from None
        if not isinstance(name, str):
            raise _NotLayout
        close = raw.find(b"\n}", header_end)
        partial = stop_after is not None and stop_after[0] == name
        if close < 0:
            if not partial:
                raise _NotLayout  # cut short
            close = len(raw)  # the file's beginning only: as many whole lines as there are
        given = 0
        at = header_end + 1
        while at < close:
            want = _CHUNK_BYTES
            if stop_after is not None and stop_after[0] == name:
                want = 0  # line by line: only as many as asked for
            cut = raw.find(b"\n", min(at + want, close))
            if cut < 0 or cut > close:
                cut = close
            block = raw[at:cut].rstrip(b",")
            try:
                docs = orjson.loads(b"{" + block + b"}")
            except orjson.JSONDecodeError:
                raise _NotLayout from None
            if not isinstance(docs, dict):
                raise _NotLayout
            yield name, docs
            given += len(docs)
            at = cut + 1
            if done is not None:
                done(at)
            if partial and given >= stop_after[1]:
                return
        if partial and close == len(raw):
            raise _NotLayout  # ran out before enough documents: read more
        after = close + 2
        if raw[after:after + 2] == b",\n":
            pos = after + 2
        elif raw[after:after + 1] == b"\n":
            pos = after + 1
            if raw[pos:pos + 1] != b"}":
                raise _NotLayout
        else:
            raise _NotLayout


def _check_layout_meta(path: Path, meta: dict[str, Any]) -> None:
    """A schema this code reads as is, else _NotLayout (the whole-file path
    migrates or refuses it with the right message)."""
    info = meta.get(META_KEY, {})
    if not isinstance(info, dict) or info.get("schema", 1) != SCHEMA_VERSION:
        raise _NotLayout


def _stream_catalogue(path: Path) -> tuple[dict[str, Paper], dict[str, Author], dict[str, str],
                                           Signature] | None:
    """The catalogue's views, read in chunks (None: not in the line layout, or
    damaged; the caller reads it whole and reports what is wrong)."""
    try:
        with open(path, "rb") as file:
            signature = _signature_of(os.fstat(file.fileno()))
            if not signature[0]:
                return None
            # Mapped, not read: the pages read are handed back as the parse
            # moves on, so the file's bytes never sit in memory beside the objects.
            raw = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        return _stream_views(raw, path, signature)
    finally:
        raw.close()


def _stream_views(raw: mmap.mmap, path: Path, signature: Signature):
    page = mmap.PAGESIZE
    dropped = 0

    def done(offset: int) -> None:
        nonlocal dropped
        upto = offset - offset % page
        if upto - dropped >= 8 << 20 and hasattr(raw, "madvise"):
            with contextlib.suppress(OSError, ValueError):
                raw.madvise(mmap.MADV_DONTNEED, dropped, upto - dropped)
            dropped = upto

    try:
        meta, start = _layout_meta(raw)
        _check_layout_meta(path, meta)
        papers: dict[str, Paper] = {}
        authors: dict[str, Author] = {}
        redirects: dict[str, str] = {}
        seen = set()
        for name, docs in _layout_tables(raw, start, done=done):
            pause()
            seen.add(name)
            if name == "papers":
                for key, doc in docs.items():
                    papers[key] = Paper.from_dict(doc)
            elif name == "authors":
                for key, doc in docs.items():
                    authors[key] = Author.from_dict(doc)
            elif name == "redirects":
                for key, doc in docs.items():
                    redirects[key] = str(doc["to"])
            else:
                raise _NotLayout  # a foreign table: let the whole-file check name it
            del docs
    except (_NotLayout, KeyError, TypeError, ValueError, AttributeError):
        return None
    return papers, authors, redirects, signature


class Head(NamedTuple):
    """The first papers of the catalogue (newest first) and how many there are."""

    papers: list[Paper]
    total: int
    redirects: dict[str, str]


class HeadView(NamedTuple):
    """``Store.head``: the first papers, the total, and all of the user's data."""

    papers: list[Paper]
    total: int
    user: dict[str, UserData]
    queue: list[str]
    queued_since: dict[str, str]


def read_head(path: Path, count: int) -> Head | None:
    """The first ``count`` papers, newest first, read from the file's beginning
    only (a few kilobytes at any size). None when the file is not in the line
    layout or not readable this way (then load it whole)."""
    try:
        with open(path, "rb") as file:
            size = 1 << 16
            while True:
                file.seek(0)
                raw = file.read(size)
                try:
                    meta, start = _layout_meta(raw)
                    _check_layout_meta(path, meta)
                    total = int(meta.get("layout", {}).get("papers", -1))
                    if total < 0:
                        return None
                    papers: list[Paper] = []
                    redirects: dict[str, str] = {}
                    wanted = min(count, total)
                    for name, docs in _layout_tables(raw, start,
                                                     stop_after=("papers", max(wanted, 1))):
                        if name == "redirects":
                            redirects.update({k: str(d["to"]) for k, d in docs.items()})
                        elif name == "papers" and wanted > 0:
                            papers.extend(Paper.from_dict(d) for d in docs.values())
                            if len(papers) >= wanted:
                                break
                        else:
                            break
                    return Head(papers, total, redirects)
                except _NotLayout:
                    if len(raw) < size:  # the whole file: really not the layout
                        return None
                    size *= 4
                    if size > 1 << 26:
                        return None
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return None


# -- schema --------------------------------------------------------------------


def _upgrade(path: Path, tables: Tables) -> Tables:
    """Bring a freshly read file up to SCHEMA_VERSION in memory, or refuse it.

    The upgraded tables are written back with the next change to that file.
    A file without ``meta`` is taken as schema 1, the first layout.
    """
    version = tables.get("meta", {}).get(META_KEY, {}).get("schema", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise StoreError(
            f"library file {path} has schema {version}, newer than this readinglist "
            f"understands ({SCHEMA_VERSION}); upgrade readinglist. It was left untouched"
        )
    while version < SCHEMA_VERSION:
        tables = MIGRATIONS[version](tables)
        version += 1
    return tables


#: The tables each file may hold (after migrations). A file with any other
#: table, or with none of these, is another program's JSON (or the other file).
CATALOGUE_TABLES = frozenset({"papers", "authors", "redirects", "meta"})
USER_TABLES = frozenset({"annotations", "queue", "meta"})


def _loader(known: frozenset[str]) -> Callable[[Path, Tables], Tables]:
    """The ``on_load`` check of one file: schema, migrations, then its table names."""

    def load(path: Path, tables: Tables) -> Tables:
        tables = _upgrade(path, tables)
        foreign = sorted(set(tables) - known)
        if foreign or not tables:
            found = ", ".join(repr(name) for name in foreign[:3]) or "no tables"
            raise _damaged(path, f"does not hold readinglist tables (found {found})")
        return tables

    return load


def _stamp_schema(storage: Storage) -> None:
    meta = _raw_table(storage, "meta").get(META_KEY, {})
    if meta.get("schema") != SCHEMA_VERSION:
        _put_doc(storage, "meta", META_KEY, {**meta, "schema": SCHEMA_VERSION})


# -- documents, written in place ---------------------------------------------------
# TinyDB's Table copies every document of a table on each update (measured: 74%
# of a tag save at 100,000 papers went to that and to rebuilding the views), so
# the store edits the storage's tables directly and writes them back once per
# transaction. The storage is still TinyDB's Storage interface.


def _put_doc(storage: Storage, table: str, key: str, doc: dict[str, Any]) -> None:
    if isinstance(storage, JournaledJSONStorage):
        storage.put(table, key, doc)
        return
    data = storage.read()
    if data is None:
        data = {}
    data.setdefault(table, {})[key] = doc
    storage.write(data)


def _drop_doc(storage: Storage, table: str, key: str) -> None:
    if isinstance(storage, JournaledJSONStorage):
        storage.drop(table, key)
        return
    data = storage.read()
    if data is not None and key in data.get(table, {}):
        del data[table][key]
        storage.write(data)


# -- building the in-memory views ----------------------------------------------


def _catalogue_view(
    path: Path, tables: Tables | None
) -> tuple[dict[str, Paper], dict[str, Author], dict[str, str]]:
    """Papers, authors and redirects by id, built once per (re)load of the catalogue."""
    tables = tables or {}
    try:
        papers = {key: Paper.from_dict(doc) for key, doc in tables.get("papers", {}).items()}
        authors = {key: Author.from_dict(doc) for key, doc in tables.get("authors", {}).items()}
        redirects = {key: str(doc["to"]) for key, doc in tables.get("redirects", {}).items()}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _malformed(path, error) from None
    return papers, authors, redirects


def _user_view(
    path: Path, tables: Tables | None, redirects: Mapping[str, str]
) -> tuple[dict[str, UserData], list[str], dict[str, str]]:
    """User data by paper id, the queue, and when each queued paper joined it,
    as the catalogue's ids now name them.

    Data still kept under an id that a merge redirected (a crash between the
    catalogue write and the user-file write) is shown on the paper it went to,
    exactly as ``Store._settle_redirects`` will store it.
    """
    tables = tables or {}
    try:
        user: dict[str, UserData] = {}
        stranded: list[tuple[str, dict[str, Any]]] = []
        for key, doc in tables.get("annotations", {}).items():
            if key in redirects:
                stranded.append((key, doc))
            else:
                user[key] = UserData.from_dict({**doc, "paper_id": key})
        for key, doc in stranded:
            target = _follow(redirects, key)
            absorbed = UserData.from_dict({**doc, "paper_id": target})
            user[target] = merge_user_data(user.get(target) or UserData(target), absorbed)
        doc = tables.get("queue", {}).get(QUEUE_KEY, {})
        queue = _dedupe(_follow(redirects, str(pid)) for pid in doc.get("ids", []))
        since = {_follow(redirects, str(pid)): str(when)
                 for pid, when in dict(doc.get("since", {})).items()}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _malformed(path, error) from None
    return user, queue, {pid: since[pid] for pid in queue if pid in since}


def _malformed(path: Path, error: Exception) -> StoreError:
    return _damaged(path, f"holds a malformed record ({error!r})")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building many small objects: at 100,000 papers
    it doubled the load time, and took a quarter of an import (27 of 107 s,
    against 0.9 of 9 s at 10,000: its full passes grow with what is already
    held). Pure overhead for acyclic JSON data. Nests."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What was just loaded lives as long as the library: keep it out of
            # every later collection (a full one over 100,000 papers' objects
            # stalls the app for a second).
            gc.freeze()
            gc.enable()


# -- small pure helpers --------------------------------------------------------


def _follow(redirects: Mapping[str, str], paper_id: str) -> str:
    """Where a merged-away id lives now (chains followed, cycles stopped)."""
    seen = {paper_id}
    while paper_id in redirects and redirects[paper_id] not in seen:
        paper_id = redirects[paper_id]
        seen.add(paper_id)
    return paper_id


def _dedupe(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _clamp(index: int, size: int) -> int:
    return max(0, min(index, size))


def _status_rank(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else 0


def _join_notes(first: str, second: str) -> str:
    """Two notes as one, a blank line between them when both have text."""
    if not first.strip():
        return second
    if not second.strip():
        return first
    return f"{first.rstrip()}\n\n{second}"


def _copy_user(user: UserData) -> UserData:
    return UserData(user.paper_id, list(user.tags), user.status, dict(user.status_since),
                    user.note, user.updated)


@dataclass
class _Draft:
    """A working copy of one paper's user data and of the queue, for one edit."""

    paper_id: str
    user: UserData
    queue: list[str]
    now: str


# -- the store -----------------------------------------------------------------


class Store:
    """The library: the catalogue, the user's data and the reading queue.

    Reads are served from memory and reload a file only when it changed on
    disk (by us or another process). Every write is one transaction: it holds
    the lock, catches up with the disk, and writes each file it changed once,
    atomically. Nothing is buffered between calls, so ``close()`` is optional.

    Returned ``Paper`` and ``Author`` objects are shared with the cache: treat
    them as read-only. ``UserData`` and lists are copies. Not thread-safe: use
    one Store per thread, or call it from one thread.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], datetime] = utc_now,
        lock_timeout: float = LOCK_TIMEOUT,
        backup_interval: timedelta | None = BACKUP_INTERVAL,
        backups_kept: int = BACKUPS_KEPT,
        keep_read_in_queue: bool = False,
        lazy: bool = False,
    ) -> None:
        """Open (not create) the library at ``path``; files appear on the first write.

        ``keep_read_in_queue``: a paper marked read stays queued (the settings'
        ``queue_when_read = "keep"``); by default it leaves the queue.

        A backup of the library as it was is taken on the first write of this
        session and then at most every ``backup_interval`` (None: never); see
        ``readinglist.backup``. Temp files an interrupted save left are removed.

        ``lazy``: read nothing until asked (the app reads the head of a large
        catalogue first, and the rest in a thread); otherwise both files are
        read now and a damaged one raises here.
        """
        self.path = Path(os.path.realpath(path))
        self.user_path = user_file_path(self.path)
        self._clock = clock
        self._catalogue = AtomicJSONStorage(self.path, on_load=_loader(CATALOGUE_TABLES),
                                            dumps=_dumps_catalogue)
        self._userfile = JournaledJSONStorage(self.user_path, on_load=_loader(USER_TABLES))
        self.journal_path = self._userfile.journal_path
        # A separate lock file: a lock on the data file would be lost at every replace.
        self._lock_timeout = lock_timeout
        self._lock = self._new_lock()
        self._built_from = (-1, -1)
        self._reloads_seen = (0, 0)
        # The catalogue views: the file signature they were built from, a token
        # that changes whenever they are replaced, and how often they were read
        # from disk (not written by us).
        self._views_signature: Signature | None = None
        self._views_token = 0
        self._catalogue_loads = 0
        self._papers: dict[str, Paper] = {}
        self._authors: dict[str, Author] = {}
        self._redirects: dict[str, str] = {}
        self._user: dict[str, UserData] = {}
        self._queue: list[str] = []
        self._queued_since: dict[str, str] = {}  # paper id -> when it joined the queue
        self._keep_read_in_queue = keep_read_in_queue
        self._backup_interval, self._backups_kept = backup_interval, backups_kept
        self._backup_checked: datetime | None = None
        self._housekept = False
        self._settled_for: tuple[int, int, int] | None = None
        self._hints: dict[tuple[Path, Signature | None], tuple[str, Any]] = {}
        #: Why the last backup attempt failed (a save goes ahead without it), or None.
        self.backup_problem: str | None = None
        self._sweep_at_open()
        if not lazy:  # read both files now: a damaged one is reported at once
            self.refresh()

    # -- reads -----------------------------------------------------------------

    def papers(self) -> list[Paper]:
        """Every paper, newest first (the catalogue file's order)."""
        self._sync()
        return list(self._papers.values())

    def paper(self, paper_id: str) -> Paper:
        """The paper with this id (or the paper a merge folded it into)."""
        self._sync()
        return self._papers[self._canonical(paper_id)]

    def resolve(self, id_or_prefix: str) -> str:
        """The paper id a user typed: an exact or merged-away id, else a unique prefix."""
        self._sync()
        key = id_or_prefix.strip()
        if not key:
            raise StoreError("no paper id given")
        if key in self._papers or key in self._redirects:
            return self._canonical(key)
        matches = sorted(pid for pid in self._papers if pid.startswith(key))
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise StoreError(f"no paper with id or id prefix '{key}'")
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise StoreError(f"'{key}' is ambiguous: {len(matches)} paper ids start with it ({shown})")

    def authors(self) -> list[Author]:
        """Every author, in catalogue order."""
        self._sync()
        return list(self._authors.values())

    def author(self, author_id: str) -> Author:
        """The author with this id."""
        self._sync()
        try:
            return self._authors[author_id]
        except KeyError:
            raise StoreError(f"no author with id '{author_id}'") from None

    def user(self, paper_id: str) -> UserData:
        """The user's data for a paper (blank if the user added nothing)."""
        self._sync()
        paper_id = _follow(self._redirects, paper_id)
        found = self._user.get(paper_id)
        return _copy_user(found) if found else UserData(paper_id)

    def all_user(self) -> dict[str, UserData]:
        """User data of every paper that has some, by paper id."""
        self._sync()
        return {pid: _copy_user(user) for pid, user in self._user.items()}

    def queue(self) -> list[str]:
        """The reading queue: paper ids, next to read first."""
        self._sync()
        return list(self._queue)

    def queued_since(self) -> dict[str, str]:
        """When each queued paper joined the queue (ISO time), by paper id.
        Papers queued before the store recorded this have no entry."""
        self._sync()
        return dict(self._queued_since)

    def tags(self) -> dict[str, int]:
        """Each tag in use and how many papers carry it, sorted by name."""
        self._sync()
        counts = Counter(tag for user in self._user.values() for tag in user.tags)
        return dict(sorted(counts.items(), key=lambda item: (item[0].casefold(), item[0])))

    def head(self, count: int) -> HeadView | None:
        """The first ``count`` papers (newest first), how many there are, and the
        user's data, without loading the rest of the catalogue: what the app
        shows while a large library loads. None if the catalogue cannot be
        read that way (an older layout, or damaged): load it whole.

        Reads only; this store's views are left as they are."""
        head = read_head(self.path, count)
        if head is None:
            return None
        try:
            user, queue, since = _user_view(self.user_path, self._userfile.read(), head.redirects)
        except DamagedFileError:
            return None
        return HeadView(head.papers, head.total, user, queue, since)

    def catalogue_signature(self) -> list[int] | None:
        """(size, mtime_ns, inode) of the catalogue file the views were read from."""
        self._sync()
        return list(self._views_signature) if self._views_signature else None

    def is_empty(self) -> bool:
        """Whether the catalogue holds no papers yet."""
        self._sync()
        return not self._papers

    def revision(self) -> tuple[Signature | None, ...]:
        """Changes whenever either file changed on disk; cheap enough to poll."""
        return (_disk_signature(self.path), _disk_signature(self.user_path),
                _disk_signature(self.journal_path))

    def refresh(self) -> bool:
        """Catch up with the disk; True if another process changed the library
        since the last refresh (our own writes do not count): time to redraw."""
        self._sync()
        # The first read of each file is not a change (the user file counts
        # every read, the first one included).
        reloads = (self._catalogue_loads, max(0, self._userfile.reloads - 1))
        changed, self._reloads_seen = reloads != self._reloads_seen, reloads
        return changed

    def close(self) -> None:
        """Drop the caches. Optional: nothing is held open or left unwritten."""
        self._catalogue.close()
        self._userfile.close()
        if isinstance(self._lock, _HeldOpenLock):
            self._lock.close()

    # -- user writes (user file only) -------------------------------------------

    def set_tags(self, paper_id: str, tags: Iterable[str]) -> None:
        """Replace the paper's tags."""
        wanted = normalize_tags(tags)

        def edit(draft: _Draft) -> None:
            draft.user.tags = wanted

        self._edit(paper_id, edit)

    def add_tags(self, paper_id: str, tags: Iterable[str]) -> None:
        """Add tags the paper does not have yet (case-insensitively)."""
        extra = list(tags)

        def edit(draft: _Draft) -> None:
            draft.user.tags = normalize_tags([*draft.user.tags, *extra])

        self._edit(paper_id, edit)

    def remove_tags(self, paper_id: str, tags: Iterable[str]) -> None:
        """Remove tags, matching them case-insensitively."""
        unwanted = {tag.casefold() for tag in normalize_tags(tags)}

        def edit(draft: _Draft) -> None:
            draft.user.tags = [t for t in draft.user.tags if t.casefold() not in unwanted]

        self._edit(paper_id, edit)

    def set_status(self, paper_id: str, status: str) -> None:
        """Set unread/reading/read, remembering when; a paper read leaves the
        queue (unless the store was opened with ``keep_read_in_queue``)."""
        if status not in STATUSES:
            raise StoreError(f"unknown status '{status}'; use one of {', '.join(STATUSES)}")

        def edit(draft: _Draft) -> None:
            if draft.user.status != status:
                draft.user.status = status
                draft.user.status_since[status] = draft.now
            if status == "read" and draft.paper_id in draft.queue and not self._keep_read_in_queue:
                draft.queue.remove(draft.paper_id)

        self._edit(paper_id, edit)

    def set_note(self, paper_id: str, text: str) -> None:
        """Replace the paper's note."""

        def edit(draft: _Draft) -> None:
            draft.user.note = text

        self._edit(paper_id, edit)

    def append_note(self, paper_id: str, text: str) -> None:
        """Add text after the note, a blank line between them."""

        def edit(draft: _Draft) -> None:
            draft.user.note = _join_notes(draft.user.note, text)

        self._edit(paper_id, edit)

    def queue_add(self, paper_id: str, position: int | None = None) -> None:
        """Queue a paper at ``position`` (clamped; default last). Already queued: no-op."""

        def edit(draft: _Draft) -> None:
            if draft.paper_id not in draft.queue:
                size = len(draft.queue)
                draft.queue.insert(size if position is None else _clamp(position, size), draft.paper_id)

        self._edit(paper_id, edit)

    def queue_remove(self, paper_id: str) -> None:
        """Take a paper off the queue (no-op if it is not queued)."""

        def edit(draft: _Draft) -> None:
            if draft.paper_id in draft.queue:
                draft.queue.remove(draft.paper_id)

        self._edit(paper_id, edit)

    def queue_move(self, paper_id: str, to_index: int) -> None:
        """Move a queued paper to ``to_index`` (clamped to the queue)."""

        def edit(draft: _Draft) -> None:
            self._require_queued(draft)
            draft.queue.remove(draft.paper_id)
            draft.queue.insert(_clamp(to_index, len(draft.queue)), draft.paper_id)

        self._edit(paper_id, edit)

    def queue_shift(self, paper_id: str, delta: int) -> None:
        """Move a queued paper ``delta`` places (negative: towards the front), clamped."""

        def edit(draft: _Draft) -> None:
            self._require_queued(draft)
            index = draft.queue.index(draft.paper_id)
            draft.queue.remove(draft.paper_id)
            draft.queue.insert(_clamp(index + delta, len(draft.queue)), draft.paper_id)

        self._edit(paper_id, edit)

    def restore(self, paper_id: str, user: UserData, queue: list[str]) -> None:
        """Put back a paper's user data and the whole queue as they were (undo)."""

        def edit(draft: _Draft) -> None:
            draft.user = replace(
                _copy_user(user),
                paper_id=draft.paper_id,
                tags=normalize_tags(user.tags),
                updated=draft.user.updated,  # compared as unchanged; stamped if not
            )
            known = (_follow(self._redirects, pid) for pid in queue)
            draft.queue = _dedupe(pid for pid in known if pid in self._papers)

        self._edit(paper_id, edit)

    # -- catalogue writes ------------------------------------------------------

    def import_listing(self, listing: ParsedListing, now: datetime | None = None) -> ImportReport:
        """Merge one parsed listing into the catalogue, as one transaction."""
        return self.import_listings([listing], now)[0]

    def import_listings(
        self, listings: Sequence[ParsedListing], now: datetime | None = None
    ) -> list[ImportReport]:
        """Merge parsed listings into the catalogue, as one transaction: the
        catalogue is loaded and written once, however many files there are, so
        importing a folder grows with its size, not with files x library.

        The catalogue is written before the user file. Papers the merge folded
        into others leave a redirect, and their user data moves with them; if
        the process dies between the two writes, reads already show the data
        on the new id and the next write stores it there.
        """
        # Imported here: the merge code is only needed when importing, and
        # every other command should start without it.
        from readinglist.listings.merge import Catalogue

        with gc_paused(), self._transaction(catalogue=True) as stamp:
            stored = {name: _raw_table(self._catalogue, name) for name in ("papers", "authors")}
            catalogue = Catalogue.from_records(
                papers=stored["papers"].values(),
                authors=stored["authors"].values(),
                redirects=dict(self._redirects),
            )
            moment = now or self._clock()
            reports = catalogue.merge_listings(listings, moment)
            redirects = dict(catalogue.redirects)
            for report in reports:
                redirects.update(report.absorbed)
            # One storage write for the whole catalogue (buffered until commit).
            tables = self._catalogue.read() or {}
            tables["papers"] = _as_docs(catalogue.papers, self._papers, stored["papers"])
            tables["authors"] = _as_docs(catalogue.authors, self._authors, stored["authors"])
            tables["redirects"] = {old: {"to": new} for old, new in redirects.items()}
            self._catalogue.write(tables)
            self._settle_redirects(redirects, stamp)
        # The merged objects are exactly what was written: keep them instead of
        # rebuilding every record from its dict. The user view follows on the next read.
        papers = catalogue.papers
        newest_first = sorted(papers, key=lambda k: (papers[k].date or "", papers[k].title.casefold()),
                              reverse=True)  # the file's order (paper_order_key)
        self._papers = {key: papers[key] for key in newest_first}
        self._authors, self._redirects = catalogue.authors, redirects
        self._views_signature = self._catalogue.signature
        self._views_token += 1
        self._built_from = (self._views_token, -1)
        if (self._views_signature or (0,))[0] > KEEP_RAW_BELOW:
            self._catalogue.release()
        return reports

    # -- internals ---------------------------------------------------------------

    def _sync(self) -> None:
        """Bring the in-memory views up to date with both files."""
        try:
            self._sync_views()
        except DamagedFileError as error:
            raise self._hinted(error) from None

    def _sync_views(self) -> None:
        with gc_paused():
            self._sync_catalogue()
            user = self._userfile.read()
            built_from = (self._views_token, self._userfile.generation)
            if built_from == self._built_from:
                return
            # Redirects decide whose data is whose: a new catalogue rebuilds this too.
            self._user, self._queue, self._queued_since = _user_view(
                self.user_path, user, self._redirects)
        self._built_from = built_from

    def _sync_catalogue(self) -> None:
        """Rebuild the catalogue views if the file is not the one they came from.

        Read in chunks straight into objects when the file is in the line
        layout; else whole, through the storage (which checks, migrates and
        names what is wrong). Either way the raw tables are not kept: at
        100,000 papers they cost as much memory again as the objects."""
        if self._catalogue.dirty:  # an import is writing it: its views come with it
            return
        signature = _disk_signature(self.path)
        if self._views_token and signature == self._views_signature:
            return
        large = signature is not None and signature[0] > KEEP_RAW_BELOW
        streamed = _stream_catalogue(self.path) if large else None
        if streamed is not None:
            self._papers, self._authors, self._redirects, signature = streamed
        else:
            tables = self._catalogue.read()
            self._papers, self._authors, self._redirects = _catalogue_view(self.path, tables)
            signature = self._catalogue.signature
            if large:
                self._catalogue.release()
        self._views_signature = signature
        if self._views_token:
            self._catalogue_loads += 1  # read again: another process changed it
        self._views_token += 1

    @contextmanager
    def _transaction(self, *, catalogue: bool = False) -> Iterator[str]:
        """One change, all or nothing; yields the change's timestamp.

        Holds the lock across read-modify-write (atomic writes alone still lose
        a concurrent update), re-reads what changed on disk, then writes each
        changed file once: catalogue first, user file second. On any error
        nothing more is written and the caches are dropped.
        """
        self._ensure_folder()
        try:
            self._acquire()
        except filelock.Timeout:
            raise StoreError(
                f"library is locked by another readinglist process ({self._lock.lock_file}); "
                "try again when it has finished"
            ) from None
        except OSError as error:
            raise StoreError(
                f"cannot lock the library ({self._lock.lock_file}): {error.strerror}; "
                "nothing was saved",
                path=Path(self._lock.lock_file), reason=error.strerror,
            ) from None
        # A user edit never parses the catalogue's tables: it only needs the
        # views (kept current by _sync). An import writes both files.
        storages = (self._catalogue, self._userfile) if catalogue else (self._userfile,)
        try:
            try:
                moment = self._clock()
                self._housekeep(moment)
                try:
                    for storage in storages:
                        storage.begin()
                except DamagedFileError as error:
                    raise self._hinted(error) from None
                self._sync()
                now = moment.isoformat()
                self._settle_redirects(self._redirects, now)
                yield now
                for storage in storages:
                    if storage.dirty:
                        _stamp_schema(storage)
                    storage.commit()
            except BaseException:
                for storage in storages:
                    storage.rollback()
                if catalogue:
                    self._views_token += 1  # rebuilt from the file on the next read
                    self._views_signature = None
                raise
        finally:
            self._lock.release()

    def _new_lock(self) -> filelock.FileLock | _HeldOpenLock:
        self._lock_pid = os.getpid()
        if fcntl is not None:
            return _HeldOpenLock(f"{self.path}.lock", self._lock_timeout)
        return filelock.FileLock(f"{self.path}.lock", timeout=self._lock_timeout, mode=0o600)

    def _acquire(self) -> None:
        """Take the lock; a forked child takes its own (filelock refuses an inherited one)."""
        if self._lock_pid != os.getpid():
            self._lock = self._new_lock()
        self._lock.acquire()

    def _ensure_folder(self) -> None:
        """Create the library's folder, private to the user, on the first write."""
        folder = self.path.parent
        if self.path.is_dir():
            raise StoreError(
                f"library path {self.path} is a folder, not a file; "
                f"point readinglist at a file such as {self.path / 'library.json'}",
                path=self.path, reason="is a folder",
            )
        if folder.is_dir():
            return
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(folder, 0o700)  # whatever the umask
        except OSError as error:
            raise StoreError(
                f"cannot create the library folder {folder}: {error.strerror}",
                path=folder, reason=error.strerror,
            ) from None

    def _sweep_at_open(self) -> None:
        """Remove temp files a crash mid-save left, if the lock is free right now
        (a save in progress holds it). Creates nothing when there are none."""
        if not (temp_files(self.path) or temp_files(self.user_path) or temp_files(self.journal_path)):
            return
        from readinglist import backup

        with contextlib.suppress(filelock.Timeout, OSError):
            with self._lock.acquire(timeout=0):
                backup.sweep_temp_files(self.path)

    def _housekeep(self, now: datetime) -> None:
        """Under the lock, before a write: once per session remove leftover temp
        files and tighten permissions; take a backup when one is due."""
        from readinglist import backup

        if not self._housekept:
            self._housekept = True
            backup.sweep_temp_files(self.path)
            for path in (self.path, self.user_path, self.journal_path, Path(self._lock.lock_file)):
                backup.tighten(path)
        interval = self._backup_interval
        if interval is None:
            return
        if self._backup_checked is not None and now - self._backup_checked < interval:
            return
        self._backup_checked = now
        try:
            # The views were built from every record of the catalogue with this
            # signature (read, or written by an import): the backup need not parse it again.
            checked = ((self._views_signature, len(self._papers), len(self._authors))
                       if self._views_token and self._views_signature else None)
            backup.take_backup(self.path, now, interval=interval, kept=self._backups_kept,
                               checked=checked)
            self.backup_problem = None
        except StoreError as error:
            # A damaged library is refused by the write itself; a full disk
            # fails the write too. Otherwise the edit matters more than the backup.
            self.backup_problem = str(error)

    def _hinted(self, error: DamagedFileError) -> DamagedFileError:
        """The error, plus the newest good backup and its date to restore."""
        from readinglist import backup

        key = (error.path or self.path, _disk_signature(error.path or self.path))
        if key not in self._hints:
            self._hints = {key: backup.restore_hint(self.path)}
        hint, newest = self._hints[key]
        hinted = DamagedFileError(f"{error}. {hint}", path=error.path, reason=error.reason)
        hinted.backup = newest
        return hinted

    def _canonical(self, paper_id: str) -> str:
        """The id the paper is kept under now; StoreError if there is no such paper."""
        target = _follow(self._redirects, paper_id)
        if target not in self._papers:
            raise StoreError(f"no paper with id '{paper_id}'")
        return target

    def _edit(self, paper_id: str, edit: Callable[[_Draft], None]) -> None:
        """Run ``edit`` on a copy of the paper's user data and the queue; store
        what it changed, in one transaction. An edit that changes nothing writes nothing."""
        with self._transaction() as now:
            target = self._canonical(paper_id)
            before = self._user.get(target) or UserData(target)
            draft = _Draft(target, _copy_user(before), list(self._queue), now)
            edit(draft)
            user_changed, queue_changed = draft.user != before, draft.queue != self._queue
            if user_changed:
                draft.user.updated = now
                self._put_user(draft.user)
            if queue_changed:
                since = {pid: self._queued_since.get(pid, now) for pid in draft.queue}
                self._put_queue(draft.queue, now, since)
        # The views were current when the transaction began (it syncs them) and
        # only this change was written: update them in place, not from the file.
        if user_changed:
            if draft.user.is_blank():
                self._user.pop(target, None)
            else:
                self._user[target] = _copy_user(draft.user)
        if queue_changed:
            self._queue = list(draft.queue)
            self._queued_since = {pid: since[pid] for pid in draft.queue if pid in since}
        self._built_from = (self._views_token, self._userfile.generation)
        self._settled_for = (self._views_token, self._userfile.generation, id(self._redirects))

    @staticmethod
    def _require_queued(draft: _Draft) -> None:
        if draft.paper_id not in draft.queue:
            raise StoreError(f"paper '{draft.paper_id}' is not in the queue")

    def _put_user(self, user: UserData) -> None:
        """Store one paper's user data; blank data is removed rather than kept."""
        if user.is_blank():
            _drop_doc(self._userfile, "annotations", user.paper_id)
        else:
            _put_doc(self._userfile, "annotations", user.paper_id, user.to_dict())

    def _put_queue(self, ids: list[str], now: str, since: Mapping[str, str]) -> None:
        """Store the queue in order, with when each paper joined it."""
        _put_doc(self._userfile, "queue", QUEUE_KEY,
                 {"ids": ids, "updated": now, "since": {pid: since[pid] for pid in ids if pid in since}})

    def _settle_redirects(self, redirects: Mapping[str, str], now: str) -> None:
        """Move user data kept under merged-away ids onto the papers that absorbed
        them: tags united, notes joined, the further status, queue entry in place.

        Skipped when neither file changed since the last settle (every edit
        would otherwise scan all the annotations)."""
        settled_for = (self._views_token, self._userfile.generation, id(redirects))
        if settled_for == self._settled_for:
            return
        annotations = _raw_table(self._userfile, "annotations")
        for old_id in [key for key in annotations if key in redirects]:
            target = _follow(redirects, old_id)
            kept = annotations.get(target)
            absorbed = annotations.get(old_id)
            merged = merge_user_data(
                UserData.from_dict({**kept, "paper_id": target}) if kept else UserData(target),
                UserData.from_dict({**absorbed, "paper_id": target}),
            )
            _drop_doc(self._userfile, "annotations", old_id)
            self._put_user(merged)
        doc = _raw_table(self._userfile, "queue").get(QUEUE_KEY) or {}
        queued = doc.get("ids", [])
        settled = _dedupe(_follow(redirects, pid) for pid in queued)
        if settled != queued:
            since = {_follow(redirects, pid): when for pid, when in doc.get("since", {}).items()}
            self._put_queue(settled, now, since)
        self._settled_for = (self._views_token, self._userfile.generation, id(redirects))
