from __future__ import annotations

import stat
from pathlib import Path

import platformdirs

from qwen_desktop.core import paths


def test_override_wins_over_environment(tmp_path: Path) -> None:
    chosen = paths.resolve_data_dir(tmp_path / "cli", env={paths.DATA_DIR_ENV: str(tmp_path / "env")})
    assert chosen == (tmp_path / "cli").resolve()
    assert chosen.is_dir()
    assert not (tmp_path / "env").exists()


def test_environment_wins_over_platform_default(tmp_path: Path) -> None:
    chosen = paths.resolve_data_dir(None, env={paths.DATA_DIR_ENV: str(tmp_path / "env")})
    assert chosen == (tmp_path / "env").resolve()


def test_platform_default(tmp_path: Path, monkeypatch) -> None:
    calls = []

    def fake_user_data_dir(name: str, appauthor: object) -> str:
        calls.append((name, appauthor))
        return str(tmp_path / "platform")

    monkeypatch.setattr(platformdirs, "user_data_dir", fake_user_data_dir)
    assert paths.resolve_data_dir(env={}) == (tmp_path / "platform").resolve()
    assert calls == [("qwen-desktop", False)]


def test_created_private(tmp_path: Path) -> None:
    chosen = paths.resolve_data_dir(tmp_path / "a" / "b", env={})
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o700


def test_file_layout(tmp_path: Path) -> None:
    assert paths.config_path(tmp_path) == tmp_path / "config.json"
    assert paths.database_path(tmp_path).parent == tmp_path
    assert paths.log_dir(tmp_path).parent == tmp_path
    assert paths.attachments_dir(tmp_path).parent == tmp_path
