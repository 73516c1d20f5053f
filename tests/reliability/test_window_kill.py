"""SIGKILL the real window at points spread over a delete, an import and a backup.

Each run starts the window (``create_window``, offscreen) on a copy of a prepared data folder,
starts the action through the window's own controls and kills the process at random points of the
time that action takes uninterrupted (plus one before it starts and one after it ends). Afterwards: no completed work lost, nothing half done, no
leftovers once the app has started again, and ``PRAGMA integrity_check`` clean.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qwen_desktop.core import export as x
from qwen_desktop.core.attachments import AttachmentStore
from qwen_desktop.core.backup import clean_leftovers
from qwen_desktop.core.paths import attachments_dir, database_path
from qwen_desktop.core.scratch import scratch_dir
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("window_kill_child.py")
SEED = 16
FIXED = (0.0, 1.6)
"""Before the action and after its end; three random points in between (seeded, so reproducible)."""
RANDOM_POINTS = 3
PARALLEL = 2
CONVERSATIONS = 30
IMPORTED = 100
IMAGES = 16
IMAGE_BYTES = 400_000


def build_template(root: Path) -> tuple[Path, Path]:
    """A data folder with conversations and images, and an export of other conversations."""
    data = root / "template"
    with Store(database_path(data)) as store:
        for n in range(CONVERSATIONS):
            cid = store.create_conversation(ConversationSettings(), f"kept {n}").result()
            for m in range(6):
                store.add_message(cid, Role.USER, f"question {n}.{m}").result()
                store.add_message(cid, Role.ASSISTANT, f"answer {n}.{m} " + "text " * 60).result()
    rng = random.Random(5)
    for n in range(IMAGES):
        blob = rng.randbytes(IMAGE_BYTES)
        sha = hashlib.sha256(blob).hexdigest()
        path = attachments_dir(data) / sha[:2] / f"{sha}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
    source = root / "export-source"
    with Store(database_path(source)) as store:
        for n in range(IMPORTED):
            cid = store.create_conversation(ConversationSettings(), f"imported {n}").result()
            for m in range(5):
                store.add_message(cid, Role.USER, f"imported question {n}.{m} " + "words " * 40).result()
                store.add_message(cid, Role.ASSISTANT, f"imported answer {n}.{m} " + "words " * 80).result()
        x.export_json(store, AttachmentStore(source), root / "export.json")
    return data, root / "export.json"


def run_window(data: Path, action: str, argument: str, kill_after: float | None, log: Path) -> tuple[bool, float]:
    """Start the window; kill it ``kill_after`` seconds after the action started (None: let it finish).

    Returns whether the action reported done before the end, and its duration when it did.
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
           "QWEN_TEST_KEYRING_FILE": str(data.parent / f"{data.name}-keyring.json")}
    env.pop("DASHSCOPE_API_KEY", None)
    with open(log, "wb") as errors:
        proc = subprocess.Popen([sys.executable, str(CHILD), str(data), action, argument], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
    assert proc.stdout is not None
    lines: list[str] = []
    started = threading.Event()
    finished = threading.Event()

    def read() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line.strip())
            if line.startswith("started"):
                started.set()
            if line.startswith("done"):
                finished.set()
        started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert started.wait(90), f"the window did not start: {log.read_text()[-2000:]}"
        if kill_after is None:
            assert finished.wait(90), f"the action did not finish: {log.read_text()[-2000:]}"
        else:
            time.sleep(kill_after)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        reader.join(10)
    done = [line for line in lines if line.startswith("done")]
    return bool(done), float(done[0].split()[1]) if done else 0.0


def integrity(data: Path) -> str:
    conn = sqlite3.connect(database_path(data))
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def no_leftovers(data: Path) -> None:
    """What a normal start finds and cleans; afterwards nothing temporary is left anywhere."""
    clean_leftovers(data)
    if scratch_dir(data).exists():
        assert list(scratch_dir(data).iterdir()) == []
    temporary = [p for p in data.rglob("*") if p.name.endswith((".tmp", ".partial", ".restoring"))]
    assert temporary == [], temporary


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_template(tmp_path_factory.mktemp("window-kill"))


