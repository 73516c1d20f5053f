from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from qwen_desktop.core.errors import KeyringUnavailableError, KeyShapeError
from qwen_desktop.core.secrets import KeyStore, mask, normalize_key
from tests.keyring_backends import MemoryKeyring

KEY = "sk-0123456789abcdefABCDEF_-xyz"
OTHER = "sk-fedcba9876543210fedcba98"
REPO_ROOT = Path(__file__).resolve().parents[2]


def test_set_get_delete(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore(env={})
    assert store.get("intl") is None
    assert store.set("intl", KEY) == KEY
    assert store.get("intl") == (KEY, "keyring")
    assert memory_keyring.passwords == {("qwen-desktop", "intl"): KEY}
    assert store.get("cn") is None
    assert store.delete("intl") is True
    assert store.delete("intl") is False
    assert store.get("intl") is None


def test_service_name_is_configurable(memory_keyring: MemoryKeyring) -> None:
    KeyStore(service="other-app", env={}).set("cn", KEY)
    assert keyring.get_password("other-app", "cn") == KEY
    assert KeyStore(env={}).get("cn") is None


def test_environment_key_only_for_regions_without_a_stored_key(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore(env={"DASHSCOPE_API_KEY": f"  {OTHER}\n"})
    store.set("intl", KEY)
    assert store.get("intl") == (KEY, "keyring")
    assert store.get("cn") == (OTHER, "environment")
    assert store.stored_regions(["intl", "cn", "us"]) == ["intl"]


def test_environment_defaults_to_os_environ(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", OTHER)
    assert KeyStore().get("hk") == (OTHER, "environment")


@pytest.mark.parametrize("raw", [f"  {KEY}  ", f"\n{KEY}\r\n", f"\t{KEY}\n"])
def test_surrounding_whitespace_is_stripped(memory_keyring: MemoryKeyring, raw: str) -> None:
    assert KeyStore(env={}).set("intl", raw) == KEY
    assert keyring.get_password("qwen-desktop", "intl") == KEY


@pytest.mark.parametrize(
    "raw",
    [
        "sk-0123456789\nabcdefABCDEF",
        "sk-0123456789 abcdefABCDEF",
        "0123456789abcdefABCDEF",
        "sk-short",
        "sk-0123456789abcdef!",
        "Bearer sk-0123456789abcdefABCDEF",
        "",
    ],
)
def test_bad_shapes_are_refused(memory_keyring: MemoryKeyring, raw: str) -> None:
    with pytest.raises(KeyShapeError) as caught:
        KeyStore(env={}).set("intl", raw)
    assert memory_keyring.passwords == {}
    if len(raw) > 12:
        assert raw.strip() not in str(caught.value)


def test_inner_newline_gets_its_own_sentence() -> None:
    with pytest.raises(KeyShapeError, match="line breaks"):
        normalize_key("sk-0123456789\nabcdefABCDEF")


def test_mask() -> None:
    assert mask(KEY) == "sk-…-xyz"
    assert KeyStore.mask("sk-0123456789abcd") == "sk-…abcd"
    assert mask("sk-1") == "sk-…"


def test_no_backend_is_an_error_never_a_plaintext_fallback(tmp_path: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    store = KeyStore(env={})
    with pytest.raises(KeyringUnavailableError):
        store.set("intl", KEY)
    with pytest.raises(KeyringUnavailableError):
        store.get("intl")
    with pytest.raises(KeyringUnavailableError):
        store.delete("intl")
    with pytest.raises(KeyringUnavailableError):
        store.stored_regions(["intl"])


def test_no_backend_still_allows_the_environment_key() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert KeyStore(env={"DASHSCOPE_API_KEY": OTHER}).get("intl") == (OTHER, "environment")


def test_low_priority_backend_is_refused() -> None:
    keyring.set_keyring(keyring.backends.null.Keyring())
    with pytest.raises(KeyringUnavailableError):
        KeyStore(env={}).set("intl", KEY)


class _LeakyKeyring(MemoryKeyring):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise type(self.error)(f"{self.error} while storing {password}")


@pytest.mark.parametrize(
    "error",
    [keyring.errors.KeyringLocked("locked"), keyring.errors.NoKeyringError("none"),
     keyring.errors.PasswordSetError("refused"), OSError("dbus broke")],
)
def test_backend_errors_do_not_leak_the_key(error: Exception) -> None:
    keyring.set_keyring(_LeakyKeyring(error))
    with pytest.raises(KeyringUnavailableError) as caught:
        KeyStore(env={}).set("intl", KEY)
    rendered = "".join(traceback.format_exception(caught.value))
    assert KEY not in rendered
    assert type(error).__name__ in rendered
    assert caught.value.__context__ is None or KEY not in str(caught.value.__context__)


def test_file_keyring_loads_from_the_environment_in_a_subprocess(tmp_path: Path) -> None:
    store_file = tmp_path / "keyring.json"
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
        "QWEN_TEST_KEYRING_FILE": str(store_file),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("DASHSCOPE_API_KEY", None)
    script = (
        "import keyring; from qwen_desktop.core.secrets import KeyStore\n"
        "print(type(keyring.get_keyring()).__name__)\n"
        f"KeyStore().set('cn', {KEY!r})\n"
        "print(KeyStore().get('cn')[1])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileKeyring", "keyring"]
    assert json.loads(store_file.read_text(encoding="utf-8")) == {"qwen-desktop": {"cn": KEY}}


def test_the_keyring_is_asked_once_per_region(memory_keyring: MemoryKeyring) -> None:
    asked: list[str] = []
    original = memory_keyring.get_password

    def counting(service: str, username: str) -> str | None:
        asked.append(username)
        return original(service, username)

    memory_keyring.get_password = counting  # type: ignore[method-assign]
    store = KeyStore(env={})
    store.set("intl", "sk-" + "a" * 24)
    for _ in range(5):
        assert store.get("intl") == ("sk-" + "a" * 24, "keyring")
        assert store.get("cn") is None
    assert asked == ["cn"]
    store.delete("intl")
    assert store.get("intl") is None
