"""The terminal commands, run as real subprocesses against the simulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.simulator import Reply, Simulator

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def cli(sim: Simulator, tmp_path: Path):
    sim.reset()
    data = tmp_path / "data"
    keyring_file = tmp_path / "keyring.json"
    env = {k: v for k, v in os.environ.items() if k != "DASHSCOPE_API_KEY"}
    env.update({
        "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
        "QWEN_TEST_KEYRING_FILE": str(keyring_file),
        "QWEN_DESKTOP_DATA_DIR": str(data),
        "QWEN_DESKTOP_REGION_URLS": ",".join(f"{r}={sim.base_url(r)}" for r in sim.regions),
        "QWEN_DESKTOP_LOG_LEVEL": "DEBUG",
        "PYTHONPATH": str(ROOT),
    })

    def run(*args: str, stdin: str = "", extra_env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "qwen_desktop", *args], input=stdin, text=True,
            capture_output=True, env={**env, **(extra_env or {})}, cwd=ROOT, timeout=60,
        )

    run.data = data  # type: ignore[attr-defined]
    run.keyring_file = keyring_file  # type: ignore[attr-defined]
    return run


def test_keys_set_list_delete(cli, sim: Simulator) -> None:
    key = sim.regions["intl"]
    done = cli("keys", "set", "intl", stdin=f"  {key}\n")
    assert done.returncode == 0, done.stderr
    stored = json.loads(cli.keyring_file.read_text())
    assert key in json.dumps(stored)
    listing = cli("keys", "list")
    assert listing.returncode == 0
    assert "intl" in listing.stdout and key[-4:] in listing.stdout and key not in listing.stdout
    assert cli("keys", "delete", "intl").returncode == 0
    assert "intl" not in cli("keys", "list").stdout


def test_key_of_the_wrong_shape_is_refused(cli) -> None:
    done = cli("keys", "set", "intl", stdin="not-a-key\n")
    assert done.returncode == 3
    assert "sk-" in done.stderr
    assert "not-a-key" not in done.stderr


def test_ask_streams_reasoning_to_stderr_and_answer_to_stdout(cli, sim: Simulator) -> None:
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    sim.enqueue(Reply(reasoning="weighing the options", content="Take the train."))
    done = cli("ask", "How do I get there?", "--thinking", "on")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Take the train."
    assert "weighing the options" in done.stderr
    assert "weighing" not in done.stdout


def test_ask_continues_the_last_conversation_over_dashscope(cli, sim: Simulator) -> None:
    cli("keys", "set", "cn", stdin=sim.regions["cn"])
    sim.enqueue(Reply(content="Blue."), Reply(content="Because of scattering."))
    first = cli("ask", "Colour of the sky?", "--region", "cn", "--protocol", "dashscope",
                "--model", "qwen-turbo", "--thinking", "256")
    assert first.returncode == 0, first.stderr
    body = sim.requests[-1].body
    assert body["parameters"]["thinking_budget"] == 256
    second = cli("ask", "Why?", "--conversation", "last")
    assert second.returncode == 0, second.stderr
    recorded = sim.requests[-1]
    assert recorded.region == "cn" and recorded.protocol == "dashscope"
    assert [m["content"] for m in recorded.body["input"]["messages"]] == [
        "Colour of the sky?", "Blue.", "Why?"]


def test_ask_last_continues_the_version_the_window_shows(cli, sim: Simulator) -> None:
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    sim.enqueue(Reply(content="First answer."), Reply(content="Chosen answer."))
    assert cli("ask", "Question?").returncode == 0
    from qwen_desktop.core.paths import database_path
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.types import Role
    with Store(database_path(cli.data)) as store:
        cid = store.last_conversation_id()
        assert cid is not None
        question = store.messages(cid)[0]
        chosen = store.add_message(cid, Role.ASSISTANT, "Chosen answer.", parent=question.id).result()
        store.add_message(cid, Role.ASSISTANT, "Newest, not chosen.", parent=question.id).result()
        store.select_message(chosen).result()
    sim.enqueue(Reply(content="Fine."))
    done = cli("ask", "Go on", "--conversation", "last")
    assert done.returncode == 0, done.stderr
    assert [m["content"] for m in sim.requests[-1].body["messages"]] == [
        "Question?", "Chosen answer.", "Go on"]


def test_exit_codes(cli, sim: Simulator) -> None:
    assert cli("ask").returncode == 2
    assert cli("ask", "hi", "--thinking", "sometimes").returncode == 2
    missing = cli("ask", "hi")
    assert missing.returncode == 3 and "No API key" in missing.stderr
    cli("keys", "set", "intl", stdin=sim.regions["cn"])
    wrong = cli("ask", "hi")
    assert wrong.returncode == 3
    assert "China (Beijing)" in wrong.stderr
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    sim.enqueue(Reply(status=400, code="DataInspectionFailed"))
    assert cli("ask", "hi").returncode == 4
    sim.enqueue(Reply(content="x" * 200, drop_after=3))
    dropped = cli("ask", "hi")
    assert dropped.returncode == 5
    assert dropped.stdout.strip(), "the partial answer is printed"


def test_environment_key_is_used_only_without_a_stored_key(cli, sim: Simulator) -> None:
    env_key = {"DASHSCOPE_API_KEY": sim.regions["intl"]}
    done = cli("ask", "hi", extra_env=env_key)
    assert done.returncode == 0, done.stderr
    assert "DASHSCOPE_API_KEY" in done.stderr
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    again = cli("ask", "hi", extra_env={"DASHSCOPE_API_KEY": "sk-envkeythatiswrong000000"})
    assert again.returncode == 0, again.stderr
    assert sim.requests[-1].api_key == sim.regions["intl"]


def test_regions_add_list_remove(cli, sim: Simulator) -> None:
    added = cli("regions", "add", "gateway", "https://llm.example.test/compatible-mode/v1",
                "--name", "Company gateway")
    assert added.returncode == 0, added.stderr
    assert "compatible-mode" in added.stderr
    listing = cli("regions").stdout
    assert "gateway" in listing and "https://llm.example.test" in listing
    assert "Singapore" in listing and "China (Beijing)" in listing
    config = json.loads((cli.data / "config.json").read_text())
    assert config["custom_regions"][0]["base_url"] == "https://llm.example.test"
    assert cli("regions", "remove", "gateway").returncode == 0
    assert "gateway" not in cli("regions").stdout
    assert cli("regions", "remove", "intl").returncode == 2
    assert cli("regions", "add", "bad", "ftp://x").returncode == 2


def test_models_lists_the_catalog(cli) -> None:
    done = cli("models")
    assert done.returncode == 0
    for name in ("qwen3-max", "qwen-plus", "qwen-flash", "qwq-plus", "qwen3-vl-plus", "qvq-max"):
        assert name in done.stdout


def test_no_key_in_data_dir_or_logs_after_a_full_run(cli, sim: Simulator) -> None:
    for region, key in sim.regions.items():
        assert cli("keys", "set", region, stdin=key).returncode == 0
    sim.enqueue(Reply(reasoning="hmm", content="ok"))
    assert cli("ask", "one", "--thinking", "on").returncode == 0
    assert cli("ask", "two", "--region", "cn", "--protocol", "dashscope").returncode == 0
    sim.enqueue(Reply(status=401))
    assert cli("ask", "three").returncode == 3
    sim.enqueue(Reply(status=500), Reply(status=500), Reply(status=500))
    assert cli("ask", "four", "--protocol", "dashscope").returncode == 4
    files = [p for p in cli.data.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files)
    assert any("sqlite" in p.name for p in files)
    for path in files:
        blob = path.read_bytes()
        for key in sim.regions.values():
            assert key.encode() not in blob, f"key found in {path}"


def test_ask_with_search_prints_answer_then_sources(cli, sim: Simulator) -> None:
    assert cli("keys", "set", "intl", stdin=sim.regions["intl"]).returncode == 0
    from tests.sim_search import SearchScript

    results = [
        {"index": 1, "title": "Release notes\x1b[2J", "url": "https://one.example/notes", "site_name": "One"},
        {"index": 2, "title": "No link here", "url": "javascript:alert(1)", "site_name": "Two"},
    ]
    sim.enqueue(Reply(content="It shipped [1].", search=SearchScript(results=results)))
    done = cli("ask", "--search", "always", "--protocol", "dashscope", "What shipped?")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "It shipped [1].\n\n[1] Release notes [2J <https://one.example/notes>\n[2] No link here\n"
    params = sim.requests[-1].body["parameters"]
    assert params["enable_search"] is True and params["search_options"]["forced_search"] is True


def test_ask_search_without_mode_takes_the_question(cli, sim: Simulator) -> None:
    assert cli("keys", "set", "intl", stdin=sim.regions["intl"]).returncode == 0
    done = cli("ask", "--search", "Any news today?")
    assert done.returncode == 0, done.stderr
    body = sim.requests[-1].body
    assert body["enable_search"] is True and body["search_options"]["forced_search"] is False
    assert "sources are only returned on the DashScope protocol" in done.stderr
    assert done.stdout.strip() == "You said: Any news today?"


def test_a_broken_ssl_cert_file_is_one_sentence_and_the_request_still_goes(cli, sim: Simulator,
                                                                           tmp_path: Path) -> None:
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    sim.enqueue(Reply(content="Still here."))
    done = cli("ask", "hello", extra_env={"SSL_CERT_FILE": str(tmp_path / "missing.pem")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Still here."
    assert "SSL_CERT_FILE" in done.stderr and "missing.pem" in done.stderr
    assert "Traceback" not in done.stderr
