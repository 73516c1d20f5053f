"""The WebDAV sync location against a real WebDAV server (wsgidav) on loopback."""

from __future__ import annotations

import json
import logging
import os
import ssl
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_desktop.core.errors import ConfigError
from qwen_desktop.core.logs import setup_logging
from qwen_desktop.core.sync.location import ChangedError, NotFoundError
from qwen_desktop.core.sync.webdav import (
    TEMP_PREFIX,
    WebDavAuthError,
    WebDavBusyError,
    WebDavCertificateError,
    WebDavForbiddenError,
    WebDavFullError,
    WebDavLocation,
    WebDavRedirectError,
    WebDavServerError,
    WebDavTooLargeError,
    WebDavUnreachableError,
    normalize_webdav_url,
)
from tests.webdav_server import PASSWORD, USER, WebDavServer, self_signed_certificate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDavServer]:
    with WebDavServer(tmp_path_factory.mktemp("dav")) as running:
        yield running


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def dav(server: WebDavServer, waits: list[float], request: pytest.FixtureRequest) -> Iterator[WebDavLocation]:
    server.faults.queue.clear()
    server.faults.requests.clear()
    url = server.url + request.node.name.replace("[", "-").replace("]", "") + "/"
    with WebDavLocation(url, USER, PASSWORD, backoff=0.01, sleep=waits.append) as location:
        location.check()
        yield location


def on_disk(server: WebDavServer, location: WebDavLocation) -> Path:
    return server.root / location.url.split("/dav/", 1)[1]


def test_files_are_written_listed_read_and_deleted(dav: WebDavLocation, server: WebDavServer) -> None:
    tag = dav.write("devices/one/0001.chg", b"first")
    dav.write("top.bin", b"x" * 10)
    assert dav.read("devices/one/0001.chg") == b"first"
    listed = dav.list("devices/one")
    assert [(f.path, f.size, f.tag) for f in listed] == [("devices/one/0001.chg", 5, tag)]
    assert [f.path for f in dav.list("")] == ["top.bin"]
    assert dav.list("nowhere") == []
    dav.delete("devices/one/0001.chg")
    dav.delete("devices/one/0001.chg")
    with pytest.raises(NotFoundError):
        dav.read("devices/one/0001.chg")
    assert not any(p.name.startswith(TEMP_PREFIX) for p in on_disk(server, dav).rglob("*"))


def test_names_with_spaces_and_non_ascii_letters_round_trip(dav: WebDavLocation) -> None:
    dav.write("设备 one/a b+c%.chg", b"1")
    assert [f.path for f in dav.list("设备 one")] == ["设备 one/a b+c%.chg"]
    assert dav.read("设备 one/a b+c%.chg") == b"1"


def test_conditional_writes_refuse_a_file_that_changed(dav: WebDavLocation, server: WebDavServer) -> None:
    first = dav.write("state.json", b"v1", expected_tag="")
    with pytest.raises(ChangedError):
        dav.write("state.json", b"other", expected_tag="")
    second = dav.write("state.json", b"v2 longer", expected_tag=first)
    assert second != first
    with pytest.raises(ChangedError):
        dav.write("state.json", b"v3 from a stale copy", expected_tag=first)
    assert dav.read("state.json") == b"v2 longer"
    with pytest.raises(ChangedError):
        dav.write("gone.json", b"x", expected_tag=first)
    assert not any(p.name.startswith(TEMP_PREFIX) for p in on_disk(server, dav).rglob("*"))


