"""The list of models each region serves: ``GET {base}/compatible-mode/v1/models``.

The answer has ids only (OpenAI list shape: ``{"object": "list", "data": [{"id", "object":
"model", …}]}``; LobeChat, DeepChat and Chatbox read it the same way). Lists are cached per region
in the database, refreshed on demand or in the background at most once a day, and never block
start-up or a send. A failed fetch keeps the last good list and records why; a workspace-dedicated
domain that does not serve the listing (HTTP 404) falls back to the catalog without a complaint.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from .. import errors as e
from ..catalog import Catalog
from ..types import Endpoint
from .tables import ModelList, ModelTables

log = logging.getLogger(__name__)

MAX_AGE_S = 24 * 3600
NOT_SERVED = "not served"
"""Recorded as the error of a region whose address does not serve the listing (kept quiet)."""


@dataclass(frozen=True)
class ListedModel:
    name: str
    described: bool
    """The catalog describes it (limits, prices); otherwise the service's answers will."""
    listed: bool


@dataclass(frozen=True)
class RefreshResult:
    models: tuple[str, ...]
    fetched_at: float | None
    error: str | None = None
    """Why this fetch failed, for the user; None after success or a quiet fallback."""
    served: bool = True


async def fetch_ids(endpoint: Endpoint, timeout: float = 15.0) -> list[str]:
    import openai

    from ..client.openai_transport import translate

    client = openai.AsyncOpenAI(
        api_key=endpoint.api_key, base_url=endpoint.compatible_url, max_retries=0,
        timeout=openai.Timeout(timeout, connect=min(timeout, 10.0)),
    )
    try:
        return sorted({model.id async for model in client.models.list() if model.id})
    except openai.APIError as exc:
        raise translate(exc, None) from None
    finally:
        await client.close()


class ModelLists:
    def __init__(
        self, tables: ModelTables, endpoint: Callable[[str], Endpoint], *,
        clock: Callable[[], float] = time.time, timeout: float = 15.0,
    ) -> None:
        self.tables = tables
        self._endpoint = endpoint
        self._clock = clock
        self._timeout = timeout
        self._tasks: dict[str, asyncio.Task[RefreshResult]] = {}

    def cached(self, region_id: str) -> ModelList | None:
        return self.tables.model_list(region_id)

    def due(self, region_id: str) -> bool:
        found = self.cached(region_id)
        last = None if found is None else max(found.fetched_at or 0, found.error_at or 0)
        return last is None or self._clock() - last >= MAX_AGE_S

    async def refresh(self, region_id: str) -> RefreshResult:
        """Fetch now; on failure the last good list stays and the reason is stored and returned."""
        now = self._clock()
        try:
            ids = await fetch_ids(self._endpoint(region_id), self._timeout)
        except e.QwenError as error:
            previous = self.cached(region_id)
            models = previous.models if previous else ()
            fetched = previous.fetched_at if previous else None
            quiet = isinstance(error, (e.EndpointNotFoundError, e.ModelNotFoundError))
            reason = NOT_SERVED if quiet else error.sentence
            await asyncio.wrap_future(self.tables.save_failure(region_id, reason, now))
            log.info("model list of %s not fetched: %s", region_id, reason)
            if quiet:
                return RefreshResult(models, fetched, None, served=False)
            return RefreshResult(models, fetched, f"The model list could not be fetched: {error.sentence}")
        await asyncio.wrap_future(self.tables.save_list(region_id, ids, now))
        return RefreshResult(tuple(ids), now)

    def refresh_in_background(self, region_id: str) -> asyncio.Task[RefreshResult] | None:
        """Start a refresh when the list is a day old (or missing); never raises, never waits."""
        running = self._tasks.get(region_id)
        if running is not None and not running.done():
            return running
        try:
            if not self.due(region_id):
                return None
            self._endpoint(region_id)
        except e.QwenError:
            return None
        task = asyncio.get_running_loop().create_task(self._quietly(region_id))
        self._tasks[region_id] = task
        return task

    async def _quietly(self, region_id: str) -> RefreshResult:
        try:
            return await self.refresh(region_id)
        except Exception:  # noqa: BLE001 - a background refresh must never surface as a crash
            log.exception("background model list refresh of %s failed", region_id)
            return RefreshResult((), None, "The model list could not be fetched.")


def merged(catalog: Catalog, listed: ModelList | None) -> list[ListedModel]:
    """What the region serves first (in its order), then catalogued models it did not list."""
    names = list(listed.models) if listed and listed.fetched_at else []
    seen = set(names)
    rows = [ListedModel(name, name in catalog, True) for name in names]
    rows += [ListedModel(info.name, True, False) for info in catalog.models() if info.name not in seen]
    return rows
