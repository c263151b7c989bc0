"""Corroboration: the same sentence (nearly verbatim) in other articles.

Wire copy and syndicated reports repeat sentences word for word. A summary shows such a sentence
once and lists the other articles that carry it. Two sentences are copies when their distinct
terms overlap almost entirely (Jaccard ≥ ``COPY_SIMILARITY``); candidates are only the sentences
sharing the rarest term, so looking up a sentence's copies stays cheap on any corpus size.
"""

from __future__ import annotations

from index.model import Passage
from index.summaries.corpus_analysis import CorpusAnalysis

COPY_SIMILARITY = 0.8
MIN_TERMS = 4  # shorter sentences ("He declined.") repeat by chance, not by copying
MAX_CANDIDATES = 5_000


def copies_of(analysis: CorpusAnalysis, passage: Passage) -> tuple[Passage, ...]:
    """Near-verbatim copies of ``passage`` in *other* articles, one per article, corpus order."""
    index = analysis.index
    terms = set(index.terms_of(passage))
    if len(terms) < MIN_TERMS:
        return ()
    rarest = min(terms, key=lambda term: (index.doc_freq(term), term))
    copies: dict[int, Passage] = {}
    for row in analysis.postings(rarest)[:MAX_CANDIDATES].tolist():
        other = index.passage(row)
        doc_id = other.document.doc_id
        if doc_id == passage.document.doc_id or doc_id in copies:
            continue
        if jaccard(terms, set(index.terms_of(other))) >= COPY_SIMILARITY:
            copies[doc_id] = other
    return tuple(sorted(copies.values(), key=lambda p: p.passage_id))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
