"""Start-up helpers: the operating system's certificates, and a broken SSL_CERT_FILE as one sentence."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import certifi
import pytest
import truststore
from qwen_desktop import startup
from qwen_desktop.startup import trust_system_certificates


@pytest.fixture
def restore_ssl(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(startup, "_trusting", False)
    yield
    truststore.extract_from_ssl()


def test_the_system_store_is_used_and_a_good_file_is_kept(restore_ssl: None) -> None:
    env = {"SSL_CERT_FILE": certifi.where()}
    assert trust_system_certificates(env) is None
    assert env == {"SSL_CERT_FILE": certifi.where()}
    assert ssl.SSLContext is truststore.SSLContext
    assert isinstance(ssl.create_default_context(), truststore.SSLContext)


@pytest.mark.parametrize("content", [None, b"not a certificate\n"])
def test_a_missing_or_garbled_cert_file_is_dropped_with_a_sentence(restore_ssl: None, tmp_path: Path,
                                                                   content: bytes | None) -> None:
    path = tmp_path / "corporate.pem"
    if content is not None:
        path.write_bytes(content)
    env = {"SSL_CERT_FILE": str(path), "HOME": "/home/someone"}
    sentence = trust_system_certificates(env)
    assert sentence is not None and str(path) in sentence and "SSL_CERT_FILE" in sentence
    assert sentence.endswith("Servers are checked against the system's certificates.")
    assert "Traceback" not in sentence and "\n" not in sentence
    assert env == {"HOME": "/home/someone"}


def test_a_missing_cert_dir_is_dropped(restore_ssl: None, tmp_path: Path) -> None:
    env = {"SSL_CERT_DIR": str(tmp_path / "nowhere")}
    sentence = trust_system_certificates(env)
    assert sentence is not None and "SSL_CERT_DIR" in sentence
    assert env == {}


def test_a_background_job_finishing_after_the_app_quit_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """The after-paint preload hands its end back to the loop; when the app has quit meanwhile (a
    signal during start-up), that is no traceback on stderr."""
    import asyncio
    import threading

    from qwen_desktop import app

    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda info: failures.append(info.exc_value))
    release, finished = threading.Event(), threading.Event()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        app._in_background("preload-test", [release.wait], finished.set)
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    release.set()
    for thread in threading.enumerate():
        if thread.name == "preload-test":
            thread.join(5)
    assert failures == [] and not finished.is_set()
