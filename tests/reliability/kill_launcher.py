"""Imports the CLI once, then forks one ``qwen-desktop`` process per JSON line read from stdin.

Each child is its own OS process running ``qwen_desktop.__main__.main(args)`` (what
``python -m qwen_desktop`` runs) with its own environment; only the imports are shared. Lines
written: ``started <job> <pid>`` and ``exited <pid> <exit code>`` (negative: killed by a signal).
"""

from __future__ import annotations

import json
import os
import select
import sys

from qwen_desktop.__main__ import main
from qwen_desktop.core.client import preload_transports


def spawn(job: dict) -> int:
    pid = os.fork()
    if pid:
        return pid
    try:
        os.environ.update(job["env"])
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(log, 2)
        code = main(job["args"])
    except BaseException:  # noqa: BLE001 - the exit code tells the test
        code = 70
    os._exit(code)


def reap(live: set[int]) -> None:
    for pid in list(live):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            live.discard(pid)
            print(f"exited {pid} {os.waitstatus_to_exitcode(status)}", flush=True)


def serve() -> None:
    preload_transports()
    print("ready", flush=True)
    live: set[int] = set()
    reading = True
    while reading or live:
        reap(live)
        readable, _, _ = select.select([sys.stdin] if reading else [], [], [], 0.005)
        if not readable:
            continue
        line = sys.stdin.readline()
        if not line:
            reading = False
            continue
        job = json.loads(line)
        pid = spawn(job)
        live.add(pid)
        print(f"started {job['id']} {pid}", flush=True)


if __name__ == "__main__":
    serve()
