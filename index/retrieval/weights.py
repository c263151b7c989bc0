"""BM25 weights precomputed per posting, for the four variants, exactly as rank-bm25 scores them.

Each function reproduces rank-bm25's arithmetic operation by operation (same operand order, same
``math.log`` for idf, same sequential sum for the Okapi idf floor) so that the fast engine's
scores are bit-identical to the reference engine's and rankings, ties included, are the same.

For BM25+ a passage *without* a query term still scores ``absent[t] = idf * delta`` for it (a
constant per term); the engine adds that exactly at query time instead of storing it for every
passage. (rank-bm25's BM25L multiplies its term weight by the raw count, so there it is zero.)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.retrieval.forward import ForwardIndex
from index.retrieval.params import BM25Params, Variant, lucene_idf

Floats = npt.NDArray[np.float64]
Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]

_SLICE = 1 << 18  # postings weighed at a time


@dataclass(frozen=True, slots=True)
class Postings:
    """Term-major (CSC) BM25 weights: term ``t`` is in passages ``docs[ptr[t]:ptr[t+1]]``.

    Passages are ascending within a term; ``weights`` aligns with ``docs``; ``absent[t]`` is what
    a passage without ``t`` scores for it (zero for the Lucene and Okapi variants); ``peak[t]``
    is the largest of ``t``'s weights, the bound that lets a query skip a long list.
    """

    ptr: Int64s
    docs: Int32s
    weights: Floats
    absent: Floats
    peak: Floats
    size: int


def idf_table(doc_freq: Int64s, size: int, params: BM25Params) -> list[float]:
    """Per-term idf in term-id order, the way each rank-bm25 class computes it."""
    return _IDF[params.variant]([int(n) for n in doc_freq], size)


def _lucene_idfs(freqs: list[int], size: int) -> list[float]:
    return [lucene_idf(size, n) for n in freqs]


def _plus_idfs(freqs: list[int], size: int) -> list[float]:
    return [math.log((size + 1) / n) for n in freqs]


def _l_idfs(freqs: list[int], size: int) -> list[float]:
    return [math.log(size + 1) - math.log(n + 0.5) for n in freqs]


def _okapi_idfs(freqs: list[int], size: int) -> list[float]:
    idf = [math.log(size - n + 0.5) - math.log(n + 0.5) for n in freqs]
    total = 0.0
    for value in idf:  # a plain running sum, as rank-bm25 does (not math.fsum, not sum())
        total += value
    floor = 0.25 * (total / len(idf)) if idf else 0.0
    return [floor if value < 0 else value for value in idf]


def postings_of(forward: ForwardIndex, params: BM25Params) -> Postings:
    """Weights for every (term, passage) pair of ``forward``, grouped by term.

    Computed a slice of postings at a time into the final arrays: each weight is the same
    element-wise arithmetic whatever the slice, and a build's peak memory stays near the size
    of the result instead of a dozen full-length temporaries.
    """
    size = len(forward)
    vocabulary = len(forward.vocabulary)
    doc_freq = np.bincount(forward.terms, minlength=vocabulary).astype(np.int64)
    idf = np.asarray(idf_table(doc_freq, size, params), dtype=np.float64)
    order = np.argsort(forward.terms, kind="stable")
    if order.size < 2**31:  # half the memory for the rest of the build
        order = order.astype(np.int32)
    row_ptr = np.asarray(forward.row_ptr)
    avgdl = int(forward.lengths.sum()) / size if size else 1.0
    docs = np.empty(order.size, dtype=np.int32)
    weights = np.empty(order.size, dtype=np.float64)
    absent = np.zeros(vocabulary, dtype=np.float64)
    for lo in range(0, order.size, _SLICE):
        at = order[lo : lo + _SLICE]
        rows = np.searchsorted(row_ptr, at, side="right") - 1  # the passage of each posting
        docs[lo : lo + at.size] = rows
        tf = forward.counts[at].astype(np.float64)
        doc_len = forward.lengths[rows].astype(np.float64)
        term_idf = idf[forward.terms[at]]
        part, absent = _variant_weights(params, term_idf, idf, tf, doc_len, avgdl)
        weights[lo : lo + at.size] = part
    if not order.size:  # the variant still says what an absent term scores
        empty = np.zeros(0)
        _, absent = _variant_weights(params, empty, idf, empty, empty, avgdl)
    ptr = np.zeros(vocabulary + 1, dtype=np.int64)
    np.cumsum(doc_freq, out=ptr[1:])
    return Postings(ptr, docs, weights, absent, peaks(weights, ptr), size)


def peaks(weights: Floats, ptr: Int64s) -> Floats:
    """Each term's largest weight (0 for a term without postings)."""
    peak = np.zeros(ptr.size - 1, dtype=np.float64)
    filled = np.flatnonzero(np.diff(ptr) > 0)
    if filled.size:
        peak[filled] = np.maximum.reduceat(weights, ptr[filled])
    return peak


def _variant_weights(
    params: BM25Params, term_idf: Floats, idf: Floats, tf: Floats, doc_len: Floats, avgdl: float
) -> tuple[Floats, Floats]:
    norm = 1 - params.b + params.b * doc_len / avgdl
    return _WEIGHTS[params.variant](params, term_idf, idf, tf, norm)


def _okapi_weights(
    params: BM25Params, term_idf: Floats, idf: Floats, tf: Floats, norm: Floats
) -> tuple[Floats, Floats]:
    k1 = params.k1
    weights = term_idf * (tf * (k1 + 1) / (tf + k1 * norm))
    return weights, np.zeros_like(idf)


def _plus_weights(
    params: BM25Params, term_idf: Floats, idf: Floats, tf: Floats, norm: Floats
) -> tuple[Floats, Floats]:
    k1, delta = params.k1, params.delta
    weights = term_idf * (delta + (tf * (k1 + 1)) / (k1 * norm + tf))
    return weights, idf * (delta + 0.0)


def _l_weights(
    params: BM25Params, term_idf: Floats, idf: Floats, tf: Floats, norm: Floats
) -> tuple[Floats, Floats]:
    # rank-bm25's BM25L multiplies by the raw count as well, so an absent term scores zero.
    k1, delta = params.k1, params.delta
    ctd = tf / norm
    weights = term_idf * tf * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
    return weights, np.zeros_like(idf)


# One row per BM25 variant (bm25s' way: a table of tiny functions, not string branches).
IdfRule = Callable[[list[int], int], list[float]]
WeightRule = Callable[[BM25Params, Floats, Floats, Floats, Floats], tuple[Floats, Floats]]
_IDF: dict[Variant, IdfRule] = {
    "lucene": _lucene_idfs,
    "okapi": _okapi_idfs,
    "plus": _plus_idfs,
    "l": _l_idfs,
}
_WEIGHTS: dict[Variant, WeightRule] = {
    "lucene": _okapi_weights,
    "okapi": _okapi_weights,
    "plus": _plus_weights,
    "l": _l_weights,
}
