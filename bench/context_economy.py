"""Input tokens per context policy over a long synthetic conversation, and retrieval recall.

Runs a conversation with planted facts ("The code name of project N is <word>") against the
in-process simulator under each policy, sums the input tokens the service would bill, then asks
about every planted fact and checks whether its round is in the built request (recall@5).
Writes the table into docs/performance.md between the context-economy markers.

    uv run python bench/context_economy.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

import keyring  # noqa: E402

from qwen_desktop.core.client import ChatClient  # noqa: E402
from qwen_desktop.core.context import ContextManager  # noqa: E402
from qwen_desktop.core.services import build_services  # noqa: E402
from qwen_desktop.core.types import (  # noqa: E402
    ChatRequest, ContextPolicy, ConversationSettings, Role, WireMessage,
)
from tests.keyring_backends import MemoryKeyring  # noqa: E402
from tests.simulator import Simulator, count_tokens, message_units  # noqa: E402

START, END = "<!-- context-economy:start -->", "<!-- context-economy:end -->"
MODEL = "qwen-plus"
PARAMS: dict[str, Any] = {
    "max_input": 16_384, "n": 10, "top_k": 5, "summary_threshold": 0.1, "summary_max_tokens": 200,
}
WORDS = (
    "river garden lantern copper meadow harbor violet thunder pepper marble orbit canyon "
    "velvet saddle quartz willow ember glacier falcon cedar maple tundra coral basalt prism "
    "juniper cobalt amber lotus raven summit delta fjord oasis pine nectar onyx"
).split()
PROJECTS = (
    "Atlas Borealis Cygnus Draco Electra Fornax Gemini Hydra Indus Juno Kepler Lyra Mensa Norma "
    "Orion Pavo Quasar Rigel Sirius Taurus Ursa Vela Wezen Xena Yildun Zosma Altair Bellatrix "
    "Capella Deneb Enif Fomalhaut Gacrux Hadar Izar"
).split()
TOPICS = (
    "gardening tips for small balconies", "the history of printing presses", "training for a "
    "half marathon", "how tides depend on the moon", "choosing a first espresso machine",
    "learning Japanese kana quickly", "why leaves change colour in autumn", "planning a budget "
    "for a family holiday", "the rules of cricket", "caring for a sourdough starter",
    "basics of double-entry bookkeeping", "how compilers optimise loops",
)


class WordCappedClient(ChatClient):
    """Cuts whole replies to ``max_tokens`` words, as the service does; the simulator does not."""

    async def complete(self, request: ChatRequest) -> str:
        text = await super().complete(request)
        return " ".join(text.split()[: request.max_tokens]) if request.max_tokens else text


@dataclass
class Script:
    turns: list[str]
    facts: dict[int, tuple[str, str]]
    """Turn index -> (project, code word)."""


def script(rounds: int, every: int, seed: int = 7) -> Script:
    rng = random.Random(seed)
    turns: list[str] = []
    facts: dict[int, tuple[str, str]] = {}
    for index in range(rounds):
        if index % every == every // 2 and len(facts) < len(PROJECTS):
            project, word = PROJECTS[len(facts)], rng.choice(WORDS) + rng.choice(WORDS)
            facts[index] = (project, word)
            turns.append(f"Please note this: the code name of project {project} is {word}.")
        else:
            extra = " ".join(rng.sample(WORDS, 5))
            turns.append(f"Tell me about {rng.choice(TOPICS)}, keeping in mind {extra}.")
    return Script(turns, facts)


@dataclass
class Result:
    policy: ContextPolicy
    chat: int = 0
    summarizer: int = 0
    embedding: int = 0
    requests: int = 0
    stopped: int = 0
    recall: float | None = None

    @property
    def total(self) -> int:
        return self.chat + self.summarizer + self.embedding


async def run_policy(sim: Simulator, policy: ContextPolicy, plan: Script, data: Path) -> Result:
    services = build_services(
        data, region_overrides={r: sim.base_url(r) for r in sim.regions}, env={},
        client=WordCappedClient(),
    )
    for region, key in sim.regions.items():
        services.keys.set(region, key)
    manager = services.engine.context
    assert isinstance(manager, ContextManager)
    settings = ConversationSettings(model=MODEL, context_policy=policy, context_params=dict(PARAMS))
    cid = services.store.create_conversation(settings).result()
    result = Result(policy)
    sim.reset()
    try:
        for text in plan.turns:
            try:
                async for _ in services.engine.send(cid, text):
                    pass
            except Exception as error:  # noqa: BLE001 - a refused request is part of the result
                result.stopped += 1
                if result.stopped == 1:
                    print(f"  {policy.value}: {error}", file=sys.stderr)
            await manager.idle()
        for message in services.store.messages(cid):
            if message.usage is not None:
                result.chat += message.usage.input_tokens
                result.requests += 1
        for request in sim.requests:
            if request.kind == "chat" and request.body.get("model") != MODEL:
                result.summarizer += len(message_units(request.body.get("messages")
                                                       or request.body["input"]["messages"]))
            elif request.kind == "embedding":
                texts = request.body.get("input")
                result.embedding += sum(count_tokens(t) for t in ([texts] if isinstance(texts, str) else texts))
        if policy is ContextPolicy.RETRIEVAL:
            result.recall = await recall(services, manager, cid, settings, plan)
    finally:
        await services.client.aclose()
        services.store.close()
    return result


async def recall(services: Any, manager: ContextManager, cid: int, settings: ConversationSettings,
                 plan: Script) -> float:
    history = services.engine.history(cid)
    users = [item for item in history if item.role is Role.USER]
    hits = 0
    for index, (project, _) in plan.facts.items():
        question = WireMessage(Role.USER, f"What is the code name of project {project}?")
        built = await manager.build(cid, settings, history, question)
        hits += users[index].message_id in built.included_ids
    return hits / len(plan.facts)


def table(results: list[Result], rounds: int) -> str:
    full = next(r for r in results if r.policy is ContextPolicy.FULL)
    lines = [
        f"Context economy: {rounds} rounds, model window {PARAMS['max_input']:,} tokens, last N = "
        f"{PARAMS['n']}, top-k = {PARAMS['top_k']}, summary at {PARAMS['summary_threshold']:.0%} of the "
        f"window (summaries ≤ {PARAMS['summary_max_tokens']} tokens). Tokens as the simulator bills them.",
        "",
        "| policy | requests sent | chat input | summarizer input | embedding input | total | vs full | recall@5 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        saving = 1 - r.total / full.total if full.total else 0.0
        recall_text = "—" if r.recall is None else f"{r.recall:.0%}"
        lines.append(
            f"| {r.policy.value} | {r.requests} | {r.chat:,} | {r.summarizer:,} | {r.embedding:,} | "
            f"{r.total:,} | {f'{-saving:+.0%}' if r is not full else '—'} | {recall_text} |"
        )
    return "\n".join(lines)


def write_docs(text: str, path: Path = ROOT / "docs" / "performance.md") -> None:
    block = f"{START}\n{text}\n{END}"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if START in current and END in current:
        head, rest = current.split(START, 1)
        current = head + block + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="60 rounds instead of 300; leaves docs/performance.md alone")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    rounds, every = (60, 6) if args.quick else (300, 10)
    plan = script(rounds, every)
    keyring.set_keyring(MemoryKeyring())
    results = []
    with Simulator() as sim, tempfile.TemporaryDirectory() as tmp:
        for policy in ContextPolicy:
            data = Path(tmp) / policy.value
            data.mkdir()
            results.append(asyncio.run(run_policy(sim, policy, plan, data)))
    text = table(results, rounds)
    print(text)
    if not args.no_write and not args.quick:
        write_docs(text)
    full = results[0].total
    ok = all(r.total <= 0.3 * full for r in results if r.policy in (ContextPolicy.SUMMARY,
                                                                     ContextPolicy.RETRIEVAL))
    ok = ok and (results[-1].recall or 0) >= 0.9
    if args.quick:
        print("quick run: too short for the savings targets")
        return 0
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
