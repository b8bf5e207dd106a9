"""The command line end to end, in-process, on a temporary store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from readinglist.cli import main
from readinglist.library import bundled_seeds

SEED_COUNT = 57
PEOPLE = 79
EXPORT_PAPER_FIELDS = {
    "id", "title", "authors", "et_al", "affiliation", "category", "date", "has_code",
    "score", "abstract", "abstract_versions", "sources", "needs_review", "tags", "status",
    "queue_position", "note",
}


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "data" / "library.json"
    monkeypatch.setenv("READINGLIST_DB", str(path))
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args):
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def seeded(db, capsys):
    code, _, err = run(capsys, "import")
    assert code == 0, err
    return db


def paper_id(capsys, title_start: str) -> str:
    records = run_json(capsys, "list")
    matches = [r["id"] for r in records if r["title"].startswith(title_start)]
    assert len(matches) == 1, title_start
    return matches[0]


def test_import_seeds_reports_every_file(db, capsys):
    result = run_json(capsys, "import")
    assert [r["file"] for r in result["imported"]] == [p.name for p in bundled_seeds()]
    assert sum(r["added"] for r in result["imported"]) == SEED_COUNT
    assert sum(r["versions"] for r in result["imported"]) == 3
    assert result["rejected"] == []


def test_import_human_output(db, capsys):
    code, out, _ = run(capsys, "import")
    assert code == 0
    assert "001_2ae19e42cc62bdbe.txt: 0 added, 3 merged, 3 abstract versions attached, 0 flagged" in out
    assert f"library: {SEED_COUNT} papers, {PEOPLE} authors" in out


def test_import_says_when_abstracts_left_for_review_find_their_papers(db, capsys):
    """The dump first, alone: its six abstracts wait for review; the profile
    page that holds their papers then places them, and says so (its own file
    held none of those versions)."""
    seeds = bundled_seeds()
    code, out, _ = run(capsys, "import", str(seeds[1]))
    assert code == 0 and "0 added, 0 merged, 0 abstract versions attached, 6 flagged" in out
    assert "left for review" not in out
    code, out, _ = run(capsys, "import", str(seeds[0]))
    assert code == 0
    assert "  6 abstracts left for review were placed as versions of their papers" in out


def test_list_json_has_every_export_field(seeded, capsys):
    records = run_json(capsys, "list")
    assert len(records) == SEED_COUNT
    assert all(EXPORT_PAPER_FIELDS <= set(r) for r in records)
    dates = [r["date"] for r in records]
    assert dates == sorted(dates, reverse=True)


def test_reimport_adds_nothing_and_keeps_user_data(seeded, capsys):
    pid = paper_id(capsys, "Liger Kernel")
    run(capsys, "tag", pid, "systems")
    run(capsys, "status", pid, "reading")
    run(capsys, "queue", "add", pid)
    run(capsys, "note", pid, "--set", "read section 3")
    before = run_json(capsys, "list")
    result = run_json(capsys, "import")
    assert sum(r["added"] for r in result["imported"]) == 0
    assert sum(r["versions"] for r in result["imported"]) == 0
    after = run_json(capsys, "list")
    assert after == before
    record = next(r for r in after if r["id"] == pid)
    assert (record["tags"], record["status"], record["queue_position"], record["note"]) == (
        ["systems"], "reading", 1, "read section 3")


def test_list_query_and_filters(seeded, capsys):
    assert len(run_json(capsys, "list", "author:kothapalli")) == 13
    assert len(run_json(capsys, "list", "author:panigrahi")) == 18
    titles = [r["title"] for r in run_json(capsys, "list", "liger", "kernal")]
    assert titles[0].startswith("Liger Kernel")
    assert all(r["category"] == "CL" for r in run_json(capsys, "list", "cat:CL"))
    assert all(r["date"] >= "2025" for r in run_json(capsys, "list", "year:>=2025"))
    assert len(run_json(capsys, "list", "--limit", "3")) == 3


def test_list_bad_filter_is_one_line(seeded, capsys):
    code, out, err = run(capsys, "list", "status:maybe")
    assert code == 1 and out == ""
    assert err.startswith("readinglist: error: status:maybe") and err.count("\n") == 1


def test_sort_options(seeded, capsys):
    titles = [r["title"].casefold() for r in run_json(capsys, "list", "--sort", "title")]
    assert titles == sorted(titles)
    scores = [r["score"] for r in run_json(capsys, "list", "--sort", "score")]
    assert scores[:2] == [99.2, 81.2]


def test_show_by_prefix_and_unknown_id(seeded, capsys):
    pid = paper_id(capsys, "360Brew")
    record = run_json(capsys, "show", pid[:6])
    assert record["id"] == pid
    code, out, err = run(capsys, "show", pid)
    assert code == 0 and "(also: Vignesh Kothapalli)" in out  # owner hidden behind et al.
    code, out, err = run(capsys, "show", "zzzz")
    assert code == 1 and "zzzz" in err and err.count("\n") == 1 and "Traceback" not in err


def test_authors(seeded, capsys):
    rows = run_json(capsys, "authors")
    assert len(rows) == PEOPLE
    owner = next(r for r in rows if r["name"] == "Vignesh Kothapalli")
    assert owner["papers"] == 13 and owner["profile"]["h_index"] == 27
    kini = next(r for r in rows if r["name"] == "Ganesh Ramachandra Kini")
    assert kini["aliases"] == ["Ganesh R. Kini"] and kini["papers"] == 3


def test_tag_and_remove(seeded, capsys):
    pid = paper_id(capsys, "Half-Hop")
    assert run_json(capsys, "tag", pid, "graphs", "theory")["tags"] == ["graphs", "theory"]
    assert run_json(capsys, "tag", pid, "theory", "--remove")["tags"] == ["graphs"]
    assert [r["id"] for r in run_json(capsys, "list", "tag:graphs")] == [pid]


def test_status_and_queue(seeded, capsys):
    a, b, c = (paper_id(capsys, t) for t in ("Half-Hop", "MossNet", "DynaMo"))
    for pid in (a, b, c):
        run(capsys, "queue", "add", pid)
    assert [r["id"] for r in run_json(capsys, "queue", "list")] == [a, b, c]
    run(capsys, "queue", "move", c, "1")
    assert [r["id"] for r in run_json(capsys, "queue", "list")] == [c, a, b]
    run(capsys, "queue", "remove", a)
    assert [r["id"] for r in run_json(capsys, "queue", "list")] == [c, b]
    record = run_json(capsys, "status", c, "read")
    assert record["status"] == "read" and record["queue_position"] is None
    assert "read" in record["status_since"]
    assert [r["id"] for r in run_json(capsys, "queue", "list")] == [b]


def test_note_set_append_edit(seeded, capsys, tmp_path, monkeypatch):
    pid = paper_id(capsys, "MossNet")
    run(capsys, "note", pid, "--set", "# Summary")
    run(capsys, "note", pid, "--append", "- mixture of experts")
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('\\n- edited\\n')\n")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    code, _, err = run(capsys, "note", pid, "--edit")
    assert code == 0, err
    assert run_json(capsys, "show", pid)["note"] == "# Summary\n\n- mixture of experts\n- edited\n"


def test_export_json_file(seeded, capsys, tmp_path):
    out = tmp_path / "export.json"
    code, _, err = run(capsys, "export", "--format", "json", "-o", out)
    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["papers"]) == SEED_COUNT and len(data["authors"]) == PEOPLE
    assert all(EXPORT_PAPER_FIELDS <= set(p) for p in data["papers"])
    assert all({"name", "aliases", "paper_ids", "profile"} <= set(a) for a in data["authors"])
    versions = [p for p in data["papers"] if len(p["abstract_versions"]) > 1]
    assert len(versions) == 3


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"caf\xe9 in Latin-1 \xff\n", "not UTF-8"),
        (b"just some notes\nnothing like a listing\n", "no papers found"),
    ],
)
def test_bad_files_are_rejected_and_others_import(db, capsys, tmp_path, content, reason):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_bytes(content)
    shutil.copy(bundled_seeds()[2], folder / "good.txt")
    code, out, err = run(capsys, "import", folder)
    assert code == 1
    assert "rejected" in err and "bad.txt" in err and reason in err
    assert "good.txt: 7 added" in out
    assert len(run_json(capsys, "list")) == 7


def test_missing_path(db, capsys, tmp_path):
    code, _, err = run(capsys, "import", tmp_path / "nope.txt")
    assert code == 1 and "no such file" in err


@pytest.mark.parametrize("content", [b"", b"{not json", b"null", b"[1, 2]", b"\x00\x00"])
def test_corrupt_store_is_a_clear_error_and_untouched(db, capsys, content):
    db.parent.mkdir(parents=True)
    db.write_bytes(content)
    code, out, err = run(capsys, "list")
    assert code == 1 and out == ""
    assert err.startswith("readinglist: error:") and err.count("\n") == 1
    assert db.read_bytes() == content


def test_first_run_of_list_imports_the_seeds(db, capsys):
    code, out, err = run(capsys, "list")
    assert code == 0
    assert f"imported {SEED_COUNT} papers" in err
    assert len(out.splitlines()) == SEED_COUNT


def test_installed_command_runs(seeded, tmp_path):
    exe = shutil.which("readinglist", path=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    assert exe, "the readinglist command is not installed"
    out = subprocess.run([exe, "list", "--json", "author:kothapalli"], capture_output=True,
                         text=True, cwd=tmp_path, check=True).stdout
    assert len(json.loads(out)) == 13
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("readinglist ")


def test_cite_styles_and_keys(seeded, capsys):
    pid = paper_id(capsys, "Learning and Generalization in RNNs")
    code, out, _ = run(capsys, "cite", pid)
    assert code == 0 and out.startswith("@misc{panigrahi2021learning,\n")
    code, out, _ = run(capsys, "cite", pid, "--style", "apa")
    assert out == "Panigrahi, A., & Goyal, N. (2021). Learning and generalization in RNNs [Preprint].\n"
    code, out, _ = run(capsys, "cite", pid, "--abstract")
    assert "abstract = {" in out
    other = paper_id(capsys, "Learning and Generalization in RNNs")
    code, out, _ = run(capsys, "cite", pid, other, "--style", "markdown")
    assert out.count("\n") == 2


def test_cite_default_style_from_environment(seeded, capsys, monkeypatch):
    pid = paper_id(capsys, "MossNet")
    monkeypatch.setenv("READINGLIST_CITE_STYLE", "ieee")
    code, out, _ = run(capsys, "cite", pid)
    assert out.startswith("S. Tuli et al. \u201cMossNet")
    monkeypatch.setenv("READINGLIST_CITE_STYLE", "harvard")
    code, _, err = run(capsys, "cite", pid)
    assert code == 1 and "unknown citation style 'harvard'" in err


def test_cite_copy_without_clipboard_says_so(seeded, capsys):
    pid = paper_id(capsys, "MossNet")
    code, out, err = run(capsys, "cite", pid, "--copy")
    assert code == 1 and out.startswith("@misc{") and "Not copied" in err


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["--format", "bibtex", "--tag", "graphs"], lambda t: t.count("@misc{") == 1 and "Half-Hop" in t),
        (["--format", "csl-json", "--query", "author:kothapalli"], lambda t: len(json.loads(t)) == 13),
        (["--format", "csv", "--queue"], lambda t: len(t.strip().splitlines()) == 3),
        (["--format", "markdown"], lambda t: t.startswith("# Reading list") and "## To read (57)" in t),
        (["--format", "json", "--tag", "graphs"], lambda t: len(json.loads(t)["papers"]) == 1),
    ],
)
def test_export_formats_and_selections(seeded, capsys, args, check):
    halfhop = paper_id(capsys, "Half-Hop")
    run(capsys, "tag", halfhop, "graphs")
    run(capsys, "queue", "add", halfhop)
    run(capsys, "queue", "add", paper_id(capsys, "MossNet"))
    code, out, err = run(capsys, "export", *args)
    assert code == 0, err
    assert check(out)


def test_import_bibtex_reports_rejected_entries(db, capsys, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a, title={Only One}, author={Doe, Jane}}\n@misc{b, author={X, Y}}\n")
    code, out, err = run(capsys, "import", bib)
    assert code == 0
    assert "refs.bib: 1 added" in out and "warning: rejected entry 'b' (line 2): no title" in out


def test_config_path_show_and_library_location(tmp_path, capsys, monkeypatch):
    config = tmp_path / "cfg" / "settings.toml"
    monkeypatch.setenv("READINGLIST_CONFIG", str(config))
    code, out, _ = run(capsys, "config", "path")
    assert out.strip() == str(config)
    config.parent.mkdir()
    lib = tmp_path / "elsewhere" / "lib.json"
    config.write_text(f'library = "{lib}"\ncitation_style = "mla"\n')
    monkeypatch.delenv("READINGLIST_DB")
    shown = run_json(capsys, "config", "show")
    assert shown["library"] == str(lib) and shown["citation_style"] == "mla"
    paths = run_json(capsys, "paths")
    assert paths["library"] == str(lib) and paths["settings"] == str(config)
    assert paths["user_data"] == str(lib.with_name("lib.user.json"))
    assert paths["journal"] == str(lib.with_name("lib.user.journal"))
    assert paths["index"] == str(lib.with_name("lib.index"))
    run(capsys, "import")
    assert lib.exists()
    pid = paper_id(capsys, "Learning and Generalization in RNNs")
    code, out, _ = run(capsys, "cite", pid)
    assert out.startswith("Panigrahi, Abhishek, and Navin Goyal.")  # MLA from the settings


def test_bad_settings_warn_and_commands_still_work(db, tmp_path, capsys, monkeypatch):
    config = tmp_path / "settings.toml"
    config.write_text('sort = "sideways"\n')
    monkeypatch.setenv("READINGLIST_CONFIG", str(config))
    code, out, err = run(capsys, "paths")
    assert code == 0
    assert "readinglist: settings: settings.toml line 1: sort: 'sideways' is not one of" in err


def test_config_edit_creates_the_template(tmp_path, capsys, monkeypatch):
    config = tmp_path / "c" / "settings.toml"
    monkeypatch.setenv("READINGLIST_CONFIG", str(config))
    editor = tmp_path / "ed.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('sort = \"title\"\\n')\n")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    code, _, err = run(capsys, "config", "edit")
    assert code == 0, err
    assert config.read_text().startswith("# readinglist settings.")
    assert run_json(capsys, "config", "show")["sort"] == "title"


def test_damaged_library_doctor_and_restore(seeded, capsys):
    pid = paper_id(capsys, "MossNet")
    run(capsys, "tag", pid, "first")  # the session's first write takes a backup
    run(capsys, "tag", pid, "second")
    seeded.write_bytes(b'{"papers": {"x": ')  # cut short
    code, out, err = run(capsys, "list")
    assert code == 1 and out == "" and "not valid JSON" in err and "Newest good backup" in err
    assert seeded.read_bytes() == b'{"papers": {"x": '  # never written over
    code, out, _ = run(capsys, "doctor")
    assert code == 1 and "damaged" in out
    code, out, _ = run(capsys, "restore")
    assert out.lstrip().startswith("1  ") and "57 papers" in out
    code, out, err = run(capsys, "restore", "7")
    assert code == 1 and "no backup number '7'" in err
    code, out, _ = run(capsys, "restore", "1")
    assert code == 0 and "kept the replaced file as" in out and ".damaged-" in out
    aside = [p for p in seeded.parent.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == b'{"papers": {"x": '
    record = run_json(capsys, "show", pid)
    assert record["tags"] == ["first", "second"]  # the good user file was kept
    code, out, _ = run(capsys, "doctor")
    assert code == 0 and "0 errors" in out


def test_queue_when_read_keep_and_queued_filter(seeded, capsys, tmp_path, monkeypatch):
    config = tmp_path / "settings.toml"
    config.write_text('queue_when_read = "keep"\n')
    monkeypatch.setenv("READINGLIST_CONFIG", str(config))
    pid = paper_id(capsys, "MossNet")
    run(capsys, "queue", "add", pid)
    record = run_json(capsys, "status", pid, "read")
    assert record["queue_position"] == 1 and record["queued_at"]
    assert [r["id"] for r in run_json(capsys, "list", "queued:<1d")] == [pid]
    assert run_json(capsys, "list", "queued:>30d") == []


def test_a_note_is_printed_without_its_escapes_to_a_terminal_and_whole_to_a_pipe(
        seeded, capsys, monkeypatch):
    import io
    import sys

    paper = run_json(capsys, "list")[0]["id"]
    note = "hi \x1b]52;c;SGk=\x07 there"
    assert run(capsys, "note", paper, "--set", note)[0] == 0
    assert run(capsys, "note", paper, "--show")[1] == note  # a pipe: byte for byte

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["note", paper, "--show"]) == 0
    assert terminal.getvalue() == "hi ]52;c;SGk= there"
