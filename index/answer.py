"""Turn a question into an ``Answer``: rank, decide whether the articles cover it, pick quotes.

Abstention is the product's honesty: when the best sentence shares too little of the question's
weight (idf-weighted share of its distinct content terms), the answer says "not covered" instead
of passing a weak match off as an answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.errors import VerbatimError
from index.model import Answer, AnswerStatus, Passage, Quote
from index.search import CorpusIndex


@dataclass(frozen=True, slots=True)
class AnswerPolicy:
    """How many quotes to show and how sure the core must be before it answers."""

    top: int = 3
    relative_floor: float = 0.5
    min_coverage: float = 0.5
    pool: int = 10

    def __post_init__(self) -> None:
        if self.top < 1 or self.pool < self.top:
            raise VerbatimError(f"need 1 <= top <= pool, got top={self.top} pool={self.pool}")
        if not 0 <= self.relative_floor <= 1 or not 0 <= self.min_coverage <= 1:
            raise VerbatimError("relative_floor and min_coverage must lie between 0 and 1")


def answer_question(
    index: CorpusIndex, question: str, policy: AnswerPolicy = AnswerPolicy()
) -> Answer:
    """Answer ``question`` from ``index`` with quotes best first, or say why there are none."""
    question = question.strip()
    if not any(char.isalnum() for char in question):
        return Answer(question, AnswerStatus.EMPTY_QUESTION)
    terms = list(dict.fromkeys(index.analyzer.terms(question)))
    if not terms:
        return Answer(question, AnswerStatus.UNRECOGNIZED)
    ranked = index.rank(terms, policy.pool)
    if not ranked or coverage(index, terms, ranked[0][0]) < policy.min_coverage:
        return Answer(question, AnswerStatus.NOT_COVERED)
    best = ranked[0][1]
    kept = [(p, s) for p, s in ranked if s >= policy.relative_floor * best]
    quotes = tuple(_quote(index, terms, passage, score) for passage, score in kept)
    return Answer(question, AnswerStatus.COVERED, quotes[: policy.top], quotes[policy.top :])


def coverage(index: CorpusIndex, terms: list[str], passage: Passage) -> float:
    """Share of the question's idf weight that ``passage`` contains (0..1)."""
    present = set(index.terms_of(passage))
    weights = {term: index.idf(term) for term in terms}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in present) / total if total else 0.0


def _quote(index: CorpusIndex, terms: list[str], passage: Passage, score: float) -> Quote:
    wanted = set(terms)
    matched = tuple(
        (token.start, token.end)
        for token in index.analyzer.tokens(passage.text)
        if token.term in wanted
    )
    return Quote(passage, score, matched)
