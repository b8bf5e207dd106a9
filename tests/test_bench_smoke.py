"""The benchmark runs end to end (``bench/run.py --quick``) and reports every metric.

No timing is asserted here: figures belong in the benchmark's results, not in
pass/fail tests. This only checks that each measurement produced a number and
that the six targets were evaluated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "bench" / "run.py"
EXE = Path(sys.executable).with_name("readinglist")

pytestmark = pytest.mark.skipif(not EXE.exists(), reason="the readinglist command is not installed")

STATS = {"median", "min", "max", "n"}


def _has_stats(block) -> bool:
    return isinstance(block, dict) and STATS <= set(block) and block["median"] is not None


def test_quick_benchmark_reports_every_metric(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "READINGLIST_DB"}
    proc = subprocess.run([sys.executable, str(RUN), "--quick", "--out", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (result_file,) = tmp_path.glob("*.json")
    results = json.loads(result_file.read_text())
    assert (tmp_path / "latest.md").read_text().startswith("# readinglist benchmark")

    assert results["meta"]["source"]["hash"]
    floors = results["floors"]
    for key in ("python_pass_s", "import_textual_s", "version_s"):
        assert _has_stats(floors[key]), key
    assert isinstance(floors["version_imports_textual"], bool)
    assert isinstance(floors["list_imports_textual"], bool)

    assert set(results["sizes"]) == {"50", "1000"}
    for size, m in results["sizes"].items():
        assert m["library"]["papers"] >= int(size), size
        assert _has_stats(m["import"]["s"]), size
        assert m["import"]["user_data"]["annotated"] > 0
        for key in ("read_files_s", "orjson_loads_s", "atomic_write_s"):
            assert _has_stats(m["floors"][key]), (size, key)
        for key in ("tti_s", "store_open_s", "first_rows_s"):
            assert _has_stats(m["tti_headless"][key]), (size, key)
        for key in ("tti_s", "first_screen_s", "key_response_s"):
            assert _has_stats(m["tti_pty"][key]), (size, key)
        for key in ("per_key_median_ms", "per_key_p95_ms", "per_key_max_ms"):
            assert _has_stats(m["search"][key]), (size, key)
        assert m["search"]["keystrokes"] > 0
        assert 0.0 <= m["search"]["recall_wratio_ties"] <= 1.0
        assert len(m["search"]["recall"]) == len(results["meta"]["queries"])
        for op in ("tag", "status", "queue_move", "note", "atomic_write"):
            assert _has_stats(m["saves"][op]), (size, op)
        assert _has_stats(m["tag_save_and_refresh_s"])
        assert _has_stats(m["cli_list_s"])
        assert _has_stats(m["memory"]["pty_peak_bytes"])
        assert _has_stats(m["memory"]["headless_peak_bytes"])
        assert m["store_bytes"] > 0

    assert [t["target"] for t in results["targets"]] == [1, 2, 3, 4, 5, 6]
    assert all(t["status"] in ("PASS", "FAIL") for t in results["targets"])
