"""One person or club under several forms: "Glazer" is "Malcolm Glazer" where an article names him.

News names someone in full once ("Malcolm Glazer", "Gordon Brown") and then by the short name
("Mr Glazer", "Brown"). A topic counts the short name's sentences as the full name's only in the
articles that write the full name, so the corpus itself links the two forms: in an archive,
"Charles" is "Ray Charles" in the articles about the singer and not in those about a prince.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.summaries.similarity import Floats, Rows


def discussion(weight: float) -> float:
    """How much one article discusses a phrase, from its centrality-weighted sentences: growing
    slower than them, so several articles telling a story outrank one repeating it, and faster
    than a log, so an article about it outweighs one naming it in passing."""
    return math.sqrt(weight)


@dataclass(frozen=True, slots=True)
class NameLinker:
    """Sentence lookups over one corpus: the rows holding a term, each row's document."""

    rows_of: Callable[[str], Rows]
    doc_of: Rows
    centrality: Floats

    def rows(self, terms: tuple[str, ...]) -> Rows:
        """Rows holding every one of ``terms`` (ascending)."""
        found = self.rows_of(terms[0])
        for term in terms[1:]:
            found = np.intersect1d(found, self.rows_of(term), assume_unique=True)
        return found

    def linked(self, short: tuple[str, ...], full: tuple[str, ...], taken: Rows) -> Rows:
        """Rows naming ``short`` in the articles that also name ``full``, except ``taken`` ones."""
        documents = np.setdiff1d(np.unique(self.doc_of[self.rows(full)]), taken)
        rows = self.rows(short)
        return rows[np.isin(self.doc_of[rows], documents)]

    def spread(self, rows: Rows) -> float:
        """Sum over the rows' articles of their ``discussion``, as ``index.keyphrases`` scores."""
        if rows.size == 0:
            return 0.0
        weights = np.bincount(self.doc_of[rows], weights=1.0 + self.centrality[rows])
        return float(sum(discussion(w) for w in weights[weights > 0]))

    def articles(self, rows: Rows) -> int:
        return int(np.unique(self.doc_of[rows]).size)
