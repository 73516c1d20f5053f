"""Reading a long PDF locally: extraction time, memory, and choosing the relevant passages.

A 300-page PDF with a text layer (60 pages with --quick) is made with the tests' PDF writer, then
read the way the composer reads it (bytes → PDFium text per page → sections). Memory is the peak
resident size of a fresh process that reads it once, against the same process before reading.

    uv run python bench/documents.py [--quick] [--json PATH]
"""

from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT / "bench"), str(ROOT)]

from common import Figure, bench_args, report  # noqa: E402

READ_BUDGET_MS = 3000.0
"""10 ms a page: PDFium's own text extraction is nearly all of it (off the window's thread)."""
MEMORY_BUDGET_MB = 150.0
RANK_BUDGET_MS = 150.0
WORDS = ("budget review meeting schedule quarterly figures office supplies travel policy parking "
         "rules holiday calendar printer toner coffee machine contract renewal invoice").split()


def long_pdf(pages: int) -> bytes:
    from tests.documents_files import text_pdf

    rng = random.Random(3)
    return text_pdf([[f"Page {n}", *(" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(20))]
                     for n in range(1, pages + 1)])


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def child(path: str) -> None:
    """Run in a fresh process: resident size before one read, and its peak during the read."""
    import pypdfium2  # noqa: F401 - loaded before the baseline, as the app loads it on first use

    from qwen_desktop.core.documents import read_document

    try:
        Path("/proc/self/clear_refs").write_text("5")  # restart the peak count from here
    except OSError:
        pass
    before = _status("VmRSS")
    read_document(Path(path))
    print(f"{before:.1f} {_status('VmHWM'):.1f}")


def measure(quick: bool) -> list[Figure]:
    from qwen_desktop.core.documents import read_document
    from qwen_desktop.core.documents.library import by_words, chunks

    pages = 60 if quick else 300
    runs = 3 if quick else 5
    group = f"documents, a {pages}-page PDF"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.pdf"
        path.write_bytes(long_pdf(pages))
        size = path.stat().st_size
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            document = read_document(path)
            times.append((time.perf_counter() - started) * 1000)
        done = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                              check=True)
        before, after = map(float, done.stdout.split())
        pieces = chunks(document)
        ranks = []
        for _ in range(runs):
            started = time.perf_counter()
            by_words([c.text for c in pieces], "when is the contract renewal invoice due")
            ranks.append((time.perf_counter() - started) * 1000)
    read = statistics.median(times)
    scale = 300 / pages
    return [
        Figure(group, "read and extract the text", read, READ_BUDGET_MS / scale, "ms",
               f"median of {runs}; {read / pages:.2f} ms a page; {document.chars:,} characters, "
               f"{size / 1e6:.1f} MB file"),
        Figure(group, "extra peak memory while reading", after - before, MEMORY_BUDGET_MB, "MB",
               f"fresh process: {before:.1f} MB resident before, {after:.1f} MB at the peak"),
        Figure(group, "rank its passages by shared words", statistics.median(ranks), RANK_BUDGET_MS / scale, "ms",
               f"{len(pieces)} passages, median of {runs} (the fallback when embedding fails)"),
    ]


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return 0
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(args.quick), args)


if __name__ == "__main__":
    raise SystemExit(main())
