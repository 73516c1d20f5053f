"""The bad-input catalogue: every case its own test; none may crash, lose data or hang."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import keyring.errors
import pytest
from PySide6.QtCore import Qt

from qwen_desktop.core import errors as e
from qwen_desktop.core.client import ChatClient
from qwen_desktop.core.engine import ReplyFailed, ReplyFinished
from qwen_desktop.core.regions import normalize_base_url
from qwen_desktop.core.secrets import KeyStore, normalize_key
from qwen_desktop.core.services import Services, build_services
from qwen_desktop.core.storage import DiskFullError, Message
from qwen_desktop.core.titles import graphemes, local_title
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Protocol, Role
from tests.keyring_backends import MemoryKeyring
from tests.simulator import Reply, Simulator

from .harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def services(sim: Simulator, data_dir: Path, memory_keyring: MemoryKeyring) -> Services:
    sim.reset()
    built = build_services(data_dir, region_overrides={r: sim.base_url(r) for r in sim.regions},
                           env={}, keys=KeyStore(env={}), client=ChatClient(max_attempts=1))
    for region, key in sim.regions.items():
        built.keys.set(region, key)
    yield built
    built.store.close()


def converse(services: Services, text: str, **settings: Any) -> tuple[int, list[Any]]:
    """One exchange on a fresh loop; the client is closed on the same loop."""

    async def go() -> tuple[int, list[Any]]:
        try:
            cid = await asyncio.wrap_future(
                services.store.create_conversation(ConversationSettings(**settings)))
            return cid, [event async for event in services.engine.send(cid, text)]
        finally:
            await services.client.aclose()

    return asyncio.run(asyncio.wait_for(go(), 30))


def failure(events: list[Any]) -> e.QwenError:
    found = [event for event in events if isinstance(event, ReplyFailed)]
    assert found, f"expected a failed reply, got {events}"
    return found[-1].error


def last_wire_text(sim: Simulator) -> str:
    body = sim.requests[-1].body
    messages = body.get("messages") or body["input"]["messages"]
    return messages[-1]["content"]


# ----------------------------------------------------------------- prompts in the real window


@pytest.mark.parametrize("text", ["", "   \n\t  \n"], ids=["empty", "whitespace"])
def test_empty_or_whitespace_prompt_sends_nothing(harness: Harness, sim: Simulator, text: str
                                                  ) -> None:
    window = harness.open()
    harness.send(window, text)
    harness.qtbot.wait(50)
    assert not window.is_streaming() and window.current_id is None
    assert window.store.count_conversations() == 0 and sim.requests == []
    assert window.composer.text() == text, "what was typed stays in the composer"


def test_a_5_mb_paste_is_refused_clearly_and_the_composer_keeps_it(harness: Harness,
                                                                  sim: Simulator) -> None:
    window = harness.open()
    paste = ("A long pasted log line with ünïcödé and 中文 — " * 120 + "\n") * 900
    assert len(paste.encode()) > 5_000_000
    started = time.monotonic()
    window.composer.set_text(paste)
    harness.qtbot.mouseClick(window.composer.send_button, Qt.MouseButton.LeftButton)
    harness.wait_idle(window, timeout=60000)
    assert time.monotonic() - started < 30
    assert window.notice.isVisible()
    assert window.notice.text() == ("This message alone does not fit the model's input window: "
                                    "shorten it or attach less.")
    assert window.composer.text() == paste, "nothing typed is lost"
    assert window.composer.send_button.isEnabled() and sim.requests == []
    assert window.store.messages(window.current_id) == []


def test_a_5_mb_message_is_stored_intact_and_searchable(services: Services) -> None:
    paste = ("Pasted log line with ünïcödé, 中文 and a marker-word — " * 110 + "\n") * 900
    assert len(paste.encode()) > 5_000_000
    store = services.store
    cid = store.create_conversation(ConversationSettings()).result()
    mid = store.add_message(cid, Role.USER, paste).result()
    assert store.message(mid).content == paste
    assert [hit.message_id for hit in store.search("marker")] == [mid]


# ------------------------------------------------------------ control characters and scripts


CONTROL_CASES = {
    "nul": "before\x00after needle",
    "c0_controls": "bell\x07 escape\x1b[31m red\x1b[0m tab\t vt\x0b ff\x0c needle",
    "del_and_c1": "del\x7f c1\x85\x9f needle",
    "line_separators": "para\u2028line\u2029needle",
    "bidi_override": "\u202eevil\u202c needle \u2066isolate\u2069",
}


@pytest.mark.parametrize("text", CONTROL_CASES.values(), ids=CONTROL_CASES.keys())
def test_control_characters_are_stored_searchable_and_escaped_on_the_wire(
    services: Services, sim: Simulator, text: str
) -> None:
    cid, events = converse(services, text)
    assert any(isinstance(event, ReplyFinished) for event in events)
    stored = services.store.messages(cid)
    assert stored[0].content == text
    assert last_wire_text(sim) == text, "JSON escaping delivered the exact text"
    hits = services.store.search("needle")
    assert {hit.conversation_id for hit in hits} == {cid}
    assert stored[0].id in {hit.message_id for hit in hits}
    conn = sqlite3.connect(services.store.path, isolation_level=None)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO message_fts(message_fts) VALUES('integrity-check')")
    finally:
        conn.close()


SCRIPT_CASES = {
    "arabic_rtl": ("ما هو أفضل طريق إلى المحطة؟", "طريق"),
    "hebrew_mixed": ("שלום world 123 עולם", "שלום"),
    "emoji_zwj": ("👩‍👩‍👧‍👦 family and 🏳️‍🌈 flag", "family"),
    "combining": ("Cafe\u0301 de\u0301ja\u0300 vu, Z\u0351\u0361a\u035e\u0353lgo", "deja"),
    "cjk": ("请把这段长长的中文标题截断在正确的位置上不要切坏字符", "中文"),
}


@pytest.mark.parametrize("text,word", SCRIPT_CASES.values(), ids=SCRIPT_CASES.keys())
def test_scripts_and_emoji_round_trip_through_store_title_and_search(
    services: Services, sim: Simulator, text: str, word: str
) -> None:
    cid, events = converse(services, text)
    assert any(isinstance(event, ReplyFinished) for event in events)
    assert services.store.messages(cid)[0].content == text
    title = services.store.conversation(cid).title
    assert title and text.startswith(title.rstrip("…")), "the title is a clean prefix"
    assert services.store.search(word)


TITLE_CASES = {
    "combining_marks": ("e\u0301" * 60, "e\u0301"),
    "zwj_family": ("👨‍👩‍👧‍👦" * 30, "👨‍👩‍👧‍👦"),
    "flags": ("🇯🇵🇫🇷🇧🇷" * 20, None),
    "skin_tones": ("👍🏽" * 40, "👍🏽"),
    "rtl_long": ("مرحبا بالعالم " * 10, None),
}


@pytest.mark.parametrize("text,unit", TITLE_CASES.values(), ids=TITLE_CASES.keys())
def test_titles_are_cut_at_grapheme_boundaries(text: str, unit: str | None) -> None:
    title = local_title(text, limit=20)
    body = title.rstrip("…").rstrip()
    assert body and text.startswith(body)
    clusters = list(graphemes(text))
    joined = ""
    for cluster in clusters:
        if len(joined) >= len(body):
            break
        joined += cluster
    assert joined == body, "no cluster was split"
    if unit is not None:
        assert body == unit * (len(body) // len(unit))


def test_titles_drop_bidi_overrides_and_controls() -> None:
    assert local_title("\u202eevil\u202c title\x00 here") == "evil title here"


# ------------------------------------------------------------------------------------ keys


@pytest.mark.parametrize("key,fragment", [
    ("sk-abc def0123456789abcdef", "spaces or line breaks"),
    ("sk-abc\ndef0123456789abcdef", "spaces or line breaks"),
    ("not-a-key-at-all-0123456789", 'keys start with "sk-"'),
    ("sk-short", 'keys start with "sk-"'),
    ("Bearer sk-0123456789abcdef0123", "spaces or line breaks"),
], ids=["space_inside", "newline_inside", "wrong_prefix", "too_short", "with_bearer"])
def test_badly_shaped_keys_are_refused_without_echoing_them(key: str, fragment: str) -> None:
    with pytest.raises(e.KeyShapeError) as raised:
        normalize_key(key)
    assert fragment in str(raised.value)
    assert key.strip() not in str(raised.value)


def test_surrounding_whitespace_and_newline_are_trimmed() -> None:
    assert normalize_key("  sk-0123456789abcdef0123\r\n") == "sk-0123456789abcdef0123"


def test_a_key_for_the_other_region_says_keys_differ(services: Services, sim: Simulator) -> None:
    services.keys.set("intl", sim.regions["cn"])
    cid, events = converse(services, "hello")
    error = failure(events)
    assert isinstance(error, e.InvalidKeyError)
    assert "Keys differ between regions" in str(error)
    assert sim.regions["cn"] not in str(error) and services.store.messages(cid)[0].content == "hello"


# ------------------------------------------------------------------------------ models, URLs


@pytest.mark.parametrize("protocol", ["openai", "dashscope"])
def test_an_unknown_model_gets_catalog_defaults_and_a_clear_sentence(
    services: Services, sim: Simulator, protocol: str
) -> None:
    info = services.catalog.get("acme-chat-9000")
    assert info.context_window > 0 and "Not in the catalog" in info.notes
    cid, events = converse(services, "hi", model="acme-chat-9000", protocol=Protocol(protocol))
    error = failure(events)
    assert isinstance(error, e.ModelNotFoundError)
    assert str(error).startswith("This model does not exist or is not available in this region.")
    assert services.store.messages(cid)[0].content == "hi"


@pytest.mark.parametrize("url", ["ftp://gateway.example.com", "gateway.example.com/v1",
                                 "file:///etc/passwd", "javascript:alert(1)"],
                         ids=["ftp", "no_scheme", "file", "javascript"])
def test_a_custom_region_url_must_be_http(url: str) -> None:
    with pytest.raises(e.ConfigError) as raised:
        normalize_base_url(url)
    assert "must start with http:// or https://" in str(raised.value)


@pytest.mark.parametrize("suffix", ["/compatible-mode/v1", "/compatible-mode/v1/", "/api/v1"])
def test_a_protocol_path_on_a_custom_url_is_removed_with_a_warning(suffix: str) -> None:
    url, warnings = normalize_base_url("https://gw.example.com/proxy" + suffix)
    assert url == "https://gw.example.com/proxy"
    assert any("the app adds the protocol path itself" in w for w in warnings)


@pytest.mark.parametrize("url,warned", [("http://gw.example.com", True), ("http://10.0.0.8:8080", True),
                                        ("http://127.0.0.1:8080", False), ("http://localhost", False),
                                        ("https://gw.example.com", False)],
                         ids=["public_host", "lan_ip", "loopback_ip", "localhost", "https"])
def test_plain_http_off_loopback_warns(url: str, warned: bool) -> None:
    _, warnings = normalize_base_url(url)
    assert any("plain http" in w for w in warnings) is warned


# -------------------------------------------------------------------------- the data folder


def read_only_dir(tmp_path: Path) -> Path:
    """A folder nothing can be written to: permissions, or a read-only file system for root."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o500)
        return folder
    return Path("/sys/kernel")


