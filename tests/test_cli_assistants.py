"""``qwen-desktop assistants`` and ``ask --assistant`` as real subprocesses against the simulator."""

from __future__ import annotations

import json
import sqlite3

from tests.simulator import Reply, Simulator
from tests.test_cli import cli, sim  # noqa: F401  (fixtures)

REVIEWER = {
    "id": "rev-1", "name": "Strict reviewer", "icon": "R", "colour": "#aa3300",
    "settings": {"system_prompt": "Review the diff strictly.", "model": "qwen-max", "temperature": 0.1,
                 "generation": {"top_p": 0.7, "seed": 99, "stop": ["DONE"]}},
}


def write(path, assistants) -> None:
    path.write_text(json.dumps({"format": "qwen-desktop-assistants", "version": 1, "assistants": assistants}),
                    encoding="utf-8")


def test_ask_with_an_assistant_sends_its_settings(cli, sim: Simulator, tmp_path) -> None:  # noqa: F811
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    mine = tmp_path / "mine.json"
    write(mine, [REVIEWER])
    done = cli("assistants", "import", str(mine))
    assert done.returncode == 0 and "Imported 1 assistant(s)." in done.stdout, done.stderr
    sim.enqueue(Reply(content="Looks fine."), Reply(content="Overridden."))
    done = cli("ask", "--assistant", "strict REVIEWER", "Check this")
    assert done.returncode == 0, done.stderr
    body = sim.requests[-1].body
    assert body["model"] == "qwen-max"
    assert body["messages"][0] == {"role": "system", "content": "Review the diff strictly."}
    assert (body["temperature"], body["top_p"], body["seed"], body["stop"]) == (0.1, 0.7, 99, ["DONE"])
    with sqlite3.connect(cli.data / "conversations.sqlite3") as conn:
        stored = json.loads(conn.execute("SELECT settings FROM conversations ORDER BY id DESC").fetchone()[0])
    assert stored["assistant_id"] == "rev-1", "the conversation remembers its assistant"
    done = cli("ask", "--assistant", "Strict reviewer", "--model", "qwen-plus", "--temperature", "0.5", "Again")
    assert done.returncode == 0, done.stderr
    body = sim.requests[-1].body
    assert (body["model"], body["temperature"], body["seed"]) == ("qwen-plus", 0.5, 99), "flags still override"


def test_list_export_import_and_refusals(cli, sim: Simulator, tmp_path) -> None:  # noqa: F811
    done = cli("assistants", "list", extra_env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": "ja_JP.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("* 汎用アシスタント") and "翻訳" in done.stdout, done.stdout
    exported = tmp_path / "all.json"
    done = cli("assistants", "export", str(exported))
    assert done.returncode == 0 and "Exported 9 assistant(s)" in done.stdout, done.stderr
    assert len(json.loads(exported.read_text(encoding="utf-8"))["assistants"]) == 9
    done = cli("assistants", "import", str(exported))
    assert done.returncode == 0 and "Imported 0 assistant(s), 9 replaced" in done.stdout, done.stderr
    broken = tmp_path / "broken.json"
    write(broken, [REVIEWER, {"name": "Bad", "settings": {"temperature": "hot"}}])
    done = cli("assistants", "import", str(broken))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "Assistant 2 in broken.json cannot be imported" in done.stderr
    assert "Strict reviewer" not in cli("assistants", "list").stdout, "nothing of a refused file is stored"
    sim.reset()
    done = cli("ask", "--assistant", "Nobody", "Hi")
    assert done.returncode == 2 and "There is no assistant called 'Nobody'" in done.stderr
    done = cli("ask", "--assistant", "翻訳", "--conversation", "last", "Hi")
    assert done.returncode == 2 and "cannot be used with --conversation" in done.stderr
    assert not sim.requests
