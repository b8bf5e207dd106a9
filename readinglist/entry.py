"""The ``readinglist`` console script.

``readinglist --version`` answers from here without importing the command line
(argparse, the citation styles, the store): it costs about as much as starting
Python. Everything else goes to ``readinglist.cli.main``.
"""

from __future__ import annotations

import sys


def main() -> int:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from readinglist import __version__

        print(f"readinglist {__version__}")
        return 0
    from readinglist.cli import main as cli_main

    return cli_main()
