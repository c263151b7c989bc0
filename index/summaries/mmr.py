"""Pick summary sentences: relevant ones first, never two saying the same thing (MMR).

Maximal Marginal Relevance (Carbonell & Goldstein, 1998) takes, at each step, the sentence with
the best trade-off between its own relevance and its similarity to sentences already taken. On
top of that soft penalty a hard rule keeps any two picks from sharing more than half of the
smaller one's content words, which is what a reader perceives as "saying it twice". A small
penalty per pick from an already used paragraph spreads the summary over the text (coverage).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.retrieval.corpus_index import CorpusIndex
from index.summaries.corpus_analysis import CorpusAnalysis
from index.summaries.similarity import Floats, Rows, content_overlap


@dataclass(frozen=True, slots=True)
class SelectionPolicy:
    """How relevance trades against novelty, and which sentences may be picked at all."""

    balance: float = 0.7  # weight of relevance against similarity to what is already taken
    max_overlap: float = 0.5  # content-word overlap above which two picks say the same thing
    min_terms: int = 4  # shorter sentences are fragments ("He declined.") unless nothing else
    pool: int = 30  # candidates considered per sentence asked for, best first
    spread: float = 0.1  # penalty per pick already taken from the same paragraph (coverage)


def select(
    analysis: CorpusAnalysis,
    rows: Rows,
    relevance: Floats,
    length: int,
    shared: frozenset[str] = frozenset(),
    policy: SelectionPolicy = SelectionPolicy(),
) -> list[int]:
    """Up to ``length`` rows of ``rows`` chosen by MMR, in the order they were picked.

    ``shared`` terms (a topic's own words, which every candidate holds) do not count as overlap.
    """
    pool = _pool(analysis, rows, relevance, length * policy.pool, policy.min_terms)
    if not pool:
        return []
    top = max(score for _, score in pool) or 1.0
    index = analysis.index
    terms = {row: set(index.terms_of(index.passage(row))) - shared for row, _ in pool}
    chosen: list[int] = []
    while len(chosen) < length:
        best_row, best_value = -1, -np.inf
        for row, score in pool:
            if row in chosen or any(
                content_overlap(terms[row], terms[other]) > policy.max_overlap for other in chosen
            ):
                continue
            redundancy = max((analysis.vectors.cosine(row, other) for other in chosen), default=0)
            same = sum(_paragraph(index, row) == _paragraph(index, other) for other in chosen)
            value = policy.balance * score / top - (1 - policy.balance) * redundancy
            value -= policy.spread * same
            if value > best_value:
                best_row, best_value = row, value
        if best_row < 0:
            break
        chosen.append(best_row)
    return chosen


def _pool(
    analysis: CorpusAnalysis, rows: Rows, relevance: Floats, size: int, min_terms: int
) -> list[tuple[int, float]]:
    """The ``size`` most relevant rows (ties: the newer article first, then corpus order),
    preferring full sentences.

    Scores are rounded first so that copies of a sentence, equal up to float noise, tie and the
    copy in the newest article (else the first in corpus order) is the one shown.
    """
    relevance = np.round(relevance, 9)
    published = analysis.published[np.asarray(analysis.index.table.doc)[rows]]
    order = np.lexsort((rows, -published, -relevance))
    ranked = [(int(rows[i]), float(relevance[i])) for i in order[: size * 2]]
    index = analysis.index
    full = [(r, s) for r, s in ranked if len(set(index.terms_of(index.passage(r)))) >= min_terms]
    return (full or ranked)[:size]


def _paragraph(index: CorpusIndex, row: int) -> tuple[int, int]:
    passage = index.passage(row)
    return passage.document.doc_id, passage.paragraph