def test_the_destination_condition_is_checked_by_the_server_itself(dav: WebDavLocation, server: WebDavServer) -> None:
    """The MOVE carries the If header: a file replaced after the location read its tag is not overwritten."""
    tag = dav.write("race.json", b"mine")
    other = WebDavLocation(dav.url, USER, PASSWORD)
    stat = dav.stat

    def stale_stat(path: str):  # the tag this device saw, while another device has just replaced the file
        seen = stat(path)
        if path == "race.json" and seen is not None and seen.tag == tag:
            other.write("race.json", b"theirs, longer")
        return seen

    dav.stat = stale_stat  # type: ignore[method-assign]
    with pytest.raises(ChangedError):
        dav.write("race.json", b"mine again", expected_tag=tag)
    other.close()
    assert dav.read("race.json") == b"theirs, longer"
    moves = [r for r in server.faults.requests if r[0] == "MOVE"]
    assert moves[-1][2] == 412


def test_transient_failures_are_retried_with_backoff(dav: WebDavLocation, server: WebDavServer, waits: list[float]) -> None:
    server.faults.fail(503, times=2, methods=("PUT",))
    server.faults.fail(429, methods=("PROPFIND",), retry_after="1")
    dav.write("retried.bin", b"data")
    assert dav.read("retried.bin") == b"data"
    assert [m for m in server.faults.methods() if m == "PUT"] == ["PUT"] * 3
    assert len(waits) == 3 and waits[0] < waits[1] and max(waits) >= 1.0


def test_failures_that_outlast_the_retries_become_one_sentence(dav: WebDavLocation, server: WebDavServer, waits: list[float]) -> None:
    server.faults.fail(502, times=4)
    with pytest.raises(WebDavServerError) as caught:
        dav.list("")
    assert str(caught.value) == "The WebDAV server had a problem; syncing will try again later."
    assert len(waits) == 3
    server.faults.fail(503, retry_after="3600")
    with pytest.raises(WebDavServerError) as long_wait:
        dav.read("x")
    assert long_wait.value.retry_after == 3600 and len(waits) == 3
    server.faults.fail(429, times=4)
    with pytest.raises(WebDavBusyError):
        dav.read("x")


@pytest.mark.parametrize(
    ("status", "error", "sentence"),
    [
        (403, WebDavForbiddenError, "does not let this account change files"),
        (507, WebDavFullError, "no space left (Insufficient Storage)"),
        (301, WebDavRedirectError, "sends this address elsewhere"),
        (413, WebDavTooLargeError, "refused a file as too large"),
    ],
)
def test_refusals_are_sentences(dav: WebDavLocation, server: WebDavServer, status: int, error: type, sentence: str) -> None:
    server.faults.fail(status, methods=("PUT",))
    with pytest.raises(error) as caught:
        dav.write("refused.bin", b"data")
    assert sentence in str(caught.value)
    assert dav.list("") == []


def test_a_wrong_password_is_a_sentence_without_the_password(server: WebDavServer) -> None:
    wrong = "not-the-password-123"
    with WebDavLocation(server.url, USER, wrong, backoff=0.01, sleep=lambda _s: None) as location:
        with pytest.raises(WebDavAuthError) as caught:
            location.list("")
    assert str(caught.value) == "The WebDAV server did not accept the user name or password."
    assert wrong not in repr(caught.value) and wrong not in json.dumps(caught.value.to_json())


def test_a_server_echoing_the_password_never_shows_it(dav: WebDavLocation, server: WebDavServer, data_dir: Path) -> None:
    log_file = setup_logging(data_dir, logging.DEBUG)
    try:
        server.faults.fail(403, echo=True)
        with pytest.raises(WebDavForbiddenError) as forbidden:
            dav.list("")
        server.faults.fail(500, times=4, echo=True)
        with pytest.raises(WebDavServerError) as failing:
            dav.read("x")
        for error in (forbidden.value, failing.value):
            logging.getLogger("qwen_desktop").exception("sync failed", exc_info=error)
            shown = f"{error} {error!r} {json.dumps(error.to_json())}"
            assert PASSWORD not in shown
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
    assert "sync failed" in log_file.read_text()
    assert PASSWORD not in log_file.read_text()


