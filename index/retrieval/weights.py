"""BM25 weights precomputed per posting, for the four variants, exactly as rank-bm25 scores them.

Each function reproduces rank-bm25's arithmetic operation by operation (same operand order, same
``math.log`` for idf, same sequential sum for the Okapi idf floor) so that the fast engine's
scores are bit-identical to the reference engine's and rankings, ties included, are the same.

For BM25+ a passage *without* a query term still scores ``absent[t] = idf * delta`` for it (a
constant per term); the engine adds that exactly at query time instead of storing it for every
passage. (rank-bm25's BM25L multiplies its term weight by the raw count, so there it is zero.)

The stored weights are *quantized*: a 16-bit integer per posting times a per-term ``scale``, within
``scale[t]`` of the exact weight (an eighth of the disk and memory of float64 weights). They rank
the candidates; the final candidates' scores are then recomputed exactly (``exact_weights``, the
same float64 arithmetic from the stored count, the passage's length and the term's idf), so
scores and rankings are bit-identical to rank-bm25's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from index.retrieval.forward import ForwardIndex
from index.retrieval.kernels import TERM_MAJOR
from index.retrieval.params import BM25Params, Variant, lucene_idf

Floats = npt.NDArray[np.float64]
Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]

_SLICE = 1 << 18  # postings weighed at a time
_CHUNK = 1 << 20  # postings sorted by term at a time


Quantized = npt.NDArray[np.int16]
Counts = npt.NDArray[np.unsignedinteger[Any]] | Int32s
_LEVELS = 32767  # the largest magnitude of a quantized weight
# The scale is a hair above peak / _LEVELS so that no weight rounds beyond the int16 range.
_SCALE_UP = 1 + 2**-20


@dataclass(frozen=True, slots=True)
class Postings:
    """Term-major (CSC) BM25 weights: term ``t`` is in passages ``docs[ptr[t]:ptr[t+1]]``.

    Passages are ascending within a term; ``weights`` (int16) times ``scale[t]`` approximates
    each posting's weight within ``scale[t]``; ``tf`` is the term's count in the passage and
    ``lengths`` each passage's length, from which ``exact_weights`` recomputes the weight bit for
    bit; ``idf[t]`` is the term's idf and ``avgdl`` the mean passage length. ``absent[t]`` is
    what a passage without ``t`` scores for it (zero for the Lucene and Okapi variants);
    ``peak[t]`` is the largest magnitude of ``t``'s weights (within ``scale[t]``), the bound that
    lets a query skip a long list. ``error[t]`` bounds how far any of ``t``'s quantized weights
    (times the scale) is from its exact weight under the index's *current* statistics: ``scale``
    after a full build, more after a partial rebuild that kept weights quantized under older
    statistics (``index.retrieval.delta``); every pruning bound is widened by it.
    """

    ptr: Int64s
    docs: Int32s
    weights: Quantized
    scale: Floats
    tf: Counts
    idf: Floats
    absent: Floats
    peak: Floats
    error: Floats
    size: int
    lengths: Counts
    avgdl: float
    params: BM25Params

    def exact_weights(self, term_id: int, positions: npt.NDArray[np.integer[Any]]) -> Floats:
        """The exact weights of ``term_id``'s postings at ``positions`` (indices into ``docs``),
        computed as ``postings_of`` computes them, operation by operation."""
        terms = np.full(positions.size, term_id, dtype=np.int64)
        return exact_weights(self, terms, positions)


def exact_weights(
    postings: Postings,
    terms: npt.NDArray[np.integer[Any]],
    positions: npt.NDArray[np.integer[Any]],
) -> Floats:
    """The exact weights of the postings at ``positions`` (of terms ``terms``), as
    ``postings_of`` computes them: the same float64 operations in the same order."""
    tf = np.take(np.asarray(postings.tf), positions).astype(np.float64)
    docs = np.take(np.asarray(postings.docs), positions)
    doc_len = np.take(np.asarray(postings.lengths), docs).astype(np.float64)
    term_idf = np.take(np.asarray(postings.idf), terms)
    return term_weights(postings.params, term_idf, tf, doc_len, postings.avgdl)


def idf_table(doc_freq: Int64s, size: int, params: BM25Params) -> list[float]:
    """Per-term idf in term-id order, the way each rank-bm25 class computes it.

    A term in no passage (kept by a partial rebuild, ``index.storage.splice``; never looked up)
    gets 0.0, except under Okapi, whose floor is a mean over every term (never spliced)."""
    freqs = [int(n) for n in doc_freq]
    if params.variant == "okapi" or all(freqs):
        return _IDF[params.variant](freqs, size)
    used = [n for n in freqs if n]
    found = iter(_IDF[params.variant](used, size))
    return [next(found) if n else 0.0 for n in freqs]


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

    Computed a slice of postings at a time: each weight is the same element-wise arithmetic
    whatever the slice, and a build's peak memory stays near the size of the result instead of
    a dozen full-length temporaries. They are kept as float32 until every term's largest weight
    is known, then quantized (float32's error, 6e-8 relative, is far below a quantization step).
    """
    size = len(forward)
    vocabulary = len(forward.vocabulary)
    doc_freq = np.bincount(np.asarray(forward.terms), minlength=vocabulary).astype(np.int64)
    idf = np.asarray(idf_table(doc_freq, size, params), dtype=np.float64)
    order, docs = term_major(forward, doc_freq)
    avgdl = mean_length(forward.lengths, size)
    exact = _weigh(forward, order, docs, idf, params, avgdl)
    tfs = forward.counts[order]
    del order
    ptr = np.zeros(vocabulary + 1, dtype=np.int64)
    np.cumsum(doc_freq, out=ptr[1:])
    peak = peaks(exact, ptr)
    scale = np.where(peak > 0, peak / _LEVELS * _SCALE_UP, 0.0)
    weights = np.empty(exact.size, dtype=np.int16)
    for lo in range(0, exact.size, _SLICE):  # quantized a slice at a time
        part = exact[lo : lo + _SLICE].astype(np.float64)
        terms = np.searchsorted(ptr, np.arange(lo, lo + part.size), side="right") - 1
        step = scale[terms]
        weights[lo : lo + part.size] = np.rint(np.divide(part, step, where=step > 0, out=part))
    del exact
    absent = _ABSENT[params.variant](params, idf)
    error = scale.copy()  # each quantized weight is within its scale of the exact one
    return Postings(
        ptr,
        docs,
        weights,
        scale,
        tfs,
        idf,
        absent,
        peak,
        error,
        size,
        forward.lengths,
        avgdl,
        params,
    )


