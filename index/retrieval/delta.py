"""Postings updated for a few changed passages without re-weighing the others.

Every BM25 weight depends on corpus-wide statistics (the number of passages, their mean length,
each term's document frequency), so one changed article changes, in the last bits, the weight of
every posting. Re-weighing and re-quantizing 14 million postings is most of a partial rebuild.
Yet the stored int16 weights only *select* candidates: the engine re-scores the candidates
exactly from each posting's count, the passage's length and the term's idf, with the statistics
of the index as it is now. So the postings of unchanged passages keep their quantized weights,
computed under older statistics, and each term's ``error`` bound is widened by how far those
statistics moved (below); rankings stay bit-identical to a fresh build, and only the pruning
gets a little looser. A term whose bound grows past ``LIMIT`` times its scale (a rare term whose
idf moved, or after many rebuilds) is re-quantized from its exact weights, which resets it.

The bound. A weight is ``idf * g`` where ``g`` (the count and length part) depends on the mean
length ``avgdl``; for every variant ``g`` moves by at most the factor ``lam = max(a'/a, a/a')``
when ``avgdl`` goes from ``a`` to ``a'`` (the length norm is a convex mix of 1 and ``len / a``).
With the invariants the engine relies on (each quantized weight within ``error`` of the exact
one, and every exact weight at most ``peak + error``), ``g <= (peak + error) / idf``, so
``|w' - w| <= (|idf' - idf| * lam + idf * (lam - 1)) * (peak + error) / idf``, added to ``error``.

Only the additive variants' idf are per term (Lucene, BM25+, BM25L); Okapi's idf floor is a mean
over the whole vocabulary in first-appearance order, so an Okapi index is rebuilt in full.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from index.retrieval.params import BM25Params
from index.retrieval.weights import (
    _ABSENT,
    _LEVELS,
    _SCALE_UP,
    Counts,
    Floats,
    Int32s,
    Postings,
    idf_table,
    mean_length,
    term_weights,
)

# A term whose error bound passes this many of its scales is re-quantized (its pruning would
# otherwise loosen): at 1M sentences one changed article adds about 0.7 scale to a common term.
LIMIT = 64.0
# Re-quantizing more than this share of the postings is most of a full build: do that instead.
MOST = 0.25
# The bound's own float arithmetic: a relative and an absolute hair on every increment.
_ROUNDING = 1e-6


class NeedsFullBuild(Exception):
    """The change cannot be applied to the postings in place (the caller builds afresh)."""


class TooStale(NeedsFullBuild):
    """Most postings would be re-quantized: weigh them all afresh (``postings_of``) instead."""


@dataclass(frozen=True, slots=True)
class NewRows:
    """The postings of the new passages: term ids, new passage ids and counts, any order."""

    terms: Int32s
    passages: Int32s
    counts: npt.NDArray[np.integer[Any]]


def updated_postings(
    old: Postings,
    remap: Int32s,
    new: NewRows,
    vocabulary: int,
    lengths: Counts,
    params: BM25Params,
) -> Postings:
    """``old`` with the postings of dropped passages removed, every kept posting's passage
    renumbered by ``remap`` (old passage id -> new one, -1 when dropped; it must be increasing
    over the kept passages), ``new``'s postings added, for a vocabulary of ``vocabulary`` terms
    (the old ids first) and the new passages' ``lengths``.

    Raises ``NeedsFullBuild`` for Okapi or a count too wide for the stored type, and
    ``TooStale`` when most postings would need re-quantizing anyway.
    """
    if params.variant == "okapi":
        raise NeedsFullBuild("Okapi's idf floor depends on the whole vocabulary")
    tf_old = np.asarray(old.tf)
    if new.counts.size and int(new.counts.max()) > np.iinfo(tf_old.dtype).max:
        raise NeedsFullBuild("a count wider than the stored counts")
    ptr_old, docs_old = np.asarray(old.ptr), np.asarray(old.docs)
    mapped = np.take(remap, docs_old)
    dead = np.flatnonzero(mapped < 0)
    dead_terms = np.searchsorted(ptr_old, dead, side="right") - 1
    order = np.lexsort((new.passages, new.terms))
    add_terms, add_docs = new.terms[order], new.passages[order]
    add_counts = new.counts[order].astype(tf_old.dtype)
    kept_df = _padded(np.diff(ptr_old), vocabulary) - np.bincount(dead_terms, minlength=vocabulary)
    doc_freq = kept_df + np.bincount(add_terms, minlength=vocabulary)
    kept_ptr = _offsets(kept_df)
    alive = np.ones(docs_old.size, dtype=np.bool_)
    alive[dead] = False
    kept_docs = mapped[alive] if dead.size else mapped
    del mapped
    at = _insertion_points(kept_docs, kept_ptr, add_terms, add_docs)
    docs = np.insert(kept_docs, at, add_docs)
    del kept_docs
    tf = np.insert(tf_old[alive] if dead.size else tf_old, at, add_counts)
    weights_old = np.asarray(old.weights)
    kept_weights = weights_old[alive] if dead.size else weights_old.copy()
    del alive

    size = int(lengths.size)
    avgdl = mean_length(lengths, size)
    idf = np.zeros(vocabulary, dtype=np.float64)
    used = np.flatnonzero(doc_freq > 0)  # a term left in no passage is never looked up
    idf[used] = idf_table(doc_freq[used], size, params)
    scale = _padded(np.asarray(old.scale), vocabulary)
    peak = _padded(np.asarray(old.peak), vocabulary)
    error = _widened(old, idf, vocabulary, avgdl)

    # The new postings, quantized with their term's scale where it fits.
    new_exact = term_weights(
        params,
        idf[add_terms],
        add_counts.astype(np.float64),
        lengths[add_docs].astype(np.float64),
        avgdl,
    )
    step = scale[add_terms]
    quantized = np.rint(np.divide(new_exact, step, out=np.zeros_like(new_exact), where=step > 0))
    unfit = (step <= 0) | (np.abs(quantized) > _LEVELS)
    weights = np.insert(kept_weights, at, np.where(unfit, 0, quantized).astype(np.int16))
    del kept_weights
    np.maximum.at(peak, add_terms, np.abs(new_exact))
    ptr = _offsets(doc_freq)
    redo = np.zeros(vocabulary, dtype=np.bool_)
    redo[add_terms[unfit]] = True
    redo |= error > LIMIT * scale
    redo &= doc_freq > 0
    redo_ids = np.flatnonzero(redo)
    if int(doc_freq[redo_ids].sum()) > MOST * docs.size:
        raise TooStale("most postings would be re-quantized")
    blank = Postings(
        ptr, docs, weights, scale, tf, idf, idf, peak, error, size, lengths, avgdl, params
    )
    for term_id in redo_ids.tolist():
        _requantize(blank, term_id)
    absent = _ABSENT[params.variant](params, idf)
    return dataclasses.replace(blank, absent=absent)


def _widened(old: Postings, idf: Floats, vocabulary: int, avgdl: float) -> Floats:
    """Each old term's error bound under the new statistics (module docstring); new terms 0."""
    error = _padded(np.asarray(old.error), vocabulary)
    before = np.asarray(old.idf)
    lam = max(avgdl / old.avgdl, old.avgdl / avgdl) if old.avgdl > 0 and avgdl > 0 else np.inf
    positive = np.flatnonzero(before > 0)
    if not np.isfinite(lam):
        raise NeedsFullBuild("no mean length to compare")
    g_max = (np.asarray(old.peak)[positive] + error[positive]) / before[positive]
    moved = np.abs(idf[positive] - before[positive]) * lam + before[positive] * (lam - 1)
    increment = moved * g_max
    error[positive] += increment * (1 + _ROUNDING) + 1e-300
    return error


