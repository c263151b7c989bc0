"""Second-stage re-ranking of the first stage's best passages with cheap extra evidence.

BM25 sees one sentence at a time and counts words. The evidence added here, each measured on
the quality benchmark (docs/quality.md, benchmarks/README.md), and each checked on the top ``depth``
candidates only through ``CorpusIndex``'s public methods, so the cost does not grow with the corpus:

- ``share``: the idf-weighted share of the question's distinct terms the sentence holds (BM25
  rewards repeating one term; a sentence that answers tends to hold *all* of them).
- ``paragraph``: the same share over the sentence's whole paragraph (the right paragraph first).
- ``paragraph_bm25``: BM25 of the sentence's whole paragraph (k1 1.2, b 0.75, the length compared
  with the candidates' paragraphs), over the best candidate paragraph's: unlike the share it counts
  a term the paragraph repeats, and weighs a long paragraph's matches down.
- ``title``: question terms the article's title names count for every sentence of that article
  ("... at Super Bowl 50?" — "The game was televised by CBS.").
- ``answer_type``: "how many" wants a number, "when" a date; the sentence holds one beyond the
  question's own words.
- ``coref``: a sentence opening with "It", "He", "This" ... borrows the question terms of the
  sentence before it, which it refers to.
- ``definition``: "What is X?" is answered by an article's first sentence.
- ``related``: a question term the sentence lacks counts for part of its weight when the sentence
  holds a word WordNet relates to it ("invented" / "inventor", "fought" / "battle";
  ``index.text.lexicon``).
- ``bigram``, ``trigram``: the idf-weighted share of the question's runs of two and three terms
  ("field goal", "Denver Broncos defense") that the sentence holds in a row.
- ``answer_near``: the asked-for number, date or name sits within ``near_window`` terms of a
  question term ("How long was the punt?" — "a 28-yard punt"); ``answer_near_number`` adds to it
  for "how many/much". "Which team/city ...?" asks for a name as "who" does.
- ``fact``: the sentence states the precise kind of fact asked for (an age for "how old", money
  for "how much ... cost", a date for "when"; ``index.answer_types``).
- ``article``: the first-stage scores of the candidate's article's sentences among the
  candidates, summed, over the best article's sum: an article with several sentences about the
  question is a prior against one sentence of another article that happens to share its words
  (free: the candidates are at hand; BM25 of whole articles measured no better and cost ~40 ms
  a question in a 2,209-article archive).
- ``cosine`` (the semantic extra only): the candidate's cosine with the question in
  all-MiniLM-L6-v2's space (``index.retrieval.semantic``): closeness in meaning, not in words.
- ``title_damp``: in all of the evidence above, a question term that a candidate article's title
  holds weighs ``1 - title_damp`` of its idf: the topic's words occur all through the article.

The final score is the BM25 score over the best one (1 for the top) plus the weighted evidence.

This module is the reference, one candidate at a time. The answer path runs
``index.answering.batch_rerank``, the same evidence for all candidates at once over arrays, which
must give bit-identical scores (its test turns every lever of ``EVIDENCE`` on alone): a new lever
goes into both.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from index.answering.answer_types import Fact, asked_fact, states
from index.answering.question import (
    AnswerType,
    answer_candidates,
    answer_type,
    is_definition_question,
)
from index.model import Passage
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.sentence_marks import REFERS_BACK_PATTERN
from index.text.lexicon import asks_for_a_name, related_terms

Scored = tuple[Passage, float]

# First words that point back to the sentence before ("It was ...", "This triggered ..."):
# kept in the index's sentence marks, so the pattern lives with them.
_REFERS_BACK = REFERS_BACK_PATTERN


@dataclass(frozen=True, slots=True)
class RerankWeights:
    """Weight of each kind of evidence (see the module docstring); all zero keeps BM25's order."""

    share: float = 0.5
    paragraph: float = 0.75
    paragraph_bm25: float = 0.4
    title: float = 1.0
    answer_type: float = 0.5
    coref: float = 0.5
    definition: float = 0.5
    depth: int = 50
    title_damp: float = 0.6
    related: float = 0.5
    bigram: float = 0.05
    answer_near: float = 0.2
    answer_near_number: float = 0.2
    near_window: int = 4
    trigram: float = 0.05
    article: float = 0.75
    fact: float = 0.25
    cosine: float = 0.5

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in EVIDENCE)


