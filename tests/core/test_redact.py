from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

import pytest

from qwen_desktop.core.logs import setup_logging
from qwen_desktop.core.redact import MASK, RedactingFilter, contains_secret, redact

KEY = "sk-0123456789abcdefABCDEF"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"key={KEY}", f"key={MASK}"),
        (f"Authorization: Bearer {KEY}", f"Authorization: Bearer {MASK}"),
        ("Authorization: Bearer abc.def-token", f"Authorization: Bearer {MASK}"),
        ("{'authorization': 'Bearer secrettoken'}", f"{{'authorization': 'Bearer {MASK}'}}"),
        ('{"api_key": "not-an-sk-shape"}', f'{{"api_key": "{MASK}"}}'),
        ("api_key='x y z'", f"api_key='{MASK}'"),
        ("sk-short stays", "sk-short stays"),
        ("https://task-runner01.example.com", "https://task-runner01.example.com"),
        (f"(key:{KEY})", f"(key:{MASK})"),
        ("nothing here", "nothing here"),
        ("", ""),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_contains_secret() -> None:
    assert contains_secret(f"prefix {KEY} suffix")
    assert not contains_secret('{"theme": "dark"}')


def _record(msg: str, args: tuple = (), exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("test", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_filter_redacts_message_and_args() -> None:
    record = _record("sending %s with %r", (KEY, {"api_key": KEY}))
    assert RedactingFilter().filter(record) is True
    assert KEY not in record.getMessage()
    assert record.getMessage().startswith(f"sending {MASK} with")


def test_filter_redacts_exceptions() -> None:
    try:
        raise RuntimeError(f"request failed: Authorization: Bearer {KEY}")
    except RuntimeError:
        record = _record("boom", exc_info=sys.exc_info())
    RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert KEY not in formatted
    assert "RuntimeError: request failed" in formatted and MASK in formatted


def test_filter_redacts_stack_info() -> None:
    record = _record("x")
    record.stack_info = f"Stack: {KEY}"
    RedactingFilter().filter(record)
    assert KEY not in record.stack_info


@pytest.fixture
def clean_logging():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    library = {name: (logging.getLogger(name).level, list(logging.getLogger(name).filters))
               for name in ("httpx", "openai", "dashscope")}
    yield
    for handler in root.handlers:
        if handler not in saved[0]:
            root.removeHandler(handler)
            handler.close()
    for handler in saved[0]:
        handler.filters = [f for f in handler.filters if not isinstance(f, RedactingFilter)]
    root.setLevel(saved[1])
    for name, (level, filters) in library.items():
        logging.getLogger(name).setLevel(level)
        logging.getLogger(name).filters = filters


def test_setup_logging_writes_redacted_file(data_dir: Path, clean_logging) -> None:
    path = setup_logging(data_dir)
    assert path == data_dir / "logs" / "qwen-desktop.log"
    log = logging.getLogger("qwen_desktop.test")
    log.info("using key %s", KEY)
    try:
        raise ValueError(f'{{"api_key": "{KEY}"}}')
    except ValueError:
        log.exception("failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "using key sk-***" in text and "ValueError" in text
    assert KEY not in text
    assert all(any(isinstance(f, RedactingFilter) for f in h.filters) for h in logging.getLogger().handlers)


def test_setup_logging_twice_keeps_one_file_handler(data_dir: Path, clean_logging) -> None:
    setup_logging(data_dir)
    setup_logging(data_dir)
    files = [h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert len(files) == 1


def test_library_loggers_are_quiet_and_dashscope_cannot_print_keys(
    data_dir: Path, clean_logging, capsys: pytest.CaptureFixture[str]
) -> None:
    import dashscope.common.logging as ds_logging

    sdk_logger = ds_logging.logger
    console = logging.StreamHandler(sys.stderr)
    sdk_logger.addHandler(console)
    try:
        setup_logging(data_dir)
        for name in ("httpx", "openai", "dashscope"):
            assert logging.getLogger(name).level == logging.WARNING
        sdk_logger.debug("Request body: %s", {"api_key": KEY})
        sdk_logger.warning("Request failed with Authorization: Bearer %s", KEY)
        try:
            raise ConnectionError(f"headers={{'Authorization': 'Bearer {KEY}'}}")
        except ConnectionError:
            sdk_logger.exception("Request failed")
        err = capsys.readouterr().err
        assert "Request failed with Authorization: Bearer sk-***" in err
        assert "Request body" not in err
        assert "ConnectionError" in err
        assert KEY not in err
    finally:
        sdk_logger.removeHandler(console)
