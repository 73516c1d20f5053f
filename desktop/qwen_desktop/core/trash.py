"""Emptying the trash of what has been there longer than the user keeps things."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from .attachments import AttachmentStore
from .storage import Store

log = logging.getLogger(__name__)

DAY_S = 86_400.0


def purge_expired(
    store: Store, attachments: AttachmentStore | None, days: int,
    clock: Callable[[], float] = time.time,
) -> int:
    """Purge conversations and messages deleted more than ``days`` ago, then unused image files.

    Blocking (waits for the writer and walks the attachment folder): run it off the Qt thread.
    Returns how many conversations went.
    """
    count = store.purge_deleted(older_than=clock() - days * DAY_S).result()
    if attachments is not None:
        attachments.collect_garbage(store)
    if count:
        log.info("Purged %d conversations deleted more than %d days ago", count, days)
    return count
