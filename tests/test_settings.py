"""The settings file: good, bad and missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.settings import (
    DEFAULT_PRESETS,
    TEMPLATE,
    Preset,
    load_settings,
    save_theme,
    settings_path,
)


def write(tmp_path, text) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path):
    settings = load_settings(tmp_path / "nope.toml")
    assert (settings.citation_style, settings.sort, settings.queue_when_read) == ("bibtex", "date", "remove")
    assert settings.theme is None and settings.keys == {} and settings.problems == []
    assert [p.key for p in settings.presets] == [k for k, _, _ in DEFAULT_PRESETS]


def test_template_is_valid_and_all_commented(tmp_path):
    settings = load_settings(write(tmp_path, TEMPLATE))
    assert settings.problems == [] and settings.citation_style == "bibtex"


def test_good_file(tmp_path):
    path = write(tmp_path, '''
citation_style = "apa"
theme = "nord"
sort = "score"
queue_when_read = "keep"
library = "~/papers/lib.json"

[keys]
"paper.status" = "x"

[[presets]]
key = "8"
name = "Theory to read"
query = "tag:theory status:unread"
''')
    s = load_settings(path, themes=("nord", "textual-dark"))
    assert s.problems == []
    assert (s.citation_style, s.theme, s.sort, s.queue_when_read) == ("apa", "nord", "score", "keep")
    assert s.library == Path("~/papers/lib.json").expanduser()
    assert s.keys == {"paper.status": "x"}
    assert Preset("8", "Theory to read", "tag:theory status:unread") in s.presets
    assert [p.key for p in s.presets] == ["4", "5", "6", "7", "8"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('citation_style = "harvard"\n', "settings.toml line 1: citation_style: 'harvard' is not one of"),
        ('\nsort = 3\n', "settings.toml line 2: sort: 3 is not one of"),
        ('colour = "red"\n', "settings.toml line 1: colour: unknown setting"),
        ('theme = "no-such"\n', "settings.toml line 1: theme: 'no-such' is not a known theme"),
        ('[[presets]]\nkey = "1"\nname = "x"\nquery = "a"\n', "settings.toml line 2: key: preset key '1'"),
        ('[[presets]]\nkey = "8"\nquery = "status:maybe"\n', "line 3: query: preset 8: status:maybe"),
        ('[keys]\n"search" = ""\n', "keys.search: '' is not a key name"),
        ('sort = "date"\nsort = "title"\n', "not valid TOML"),
    ],
)
def test_bad_values_name_key_and_line_and_fall_back(tmp_path, text, expected):
    s = load_settings(write(tmp_path, text), themes=("textual-dark",))
    assert any(expected in p for p in s.problems), s.problems
    assert s.citation_style == "bibtex" and s.sort == "date"


def test_save_theme_keeps_the_rest(tmp_path):
    path = write(tmp_path, '# mine\ncitation_style = "apa"\n\n[keys]\n"search" = "ctrl+f"\n')
    save_theme(path, "nord")
    text = path.read_text()
    assert text == '# mine\ncitation_style = "apa"\n\ntheme = "nord"\n[keys]\n"search" = "ctrl+f"\n'
    save_theme(path, "gruvbox")
    assert 'theme = "gruvbox"' in path.read_text() and "nord" not in path.read_text()
    assert load_settings(path).theme == "gruvbox"


def test_save_theme_creates_the_file(tmp_path):
    path = tmp_path / "cfg" / "settings.toml"
    save_theme(path, "nord")
    assert load_settings(path).theme == "nord"


def test_settings_path_override(monkeypatch, tmp_path):
    monkeypatch.setenv("READINGLIST_CONFIG", str(tmp_path / "x.toml"))
    assert settings_path() == tmp_path / "x.toml"
    monkeypatch.delenv("READINGLIST_CONFIG")
    assert settings_path().parts[-2:] == ("readinglist", "settings.toml")
