"""The fast engine: precomputed BM25 weights in term-major arrays, scored only where terms occur.

A query touches the postings of its own terms and nothing else: no pass over every passage, no
dense score array to sort. It ranks exactly like ``ReferenceEngine`` (rank-bm25) because the
weights are computed with rank-bm25's arithmetic (``index.retrieval.weights``) and summed here in
the same order, query term by query term, including BM25+'s constant for passages lacking a term.

A query over long lists (common words) is pruned MaxScore-style (``_top_k_pruned``): the lists
of its weightiest terms are scanned, the rest only looked up for the passages that can still
reach the top k, and those passages' scores are then summed in the reference's order.

The stored weights are quantized (``Postings``: int16 times a per-term scale, each within that
scale of the exact weight). Scanning sums them; every bound then carries the query's total
``slack`` (the sum of its terms' scales, plus a relative margin for float rounding), and the
passages that can still be in the top k are scored exactly from their counts and lengths
(``Postings.exact_weights``), summed in query order: the scores and ties are rank-bm25's.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from index.retrieval.engine import Scores, kth_largest, select_top
from index.retrieval.forward import ForwardIndex, forward_of
from index.retrieval.kernels import KERNEL, PostingsKernel, Terms
from index.retrieval.params import BM25Params
from index.retrieval.weights import Postings, exact_weights, postings_of

Int32s = npt.NDArray[np.int32]

# Below this many postings a query is cheap enough to scan whole (pruning has fixed costs).
PRUNE_FROM = 2_000
# Look for a floor only while the postings left outnumber those scanned this many times over:
# on the benchmark's corpora a skip rarely pays for the floor's cost unless the lists left are
# far longer (at 1M, p50 0.280 / 0.262 / 0.260 / 0.253 ms at 2 / 8 / 16 / never).
_CHECK_RATIO = 16.0
# Bounds compare float sums taken in another order than the reference's: a margin far wider
# than their rounding error (about 1e-15 relative) so no passage is dropped by rounding.
_MARGIN = 1e-9


def _floor(values: Scores, scanned: list[Int32s], k: int) -> float:
    """A lower bound of the k-th best final score: within one term's list passages are
    distinct, so the k-th best partial score in the first (weightiest) list is reached by k
    passages. Gathering the longer lists too costs more than their tighter bound saves."""
    docs = scanned[0]
    return kth_largest(np.take(values, docs), k) if docs.size >= k else 0.0


class SparseEngine:
    """BM25 over ``Postings``; conforms to ``RankingEngine`` and adds a direct ``top_k``."""

    def __init__(
        self,
        vocabulary: Mapping[str, int],
        postings: Postings,
        kernel: PostingsKernel | None = KERNEL,
    ) -> None:
        self.vocabulary = vocabulary
        self.postings = postings
        self.size = postings.size
        # Plain ndarray views of (possibly memory-mapped) arrays: slicing an np.memmap goes
        # through Python-level methods, and a query slices a few dozen times.
        self._ptr = np.asarray(postings.ptr)
        self._docs = np.asarray(postings.docs)
        self._weights = np.asarray(postings.weights)
        self._scale = np.asarray(postings.scale)
        self._error = np.asarray(postings.error)
        self._peak = np.asarray(postings.peak)
        self._absent = np.asarray(postings.absent)
        self._local = threading.local()
        # The compiled loops read the postings in place: only for the layout they are written
        # for (C-contiguous int32 passages and int16 weights), else the numpy path.
        usable = (
            self._docs.dtype == np.int32
            and self._weights.dtype == np.int16
            and self._docs.flags.c_contiguous
            and self._weights.flags.c_contiguous
        )
        self.kernel = kernel if usable else None
        self._tf = np.asarray(postings.tf)
        self._lengths = np.asarray(postings.lengths)
        self._idf = np.asarray(postings.idf)
        self._exact_layout = (
            postings.params.variant in ("lucene", "okapi")
            and self._tf.dtype == np.uint8
            and self._lengths.dtype == np.uint8
            and self._tf.flags.c_contiguous
            and self._lengths.flags.c_contiguous
            and self._idf.dtype == np.float64
        )

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
            docs, weights = self._exact_postings(term_id)
            contribution = np.full(self.size, self.postings.absent[term_id])
            contribution[docs] = weights
            total += contribution
        return total

    def scores_of(self, terms: Sequence[str], passage_ids: Sequence[int]) -> list[float]:
        """The scores of the passages ``passage_ids`` only (summed as ``top_k`` sums them)."""
        ids = self._ids(terms)
        candidates = np.asarray(passage_ids, dtype=np.int32)
        if ids and self._absent[ids].any():  # BM25+ / BM25L: a lacking term scores too
            return [float(x) for x in self.scores(terms)[candidates]]
        return [float(x) for x in self._exact(ids, candidates)]

    def top_k(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """``engine.top_k(self.scores(terms), k)``, touching only the terms' postings."""
        ids = self._ids(terms)
        if k <= 0 or not ids:
            return []
        if not self._absent[ids].any():
            if self.kernel is not None:
                return self._top_k_compiled(ids, k)
            if len(ids) > 1 and self._postings_count(ids) >= PRUNE_FROM:
                return self._top_k_pruned(ids, k)
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
        """Lucene/Okapi: a passage lacking a term gets exactly 0.0 for it, so only add postings;
        then score exactly the passages whose sum is within the slack of the k-th best."""
        values, _, slot = self._scratch()
        parts: list[Int32s] = []
        try:
            for term_id in ids:
                docs, weights = self._postings(term_id)
                # ufunc.at and take/put index with int32 directly; ``values[docs] += weights``
                # would convert the index to intp on every use (several times slower here).
                np.add.at(values, docs, weights)  # docs are distinct within one term
                parts.append(docs)
            found = parts[0] if len(parts) == 1 else np.concatenate(parts)
            if len(parts) > 1:
                # Keep each passage once without sorting: the last write of its position wins.
                positions = np.arange(found.size, dtype=np.int32)
                np.put(slot, found, positions)
                found = found[np.take(slot, found) == positions]
            approximate = np.take(values, found)
        finally:
            for docs in parts:  # leave the scratch array zeroed whatever happened
                np.put(values, docs, 0.0)
        if found.size > k:
            # The k-th best approximate sum is within the slack of the k-th best score, and so
            # is every passage's: a passage further below it cannot be in the top k.
            floor = kth_largest(approximate, k) - 2 * self._slack(ids)
            found = found[approximate >= floor]
        return select_top(found, self._exact(ids, found), k)

    def _top_k_compiled(self, ids: list[int], k: int) -> list[tuple[int, float]]:
        """The top k by MaxScore in the compiled kernel (``index.retrieval.kernels``), then the
        candidates' exact scores, summed in query order, as on every path: the same top k and
        scores as rank-bm25's. The kernel's bounds carry the query's ``slack``, as the numpy
        path's do."""
        assert self.kernel is not None
        by_peak = sorted(ids, key=lambda t: self._peak[t])
        terms = np.asarray(by_peak, dtype=np.int64)
        values, seen, _ = self._scratch()
        candidates = self.kernel.candidates(
            (self._docs, self._weights),
            Terms(self._ptr[terms], self._ptr[terms + 1], self._scale[terms], self._peak[terms]),
            k,
            self._slack(ids),
            (values, seen),
        )
        return select_top(candidates, self._exact_compiled(ids, candidates), k)

    def _exact_compiled(self, ids: list[int], candidates: Int32s) -> Scores:
        """``_exact`` in the kernel where it computes the same bits: Okapi/Lucene weights over
        uint8 counts and lengths (the layout a build writes when they fit), else numpy."""
        postings = self.postings
        if self.kernel is None or not self._exact_layout:
            return self._exact(ids, candidates)
        terms = np.asarray(ids, dtype=np.int64)
        params = postings.params
        return self.kernel.exact(
            (self._docs, self._tf, self._lengths),
            (self._ptr[terms], self._ptr[terms + 1], self._idf[terms]),
            candidates,
            (float(params.k1), float(params.b), float(postings.avgdl)),
        )

    def _top_k_pruned(self, ids: list[int], k: int) -> list[tuple[int, float]]:
        """MaxScore for the additive variants: scan the weightiest terms' postings, stop once the
        rest of the terms together (their ``peak`` weights) cannot lift an unseen passage to the
        k-th best score so far, and score only the passages that can still make the top k.

        The survivors' scores are then summed exactly as the reference does (every query term,
        in query order, a missing term adding 0.0), so scores and ties are bit-identical. Every
        bound is widened by the query's ``slack``, which covers the quantized weights' error (of
        the terms summed) and the peaks' (of the terms not), as well as float rounding.
        """
        peak = self._peak[ids].tolist()
        order = [ids[j] for j in sorted(range(len(ids)), key=lambda j: -peak[j])]
        peak = sorted(peak, reverse=True)
        rest = [0.0] * (len(order) + 1)  # rest[i]: what terms order[i:] can add at most
        for i in range(len(order) - 1, -1, -1):
            rest[i] = rest[i + 1] + peak[i]
        slack = self._slack(ids)
        values, _, slot = self._scratch()
        scanned: list[Int32s] = []
        left, done = self._postings_count(ids), 0
        try:
            for i, term_id in enumerate(order):
                docs, weights = self._postings(term_id)
                np.add.at(values, docs, weights)
                scanned.append(docs)
                left, done = left - docs.size, done + docs.size
                if i + 1 < len(order) and left <= _CHECK_RATIO * done:
                    continue  # the lists left are too short for skipping them to pay
                # A lower bound of the k-th best final score (weights are never negative).
                floor = _floor(values, scanned, k) - slack
                if i + 1 == len(order) or rest[i + 1] + slack < floor:
                    break
            # Passages whose best possible score reaches the floor are the only ones that can be
            # in the top k.
            found = scanned[0] if len(scanned) == 1 else np.concatenate(scanned)
            reach = np.take(values, found) + (rest[i + 1] + slack)
            candidates = found[reach >= floor]
            if len(scanned) > 1:  # each passage once: the last write of its position wins
                positions = np.arange(candidates.size, dtype=np.int32)
                np.put(slot, candidates, positions)
                candidates = candidates[np.take(slot, candidates) == positions]
            partial = np.take(values, candidates)
        finally:
            for docs in scanned:
                np.put(values, docs, 0.0)
        # The terms not scanned, looked up for the candidates only, weightiest first: each one
        # settles more of their scores and drops those that can no longer reach the top k.
        for j in range(i + 1, len(order)):
            if candidates.size <= k:
                break
            partial = partial + self._weights_of(order[j], candidates)
            floor = max(floor, kth_largest(partial, k) - slack)
            keep = partial + (rest[j + 1] + slack) >= floor
            candidates, partial = candidates[keep], partial[keep]
        return select_top(candidates, self._exact(ids, candidates), k)

    def _slack(self, ids: list[int]) -> float:
        """How far any sum of the quantized weights or peaks of ``ids`` can be from the exact
        sum it stands for: each term's error bound (its scale after a full build), plus a
        relative margin for float rounding."""
        error, peak = self._error[ids], self._peak[ids]
        return float(error.sum()) * (1 + _MARGIN) + float(peak.sum()) * _MARGIN + 1e-300

    def _exact(self, ids: list[int], candidates: Int32s) -> Scores:
        """The candidates' scores summed term by term in query order, as the reference does.

        Each term's candidates are found in its postings (one binary search per term), then
        every found weight is computed exactly in one vectorised pass.
        """
        total = np.zeros(candidates.size)
        ptr = self._ptr
        ids = [t for t in ids if ptr[t + 1] > ptr[t]]  # a term without postings adds 0.0
        if not candidates.size or not ids:
            return total
        found = [np.searchsorted(self._docs[ptr[t] : ptr[t + 1]], candidates) for t in ids]
        terms = np.asarray(ids, dtype=np.int64)
        lo, hi = ptr[terms], ptr[terms + 1]
        at = np.stack(found) + lo[:, None]  # (terms, candidates): where each would be
        np.minimum(at, (hi - 1)[:, None], out=at)
        hit = np.take(self._docs, at) == candidates
        rows = np.nonzero(hit)[0]
        weights = np.zeros(at.shape)
        weights[hit] = exact_weights(self.postings, terms[rows], at[hit])
        for row in weights:  # in query order, a missing term adding 0.0
            total += row
        return total

    def _weights_of(self, term_id: int, candidates: Int32s, exact: bool = False) -> Scores:
        """``term_id``'s weight in each candidate passage, 0.0 where it does not occur: the
        quantized one, or with ``exact`` the one rank-bm25 computes."""
        lo, hi = int(self._ptr[term_id]), int(self._ptr[term_id + 1])
        if hi == lo:
            return np.zeros(candidates.size)
        docs = self._docs[lo:hi]
        at = np.minimum(np.searchsorted(docs, candidates), docs.size - 1)
        hit = np.take(docs, at) == candidates
        found: Scores = np.zeros(candidates.size)
        if exact:
            found[hit] = self.postings.exact_weights(term_id, lo + at[hit])
        else:
            found[hit] = np.take(self._weights[lo:hi], at[hit]) * self._scale[term_id]
        return found

    def _postings_count(self, ids: list[int]) -> int:
        ptr = self._ptr
        return sum(int(ptr[t + 1] - ptr[t]) for t in ids)

    def _accumulate(
        self,
        term_id: int,
        values: Scores,
        seen: npt.NDArray[np.bool_],
        touched: Int32s,
        base: float,
    ) -> tuple[Int32s, float]:
        """Add one query term to every touched passage, in the reference's order of operations
        (with exact weights: BM25+ touches every passage a term occurs in, no candidates)."""
        docs, weights = self._exact_postings(term_id)
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
        """A term's passages and quantized weights (as float64, each within the term's scale).

        The weights are written into a per-thread buffer, valid until the next call: a fresh
        float64 array per term costs an allocation and page faults on every long list."""
        lo, hi = int(self._ptr[term_id]), int(self._ptr[term_id + 1])
        buffer: Scores | None = getattr(self._local, "dequantized", None)
        if buffer is None or buffer.size < hi - lo:
            buffer = np.empty(max(hi - lo, 1 << 16))
            self._local.dequantized = buffer
        weights = buffer[: hi - lo]
        np.multiply(self._weights[lo:hi], self._scale[term_id], out=weights)
        return self._docs[lo:hi], weights

    def _exact_postings(self, term_id: int) -> tuple[Int32s, Scores]:
        """A term's passages and exact weights."""
        lo, hi = int(self._ptr[term_id]), int(self._ptr[term_id + 1])
        positions = np.arange(lo, hi, dtype=np.int64)
        return self._docs[lo:hi], self.postings.exact_weights(term_id, positions)

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
