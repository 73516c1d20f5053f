"""Documents on their way into a request: stored beside the images, sent whole when they fit the
model's window, otherwise as the excerpts most relevant to the question.

Relevance uses the embedding model the retrieval context policy uses; the chunks' vectors are kept
beside the document (``<sha>.<model>.<dims>.npy``) so a document is embedded once. When embedding
fails, a word-overlap ranking stands in and the request says so.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..attachments import AttachmentStore
from ..files import FileRefusedError, read_bounded, write_atomically
from ..images import AttachmentMissingError
from .model import Document, DocumentError
from .read import MAX_DOCUMENT_BYTES, load_document, read_document

log = logging.getLogger(__name__)

MIMES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv", "html": "text/html", "markdown": "text/markdown", "text": "text/plain", "code": "text/plain",
}
CHUNK_CHARS = 3_000
WHOLE_SHARE = 0.4
"""A document is sent whole while it takes at most this share of the model's input window."""
EXCERPT_SHARE = 0.25
"""Excerpts of the large documents take at most this share of the window."""
MAX_EXCERPT_TOKENS = 24_000


def excerpt_budget(max_input: int) -> int:
    """The most the excerpts of long documents take in one request."""
    return min(MAX_EXCERPT_TOKENS, int(max_input * EXCERPT_SHARE))

EMBED_BATCH = 10
Embed = Callable[[list[str]], Awaitable[Sequence[Sequence[float]]]]


def is_document(ref: Mapping[str, Any]) -> bool:
    return ref.get("kind") == "document"


