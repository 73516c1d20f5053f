"""Start-up helpers shared by the window (``app.py``) and the terminal commands (``cli.py``)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping, MutableMapping, Sequence

COMMANDS = {"ask", "assistants", "prompts", "keys", "regions", "models", "export", "import", "backup", "restore", "sync"}
"""The terminal commands; without one of them, ``qwen-desktop`` opens the window."""


def wants_window(args: Sequence[str]) -> bool:
    return not any(a in COMMANDS for a in args if not a.startswith("-"))


def data_dir_problem(error: OSError) -> str:
    """One sentence for a data directory that cannot be created or written."""
    where = f" ({error.filename})" if error.filename else ""
    return (f"The data folder cannot be used{where}: {error.strerror or error}. "
            "Check its permissions or choose another one with --data-dir.")


def log_level(env: Mapping[str, str]) -> int:
    name = env.get("QWEN_DESKTOP_LOG_LEVEL", "INFO").upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO



def check_certificate_settings(env: MutableMapping[str, str]) -> str | None:
    """One sentence when ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` cannot be used, which is then
    dropped from ``env``: left in place, every SDK fails with a traceback when its client is built."""
    import ssl

    problems = []
    cafile = env.get("SSL_CERT_FILE")
    if cafile:
        try:
            ssl.create_default_context(cafile=cafile)
        except (OSError, ssl.SSLError, ValueError) as error:
            reason = getattr(error, "strerror", None) or getattr(error, "reason", None) or str(error)
            problems.append(f"The certificate file named in SSL_CERT_FILE ({cafile}) cannot be used "
                            f"({reason}), so it is ignored.")
            env.pop("SSL_CERT_FILE", None)
    cadir = env.get("SSL_CERT_DIR")
    if cadir and not os.path.isdir(cadir):
        problems.append(f"The certificate folder named in SSL_CERT_DIR ({cadir}) does not exist, so it is ignored.")
        env.pop("SSL_CERT_DIR", None)
    if not problems:
        return None
    return " ".join(problems) + " Servers are checked against the system's certificates."


_trust_lock = threading.Lock()
_trusting = False


def use_system_certificates() -> None:
    """Verify servers against the operating system's certificate store (company CAs included).

    truststore replaces ``ssl.SSLContext``; done before the SDKs are imported, their HTTP stacks
    (httpx, aiohttp, requests) build their contexts from it. Importing it costs up to 0.1 s, so the
    window does it on a background thread after its first paint, and again (a no-op by then)
    before the first request. Safe to call from any thread, any number of times.
    """
    global _trusting
    with _trust_lock:
        if _trusting:
            return
        import truststore

        truststore.inject_into_ssl()
        _trusting = True


def trust_system_certificates(env: MutableMapping[str, str]) -> str | None:
    """Both at once (the terminal commands): the sentence about the environment, if any."""
    problem = check_certificate_settings(env)
    use_system_certificates()
    return problem
