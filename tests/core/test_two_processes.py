"""Two processes on one data folder: recovery only touches replies whose writer is gone, and a
conversation being written elsewhere is not taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qwen_desktop.core.paths import database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role

ROOT = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role
    store = Store(Path(sys.argv[1]))
    cid = store.create_conversation(ConversationSettings(), "busy").result()
    store.add_message(cid, Role.USER, "question being answered").result()
    mid = store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()
    store.append_stream(mid, content="half of the answer")
    store.flush().result()
    print(cid, mid, flush=True)
    time.sleep(120)
""")


def test_a_live_writers_reply_survives_recovery_by_another_store(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    window = Store(path)
    cid = window.create_conversation(ConversationSettings()).result()
    mid = window.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()
    other = Store(path)
    try:
        assert other.recover_interrupted().result() == []
        assert other.message(mid).status is MessageStatus.STREAMING
        assert other.busy_elsewhere(cid) and not window.busy_elsewhere(cid)
    finally:
        window.close()
    assert other.recover_interrupted().result() == [mid], "once its writer closed, the reply is recovered"
    assert not other.busy_elsewhere(cid)
    other.close()


@pytest.fixture
def holder(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(database_path(data))], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    cid, mid = (int(v) for v in proc.stdout.readline().split())
    yield data, proc, cid, mid
    proc.kill()
    proc.wait()


def test_a_cli_ask_neither_interrupts_nor_joins_a_reply_streaming_in_another_process(holder, tmp_path: Path) -> None:
    data, proc, cid, mid = holder
    env = {k: v for k, v in os.environ.items() if k != "DASHSCOPE_API_KEY"}
    env.update({"QWEN_DESKTOP_DATA_DIR": str(data), "PYTHONPATH": str(ROOT),
                "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
                "QWEN_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
                "QWEN_DESKTOP_REGION_URLS": "intl=http://127.0.0.1:9"})
    done = subprocess.run([sys.executable, "-m", "qwen_desktop", "ask", "me too", "--conversation", "last"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Another Qwen Desktop window or command is writing a reply" in done.stderr
    assert "Traceback" not in done.stderr
    with Store(database_path(data)) as look:
        message = look.message(mid)
        assert message.status is MessageStatus.STREAMING, "the live reply was not flipped to interrupted"
        assert message.content == "half of the answer"
        assert [m.content for m in look.messages(cid) if m.role is Role.USER] == ["question being answered"]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(database_path(data)) as after:
        assert after.recover_interrupted().result() == [mid], "the dead writer's reply is recovered"
        assert after.message(mid).content == "half of the answer"
