"""A stored image replaced by a FIFO or a link to /dev/zero: the window shows the conversation
(the image as its name) instead of hanging on the read."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PIL import Image
    from PySide6.QtWidgets import QApplication
    from qwen_desktop.core.attachments import AttachmentStore
    from qwen_desktop.core.images import prepare_image
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.types import ConversationSettings, Role
    from qwen_desktop.ui.chat.messages import ImageStrip

    data, kind = Path(sys.argv[1]), sys.argv[2]
    picture = data / "p.png"
    data.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 40), (1, 2, 3)).save(picture)
    files = AttachmentStore(data)
    ref = files.save(prepare_image(picture))
    target = files.path(ref)
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    app = QApplication([])
    strip = ImageStrip([ref], lambda r: files.path(r))
    print("shown", strip.findChildren(object)[0].objectName() if strip.findChildren(object) else "", flush=True)
""")


@pytest.mark.parametrize("kind", ["fifo", "zero-link"])
def test_a_special_file_in_place_of_a_stored_image_does_not_hang_the_window(tmp_path: Path, kind: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "data"), kind], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("reading the stored image hung the window")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("shown")
