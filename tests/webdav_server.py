"""A real WebDAV server on loopback for the sync tests: wsgidav's file provider served by cheroot,
with basic authentication, optional TLS, and faults the tests ask for (statuses with Retry-After,
a server that echoes the password back, uploads that trickle in slowly)."""

from __future__ import annotations

import base64
import datetime
import ipaddress
import logging
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USER = "alice"
PASSWORD = "correct-horse-battery-staple"
SHARE = "/dav"


@dataclass
class Fault:
    status: int
    methods: tuple[str, ...] = ()
    retry_after: str | None = None
    echo: bool = False
    """Answer with the request's credentials in the body, a header and the reason phrase."""
    delay: float = 0.0
    """Seconds to wait before answering: a server that stopped answering."""

    def matches(self, method: str) -> bool:
        return not self.methods or method in self.methods


@dataclass
class Faults:
    queue: deque[Fault] = field(default_factory=deque)
    trickle: float = 0.0
    """Seconds to wait per 64 KiB of a PUT body: a slow upload a test can interrupt."""
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, status: int, times: int = 1, **kwargs: Any) -> None:
        with self.lock:
            self.queue.extend(Fault(status, **kwargs) for _ in range(times))

    def take(self, method: str) -> Fault | None:
        with self.lock:
            for fault in self.queue:
                if fault.matches(method):
                    self.queue.remove(fault)
                    return fault
        return None

    def methods(self) -> list[str]:
        with self.lock:
            return [method for method, _path, _status in self.requests]


class _SlowInput:
    def __init__(self, stream: Any, delay: float) -> None:
        self._stream, self._delay = stream, delay

    def read(self, size: int = -1) -> bytes:
        time.sleep(self._delay)
        return self._stream.read(min(size, 65536) if size and size > 0 else 65536)

    def readline(self, *args: Any) -> bytes:
        return self._stream.readline(*args)


class _FaultyApp:
    def __init__(self, app: Any, faults: Faults) -> None:
        self._app, self._faults = app, faults

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        fault = self._faults.take(method)
        if fault is not None:
            with self._faults.lock:
                self._faults.requests.append((method, path, fault.status))
            return self._answer(fault, environ, start_response)
        if method == "PUT" and self._faults.trickle:
            environ["wsgi.input"] = _SlowInput(environ["wsgi.input"], self._faults.trickle)

        def recording_start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            with self._faults.lock:
                self._faults.requests.append((method, path, int(status.split()[0])))
            return start_response(status, headers, *exc)

        return self._app(environ, recording_start)

    @staticmethod
    def _answer(fault: Fault, environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        time.sleep(fault.delay)
        reason = "Failure"
        body = b"injected failure"
        headers = [("Content-Type", "text/plain")]
        if fault.echo:
            sent = environ.get("HTTP_AUTHORIZATION", "")
            plain = base64.b64decode(sent.split()[-1]).decode() if sent else ""
            reason = f"Denied {plain}"
            body = f"you sent {sent} which is {plain}".encode()
            headers.append(("X-Echo", plain))
        if fault.retry_after is not None:
            headers.append(("Retry-After", fault.retry_after))
        headers.append(("Content-Length", str(len(body))))
        start_response(f"{fault.status} {reason}", headers)
        yield body


class WebDavServer:
    """Serves ``root`` at ``{url}`` (``http://127.0.0.1:PORT/dav/``) until ``stop()``."""

    def __init__(self, root: Path, *, users: dict[str, str] | None = None, certificate: tuple[Path, Path] | None = None):
        self.root = root
        self.faults = Faults()
        config = {
            "provider_mapping": {SHARE: str(root)},
            "simple_dc": {"user_mapping": {"*": {u: {"password": p} for u, p in (users or {USER: PASSWORD}).items()}}},
            "http_authenticator": {"accept_basic": True, "accept_digest": False, "default_to_digest": False},
            "verbose": 0,
            "logging": {"enable": False, "enable_loggers": []},
            "dir_browser": {"enable": False},
            "property_manager": True,
            "lock_storage": True,
        }
        logging.getLogger("wsgidav").setLevel(logging.ERROR)
        self._server = wsgi.Server(("127.0.0.1", 0), _FaultyApp(WsgiDAVApp(config), self.faults), numthreads=6, timeout=2, shutdown_timeout=1)
        scheme = "http"
        if certificate is not None:
            from cheroot.ssl.builtin import BuiltinSSLAdapter

            self._server.ssl_adapter = BuiltinSSLAdapter(str(certificate[0]), str(certificate[1]))
            scheme = "https"
        self._server.prepare()
        port = self._server.bind_addr[1]
        self.url = f"{scheme}://127.0.0.1:{port}{SHARE}/"
        self._thread = threading.Thread(target=self._server.serve, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.stop()
        self._thread.join(timeout=5)

    def __enter__(self) -> WebDavServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no system store trusts, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path
