"""Refresh the translation sources from the code and compile them.

    uv run python resources/i18n/build.py            # lupdate, then lrelease
    uv run python resources/i18n/build.py --compile  # lrelease only

lupdate adds new strings to ``qwen_desktop_<lang>.ts`` as unfinished and drops vanished ones;
translate them (Qt Linguist: ``uv run pyside6-linguist resources/i18n/qwen_desktop_ja_JP.ts``),
then run this again so the ``.qm`` files next to them match.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PACKAGE = ROOT / "desktop" / "qwen_desktop"
LANGUAGES = ("zh_CN", "ja_JP")


def sources() -> list[Path]:
    return sorted((PACKAGE / "ui").rglob("*.py")) + [PACKAGE / "app.py"]


def ts_file(language: str) -> Path:
    return HERE / f"qwen_desktop_{language}.ts"


def qm_file(language: str) -> Path:
    return HERE / f"qwen_desktop_{language}.qm"


def _tool(name: str) -> str:
    local = Path(sys.executable).parent / f"pyside6-{name}"
    found = str(local) if local.exists() else shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found: run this with `uv run`")
    return found


def _run(*args: str) -> None:
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def lupdate(targets: list[Path]) -> None:
    _run(_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none", "-source-language", "en",
         *map(str, sources()), "-ts", *map(str, targets))


def lrelease(ts: Path, qm: Path) -> None:
    _run(_tool("lrelease"), "-silent", "-nounfinished", "-removeidentical", str(ts), "-qm", str(qm))


def extract_sources() -> set[str]:
    """Every source text the code marks for translation."""
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / "all.ts"
        lupdate([ts])
        return {m.findtext("source") or "" for m in ET.parse(ts).getroot().iter("message")}


def compile_to_bytes(ts: Path) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        qm = Path(tmp) / "out.qm"
        lrelease(ts, qm)
        return qm.read_bytes()


def main(argv: list[str]) -> int:
    if "--compile" not in argv:
        lupdate([ts_file(language) for language in LANGUAGES])
    for language in LANGUAGES:
        lrelease(ts_file(language), qm_file(language))
        print(f"{qm_file(language).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
