"""Runs conversations: stored history in, a reply streamed out and written as it arrives.

The engine is the one path shared by the CLI and the window. It yields ``EngineEvent``s;
cancelling the consuming task stops the reply, closes its HTTP stream, and leaves the partial
reply stored and marked interrupted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from . import errors as e
from .attachments import (
    AttachmentStore,
    PreloadedImages,
    check_present,
    counted_history,
    history_items,
    image_refs,
    image_urls,
    images_in_history,
    is_document,
)
from .catalog import Catalog, ModelInfo
from .client import ChatClient
from .context import BuiltContext, ContextBuilder, ContextManager, HistoryItem, SimpleContext, usable_history
from .context.counts import MessageCounts
from .context.params import ContextParams
from .documents.library import DocumentLibrary, estimate_tokens, excerpt_budget
from .generation import check as check_generation
from .generation import WIRE_NAMES as GENERATION_WIRE_NAMES
from .generation import wire_fields
from .documents.pdf import render_pages
from .images import (
    MAX_IMAGES_PER_MESSAGE, AttachmentMissingError, VisionRequiredError, check_count, encode_data_url,
)
from .knowledge.facts import FactKind, Lesson, ModelFacts, lesson_from_error
from .knowledge.thinking import plan_thinking
from .continuation import CONTINUE_PROMPT, supports_prefix
from .regions import RegionRegistry
from .responses import CHAIN_LOST_NOTICE, Chain, chain_for, kept_record, server_tools
from .secrets import KeyStore
from .storage import Message, Store
from .storage.writes import ACTIVE_LEAF
from .titles import local_title
from .tokens import image_tokens
from .tools import Tool, ToolBox, ToolCallFinished, ToolCallStarted, ToolConsentRequested, run_calls
from .types import (
    ChatRequest, ContentDelta, ConversationSettings, Endpoint, Finished, MessageStatus,
    Protocol, ReasoningDelta, Role, SearchMode, ServerToolUpdate, Source, SourcesFound,
    ToolCall, ToolCallsReady, Usage, UsageUpdate, WireMessage,
)
from .websearch import merge_sources, search_request, strategy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UserMessageAdded:
    message: Message


@dataclass(frozen=True)
class ReplyStarted:
    message_id: int
    model: str


@dataclass(frozen=True)
class ReplyFinished:
    message: Message


@dataclass(frozen=True)
class ReplyFailed:
    message: Message
    error: e.QwenError


@dataclass(frozen=True)
class TitleChanged:
    conversation_id: int
    title: str


@dataclass(frozen=True)
class ModelNotice:
    """Something about the model the user should read once, in plain words.

    ``learned`` is the kind of fact the service just taught (``FactKind``), or None for a notice
    about this send only (thinking forced on, a budget lowered, a system prompt advised against).
    """

    model: str
    sentence: str
    learned: str | None = None
    value: str = ""


EngineEvent = (
    UserMessageAdded | ReplyStarted | ReasoningDelta | ContentDelta | SourcesFound | ReplyFinished
    | ReplyFailed | TitleChanged | ToolCallStarted | ToolConsentRequested | ToolCallFinished
    | ModelNotice
)
Rebuild = Callable[[], Awaitable[tuple[ChatRequest, BuiltContext]]]

MAX_TOOL_ROUNDS = 8
SEARCH_PROTOCOLS = (Protocol.OPENAI, Protocol.DASHSCOPE)
"""``enable_search`` belongs to chat completions; the Responses API searches through its own tool."""
SERVER_TOOL_TITLES = {
    "web_search": "Web search", "web_extractor": "Web extractor", "code_interpreter": "Code interpreter",
}


class ToolLoopLimitError(e.QwenError):
    kind = "tool_loop"
    template = (
        "Stopped after {rounds} rounds of tool calls: the model kept asking for tools "
        "without answering. Ask again more specifically, or switch some tools off."
    )
    sentence = template.format(rounds=MAX_TOOL_ROUNDS)

    @classmethod
    def after(cls, rounds: int) -> ToolLoopLimitError:
        return cls(cls.template.format(rounds=rounds))


class BusyError(e.QwenError):
    kind = "busy"
    sentence = "A reply is still streaming in this conversation: stop it or wait for it to finish."


BUSY_ELSEWHERE = (
    "Another Qwen Desktop window or command is writing a reply in this conversation: wait for it "
    "to finish, or start a new conversation."
)


WRITE_DEADLINE = 60.0
"""Seconds the engine waits for one database write before giving up on it (never forever)."""


class WriterStalledError(e.StorageError):
    kind = "storage_stalled"
    sentence = "The conversation database did not answer in time, so this could not be saved."


async def _done(future: Any, deadline: float | None = None) -> Any:
    """The result of a write, waited for at most ``WRITE_DEADLINE``; the write itself is left
    to finish if the wait gives up. (asyncio.timeout, not wait_for: 3.11's wait_for can swallow
    a Stop that arrives just as the write completes.)"""
    if future.done():
        # read it directly: wrapping a finished future schedules its result from the loop's own
        # thread, which qasync's loop does not wake up for
        return future.result()
    try:
        async with asyncio.timeout(WRITE_DEADLINE if deadline is None else deadline):
            return await asyncio.shield(asyncio.wrap_future(future))
    except TimeoutError:
        raise WriterStalledError() from None


async def _raising(error: BaseException) -> AsyncIterator[EngineEvent]:
    """An event stream that fails with ``error`` as soon as it is read."""
    raise error
    yield  # pragma: no cover - makes this an async generator


class ChatEngine:
    def __init__(
        self,
        store: Store,
        client: ChatClient,
        regions: RegionRegistry,
        keys: KeyStore,
        catalog: Catalog,
        *,
        clock: Callable[[], float] = time.monotonic,
        context: ContextBuilder | None = None,
        attachments: AttachmentStore | None = None,
        tools: ToolBox | None = None,
        max_tool_rounds: int = MAX_TOOL_ROUNDS,
    ) -> None:
        self.tools = tools
        self.max_tool_rounds = max_tool_rounds
        self.context: ContextBuilder = context or SimpleContext()
        self.attachments = attachments
        if isinstance(self.context, ContextManager):
            self.context.history_counter = self.counted_history
            self.context.attachment_counter = self.draft_tokens
        counter = getattr(self.context, "counter", None)
        self.documents = None if attachments is None else DocumentLibrary(
            attachments, count_tokens=counter.count_text if counter is not None else estimate_tokens)
        self.store = store
        self.client = client
        self.regions = regions
        self.keys = keys
        self.catalog = catalog
        if catalog.facts is None:
            catalog.facts = ModelFacts()
        self.facts: ModelFacts = catalog.facts
        self._clock = clock
        self._active: set[int] = set()

    def is_streaming(self, conversation_id: int) -> bool:
        return conversation_id in self._active

    def endpoint(self, region_id: str) -> Endpoint:
        region = self.regions.get(region_id)
        found = self.keys.get(region_id)
        if found is None:
            raise e.MissingKeyError(hint=f"Add a key for {region.name} in Settings.")
        return Endpoint(region_id, region.base_url, found[0])

    def key_hint(self, endpoint: Endpoint) -> str | None:
        try:
            region = self.regions.get(endpoint.region_id)
        except e.ConfigError:
            return None
        if not region.counterpart:
            return None
        other = self.regions.get(region.counterpart)
        return (
            f"Keys differ between regions: a key created for {other.name} "
            f"does not work in {region.name}."
        )

    def history(self, conversation_id: int, before: int | None = None) -> list[HistoryItem]:
        settings = self._conversation(conversation_id).settings
        return self._history_items(self._stored(conversation_id, before), settings)

    def _stored(self, conversation_id: int, before: int | None = None) -> list[Message]:
        return [m for m in self.store.messages(conversation_id) if before is None or m.id < before]

    def model(self, settings: ConversationSettings) -> ModelInfo:
        """The conversation's model as described and as the service taught in its region."""
        return self.catalog.get(settings.model, settings.region_id)

    def _history_items(
        self, messages: list[Message], settings: ConversationSettings, texts: Mapping[str, str] | None = None,
        urls: Mapping[str, str | None] | None = None,
    ) -> list[HistoryItem]:
        """Earlier images stay only for a vision model, and only for the latest few messages.
        ``texts`` and ``urls``: documents' text and images' data URLs already read, by digest."""
        info = self.model(settings)
        keep = images_in_history(settings) if info.vision else 0
        window = ContextParams.from_settings(settings, info).max_input
        store = PreloadedImages(self.attachments, urls) if urls and self.attachments is not None \
            else self.attachments
        return history_items(messages, keep, store, self._document_text(window, texts or {}))

    def counted_history(self, messages: Sequence[Message], settings: ConversationSettings) -> list[HistoryItem]:
        """What ``_history_items`` builds, for the meter and the inspector: earlier images by their
        stored size, earlier documents by their stored token count; no file is read."""
        info = self.model(settings)
        keep = images_in_history(settings) if info.vision else 0
        window = ContextParams.from_settings(settings, info).max_input
        return counted_history(messages, keep, lambda ref: DocumentLibrary.counted(ref, window))

    def draft_tokens(self, attachments: Sequence[Mapping[str, Any]],
                     settings: ConversationSettings) -> tuple[int, int]:
        """What a draft's attachments add to its message, and the images' share: images by size (for
        a vision model; a text model refuses them before sending), documents by their text, whole
        while they fit the window, else up to the excerpt budget. Runs on the meter's worker thread."""
        info = self.model(settings)
        params = ContextParams.from_settings(settings, info)
        images = sum(image_tokens(int(a["width"]), int(a["height"]), params.image_patch)
                     for a in attachments if not is_document(a)) if info.vision else 0
        documents = 0
        for ref in attachments:
            if is_document(ref) and not ref.get("scanned"):
                tokens = self._document_tokens(ref)
                placeholder, whole = DocumentLibrary.counted({**ref, "tokens": tokens}, params.max_input)
                documents += whole if not placeholder else min(tokens, excerpt_budget(params.max_input))
        return images + documents, images

    def _document_tokens(self, ref: Mapping[str, Any]) -> int:
        counter = getattr(self.context, "counter", None)
        if counter is None:
            return estimate_tokens(str(ref.get("text") or ""))
        key = ("draft-document", str(ref.get("sha256")))
        found = counter.cached(key)
        if found is None:
            found = counter.count_text(str(ref.get("text") or ""))
            if counter.settled:
                counter.remember(key, found)
        return int(found)

    async def _loaded_history(self, messages: list[Message], settings: ConversationSettings) -> list[HistoryItem]:
        """``_history_items`` with what it carries of earlier messages read on a worker thread first:
        the documents sent whole (one no longer in the library's small cache is read and parsed
        again, a PDF can take seconds) and the images kept (read and base64-encoded, up to 7 MB each)."""
        library, store = self.documents, self.attachments
        info = self.model(settings)
        window = ContextParams.from_settings(settings, info).max_input
        documents = [ref for m in messages if m.role is Role.USER for ref in m.attachments
                     if is_document(ref) and library is not None and library.fits_whole(ref, window)]
        keep = images_in_history(settings) if info.vision and store is not None else 0
        with_images = [m for m in messages if m.role is Role.USER and image_refs(m.attachments)]
        images = [ref for m in (with_images[-keep:] if keep > 0 else []) for ref in image_refs(m.attachments)]
        if not documents and not images:
            return self._history_items(messages, settings)

        def read() -> tuple[dict[str, str], dict[str, str | None]]:
            texts = {str(ref.get("sha256")): library.whole(ref) for ref in documents} if library else {}
            urls: dict[str, str | None] = {}
            for ref in images:
                try:
                    urls[str(ref.get("sha256"))] = store.data_url(ref) if store is not None else None
                except AttachmentMissingError:
                    urls[str(ref.get("sha256"))] = None
            return texts, urls

        texts, urls = await asyncio.to_thread(read)
        return self._history_items(messages, settings, texts, urls)

    def _document_text(self, max_input: int, texts: Mapping[str, str]) -> Callable[[dict[str, Any]], str] | None:
        """Earlier documents: whole while they fit the window, otherwise a line standing for them (the
        passages relevant to each new question travel with that question, see ``_with_documents``).
        ``texts`` holds those already read, by digest."""
        library = self.documents
        if library is None:
            return None

        def text(ref: dict[str, Any]) -> str:
            if not library.fits_whole(ref, max_input):
                return library.placeholder(ref)
            found = texts.get(str(ref.get("sha256")))
            return found if found is not None else library.whole(ref)

        return text

    def search_refused(self, settings: ConversationSettings) -> str | None:
        """What the service said when it refused to search with this model in this region."""
        return self.store.search_refusals().get((settings.region_id, settings.model))

    def check_images(self, settings: ConversationSettings, refs: Sequence[dict[str, Any]]) -> None:
        """Everything that would stop these images being sent, raised before anything is stored."""
        scans = [ref for ref in refs if is_document(ref) and ref.get("scanned")]
        refs = image_refs(refs)
        if scans and not self.model(settings).vision:
            raise VisionRequiredError(settings.model, self.vision_suggestion())
        if not refs:
            return
        check_count(len(refs))
        if not self.model(settings).vision:
            raise VisionRequiredError(settings.model, self.vision_suggestion())
        if self.attachments is None:
            raise e.ConfigError("Images cannot be sent: no attachment folder is set up.")
        check_present(refs, self.attachments)

    def vision_suggestion(self) -> str:
        if "qwen3-vl-plus" in self.catalog:
            return "qwen3-vl-plus"
        return next((m.name for m in self.catalog.models() if m.vision), "qwen3-vl-plus")

    def _user_message(
        self, settings: ConversationSettings, text: str, refs: Sequence[dict[str, Any]]
    ) -> WireMessage:
        self.check_images(settings, refs)
        if not refs or self.attachments is None:
            return WireMessage(Role.USER, text)
        return WireMessage(Role.USER, text, image_urls(refs, self.attachments))

    async def _with_documents(
        self, settings: ConversationSettings, new: WireMessage, refs: Sequence[dict[str, Any]],
        earlier: Sequence[Message],
    ) -> WireMessage:
        """The new question with its documents: whole when they fit, else the relevant excerpts of
        every long document in the conversation; a scan's pages as images for a vision model."""
        library = self.documents
        attached = [ref for ref in refs if is_document(ref)]
        older = [ref for m in earlier if m.role is Role.USER for ref in m.attachments if is_document(ref)]
        if library is None or not (attached or older):
            return new
        info = self.model(settings)
        params = ContextParams.from_settings(settings, info)
        window = params.max_input
        parts: list[str] = []
        images = list(new.images)
        for ref in attached:
            if ref.get("scanned"):
                images.extend(await self._scan_pages(ref, MAX_IMAGES_PER_MESSAGE - len(images)))
                parts.append(f"[document: {ref.get('name')} — a scan, its pages are attached as images]")
            elif library.fits_whole(ref, window):
                parts.append(await asyncio.to_thread(library.whole, ref))
        seen: set[str] = set()
        long = []
        for ref in [*attached, *older]:
            sha = str(ref.get("sha256"))
            if not ref.get("scanned") and not library.fits_whole(ref, window) and sha not in seen:
                seen.add(sha)
                long.append(ref)
        if long:
            endpoint = self.endpoint(settings.region_id)

            async def embed(texts: list[str]) -> list[list[float]]:
                return await self.client.embed(endpoint, settings.protocol, params.embedding_model, texts,
                                               params.embedding_dimensions)

            key = f"{params.embedding_model}-{params.embedding_dimensions}".replace("/", "_")
            excerpts = await library.excerpts(long, new.content, window, embed, key)
            parts.extend(f"[{notice}]" for notice in excerpts.notices)
            if excerpts.text:
                parts.append(excerpts.text)
        if not parts and images == list(new.images):
            return new
        content = "\n\n".join([*parts, new.content]) if new.content else "\n\n".join(parts)
        return replace(new, content=content, images=tuple(images))

    async def _scan_pages(self, ref: dict[str, Any], room: int) -> list[str]:
        if room <= 0 or self.attachments is None:
            return []
        pages = list(range(1, min(int(ref.get("sections") or 1), room) + 1))
        data = await asyncio.to_thread(self.attachments.load, ref)
        pngs = await asyncio.to_thread(render_pages, data, str(ref.get("name")), pages)
        return [encode_data_url("image/png", png) for png in pngs]

    async def build_request(
        self, conversation_id: int, settings: ConversationSettings, history: list[HistoryItem],
        new: WireMessage,
    ) -> tuple[ChatRequest, BuiltContext]:
        info = self.model(settings)
        plan = plan_thinking(info, settings)
        endpoint = self.endpoint(settings.region_id)
        chain = self._chain(conversation_id, settings, history)
        if chain is not None:
            context = self._chained_context(settings, chain, new)
        else:
            context = await self.context.build(conversation_id, settings, history, new)
        request = ChatRequest(
            endpoint=endpoint,
            protocol=settings.protocol,
            model=settings.model,
            messages=context.messages,
            enable_thinking=plan.enable_thinking,
            thinking_budget=plan.budget,
            temperature=settings.temperature,
            max_tokens=settings.generation.max_tokens,
            vision=info.native_path == "multimodal",
            extra=wire_fields(settings.generation, settings.protocol),
        )
        check_generation(settings.generation, temperature=settings.temperature,
                         thinking=bool(plan.enable_thinking), max_output=info.max_output)
        if settings.protocol is Protocol.RESPONSES:
            return self._responses_request(settings, request, context, chain)
        if (settings.search is not SearchMode.OFF and settings.protocol in SEARCH_PROTOCOLS
                and self.search_refused(settings) is None):
            request = replace(request, search=search_request(
                settings.search, settings.region_id, settings.search_strategy
            ))
        return request, context

    def responses_refused(self, settings: ConversationSettings) -> bool:
        """Whether the service said this model does not take the Responses API in this region."""
        return FactKind.NO_RESPONSES in self.facts.of(settings.region_id, settings.model)

    def _chain(
        self, conversation_id: int, settings: ConversationSettings, history: list[HistoryItem]
    ) -> Chain | None:
        if settings.protocol is not Protocol.RESPONSES or not history:
            return None
        wanted = {item.message_id for item in history}
        messages = [m for m in self.store.messages(conversation_id) if m.id in wanted]
        return chain_for(settings, messages) if len(messages) == len(history) else None

    def _chained_context(self, settings: ConversationSettings, chain: Chain, new: WireMessage) -> BuiltContext:
        """Only the new message goes: the service holds everything before it."""
        notes: dict[str, Any] = {
            "policy": settings.context_policy.value, "recent_ids": [], "retrieved_ids": [],
            "notices": [], "server_history": {
                "state": "chained", "previous_response_id": chain.response_id,
                "held_ids": list(chain.held_ids),
            },
        }
        counter, params = getattr(self.context, "counter", None), getattr(self.context, "params", None)
        if counter is not None and callable(params):
            limits = params(settings)
            new_tokens = MessageCounts(counter, limits.image_patch).message(new)
            notes.update(budget=limits.budget, max_input=limits.max_input, tokens={
                "system": 0, "summary": 0, "retrieved": 0, "recent": 0, "new": new_tokens,
                "images": 0, "total": new_tokens,
            })
        return BuiltContext((new,), (), notes)

    def _responses_request(
        self, settings: ConversationSettings, request: ChatRequest, context: BuiltContext,
        chain: Chain | None,
    ) -> tuple[ChatRequest, BuiltContext]:
        tools = server_tools(settings)
        if settings.search is not SearchMode.OFF and "web_search" not in tools:
            tools = ("web_search", *tools)
        request = replace(
            request, server_tools=tools,
            previous_response_id=chain.response_id if chain is not None else None,
        )
        if chain is None:
            notes = {**context.notes, "server_history": {"state": "start"}}
            context = BuiltContext(context.messages, context.included_ids, notes)
        return request, context

    async def _unchained(
        self, conversation_id: int, settings: ConversationSettings, request: ChatRequest,
        reply_id: int,
    ) -> tuple[ChatRequest, BuiltContext]:
        """The same request with the history the context policy builds, for when the chain is gone."""
        items = await self._loaded_history(self._stored(conversation_id, before=reply_id), settings)
        last_user = max((i for i, item in enumerate(items) if item.role is Role.USER), default=None)
        if last_user is None:
            raise e.ConfigError("There is no question to send again.")
        history, new, rest = items[:last_user], items[last_user], items[last_user + 1:]
        context = await self.context.build(conversation_id, settings, history, new.wire())
        expired = (request.previous_response_id or "")
        notes = {
            **context.notes,
            "notices": [*(context.notes.get("notices") or ()), CHAIN_LOST_NOTICE],  # type: ignore[misc]
            "server_history": {"state": "expired", "previous_response_id": expired},
        }
        messages = (*context.messages, *(item.wire() for item in usable_history(rest)))
        rebuilt = replace(request, previous_response_id=None, messages=messages)
        return rebuilt, BuiltContext(messages, context.included_ids, notes)

    def send(
        self, conversation_id: int, text: str, attachments: Sequence[dict[str, Any]] = ()
    ) -> AsyncIterator[EngineEvent]:
        """Ask a question; iterate the result for the reply's events.

        The question goes to the database writer here, in this call, before anything else
        happens (the window calls this in its Send handler): a crash or kill from then on cannot
        lose it. What would stop the question being asked (no text, no key, a busy conversation)
        is raised when iteration starts, like every other error, and then nothing is stored.
        ``attachments`` are references from ``AttachmentStore.save``.
        """
        try:
            clean, refs, conversation, _new = self._question(conversation_id, text, attachments)
            if conversation_id in self._active:
                raise BusyError()
        except e.QwenError as error:
            return _raising(error)
        added = self.store.add_message(conversation_id, Role.USER, clean, attachments=refs or None)
        return self._ask(conversation_id, text, attachments, replacing=None, added=added)

    def _question(
        self, conversation_id: int, text: str, attachments: Sequence[dict[str, Any]]
    ) -> tuple[str, list[dict[str, Any]], Any, WireMessage]:
        """The question as stored and as sent; raises what would stop it being asked."""
        text = text.strip("\n")
        refs = [dict(ref) for ref in attachments]
        if not text.strip() and not refs:
            raise e.ConfigError("Type a message first.")
        conversation = self._conversation(conversation_id)
        self.endpoint(conversation.settings.region_id)
        return text, refs, conversation, self._user_message(conversation.settings, text, refs)

    async def _ask(
        self, conversation_id: int, text: str, attachments: Sequence[dict[str, Any]],
        replacing: int | None, added: Any = None,
    ) -> AsyncIterator[EngineEvent]:
        """A new question at the end of the visible path, or beside the question ``replacing``.

        The question is stored before the request is built (documents read, context counted),
        so a crash in that time cannot lose it; a request refused while it is built (too long
        for the model, say) takes it out again, so it stays in the composer instead.
        """
        try:
            text, refs, conversation, new = self._question(conversation_id, text, attachments)
            self._claim(conversation_id)
        except e.QwenError:
            if added is not None:
                mid = await _done(added)
                await _done(self.store.delete_messages_from(conversation_id, mid))
            raise
        try:
            if added is None:
                await _done(self.store.flush())
                stored = self._stored(conversation_id)
                if replacing is not None:
                    stored = stored[:_position(stored, replacing)]
                mid = await _done(self.store.add_message(
                    conversation_id, Role.USER, text, attachments=refs or None,
                    parent=stored[-1].id if stored else None,
                ))
            else:
                mid = await _done(added)
                await _done(self.store.flush())
                stored = self._stored(conversation_id)
                stored = stored[:_position(stored, mid)]
            try:
                history = await self._loaded_history(stored, conversation.settings)
                new = await self._with_documents(conversation.settings, new, refs, stored)
                prepared = await self.build_request(
                    conversation_id, conversation.settings, history, new
                )
            except e.QwenError:
                await _done(self.store.delete_messages_from(conversation_id, mid))
                raise

            def rebuild() -> Awaitable[tuple[ChatRequest, BuiltContext]]:
                settings = self._conversation(conversation_id).settings
                return self.build_request(conversation_id, settings, history, new)

            user = self.store.message(mid)
            assert user is not None
            yield UserMessageAdded(user)
            if not any(item.role is Role.USER for item in history):
                title = local_title(text)
                if title:
                    await _done(self.store.rename(conversation_id, title, locked=False))
                    refreshed = self._conversation(conversation_id)
                    yield TitleChanged(conversation_id, refreshed.title)
            async for event in self._reply(conversation_id, prepared, rebuild, text, parent=mid):
                yield event
        finally:
            self._active.discard(conversation_id)

    async def regenerate(self, conversation_id: int, message_id: int) -> AsyncIterator[EngineEvent]:
        """Answer the question before this reply again, as a new version beside the old reply.

        The old reply (and whatever followed it) stays, reachable with the version switcher.
        """
        self._claim(conversation_id)
        try:
            await _done(self.store.flush())
            path = self._stored(conversation_id)
            stored = path[:_position(path, message_id)]
            while stored and stored[-1].role in (Role.ASSISTANT, Role.TOOL):
                stored.pop()
            if not stored or stored[-1].role is not Role.USER:
                raise e.ConfigError("There is no question before this reply to answer again.")
            question = stored.pop()
            settings = self._conversation(conversation_id).settings
            new = self._user_message(settings, question.content, question.attachments)
            new = await self._with_documents(settings, new, question.attachments, stored)
            history = await self._loaded_history(stored, settings)

            def rebuild() -> Awaitable[tuple[ChatRequest, BuiltContext]]:
                current = self._conversation(conversation_id).settings
                return self.build_request(conversation_id, current, history, new)

            prepared = await self.build_request(conversation_id, settings, history, new)
            failed = path[_position(path, message_id)]
            if failed.status is MessageStatus.ERROR and not failed.content:
                await _done(self.store.delete_messages([failed.id]))
            async for event in self._reply(conversation_id, prepared, rebuild, question.content,
                                          parent=question.id):
                yield event
        finally:
            self._active.discard(conversation_id)

    async def edit_and_resend(
        self, conversation_id: int, message_id: int, text: str,
        attachments: Sequence[dict[str, Any]] | None = None,
    ) -> AsyncIterator[EngineEvent]:
        """Ask an edited question as a new branch beside the old one, which stays reachable.

        ``attachments=None`` keeps the images of the message being edited.
        """
        if attachments is None:
            original = self.store.message(message_id)
            attachments = original.attachments if original is not None else []
        if not text.strip() and not attachments:
            raise e.ConfigError("Type a message first.")
        self.check_images(self._conversation(conversation_id).settings, attachments)
        async for event in self._ask(conversation_id, text, attachments, replacing=message_id):
            yield event

    async def purge_deleted(self, older_than: float | None = None) -> int:
        """Remove deleted conversations and messages for good, then image files no message uses."""
        count = await _done(self.store.purge_deleted(older_than))
        await self.collect_attachments()
        return count

    async def purge_conversation(self, conversation_id: int) -> None:
        """Delete forever one conversation in the trash, with its images no other message uses."""
        await _done(self.store.purge_conversation(conversation_id))
        await self.collect_attachments()

    async def collect_attachments(self) -> None:
        if self.attachments is not None:
            await asyncio.to_thread(self.attachments.collect_garbage, self.store)

    async def continue_reply(
        self, conversation_id: int, message_id: int
    ) -> AsyncIterator[EngineEvent]:
        """Carry on a reply that was cut off (output limit, stop, dropped stream) in place.

        The new text is appended to the same message. Models with partial mode get the old text
        as a prefix to continue; others are asked to carry on without repeating it.
        """
        self._claim(conversation_id)
        try:
            await _done(self.store.flush())
            path = self._stored(conversation_id)
            index = _position(path, message_id)
            cut = path[index]
            if cut.role is not Role.ASSISTANT or not cut.content or cut.meta.get("tool_calls"):
                raise e.ConfigError("There is no partial reply to continue.")
            earlier = path[:index]
            asked = max((i for i, m in enumerate(earlier) if m.role is Role.USER), default=None)
            if asked is None:
                raise e.ConfigError("There is no question before this reply to continue.")
            question = earlier[asked]
            settings = self._conversation(conversation_id).settings
            new = self._user_message(settings, question.content, question.attachments)
            new = await self._with_documents(settings, new, question.attachments, earlier[:asked])
            history = await self._loaded_history(earlier[:asked], settings)
            request, context = await self.build_request(conversation_id, settings, history, new)
            between = usable_history(await self._loaded_history(earlier[asked + 1:], settings))
            tail: tuple[WireMessage, ...] = tuple(item.wire() for item in between)
            info = self.catalog.get(settings.model)
            if supports_prefix(info) and request.protocol is not Protocol.RESPONSES:
                tail += (WireMessage(Role.ASSISTANT, cut.content, partial=True),)
                thinking: dict[str, Any] = (
                    {"enable_thinking": False, "thinking_budget": None}
                    if request.enable_thinking is not None else {}
                )
            else:
                tail += (WireMessage(Role.ASSISTANT, cut.content), WireMessage(Role.USER, CONTINUE_PROMPT))
                thinking = {}
            request = replace(request, messages=(*request.messages, *tail), **thinking)
            run = _ReplyRun(self.store, cut.id, self._clock, request, earlier=cut)
            async for event in self._stream(
                conversation_id, settings, request, context, run, allow_tools=False,
            ):
                yield event
        finally:
            self._active.discard(conversation_id)

    def _conversation(self, conversation_id: int) -> Any:
        conversation = self.store.conversation(conversation_id)
        if conversation is None or conversation.deleted_at is not None:
            raise e.ConfigError("This conversation no longer exists.")
        return conversation

    def _claim(self, conversation_id: int) -> None:
        if conversation_id in self._active:
            raise BusyError()
        if self.store.busy_elsewhere(conversation_id):
            raise BusyError(BUSY_ELSEWHERE)
        self._active.add(conversation_id)

    async def _reply(
        self, conversation_id: int, prepared: tuple[ChatRequest, BuiltContext],
        rebuild: Rebuild | None = None, text: str = "", parent: int = ACTIVE_LEAF,
    ) -> AsyncIterator[EngineEvent]:
        """Stream one reply to a request built (and checked) before anything was stored.

        When the model asks for tools, each round is its own assistant message followed by one
        ``tool`` message per call, and the next request carries both, until the model answers.
        """
        settings = self._conversation(conversation_id).settings
        request, context = prepared
        for sentence in plan_thinking(self.model(settings), settings, text).notices:
            yield ModelNotice(settings.model, sentence)
        tools = await self.tools.tools_for(settings) if self.tools is not None else {}
        if tools:
            request = replace(
                request, tools=tuple(tool.definition() for tool in tools.values()),
                extra={**request.extra, "tool_choice": "auto"},
            )
        for round_number in range(self.max_tool_rounds + 1):
            run = _ReplyRun(self.store, 0, self._clock, request, _counted_input(context, round_number))
            allow_tools = round_number < self.max_tool_rounds
            again = rebuild if round_number == 0 else None
            async for event in self._round(
                conversation_id, settings, request, context, run, allow_tools, again, parent,
            ):
                yield event
            parent = ACTIVE_LEAF
            request, context = run.request or request, run.context or context
            calls = run.tool_calls.calls if run.tool_calls is not None else ()
            if not run.completed or not calls:
                return
            results: list[WireMessage] = []
            async for tool_event in self._run_tools(conversation_id, run.message_id, tools, calls, results):
                yield tool_event
            said = WireMessage(Role.ASSISTANT, run.content, tool_calls=calls)
            kept = run.finish.response_id if run.finish is not None else None
            if request.protocol is Protocol.RESPONSES and kept:
                request = replace(request, previous_response_id=kept, messages=tuple(results))
            else:
                request = replace(request, messages=(*request.messages, said, *results))

    def _thinks_unasked(self, settings: ConversationSettings, request: ChatRequest) -> ModelNotice | None:
        """Reasoning arrived although thinking was not asked for: the model thinks by default."""
        if request.enable_thinking is not None:
            return None
        learned = self.facts.learn(settings.region_id, settings.model, FactKind.THINKS_BY_DEFAULT, "1")
        if learned is None:
            return None
        return ModelNotice(settings.model, learned.sentence, FactKind.THINKS_BY_DEFAULT.value, "1")

    async def _adapted(
        self, settings: ConversationSettings, request: ChatRequest, lesson: Lesson,
        rebuild: Rebuild | None,
    ) -> tuple[ChatRequest, BuiltContext | None] | None:
        """The same question asked again the way the service just said it must be; None if it cannot be."""
        if not lesson.retry:
            return None
        info = self.model(settings)
        if lesson.kind is FactKind.MAX_INPUT:
            if rebuild is None:
                return None
            rebuilt, context = await rebuild()
            return replace(rebuilt, tools=request.tools, extra=request.extra), context
        if lesson.kind is FactKind.NATIVE_PATH:
            changed = replace(request, vision=info.native_path == "multimodal")
        else:
            plan = plan_thinking(info, settings)
            changed = replace(request, enable_thinking=plan.enable_thinking, thinking_budget=plan.budget)
        if changed == request:
            return None
        return changed, None

    def _after_lesson(self, settings: ConversationSettings, lesson: Lesson, error: e.QwenError) -> e.QwenError:
        if lesson.kind is FactKind.TEXT_ONLY:
            return VisionRequiredError(settings.model, self.vision_suggestion())
        return error

    def _run_tools(
        self, conversation_id: int, message_id: int, tools: dict[str, Tool],
        calls: Sequence[Any], results: list[WireMessage],
    ) -> AsyncIterator[EngineEvent]:
        assert self.tools is not None
        return run_calls(
            tools=tools, gate=self.tools.gate, store=self.store, conversation_id=conversation_id,
            message_id=message_id, calls=calls, results=results, clock=self._clock,
        )

    async def _round(
        self, conversation_id: int, settings: ConversationSettings, request: ChatRequest,
        context: BuiltContext, run: _ReplyRun, allow_tools: bool, rebuild: Rebuild | None = None,
        parent: int = ACTIVE_LEAF,
    ) -> AsyncIterator[EngineEvent]:
        mid = await _done(self.store.add_message(
            conversation_id, Role.ASSISTANT, "", status=MessageStatus.STREAMING,
            model=settings.model, parent=parent,
        ))
        run.message_id = mid
        await _done(self.store.update_message(mid, context=_context_record(context, request)))
        async for event in self._stream(conversation_id, settings, request, context, run, allow_tools, rebuild):
            yield event

    async def _stream(
        self, conversation_id: int, settings: ConversationSettings, request: ChatRequest,
        context: BuiltContext, run: _ReplyRun, allow_tools: bool, rebuild: Rebuild | None = None,
    ) -> AsyncIterator[EngineEvent]:
        mid = run.message_id
        if run.earlier is not None:
            await _done(self.store.update_message(
                mid, status=MessageStatus.STREAMING, model=request.model, error=None,
            ))
        log.info("reply %s: %s over %s to region %s (%d messages)", mid, request.model,
                 request.protocol.value, settings.region_id, len(request.messages))
        yield ReplyStarted(mid, request.model)
        adapted = False
        try:
            while True:
                try:
                    async for event in self.client.stream(request):
                        if isinstance(event, ReasoningDelta) and not run.produced:
                            notice = self._thinks_unasked(settings, request)
                            if notice is not None:
                                yield notice
                        run.observe(event)
                        if isinstance(event, (ReasoningDelta, ContentDelta)):
                            yield event
                        elif isinstance(event, SourcesFound):
                            yield SourcesFound(run.sources)
                        elif isinstance(event, ServerToolUpdate):
                            for tool_event in run.server_tool(event):
                                yield tool_event
                    break
                except e.ResponseExpiredError:
                    if request.previous_response_id is None or run.started:
                        raise
                    log.info("reply %s: response %s is gone, sending the history", mid,
                             request.previous_response_id)
                    request, context = await self._unchained(conversation_id, settings, request, mid)
                    run.request, run.context = request, context
                    await _done(self.store.update_message(mid, context=_context_record(context, request)))
                except e.QwenError as error:
                    lesson = None if adapted or run.produced else lesson_from_error(error, request)
                    if lesson is None:
                        raise
                    adapted = True
                    learned = self.facts.learn(settings.region_id, settings.model, lesson.kind, lesson.value)
                    if learned is not None:
                        yield ModelNotice(settings.model, learned.sentence, lesson.kind.value, lesson.value)
                    retry = await self._adapted(settings, request, lesson, rebuild)
                    if retry is None:
                        raise self._after_lesson(settings, lesson, error) from None
                    log.info("reply %s: asking again after learning %s", mid, lesson.kind.value)
                    request, rebuilt = retry
                    run.request = request
                    if rebuilt is not None:
                        context = rebuilt
                        run.counted_input = _counted_input(context, 0)
                        await _done(self.store.update_message(
                            mid, context=_context_record(context, request)))
            if run.tool_calls is not None and not allow_tools:
                raise ToolLoopLimitError.after(self.max_tool_rounds)
        except e.QwenError as error:
            log.warning("reply %s failed: %s", mid, error.to_json())
            if isinstance(error, e.ResponsesUnsupportedError):
                learned = self.facts.learn(settings.region_id, settings.model, FactKind.NO_RESPONSES, "1")
                if learned is not None:
                    yield ModelNotice(settings.model, learned.sentence, FactKind.NO_RESPONSES.value)
            if isinstance(error, e.SearchNotSupportedError):
                await _done(self.store.record_search_refusal(
                    settings.region_id, settings.model, error.server_message or error.sentence
                ))
            await run.fail(error)
            message = self.store.message(mid)
            assert message is not None
            yield ReplyFailed(message, error)
            return
        except BaseException:
            log.info("reply %s stopped", mid)
            await asyncio.shield(run.interrupt())
            raise
        await run.complete()
        await self._keep_response(conversation_id, settings, run)
        log.info("reply %s finished: %s", mid, run.usage)
        if run.tool_calls is None:
            self.context.round_completed(conversation_id, settings)
        message = self.store.message(mid)
        assert message is not None
        yield ReplyFinished(message)


    async def _keep_response(self, conversation_id: int, settings: ConversationSettings, run: _ReplyRun) -> None:
        """Remember the service's response id with a digest of the history it now holds."""
        kept = run.finish.response_id if run.finish is not None else None
        if settings.protocol is not Protocol.RESPONSES or not kept or run.earlier is not None:
            return  # a reply continued in place holds more than that response does
        history = [m for m in self.store.messages(conversation_id) if m.id <= run.message_id]
        message = self.store.message(run.message_id)
        meta = dict(message.meta) if message is not None else {}
        meta["response"] = kept_record(kept, history, settings.system_prompt)
        await _done(self.store.update_message(run.message_id, meta=meta))


