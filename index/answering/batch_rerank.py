"""The re-ranker's evidence for all first-stage candidates at once, over arrays.

``index.answering.rerank`` states each kind of evidence per candidate (``evidence``), reading
each candidate's paragraph and re-analyzing its sentence: clear, and the reference. Per question
that is 50 sentences re-tokenized and 50 paragraphs counted in Python, most of a whole answer's
time at a million sentences. Here the same evidence is computed from the forward index for the 50
candidates together: which question terms (and related terms) each sentence, the sentence before
it and its paragraph hold, in a few array operations; each sentence's terms in order, where
their words start and whether it refers back come from the index's sentence marks
(``index.retrieval.sentence_marks``), so only the regular-expression evidence (numbers, dates,
names, facts) reads the candidates' texts, for the questions that ask for it. The floating-
point operations are the reference's, in the same order, so every score is bit-identical
(``tests/index/answering/test_batch_rerank.py`` checks it on random candidates for every lever).
No ``Passage`` is built: candidates are passage ids, and callers build records for what they show.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from index.answering.answer_types import Fact, asked_fact, states
from index.answering.question import (
    AnswerType,
    answer_finder,
    is_definition_question,
)
from index.answering.rerank import (
    RerankWeights,
    answer_starts,
    asked_kinds,
    near_in,
    question_related,
    question_runs,
    runs_share,
    title_damped,
)
from index.retrieval.corpus_index import CorpusIndex

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

# The paragraph reach of ``rerank.paragraph_counts`` and the BM25 parameters of
# ``rerank._paragraph_bm25``.
REACH = 30
K1, B = 1.2, 0.75


def rerank_ids(
    index: CorpusIndex,
    question: str,
    terms: Sequence[str],
    ids: Sequence[int],
    scores: Sequence[float],
    weights: RerankWeights,
    alias: Mapping[str, frozenset[str]] | None = None,
    cosines: Mapping[int, float] | None = None,
    keep: int | None = None,
) -> list[tuple[int, float]]:
    """``rerank.rerank`` for candidates given as passage ``ids`` with first-stage ``scores``:
    (the candidate's place in ``ids``, its new score), best first, ties in first-stage order.
    ``cosines`` (the semantic extra): passage id -> cosine with the question.

    With ``keep``, only the first ``keep`` places need be right: a candidate whose score cannot
    reach them, however its own words turn out, is left out unread (``_own_evidence``); the ones
    returned still hold every candidate that scores as high as the ``keep``-th."""
    if not weights.active or not ids:
        return list(enumerate(scores))
    base, words = _array_evidence(index, question, terms, ids, scores, weights, alias)
    top = scores[0] or 1.0
    lift = [weights.cosine * (cosines or {}).get(i, 0.0) for i in ids]
    found = _own_evidence(
        base, words, [s / top + x for s, x in zip(scores, lift, strict=True)], keep
    )
    if weights.cosine and cosines:  # added last, as ``rerank.evidence`` adds it
        found = {i: f + lift[i] for i, f in found.items()}
    rescored = sorted(
        ((scores[order] / top + extra, order) for order, extra in found.items()),
        key=lambda item: (-item[0], item[1]),
    )
    return [(order, score) for score, order in rescored]


# How far the bound of a candidate's score may fall below the score it bounds by rounding: the
# bound adds the same non-negative terms in another order (scores are of order 1-10).
_SLACK = 1e-9
# Candidates read together once the first ``keep`` are: one at a time reads the fewest (31% of
# 50 at 1M, against 45% reading all those the first ``keep`` leave in reach), but each read
# has its gathers to set up; five read 32.5%.
_BATCH = 5


def _own_evidence(
    base: list[float], words: _OwnWords, rest: list[float], keep: int | None
) -> dict[int, float]:
    """Each read candidate's place -> its evidence (``base`` plus what its own words add),
    ``rest`` being what the rest of its score adds. Without ``keep``, every candidate is read;
    with it, the ``keep`` whose score's bound is highest (``_OwnWords.bounds``), then the others
    by bound, a few at a time, while a bound reaches the ``keep``-th best score read so far:
    the ones left cannot be among the first ``keep``, nor tie with one."""
    count = len(base)
    if keep is None or keep >= count or not words.bounded:
        everyone = list(range(count))
        return dict(zip(everyone, words.evidence(everyone, base), strict=True))
    ceiling = [r + b + most for r, b, most in zip(rest, base, words.bounds(), strict=True)]
    by_ceiling = sorted(range(count), key=lambda i: -ceiling[i])
    found: dict[int, float] = {}
    batch, at = by_ceiling[:keep], keep
    while batch:
        found.update(zip(batch, words.evidence(batch, base), strict=True))
        floor = heapq.nlargest(keep, (rest[i] + f for i, f in found.items()))[-1] - _SLACK
        batch = [i for i in by_ceiling[at : at + _BATCH] if ceiling[i] >= floor]
        at += _BATCH
    return found


def _array_evidence(
    index: CorpusIndex,
    question: str,
    terms: Sequence[str],
    ids: Sequence[int],
    scores: Sequence[float],
    weights: RerankWeights,
    alias: Mapping[str, frozenset[str]] | None = None,
) -> tuple[list[float], _OwnWords]:
    """The evidence of every candidate (passage ``ids``, first-stage ``scores``) that the
    forward index gives (``rerank.evidence`` up to what ``_OwnWords`` adds), and the reader of
    the rest."""
    pid = np.asarray(ids, dtype=np.int64)
    positions, paragraphs, sentences = index.positions(pid)
    doc_ids = index.document_ids(positions).tolist()
    paragraph_numbers, sentence_numbers = paragraphs.tolist(), sentences.tolist()
    # Titles by ``Document.doc_id``, from the first candidate of each (as ``rerank._title``).
    titles: dict[int, frozenset[str]] = {}
    for position, doc_id in zip(positions.tolist(), doc_ids, strict=True):
        if doc_id not in titles:
            titles[doc_id] = index.title_terms(position)
    title_terms: set[str] = set().union(*titles.values())
    idf = {term: index.idf(term) for term in dict.fromkeys(terms)}
    if weights.title_damp:
        idf = title_damped(idf, title_terms, weights.title_damp)
    total = sum(idf.values()) or 1.0
    asked = list(idf)
    related = question_related(index, idf) if weights.related else {}
    for term, others in (alias or {}).items():
        if term in idf:
            related[term] = related.get(term, frozenset()) | others
    # Columns: the question's terms, then every related term ("inventor" for "invented").
    extra = sorted({t for others in related.values() for t in others} - set(asked))
    column = {term: i for i, term in enumerate([*asked, *extra])}
    wanted = index.term_ids([*asked, *extra])
    # The sentence before each candidate that refers back to it (itself when none: no terms
    # beyond its own, as ``rerank.referred_terms`` gives none).
    refers = (sentences != 1) & index.refers_back(pid)
    before = index.preceding(pid)
    refers &= (before != pid) & (index.positions(before)[1] == paragraphs)
    # Each paragraph (by ``Document.doc_id`` and number, as ``rerank`` keys them) is counted
    # around its first candidate; one gather counts the sentences, those before and paragraphs.
    first: dict[tuple[int, int], int] = {}
    keys = list(zip(doc_ids, paragraph_numbers, strict=True))
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    row = {key: r for r, key in enumerate(first)}
    of = np.asarray([row[key] for key in keys], dtype=np.int64)
    starts, ends = index.paragraph_spans(pid[np.fromiter(first.values(), np.int64)], REACH)
    sentences_before = np.concatenate([pid, before[refers]])
    counts, lengths = index.range_term_counts(
        np.concatenate([sentences_before, starts]),
        np.concatenate([sentences_before + 1, ends]),
        wanted,
    )
    held = counts[: sentences_before.size] > 0
    own, referred = held[: pid.size], np.zeros((pid.size, wanted.size), dtype=np.bool_)
    referred[refers] = held[pid.size :]
    mine = own[:, : len(asked)]
    title_rows = {d: [term in title for term in asked] for d, title in titles.items()}
    in_title = np.asarray([title_rows[d] for d in doc_ids], dtype=np.bool_).reshape(
        pid.size, len(asked)
    )
    paragraph_counts = counts[sentences_before.size :, : len(asked)]
    in_paragraph = paragraph_counts[of] > 0
    paragraph_bm25 = np.zeros(pid.size, dtype=np.float64)
    if weights.paragraph_bm25:
        paragraph_lengths = lengths[sentences_before.size :]
        paragraph_bm25 = _paragraph_bm25(paragraph_counts, paragraph_lengths, idf)[of]
    weight = np.asarray(list(idf.values()), dtype=np.float64)
    pooled = _article_prior(doc_ids, scores) if weights.article else None
    in_own, in_paragraph_weight, in_title_weight, referred_weight = _weights_in(
        weight, mine, in_paragraph, in_title & ~mine, referred[:, : len(asked)] & ~mine
    )
    found = (
        weights.share * in_own / total
        + weights.paragraph * in_paragraph_weight / total
        + weights.paragraph_bm25 * paragraph_bm25
        + weights.title * in_title_weight / total
        + weights.coref * referred_weight / total
        + weights.article * ((pooled if pooled is not None else 1.0) - 1.0)
    )
    if related:
        lifted = np.zeros(pid.size, dtype=np.float64)
        for term, others in related.items():
            j = column[term]
            holds = own[:, [column[t] for t in others]].any(axis=1)
            lifted = lifted + np.where(~own[:, j] & holds, idf[term], 0.0)
        found = found + weights.related * lifted / total
    words = _OwnWords(
        index,
        question,
        mine,
        idf,
        title_terms,
        weights,
        (ids, paragraph_numbers, sentence_numbers),
    )
    return found.tolist(), words


class _OwnWords:
    """The evidence read from each candidate's own words, added in the reference's order: runs
    of question terms in a row, the asked-for thing (near a question term), first sentence, fact.

    A candidate's text is read only when the question asks for a kind of answer or fact that
    a pattern looks for; its terms in order and their words' offsets come from the sentence
    marks. What the question asks is read once; candidates are read in batches of places."""

    def __init__(
        self,
        index: CorpusIndex,
        question: str,
        mine: Bools,
        idf: dict[str, float],
        title_terms: set[str],
        weights: RerankWeights,
        where: tuple[Sequence[int], list[int], list[int]],
    ) -> None:
        self._index, self._idf, self._title_terms, self._weights = index, idf, title_terms, weights
        self._ids, self._paragraphs, self._sentences = where
        self._kind, self._near_kind, self._near = asked_kinds(question, weights)
        self._fact = asked_fact(question)
        self._facts = bool(weights.fact) and self._fact is not Fact.NONE
        self._patterns = self._near_kind is not AnswerType.OTHER or self._facts
        self._definition = is_definition_question(question)
        sequence = index.analyzer.terms(question, remember=False)
        self._runs = [
            (weight, table, _held_runs(table, list(idf), mine))
            for weight, table in (
                (weights.bigram, question_runs(sequence, idf, 2) if weights.bigram else {}),
                (weights.trigram, question_runs(sequence, idf, 3) if weights.trigram else {}),
            )
            if table
        ]
        self._answers = answer_finder(self._near_kind, question)

    @property
    def bounded(self) -> bool:
        """Whether ``bounds`` bounds: every weight the words may add is at least 0 (and every
        term's, so a run's share is at most 1)."""
        weights = self._weights
        added = (weights.answer_type, self._near, weights.definition, weights.fact)
        runs = [w for w, _, _ in self._runs]
        return all(w >= 0 for w in [*added, *runs, *self._idf.values()])

    def bounds(self) -> list[float]:
        """The most ``evidence`` can add to each candidate, its words unread (a run's share is
        at most 1, and only a candidate holding a run's every term has one)."""
        weights, kind = self._weights, self._kind
        anyway = (
            (weights.answer_type if kind is not AnswerType.OTHER else 0.0)
            + self._near
            + (weights.fact if self._facts else 0.0)
        )
        first = weights.definition if self._definition else 0.0
        return [
            anyway
            + sum(weight for weight, _, held in self._runs if held[i])
            + (first if paragraph == 1 and sentence == 1 else 0.0)
            for i, (paragraph, sentence) in enumerate(
                zip(self._paragraphs, self._sentences, strict=True)
            )
        ]

    def evidence(self, places: Sequence[int], base: list[float]) -> list[float]:
        """``base`` of the candidates at ``places`` with what their own words add."""
        index, idf, weights, near_kind = self._index, self._idf, self._weights, self._near_kind
        ids = [self._ids[i] for i in places]
        count = len(ids)
        texts = [index.passage_text(i) for i in ids] if self._patterns else [""] * count
        answers = self._answers
        things = [answers(text) if near_kind is not AnswerType.OTHER else [] for text in texts]
        starts = [
            answer_starts(index, found_here, near_kind, idf, self._title_terms)
            if self._near
            else []
            for found_here in things
        ]
        # The terms in order of the candidates that hold a whole run, read in one gather from
        # the sentence marks; the offsets of their words for those with an answer to look near
        # (whose texts were read above).
        runs = self._runs
        in_runs = {j for j, i in enumerate(places) if any(held[i] for _, _, held in runs)}
        looked = [j for j in range(count) if starts[j]]
        read = sorted(in_runs.union(looked))
        sequences = dict(zip(read, index.term_sequences([ids[j] for j in read]), strict=True))
        analyzed = dict(
            zip(
                looked,
                index.term_starts([ids[j] for j in looked], [sequences[j] for j in looked]),
                strict=True,
            )
        )
        result = []
        for j, i in enumerate(places):
            evidence = base[i]
            for weight, table, held in runs:
                share = 0.0
                if held[i]:
                    own_terms = sequences[j]
                    share = runs_share(table, set(own_terms), own_terms)
                evidence += weight * share
            if self._kind is not AnswerType.OTHER and things[j]:
                evidence += weights.answer_type
            if starts[j] and near_in(*analyzed[j], starts[j], idf, weights.near_window):
                evidence += self._near
            if self._definition and self._paragraphs[i] == 1 and self._sentences[i] == 1:
                evidence += weights.definition
            if self._facts and states(texts[j], self._fact):
                evidence += weights.fact
            result.append(evidence)
        return result


def _held_runs(runs: dict[tuple[str, ...], float], asked: list[str], mine: Bools) -> list[bool]:
    """Whether each candidate holds every term of at least one of ``runs``."""
    place = {term: j for j, term in enumerate(asked)}
    held = np.zeros(mine.shape[0], dtype=np.bool_)
    for run in runs:
        held |= mine[:, [place[t] for t in run]].all(axis=1)
    return [bool(x) for x in held]


def _weights_in(weight: Floats, *present: Bools) -> list[Floats]:
    """Each row's summed ``weight`` of the present columns, for each matrix of ``present`` (all
    of one shape), added left to right from 0 as ``rerank._weight_in`` adds them (adding 0.0
    for an absent term changes no bit): one column add for all the matrices at once."""
    parts = np.where(np.stack(present), weight, 0.0)
    total = np.zeros(parts.shape[:2], dtype=np.float64)
    for j in range(weight.size):
        total = total + parts[:, :, j]
    return list(total)


def _article_prior(doc_ids: list[int], scores: Sequence[float]) -> Floats:
    """``rerank.article_prior`` of each candidate's article."""
    sums: dict[int, float] = {}
    for doc_id, score in zip(doc_ids, scores, strict=True):
        sums[doc_id] = sums.get(doc_id, 0.0) + score
    most = max(sums.values()) or 1.0
    return np.asarray([sums[doc_id] / most for doc_id in doc_ids], dtype=np.float64)


def _paragraph_bm25(
    counts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64], idf: dict[str, float]
) -> Floats:
    """``rerank._paragraph_bm25`` of the candidate paragraphs given their question-term
    ``counts`` and ``lengths``: BM25 over the best one's, the same operations in the same order."""
    mean = int(lengths.sum()) / lengths.size or 1.0
    norm = K1 * (1 - B + B * lengths / mean)
    # Every term's part at once (the same operations on each element), summed term by term.
    times = counts.astype(np.float64)
    weight = np.fromiter(idf.values(), dtype=np.float64, count=len(idf))
    parts = np.where(counts > 0, weight * times * (K1 + 1) / (times + norm[:, None]), 0.0)
    scores = np.zeros(lengths.size, dtype=np.float64)
    for j in range(weight.size):
        scores = scores + parts[:, j]
    best = float(scores.max()) or 1.0
    result: Floats = scores / best
    return result
