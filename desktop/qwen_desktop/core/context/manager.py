"""The context builder the engine uses: policies, counts, background summaries and embeddings."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .. import errors as e
from ..catalog import Catalog, thinking_request
from ..client import ChatClient
from ..storage import Message, Store
from ..tokens import TokenCounter
from ..types import (
    ChatRequest, ContextPolicy, ConversationSettings, Endpoint, MessageStatus, Role, ThinkingMode,
    WireMessage,
)
from .counts import MessageCounts
from .errors import ContextTooLongError
from .history import BuiltContext, HistoryItem, rounds, usable_history
from .params import ContextParams
from .policies import ContextInputs, SummaryView, plan_context, summary_messages
from .retrieval import EMBED_BATCH, rank, round_text, unit_rows
from .summarize import older_rounds, summary_prompt
from .tables import ContextTables, RoundVectors, SummaryRecord, SummaryStatus, done

log = logging.getLogger(__name__)

RETRY_AFTER_ROUNDS = 5
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ContextMeter:
    """What the next request would carry, for the composer's live meter."""

    policy: ContextPolicy
    sections: dict[str, int]
    total: int
    max_input: int
    budget: int
    over: bool
    notices: tuple[str, ...] = ()
    server_held: int = 0
    """Responses protocol: messages the service keeps, so the next request carries only the new one."""

    @property
    def fraction(self) -> float:
        return self.total / self.max_input if self.max_input else 0.0


@dataclass
class _Snapshot:
    history: list[HistoryItem]
    ranked: Sequence[int] = ()
    stale: bool = False
    shape: tuple[Any, ...] = ()
    """What of the settings shaped ``history`` (vision, images kept, window): another shape rebuilds it."""


@dataclass
class _Failure:
    sentence: str
    rounds: int = 0


@dataclass
class _State:
    snapshot: _Snapshot | None = None
    summary_failure: _Failure | None = None
    index_failure: str | None = None
    tasks: dict[str, asyncio.Task[Any]] = field(default_factory=dict)


