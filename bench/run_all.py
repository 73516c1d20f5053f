"""Run every benchmark, each in a fresh process, and write the budget table to docs/performance.md.

    uv run python bench/run_all.py            # full sizes, writes docs/performance.md
    uv run python bench/run_all.py --quick    # CI sizes
    uv run python bench/run_all.py --quick --check --no-docs
        # exit 1 only on a gross regression: a figure more than 3× over its budget

The section between the budgets markers is replaced; every other part of the file is kept.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GROSS_FACTOR, ROOT, Figure, load_figures, machine, replace_section, table  # noqa: E402

BENCHES = ("startup", "streaming", "growth", "long_conversation", "open_stored", "many_conversations",
           "documents", "sync",
           "sync_webdav",
           "outside_start", "outside_scale", "outside_stream")
FULL_ONLY = ("outside_scale", "outside_stream", "sync_webdav")
"""Left out of ``--quick`` runs unless named in ``--only``: minutes of real-window starts and streams,
and a WebDAV server started for the sync comparison."""
OUTSIDE = "outside"
"""Figures whose group starts with this were measured from outside the app's process (bench/outside)."""
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- budgets:start -->", "<!-- budgets:end -->"
CONTEXT_BUDGET_MS = 20.0


def run_bench(name: str, quick: bool, out: Path) -> list[Figure]:
    target = out / f"{name}.json"
    command = [sys.executable, str(ROOT / "bench" / f"{name}.py"), "--json", str(target)]
    if quick:
        command.append("--quick")
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if not target.exists():
        raise RuntimeError(f"{name} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return load_figures(target)


def context_figures(quick: bool) -> list[Figure]:
    import asyncio

    import context_build

    rounds, repeat = (200, 3) if quick else (1000, 50)
    results = asyncio.run(context_build.measure(rounds, repeat))
    return [Figure(f"context building, {rounds:,} rounds", f"policy {name}", p50, CONTEXT_BUDGET_MS,
                   "ms", f"median of {repeat}, first build {worst:.1f} ms")
            for name, p50, worst in results]


def document(figures: list[Figure], quick: bool, seconds: float) -> str:
    facts = "\n".join(f"| {key} | {value} |" for key, value in machine().items())
    failed = [f for f in figures if not f.ok]
    size = "quick (CI-sized)" if quick else "full"
    lines = [
        "## Budgets",
        "",
        f"Produced by `bench/run_all.py` ({size} run, {seconds:.0f} s, load average "
        f"{os.getloadavg()[0]:.1f} at its end); do not edit by hand.",
        "",
        "| machine | |", "| --- | --- |", facts,
        "",
        "Commands:",
        "",
        "```",
        "uv run python bench/run_all.py                 # every benchmark, rewrites this section",
        "uv run python bench/run_all.py --quick --check # CI: fails only beyond 3× a budget",
        "uv run python bench/startup.py | streaming.py | growth.py | long_conversation.py | open_stored.py | "
        "many_conversations.py | documents.py | sync.py | sync_webdav.py | context_build.py | outside_start.py | "
        "outside_scale.py | outside_stream.py",
        "```",
        "",
        "### Inside the process",
        "",
        "The app's own window (offscreen) or core, timed from within.",
        "",
        table([f for f in figures if not f.group.startswith(OUTSIDE)]),
        "",
        "### From outside the process",
        "",
        "The real app (`python -m qwen_desktop`) under Xvfb, watched by another process "
        "(`bench/outside/`): a window counts as painted when the X server reports its first damage "
        "and its pixels hold content; Enter is a synthetic key press (XTEST) and the request's "
        "arrival is stamped by the simulator; lag comes from a 5 ms timer the app runs only under "
        "`QWEN_DESKTOP_LAG_PROBE`. Each floor is measured in the same run, in turns with the app.",
        "",
        outside_table(figures),
        "",
        f"{len(figures) - len(failed)} of {len(figures)} figures within budget"
        + ("." if not failed else "; over budget: " + "; ".join(f"{f.group}: {f.name}" for f in failed) + "."),
    ]
    return "\n".join(lines)


def outside_table(figures: list[Figure]) -> str:
    outside = [f for f in figures if f.group.startswith(OUTSIDE)]
    if outside:
        return table(outside)
    return "Not measured in this run: " + (xvfb_reason() or "the outside benchmarks were not selected") + "."


def xvfb_reason() -> str | None:
    from outside.xserver import xvfb_missing

    return xvfb_missing()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 if a figure is more than {GROSS_FACTOR:.0f}× over its budget")
    parser.add_argument("--no-docs", action="store_true", help="do not touch docs/performance.md")
    parser.add_argument("--only", nargs="*", choices=[*BENCHES, "context"])
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures: list[Figure] = []
    names = args.only or [n for n in (*BENCHES, "context") if not (args.quick and n in FULL_ONLY)]
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            print(f"… {name}", file=sys.stderr, flush=True)
            if name == "context":
                figures += context_figures(args.quick)
            else:
                figures += run_bench(name, args.quick, Path(tmp))
    seconds = time.perf_counter() - started
    print(table(figures))
    if not args.no_docs:
        replace_section(DOC, START, END, document(figures, args.quick, seconds), "Performance")
    gross = [f for f in figures if f.gross]
    for f in gross:
        print(f"GROSS REGRESSION: {f.group}: {f.name} = {f.shown(f.value)} (budget {f.budget})",
              file=sys.stderr)
    if args.check:
        return 1 if gross else 0
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
