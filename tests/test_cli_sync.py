"""``qwen-desktop sync`` (its main function): two computers (data directories with their own
keyrings) syncing through one folder."""

from __future__ import annotations

import io
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from qwen_desktop import cli

from qwen_desktop.core.paths import database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, Role
from tests.core.sync_devices import quick_location
from tests.keyring_backends import MemoryKeyring

PASSPHRASE = "a long sync passphrase"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


class Terminal(io.StringIO):
    """Standard input that says it is a terminal (what it holds is never read then)."""

    def isatty(self) -> bool:
        return True


def computer(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch):
    """The command line run in this process (a subprocess start costs seconds on a busy machine),
    with a keyring of its own for each computer and standard input that is not a terminal."""
    data = tmp_path / name
    backend = MemoryKeyring()

    def run(*args: str, stdin: str = "", terminal: bool = False) -> Run:
        keyring.set_keyring(backend)
        monkeypatch.setattr(sys, "stdin", Terminal(stdin) if terminal else io.StringIO(stdin))
        out, err = io.StringIO(), io.StringIO()
        handlers = list(logging.getLogger().handlers)
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        try:
            code = cli.main(["--data-dir", str(data), *args])
        finally:
            monkeypatch.setattr(sys, "stdout", sys.__stdout__)
            monkeypatch.setattr(sys, "stderr", sys.__stderr__)
            keyring.set_keyring(keyring.backends.fail.Keyring())
            for handler in set(logging.getLogger().handlers) - set(handlers):
                logging.getLogger().removeHandler(handler)
                handler.close()
        return Run(code, out.getvalue(), err.getvalue())

    run.data = data  # type: ignore[attr-defined]
    run.keyring = backend  # type: ignore[attr-defined]
    return run


def test_setup_now_and_status_between_two_computers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = quick_location(tmp_path / "Sync", PASSPHRASE)
    laptop, desktop = computer(tmp_path, "laptop", monkeypatch), computer(tmp_path, "desktop", monkeypatch)
    with Store(database_path(laptop.data)) as store:
        cid = store.create_conversation(ConversationSettings(), "Tea in Fujian").result()
        store.add_message(cid, Role.USER, "Which oolong grows on Wuyi mountain?").result()

    done = laptop("sync", "setup", "--folder", str(shared), stdin=PASSPHRASE + "\n")
    assert done.returncode == 0, done.stderr
    assert "Sync is set up" in done.stdout
    config = (laptop.data / "config.json").read_text(encoding="utf-8")
    assert PASSPHRASE not in config and json.loads(config)["sync"]["kind"] == "folder"
    assert PASSPHRASE in laptop.keyring.passwords.values()
    status = laptop("sync", "status")
    assert "Last synced: never" in status.stdout and "Pending changes: 2" in status.stdout

    done = laptop("sync", "now")
    assert done.returncode == 0, done.stderr
    assert "0 change(s) received, 2 sent." in done.stdout
    status = laptop("sync", "status")
    assert "Pending changes: 0" in status.stdout and "Last error: none" in status.stdout
    assert "Last synced: never" not in status.stdout

    wrong = desktop("sync", "setup", "--folder", str(shared), stdin="not the same passphrase\n")
    assert wrong.returncode != 0
    assert "The sync passphrase is not the one this sync location was set up with." in wrong.stderr
    assert "Traceback" not in wrong.stderr
    assert desktop("sync", "status").stdout.strip() == "Sync is not set up."

    assert desktop("sync", "setup", "--folder", str(shared), stdin=PASSPHRASE + "\n").returncode == 0
    done = desktop("sync", "now")
    assert done.returncode == 0, done.stderr
    with Store(database_path(desktop.data)) as store:
        (only,) = store.conversation_ids()
        assert store.conversation(only).title == "Tea in Fujian"
        assert store.messages(only)[0].content == "Which oolong grows on Wuyi mountain?"
    for path in shared.rglob("*"):
        if path.is_file():
            assert b"oolong" not in path.read_bytes() and PASSPHRASE.encode() not in path.read_bytes()


def test_sync_before_setup_and_a_short_passphrase_are_sentences(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    laptop = computer(tmp_path, "laptop", monkeypatch)
    done = laptop("sync", "now")
    assert done.returncode != 0 and "Sync is not set up" in done.stderr
    shared = tmp_path / "Sync"
    shared.mkdir()
    done = laptop("sync", "setup", "--folder", str(shared), stdin="short\n")
    assert done.returncode != 0 and "at least 8 characters" in done.stderr
    done = laptop("sync", "setup", "--folder", str(tmp_path / "missing"), stdin=PASSPHRASE + "\n")
    assert done.returncode != 0 and "does not exist" in done.stderr
    assert list(shared.iterdir()) == []


def test_setup_with_a_webdav_server_keeps_the_password_in_the_keyring(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.webdav_server import PASSWORD, USER, WebDavServer

    laptop = computer(tmp_path, "laptop", monkeypatch)
    with Store(database_path(laptop.data)) as store:
        store.create_conversation(ConversationSettings(), "Kept on the server, encrypted").result()
    quick_location(tmp_path / "dav" / "qwen", PASSPHRASE)
    with WebDavServer(tmp_path / "dav") as server:
        url = server.url + "qwen/"
        done = laptop("sync", "setup", "--webdav", url, "--username", USER, stdin=f"{PASSPHRASE}\n{PASSWORD}\n")
        assert done.returncode == 0, done.stderr
        done = laptop("sync", "now")
        assert done.returncode == 0, done.stderr
        assert "1 sent" in done.stdout
        status = laptop("sync", "status").stdout
    config = (laptop.data / "config.json").read_text(encoding="utf-8")
    assert json.loads(config)["sync"]["url"] == url and PASSWORD not in config and PASSPHRASE not in config
    assert {PASSWORD, PASSPHRASE} <= set(laptop.keyring.passwords.values())
    assert f"Sync: webdav {url}" in status and "Pending changes: 0" in status
    stored = b"".join(p.read_bytes() for p in (tmp_path / "dav").rglob("*") if p.is_file())
    assert b"encrypted" not in stored and b"Kept on the server" not in stored


def test_at_a_terminal_the_passphrase_is_asked_twice_without_echo(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    answers: list[str] = []
    prompts: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": prompts.append(prompt) or answers.pop(0))
    shared = quick_location(tmp_path / "Sync", PASSPHRASE)
    laptop = computer(tmp_path, "laptop", monkeypatch)
    answers[:] = [PASSPHRASE, "a different passphrase"]
    differ = laptop("sync", "setup", "--folder", str(shared), terminal=True)
    answers[:] = [PASSPHRASE, PASSPHRASE]
    done = laptop("sync", "setup", "--folder", str(shared), terminal=True)
    assert differ.returncode != 0 and "The two passphrases differ" in differ.stderr
    assert done.returncode == 0, done.stderr
    assert prompts == ["Sync passphrase: ", "The same passphrase again: "] * 2
    assert PASSPHRASE in laptop.keyring.passwords.values()
