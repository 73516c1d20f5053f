"""The packaging build, started in the background as soon as the session knows it will be needed.

Building the bundle, the .deb and the .rpm takes minutes of mostly one core; the rest of the suite
runs meanwhile, so the build costs the suite's wall clock little more than the tests that inspect it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 1500


class PackagingBuild:
    def __init__(self) -> None:
        command = [sys.executable, str(ROOT / "packaging" / "build.py"), "--deb"]
        if shutil.which("rpmbuild"):
            command.append("--rpm")
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self._log,
                                         stderr=subprocess.STDOUT)

    def wait(self) -> dict[str, Any]:
        """The build's report; an assertion with the build's output if it failed."""
        try:
            code = self._process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"the packaging build took more than {TIMEOUT} s") from None
        self._log.seek(0)
        output = self._log.read().decode("utf-8", "replace")
        assert code == 0, output[-6000:]
        print(output)
        report: dict[str, Any] = json.loads((ROOT / "build" / "packaging-report.json").read_text(encoding="utf-8"))
        return report

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()


_EARLY = "_qwen_desktop_packaging_build"


def start_early_build(session: Any) -> None:
    """Start the build when a selected test that will run needs it (not when it would be skipped)."""
    if session.config.option.collectonly:
        return
    for item in session.items:
        if "built" in getattr(item, "fixturenames", ()) and not any(
                marker.args and marker.args[0] for marker in item.iter_markers("skipif")):
            setattr(session.config, _EARLY, PackagingBuild())
            return


def early_build(config: Any) -> PackagingBuild | None:
    """The build started with the session, handed over once: a second module would build anew."""
    build: PackagingBuild | None = getattr(config, _EARLY, None)
    setattr(config, _EARLY, None)
    return build


def stop_early_build(config: Any) -> None:
    if (build := early_build(config)) is not None:
        build.stop()