def _weigh(
    forward: ForwardIndex,
    order: npt.NDArray[np.signedinteger[Any]],
    docs: Int32s,
    idf: Floats,
    params: BM25Params,
    avgdl: float,
) -> npt.NDArray[np.float32]:
    """Every posting's weight, as float32 (for quantizing), computed in float64 a slice at a
    time (a function of its own, so no slice outlives it and keeps ``order`` alive)."""
    exact = np.empty(order.size, dtype=np.float32)
    for lo in range(0, order.size, _SLICE):
        at = order[lo : lo + _SLICE]
        tf = forward.counts[at].astype(np.float64)
        doc_len = forward.lengths[docs[lo : lo + at.size]].astype(np.float64)
        term_idf = idf[forward.terms[at]]
        exact[lo : lo + at.size] = term_weights(params, term_idf, tf, doc_len, avgdl)
    return exact


def term_major(
    forward: ForwardIndex, doc_freq: Int64s, sort: Callable[..., None] | None = TERM_MAJOR
) -> tuple[npt.NDArray[np.signedinteger[Any]], Int32s]:
    """``np.argsort(forward.terms, kind="stable")`` (as int32 when it fits) and the passage of
    each of those postings, by a counting sort a chunk of postings at a time.

    A stable sort by term is unique, so this is the same order; it needs no int64 index of every
    posting nor a merge sort's buffer (over 200 MB at a million sentences), and each posting's
    passage comes from its chunk's sorted positions, not from a binary search per posting.
    With the compiled ``sort`` (``kernels.TERM_MAJOR``) the counting sort is one pass in C.
    """
    terms, row_ptr = np.asarray(forward.terms), np.asarray(forward.row_ptr)
    count = terms.size
    if sort is not None and count < 2**31:
        return _term_major_compiled(sort, terms, row_ptr, doc_freq)
    order: npt.NDArray[np.signedinteger[Any]] = np.empty(
        count, dtype=np.int32 if count < 2**31 else np.int64
    )
    docs = np.empty(count, dtype=np.int32)
    cursor = np.zeros(doc_freq.size, dtype=np.int64)  # where each term's next posting goes
    np.cumsum(doc_freq[:-1], out=cursor[1:])
    for lo in range(0, count, _CHUNK):
        chunk = terms[lo : lo + _CHUNK]
        sorted_at = np.argsort(chunk, kind="stable")
        by_term = chunk[sorted_at]
        counted = np.bincount(by_term, minlength=doc_freq.size)
        first = np.cumsum(counted) - counted  # each term's first place in the sorted chunk
        destination = cursor[by_term] + (np.arange(by_term.size) - first[by_term])
        order[destination] = sorted_at + lo
        rows = np.searchsorted(row_ptr, np.arange(lo, lo + chunk.size), side="right") - 1
        docs[destination] = rows[sorted_at]
        cursor += counted
    return order, docs