def _counted_input(context: BuiltContext, round_number: int) -> int | None:
    """The request's input tokens as counted here (first round only: tool rounds add more)."""
    tokens = context.notes.get("tokens")
    if round_number or not isinstance(tokens, dict) or not isinstance(tokens.get("total"), int):
        return None
    return int(tokens["total"])


def _position(path: Sequence[Message], message_id: int) -> int:
    for index, message in enumerate(path):
        if message.id == message_id:
            return index
    raise e.ConfigError("This message is not in the conversation as shown; open it again.")


def _context_record(context: BuiltContext, request: ChatRequest) -> dict[str, object]:
    return {
        "message_ids": list(context.included_ids),
        "system": any(m.role is Role.SYSTEM for m in request.messages),
        "count": len(request.messages),
        "parameters": sent_parameters(request),
        **context.notes,
    }


def sent_parameters(request: ChatRequest) -> dict[str, object]:
    """The generation parameters a request carried, under their wire names (nothing = model defaults)."""
    sent: dict[str, object] = {}
    if request.enable_thinking is not None:
        sent["enable_thinking"] = request.enable_thinking
    if request.thinking_budget is not None:
        sent["thinking_budget"] = request.thinking_budget
    if request.temperature is not None:
        sent["temperature"] = request.temperature
    if request.max_tokens is not None:
        sent["max_tokens"] = request.max_tokens
    sent.update({k: v for k, v in request.extra.items() if k in GENERATION_WIRE_NAMES})
    return sent