def images_only(refs: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [r for r in refs if not is_document(r)]


def documents_only(refs: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [r for r in refs if is_document(r)]


def estimate_tokens(text: str) -> int:
    """Qwen's tokenizer gives about 3.5 characters a token in English and 1.4 in Chinese."""
    wide = len(_WIDE.findall(text))
    return math.ceil((len(text) - wide) / 3.5 + wide / 1.4)


@dataclass(frozen=True)
class Chunk:
    document: str
    first: int
    last: int
    text: str
    unit: str | None

    @property
    def where(self) -> str:
        if self.unit is None:
            return f"part {self.first}"
        return f"{self.unit} {self.first}" if self.first == self.last else f"{self.unit}s {self.first}-{self.last}"


def chunks(document: Document) -> list[Chunk]:
    """Pieces of about ``CHUNK_CHARS`` characters that never straddle a page they don't name."""
    out: list[Chunk] = []
    pending: list[tuple[int, str]] = []

    def flush() -> None:
        if pending:
            out.append(Chunk(document.name, pending[0][0], pending[-1][0],
                             "\n\n".join(t for _, t in pending), document.unit))
            pending.clear()

    for section in document.sections:
        text = section.text.strip()
        if not text:
            continue
        if document.unit is not None and section.title:
            text = f"{section.title}\n{text}"
        pieces = _split(text) if len(text) > CHUNK_CHARS else [text]
        for piece in pieces:
            if pending and sum(len(t) for _, t in pending) + len(piece) > CHUNK_CHARS:
                flush()
            pending.append((section.number, piece))
    flush()
    if document.unit is None:
        out = [Chunk(c.document, i, i, c.text, None) for i, c in enumerate(out, start=1)]
    return out


def _split(text: str) -> list[str]:
    pieces, current = [], ""
    for paragraph in re.split(r"(\n\s*\n)", text):
        while len(paragraph) > CHUNK_CHARS:
            cut = paragraph.rfind("\n", 0, CHUNK_CHARS)
            cut = cut if cut > CHUNK_CHARS // 2 else CHUNK_CHARS
            pieces.append((current + paragraph[:cut]).strip())
            current, paragraph = "", paragraph[cut:]
        if len(current) + len(paragraph) > CHUNK_CHARS and current.strip():
            pieces.append(current.strip())
            current = ""
        current += paragraph
    if current.strip():
        pieces.append(current.strip())
    return pieces


@dataclass
class Excerpts:
    text: str = ""
    sent: dict[str, list[str]] = field(default_factory=dict)
    """Document name → the pages (or parts) that went."""
    notices: list[str] = field(default_factory=list)


class DocumentLibrary:
    """Reads stored documents (once, cached) and decides what of them a request carries."""

    def __init__(self, attachments: AttachmentStore, *, cache_size: int = 8,
                 count_tokens: Callable[[str], int] = estimate_tokens) -> None:
        self.attachments = attachments
        self.count_tokens = count_tokens
        """What a stored document's ``tokens`` are counted with (the Qwen tokenizer in the app): the
        meter counts an earlier document by it without reading the file again."""
        self._cache: OrderedDict[str, Document] = OrderedDict()
        self._cache_size = cache_size

    # ---- storing

    def add(self, path: Path, *, password: str | None = None) -> tuple[dict[str, Any], Document]:
        """Read the file locally and store it; DocumentError says why it cannot be."""
        document, data = load_document(path, password=password)
        return self.save(document, data), document

    def save(self, document: Document, data: bytes) -> dict[str, Any]:
        ref = {
            "kind": "document", "sha256": document.sha256, "mime": MIMES.get(document.kind, "application/octet-stream"),
            "name": document.name, "bytes": len(data), "format": document.kind,
            "sections": len(document.sections), "unit": document.unit, "scanned": document.scanned,
            "tokens": self.count_tokens(document.text), "notes": list(document.notes),
        }
        target = self.attachments.path(ref)
        if not (target.is_file() and target.stat().st_size == len(data)):
            self.attachments.write(target, data)
        self._remember(document)
        return ref

    # ---- reading

    def load(self, ref: Mapping[str, Any]) -> Document:
        sha = str(ref.get("sha256"))
        found = self._cache.get(sha)
        if found is not None:
            self._cache.move_to_end(sha)
            return found
        name = str(ref.get("name") or "document")
        try:
            data = read_bounded(self.attachments.path(ref), MAX_DOCUMENT_BYTES)
        except (FileRefusedError, KeyError, ValueError):
            raise AttachmentMissingError(name) from None
        if Document.digest(data) != sha:
            raise AttachmentMissingError(name, "was changed on disk")
        document = read_document(data, name)
        self._remember(document)
        return document

    def _remember(self, document: Document) -> None:
        self._cache[document.sha256] = document
        self._cache.move_to_end(document.sha256)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    # ---- what goes into a request

    @staticmethod
    def fits_whole(ref: Mapping[str, Any], max_input: int) -> bool:
        return int(ref.get("tokens") or 0) <= max(4_000, int(max_input * WHOLE_SHARE))

    def whole(self, ref: Mapping[str, Any]) -> str:
        try:
            document = self.load(ref)
        except (AttachmentMissingError, DocumentError) as error:
            return f"[document: {ref.get('name')} — {error.sentence if isinstance(error, DocumentError) else 'no longer on disk'}]"
        return f"<document name=\"{document.name}\" ({document.describe()})>\n{document.text}\n</document>"

    @staticmethod
    def counted(ref: Mapping[str, Any], max_input: int) -> tuple[str, int]:
        """For counting without reading the file: the line standing for a long document, or for one
        sent whole its stored token estimate and the wrapper around its text."""
        if not DocumentLibrary.fits_whole(ref, max_input):
            return DocumentLibrary.placeholder(ref), 0
        about = f'{ref.get("format")}, {ref.get("sections")} {ref.get("unit")}'
        wrapper = f'<document name="{ref.get("name")}" ({about})>'
        return "", int(ref.get("tokens") or 0) + estimate_tokens(wrapper + "\n\n</document>")

    @staticmethod
    def placeholder(ref: Mapping[str, Any]) -> str:
        return (f"[document: {ref.get('name')} — too long to send whole; the passages relevant to each "
                "question are sent with it]")

    async def excerpts(
        self, refs: Sequence[Mapping[str, Any]], question: str, max_input: int,
        embed: Embed | None, vector_key: str,
    ) -> Excerpts:
        """The chunks of ``refs`` most relevant to ``question``, within the excerpt budget."""
        result = Excerpts()
        pool: list[tuple[Chunk, Mapping[str, Any]]] = []
        for ref in refs:
            try:
                document = await asyncio.to_thread(self.load, ref)
            except (AttachmentMissingError, DocumentError) as error:
                result.notices.append(f"{ref.get('name')} could not be read: {error.sentence}")
                continue
            pool.extend((chunk, ref) for chunk in chunks(document))
        if not pool:
            return result
        order = await self._ranked(pool, question, embed, vector_key, result)
        budget = excerpt_budget(max_input)
        chosen: list[Chunk] = []
        used = 0
        for index in order:
            chunk = pool[index][0]
            cost = estimate_tokens(chunk.text)
            if used + cost > budget and chosen:
                continue
            chosen.append(chunk)
            used += cost
            if used >= budget:
                break
        by_document: dict[str, list[Chunk]] = {}
        for chunk in chosen:
            by_document.setdefault(chunk.document, []).append(chunk)
        blocks = []
        for name, picked in by_document.items():
            picked.sort(key=lambda c: c.first)
            result.sent[name] = [c.where for c in picked]
            body = "\n\n".join(f"[{c.where}]\n{c.text}" for c in picked)
            blocks.append(f"<document name=\"{name}\" excerpts=\"{', '.join(result.sent[name])}\">\n{body}\n</document>")
        result.text = "\n\n".join(blocks)
        return result

    async def _ranked(self, pool: list[tuple[Chunk, Mapping[str, Any]]], question: str,
                      embed: Embed | None, vector_key: str, result: Excerpts) -> list[int]:
        if embed is not None and question.strip():
            try:
                return await self._by_embedding(pool, question, embed, vector_key)
            except Exception as error:  # noqa: BLE001 - any failure falls back to word overlap
                sentence = getattr(error, "sentence", None) or "the embedding model did not answer"
                result.notices.append(f"Finding the relevant passages by meaning failed ({sentence}); "
                                      "passages were chosen by shared words instead.")
        return by_words([c.text for c, _ in pool], question)

    async def _by_embedding(self, pool: list[tuple[Chunk, Mapping[str, Any]]], question: str,
                            embed: Embed, vector_key: str) -> list[int]:
        import numpy as np

        matrices = []
        start = 0
        while start < len(pool):
            ref = pool[start][1]
            end = start
            while end < len(pool) and pool[end][1] is ref:
                end += 1
            matrices.append(await self._vectors(ref, [c.text for c, _ in pool[start:end]], embed, vector_key))
            start = end
        matrix = np.vstack(matrices)
        query = np.asarray((await embed([question[:6_000]]))[0], dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        scores = np.einsum("ij,j->i", matrix, query)
        return [int(i) for i in np.argsort(-scores, kind="stable")]

    async def _vectors(self, ref: Mapping[str, Any], texts: list[str], embed: Embed, vector_key: str):  # type: ignore[no-untyped-def]
        import numpy as np

        path = self.attachments.path(ref).with_suffix(f".{vector_key}.npy")
        if path.is_file():
            try:
                cached = np.load(path, allow_pickle=False)
                if cached.shape[0] == len(texts):
                    return cached
            except (OSError, ValueError):
                pass
        rows: list[Sequence[float]] = []
        for begin in range(0, len(texts), EMBED_BATCH):
            rows.extend(await embed(texts[begin:begin + EMBED_BATCH]))
        matrix = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        matrix = matrix / norms
        buffer = io.BytesIO()
        np.save(buffer, matrix, allow_pickle=False)
        await asyncio.to_thread(write_atomically, path, buffer.getvalue())
        return matrix


_WORD = re.compile(r"\w+", re.UNICODE)
_WIDE = re.compile("[\u2e80-\U0002ffff]")


def _terms(text: str) -> list[str]:
    """Words of two or more letters; runs of CJK characters as overlapping pairs (no spaces there)."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    if _WIDE.search(lowered) is None:
        return [word for word in words if len(word) > 1]
    out: list[str] = []
    for word in words:
        if _WIDE.search(word) is None:
            if len(word) > 1:
                out.append(word)
        else:
            out.extend(word[i:i + 2] for i in range(max(1, len(word) - 1)))
    return out


def by_words(texts: Sequence[str], question: str) -> list[int]:
    """Indexes of ``texts`` by BM25 score against ``question``, best first."""
    query = set(_terms(question))
    documents = [Counter(_terms(t)) for t in texts]
    lengths = [sum(d.values()) for d in documents]
    count = len(documents)
    average = sum(lengths) / max(1, count)
    frequency = {term: sum(1 for d in documents if term in d) for term in query}
    weights = {term: math.log(1 + (count - n + 0.5) / (n + 0.5)) for term, n in frequency.items() if n}
    scores = []
    for index, counts in enumerate(documents):
        norm = 1.2 * (0.25 + 0.75 * lengths[index] / max(1.0, average))
        score = 0.0
        for term, weight in weights.items():
            tf = counts.get(term, 0)
            if tf:
                score += weight * tf * 2.2 / (tf + norm)
        scores.append((-score, index))
    return [index for _, index in sorted(scores)]


def describe_ref(ref: Mapping[str, Any]) -> str:
    parts = [str(ref.get("name") or "document")]
    if ref.get("unit") and ref.get("sections"):
        count = int(ref["sections"])
        parts.append(f"{count} {ref['unit']}{'' if count == 1 else 's'}")
    return ", ".join(parts)
