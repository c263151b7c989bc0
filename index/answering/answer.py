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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.answering.abstain import (
    Abstention,
    coverage,
    lone_word,
    negation_mismatch,
    own_terms,
    unseen_names,
)
from index.answering.acronyms import aliases
from index.answering.answer_types import SPECIFIC, Fact, asked_fact, states
from index.answering.batch_rerank import rerank_ids
from index.answering.continuation import continued
from index.answering.deferred import quotes_later
from index.answering.question import strip_asking, without_chat_markup
from index.answering.rerank import RerankWeights
from index.answering.spelling import corrected
from index.answering.whose_age import AgeReader
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
class SemanticPolicy:
    """How the sentences' meaning vectors are used, only when the index holds them (the semantic
    extra, ``index.retrieval.semantic``; the re-ranker's weight is ``RerankWeights.cosine``).

    ``dense``: the sentences nearest the question in meaning join the first stage's candidates,
    scored by BM25 like the others (a paraphrase shares no word BM25 could find it by).
    ``pass_cosine``: a best sentence at least this close to the question passes the coverage
    test (its words differ, its meaning does not). ``min_cosine``: decline when the best
    sentence's cosine is lower (0: off; 0.1 declines two more off-topic questions of ten but
    also an answerable one or two: benchmarks/README.md).
    """

    dense: int = 100
    pass_cosine: float = 0.4
    min_cosine: float = 0.0


@dataclass(frozen=True, slots=True)
class AnswerPolicy:
    """How many quotes to show, how to rank, and how sure the core must be before it answers.

    ``relative_floor`` applies to the re-ranked score (1 for BM25's best plus the evidence).
    """

    top: int = 3
    relative_floor: float = 0.5
    min_coverage: float = 0.25
    abstain_on_unseen_names: bool = True
    abstain_on_negation: bool = False
    abstain_on_lone_word: bool = True
    strip_asking: bool = True
    strip_naming: bool = True
    strip_unit: bool = True
    strip_light_verbs: bool = True
    strip_chat: bool = True
    correct_typos: bool = True
    acronyms: bool = True
    related: bool = True
    neighbours: bool = True
    continue_quotes: bool = True
    place_ages: bool = True
    pool: int = 10
    rerank: RerankWeights = RerankWeights()
    semantic: SemanticPolicy = SemanticPolicy()

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
            question,
            policy.strip_naming,
            policy.strip_unit,
            policy.strip_light_verbs,
            policy.strip_chat,
        )
    tokens = index.analyzer.tokens(text, remember=False)
    terms = list(dict.fromkeys(token.term for token in tokens))
    if not policy.correct_typos:
        return terms
    return corrected(index, terms, {t.term: text[t.start : t.end] for t in tokens})


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
    query, alias = first_stage_query(index, question, terms, policy)
    stage = index.engine.top_k(query, policy.depth)
    ids, scores = [i for i, _ in stage], [s for _, s in stage]
    if index.semantic is None:
        return _judge(index, question, terms, ids, scores, index.passage, policy, alias)
    ids, scores, cosines = with_meaning(index, question, query, ids, scores, policy.semantic)
    return _judge(index, question, terms, ids, scores, index.passage, policy, alias, cosines)


def first_stage_query(
    index: CorpusIndex, question: str, terms: list[str], policy: AnswerPolicy
) -> tuple[list[str], dict[str, frozenset[str]]]:
    """The terms the first stage ranks for ``question`` (its ``terms``, then the acronyms and
    long forms standing for them), and that alias table (question term -> its stand-ins)."""
    alias = aliases(index, question, terms) if policy.acronyms else {}
    extra = [t for others in alias.values() for t in sorted(others) if t not in terms]
    return [*terms, *dict.fromkeys(extra)], alias


