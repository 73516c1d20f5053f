"""``qwen-desktop prompts`` as real subprocesses: the starter set in the UI language, export, import."""

from __future__ import annotations

import json

from tests.simulator import Simulator
from tests.test_cli import cli, sim  # noqa: F401  (fixtures)


def test_list_export_import_and_a_refused_file(cli, sim: Simulator, tmp_path) -> None:  # noqa: F811
    done = cli("prompts", "list", extra_env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("翻译") and "目标语言, 原文" in done.stdout, done.stdout
    exported = tmp_path / "all.json"
    done = cli("prompts", "export", str(exported))
    assert done.returncode == 0 and "Exported 9 prompt(s)" in done.stdout, done.stderr
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["prompts"].append({"name": "Standup", "text": "Yesterday: {{done}}. Today: {{next}}."})
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = cli("prompts", "import", str(exported))
    assert done.returncode == 0 and "Imported 1 prompt(s), 9 replaced" in done.stdout, done.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "qwen-desktop-prompts", "version": 1, "prompts": [{"name": "", "text": "x"}]}')
    done = cli("prompts", "import", str(broken))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "Prompt 1 in broken.json cannot be imported: a prompt needs a name." in done.stderr