# The one list of the levers: every weight that adds evidence (what ``active`` checks, what the
# sweep turns off one at a time, what ``NO_EVIDENCE`` zeroes). ``title_damp`` shapes the others;
# ``depth`` and ``near_window`` are settings, not evidence.
EVIDENCE = (
    "share",
    "paragraph",
    "paragraph_bm25",
    "title",
    "answer_type",
    "coref",
    "definition",
    "related",
    "bigram",
    "trigram",
    "article",
    "fact",
    "answer_near",
    "answer_near_number",
    "cosine",
)
LEVERS = (*EVIDENCE, "title_damp")

# Every kind of evidence off: the re-ranker keeps BM25's order (the benchmark's "no-rerank", and
# the base the tests turn one lever on from).
NO_EVIDENCE = RerankWeights(**{name: 0 for name in LEVERS})


@dataclass(slots=True)
class QuestionEvidence:
    """What the re-ranker knows of the question and its candidates, built once per question."""

    weights: RerankWeights
    idf: dict[str, float]
    total: float
    kind: AnswerType
    near_kind: AnswerType
    near: float
    fact: Fact
    definition: bool
    top: float
    title_terms: set[str]
    titles: dict[int, set[str]]
    paragraphs: dict[tuple[int, int], Counter[str]]
    paragraph_bm25: dict[tuple[int, int], float]
    pooled: dict[int, float]
    related: dict[str, frozenset[str]]
    pairs: dict[tuple[str, ...], float]
    triples: dict[tuple[str, ...], float]
    cosines: Mapping[int, float]


def asked_kinds(question: str, weights: RerankWeights) -> tuple[AnswerType, AnswerType, float]:
    """The question's answer type, the kind the "answer near" evidence looks for ("which team"
    asks for a name as "who" does) and that evidence's weight (0 when it looks for nothing)."""
    kind = answer_type(question)
    near_kind = kind
    if kind is AnswerType.OTHER and asks_for_a_name(question):
        near_kind = AnswerType.PERSON
    near = weights.answer_near if near_kind is not AnswerType.OTHER else 0.0
    if kind is AnswerType.NUMBER:
        near += weights.answer_near_number
    return kind, near_kind, near


def rerank(
    index: CorpusIndex,
    question: str,
    terms: Sequence[str],
    candidates: Sequence[Scored],
    weights: RerankWeights,
    alias: Mapping[str, frozenset[str]] | None = None,
    cosines: Mapping[int, float] | None = None,
) -> list[Scored]:
    """``candidates`` re-scored and re-ordered, best first (ties keep the first-stage order).

    ``alias`` (question term -> the acronym or long form standing for it) counts like a related
    word; ``cosines`` (passage id -> cosine with the question) weigh ``weights.cosine``."""
    if not weights.active or not candidates:
        return list(candidates)
    known = question_evidence(index, question, terms, candidates, weights, alias, cosines)
    rescored = []
    for order, (passage, score) in enumerate(candidates):
        rescored.append(
            (score / known.top + evidence(index, question, passage, known), order, passage)
        )
    rescored.sort(key=lambda item: (-item[0], item[1]))
    return [(passage, score) for score, _, passage in rescored]


def question_evidence(
    index: CorpusIndex,
    question: str,
    terms: Sequence[str],
    candidates: Sequence[Scored],
    weights: RerankWeights,
    alias: Mapping[str, frozenset[str]] | None = None,
    cosines: Mapping[int, float] | None = None,
) -> QuestionEvidence:
    """Everything about the question and its candidates that does not depend on one candidate."""
    titles: dict[int, set[str]] = {}
    title_terms = candidate_titles(index, candidates, titles)
    idf = {term: index.idf(term) for term in dict.fromkeys(terms)}
    if weights.title_damp:
        idf = title_damped(idf, title_terms, weights.title_damp)
    kind, near_kind, near = asked_kinds(question, weights)
    paragraphs: dict[tuple[int, int], Counter[str]] = {}
    for passage, _ in candidates:
        if _key(passage) not in paragraphs:
            paragraphs[_key(passage)] = paragraph_counts(index, passage)
    related = question_related(index, idf) if weights.related else {}
    for term, others in (alias or {}).items():
        if term in idf:
            related[term] = related.get(term, frozenset()) | others
    sequence = index.analyzer.terms(question, remember=False)
    return QuestionEvidence(
        weights=weights,
        idf=idf,
        total=sum(idf.values()) or 1.0,
        kind=kind,
        near_kind=near_kind,
        near=near,
        fact=asked_fact(question),
        definition=is_definition_question(question),
        top=candidates[0][1] or 1.0,
        title_terms=title_terms,
        titles=titles,
        paragraphs=paragraphs,
        paragraph_bm25=_paragraph_bm25(idf, paragraphs) if weights.paragraph_bm25 else {},
        pooled=article_prior(candidates) if weights.article else {},
        related=related,
        pairs=question_runs(sequence, idf, 2) if weights.bigram else {},
        triples=question_runs(sequence, idf, 3) if weights.trigram else {},
        cosines=(cosines or {}) if weights.cosine else {},
    )