class _ReplyRun:
    """Bookkeeping for one streaming reply: writes deltas through the store as they arrive."""

    def __init__(
        self, store: Store, message_id: int, clock: Callable[[], float],
        request: ChatRequest | None = None, counted_input: int | None = None,
        earlier: Message | None = None,
    ) -> None:
        """``earlier``: the stored reply this run continues, whose usage and time it adds to."""
        self.store = store
        self.message_id = message_id
        self.earlier = earlier
        self.clock = clock
        self.request = request
        self.context: BuiltContext | None = None
        self.counted_input = counted_input
        self.server_calls: dict[str, dict[str, Any]] = {}
        self._server_started: dict[str, float] = {}
        self.sources: tuple[Source, ...] = ()
        self.usage: Usage | None = None
        self.finish: Finished | None = None
        self.tool_calls: ToolCallsReady | None = None
        self.has_content = False
        self.produced = False
        self.completed = False
        self._content: list[str] = []
        self._reasoning_started: float | None = None
        self.reasoning_ms: int | None = None

    def observe(self, event: object) -> None:
        if isinstance(event, (ReasoningDelta, ContentDelta)):
            self.produced = True
        if isinstance(event, ReasoningDelta):
            if self._reasoning_started is None:
                self._reasoning_started = self.clock()
            self.store.append_stream(self.message_id, reasoning=event.text)
        elif isinstance(event, ContentDelta):
            self._end_reasoning()
            self.has_content = True
            self._content.append(event.text)
            self.store.append_stream(self.message_id, content=event.text)
        elif isinstance(event, UsageUpdate):
            self.usage = event.usage
        elif isinstance(event, SourcesFound):
            self.sources = merge_sources(self.sources, event.sources)
        elif isinstance(event, Finished):
            self.finish = event
        elif isinstance(event, ToolCallsReady):
            self.tool_calls = event

    @property
    def content(self) -> str:
        return "".join(self._content)

    @property
    def started(self) -> bool:
        """Something of the reply arrived (so it cannot be asked again from the start)."""
        return self.produced or bool(self.server_calls)

    def server_tool(self, update: ServerToolUpdate) -> list[ToolCallStarted | ToolCallFinished]:
        """A tool the service ran, as the same events (and stored record) as the app's own tools."""
        title = SERVER_TOOL_TITLES.get(update.tool, update.tool)
        events: list[ToolCallStarted | ToolCallFinished] = []
        if update.call_id not in self._server_started:
            self._server_started[update.call_id] = self.clock()
            self.server_calls[update.call_id] = {"id": update.call_id, "name": update.tool, "title": title,
                                                 "arguments": update.arguments}
            events.append(ToolCallStarted(self.message_id, ToolCall(update.call_id, update.tool, ""), title))
        if update.done:
            duration = int((self.clock() - self._server_started[update.call_id]) * 1000)
            self.server_calls[update.call_id].update(
                arguments=update.arguments, result=update.result, error=update.error, duration_ms=duration,
            )
            call = ToolCall(update.call_id, update.tool, update.arguments)
            events.append(ToolCallFinished(self.message_id, call, update.result, update.error, duration))
        return events

    def _server_meta(self) -> dict[str, Any]:
        return {"server_tools": list(self.server_calls.values())} if self.server_calls else {}

    def _end_reasoning(self) -> None:
        if self._reasoning_started is not None and self.reasoning_ms is None:
            self.reasoning_ms = int((self.clock() - self._reasoning_started) * 1000)

    def _fields(self) -> dict[str, Any]:
        self._end_reasoning()
        fields: dict[str, Any] = {"reasoning_ms": self.reasoning_ms}
        usage = self._usage()
        if usage is not None:
            fields["usage"] = usage
        earlier = self.earlier
        if earlier is not None:
            if earlier.reasoning_ms is not None:
                fields["reasoning_ms"] = earlier.reasoning_ms + (self.reasoning_ms or 0)
            if earlier.usage is not None:
                fields["usage"] = earlier.usage + usage if usage is not None else earlier.usage
        return fields

    def _meta(self, **changes: Any) -> dict[str, Any]:
        """A continued reply keeps its earlier meta and counts its continuations."""
        if self.earlier is None:
            return changes
        meta = {k: v for k, v in self.earlier.meta.items() if k not in ("finish_reason", "stopped")}
        meta["continued"] = int(meta.get("continued") or 0) + 1
        return {**meta, **changes}

    def _usage(self) -> Usage | None:
        """The billed usage, with the input the search results added when search was on."""
        usage, search = self.usage, self.request.search if self.request else None
        if usage is None or search is None or self.counted_input is None:
            return usage
        return replace(usage, search_tokens=max(0, usage.input_tokens - self.counted_input))

    def _search_meta(self) -> dict[str, Any]:
        request = self.request
        if request is None or request.search is None:
            return {}
        record: dict[str, Any] = {
            "mode": "always" if request.search.forced else "auto",
            "strategy": request.search.strategy,
            "protocol": request.protocol.value,
        }
        used = strategy(request.search.strategy)
        price = used.price(request.endpoint.region_id) if used is not None else None
        if price is not None:
            record["fee_per_search"], record["currency"] = price
        if request.protocol is Protocol.OPENAI:
            record["sources_unavailable"] = True
        return {"search": record}

    async def _store_sources(self) -> None:
        if self.sources:
            if self.earlier is not None:
                self.sources = merge_sources(self.earlier.sources, self.sources)
            await _done(self.store.set_sources(self.message_id, self.sources))

    async def complete(self) -> None:
        meta: dict[str, Any] = {**self._search_meta(), **self._server_meta()}
        if self.finish is not None:
            meta.update(finish_reason=self.finish.reason, request_id=self.finish.request_id)
        meta = self._meta(**meta)
        if self.tool_calls is not None:
            meta["tool_calls"] = [call.to_json() for call in self.tool_calls.calls]
        await self._store_sources()
        await _done(self.store.flush())
        await _done(self.store.update_message(
            self.message_id, status=MessageStatus.COMPLETE, meta=meta, **self._fields()
        ))
        self.completed = True

    async def fail(self, error: e.QwenError) -> None:
        await self._store_sources()
        await _done(self.store.flush())
        has_content = self.has_content or (self.earlier is not None and bool(self.earlier.content))
        status = MessageStatus.INTERRUPTED if has_content else MessageStatus.ERROR
        await _done(self.store.update_message(
            self.message_id, status=status, error=error.to_json(), **self._fields(),
            **({"meta": self._meta(**self._server_meta())} if self.server_calls or self.earlier else {}),
        ))

    async def interrupt(self) -> None:
        await self._store_sources()
        await _done(self.store.flush())
        await _done(self.store.update_message(
            self.message_id, status=MessageStatus.INTERRUPTED,
            meta=self._meta(stopped=True, **self._search_meta(), **self._server_meta()),
            **self._fields(),
        ))