@pytest.mark.parametrize("mode", ["cli", "window"])
def test_a_read_only_data_dir_is_a_clear_sentence_not_a_traceback(tmp_path: Path, mode: str) -> None:
    folder = read_only_dir(tmp_path)
    args = ["ask", "hello"] if mode == "cli" else []
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "QWEN_DESKTOP_DATA_DIR": str(folder)}
    code = ("import sys; from PySide6.QtWidgets import QMessageBox\n"
            "QMessageBox.critical = staticmethod(lambda parent, title, text: print(text, file=sys.stderr))\n"
            "from qwen_desktop.__main__ import main; sys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    sentences = ("The data folder cannot be used", "could not be read or written", "read-only")
    assert any(sentence in done.stderr for sentence in sentences), done.stderr
    assert "permissions" in done.stderr


# ------------------------------------------------------------------------------- full disk


def cap_pages(services: Services, pages: int) -> None:
    services.store.run_write(lambda conn: conn.execute(f"PRAGMA max_page_count = {pages:d}")).result()


def test_a_full_disk_while_writing_keeps_everything_stored(services: Services) -> None:
    store = services.store
    cid = store.create_conversation(ConversationSettings(), "before the disk filled").result()
    for i in range(5):
        store.add_message(cid, Role.USER, f"kept message {i}").result()
    before = store.messages(cid)
    used = store.run_write(lambda conn: conn.execute("PRAGMA page_count").fetchone()[0]).result()
    cap_pages(services, used + 2)
    with pytest.raises(DiskFullError) as raised:
        store.add_message(cid, Role.USER, "x" * 2_000_000).result()
    assert str(raised.value) == "The disk is full: free some space so conversations can be saved."
    assert store.messages(cid) == before
    cap_pages(services, 1_073_741_823)
    store.add_message(cid, Role.USER, "written once space is back").result()
    assert len(store.messages(cid)) == len(before) + 1


def test_a_full_disk_in_the_window_is_shown_and_loses_nothing(harness: Harness, sim: Simulator
                                                               ) -> None:
    window = harness.open()
    harness.send(window, "stored before the disk filled")
    harness.wait_idle(window)
    cid = window.current_id
    before = window.store.messages(cid)
    used = window.store.run_write(lambda conn: conn.execute("PRAGMA page_count").fetchone()[0]).result()
    window.store.run_write(lambda conn: conn.execute(f"PRAGMA max_page_count = {used + 1:d}")).result()
    harness.send(window, ("y" * 99 + "\n") * 30_000)
    harness.wait_idle(window)
    harness.qtbot.waitUntil(window.notice.isVisible)
    assert window.notice.text() == "The disk is full: free some space so conversations can be saved."
    assert window.store.messages(cid) == before
    assert window.composer.text().startswith("yyy"), "the unsent text stays in the composer"


# ------------------------------------------------------------------------------- keyring


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("the collection is locked")


@pytest.mark.parametrize("backend", ["missing", "locked"])
def test_an_unusable_keyring_is_explained_in_settings_and_composer(
    harness: Harness, backend: str
) -> None:
    if backend == "missing":
        keyring.set_keyring(keyring.backends.fail.Keyring())
    else:
        keyring.set_keyring(LockedKeyring())
    window = harness.open(with_keys=False)
    window.new_conversation()
    sentence = e.KeyringUnavailableError.sentence
    assert window.composer.reason.text() == sentence
    assert not window.composer.send_button.isEnabled()
    window.open_settings()
    dialog = window.findChild(object, "settingsDialog")
    message = dialog.findChild(object, "keyringMessage")
    assert message.isVisible() and sentence in message.text()
    dialog.reject()


# ------------------------------------------------------------------- malformed responses


MALFORMED = {
    "non_json": "non_json",
    "truncated_sse": "truncated",
}


@pytest.mark.parametrize("protocol", ["openai", "dashscope"])
@pytest.mark.parametrize("kind", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_streams_keep_what_arrived_and_explain(
    services: Services, sim: Simulator, protocol: str, kind: str
) -> None:
    text = "alpha beta gamma delta epsilon zeta"
    sim.enqueue(Reply(content=text, chunk_chars=5, malformed=kind))
    cid, events = converse(services, "go", protocol=Protocol(protocol))
    error = failure(events)
    assert error.sentence in (e.ProtocolError.sentence, e.ConnectionDroppedError.sentence)
    reply = services.store.messages(cid)[-1]
    assert text.startswith(reply.content)
    expected = MessageStatus.INTERRUPTED if reply.content else MessageStatus.ERROR
    assert reply.status is expected and reply.error["sentence"] == error.sentence


@pytest.mark.parametrize("protocol", ["openai", "dashscope"])
def test_unknown_fields_are_ignored(services: Services, sim: Simulator, protocol: str) -> None:
    sim.enqueue(Reply(content="fine despite extra fields", malformed="unknown_fields"))
    cid, events = converse(services, "go", protocol=Protocol(protocol))
    assert any(isinstance(event, ReplyFinished) for event in events)
    assert services.store.messages(cid)[-1].content == "fine despite extra fields"


@pytest.mark.parametrize("protocol", ["openai", "dashscope"])
def test_an_error_chunk_mid_stream_keeps_the_partial_reply(
    services: Services, sim: Simulator, protocol: str
) -> None:
    text = "one two three four five six seven"
    sim.enqueue(Reply(content=text, chunk_chars=4, error_chunk_after=3))
    cid, events = converse(services, "go", protocol=Protocol(protocol))
    error = failure(events)
    assert error.sentence and "Traceback" not in str(error)
    reply = services.store.messages(cid)[-1]
    assert reply.content == text[:12]
    assert reply.status is MessageStatus.INTERRUPTED
