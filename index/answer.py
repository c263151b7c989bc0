"""Turn a question into an ``Answer``: rank, decide whether the articles cover it, pick quotes.

Abstention is the product's honesty: when the best sentence shares too little of the question's
weight (idf-weighted share of its distinct content terms), the answer says "not covered" instead
of passing a weak match off as an answer.

``rank_question`` is everything but the quote cut, so the quality benchmark measures the very
ranking and abstention the bot uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.errors import VerbatimError
from index.model import Answer, AnswerStatus, Passage, Quote
from index.search import CorpusIndex

Scored = tuple[Passage, float]


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


@dataclass(frozen=True, slots=True)
class Ranking:
    """The ranked candidates for a question and whether the core would answer from them.

    ``ranked`` is filled even when ``status`` is ``NOT_COVERED``, so a benchmark can score the
    ranking and the abstention separately.
    """

    question: str
    terms: tuple[str, ...]
    status: AnswerStatus
    ranked: tuple[Scored, ...] = ()


def question_terms(index: CorpusIndex, question: str) -> list[str]:
    """The distinct analyzed terms of ``question``, in order."""
    return list(dict.fromkeys(index.analyzer.terms(question)))


def rank_question(
    index: CorpusIndex, question: str, policy: AnswerPolicy = AnswerPolicy()
) -> Ranking:
    """Rank the best ``policy.pool`` passages for ``question`` and decide whether to answer."""
    question = question.strip()
    if not any(char.isalnum() for char in question):
        return Ranking(question, (), AnswerStatus.EMPTY_QUESTION)
    terms = question_terms(index, question)
    if not terms:
        return Ranking(question, (), AnswerStatus.UNRECOGNIZED)
    return judge(index, question, terms, index.rank(terms, policy.pool), policy)


def judge(
    index: CorpusIndex,
    question: str,
    terms: list[str],
    candidates: Sequence[Scored],
    policy: AnswerPolicy,
) -> Ranking:
    """Order first-stage ``candidates`` for the question and decide whether they answer it."""
    ranked = tuple(candidates)
    covered = bool(ranked) and coverage(index, terms, ranked[0][0]) >= policy.min_coverage
    status = AnswerStatus.COVERED if covered else AnswerStatus.NOT_COVERED
    return Ranking(question, tuple(terms), status, ranked)


def answer_question(
    index: CorpusIndex, question: str, policy: AnswerPolicy = AnswerPolicy()
) -> Answer:
    """Answer ``question`` from ``index`` with quotes best first, or say why there are none."""
    ranking = rank_question(index, question, policy)
    if ranking.status is not AnswerStatus.COVERED:
        return Answer(ranking.question, ranking.status)
    best = ranking.ranked[0][1]
    kept = [(p, s) for p, s in ranking.ranked if s >= policy.relative_floor * best]
    terms = list(ranking.terms)
    quotes = tuple(_quote(index, terms, passage, score) for passage, score in kept)
    return Answer(ranking.question, ranking.status, quotes[: policy.top], quotes[policy.top :])


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
