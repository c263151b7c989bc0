"""The forward index: each passage's distinct terms (as ids) with their counts, as flat arrays.

This is the one structure everything else is derived from: BM25 weights and the term→passage
postings are recomputed from it in vectorised numpy, and a partial rebuild reuses the slices of
unchanged articles without re-segmenting or re-analyzing them.

Term ids are given in order of first appearance in the corpus and each passage lists its terms in
order of first appearance: that is the order rank-bm25 builds its dictionaries in, and keeping it
makes floating-point sums (the Okapi idf floor) come out bit for bit the same.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class ForwardIndex:
    """Row ``i`` (a passage) holds ``terms[row_ptr[i]:row_ptr[i+1]]`` with ``counts`` alike.

    ``lengths[i]`` is the passage's number of terms with repeats (BM25's document length).
    ``vocabulary[j]`` is the text of term id ``j``.
    """

    vocabulary: tuple[str, ...]
    row_ptr: Int64s
    terms: Int32s
    counts: Int32s
    lengths: Int32s

    def __len__(self) -> int:
        return int(self.row_ptr.size - 1)

    def row(self, passage_id: int) -> tuple[Int32s, Int32s]:
        """The distinct term ids of one passage and how often each occurs."""
        lo, hi = int(self.row_ptr[passage_id]), int(self.row_ptr[passage_id + 1])
        return self.terms[lo:hi], self.counts[lo:hi]


class ForwardBuilder:
    """Accumulates analyzed passages into a ``ForwardIndex`` without keeping term lists."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._row_ptr = array("q", [0])
        self._terms = array("i")
        self._counts = array("i")
        self._lengths = array("i")

    def add(self, terms: Sequence[str]) -> None:
        """Append one passage given its analyzed terms (repeats included)."""
        ids = self._ids
        counted = Counter([ids.setdefault(term, len(ids)) for term in terms])
        self._terms.extend(counted.keys())
        self._counts.extend(counted.values())
        self._lengths.append(len(terms))
        self._row_ptr.append(len(self._terms))

    def build(self) -> ForwardIndex:
        return ForwardIndex(
            vocabulary=tuple(self._ids),
            row_ptr=np.frombuffer(self._row_ptr, dtype=np.int64).copy(),
            terms=np.frombuffer(self._terms, dtype=np.int32).copy(),
            counts=np.frombuffer(self._counts, dtype=np.int32).copy(),
            lengths=np.frombuffer(self._lengths, dtype=np.int32).copy(),
        )


def forward_of(corpus: Iterable[Sequence[str]]) -> ForwardIndex:
    """A forward index of already-analyzed passages (tests and the reference engine's input)."""
    builder = ForwardBuilder()
    for terms in corpus:
        builder.add(terms)
    return builder.build()
