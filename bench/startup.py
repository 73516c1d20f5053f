"""Start-up: a fresh ``python -m qwen_desktop`` to the first paint of the window with the last
conversation shown, and its memory.

    uv run python bench/startup.py [--quick]
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, bench_args, cold_starts, median, report, seed_conversation  # noqa: E402

FIRST_PAINT_S = 1.5
RSS_MB = 200.0


def seeded_data_dir(root: Path) -> Path:
    from qwen_desktop.core.paths import database_path
    from qwen_desktop.core.storage import Store

    data_dir = root / "data"
    data_dir.mkdir()
    with Store(database_path(data_dir)) as store:
        seed_conversation(store, 24, 1500, random.Random(7), title="Start-up sample")
    return data_dir


def measure(runs: int) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = seeded_data_dir(Path(tmp))
        starts = cold_starts(data_dir, runs)
    shown = min(int(s["messages_shown"]) for s in starts)
    cpu = median([s["cpu_s"] for s in starts])
    note = f"median of {runs} cold runs, {shown} messages shown, {cpu:.2f} s of CPU"
    return [
        Figure("start-up", "process start → first paint", median([s["wall_s"] for s in starts]),
               FIRST_PAINT_S, "s", note),
        Figure("start-up", "RSS at first paint", median([s["rss_mb"] for s in starts]), RSS_MB, "MB"),
        Figure("start-up", "RSS after start-up (first paint + 1 s, after-paint preload done)",
               median([s["rss_settled_mb"] for s in starts]), RSS_MB, "MB",
               f"tokenizer and lexers loaded {median([s['preload_s'] for s in starts]):.1f} s after paint"),
    ]


def main(argv: list[str] | None = None) -> int:
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(3 if args.quick else 5), args)


if __name__ == "__main__":
    raise SystemExit(main())
