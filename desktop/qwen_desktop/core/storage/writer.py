"""The single writer thread: every change to the database runs here, in queue order."""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from qwen_desktop.core.storage.errors import StoreClosedError, storage_error
from qwen_desktop.core.storage.stream import StreamBuffer

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], T]
StreamFlush = Callable[[sqlite3.Connection, dict[int, tuple[str, str]]], None]

_WAKE = object()
_STOP = object()


def transaction(conn: sqlite3.Connection, job: Job[T]) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = job(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return result


class Writer:
    """Owns one connection on one thread; jobs return Futures, stream deltas are coalesced."""

    def __init__(
        self,
        open_connection: Callable[[], sqlite3.Connection],
        write_stream: StreamFlush,
        *,
        name: str = "storage-writer",
    ) -> None:
        self.stream = StreamBuffer()
        self._open = open_connection
        self._write_stream = write_stream
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._stream_error: BaseException | None = None
        self._ready: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread; raises what opening the database raised."""
        self._thread.start()
        try:
            self._ready.result()
        except BaseException:
            self._thread.join()
            self._closed = True
            raise

    def submit(self, job: Job[T]) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                future.set_exception(StoreClosedError())
                return future
            self._queue.put((job, future))
        return future

    def append(self, mid: int, reasoning: str, content: str) -> None:
        """Buffer streamed text. Anything but text is refused here, on the caller's thread."""
        if not isinstance(reasoning, str) or not isinstance(content, str):
            raise TypeError("streamed text must be str")
        with self._lock:
            if self._closed:
                raise StoreClosedError()
            error, self._stream_error = self._stream_error, None
            if error is not None:
                raise error
            if self.stream.add(mid, reasoning, content):
                self._queue.put(_WAKE)

    def flush(self) -> Future[None]:
        """Resolves once every delta appended before this call is stored."""
        return self.submit(self._raise_stream_error)

    def close(self) -> None:
        """Run every queued job, store pending deltas, stop the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join()

    def _raise_stream_error(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            error, self._stream_error = self._stream_error, None
        if error is not None:
            raise error

    def _run(self) -> None:
        try:
            conn = self._open()
        except BaseException as exc:
            self._ready.set_exception(storage_error(exc))
            return
        self._ready.set_result(None)
        try:
            self._loop(conn)
        finally:
            try:
                self._store_stream(conn)
            finally:
                conn.close()
                self._fail_queued()

    def _loop(self, conn: sqlite3.Connection) -> None:
        """Runs until told to stop: a failing write fails that write (its Future), never the thread."""
        while True:
            try:
                item = self._queue.get(timeout=self.stream.seconds_until_due())
            except queue.Empty:
                item = _WAKE
            if item is _STOP:
                return
            try:
                if item is _WAKE:
                    if self.stream.seconds_until_due() == 0:
                        self._store_stream(conn)
                    continue
                self._store_stream(conn)
                self._execute(conn, *item)
            except Exception:  # noqa: BLE001 - a bug in one write must not stop every later one
                log.exception("A database write failed unexpectedly")

    def _fail_queued(self) -> None:
        """The thread is ending: nothing queued may wait for it any more."""
        with self._lock:
            self._closed = True
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, tuple) and item[1].set_running_or_notify_cancel():
                item[1].set_exception(StoreClosedError())

    def _execute(self, conn: sqlite3.Connection, job: Job[Any], future: Future[Any]) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = transaction(conn, job)
        except BaseException as exc:
            future.set_exception(storage_error(exc))
        else:
            future.set_result(result)

    def _store_stream(self, conn: sqlite3.Connection) -> None:
        taken: dict[int, tuple[str, str]] = {}
        try:
            taken = self.stream.take()
            if not taken:
                return
            transaction(conn, lambda c: self._write_stream(c, taken))
        except BaseException as exc:  # noqa: BLE001 - kept and raised to the next caller
            self.stream.put_back(taken)
            error = storage_error(exc)
            log.error("Could not store streamed text: %s", error)
            with self._lock:
                self._stream_error = error
        else:
            with self._lock:
                self._stream_error = None  # stored after all (space came back): not an error any more