def _term_major_compiled(
    sort: Callable[..., None], terms: Int32s, row_ptr: Int64s, doc_freq: Int64s
) -> tuple[Int32s, Int32s]:
    """``term_major`` by ``verbatim_term_major`` (fewer than 2**31 postings)."""
    terms = np.ascontiguousarray(terms, dtype=np.int32)
    row_ptr = np.ascontiguousarray(row_ptr, dtype=np.int64)
    order, docs = np.empty(terms.size, dtype=np.int32), np.empty(terms.size, dtype=np.int32)
    cursor = np.zeros(doc_freq.size, dtype=np.int64)
    np.cumsum(doc_freq[:-1], out=cursor[1:])
    rows = row_ptr.size - 1
    sort(terms.ctypes.data, row_ptr.ctypes.data, rows, cursor.ctypes.data, order.ctypes.data,
         docs.ctypes.data)  # fmt: skip
    return order, docs


def mean_length(lengths: Counts, size: int) -> float:
    """The mean passage length, as rank-bm25 computes it (an exact integer sum, divided)."""
    return int(lengths.sum()) / size if size else 1.0


def peaks(weights: npt.NDArray[np.floating[Any]], ptr: Int64s) -> Floats:
    """Each term's largest weight magnitude (0 for a term without postings)."""
    peak = np.zeros(ptr.size - 1, dtype=np.float64)
    # Slice by slice, so that no copy of every magnitude is held at once.
    for lo in range(0, weights.size, _SLICE):
        hi = min(lo + _SLICE, weights.size)
        first, last = np.searchsorted(ptr, [lo, hi - 1], side="right") - 1
        terms = np.arange(first, last + 1)
        starts = np.maximum(ptr[terms], lo) - lo
        filled = ptr[terms + 1] > ptr[terms]
        part = np.maximum.reduceat(np.abs(weights[lo:hi]), starts[filled])
        np.maximum.at(peak, terms[filled], part)
    return peak


def term_weights(
    params: BM25Params, term_idf: Floats, tf: Floats, doc_len: Floats, avgdl: float
) -> Floats:
    norm = 1 - params.b + params.b * doc_len / avgdl
    return _WEIGHTS[params.variant](params, term_idf, tf, norm)


def _okapi_weights(params: BM25Params, term_idf: Floats, tf: Floats, norm: Floats) -> Floats:
    k1 = params.k1
    weights: Floats = term_idf * (tf * (k1 + 1) / (tf + k1 * norm))
    return weights


def _plus_weights(params: BM25Params, term_idf: Floats, tf: Floats, norm: Floats) -> Floats:
    k1, delta = params.k1, params.delta
    weights: Floats = term_idf * (delta + (tf * (k1 + 1)) / (k1 * norm + tf))
    return weights


def _l_weights(params: BM25Params, term_idf: Floats, tf: Floats, norm: Floats) -> Floats:
    # rank-bm25's BM25L multiplies by the raw count as well, so an absent term scores zero.
    k1, delta = params.k1, params.delta
    ctd = tf / norm
    weights: Floats = term_idf * tf * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
    return weights


def _no_absent(params: BM25Params, idf: Floats) -> Floats:
    return np.zeros_like(idf)


def _plus_absent(params: BM25Params, idf: Floats) -> Floats:
    absent: Floats = idf * (params.delta + 0.0)
    return absent


# One row per BM25 variant (bm25s' way: a table of tiny functions, not string branches).
IdfRule = Callable[[list[int], int], list[float]]
WeightRule = Callable[[BM25Params, Floats, Floats, Floats], Floats]
AbsentRule = Callable[[BM25Params, Floats], Floats]
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
_ABSENT: dict[Variant, AbsentRule] = {
    "lucene": _no_absent,
    "okapi": _no_absent,
    "plus": _plus_absent,
    "l": _no_absent,
}
