"""The fast engine: precomputed BM25 weights in term-major arrays, scored only where terms occur.

A query touches the postings of its own terms and nothing else: no pass over every passage, no
dense score array to sort. It ranks exactly like ``ReferenceEngine`` (rank-bm25) because the
weights are computed with rank-bm25's arithmetic (``index.retrieval.weights``) and summed here in
the same order, query term by query term, including BM25+'s constant for passages lacking a term.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from index.retrieval.engine import Scores, select_top
from index.retrieval.forward import ForwardIndex, forward_of
from index.retrieval.params import BM25Params
from index.retrieval.weights import Postings, postings_of

Int32s = npt.NDArray[np.int32]


class SparseEngine:
    """BM25 over ``Postings``; conforms to ``RankingEngine`` and adds a direct ``top_k``."""

    def __init__(self, vocabulary: Mapping[str, int], postings: Postings) -> None:
        self.vocabulary = vocabulary
        self.postings = postings
        self.size = postings.size
        self._local = threading.local()

    @classmethod
    def from_corpus(
        cls, corpus: Sequence[Sequence[str]], params: BM25Params = BM25Params()
    ) -> SparseEngine:
        """Build from analyzed passages, like ``ReferenceEngine`` (an ``EngineFactory``)."""
        return cls.from_forward(forward_of(corpus), params)

    @classmethod
    def from_forward(cls, forward: ForwardIndex, params: BM25Params) -> SparseEngine:
        vocabulary = {term: i for i, term in enumerate(forward.vocabulary)}
        return cls(vocabulary, postings_of(forward, params))

    def doc_freq(self, term: str) -> int:
        """How many passages contain ``term`` (the length of its postings)."""
        term_id = self.vocabulary.get(term)
        if term_id is None:
            return 0
        return int(self.postings.ptr[term_id + 1] - self.postings.ptr[term_id])

    def scores(self, terms: Sequence[str]) -> Scores:
        """Every passage's score, as the reference engine computes it (for parity and tests)."""
        total = np.zeros(self.size)
        for term_id in self._ids(terms):
            docs, weights = self._postings(term_id)
            contribution = np.full(self.size, self.postings.absent[term_id])
            contribution[docs] = weights
            total += contribution
        return total

    def top_k(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """``engine.top_k(self.scores(terms), k)``, touching only the terms' postings."""
        ids = self._ids(terms)
        if k <= 0 or not ids:
            return []
        if not self.postings.absent[ids].any():
            return self._top_k_additive(ids, k)
        values, seen, _ = self._scratch()
        touched: Int32s = np.zeros(0, dtype=np.int32)
        base = 0.0  # the score, so far, of every passage none of the terms occurred in
        try:
            for term_id in ids:
                touched, base = self._accumulate(term_id, values, seen, touched, base)
            candidates, found = touched, values[touched]
            if base > 0:  # BM25+: passages with none of the terms still score ``base``
                window = seen[: min(self.size, k + touched.size)]
                spare = np.flatnonzero(~window)[:k].astype(np.int32)
                candidates = np.concatenate([touched, spare])
                found = np.concatenate([found, np.full(spare.size, base)])
            return select_top(candidates, found, k)
        finally:
            values[touched] = 0.0
            seen[touched] = False

    def _top_k_additive(self, ids: list[int], k: int) -> list[tuple[int, float]]:
        """Lucene/Okapi: a passage lacking a term gets exactly 0.0 for it, so only add postings."""
        values, _, slot = self._scratch()
        parts: list[Int32s] = []
        try:
            for term_id in ids:
                docs, weights = self._postings(term_id)
                values[docs] += weights  # docs are distinct within one term
                parts.append(docs)
            found = parts[0] if len(parts) == 1 else np.concatenate(parts)
            if len(parts) > 1:
                # Keep each passage once without sorting: the last write of its position wins.
                positions = np.arange(found.size, dtype=np.int32)
                slot[found] = positions
                found = found[slot[found] == positions]
            scores = values[found]
            values[found] = 0.0
            return select_top(found, scores, k)
        except BaseException:
            for docs in parts:  # leave the scratch array zeroed whatever happened
                values[docs] = 0.0
            raise

    def _accumulate(
        self,
        term_id: int,
        values: Scores,
        seen: npt.NDArray[np.bool_],
        touched: Int32s,
        base: float,
    ) -> tuple[Int32s, float]:
        """Add one query term to every touched passage, in the reference's order of operations."""
        docs, weights = self._postings(term_id)
        fresh = docs[~seen[docs]]
        if fresh.size:
            values[fresh] = base
            seen[fresh] = True
            touched = np.concatenate([touched, fresh])
        absent = float(self.postings.absent[term_id])
        if absent:
            before = values[docs]
            values[touched] += absent
            values[docs] = before + weights
        else:
            values[docs] += weights
        return touched, base + absent

    def _ids(self, terms: Sequence[str]) -> list[int]:
        # Unknown terms add exactly 0.0 to every score in the reference engine: skip them.
        return [self.vocabulary[t] for t in terms if t in self.vocabulary]

    def _postings(self, term_id: int) -> tuple[Int32s, Scores]:
        lo, hi = int(self.postings.ptr[term_id]), int(self.postings.ptr[term_id + 1])
        return self.postings.docs[lo:hi], self.postings.weights[lo:hi]

    def _scratch(self) -> tuple[Scores, npt.NDArray[np.bool_], Int32s]:
        """Per-thread scores (zero between queries: reset only where touched), seen marks and
        a position slot per passage (stale values are never read)."""
        scratch: tuple[Scores, npt.NDArray[np.bool_], Int32s] | None = getattr(
            self._local, "scratch", None
        )
        if scratch is None:
            scratch = (
                np.zeros(self.size),
                np.zeros(self.size, dtype=np.bool_),
                np.zeros(self.size, dtype=np.int32),
            )
            self._local.scratch = scratch
        return scratch
