"""The search index's catalogue part, saved beside the library.

Building the index reads every title, author list and abstract: seconds at
100,000 papers. Loading it back is a read of its arrays. The file is derived
data, never precious: it names the catalogue file it was built from (size,
mtime, inode), is ignored when that does not match or when it cannot be read,
and is rebuilt. Tags and notes are not in it (they change with every edit and
are indexed in memory from the user file).

The app builds a missing or stale index in a separate process
(``python -m readinglist.index_cache LIBRARY``) so that the work does not
compete with the app's event loop for the GIL; the CLI builds it in process
and saves it for the next command.

Layout: one JSON header line (version, catalogue signature, each array's
dtype, offset and length, each list's offset and length), then the arrays'
bytes, then the lists as newline-separated UTF-8.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

VERSION = 1
#: Libraries with fewer papers index in well under a second: no file for them.
WORTH_SAVING = 5000


def cache_path(library: Path) -> Path:
    """Where the index of ``library`` is kept: ``library.json`` -> ``library.index``."""
    return library.with_name(library.stem + ".index")


def catalogue_signature(library: Path) -> list[int] | None:
    try:
        stat = os.stat(library)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def save(library: Path, signature: list[int], arrays: dict[str, Any]) -> Path:
    """Write ``SearchIndex.saved_arrays()`` for the catalogue of ``signature``."""
    import numpy as np

    header: dict[str, Any] = {"version": VERSION, "catalogue": signature, "arrays": {},
                              "lists": {}}
    blobs: list[bytes] = []
    offset = 0
    for name, value in arrays.items():
        if isinstance(value, np.ndarray):
            data = np.ascontiguousarray(value).tobytes()
            header["arrays"][name] = [value.dtype.str, offset, len(value)]
        else:
            data = "\n".join(value).encode("utf-8", "surrogatepass")
            header["lists"][name] = [offset, len(data), len(value)]
        blobs.append(data)
        offset += len(data)
    target = cache_path(library)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with open(fd, "wb") as file:
            file.write(orjson.dumps(header) + b"\n")
            for blob in blobs:
                file.write(blob)
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return target


def load(library: Path) -> dict[str, Any] | None:
    """The saved arrays if they were built from the catalogue as it is now."""
    import numpy as np

    signature = catalogue_signature(library)
    try:
        raw = cache_path(library).read_bytes()
        end = raw.index(b"\n")
        header = orjson.loads(raw[:end])
        if header.get("version") != VERSION or header.get("catalogue") != signature:
            return None
        body = memoryview(raw)[end + 1:]
        out: dict[str, Any] = {}
        for name, (dtype, offset, count) in header["arrays"].items():
            array = np.frombuffer(body, dtype=np.dtype(dtype), count=count, offset=offset)
            out[name] = array
        for name, (offset, length, count) in header["lists"].items():
            text = bytes(body[offset:offset + length]).decode("utf-8", "surrogatepass")
            out[name] = text.split("\n") if count else []
            if len(out[name]) != count:
                return None
        return out
    except (OSError, ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        return None


def build(library: Path) -> Path | None:
    """Read the library and save its index (what the separate process does)."""
    from readinglist.search import SearchIndex
    from readinglist.store import Store

    store = Store(library, backup_interval=None, lazy=True)
    signature = catalogue_signature(library)
    papers = store.papers()
    if signature != catalogue_signature(library) or signature is None:
        return None  # changed while we read it: the next start tries again
    index = SearchIndex(papers, {a.id: a for a in store.authors()}, {})
    return save(library, signature, index.saved_arrays())


def index_for(store, papers, authors, user, queue=(), queued_since=None):
    """A SearchIndex for the store's papers: from the saved file when it is
    current, else built (and saved, for a large library)."""
    from readinglist.search import SearchIndex

    papers = list(papers)
    saved = load(store.path) if len(papers) > WORTH_SAVING else None
    index = SearchIndex(papers, authors, user, queue, queued_since=queued_since, saved=saved)
    if saved is None and len(papers) > WORTH_SAVING:
        signature = catalogue_signature(store.path)
        if signature is not None and signature == store.catalogue_signature():
            with contextlib.suppress(OSError):
                save(store.path, signature, index.saved_arrays())
    return index


def build_in_background(library: Path):
    """Start building the index file in a separate, lower-priority process."""
    import subprocess

    # A session of its own: closing the terminal (SIGHUP to the app's process
    # group) must not kill a build that the next start would otherwise redo.
    return subprocess.Popen([sys.executable, "-m", "readinglist.index_cache", str(library)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m readinglist.index_cache LIBRARY", file=sys.stderr)
        return 2
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)  # a background job: the app in the foreground comes first
    return 0 if build(Path(args[0])) else 1


if __name__ == "__main__":
    raise SystemExit(main())
