"""Summaries made only of quoted sentences: the gist of the corpus, of one article, or of a topic.

``summarize`` is a pipeline of small steps over the same passages and analyzer the answers use:

1. **scope**: the whole corpus or one article, optionally only articles published ``since``;
2. **candidates**: every sentence in scope, or (with a topic) the sentences that mention it;
3. **relevance**: centrality, the cosine to the centroid of the other candidates (precomputed per
   article and for the corpus; for a topic, among the sentences about it, times how much of the
   topic's weight each holds);
4. **selection**: MMR with a hard cap on shared content words (``index.summaries.mmr``);
5. **order and sources**: article order, each quote with the other articles that carry the same
   sentence (``index.summaries.corroboration``).

Nothing is generated: every item is a ``Quote`` of a ``Passage``, verbatim by construction.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

import numpy as np

from index.errors import VerbatimError
from index.ingest.dates import moment
from index.model import Document, Passage, Quote
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.tables import LazyDocuments
from index.summaries.articles import find_article, match_articles
from index.summaries.corpus_analysis import CorpusAnalysis, analysis_of
from index.summaries.corroboration import copies_of
from index.summaries.mmr import select
from index.summaries.similarity import Floats, Rows
from index.summaries.topics import complete_topic

MIN_LENGTH, MAX_LENGTH, DEFAULT_LENGTH = 3, 6, 5
# A sentence is about a topic when it holds this idf share of the topic's words, and at least TIER
# of what the best sentence holds (so "fleet" alone is not about "shadow fleet").
MIN_TOPIC_COVERAGE = 0.5
TIER = 0.75
SUGGESTIONS = 5


class SummaryStatus(Enum):
    """Why a summary looks the way it does; adapters pick their wording from it."""

    COVERED = "covered"
    NOT_COVERED = "not_covered"  # the topic is not in the articles (suggestions say what is)
    UNRECOGNIZED = "unrecognized"  # the topic has no words to look up ("the", "???")
    UNKNOWN_ARTICLE = "unknown_article"  # no single article matches (suggestions list titles)
    NONE_SINCE = "none_since"  # no article in scope is dated on or after ``since``


@dataclass(frozen=True, slots=True)
class SummaryItem:
    """One quoted sentence and the other articles that carry it (nearly) verbatim."""

    quote: Quote
    also_in: tuple[Passage, ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    """Quoted sentences in article order, or a status explaining why there are none."""

    status: SummaryStatus
    topic: str | None = None
    article: Document | None = None
    items: tuple[SummaryItem, ...] = ()
    suggestions: tuple[str, ...] = field(default=())
    articles_in_scope: int = 0
    since: datetime | None = None

    @property
    def covered(self) -> bool:
        return self.status is SummaryStatus.COVERED


def summarize(
    index: CorpusIndex,
    topic: str | None = None,
    article: str | None = None,
    length: int = DEFAULT_LENGTH,
    since: datetime | None = None,
) -> Summary:
    """Summarize the corpus, one article (``article``: a title or part of one) or a ``topic``;
    with ``since``, only articles published then or later (undated ones are left out).

    Raises ``VerbatimError`` for a ``length`` outside ``MIN_LENGTH``..``MAX_LENGTH``.
    """
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise VerbatimError(f"summary length must be {MIN_LENGTH} to {MAX_LENGTH}, got {length}")
    analysis = analysis_of(index)
    topic = topic.strip() if topic and topic.strip() else None
    document = None
    if article and article.strip():
        document = find_article(index, article)
        if document is None:
            titles = tuple(d.title for d in match_articles(index, article, SUGGESTIONS))
            return Summary(SummaryStatus.UNKNOWN_ARTICLE, topic, None, (), titles)
    rows = _scope(analysis, document)
    scope = 1 if document else len(index.documents)
    if since is not None:
        recent = _published_since(index, since, document)
        if not recent:
            return Summary(SummaryStatus.NONE_SINCE, topic, document, since=since)
        rows = np.concatenate([analysis.documents[d].rows() for d in recent]).astype(np.int64)
        scope = len(recent)
    summary = (
        _gist(analysis, rows, document, length, scope)
        if topic is None
        else _about(analysis, topic, rows, document, length, scope)
    )
    return dataclasses.replace(summary, since=since)


def _published_since(index: CorpusIndex, since: datetime, document: Document | None) -> list[int]:
    """Ids of the documents in scope published at or after ``since``, in corpus order."""
    ids = [document.doc_id] if document is not None else range(len(index.documents))
    documents = index.documents
    if isinstance(documents, LazyDocuments):  # dates from the catalog, no article decoded
        dated = ((doc_id, moment(documents.table.meta[doc_id].published)) for doc_id in ids)
    else:
        dated = ((doc_id, moment(documents[doc_id].published)) for doc_id in ids)
    return [doc_id for doc_id, when in dated if when is not None and when >= since]


def _gist(
    analysis: CorpusAnalysis, rows: Rows, document: Document | None, length: int, scope: int
) -> Summary:
    """The most central sentences of the scope, without repeating one another."""
    chosen = select(analysis, rows, _centrality(analysis, rows, document), length)
    items = _items(analysis, chosen, ())
    return Summary(SummaryStatus.COVERED, None, document, items, (), scope)


def _about(
    analysis: CorpusAnalysis,
    topic: str,
    rows: Rows,
    document: Document | None,
    length: int,
    scope: int,
) -> Summary:
    """The sentences most about ``topic``: those holding its words, central among themselves."""
    terms = tuple(dict.fromkeys(analysis.index.analyzer.terms(topic, remember=False)))
    if not terms:
        return Summary(SummaryStatus.UNRECOGNIZED, topic, document, (), _suggest(analysis), scope)
    candidates, share = topic_sentences(analysis, terms, rows)
    if candidates.size == 0:
        suggestions = _suggest(analysis, topic)
        return Summary(SummaryStatus.NOT_COVERED, topic, document, (), suggestions, scope)
    relevance = share * (1.0 + analysis.vectors.centrality(candidates))
    chosen = select(analysis, candidates, relevance, length, frozenset(terms))
    items = _items(analysis, chosen, terms)
    return Summary(SummaryStatus.COVERED, topic, document, items, (), scope)


def topic_sentences(
    analysis: CorpusAnalysis, terms: tuple[str, ...], scope: Rows
) -> tuple[Rows, Floats]:
    """Sentences in ``scope`` about ``terms`` and the idf share of the terms each holds.

    A sentence is about the topic when it holds at least ``MIN_TOPIC_COVERAGE`` of the topic's
    idf weight and at least ``TIER`` of what the best sentence holds.
    """
    index = analysis.index
    weights = {term: index.idf(term) for term in terms}
    total = sum(weights.values())
    held: dict[int, float] = {}
    for term, weight in weights.items():
        for row in np.intersect1d(analysis.postings(term), scope, assume_unique=True).tolist():
            held[row] = held.get(row, 0.0) + weight / total
    if not held:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    floor = max(MIN_TOPIC_COVERAGE, TIER * max(held.values())) - 1e-9
    kept = sorted(row for row, share in held.items() if share >= floor)
    return np.asarray(kept, dtype=np.int64), np.asarray([held[r] for r in kept])


def _scope(analysis: CorpusAnalysis, document: Document | None) -> Rows:
    if document is None:
        return np.arange(len(analysis.vectors), dtype=np.int64)
    return analysis.documents[document.doc_id].rows()


def _centrality(analysis: CorpusAnalysis, rows: Rows, document: Document | None) -> Floats:
    """Within one article, centrality in it; across several, centrality in the whole corpus."""
    if document is not None or len(analysis.index.documents) == 1:
        return analysis.centrality[rows]
    return analysis.corpus_centrality[rows]


def _items(
    analysis: CorpusAnalysis, chosen: list[int], terms: tuple[str, ...]
) -> tuple[SummaryItem, ...]:
    index = analysis.index
    wanted = set(terms)
    items = []
    for row in sorted(chosen):
        passage = index.passage(row)
        matched = tuple(
            (token.start, token.end)
            for token in index.analyzer.tokens(passage.text)
            if token.term in wanted
        )
        items.append(SummaryItem(Quote(passage, 0.0, matched), copies_of(analysis, passage)))
    return tuple(items)


def _suggest(analysis: CorpusAnalysis, asked: str = "") -> tuple[str, ...]:
    """Topics the articles do cover: first those starting like a word of ``asked``, then the top."""
    related = [
        phrase
        for word in asked.split()
        if len(word) >= 3
        for phrase in complete_topic(analysis.index, word, SUGGESTIONS)
    ]
    top = [topic.phrase for topic in analysis.topics[:SUGGESTIONS]]
    return tuple(dict.fromkeys([*related, *top]))[:SUGGESTIONS]
