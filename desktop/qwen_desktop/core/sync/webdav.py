"""A WebDAV server as a sync location (Nextcloud, ownCloud, Apache mod_dav, NAS boxes, wsgidav …).

Files are published whole: each upload goes to a hidden temporary name in the same folder and is
then moved onto its path, so another device never lists or reads half a file (plain PUT is
written in place by some servers, wsgidav's file provider for one). Conditional writes use the
standard headers on that MOVE: ``Overwrite: F`` for "only if absent", and an ``If`` header tagged
with the destination's path for "only if it still has this ETag" (RFC 4918 §10.4); a read of the
current ETag first covers servers that ignore ``If``.

What other clients taught us (read 2026-12): Nextcloud may change a file's ETag shortly after an
upload without a change of content (nextcloud/server#58978), so a changed tag only means "read it
again"; Cyberduck publishes the same way, PUT to a temporary name then MOVE (cyberduck#7827), and
ownCloud then keeps no old versions of the file (owncloud/core#18307), which sync does not need;
hrefs in PROPFIND answers come as absolute URLs or paths, percent-encoded in different ways, so
they are compared decoded; weak ETags (``W/"…"``) never match ``If-Match``, so they are kept whole
and compared as the server sent them.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import random
import secrets
import ssl
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import httpx

from ..errors import ConfigError
from ..redact import remember_secret
from .location import ChangedError, LocationError, NotFoundError, RemoteFile

log = logging.getLogger(__name__)

TEMP_PREFIX = ".qwen-upload-"
"""Uploads in flight; never listed. One left by a device killed mid-upload is removed a day later."""
STALE_UPLOAD_SECONDS = 24 * 3600
_DAV = "{DAV:}"
_PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<d:propfind xmlns:d="DAV:"><d:prop>'
    b"<d:resourcetype/><d:getcontentlength/><d:getetag/><d:getlastmodified/>"
    b"</d:prop></d:propfind>"
)


class WebDavAuthError(LocationError):
    retryable = False
    sentence = "The WebDAV server did not accept the user name or password."


class WebDavForbiddenError(LocationError):
    retryable = False
    sentence = "The WebDAV server does not let this account change files in this folder."


class WebDavAddressError(LocationError):
    retryable = False
    sentence = "The WebDAV address was not found on the server: check the address."


class WebDavFullError(LocationError):
    sentence = "The WebDAV server has no space left (Insufficient Storage): free some space on it."


class WebDavTooLargeError(LocationError):
    retryable = False
    sentence = "The WebDAV server refused a file as too large."


class WebDavCertificateError(LocationError):
    retryable = False
    sentence = "The WebDAV server's certificate could not be verified, so nothing was sent to it."


class WebDavUnreachableError(LocationError):
    sentence = "The WebDAV server could not be reached: check the address and the network connection."


class WebDavTimeoutError(WebDavUnreachableError):
    sentence = "The WebDAV server stopped answering (timed out)."


class WebDavServerError(LocationError):
    sentence = "The WebDAV server had a problem; syncing will try again later."


class WebDavBusyError(WebDavServerError):
    sentence = "The WebDAV server asked to slow down; syncing will try again later."


class WebDavProtocolError(LocationError):
    sentence = "The WebDAV server sent an answer this app could not read."


class WebDavRedirectError(LocationError):
    retryable = False
    sentence = "The WebDAV server sends this address elsewhere: enter the final address (often ending in /remote.php/dav/files/NAME/)."


def normalize_webdav_url(url: str) -> str:
    """The folder's address ending in ``/``. Credentials in it are refused (they would end up in
    settings and logs); plain ``http://`` only to this computer, where no password crosses a network."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("Enter the WebDAV address starting with https://.")
    if "@" in parts.netloc:
        raise ConfigError(
            "The WebDAV address must not contain a user name or password: enter them in their own fields."
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError("Use an https:// address: over http:// the password would cross the network unencrypted.")
    if parts.query or parts.fragment:
        raise ConfigError("The WebDAV address must not contain ? or #.")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_path(path: str, *, folder: bool = False) -> list[str]:
    if folder and path in ("", "/"):
        return []
    parts = path.strip("/").split("/") if folder else path.split("/")
    if any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise ValueError(f"not a relative sync path: {path!r}")
    return parts


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    folder: bool
    size: int
    tag: str
    modified: float | None


class WebDavLocation:
    """A folder on a WebDAV server. Blocking (callers run it off the UI thread); retries transient
    failures (connection errors, timeouts, 5xx, 429) a bounded number of times with exponential
    backoff and jitter, waiting as long as ``Retry-After`` asks when that is at most ``max_wait``."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        *,
        verify: ssl.SSLContext | bool = True,
        timeout: float = 30.0,
        attempts: int = 4,
        backoff: float = 0.5,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = normalize_webdav_url(url)
        self._base_path = urlsplit(self.url).path
        remember_secret(password)
        if verify is True:
            verify = ssl.create_default_context()
        origin = urlsplit(self.url)
        self._client = httpx.Client(
            base_url=f"{origin.scheme}://{origin.netloc}",
            auth=httpx.BasicAuth(username, password),
            verify=verify,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,
            headers={"User-Agent": "qwen-desktop-sync"},
        )
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._max_wait = max_wait
        self._sleep = sleep
        self._clock = clock

    def describe(self) -> str:
        return self.url

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> WebDavLocation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # The SyncLocation operations

    def list(self, folder: str) -> list[RemoteFile]:
        parts = _check_path(folder, folder=True)
        entries = self._propfind(parts, depth="1")
        if entries is None:
            return []
        files: list[RemoteFile] = []
        for entry in entries:
            if entry.folder or not entry.name:
                continue
            if entry.name.startswith(TEMP_PREFIX):
                self._sweep(parts, entry)
                continue
            files.append(RemoteFile("/".join([*parts, entry.name]), entry.size, entry.tag))
        return sorted(files, key=lambda f: f.path)

    def read(self, path: str) -> bytes:
        response = self._request("GET", self._href(_check_path(path)))
        if response.status_code == 404:
            raise NotFoundError()
        self._raise_for(response)
        return response.content

    def write(self, path: str, data: bytes, *, expected_tag: str | None = None) -> str:
        parts = _check_path(path)
        if expected_tag:
            current = self.stat(path)
            if current is None or current.tag != expected_tag:
                raise ChangedError()
        temp = [*parts[:-1], f"{TEMP_PREFIX}{secrets.token_hex(8)}.part"]
        self._put(temp, data)
        try:
            self._move(temp, parts, expected_tag)
        except BaseException:
            self._discard(temp)
            raise
        written = self.stat(path)
        if written is None:
            raise WebDavProtocolError()
        return written.tag

    def delete(self, path: str) -> None:
        response = self._request("DELETE", self._href(_check_path(path)))
        if response.status_code in (404, 410):
            return
        self._raise_for(response)

    def stat(self, path: str) -> RemoteFile | None:
        """The file's size and tag, or None when it is absent."""
        parts = _check_path(path)
        entries = self._propfind(parts, depth="0")
        if not entries or entries[0].folder:
            return None
        return RemoteFile(path, entries[0].size, entries[0].tag)

    def check(self) -> None:
        """Reach the folder with these credentials (creating it when absent); raises the sentence otherwise."""
        if self._propfind([], depth="0") is None:
            self._make_folders([], include_last=True)

    # HTTP

    def _href(self, parts: list[str], *, folder: bool = False) -> str:
        path = "/".join(quote(p, safe="") for p in parts)
        if folder and path:
            path += "/"
        return self._base_path + path

    def _request(self, method: str, href: str, **kwargs: object) -> httpx.Response:
        """One request, retried while the failure is transient; other statuses are returned as they are."""
        failure: LocationError = WebDavUnreachableError()
        for attempt in range(self._attempts):
            wait = self._backoff * (2**attempt) * (1 + random.random() / 4)
            try:
                response = self._client.request(method, href, **kwargs)  # type: ignore[arg-type]
            except httpx.TimeoutException:
                failure = WebDavTimeoutError()
            except httpx.TransportError as exc:
                if _is_certificate_failure(exc):
                    raise WebDavCertificateError() from None
                failure = WebDavUnreachableError()
            else:
                status = response.status_code
                if status != 429 and (status < 500 or status in (501, 505, 507)):
                    return response
                failure = WebDavBusyError(status=status) if status == 429 else WebDavServerError(status=status)
                asked = _retry_after(response, self._clock())
                if asked is not None:
                    if asked > self._max_wait:
                        raise type(failure)(status=status, retry_after=asked)
                    wait = max(wait, asked)
            if attempt + 1 < self._attempts:
                log.info("WebDAV %s failed (%s); trying again in %.1f s", method, type(failure).__name__, wait)
                self._sleep(wait)
        raise failure

    def _raise_for(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 300:
            return
        if 300 <= status < 400:
            raise WebDavRedirectError(status=status)
        raise {
            401: WebDavAuthError,
            403: WebDavForbiddenError,
            404: WebDavAddressError,
            409: WebDavAddressError,
            412: ChangedError,
            413: WebDavTooLargeError,
            507: WebDavFullError,
        }.get(status, WebDavServerError if status >= 500 else WebDavProtocolError)(status=status)

    def _propfind(self, parts: list[str], *, depth: str) -> list[_Entry] | None:
        """The entries of a folder (depth 1, itself excluded) or of one resource (depth 0); None when absent."""
        href = self._href(parts, folder=depth == "1")
        response = self._request(
            "PROPFIND",
            href,
            content=_PROPFIND_BODY,
            headers={"Depth": depth, "Content-Type": "application/xml; charset=utf-8"},
        )
        if response.status_code == 404:
            return None
        self._raise_for(response)
        if response.status_code != 207:
            raise WebDavProtocolError(status=response.status_code)
        entries = _parse_multistatus(response.content, unquote(href).rstrip("/"))
        if depth == "1":
            return [e for e in entries if e.name]
        return entries

    def _put(self, parts: list[str], data: bytes) -> None:
        href = self._href(parts)
        headers = {"Content-Type": "application/octet-stream"}
        response = self._request("PUT", href, content=data, headers=headers)
        if response.status_code in (404, 409):
            self._make_folders(parts[:-1], include_last=True)
            response = self._request("PUT", href, content=data, headers=headers)
        self._raise_for(response)

    def _move(self, source: list[str], target: list[str], expected_tag: str | None) -> None:
        headers = {
            "Destination": self._absolute(self._href(target)),
            "Overwrite": "F" if expected_tag == "" else "T",
        }
        if expected_tag:
            headers["If"] = f"<{self._href(target)}> ([{_quoted(expected_tag)}])"
        response = self._request("MOVE", self._href(source), headers=headers)
        if response.status_code == 404 and self.stat("/".join(source)) is None:
            return  # an earlier attempt reached the server before its answer was lost; write() checks the target
        if response.status_code == 412:
            raise ChangedError()
        self._raise_for(response)

    def _absolute(self, href: str) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}{href}"

    def _make_folders(self, parts: list[str], *, include_last: bool) -> None:
        chain = parts if include_last else parts[:-1]
        for depth in range(len(chain) + 1):
            response = self._request("MKCOL", self._href(chain[:depth], folder=True))
            if response.status_code not in (201, 405):  # created, or already there
                self._raise_for(response)

    def _discard(self, parts: list[str]) -> None:
        try:
            self._client.request("DELETE", self._href(parts))
        except httpx.HTTPError:
            pass

    def _sweep(self, folder: list[str], entry: _Entry) -> None:
        if entry.modified is not None and self._clock() - entry.modified > STALE_UPLOAD_SECONDS:
            self._discard([*folder, entry.name])


def _quoted(tag: str) -> str:
    return tag if tag.endswith('"') else f'"{tag}"'


def _is_certificate_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _retry_after(response: httpx.Response, now: float) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _parse_multistatus(body: bytes, requested: str) -> list[_Entry]:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise WebDavProtocolError() from None
    entries = []
    for response in root.iter(f"{_DAV}response"):
        href = response.findtext(f"{_DAV}href") or ""
        path = unquote(urlsplit(href.strip()).path).rstrip("/")
        name = "" if path == requested else path.rsplit("/", 1)[-1]
        props = {}
        for propstat in response.iter(f"{_DAV}propstat"):
            status = propstat.findtext(f"{_DAV}status") or ""
            if " 200" not in status:
                continue
            prop = propstat.find(f"{_DAV}prop")
            if prop is not None:
                props.update({child.tag: child for child in prop})
        kind = props.get(f"{_DAV}resourcetype")
        folder = kind is not None and kind.find(f"{_DAV}collection") is not None
        size_text = (props[f"{_DAV}getcontentlength"].text or "0") if f"{_DAV}getcontentlength" in props else "0"
        modified_text = props[f"{_DAV}getlastmodified"].text if f"{_DAV}getlastmodified" in props else None
        modified = _http_date(modified_text)
        tag_el = props.get(f"{_DAV}getetag")
        tag = (tag_el.text or "").strip() if tag_el is not None else ""
        try:
            size = int(size_text.strip())
        except ValueError:
            size = 0
        if not tag:
            tag = f"{size}-{modified_text or ''}"
        entries.append(_Entry(name, folder, size, _quoted(tag) if not tag.startswith("W/") else tag, modified))
    return entries


def _http_date(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text.strip()).timestamp()
    except (TypeError, ValueError):
        return None
