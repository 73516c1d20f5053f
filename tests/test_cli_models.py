"""`qwen-desktop models` and `ask` with models the catalog does not know, as real subprocesses."""

from __future__ import annotations

import json

from tests.simulator import Simulator
from tests.test_cli import cli, sim  # noqa: F401 - fixtures


def set_key(cli, sim: Simulator) -> None:  # noqa: F811
    assert cli("keys", "set", "intl", stdin=sim.regions["intl"]).returncode == 0


def test_models_refresh_prints_the_region_list_merged_with_the_catalog(cli, sim: Simulator) -> None:  # noqa: F811
    set_key(cli, sim)
    sim.listed_models["intl"] = ["qwen-plus", "qwen3.9-plus"]
    done = cli("models", "--refresh", "--region", "intl")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "qwen-plus"
    assert lines[1] == "qwen3.9-plus  (* not in the catalog)"
    assert "qwen-flash  (not listed by the region)" in lines
    assert "2 models listed by Singapore" in done.stderr
    assert sim.list_requests == ["intl"] and sim.requests == []


def test_failed_refresh_keeps_the_last_good_list_and_says_why(cli, sim: Simulator) -> None:  # noqa: F811
    set_key(cli, sim)
    sim.listed_models["intl"] = ["qwen3.9-max"]
    assert cli("models", "--refresh").returncode == 0
    assert cli("keys", "set", "intl", stdin="sk-wrong-0000000000000000").returncode == 0
    done = cli("models", "--refresh")
    assert done.returncode != 0
    assert "The model list could not be fetched: The API key was rejected" in done.stderr
    assert done.stdout.splitlines()[0] == "qwen3.9-max  (* not in the catalog)"


def test_a_domain_without_the_listing_falls_back_quietly(cli, sim: Simulator) -> None:  # noqa: F811
    set_key(cli, sim)
    sim.listing_unavailable.add("intl")
    done = cli("models", "--refresh")
    assert done.returncode == 0
    assert "does not list its models: showing the catalog" in done.stderr
    assert "could not" not in done.stderr
    assert done.stdout.splitlines()[0] == "qwen3.5-plus"


def test_ask_with_an_unknown_model_learns_once_and_says_so(cli, sim: Simulator) -> None:  # noqa: F811
    set_key(cli, sim)
    first = cli("ask", "--model", "qwen3.9-max", "--thinking", "off", "hello")
    assert first.returncode == 0, first.stderr
    assert first.stdout == "You said: hello\n"
    learned = [line for line in first.stderr.splitlines() if "always thinks" in line]
    assert learned == ["qwen-desktop: qwen3.9-max always thinks: the service does not let thinking be "
                       "turned off for it."]
    chats = [r for r in sim.requests if r.kind == "chat"]
    assert [r.body["enable_thinking"] for r in chats] == [False, True]
    sim.requests.clear()
    again = cli("ask", "--model", "qwen3.9-max", "--thinking", "off", "hello again")
    assert again.returncode == 0, again.stderr
    [chat] = [r for r in sim.requests if r.kind == "chat"]
    assert chat.body["enable_thinking"] is True
    assert "does not let thinking be turned off" not in again.stderr
    assert "it will think for this reply even though thinking is off" in again.stderr


def test_ask_caps_the_thinking_budget(cli, sim: Simulator) -> None:  # noqa: F811
    set_key(cli, sim)
    done = cli("ask", "--model", "qwen-plus", "--thinking", "999999", "hi")
    assert done.returncode == 0, done.stderr
    [chat] = [r for r in sim.requests if r.kind == "chat"]
    assert chat.body["thinking_budget"] == 38_912
    assert "999,999 was lowered to 38,912" in done.stderr


def test_catalog_update_validates_and_keeps_the_old_one(cli, sim, tmp_path) -> None:  # noqa: F811
    broken = tmp_path / "broken.json"
    broken.write_text('{"date": "2027-01-01", "models": [{"name": "x"}]}')
    done = cli("models", "--update", str(broken))
    assert done.returncode == 2
    assert "lacks context_window" in done.stderr and "is kept" in done.stderr
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"date": "2027-01-01", "models": [{
        "name": "qwen4-plus", "context_window": 2_000_000, "max_input": 1_900_000, "max_output": 65_536,
        "thinking": "optional", "vision": True, "source": "test", "source_date": "2027-01-01"}]}))
    done = cli("models", "--update", str(good))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Installed the model catalog of 2027-01-01 (1 models)."
    listing = cli("models")
    assert listing.stdout.splitlines()[0].startswith("catalog of 2027-01-01")
    assert "qwen4-plus" in listing.stdout
