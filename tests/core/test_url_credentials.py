"""A user name or password in a region's address is refused, never stored, printed or logged,
and no HTTP library logs below WARNING whatever the SDKs set up after start-up."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qwen_desktop.core.config import AppConfig, load_config_with_warnings
from qwen_desktop.core.errors import ConfigError
from qwen_desktop.core.logs import QUIET_LOGGERS, setup_logging
from qwen_desktop.core.regions import Region, RegionRegistry, normalize_base_url

ROOT = Path(__file__).resolve().parents[2]
SECRET = "hunter2pw"
ADDRESSES = [
    f"http://user:{SECRET}@127.0.0.1:9/x",
    f"https://{SECRET}@gw.example.test",
    f"https://user:{SECRET}@gw.example.test:8443/compatible-mode/v1",
    f"ftp://user:{SECRET}@gw.example.test",
    f"https://:{SECRET}@gw.example.test",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_user_info_in_an_address_is_refused_without_repeating_it(address: str) -> None:
    with pytest.raises(ConfigError) as caught:
        normalize_base_url(address)
    assert SECRET not in str(caught.value)
    if not address.startswith("ftp"):
        assert "user name or password" in str(caught.value)
    with pytest.raises(ConfigError) as again:
        RegionRegistry().add_custom("gw", "Gateway", address)
    assert SECRET not in str(again.value)
    with pytest.raises(ConfigError) as override:
        RegionRegistry(overrides={"intl": address})
    assert SECRET not in str(override.value)


def test_a_config_file_holding_user_info_drops_that_region(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"custom_regions": [
        {"id": "gw", "name": "Gateway", "base_url": f"https://me:{SECRET}@gw.example.test"},
        {"id": "ok", "name": "Fine", "base_url": "https://ok.example.test"},
    ]}))
    cfg, warnings = load_config_with_warnings(path)
    assert [r["id"] for r in cfg.custom_regions] == ["ok"]
    assert warnings and all(SECRET not in w for w in warnings)
    assert SECRET not in json.dumps(cfg.to_json())
    RegionRegistry([Region(r["id"], r["name"], r["base_url"]) for r in cfg.custom_regions])


def test_library_loggers_stay_quiet_when_an_sdk_turns_them_up(tmp_path: Path) -> None:
    log_file = setup_logging(tmp_path)
    try:
        for name in (*QUIET_LOGGERS, "httpcore.http11", "urllib3.connectionpool", "openai._base_client"):
            logger = logging.getLogger(name)
            logger.setLevel(logging.DEBUG)
            logger.info("HTTP Request: POST http://user:%s@host/v1 from %s", SECRET, name)
            logger.debug("headers {'authorization': 'Basic %s'}", SECRET)
        logging.getLogger("httpx").warning("a warning from httpx still counts")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = log_file.read_text()
        assert SECRET not in text
        assert "a warning from httpx still counts" in text
    finally:
        for name in (*QUIET_LOGGERS, "httpcore.http11", "urllib3.connectionpool", "openai._base_client"):
            logging.getLogger(name).setLevel(logging.NOTSET)


def test_dashscope_debug_logging_prints_nothing(tmp_path: Path) -> None:
    """DASHSCOPE_LOGGING_LEVEL=debug makes the SDK add a console handler when it is imported,
    which happens after the app set up its logging."""
    script = (
        "import logging, pathlib, sys\n"
        "from qwen_desktop.core.logs import setup_logging\n"
        f"setup_logging(pathlib.Path({str(tmp_path)!r}), logging.DEBUG)\n"
        "import dashscope\n"
        "from dashscope.common.logging import logger\n"
        f"logger.debug('request url http://u:{SECRET}@h headers')\n"
        f"logger.info('request url http://u:{SECRET}@h')\n"
        "logging.getLogger('openai').debug('x %s', 1)\n"
    )
    env = {**os.environ, "DASHSCOPE_LOGGING_LEVEL": "debug", "OPENAI_LOG": "debug",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert SECRET not in done.stderr + done.stdout
    assert SECRET not in (tmp_path / "logs" / "qwen-desktop.log").read_text()


def test_saved_config_never_holds_user_info(tmp_path: Path) -> None:
    cfg = AppConfig(custom_regions=[{"id": "gw", "name": "G", "base_url": f"https://u:{SECRET}@h.test"}])
    from qwen_desktop.core.config import save_config

    with pytest.raises(ConfigError) as caught:
        save_config(tmp_path / "config.json", cfg)
    assert SECRET not in str(caught.value)
    assert not (tmp_path / "config.json").exists()
