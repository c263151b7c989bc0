"""Ranking engines behind one small protocol, and the BM25 parameters they share.

rank-bm25 is the reference engine; ``index.retrieval.sparse_engine.SparseEngine`` is the fast
default, tested to rank identically (same scores, same ties). rank-bm25's ``BM25Okapi`` gives zero
idf to a term found in exactly half the sentences and floors negative idf at a fraction of the mean:
in one short article that is common, so the default variant here is Okapi term weighting with
Lucene's idf, ``log(1 + (N - n + 0.5) / (n + 0.5))``, which is positive for every term.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from index.retrieval.params import BM25Params, lucene_idf

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
        if params.variant == "lucene":
            self._bm25 = _LuceneIdfOkapi(safe, k1=params.k1, b=params.b)
        elif params.variant == "okapi":
            self._bm25 = BM25Okapi(safe, k1=params.k1, b=params.b)
        elif params.variant == "plus":
            self._bm25 = BM25Plus(safe, k1=params.k1, b=params.b, delta=params.delta)
        else:
            self._bm25 = BM25L(safe, k1=params.k1, b=params.b, delta=params.delta)

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
    kth = 0.0
    if ids.size > k:
        # partition finds the k-th best without sorting everything; keep all ties with it.
        kth = float(-np.partition(-values, k - 1)[k - 1])
    keep = values >= kth if kth > 0 else values > 0
    ids, values = ids[keep], values[keep]
    order = np.lexsort((ids, -values))[:k]
    return [(int(ids[i]), float(values[i])) for i in order]
