"""Turn a question into an ``Answer``: rank, re-rank, decide whether the articles cover it, quote.

Abstention is the product's honesty: when the best sentence shares too little of the question's
weight, or the question names something the articles never mention, or negates what the best
sentence says (``index.answering.abstain``), the answer says "not covered" instead of passing a weak
match off as an answer.

``rank_question`` is everything but the quote cut, so the quality benchmark measures the very
ranking and abstention the bot uses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from index.answering.abstain import Abstention, coverage, negation_mismatch, unseen_names
from index.answering.question import strip_asking, without_chat_markup
from index.answering.rerank import RerankWeights, rerank
from index.errors import VerbatimError
from index.ingest.dates import moment
from index.model import Answer, AnswerStatus, Passage, Quote
from index.retrieval.corpus_index import CorpusIndex
from index.text.lexicon import related_terms

Scored = tuple[Passage, float]


# The most quotes one answer shows (Discord's message fits ten short quotes; more is a list, not
# an answer). Every front end reads this bound from here.
MAX_TOP = 10


@dataclass(frozen=True, slots=True)
class AnswerPolicy:
    """How many quotes to show, how to rank, and how sure the core must be before it answers.

    ``relative_floor`` applies to the re-ranked score (1 for BM25's best plus the evidence).
    """

    top: int = 3
    relative_floor: float = 0.5
    min_coverage: float = 0.3
    abstain_on_unseen_names: bool = True
    abstain_on_negation: bool = True
    strip_asking: bool = True
    strip_naming: bool = True
    strip_unit: bool = True
    strip_light_verbs: bool = True
    pool: int = 10
    rerank: RerankWeights = RerankWeights()

    @property
    def depth(self) -> int:
        """How many first-stage candidates to fetch: the re-ranker's depth, at least the pool."""
        return max(self.pool, self.rerank.depth) if self.rerank.active else self.pool

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
    abstention: Abstention | None = None


def question_terms(
    index: CorpusIndex, question: str, policy: AnswerPolicy = AnswerPolicy()
) -> list[str]:
    """The distinct analyzed terms of ``question`` in order, without the words ``policy`` strips
    (asking phrases, naming verbs, the unit asked in, light verbs: ``index.answering.question``)."""
    text = question
    if policy.strip_asking:
        text = strip_asking(
            question, policy.strip_naming, policy.strip_unit, policy.strip_light_verbs
        )
    return list(dict.fromkeys(index.analyzer.terms(text, remember=False)))


def rank_question(
    index: CorpusIndex, question: str, policy: AnswerPolicy = AnswerPolicy()
) -> Ranking:
    """Rank the best ``policy.pool`` passages for ``question`` and decide whether to answer."""
    question = without_chat_markup(question)
    if not any(char.isalnum() for char in question):
        return Ranking(question, (), AnswerStatus.EMPTY_QUESTION)
    terms = question_terms(index, question, policy)
    if not terms:
        return Ranking(question, (), AnswerStatus.UNRECOGNIZED)
    return judge(index, question, terms, index.rank(terms, policy.depth), policy)


def judge(
    index: CorpusIndex,
    question: str,
    terms: list[str],
    candidates: Sequence[Scored],
    policy: AnswerPolicy,
) -> Ranking:
    """Order first-stage ``candidates`` for the question and decide whether they answer it."""
    ranked = newer_first_on_ties(rerank(index, question, terms, candidates, policy.rerank))
    ranked = ranked[: policy.pool]
    reason = abstention(index, question, terms, ranked[0][0], policy) if ranked else None
    if ranked and reason is None:
        return Ranking(question, tuple(terms), AnswerStatus.COVERED, ranked)
    return Ranking(question, tuple(terms), AnswerStatus.NOT_COVERED, ranked, reason)


def newer_first_on_ties(ranked: Sequence[Scored]) -> tuple[Scored, ...]:
    """``ranked`` with equal scores ordered newest article first (undated last); otherwise as is.

    Equal scores mostly mean the same sentence carried by two articles (a wire story): the newer
    one is the better source to cite.
    """

    def newest_first(item: Scored) -> tuple[float, float]:
        when = moment(item[0].document.published)
        return -item[1], -when.timestamp() if when is not None else math.inf

    return tuple(sorted(ranked, key=newest_first))


def abstention(
    index: CorpusIndex, question: str, terms: list[str], best: Passage, policy: AnswerPolicy
) -> Abstention | None:
    """Why ``best`` does not answer ``question``, or ``None`` when it may."""
    if coverage(index, terms, best) < policy.min_coverage:
        return Abstention.LOW_COVERAGE
    if policy.abstain_on_unseen_names and unseen_names(index, question):
        return Abstention.UNSEEN_NAME
    if policy.abstain_on_negation and negation_mismatch(question, best):
        return Abstention.NEGATION
    return None


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


def _quote(index: CorpusIndex, terms: list[str], passage: Passage, score: float) -> Quote:
    """``passage`` as a quote, its words that matched the question marked: the question's own
    terms, and for a question term the sentence lacks, the related words that stood in for it
    ("inventor" for "invented"), as the re-ranker counted them."""
    own = set(index.terms_of(passage))
    wanted = set(terms)
    related = related_terms(index.analyzer)
    for term in terms:
        if term not in own:
            wanted |= related.of(term) & own
    matched = tuple(
        (token.start, token.end)
        for token in index.analyzer.tokens(passage.text)
        if token.term in wanted
    )
    return Quote(passage, score, matched)