def with_meaning(
    index: CorpusIndex,
    question: str,
    query: Sequence[str],
    ids: Sequence[int],
    scores: Sequence[float],
    policy: SemanticPolicy,
) -> tuple[list[int], list[float], dict[int, float]]:
    """The first stage's candidates (passage ``ids``, BM25 ``scores``) with the ``policy.dense``
    sentences nearest ``question`` in meaning added (scored by BM25 for ``query`` like the
    others), and each candidate's cosine with it (passage id -> cosine; one forward pass).
    Without vectors: the candidates as they are, no cosines."""
    semantic = index.semantic
    ids, scores = list(ids), list(scores)
    if semantic is None:
        return ids, scores, {}
    vector = semantic.question(question)
    if policy.dense:
        have = set(ids)
        near = [i for i, _ in semantic.vectors.nearest(vector, policy.dense) if i not in have]
        ids += near
        scores += index.scores_of(query, near) if near else []
    cosines = semantic.vectors.cosines(vector, ids).tolist() if ids else []
    return ids, scores, dict(zip(ids, cosines, strict=True))


def with_meaning_of(
    index: CorpusIndex,
    question: str,
    query: Sequence[str],
    candidates: Sequence[Scored],
    policy: SemanticPolicy,
) -> tuple[list[Scored], dict[int, float]]:
    """``with_meaning`` for candidates given as passages (follow-ups, the benchmark's WikiQA)."""
    known = {passage.passage_id: passage for passage, _ in candidates}
    ids, scores = [p.passage_id for p, _ in candidates], [s for _, s in candidates]
    ids, scores, cosines = with_meaning(index, question, query, ids, scores, policy)
    passages = [known[i] if i in known else index.passage(i) for i in ids]
    return list(zip(passages, scores, strict=True)), cosines


def judge(
    index: CorpusIndex,
    question: str,
    terms: list[str],
    candidates: Sequence[Scored],
    policy: AnswerPolicy,
    alias: Mapping[str, frozenset[str]] | None = None,
    cosines: Mapping[int, float] | None = None,
) -> Ranking:
    """Order first-stage ``candidates`` for the question and decide whether they answer it.

    ``alias``: question term -> terms that stand for it (``index.answering.acronyms``);
    ``cosines``: passage id -> its cosine with the question (the semantic extra)."""
    ids, scores = [p.passage_id for p, _ in candidates], [s for _, s in candidates]
    given = {p.passage_id: p for p, _ in candidates}
    return _judge(index, question, terms, ids, scores, given.__getitem__, policy, alias, cosines)


def _judge(
    index: CorpusIndex,
    question: str,
    terms: list[str],
    ids: Sequence[int],
    scores: Sequence[float],
    passage: Callable[[int], Passage],
    policy: AnswerPolicy,
    alias: Mapping[str, frozenset[str]] | None = None,
    cosines: Mapping[int, float] | None = None,
) -> Ranking:
    """``judge`` of candidates given as passage ids (``passage`` builds the records shown).

    The re-ranker works on the ids (``index.answering.batch_rerank``): only the ``policy.pool``
    passages kept are built as ``Passage`` records."""
    alias = alias or {}
    order = rerank_ids(
        index, question, terms, ids, scores, policy.rerank, alias, cosines, keep=policy.pool
    )
    order = newer_first_on_ties_ids(index, ids, order)[: policy.pool]
    ranked = tuple((passage(ids[place]), score) for place, score in order)
    reason = None
    if ranked:
        reason = abstention(index, question, terms, ranked[0][0], policy, alias, cosines)
    if ranked and reason is None:
        status = AnswerStatus.COVERED
        fact = asked_fact(question)
        # An age question reads each shown article once for whose ages it states.
        ages = AgeReader(index, question, terms) if fact is Fact.AGE else None
        belongs = ages.belongs if ages is not None else _any
        if policy.continue_quotes:
            ranked = _run_on(index, question, ranked, policy.top, belongs)
        if policy.related and not _states(fact, ranked[: policy.top], belongs):
            status = AnswerStatus.RELATED
            if (
                policy.neighbours
                and fact in SPECIFIC
                and (completed := _completed(index, fact, ranked, policy.top, belongs))
            ):
                status, ranked = AnswerStatus.COVERED, completed
            elif policy.place_ages and ages is not None:
                shown = [passage for passage, _ in ranked[: policy.top]]
                if (aged := ages.place(shown)) is not None:
                    rest = [item for item in ranked if item[0].passage_id != aged.passage_id]
                    status, ranked = AnswerStatus.COVERED, ((aged, ranked[0][1]), *rest)
        return Ranking(question, tuple(terms), status, ranked)
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


