"""``ask --protocol responses``: the second turn chains, a lost chain is said, refusals point elsewhere."""

from __future__ import annotations

from tests.simulator import Reply, Simulator
from tests.test_cli import cli, sim  # noqa: F401 - fixtures


def test_ask_chains_the_second_turn_and_says_when_the_chain_was_lost(cli, sim: Simulator) -> None:  # noqa: F811
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    sim.enqueue(Reply(content="Blue."), Reply(content="Scattering."), Reply(content="Yes."))
    first = cli("ask", "Colour of the sky?", "--protocol", "responses", "--model", "qwen3-max")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "Blue."
    opened = sim.requests[-1]
    assert opened.path.endswith("/compatible-mode/v1/responses")
    assert "previous_response_id" not in opened.body
    second = cli("ask", "Why?", "--conversation", "last")
    assert second.returncode == 0, second.stderr
    chained = sim.requests[-1].body
    assert chained["previous_response_id"] in sim.responses.kept
    assert chained["input"] == [{"role": "user", "content": "Why?"}]
    assert second.stdout.strip() == "Scattering."
    sim.responses.expire()
    third = cli("ask", "Sure?", "--conversation", "last")
    assert third.returncode == 0, third.stderr
    assert "no longer kept the earlier turns" in third.stderr
    assert [i["content"] for i in sim.requests[-1].body["input"]] == [
        "Colour of the sky?", "Blue.", "Why?", "Scattering.", "Sure?"]


def test_ask_prints_service_tool_cards_and_points_a_refusing_model_elsewhere(
    cli, sim: Simulator  # noqa: F811
) -> None:
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    done = cli("ask", "Calculate 6 times 7", "--protocol", "responses", "--model", "qwen3-max",
               "--server-tool", "code_interpreter")
    assert done.returncode == 0, done.stderr
    assert sim.requests[-1].body["tools"] == [{"type": "code_interpreter"}]
    assert "[code_interpreter] print(6 * 7)" in done.stderr and "    42" in done.stderr
    done = cli("ask", "Hello", "--protocol", "responses", "--model", "qwen-turbo")
    assert done.returncode == 4
    assert "does not take the Responses API" in done.stderr
    assert "--protocol openai" in done.stderr
