"""The core never imports Textual (harlequin's check): each core module is
imported in a fresh interpreter and ``sys.modules`` is inspected."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import readinglist

CORE_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(readinglist.__path__, prefix="readinglist.")
    if not m.name.startswith("readinglist.tui") and m.name != "readinglist.__main__"
)


def test_core_modules_are_found():
    assert {"readinglist.store", "readinglist.cli", "readinglist.listings.merge"} <= set(CORE_MODULES)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_loads_without_textual(module):
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} pulled in {result.stdout.strip()}"


def test_version_does_not_import_textual_or_tinydb():
    code = (
        "import sys\n"
        "from readinglist.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb', 'rapidfuzz')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]"), result.stdout


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_console_script_version_loads_only_the_version(flag):
    """The console script's ``--version`` is answered before the command line
    (argparse, citation styles, store) is imported: it costs a Python start."""
    code = (
        "import sys\n"
        f"sys.argv = ['readinglist', {flag!r}]\n"
        "from readinglist.entry import main\n"
        "assert main() == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('readinglist') or m == 'argparse'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("readinglist ")
    assert lines[-1] == "['readinglist', 'readinglist.entry']"