def newer_first_on_ties_ids(
    index: CorpusIndex, ids: Sequence[int], ranked: Sequence[tuple[int, float]]
) -> list[tuple[int, float]]:
    """``newer_first_on_ties`` of (place in ``ids``, score) pairs, reading publication dates
    only when two scores are equal (else the order by score alone is the same)."""
    if len({score for _, score in ranked}) == len(ranked):
        return sorted(ranked, key=lambda item: -item[1])
    positions = index.positions(np.asarray(ids, dtype=np.int64))[0].tolist()

    def newest_first(item: tuple[int, float]) -> tuple[float, float]:
        when = moment(index.published(positions[item[0]]))
        return -item[1], -when.timestamp() if when is not None else math.inf

    return sorted(ranked, key=newest_first)


def _run_on(
    index: CorpusIndex,
    question: str,
    ranked: tuple[Scored, ...],
    top: int,
    belongs: Callable[[Passage], bool],
) -> tuple[Scored, ...]:
    """``ranked`` with each of its ``top`` quotes run on into the next sentence when only that
    one holds what is asked (``index.answering.continuation``; ``belongs``: an age must be the
    person's) and no quote above holds it."""
    out: list[Scored] = []
    for place, (passage, score) in enumerate(ranked):
        longer = continued(index, question, passage, belongs) if place < top else None
        if longer is not None and all(p.passage_id != passage.passage_id + 1 for p, _ in out):
            passage = longer
        out.append((passage, score))
    return tuple(out)


def _any(_: Passage) -> bool:
    """Any sentence may answer with what it states (every fact but an age)."""
    return True


def _unrepeated(ranked: Sequence[Scored]) -> list[Scored]:
    """``ranked`` without the sentences an earlier quote already runs on into."""
    inside: set[int] = set()
    out = []
    for passage, score in ranked:
        if passage.passage_id not in inside:
            inside.update(range(passage.passage_id, passage.passage_id + passage.sentences))
            out.append((passage, score))
    return out


def _states(fact: Fact, shown: Sequence[Scored], belongs: Callable[[Passage], bool]) -> bool:
    """Whether one of the ``shown`` sentences states the kind of fact the question asks for
    (and ``belongs``: an age must be the person's)."""
    return any(states(passage.text, fact) and belongs(passage) for passage, _ in shown)


def _completed(
    index: CorpusIndex,
    fact: Fact,
    ranked: tuple[Scored, ...],
    top: int,
    belongs: Callable[[Passage], bool],
) -> tuple[Scored, ...]:
    """``ranked`` with the first sentence next to one of its ``top`` (after it, else before)
    that states the asked ``fact`` put just above it; empty when there is none.

    News names the subject in one sentence and gives the age or the date in the next ("... US
    tycoon Malcolm Glazer." / "The approach by the 76-year-old owner ..."). Only asked when no
    shown sentence states the fact, so a sentence that does is never pushed down.
    """
    for place, (passage, score) in enumerate(ranked[:top]):
        around = index.neighbours(passage, 1, 1)
        after = [p for p in around if p.passage_id > passage.passage_id]
        before = [p for p in around if p.passage_id < passage.passage_id]
        for other in (*after, *before):
            if states(other.text, fact) and belongs(other):
                rest = [item for item in ranked if item[0].passage_id != other.passage_id]
                return (*rest[:place], (other, score), *rest[place:])
    return ()


