"""A sample of the stream fuzzer (``bench/fuzz_streams.py``) on every run of the suite.

500 hostile streams of both protocols, every class included, through the real engine, SDKs
and store: nothing unhandled, nothing hung, nothing stored that was not sent, no reasoning in
an answer, no key stored or shown, whole replies stored whole. The seed is fixed so a failure
is the same on every machine; it prints the case numbers to replay.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.runner import run

RUNS = 500
SEED = 16


@pytest.mark.timeout(240)
def test_500_hostile_streams_end_cleanly(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = SEED
    report = run(data_dir, RUNS, seed=seed, jobs=8)
    with capsys.disabled():
        print(f"\nfuzz sample, seed {seed}, {report.seconds:.0f} s\n{report.table()}")
    problems = [o for o in report.outcomes
                if o.ending in ("unhandled", "hang") or o.not_prefix or o.reasoning_in_answer
                or o.key_shown or o.incomplete]
    replay = " ".join(str(o.index) for o in problems[:20])
    assert len(report.outcomes) == RUNS
    assert not any(report.problems.values()), (
        f"{report.problems}; replay: bench/fuzz_streams.py --seed {seed} --only {replay}; "
        f"{[(o.index, o.kind, o.protocol, o.ending, o.detail) for o in problems[:5]]} {report.background[:5]}"
    )
    kinds = {o.kind for o in report.outcomes}
    assert len(kinds) >= 14, kinds
