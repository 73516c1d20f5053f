"""Text embeddings over either protocol."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import openai
from dashscope import TextEmbedding

from .. import errors as e
from ..types import Endpoint
from .errors_map import api_error
from .openai_transport import translate


async def embed_openai(
    client: openai.AsyncOpenAI, model: str, texts: list[str], dimensions: int, hint: str | None
) -> list[list[float]]:
    try:
        result = await client.embeddings.create(
            model=model, input=texts, dimensions=dimensions, encoding_format="float"
        )
    except openai.APIError as exc:
        raise translate(exc, hint) from None
    ordered = sorted(result.data, key=lambda item: item.index)
    return [list(item.embedding) for item in ordered]


async def embed_native(
    endpoint: Endpoint, model: str, texts: list[str], dimensions: int, hint: str | None
) -> list[list[float]]:
    def call() -> Any:
        return TextEmbedding.call(
            model=model, input=texts, api_key=endpoint.api_key,
            base_address=endpoint.native_url, dimension=dimensions,
        )

    try:
        response = await asyncio.to_thread(call)
    except (aiohttp.ClientError, OSError) as exc:
        raise e.NetworkError() from exc
    if response.status_code != 200:
        raise api_error(
            response.status_code, response.code, response.message,
            request_id=response.request_id, hint=hint,
        )
    items = sorted(response.output["embeddings"], key=lambda item: item["text_index"])
    return [list(item["embedding"]) for item in items]