def abstention(
    index: CorpusIndex,
    question: str,
    terms: list[str],
    best: Passage,
    policy: AnswerPolicy,
    alias: Mapping[str, frozenset[str]] | None = None,
    cosines: Mapping[int, float] | None = None,
) -> Abstention | None:
    """Why ``best`` does not answer ``question``, or ``None`` when it may."""
    close = None if not cosines else cosines.get(best.passage_id)
    if close is not None and close < policy.semantic.min_cosine:
        return Abstention.FAR_IN_MEANING
    own = own_terms(index, best)  # the best sentence's terms, read once for both tests
    if coverage(index, terms, best, alias, own) < policy.min_coverage and (
        close is None or close < policy.semantic.pass_cosine
    ):
        return Abstention.LOW_COVERAGE
    if policy.abstain_on_unseen_names and unseen_names(index, question, alias):
        return Abstention.UNSEEN_NAME
    if policy.abstain_on_lone_word and lone_word(index, terms, best, alias, own):
        return Abstention.LONE_WORD
    if policy.abstain_on_negation and negation_mismatch(question, best):
        return Abstention.NEGATION
    return None


def answer_question(
    index: CorpusIndex, question: str, policy: AnswerPolicy = AnswerPolicy()
) -> Answer:
    """Answer ``question`` from ``index`` with quotes best first, or say why there are none."""
    return answer_from(index, rank_question(index, question, policy), policy)


def answer_from(index: CorpusIndex, ranking: Ranking, policy: AnswerPolicy) -> Answer:
    """The answer a finished ``ranking`` gives: its quotes above the floor, or why none."""
    if ranking.status not in (AnswerStatus.COVERED, AnswerStatus.RELATED):
        return Answer(ranking.question, ranking.status)
    best = ranking.ranked[0][1]
    kept = [(p, s) for p, s in _unrepeated(ranking.ranked) if s >= policy.relative_floor * best]
    terms = list(ranking.terms)
    shown, later = kept[: policy.top], kept[policy.top :]
    top = _quotes(index, terms, shown)
    more = quotes_later(len(later), lambda: _quotes(index, terms, later))
    if ranking.status is AnswerStatus.COVERED:
        return Answer(ranking.question, ranking.status, top, more)
    subject = subject_words(index, ranking.question, ranking.ranked[0][0])
    missing = asked_fact(ranking.question).value
    return Answer(ranking.question, ranking.status, top, more, subject, missing)


def _quotes(
    index: CorpusIndex, terms: list[str], kept: Sequence[tuple[Passage, float]]
) -> tuple[Quote, ...]:
    """``kept`` as quotes, the sentences' words and spans read in one gather (a run-on quote is
    analyzed)."""
    singles = [p.passage_id for p, _ in kept if p.sentences == 1]
    spans = dict(zip(singles, index.term_spans_of(singles), strict=True))
    return tuple(
        _quote(index, terms, passage, score, spans.get(passage.passage_id))
        for passage, score in kept
    )


def subject_words(index: CorpusIndex, question: str, passage: Passage) -> str:
    """The question's words, as typed and in order, whose terms ``passage`` holds: what the
    articles do mention ("malcolm glazer" of "how old is malcolm glazer")."""
    own = set(index.terms_of(passage))
    words = [
        question[token.start : token.end]
        for token in index.analyzer.tokens(question, remember=False)
        if token.term in own
    ]
    return " ".join(dict.fromkeys(words))


def _quote(
    index: CorpusIndex,
    terms: list[str],
    passage: Passage,
    score: float,
    spans: tuple[list[str], list[int], list[int]] | None = None,
) -> Quote:
    """``passage`` as a quote, its words that matched the question marked: the question's own
    terms, and for a question term the sentence lacks, the related words that stood in for it
    ("inventor" for "invented"), as the re-ranker counted them. ``spans``: the passage's
    ``term_spans_at`` when the caller has them."""
    if passage.sentences == 1:  # from the sentence marks (or kept from the re-ranker's reading)
        found, starts, ends = spans or index.term_spans_at(passage.passage_id)
        own = set(found)
    else:
        own = set(index.terms_of(passage))
        found, starts, ends = index.analyzer.term_spans(passage.text)
    wanted = set(terms)
    related = related_terms(index.analyzer)
    for term in terms:
        if term not in own:
            wanted |= related.of(term) & own
    matched = tuple(
        (start, end) for term, start, end in zip(found, starts, ends, strict=True) if term in wanted
    )
    return Quote(passage, score, matched)
