"""Time to build one request for a 1,000-round conversation under each policy (no network).

The query embedding comes from an in-process stand-in, so only counting, summary lookup,
vector search and assembly are measured. Budget: 20 ms per build.

    uv run python bench/context_build.py [--rounds 1000] [--repeat 50]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT / "bench")]

import numpy as np  # noqa: E402

from qwen_desktop.core.catalog import Catalog  # noqa: E402
from qwen_desktop.core.client import ChatClient  # noqa: E402
from qwen_desktop.core.context import ContextManager, HistoryItem, rounds  # noqa: E402
from qwen_desktop.core.context.retrieval import unit_rows  # noqa: E402
from qwen_desktop.core.storage import Store  # noqa: E402
from qwen_desktop.core.types import (  # noqa: E402
    ContextPolicy, ConversationSettings, Endpoint, Protocol, Role, WireMessage,
)

BUDGET_MS = 20.0
DIM = 1024


def vector(text: str) -> list[float]:
    seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
    return list(np.random.default_rng(seed).standard_normal(DIM))


class LocalEmbeddings(ChatClient):
    async def embed(self, endpoint: Endpoint, protocol: Protocol, model: str, texts: list[str],
                    dimensions: int = DIM) -> list[list[float]]:
        return [vector(t) for t in texts]


def fill(store: Store, cid: int, count: int) -> list[HistoryItem]:
    from common import add_messages

    rows = [(role, text, None) for i in range(count)
            for role, text in ((Role.USER, f"Question {i} about topic {i % 37} with some more words"),
                               (Role.ASSISTANT, f"Answer {i}: " + "a reasonably long reply sentence. " * 8))]
    ids = add_messages(store, cid, rows)
    return [HistoryItem(mid, role, text) for mid, (role, text, _) in zip(ids, rows)]


async def prepare(manager: ContextManager, cid: int, history: list[HistoryItem]) -> None:
    groups = rounds(history)
    vectors = unit_rows([vector(g[0].content) for g in groups])
    rows = [(g[0].message_id, g[-1].message_id, v) for g, v in zip(groups, vectors)]
    manager.tables.put_vectors(cid, "text-embedding-v4", rows).result()
    half = groups[len(groups) // 2][-1].message_id
    manager.tables.add_summary(cid, history[0].message_id, half, "An earlier summary. " * 40,
                               "qwen-flash", time.time()).result()


async def measure(rounds_count: int, repeat: int) -> list[tuple[str, float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite3")
        base = ConversationSettings(model="qwen-plus", system_prompt="You are a helpful assistant.")
        cid = store.create_conversation(base).result()
        history = fill(store, cid, rounds_count)
        manager = ContextManager(store, LocalEmbeddings(), Catalog.load(),
                                 lambda region: Endpoint(region, "http://127.0.0.1:9", "sk-local"))
        await prepare(manager, cid, history)
        manager.counter.count_text("load the tokenizer before timing")
        results = []
        for policy in ContextPolicy:
            settings = base.with_(context_policy=policy, context_params={"summary_threshold": 10**9})
            timings = []
            for i in range(repeat):
                new = WireMessage(Role.USER, f"A new question number {i}")
                started = time.perf_counter()
                await manager.build(cid, settings, history, new)
                timings.append((time.perf_counter() - started) * 1000)
            results.append((policy.value, statistics.median(timings[1:] or timings), max(timings)))
        await manager.idle()
        store.close()
        return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    results = asyncio.run(measure(args.rounds, args.repeat))
    print(f"Request building, {args.rounds} rounds, {args.repeat} builds per policy (first build "
          "counts every message; max includes it)")
    print("| policy | p50 ms | max ms |\n| --- | ---: | ---: |")
    for name, p50, worst in results:
        print(f"| {name} | {p50:.2f} | {worst:.2f} |")
    ok = all(p50 <= BUDGET_MS for _, p50, _ in results)
    print("within budget" if ok else f"OVER the {BUDGET_MS:.0f} ms budget")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