def evidence(index: CorpusIndex, question: str, passage: Passage, known: QuestionEvidence) -> float:
    """The weighted evidence for one candidate (added in a fixed order: scores reproduce)."""
    weights, idf, total = known.weights, known.idf, known.total
    own_terms = index.terms_of(passage)
    own = set(own_terms)
    found_evidence = (
        weights.share * _weight_in(idf, own) / total
        + weights.paragraph * _weight_in(idf, set(known.paragraphs[_key(passage)])) / total
        + weights.paragraph_bm25 * known.paragraph_bm25.get(_key(passage), 0.0)
        + weights.title * _weight_in(idf, _title(index, passage, known.titles) - own) / total
        + weights.coref * _weight_in(idf, referred_terms(index, passage) - own) / total
        # 0 for the best article, less for the others: a constant shift would let weak
        # sentences of a one-article corpus pass the answer's relative floor.
        + weights.article * (known.pooled.get(passage.document.doc_id, 1.0) - 1.0)
    )
    if known.related:
        found_evidence += weights.related * _related_weight(idf, own, known.related) / total
    if known.pairs:
        found_evidence += weights.bigram * runs_share(known.pairs, own, own_terms)
    if known.triples:
        found_evidence += weights.trigram * runs_share(known.triples, own, own_terms)
    # Where the answer may be: empty unless the question asks for a number, date or name.
    found = answer_candidates(passage.text, known.near_kind, question)
    if known.kind is not AnswerType.OTHER and found:
        found_evidence += weights.answer_type
    if known.near and answer_near_text(
        index, passage.text, found, known.near_kind, idf, known.title_terms, weights.near_window
    ):
        found_evidence += known.near
    if known.definition and passage.paragraph == 1 and passage.sentence == 1:
        found_evidence += weights.definition
    if weights.fact and known.fact is not Fact.NONE and states(passage.text, known.fact):
        found_evidence += weights.fact
    if known.cosines:
        found_evidence += weights.cosine * known.cosines.get(passage.passage_id, 0.0)
    return found_evidence


def _weight_in(idf: dict[str, float], present: set[str]) -> float:
    return sum(weight for term, weight in idf.items() if term in present)


def answer_near_text(
    index: CorpusIndex,
    text: str,
    found: Sequence[re.Match[str]],
    kind: AnswerType,
    idf: dict[str, float],
    title_terms: AbstractSet[str],
    window: int,
) -> bool:
    """Whether one of ``found`` (``answer_candidates`` of the sentence ``text`` for the asked
    ``kind``) sits within ``window`` terms of a question term.

    "How many yards was the punt?": "a 28-yard punt" holds the number next to "punt"; a sentence
    that names the punt and, far away, some other number does not answer as well. A name that is a
    question or title word ("Super Bowl") is what is asked about, not the answer.
    """
    starts = answer_starts(index, found, kind, idf, title_terms)
    if not starts:
        return False
    terms, offsets, _ = index.analyzer.term_spans(text)
    return near_in(terms, offsets, starts, idf, window)


def answer_starts(
    index: CorpusIndex,
    found: Sequence[re.Match[str]],
    kind: AnswerType,
    idf: dict[str, float],
    title_terms: AbstractSet[str],
) -> list[int]:
    """Where the possible answers among ``found`` start (a name that is a question or title
    word is not one)."""
    analyzer = index.analyzer
    return [
        match.start()
        for match in found
        if kind in (AnswerType.NUMBER, AnswerType.DATE)
        or ((term := analyzer.term(match.group())) not in idf and term not in title_terms)
    ]


def near_in(
    terms: Sequence[str],
    offsets: Sequence[int],
    starts: list[int],
    idf: dict[str, float],
    window: int,
) -> bool:
    """Whether an answer starting at one of ``starts`` lies within ``window`` terms of a question
    term, in a sentence analyzed as its ``terms`` and where their words start (``offsets``)."""
    matched = [i for i, term in enumerate(terms) if term in idf]
    return any(abs(bisect_left(offsets, start) - i) <= window for start in starts for i in matched)


def question_related(index: CorpusIndex, idf: dict[str, float]) -> dict[str, frozenset[str]]:
    """Each question term -> its related terms (``index.related``), for the terms that have any."""
    table = related_terms(index.analyzer)
    related = {term: table.of(term) for term in idf}
    return {term: others for term, others in related.items() if others}


