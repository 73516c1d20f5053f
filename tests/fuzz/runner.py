"""Runs fuzz cases through the real engine and counts what went wrong.

One ``Services`` (real SQLite store, real ``ChatClient`` with both SDKs) talks over loopback to
the raw server; each case is one question in its own conversation. Per case it records how the
reply ended and checks what was stored: a prefix of what the server sent, no reasoning in the
answer, no API key anywhere stored or shown. Exceptions that escape to the event loop, to a
thread or to garbage collection are counted too.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qwen_desktop.core import errors as e
from qwen_desktop.core.client import ChatClient, preload_transports
from qwen_desktop.core.engine import ReplyFailed, ReplyFinished
from qwen_desktop.core.services import Services, build_services
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Protocol, Role

from .cases import CLASSES, KEY, MARK, Case, make_case, plan, sent_content
from .server import RawServer

HANG_LIMIT = 20.0
"""Seconds after which a case counts as hung (the client's own deadlines are a few seconds)."""


@dataclass
class Outcome:
    index: int
    protocol: str
    kind: str
    ending: str
    """finished, failed (a typed error shown as the reply's end), raised (a typed error raised
    before the reply began), unhandled or hang."""
    detail: str = ""
    not_prefix: bool = False
    reasoning_in_answer: bool = False
    key_shown: bool = False
    incomplete: bool = False
    """A case that must arrive whole did not."""
    seconds: float = 0.0


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    """Exceptions that reached the event loop, a thread or garbage collection."""
    key_in_database: int = 0
    key_in_logs: int = 0
    seconds: float = 0.0

    def count(self, test: Callable[[Outcome], bool]) -> int:
        return sum(1 for outcome in self.outcomes if test(outcome))

    @property
    def problems(self) -> dict[str, int]:
        return {
            "unhandled exceptions": self.count(lambda o: o.ending == "unhandled") + len(self.background),
            "hangs": self.count(lambda o: o.ending == "hang"),
            "stored reply not a prefix of what was sent": self.count(lambda o: o.not_prefix),
            "reasoning in answers": self.count(lambda o: o.reasoning_in_answer),
            "keys in anything stored or shown": self.count(lambda o: o.key_shown)
            + self.key_in_database + self.key_in_logs,
            "whole replies not stored whole": self.count(lambda o: o.incomplete),
        }

    def table(self) -> str:
        names = [name for name, _, _ in CLASSES]
        kinds = sorted({o.kind for o in self.outcomes}, key=lambda k: names.index(_class_of(k)))
        header = ["class", "runs", "finished", "failed", "raised", "unhandled", "hangs", "not prefix",
                  "reasoning", "keys", "not whole"]
        rows = [header]
        for kind in [*kinds, "total"]:
            chosen = self.outcomes if kind == "total" else [o for o in self.outcomes if o.kind == kind]
            endings = Counter(o.ending for o in chosen)
            rows.append([kind, str(len(chosen)), str(endings["finished"]), str(endings["failed"]),
                         str(endings["raised"]), str(endings["unhandled"] + (len(self.background) if kind == "total" else 0)),
                         str(endings["hang"]), str(sum(o.not_prefix for o in chosen)),
                         str(sum(o.reasoning_in_answer for o in chosen)),
                         str(sum(o.key_shown for o in chosen)
                             + (self.key_in_database + self.key_in_logs if kind == "total" else 0)),
                         str(sum(o.incomplete for o in chosen))])
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = [" | ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                            for i, cell in enumerate(row)) for row in rows]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        lines.insert(len(lines) - 1, "-+-".join("-" * w for w in widths))
        return "\n".join(lines)


def _class_of(kind: str) -> str:
    return "UTF-8" if "UTF-8" in kind else kind


class _Records(logging.Handler):
    """Every record of the app's own loggers, as formatted text, to search for the key."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.key_hits = 0
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += " " + repr(record.exc_info[1])
        if KEY in text:
            self.key_hits += 1
        if record.levelno >= logging.ERROR:
            self.errors.append(f"{record.name}: {text[:300]}")


def _keyring() -> None:
    import keyring

    from tests.keyring_backends import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


def open_services(data_dir: Path, raw: RawServer) -> Services:
    _keyring()
    client = ChatClient(read_timeout=1.0, connect_timeout=2.0, idle_timeout=1.0, total_timeout=3.0,
                        max_attempts=2, max_backoff=0.01)
    services = build_services(data_dir, region_overrides={"intl": raw.base_url("intl")}, env={}, client=client)
    services.keys.set("intl", KEY)
    return services


def _shown(events: list[Any]) -> str:
    parts = [repr(event) for event in events]
    for event in events:
        if isinstance(event, ReplyFailed):
            parts += [str(event.error), repr(event.error.to_json())]
    return "\n".join(parts)


async def _one(services: Services, raw: RawServer, case: Case) -> Outcome:
    outcome = Outcome(case.index, case.protocol, case.kind, "finished")
    raw.add(case.index, case.script)
    started = time.monotonic()
    events: list[Any] = []
    try:
        settings = ConversationSettings(protocol=Protocol(case.protocol))
        cid = await asyncio.wrap_future(services.store.create_conversation(settings))
        try:
            async with asyncio.timeout(HANG_LIMIT):
                async for event in services.engine.send(cid, f"case-{case.index} please"):
                    events.append(event)
        except TimeoutError:
            outcome.ending = "hang"
        except e.QwenError as error:
            outcome.ending, outcome.detail = "raised", f"{type(error).__name__}: {error}"
        except Exception as exc:  # noqa: BLE001 - this is what the fuzzer counts
            outcome.ending, outcome.detail = "unhandled", f"{type(exc).__name__}: {exc}"[:500]
        else:
            last = events[-1] if events else None
            if isinstance(last, ReplyFailed):
                outcome.ending, outcome.detail = "failed", last.error.kind
            elif not isinstance(last, ReplyFinished):
                outcome.ending, outcome.detail = "unhandled", f"ended with {type(last).__name__}"
        _check_stored(services, cid, case, outcome, _shown(events))
    finally:
        raw.forget(case.index)
    outcome.seconds = time.monotonic() - started
    return outcome


def _check_stored(services: Services, cid: int, case: Case, outcome: Outcome, shown: str) -> None:
    await_flush = services.store.flush()
    await_flush.result(10)
    messages = services.store.messages(cid)
    replies = [m for m in messages if m.role is Role.ASSISTANT]
    stored = " ".join(repr(m) for m in messages)
    conversation = services.store.conversation(cid)
    outcome.key_shown = KEY in shown or KEY in stored or (conversation is not None and KEY in conversation.title)
    if not replies:
        outcome.incomplete = case.whole
        return
    reply = replies[-1]
    sent = sent_content(case)
    outcome.not_prefix = not sent.startswith(reply.content)
    if outcome.not_prefix:
        outcome.detail += f" stored={reply.content[:60]!r} sent={sent[:60]!r}"
    outcome.reasoning_in_answer = MARK in reply.content
    if case.whole:
        outcome.incomplete = not (reply.status is MessageStatus.COMPLETE and reply.content == case.spoken.content)
        if outcome.incomplete:
            outcome.detail += f" whole case ended {reply.status.value}: {reply.content[:60]!r}"


async def run_async(services: Services, raw: RawServer, cases: Iterable[Case], jobs: int,
                    progress: Callable[[int], None] | None = None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    source = iter(cases)
    lock = asyncio.Lock()

    async def worker() -> None:
        while True:
            async with lock:
                case = next(source, None)
            if case is None:
                return
            outcomes.append(await _one(services, raw, case))
            if progress is not None:
                progress(len(outcomes))

    await asyncio.gather(*(worker() for _ in range(jobs)))
    return outcomes


def run(data_dir: Path, runs: int, *, seed: int = 1, jobs: int = 8, only: list[int] | None = None,
        progress: Callable[[int], None] | None = None) -> Report:
    """Run ``runs`` cases (or just the indexes in ``only``) and report what went wrong."""
    preload_transports()
    report = Report()
    records = _Records()
    app_logger = logging.getLogger("qwen_desktop")
    previous_level = app_logger.level
    app_logger.setLevel(logging.DEBUG)
    app_logger.addHandler(records)
    hooks = (threading.excepthook, sys.unraisablehook)
    threading.excepthook = lambda args: report.background.append(f"thread: {args.exc_type.__name__}: {args.exc_value}")
    sys.unraisablehook = lambda args: report.background.append(
        f"unraisable: {type(args.exc_value).__name__}: {args.exc_value} in {args.object!r}"[:300])
    order = plan(runs)
    indexes = only if only is not None else range(runs)
    cases = (make_case(index, *order[index], seed) for index in indexes)
    started = time.monotonic()
    with RawServer() as raw:
        services = open_services(data_dir, raw)
        try:
            async def main() -> list[Outcome]:
                loop = asyncio.get_running_loop()
                loop.set_exception_handler(lambda _loop, context: report.background.append(
                    f"loop: {context.get('message')}: {context.get('exception')!r}"[:300]))
                try:
                    return await run_async(services, raw, cases, jobs, progress)
                finally:
                    await services.client.aclose()

            report.outcomes = asyncio.run(main())
            services.store.flush().result(30)
            dump = "\n".join(services.store._reader().iterdump())
            report.key_in_database = dump.count(KEY)
        finally:
            services.store.close()
            threading.excepthook, sys.unraisablehook = hooks
            app_logger.removeHandler(records)
            app_logger.setLevel(previous_level)
    report.key_in_logs = records.key_hits
    report.seconds = time.monotonic() - started
    return report
