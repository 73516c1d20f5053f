"""Run each file reader of the app against special files; print one JSON line per attempt.

Run in a child process with a memory limit, and each attempt under an alarm, so a reader that
hangs on a FIFO or reads /dev/zero forever is reported instead of taking the test run down.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

resource.setrlimit(resource.RLIMIT_AS, (2_500_000_000, 2_500_000_000))
WAIT_S = 4


def attempt(reader: str, kind: str, run) -> dict[str, object]:
    """Run ``run`` on its own thread; one still running after WAIT_S seconds is a hang."""
    started = time.monotonic()
    found: dict[str, str] = {"outcome": "hang", "text": ""}

    def body() -> None:
        try:
            run()
            found.update(outcome="read")
        except MemoryError:
            found.update(outcome="memory")
        except Exception as exc:  # noqa: BLE001 - reported to the test
            from qwen_desktop.core.catalog import CatalogError
            from qwen_desktop.core.errors import QwenError

            found.update(outcome="refused" if isinstance(exc, (QwenError, CatalogError)) else f"crash:{type(exc).__name__}",
                         text=str(exc))

    worker = threading.Thread(target=body, daemon=True)
    worker.start()
    worker.join(WAIT_S)
    result = {"reader": reader, "kind": kind, **found, "seconds": round(time.monotonic() - started, 2)}
    print(json.dumps(result), flush=True)
    return result


def make(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero-link":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    elif kind == "huge":
        with open(path, "wb") as out:
            out.truncate(2_000_000_000)


def main(root: Path) -> None:
    import asyncio

    from qwen_desktop.core import export as x
    from qwen_desktop.core.attachments import AttachmentStore
    from qwen_desktop.core.config import load_config_with_warnings
    from qwen_desktop.core.images import prepare_image
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.storage.recovery import open_store_safely
    from qwen_desktop.core.catalog import Catalog
    from qwen_desktop.core.knowledge.catalog_file import install
    from qwen_desktop.core.tools import builtin_tools

    read_tool = builtin_tools()["read_local_file"]
    kinds = ["fifo", "zero-link", "folder", "huge"]
    results = []
    for kind in kinds:
        case = root / kind
        case.mkdir()
        image = case / "x.png"
        make(kind, image)
        results.append(attempt("image", kind, lambda: prepare_image(image)))
        results.append(attempt("tool", kind, lambda: asyncio.run(read_tool.run({"path": str(image)}))))
        export = case / "export.json"
        make(kind, export)
        store = Store(case / "db.sqlite3")
        try:
            results.append(attempt("import", kind, lambda: x.import_json(store, AttachmentStore(case), export)))
            digest = "ab" * 32
            attachments = AttachmentStore(case)
            ref = {"sha256": digest, "mime": "image/png", "name": "a.png"}
            attachments.path(ref).parent.mkdir(parents=True, exist_ok=True)
            make(kind, attachments.path(ref))
            results.append(attempt("attachment", kind, lambda: attachments.load(ref)))
        finally:
            store.close()
        config = case / "config.json"
        make(kind, config)
        results.append(attempt("config", kind, lambda: load_config_with_warnings(config)))
        catalog = case / "catalog.json"
        make(kind, catalog)
        results.append(attempt("catalog install", kind, lambda: install(catalog, case, "2000-01-01")))
        results.append(attempt("catalog load", kind, lambda: Catalog.load(catalog)))
        db = case / "start" / "conversations.sqlite3"
        db.parent.mkdir()
        Store(db).close()
        make(kind, db.with_name(db.name + ".clean"))
        results.append(attempt("clean-marker", kind, lambda: open_store_safely(db)[0].close()))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
