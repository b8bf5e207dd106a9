"""Library.import_paths: files imported in their order, each rejected alone
when it does not parse, a run of listing files together when the store fails."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from readinglist.library import Library, bundled_seeds
from readinglist.store import Store, StoreError

BIBTEX = """@article{k1,
  title = {A Paper Only The BibTeX File Has},
  author = {Ada Lovelace},
  year = {2024},
}
"""


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    return Library(Store(tmp_path / "db" / "library.json"), today=lambda: date(2026, 11, 22))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """seeds 1 and 2, a file that is no listing, seed 3, a BibTeX file, seed 4:
    in that order once sorted."""
    seeds = bundled_seeds()
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seeds[0], folder / "a1.txt")
    shutil.copy(seeds[1], folder / "a2.txt")
    (folder / "b-bad.txt").write_text("just some notes\nnothing like a listing\n")
    shutil.copy(seeds[2], folder / "c3.txt")
    (folder / "d.bib").write_text(BIBTEX)
    shutil.copy(seeds[3], folder / "e4.txt")
    return folder


def test_files_import_in_order_and_a_bad_one_alone_is_rejected(library, folder) -> None:
    seen: list[tuple[int, int, str]] = []
    outcome = library.import_paths([folder], progress=lambda *step: seen.append(step))
    assert seen == [(n, 6, name) for n, name in
                    enumerate(["a1.txt", "a2.txt", "b-bad.txt", "c3.txt", "d.bib", "e4.txt"], 1)]
    assert [r.file for r in outcome.reports] == ["a1.txt", "a2.txt", "c3.txt", "d.bib", "e4.txt"]
    assert [(Path(f).name, why) for f, why in outcome.rejected] == [("b-bad.txt", "no papers found (not a listing)")]
    titles = {p.title for p in library.store.papers()}
    assert "A Paper Only The BibTeX File Has" in titles
    assert len(titles) == sum(r.added for r in outcome.reports)


def test_a_store_failure_rejects_the_run_and_the_next_run_still_imports(library, folder,
                                                                          monkeypatch) -> None:
    real = library.store.import_listings
    calls = [0]

    def failing_first_run(listings, now=None):
        calls[0] += 1
        if calls[0] == 1:
            raise StoreError("disk full; nothing was saved")
        return real(listings, now)

    monkeypatch.setattr(library.store, "import_listings", failing_first_run)
    outcome = library.import_paths([folder])
    rejected = {Path(f).name: why for f, why in outcome.rejected}
    assert rejected == {"a1.txt": "disk full; nothing was saved",
                        "a2.txt": "disk full; nothing was saved",
                        "b-bad.txt": "no papers found (not a listing)",
                        "c3.txt": "disk full; nothing was saved"}
    assert [r.file for r in outcome.reports] == ["d.bib", "e4.txt"]
