"""Ranking engines behind one small protocol (parameters in ``index.retrieval.params``).

rank-bm25 is the reference engine; ``index.retrieval.sparse_engine.SparseEngine`` is the fast
default, tested to rank identically (same scores, same ties).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from index.retrieval.params import BM25Params, Variant, lucene_idf

Scores = npt.NDArray[np.float64]


class RankingEngine(Protocol):
    """Scores passages for a query; passage ``i`` is row ``i`` of the tokenized corpus.

    ``top_k(terms, k)`` must equal ``top_k(scores(terms), k)``; an engine implements it directly
    so that it never has to materialise a score for every passage.
    """

    def scores(self, terms: Sequence[str]) -> Scores: ...

    def top_k(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]: ...


class _LuceneIdfOkapi(BM25Okapi):  # type: ignore[misc]  # rank-bm25 ships no type hints
    """rank-bm25's Okapi scoring with Lucene's always-positive idf."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.idf = {word: lucene_idf(self.corpus_size, freq) for word, freq in nd.items()}
        self.average_idf = sum(self.idf.values()) / max(len(self.idf), 1)


# rank-bm25's class for each variant, built from the shared parameters.
_REFERENCE: dict[Variant, Callable[[list[list[str]], BM25Params], Any]] = {
    "lucene": lambda corpus, p: _LuceneIdfOkapi(corpus, k1=p.k1, b=p.b),
    "okapi": lambda corpus, p: BM25Okapi(corpus, k1=p.k1, b=p.b),
    "plus": lambda corpus, p: BM25Plus(corpus, k1=p.k1, b=p.b, delta=p.delta),
    "l": lambda corpus, p: BM25L(corpus, k1=p.k1, b=p.b, delta=p.delta),
}


class ReferenceEngine:
    """The rank-bm25 engine: simple and well known, scores every passage in Python per query."""

    def __init__(self, corpus: Sequence[Sequence[str]], params: BM25Params = BM25Params()) -> None:
        self.params = params
        self.size = len(corpus)
        # rank-bm25 divides by the mean length: give an all-empty corpus one dummy term.
        safe = [list(doc) for doc in corpus] if any(corpus) else [["\x00"] for _ in corpus]
        if not safe:
            self._bm25 = None
            return
        self._bm25 = _REFERENCE[params.variant](safe, params)

    def scores(self, terms: Sequence[str]) -> Scores:
        if self._bm25 is None:
            return np.zeros(0)
        return np.asarray(self._bm25.get_scores(list(terms)), dtype=np.float64)

    def top_k(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        return top_k(self.scores(terms), k)


def top_k(scores: Scores, k: int) -> list[tuple[int, float]]:
    """The ``k`` best positive scores, best first, ties broken by the earlier passage."""
    return select_top(np.arange(scores.size), scores, k)


def select_top(
    ids: npt.NDArray[np.integer[Any]], values: Scores, k: int
) -> list[tuple[int, float]]:
    """The ``k`` best positive ``values`` with their (distinct) ``ids``, ties to the lower id."""
    if k <= 0 or ids.size == 0:
        return []
    kth = kth_largest(values, k) if ids.size > k else 0.0
    keep = values >= kth if kth > 0 else values > 0  # all ties with the k-th are kept
    ids, values = ids[keep], values[keep]
    order = np.lexsort((ids, -values))[:k]
    return [(int(ids[i]), float(values[i])) for i in order]


def kth_largest(values: Scores, k: int) -> float:
    """The ``k``-th largest of ``values`` (``1 <= k <= values.size``), without a partition.

    numpy's partition is slower than a full sort on this project's machines (its AVX-512
    selection path); the k-th largest of a strided sample is a lower bound of the true one, so
    sorting the sample and then only the values at or above its bound gives the exact answer.
    """
    step = values.size // max(32 * k, 1024)
    if step >= 2:
        bound = np.sort(values[::step])[-k]
        values = values[values >= bound]
    return float(np.sort(values)[-k])
