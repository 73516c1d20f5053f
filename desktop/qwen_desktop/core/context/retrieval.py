"""Round texts for the embedding model and a NumPy cosine search over stored round vectors.

NumPy is imported on first use: it costs a quarter of a second, kept off the start-up path.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from .history import HistoryItem
from .summarize import transcript
from .tables import RoundVectors

if TYPE_CHECKING:
    import numpy as np

EMBED_BATCH = 10
MAX_EMBED_CHARS = 6_000
"""Well under the 8,192-token input limit of text-embedding-v4 even for CJK text."""


def round_text(group: Sequence[HistoryItem]) -> str:
    return transcript([group])[:MAX_EMBED_CHARS] or " "


def unit_rows(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    import numpy as np

    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def rank(vectors: RoundVectors, query: np.ndarray, allowed: Collection[int], limit: int) -> list[int]:
    """Round ids among ``allowed``, most similar to ``query`` first, at most ``limit``.

    ``einsum`` rather than ``@``: a matrix-vector product through a multi-threaded BLAS pays
    milliseconds to wake its threads between sparse calls, more than the product itself.
    """
    if limit <= 0 or not len(vectors.round_ids) or not allowed:
        return []
    import numpy as np

    mask = np.isin(vectors.round_ids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
    if not mask.any():
        return []
    scores = np.einsum("ij,j->i", vectors.matrix, query.astype(np.float32))
    ids, scores = vectors.round_ids[mask], scores[mask]
    limit = min(limit, len(ids))
    top = np.argpartition(-scores, limit - 1)[:limit]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [int(i) for i in ids[top]]
