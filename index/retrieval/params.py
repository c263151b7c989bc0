"""The BM25 variants and parameters every engine and the stored weights share.

rank-bm25's ``BM25Okapi`` gives zero idf to a term found in exactly half the sentences and floors
negative idf at a fraction of the mean: in one short article that is common, so the default
variant is Okapi term weighting with Lucene's idf, ``log(1 + (N - n + 0.5) / (n + 0.5))``, which
is positive for every term.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from index.errors import VerbatimError

Variant = Literal["lucene", "okapi", "plus", "l"]
VARIANTS: tuple[Variant, ...] = ("lucene", "okapi", "plus", "l")


@dataclass(frozen=True, slots=True)
class BM25Params:
    """A BM25 variant and its parameters; ``delta`` only matters for ``plus`` and ``l``."""

    variant: Variant = "lucene"
    # k1 = 0.4: in a sentence a word rarely repeats, and a repeat says little; tuned on the
    # quality benchmark's tuning sets (docs/quality.md, benchmarks/README.md).
    k1: float = 0.4
    b: float = 0.75
    delta: float = 1.0

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise VerbatimError(f"unknown BM25 variant {self.variant!r}; choose one of {VARIANTS}")
        if self.k1 < 0 or not 0 <= self.b <= 1:
            raise VerbatimError(f"BM25 needs k1 >= 0 and 0 <= b <= 1, got k1={self.k1} b={self.b}")


def lucene_idf(corpus_size: int, doc_freq: int) -> float:
    """Lucene's BM25 idf: never zero or negative, so common terms still count a little."""
    return math.log(1.0 + (corpus_size - doc_freq + 0.5) / (doc_freq + 0.5))
