"""The completion scripts are valid for their shell and complete what they should."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from readinglist.cli import build_parser
from readinglist.completion import script


def complete_bash(tmp_path, line: str) -> list[str]:
    """Run the bash completion function as bash would for ``line`` (cursor at the end)."""
    path = tmp_path / "rl.bash"
    path.write_text(script("bash", build_parser()))
    words = line.split(" ")
    code = (
        f"source {path}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_readinglist\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(["bash", "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            check=True)
    return result.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("readinglist li", ["list"]),
        ("readinglist --db lib.json ex", ["export"]),
        ("readinglist status abc r", ["reading", "read"]),
        ("readinglist cite abc --style a", ["apa"]),
        ("readinglist export --format c", ["csl-json", "csv"]),
        ("readinglist queue m", ["move"]),
        ("readinglist list --s", ["--sort"]),
    ],
)
def test_bash_completes(tmp_path, line, expected):
    assert sorted(complete_bash(tmp_path, line)) == sorted(expected)


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_and_zsh_scripts_parse():
    for shell in ("bash", "zsh"):
        subprocess.run(["bash", "-n", "-c", script(shell, build_parser())], check=True)


def test_fish_script_names_every_command():
    text = script("fish", build_parser())
    for command in ("import", "list", "cite", "export", "queue", "stats"):
        assert f"-a {command} " in text
    assert "-l style" in text and "-l json" in text
