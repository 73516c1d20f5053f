"""``qwen-desktop ask`` with generation parameters, as a real subprocess against the simulator."""

from __future__ import annotations

from tests.simulator import Reply, Simulator
from tests.test_cli import cli, sim  # noqa: F401  (fixtures)


def test_parameters_from_the_command_line_reach_the_wire_and_stay(cli, sim: Simulator) -> None:  # noqa: F811
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    sim.enqueue(Reply(content='{"a": 1}'), Reply(content="again"))
    done = cli("ask", "Give JSON", "--temperature", "0.2", "--top-p", "0.9", "--top-k", "20", "--max-tokens", "64",
               "--seed", "42", "--presence-penalty", "-0.5", "--repetition-penalty", "1.05", "--stop", "END",
               "--stop", "STOP", "--json")
    assert done.returncode == 0, done.stderr
    body = sim.requests[-1].body
    assert (body["temperature"], body["top_p"], body["top_k"], body["max_tokens"], body["seed"]) == (0.2, 0.9, 20, 64, 42)
    assert body["presence_penalty"] == -0.5 and body["repetition_penalty"] == 1.05
    assert body["stop"] == ["END", "STOP"] and body["response_format"] == {"type": "json_object"}
    done = cli("ask", "Again", "--conversation", "last")
    assert done.returncode == 0, done.stderr
    assert sim.requests[-1].body["seed"] == 42, "the conversation keeps its parameters"


def test_out_of_range_and_json_with_thinking_are_refused(cli, sim: Simulator) -> None:  # noqa: F811
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    before = len(sim.requests)
    done = cli("ask", "Hi", "--top-p", "0")
    assert done.returncode == 2 and "Top P must be above 0" in done.stderr
    done = cli("ask", "Hi", "--json", "--thinking", "on")
    assert done.returncode == 2 and "JSON mode works only with thinking off" in done.stderr
    assert len(sim.requests) == before