def _requantize(postings: Postings, term_id: int) -> None:
    """Quantize one term's postings afresh from their exact weights (as a full build does),
    in place: its scale, peak and error are reset."""
    lo, hi = int(postings.ptr[term_id]), int(postings.ptr[term_id + 1])
    exact = postings.exact_weights(term_id, np.arange(lo, hi)).astype(np.float32)
    top = float(np.abs(exact).max())
    scale = top / _LEVELS * _SCALE_UP if top > 0 else 0.0
    step = exact.astype(np.float64)
    if scale > 0:
        step /= scale
    postings.weights[lo:hi] = np.rint(step) if scale > 0 else 0
    postings.scale[term_id] = scale
    postings.peak[term_id] = top
    postings.error[term_id] = scale


def _insertion_points(
    docs: Int32s, ptr: npt.NDArray[np.int64], terms: Int32s, passages: Int32s
) -> npt.NDArray[np.int64]:
    """Where each new posting (sorted by term, then passage) goes among the kept ones."""
    at = np.empty(terms.size, dtype=np.int64)
    bounds = np.flatnonzero(np.diff(terms)) + 1
    for lo, hi in zip([0, *bounds.tolist()], [*bounds.tolist(), terms.size], strict=True):
        if lo == hi:
            continue
        term = int(terms[lo])
        first, last = int(ptr[term]), int(ptr[term + 1])
        at[lo:hi] = first + np.searchsorted(docs[first:last], passages[lo:hi])
    return at


def _padded(values: npt.NDArray[Any], size: int) -> npt.NDArray[Any]:
    out = np.zeros(size, dtype=values.dtype)
    out[: values.size] = values
    return out


def _offsets(sizes: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
    offsets = np.zeros(sizes.size + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return offsets
