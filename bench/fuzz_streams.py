"""The stream fuzzer: hostile streams of both protocols through the real engine.

    uv run python bench/fuzz_streams.py                 # 10,000 streams, table at the end
    uv run python bench/fuzz_streams.py --runs 500 --seed 3
    uv run python bench/fuzz_streams.py --only 4711      # replay one case

Each stream is a question in its own conversation, answered by a loopback server that says
exactly the bytes a fuzz case scripts (``tests/fuzz/cases.py``): truncation at every byte of
a reply, byte flips, invalid and split UTF-8, lines up to 10 MB, thousands of empty events,
wrong types, missing fields, events after the end, lying headers, error bodies of every shape
and status, slow and silent servers, resets, keys echoed back. The real ``openai`` and
``dashscope`` SDKs read them; the app's own store keeps what they deliver.

The table counts, per class, how replies ended and what went wrong. The exit status is 1 when
any of these is not 0: unhandled exceptions, hangs, stored replies that are not a prefix of
what was sent, reasoning in answers, keys in anything stored or shown, whole replies (only
harmless noise added) not stored whole.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

from tests.fuzz.runner import run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=8, help="streams at once")
    parser.add_argument("--only", type=int, nargs="*", help="case numbers to replay")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--show", type=int, default=20, help="problem cases to list")
    args = parser.parse_args(argv)
    runs = max(args.runs, max(args.only) + 1) if args.only else args.runs
    last = [0.0]

    def progress(done: int) -> None:
        if time.monotonic() - last[0] > 10:
            last[0] = time.monotonic()
            print(f"  {done} streams…", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="qwen-fuzz-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir(mode=0o700)
        report = run(data, runs, seed=args.seed, jobs=args.jobs, only=args.only, progress=progress)
    print(f"{len(report.outcomes)} streams, seed {args.seed}, {report.seconds:.0f} s\n")
    print(report.table())
    print()
    for name, value in report.problems.items():
        print(f"{name}: {value}")
    problems = [o for o in report.outcomes
                if o.ending in ("unhandled", "hang") or o.not_prefix or o.reasoning_in_answer
                or o.key_shown or o.incomplete]
    for outcome in problems[: args.show]:
        print(f"  case {outcome.index} ({outcome.kind}, {outcome.protocol}): {outcome.ending} {outcome.detail}")
    for line in report.background[: args.show]:
        print(f"  background: {line}")
    if args.json:
        args.json.write_text(json.dumps({
            "streams": len(report.outcomes), "seed": args.seed, "seconds": round(report.seconds, 1),
            "problems": report.problems, "table": report.table(),
        }, indent=2))
    return 1 if any(report.problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