def _related_weight(
    idf: dict[str, float], own: set[str], related: dict[str, frozenset[str]]
) -> float:
    """The weight of the question terms the sentence lacks but holds a related term of."""
    return sum(
        idf[term]
        for term, others in related.items()
        if term not in own and not others.isdisjoint(own)
    )


def question_runs(
    sequence: Sequence[str], idf: dict[str, float], length: int
) -> dict[tuple[str, ...], float]:
    """Runs of ``length`` consecutive terms of the question's analyzed ``sequence`` ("field goal",
    "Denver Broncos defense") among its weighed terms, and the weight of each: its terms' idf."""
    runs = zip(*(sequence[i:] for i in range(length)), strict=False)
    return {run: sum(idf[t] for t in run) for run in runs if all(t in idf for t in run)}


def runs_share(runs: dict[tuple[str, ...], float], own: set[str], terms: Sequence[str]) -> float:
    """The share of the runs' weight that occurs in a row in ``terms`` (a sentence's terms, whose
    set is ``own``: a run whose terms are not all there is skipped without a look)."""
    held = [run for run in runs if own.issuperset(run)]
    if not held:
        return 0.0
    length = len(held[0])
    present = set(zip(*(terms[i:] for i in range(length)), strict=False))
    return sum(runs[run] for run in held if run in present) / (sum(runs.values()) or 1.0)


def paragraph_counts(index: CorpusIndex, passage: Passage, reach: int = 30) -> Counter[str]:
    """How often each term occurs in the paragraph holding ``passage`` (``reach`` as above)."""
    return index.paragraph_term_counts(passage, reach)


def article_prior(candidates: Sequence[Scored]) -> dict[int, float]:
    """Each candidate article's summed first-stage scores over the best article's (0..1)."""
    sums: dict[int, float] = {}
    for passage, score in candidates:
        doc_id = passage.document.doc_id
        sums[doc_id] = sums.get(doc_id, 0.0) + score
    most = max(sums.values()) or 1.0
    return {doc_id: value / most for doc_id, value in sums.items()}


def _key(passage: Passage) -> tuple[int, int]:
    return passage.document.doc_id, passage.paragraph


def _paragraph_bm25(
    idf: dict[str, float],
    paragraphs: dict[tuple[int, int], Counter[str]],
    k1: float = 1.2,
    b: float = 0.75,
) -> dict[tuple[int, int], float]:
    """BM25 of each candidate paragraph over the best one's (0..1).

    Only the candidates' paragraphs are scored, so their mean length stands in for the corpus's.
    """
    lengths = {key: sum(counts.values()) for key, counts in paragraphs.items()}
    mean = sum(lengths.values()) / len(lengths) or 1.0
    scores = {}
    for key, counts in paragraphs.items():
        norm = k1 * (1 - b + b * lengths[key] / mean)
        scores[key] = sum(
            weight * counts[t] * (k1 + 1) / (counts[t] + norm)
            for t, weight in idf.items()
            if counts[t]
        )
    best = max(scores.values()) or 1.0
    return {key: score / best for key, score in scores.items()}


def referred_terms(index: CorpusIndex, passage: Passage) -> set[str]:
    """Terms of the sentence before ``passage`` when it opens by referring back to it."""
    if passage.sentence == 1 or not _REFERS_BACK.match(passage.text):
        return set()
    before = index.neighbours(passage, 1, 0)[0]
    return set(index.terms_of(before)) if before.paragraph == passage.paragraph else set()


def refers_back(text: str) -> bool:
    """Whether a sentence opens by pointing back to the one before ("It was ...")."""
    return _REFERS_BACK.match(text) is not None


def _title(index: CorpusIndex, passage: Passage, cache: dict[int, set[str]]) -> set[str]:
    document = passage.document
    if document.doc_id not in cache:
        cache[document.doc_id] = set(index.analyzer.terms(document.title))
    return cache[document.doc_id]


def candidate_titles(
    index: CorpusIndex, candidates: Sequence[Scored], cache: dict[int, set[str]]
) -> set[str]:
    """The terms of the candidates' article titles (``cache``: analyzed titles by document)."""
    return set().union(*(_title(index, passage, cache) for passage, _ in candidates))


def title_damped(idf: dict[str, float], title_terms: set[str], damp: float) -> dict[str, float]:
    """``idf`` with the question terms a candidate's article title holds weighed ``1 - damp``.

    A title word ("Super Bowl") is the article's topic: it occurs all through the article, so in
    the re-ranker's evidence it separates its sentences less than the rest of the question does.
    """
    return {term: w * (1 - damp) if term in title_terms else w for term, w in idf.items()}