def test_credentials_in_the_address_are_refused_without_repeating_them() -> None:
    for address in (f"https://{USER}:{PASSWORD}@dav.example.test/", f"https://{PASSWORD}@dav.example.test/"):
        with pytest.raises(ConfigError) as caught:
            normalize_webdav_url(address)
        assert PASSWORD not in str(caught.value) and "user name or password" in str(caught.value)
    with pytest.raises(ConfigError, match="https://"):
        normalize_webdav_url("http://dav.example.test/files")
    assert normalize_webdav_url("http://127.0.0.1:8080/dav") == "http://127.0.0.1:8080/dav/"


def test_an_unreachable_server_is_a_sentence(waits: list[float]) -> None:
    with WebDavLocation("http://127.0.0.1:9/dav/", USER, PASSWORD, backoff=0.01, sleep=waits.append) as location:
        with pytest.raises(WebDavUnreachableError) as caught:
            location.list("")
    assert "could not be reached" in str(caught.value) and len(waits) == 3


def test_an_unverifiable_certificate_stops_before_anything_is_sent(tmp_path: Path) -> None:
    cert, key = self_signed_certificate(tmp_path)
    (tmp_path / "root").mkdir()
    with WebDavServer(tmp_path / "root", certificate=(cert, key)) as tls:
        with WebDavLocation(tls.url, USER, PASSWORD, sleep=lambda _s: None) as location:
            with pytest.raises(WebDavCertificateError) as caught:
                location.write("a.bin", b"x")
        assert "certificate could not be verified" in str(caught.value)
        assert tls.faults.requests == []
        trusting = ssl.create_default_context(cafile=str(cert))
        with WebDavLocation(tls.url, USER, PASSWORD, verify=trusting) as location:
            location.write("a.bin", b"over tls")
            assert location.read("a.bin") == b"over tls"


CHILD = textwrap.dedent(
    """
    import sys
    from qwen_desktop.core.sync.webdav import WebDavLocation
    location = WebDavLocation(sys.argv[1], sys.argv[2], sys.argv[3], attempts=1)
    location.write("big/payload.bin", b"z" * 1_000_000)
    print("finished")
    """
)


def test_an_upload_killed_midway_is_never_visible(dav: WebDavLocation, server: WebDavServer) -> None:
    folder = on_disk(server, dav) / "big"
    server.faults.trickle = 0.005
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, dav.url, USER, PASSWORD],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "desktop")},
    )
    try:
        deadline = time.monotonic() + 20
        partial: list[Path] = []
        while not partial and time.monotonic() < deadline:
            time.sleep(0.01)
            partial = [p for p in folder.glob(f"{TEMP_PREFIX}*") if p.stat().st_size > 0] if folder.exists() else []
        assert partial, "the upload never started"
        child.kill()
        child.wait(timeout=10)
        assert partial[0].stat().st_size < 1_000_000
        assert dav.list("big") == []
        # The server drains what the dead process had already sent, then keeps it under the temporary name.
        while time.monotonic() < deadline and not any(m == "PUT" and TEMP_PREFIX in p for m, p, _s in server.faults.requests):
            time.sleep(0.02)
    finally:
        server.faults.trickle = 0.0
    assert child.returncode != 0 and b"finished" not in child.stdout.read()
    assert dav.list("big") == []
    with pytest.raises(NotFoundError):
        dav.read("big/payload.bin")
    leftovers = list(folder.glob(f"{TEMP_PREFIX}*"))
    assert len(leftovers) == 1
    settled, seen = 0, None
    while settled < 3 and time.monotonic() < deadline:  # the server may still flush and close it
        time.sleep(0.1)
        now = leftovers[0].stat()
        settled, seen = (settled + 1 if (now.st_size, now.st_mtime_ns) == seen else 0), (now.st_size, now.st_mtime_ns)
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(leftovers[0], (day_ago, day_ago))
    assert dav.list("big") == []
    assert not list(folder.glob(f"{TEMP_PREFIX}*")), "a partial upload older than a day is removed"
    dav.write("big/payload.bin", b"whole")
    assert [f.path for f in dav.list("big")] == ["big/payload.bin"]
