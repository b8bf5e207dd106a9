"""The settings file: a small TOML file in the platform's config folder.

Every key is optional. A bad value is reported with its key and line and
replaced by the default, so the app always starts. The file is the user's: the
only thing readinglist ever writes back is the ``theme`` line, when a theme is
chosen in the app, leaving comments and everything else as they were.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from readinglist.citations import DEFAULT_STYLE, STYLES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_ENV_VAR = "READINGLIST_CONFIG"
SORTS = ("date", "title", "author", "status", "score")
QUEUE_WHEN_READ = ("remove", "keep")
PRESET_KEYS = tuple("456789")
DEFAULT_PRESETS = (
    ("4", "Unread", "status:unread"),
    ("5", "Reading", "status:reading"),
    ("6", "Has code", "code:yes"),
    ("7", "Added this week", "added:<7d"),
)

TEMPLATE = """\
# readinglist settings. Every key is optional; delete a line to get the default.

# citation_style = "bibtex"      # bibtex biblatex apa mla chicago ieee plain markdown
# theme = "textual-dark"         # any Textual theme; also chosen from the command palette (ctrl+p)
# sort = "date"                  # date title author status score
# queue_when_read = "remove"     # remove: a paper marked read leaves the queue; keep: it stays
# library = "~/papers/library.json"   # where the library lives ($READINGLIST_DB and --db win)

# [keys]                         # remap keys by binding id (see ? in the app)
# "paper.status" = "x"
# "search" = "ctrl+f"

# [[presets]]                    # views on the digit keys 4-9
# key = "8"
# name = "Theory to read"
# query = "tag:theory status:unread"
"""


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    query: str


@dataclass
class Settings:
    citation_style: str = DEFAULT_STYLE
    theme: str | None = None
    sort: str = "date"
    queue_when_read: str = "remove"
    library: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)
    presets: list[Preset] = field(
        default_factory=lambda: [Preset(*p) for p in DEFAULT_PRESETS]
    )
    path: Path | None = None
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path) if self.path else None,
            "citation_style": self.citation_style,
            "theme": self.theme,
            "sort": self.sort,
            "queue_when_read": self.queue_when_read,
            "library": str(self.library) if self.library else None,
            "keys": dict(self.keys),
            "presets": [{"key": p.key, "name": p.name, "query": p.query} for p in self.presets],
            "problems": list(self.problems),
        }


def settings_path() -> Path:
    """``$READINGLIST_CONFIG``, else ``settings.toml`` in the user config folder."""
    override = os.environ.get(CONFIG_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path("readinglist") / "settings.toml"


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf'^[ \t]*"?{re.escape(key)}"?[ \t]*=', re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


class _Checker:
    """Collects problems as ``settings.toml line N: key: message``."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        line = _line_of(self.text, key.split(".")[-1])
        where = f"{self.path.name} line {line}" if line else self.path.name
        self.problems.append(f"{where}: {key}: {message}")

    def choice(self, data: dict[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
        if key not in data:
            return default
        value = data[key]
        if isinstance(value, str) and value in choices:
            return value
        self.problem(key, f"{value!r} is not one of {', '.join(choices)}; using {default!r}")
        return default


def load_settings(path: Path | None = None, themes: tuple[str, ...] | None = None) -> Settings:
    """Read the settings file; a missing file gives the defaults."""
    path = path or settings_path()
    settings = Settings(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return settings
    except (OSError, UnicodeDecodeError) as exc:
        settings.problems.append(f"{path}: cannot read ({exc}); using the defaults")
        return settings
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        settings.problems.append(f"{path.name}: not valid TOML ({exc}); using the defaults")
        return settings
    check = _Checker(path, text)
    known = {"citation_style", "theme", "sort", "queue_when_read", "library", "keys", "presets"}
    for key in data:
        if key not in known:
            check.problem(key, f"unknown setting (known: {', '.join(sorted(known))})")
    settings.citation_style = check.choice(data, "citation_style", tuple(STYLES), DEFAULT_STYLE)
    settings.sort = check.choice(data, "sort", SORTS, "date")
    settings.queue_when_read = check.choice(data, "queue_when_read", QUEUE_WHEN_READ, "remove")
    if "theme" in data:
        theme = data["theme"]
        if not isinstance(theme, str) or (themes is not None and theme not in themes):
            check.problem("theme", f"{theme!r} is not a known theme; using the default")
        else:
            settings.theme = theme
    if "library" in data:
        if isinstance(data["library"], str) and data["library"].strip():
            settings.library = Path(data["library"]).expanduser()
        else:
            check.problem("library", "must be a path, e.g. \"~/papers/library.json\"")
    settings.keys = _keys(data.get("keys", {}), check)
    settings.presets = _presets(data.get("presets"), check)
    settings.problems = check.problems
    return settings


def _keys(raw: Any, check: _Checker) -> dict[str, str]:
    if not isinstance(raw, dict):
        check.problem("keys", "must be a table of binding id = key")
        return {}
    keys = {}
    for binding_id, key in raw.items():
        if isinstance(key, str) and key.strip():
            keys[binding_id] = key.strip()
        else:
            check.problem(f"keys.{binding_id}", f"{key!r} is not a key name")
    return keys


def _presets(raw: Any, check: _Checker) -> list[Preset]:
    presets = {p.key: p for p in (Preset(*p) for p in DEFAULT_PRESETS)}
    if raw is None:
        return list(presets.values())
    if not isinstance(raw, list):
        check.problem("presets", "must be an array of tables ([[presets]])")
        return list(presets.values())
    from readinglist.search import QueryError, parse_query

    for item in raw:
        if not isinstance(item, dict):
            check.problem("presets", "each preset needs key, name and query")
            continue
        key, name, query = (str(item.get(k, "")).strip() for k in ("key", "name", "query"))
        if key not in PRESET_KEYS:
            check.problem("key", f"preset key {key!r} must be one of {', '.join(PRESET_KEYS)}")
            continue
        try:
            parse_query(query)
        except QueryError as exc:
            check.problem("query", f"preset {key}: {exc}")
            continue
        presets[key] = Preset(key, name or query, query)
    return [presets[k] for k in sorted(presets)]


def save_theme(path: Path, theme: str) -> None:
    """Set ``theme = "..."`` in the settings file, keeping everything else as is."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = TEMPLATE
    line = f'theme = "{theme}"'
    pattern = re.compile(r'^[ \t]*theme[ \t]*=.*$', re.M)
    if pattern.search(text):
        text = pattern.sub(line, text, count=1)
    else:
        first_table = re.search(r"^[ \t]*\[", text, re.M)
        at = first_table.start() if first_table else len(text)
        text = text[:at] + ("" if at == 0 or text[at - 1] == "\n" else "\n") + line + "\n" + text[at:]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