class ContextManager:
    def __init__(
        self,
        store: Store,
        client: ChatClient,
        catalog: Catalog,
        endpoint: Callable[[str], Endpoint],
        *,
        counter: TokenCounter | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.client = client
        self.catalog = catalog
        self.tables = ContextTables(store)
        self.counter = counter or TokenCounter()
        self._endpoint = endpoint
        self._clock = clock
        self._states: dict[int, _State] = {}
        self._vectors: dict[tuple[int, str, int], RoundVectors] = {}
        self._counts: dict[int, MessageCounts] = {}
        self.history_counter: Callable[[Sequence[Message], ConversationSettings], list[HistoryItem]] | None = None
        """Stored messages as the next request carries them, for counting without reading a file."""
        self.attachment_counter: Callable[[Sequence[Mapping[str, Any]], ConversationSettings],
                                          tuple[int, int]] | None = None
        """Tokens a draft's attachments add to its message, and the images' share of them. An image
        is ``{"width", "height"}``; a document its reference with ``"kind": "document"`` and its ``"text"``."""

    # ---- the ContextBuilder protocol

    def params(self, settings: ConversationSettings) -> ContextParams:
        return ContextParams.from_settings(settings, self.catalog.get(settings.model, settings.region_id))

    async def build(
        self, conversation_id: int, settings: ConversationSettings,
        history: Sequence[HistoryItem], new_message: WireMessage,
    ) -> BuiltContext:
        params = self.params(settings)
        counts = self._counts_for(params)
        state = self._state(conversation_id)
        inputs = ContextInputs(settings, params, history, new_message)
        if settings.context_policy is ContextPolicy.SUMMARY:
            inputs = self._with_summary(conversation_id, inputs, counts)
        elif settings.context_policy is ContextPolicy.RETRIEVAL:
            inputs = await self._with_retrieval(conversation_id, inputs)
        built = plan_context(inputs, counts)
        shape = self._shape(settings)
        self._keep_snapshot(conversation_id, _Snapshot(list(history), inputs.ranked_rounds, shape=shape))
        return built

    def round_completed(self, conversation_id: int, settings: ConversationSettings) -> None:
        state = self._state(conversation_id)
        if state.snapshot is not None:
            state.snapshot.stale = True
        if settings.context_policy is ContextPolicy.SUMMARY:
            self._spawn(conversation_id, "summary", self._maybe_summarize(conversation_id, settings))
        elif settings.context_policy is ContextPolicy.RETRIEVAL:
            self._spawn(conversation_id, "index", self._index_quietly(conversation_id, settings))

    async def idle(self) -> None:
        """Wait for every background summary and embedding job started so far."""
        while True:
            pending = [t for s in self._states.values() for t in s.tasks.values() if not t.done()]
            if not pending:
                return
            await asyncio.gather(*pending, return_exceptions=True)

    # ---- the live meter

    def meter(self, conversation_id: int, settings: ConversationSettings, draft_text: str,
              draft_attachments: Sequence[Mapping[str, Any]] = ()) -> ContextMeter:
        """``draft_attachments``: what waits to go with the draft (see ``attachment_counter``)."""
        params = self.params(settings)
        counts = self._counts_for(params)
        extra, images = self.draft_extra(draft_attachments, settings)
        held = self._held(conversation_id, settings, params, counts, draft_text, extra)
        if held is not None:
            return held
        state = self._state(conversation_id)
        snapshot = state.snapshot
        shape = self._shape(settings)
        if snapshot is None or snapshot.stale or snapshot.shape != shape:
            history = self.counted_history(self.store.messages(conversation_id), settings)
            snapshot = _Snapshot(history, snapshot.ranked if snapshot else (), shape=shape)
            self._keep_snapshot(conversation_id, snapshot)
        inputs = ContextInputs(
            settings, params, snapshot.history, WireMessage(Role.USER, draft_text),
            ranked_rounds=snapshot.ranked, new_extra=extra, new_images=images,
        )
        if settings.context_policy is ContextPolicy.SUMMARY:
            inputs = self._with_summary(conversation_id, inputs, counts, start=False)
        try:
            notes = plan_context(inputs, counts).notes
        except ContextTooLongError:
            return self._over(inputs, counts)
        tokens = dict(notes["tokens"])  # type: ignore[call-overload]
        total = tokens.pop("total")
        return ContextMeter(
            settings.context_policy, tokens, total, params.max_input, params.budget,
            False, tuple(notes["notices"]),  # type: ignore[arg-type]
        )

    def _held(self, cid: int, settings: ConversationSettings, params: ContextParams,
              counts: MessageCounts, draft: str, extra: int = 0) -> ContextMeter | None:
        from ..responses import next_chain

        chain = next_chain(self.store, settings, cid)
        if chain is None:
            return None
        new = counts.message(WireMessage(Role.USER, draft)) + extra
        return ContextMeter(settings.context_policy, {"new": new}, new, params.max_input, params.budget,
                            False, server_held=len(chain.held_ids))

    def _over(self, inputs: ContextInputs, counts: MessageCounts) -> ContextMeter:
        system = inputs.settings.system_prompt
        sections = {
            "system": counts.message(WireMessage(Role.SYSTEM, system)) if system.strip() else 0,
            "summary": 0, "retrieved": 0,
            "recent": sum(counts.item(i) for i in usable_history(inputs.history)),
            "new": counts.message(inputs.new_message) + inputs.new_extra,
            "images": sum(counts.images(i) for i in usable_history(inputs.history)) + inputs.new_images,
        }
        total = sum(v for k, v in sections.items() if k != "images")
        params = inputs.params
        return ContextMeter(inputs.settings.context_policy, sections, total, params.max_input,
                            params.budget, True)

    # ---- rolling summary

    def summaries(self, conversation_id: int) -> list[SummaryRecord]:
        return self.tables.summaries(conversation_id)

    async def edit_summary(self, summary_id: int, text: str) -> None:
        await done(self.tables.edit_summary(summary_id, text))

    def regenerate_summary(self, conversation_id: int) -> asyncio.Task[Any] | None:
        """Summarize again from the transcript, up to where the latest summary ends."""
        settings = self._settings(conversation_id)
        state = self._state(conversation_id)
        state.summary_failure = None
        latest = self.tables.latest_summary(conversation_id)
        upto = latest.last_message_id if latest else None
        return self._spawn(conversation_id, "summary",
                           self._summarize(conversation_id, settings, upto=upto))

    def _summary_for(self, cid: int, history: Sequence[HistoryItem]) -> SummaryRecord | None:
        present = {item.message_id for item in history}
        for record in reversed(self.tables.summaries(cid)):
            if record.status is SummaryStatus.READY and record.last_message_id in present:
                return record
        return None

    def _with_summary(
        self, cid: int, inputs: ContextInputs, counts: MessageCounts, *, start: bool = True,
    ) -> ContextInputs:
        state = self._state(cid)
        record = self._summary_for(cid, inputs.history)
        view = None if record is None else SummaryView(
            record.id, record.text, record.first_message_id, record.last_message_id
        )
        notices: list[str] = []
        failure = state.summary_failure
        if failure is not None:
            notices.append(f"Summarizing failed: {failure.sentence} — using the last {inputs.params.n} rounds.")
        if start and self._over_threshold(inputs, view, counts):
            self._spawn(cid, "summary", self._maybe_summarize(cid, inputs.settings))
        return replace(inputs, summary=view, fallback=failure is not None, notices=tuple(notices))

    def _over_threshold(
        self, inputs: ContextInputs, view: SummaryView | None, counts: MessageCounts,
    ) -> bool:
        system = inputs.settings.system_prompt
        total = counts.message(WireMessage(Role.SYSTEM, system)) if system.strip() else 0
        covered = -1
        if view is not None:
            total += sum(counts.message(m) for m in summary_messages(view.text))
            covered = view.last_message_id
        total += sum(counts.item(i) for i in usable_history(inputs.history) if i.message_id > covered)
        return total >= inputs.params.threshold_tokens

    async def _maybe_summarize(self, cid: int, settings: ConversationSettings) -> None:
        params = self.params(settings)
        history = self._history(cid)
        counts = self._counts_for(params)
        record = self._summary_for(cid, history)
        view = None if record is None else SummaryView(
            record.id, record.text, record.first_message_id, record.last_message_id
        )
        failure = self._state(cid).summary_failure
        if failure is not None and len(rounds(usable_history(history))) < failure.rounds + RETRY_AFTER_ROUNDS:
            return
        inputs = ContextInputs(settings, params, history, WireMessage(Role.USER, ""))
        if self._over_threshold(inputs, view, counts):
            await self._summarize(cid, settings, history=history)

    async def _summarize(
        self, cid: int, settings: ConversationSettings, *, upto: int | None = None,
        history: list[HistoryItem] | None = None,
    ) -> None:
        params = self.params(settings)
        history = history if history is not None else self._history(cid)
        groups = rounds(usable_history(history))
        if upto is not None:
            previous = None
            chosen = [g for g in groups if g[-1].message_id <= upto]
        else:
            previous = self._summary_for(cid, history)
            covered = previous.last_message_id if previous else -1
            pending = [g for g in groups if g[0].message_id > covered]
            chosen = pending[:older_rounds(pending, params.summary_keep)]
        if not chosen:
            return
        state = self._state(cid)
        enable, budget = thinking_request(
            self.catalog.get(params.summarizer_model), ThinkingMode.OFF, None
        )
        first = previous.first_message_id if previous else chosen[0][0].message_id
        last = chosen[-1][-1].message_id
        try:
            request = ChatRequest(
                endpoint=self._endpoint(settings.region_id),
                protocol=settings.protocol,
                model=params.summarizer_model,
                messages=summary_prompt(previous.text if previous else None, chosen,
                                        params.summary_max_tokens),
                enable_thinking=enable,
                thinking_budget=budget,
                max_tokens=params.summary_max_tokens,
            )
            text = (await self.client.complete(request)).strip()
            if not text:
                raise e.ApiError("The summarizer returned no text.")
        except e.QwenError as error:
            log.warning("summary of conversation %s failed: %s", cid, error.to_json())
            state.summary_failure = _Failure(error.sentence, len(groups))
            await done(self.tables.add_summary(
                cid, first, last, error.sentence, params.summarizer_model, self._clock(),
                SummaryStatus.FAILED,
            ))
            return
        await done(self.tables.add_summary(cid, first, last, text, params.summarizer_model, self._clock()))
        state.summary_failure = None

    # ---- retrieval

    async def _with_retrieval(self, cid: int, inputs: ContextInputs) -> ContextInputs:
        params, settings = inputs.params, inputs.settings
        state = self._state(cid)
        groups = rounds(usable_history(inputs.history))
        earlier = groups[:max(0, len(groups) - params.n)]
        notices: list[str] = []
        if state.index_failure:
            notices.append(f"Indexing for retrieval failed: {state.index_failure} — "
                           "some earlier rounds cannot be found.")
        if not earlier or params.top_k == 0 or not inputs.new_message.content.strip():
            return replace(inputs, notices=notices)
        vectors = self._round_vectors(cid, params)
        known = dict(zip(vectors.round_ids.tolist(), vectors.last_ids.tolist()))
        missing = sum(1 for g in earlier if known.get(g[0].message_id) != g[-1].message_id)
        if missing:
            notices.append(f"Indexing {missing} earlier rounds for retrieval.")
            self._spawn(cid, "index", self._index_quietly(cid, settings))
        try:
            query = unit_rows(await self.client.embed(
                self._endpoint(settings.region_id), settings.protocol, params.embedding_model,
                [inputs.new_message.content[:6_000]], params.embedding_dimensions,
            ))[0]
        except e.QwenError as error:
            notices.append(f"Retrieval failed: {error.sentence} — using the last {params.n} rounds.")
            return replace(inputs, notices=notices, fallback=True)
        allowed = {g[0].message_id for g in earlier}
        ranked = rank(vectors, query, allowed, params.top_k * 3)
        return replace(inputs, notices=notices, ranked_rounds=tuple(ranked))

    def _round_vectors(self, cid: int, params: ContextParams) -> RoundVectors:
        key = (cid, params.embedding_model, params.embedding_dimensions)
        found = self._vectors.get(key)
        if found is None:
            found = self.tables.vectors(cid, *key[1:])
            self._vectors[key] = found
        return found

    async def embed_history(
        self, conversation_id: int, progress: Progress | None = None,
    ) -> int:
        """Embed every round not yet embedded, in batches; returns how many were embedded."""
        settings = self._settings(conversation_id)
        params = self.params(settings)
        history = self._history(conversation_id)
        known = self.tables.embedded_rounds(conversation_id, params.embedding_model,
                                            params.embedding_dimensions)
        todo = [g for g in rounds(usable_history(history))
                if known.get(g[0].message_id) != g[-1].message_id]
        endpoint = self._endpoint(settings.region_id)
        for start in range(0, len(todo), EMBED_BATCH):
            batch = todo[start:start + EMBED_BATCH]
            vectors = unit_rows(await self.client.embed(
                endpoint, settings.protocol, params.embedding_model,
                [round_text(g) for g in batch], params.embedding_dimensions,
            ))
            rows = [(g[0].message_id, g[-1].message_id, v) for g, v in zip(batch, vectors)]
            await done(self.tables.put_vectors(conversation_id, params.embedding_model, rows))
            self._vectors.pop((conversation_id, params.embedding_model, params.embedding_dimensions), None)
            if progress is not None:
                progress(start + len(batch), len(todo))
        self._state(conversation_id).index_failure = None
        return len(todo)

    async def _index_quietly(self, cid: int, settings: ConversationSettings) -> None:
        try:
            await self.embed_history(cid)
        except e.QwenError as error:
            log.warning("embedding conversation %s failed: %s", cid, error.to_json())
            self._state(cid).index_failure = error.sentence

    # ---- plumbing

    def _counts_for(self, params: ContextParams) -> MessageCounts:
        counts = self._counts.get(params.image_patch)
        if counts is None:
            counts = self._counts[params.image_patch] = MessageCounts(self.counter, params.image_patch)
        return counts

    def _keep_snapshot(self, cid: int, snapshot: _Snapshot) -> None:
        """Only the conversation metered last keeps its history: a long one left behind would
        otherwise hold every message's text for the rest of the session."""
        for other, state in self._states.items():
            if other != cid and state.snapshot is not None and state.snapshot.history:
                state.snapshot = _Snapshot([], state.snapshot.ranked, stale=True)
        self._state(cid).snapshot = snapshot

    def _state(self, cid: int) -> _State:
        return self._states.setdefault(cid, _State())

    def _settings(self, cid: int) -> ConversationSettings:
        conversation = self.store.conversation(cid)
        if conversation is None:
            raise e.ConfigError("This conversation no longer exists.")
        return conversation.settings

    def counted_history(self, messages: Sequence[Message], settings: ConversationSettings) -> list[HistoryItem]:
        """The history the engine would send, for counting (``history_counter``, set by the engine that
        knows the attachments); without one, the stored text alone."""
        live = [m for m in messages if m.status is not MessageStatus.STREAMING]
        if self.history_counter is not None:
            return self.history_counter(live, settings)
        return [HistoryItem(m.id, m.role, m.content, m.status) for m in live]

    def draft_extra(self, attachments: Sequence[Mapping[str, Any]],
                    settings: ConversationSettings) -> tuple[int, int]:
        if not attachments or self.attachment_counter is None:
            return 0, 0
        return self.attachment_counter(attachments, settings)

    @staticmethod
    def _shape(settings: ConversationSettings) -> tuple[Any, ...]:
        return settings.model, settings.region_id, repr(sorted(settings.context_params.items()))

    def _history(self, cid: int) -> list[HistoryItem]:
        return [
            HistoryItem(m.id, m.role, m.content, m.status)
            for m in self.store.messages(cid) if m.status is not MessageStatus.STREAMING
        ]

    def _spawn(self, cid: int, kind: str, job: Coroutine[Any, Any, None]) -> asyncio.Task[Any] | None:
        state = self._state(cid)
        running = state.tasks.get(kind)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            job.close()
            return None
        if running is not None and not running.done() and running.get_loop() is loop:
            job.close()
            return running
        task = loop.create_task(job, name=f"context-{kind}-{cid}")
        task.add_done_callback(_report)
        state.tasks[kind] = task
        return task


def _report(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background context job %s failed", task.get_name(), exc_info=task.exception())