def kills(action: str, template: tuple[Path, Path], root: Path, argument_for) -> list[dict]:
    data_template, _export = template
    reference = root / "reference"
    shutil.copytree(data_template, reference)
    done, seconds = run_window(reference, action, argument_for(reference), None, root / "reference.log")
    assert done
    rng = random.Random(f"{SEED}-{action}")
    fractions = [*FIXED, *sorted(rng.uniform(0.05, 1.0) for _ in range(RANDOM_POINTS))]
    points = [fraction * max(seconds, 0.05) for fraction in fractions]

    def one(index: int) -> dict:
        data = root / f"run{index}"
        shutil.copytree(data_template, data)
        finished, _ = run_window(data, action, argument_for(data), points[index], root / f"run{index}.log")
        return {"data": data, "finished": finished, "after": points[index]}

    with ThreadPoolExecutor(PARALLEL) as pool:
        runs = list(pool.map(one, range(len(points))))
    figures = {"action": action, "uninterrupted_s": round(seconds, 3), "kills": len(runs),
               "finished_before_kill": sum(r["finished"] for r in runs)}
    print(f"\nwindow kill figures: {json.dumps(figures)}")
    return runs


pytestmark = pytest.mark.slow


def test_sigkill_of_the_window_during_deletes(template: tuple[Path, Path], tmp_path: Path) -> None:
    with Store(database_path(template[0])) as store:
        order = list(reversed(store.conversation_ids()))[:20]
        expected = {cid: [m.content for m in store.messages(cid)] for cid in store.conversation_ids()}
    runs = kills("delete", template, tmp_path, lambda _data: ",".join(map(str, order)))
    for run in runs:
        data = run["data"]
        assert integrity(data) == "ok"
        with Store(database_path(data)) as store:
            deleted = [cid for cid in order if store.conversation(cid).deleted_at is not None]
            assert deleted == order[: len(deleted)], "deletes land in order: each one done is kept"
            for cid, contents in expected.items():
                assert [m.content for m in store.messages(cid)] == contents, "no message lost"
        no_leftovers(data)
    assert runs[0]["finished"] is False


def test_sigkill_of_the_window_during_an_import(template: tuple[Path, Path], tmp_path: Path) -> None:
    export = template[1]
    runs = kills("import", template, tmp_path, lambda _data: str(export))
    outcomes = []
    for run in runs:
        data = run["data"]
        assert integrity(data) == "ok"
        with Store(database_path(data)) as store:
            count = store.count_conversations()
            assert count in (CONVERSATIONS, CONVERSATIONS + IMPORTED), f"a partial import: {count}"
            outcomes.append(count)
            again = x.import_json(store, AttachmentStore(data), export)
            assert store.count_conversations() == CONVERSATIONS + IMPORTED, "importing again completes it"
            assert len(again) + again.skipped == IMPORTED
            assert all(m.status is not MessageStatus.STREAMING
                       for cid in store.conversation_ids() for m in store.messages(cid))
        no_leftovers(data)
    assert CONVERSATIONS in outcomes, "some kill landed before the import was stored"


def test_sigkill_of_the_window_during_a_backup(template: tuple[Path, Path], tmp_path: Path) -> None:
    runs = kills("backup", template, tmp_path, lambda data: str(data.parent / f"{data.name}-backups"))
    made = 0
    for run in runs:
        data = run["data"]
        folder = data.parent / f"{data.name}-backups"
        entries = sorted(folder.iterdir()) if folder.exists() else []
        for entry in entries:
            assert entry.is_file() and entry.name.endswith(".zip"), f"a leftover in the backup folder: {entry}"
            with zipfile.ZipFile(entry) as archive:
                assert archive.testzip() is None
                assert "conversations.sqlite3" in archive.namelist()
                assert sum(n.startswith("attachments/") for n in archive.namelist()) == IMAGES
            made += 1
        assert integrity(data) == "ok"
        no_leftovers(data)
    assert made < len(runs), "some kill landed before the backup was complete"
