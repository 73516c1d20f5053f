"""FIFOs, links to /dev/zero, folders and huge sparse files where the app expects a file:
every reader checks the file type and size first and reads with a bound, so each ends
with a sentence within a moment (never a hang, never memory running out)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_reader_refuses_special_files_quickly(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("special_files_child.py")), str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert results, done.stderr[-3000:]
    bad = [r for r in results if r["outcome"] not in ("refused", "warned")
           and not (r["reader"] in ("config", "clean-marker", "catalog load") and r["outcome"] == "read")]
    assert not bad, json.dumps(bad, indent=1)
    assert all(r["seconds"] < 2 for r in results), results
    assert len(results) == 32
