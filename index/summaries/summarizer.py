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
from datetime import datetime

import numpy as np

from index.errors import VerbatimError
from index.ingest.dates import moment
from index.model import Document, Quote
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.tables import LazyDocuments
from index.summaries.articles import find_article, match_articles
from index.summaries.corpus_analysis import CorpusAnalysis, analysis_of
from index.summaries.corroboration import copies_of
from index.summaries.mmr import select
from index.summaries.records import (
    DEFAULT_LENGTH,
    MAX_LENGTH,
    MIN_LENGTH,
    Summary,
    SummaryItem,
    SummaryMode,
    SummaryStatus,
)
from index.summaries.similarity import Floats, Rows
from index.summaries.stories import RELATED, Story, story_rows
from index.summaries.topics import complete_topic
from index.text.lexicon import related_terms

# A sentence is about a topic when it holds this idf share of the topic's words, and at least TIER
# of what the best sentence holds (so "fleet" alone is not about "shadow fleet").
MIN_TOPIC_COVERAGE = 0.5
TIER = 0.75
SUGGESTIONS = 5
MAX_COMPARED = 10  # articles side by side (Discord's length limit allows about that many)
STORY_POOL = 20  # stories looked at per sentence asked for, when skipping related ones


def summarize(
    index: CorpusIndex,
    topic: str | None = None,
    article: str | None = None,
    length: int = DEFAULT_LENGTH,
    since: datetime | None = None,
    mode: SummaryMode = SummaryMode.GIST,
) -> Summary:
    """Summarize the corpus, one article (``article``: a title or part of one) or a ``topic``;
    with ``since``, only articles published then or later (undated ones are left out).

    With a topic, ``mode`` lays it out as a timeline (by published date) or side by side (one
    sentence per covering article, at most ``MAX_COMPARED``). Raises ``VerbatimError`` for a
    ``length`` outside ``MIN_LENGTH``..``MAX_LENGTH``.
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
        else _about(analysis, topic, rows, document, length, scope, mode)
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
    """The most central sentences of the scope, without repeating one another; across several
    articles, one per story first (``story_gist``)."""
    if document is None and len(analysis.stories.stories) > 1:
        chosen = story_gist(analysis, length, rows)
    else:
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
    mode: SummaryMode = SummaryMode.GIST,
) -> Summary:
    """The sentences most about ``topic``: those holding its words, central among themselves."""
    terms = tuple(dict.fromkeys(analysis.index.analyzer.terms(topic, remember=False)))
    if not terms:
        return Summary(SummaryStatus.UNRECOGNIZED, topic, document, (), _suggest(analysis), scope)
    terms, rows = _merged_name(analysis, terms, rows)
    candidates, share = topic_sentences(analysis, terms, rows)
    if candidates.size == 0:
        suggestions = _suggest(analysis, topic)
        return Summary(SummaryStatus.NOT_COVERED, topic, document, (), suggestions, scope)
    relevance = share * (1.0 + analysis.vectors.centrality(candidates))
    if mode is SummaryMode.COMPARE:
        chosen = _one_per_article(analysis, candidates, relevance)
    else:
        chosen = select(analysis, candidates, relevance, length, frozenset(terms))
    items = _items(analysis, chosen, terms, dated=mode is not SummaryMode.GIST)
    return Summary(SummaryStatus.COVERED, topic, document, items, (), scope, mode=mode)


def _merged_name(
    analysis: CorpusAnalysis, terms: tuple[str, ...], rows: Rows
) -> tuple[tuple[str, ...], Rows]:
    """A topic shown as a full name ("Malcolm Glazer") is looked up by its short name in the
    articles that write the full one, as ``/topics`` counted it; anything else as typed."""
    topic = next((t for t in analysis.topics if t.terms == terms and t.match), None)
    if topic is None:
        return terms, rows
    linker = analysis.linker
    documents = np.unique(analysis.document_of_row[linker.rows(topic.terms)])
    return topic.match, rows[np.isin(analysis.document_of_row[rows], documents)]


def _one_per_article(analysis: CorpusAnalysis, candidates: Rows, relevance: Floats) -> list[int]:
    """Each covering article's most relevant sentence (at most ``MAX_COMPARED`` articles, those
    with the most relevant sentences)."""
    best: dict[int, tuple[float, int]] = {}
    doc_of = analysis.document_of_row
    for row, score in zip(candidates.tolist(), np.round(relevance, 9).tolist(), strict=True):
        doc = int(doc_of[row])
        if doc not in best or score > best[doc][0]:
            best[doc] = (score, row)
    ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1]))[:MAX_COMPARED]
    return [row for _, row in ranked]


def story_gist(analysis: CorpusAnalysis, length: int, scope: Rows | None = None) -> list[int]:
    """``length`` rows covering the corpus's stories: each story's most central sentence, best
    story first, before a second sentence from any; a story related to one already quoted waits
    until the unrelated ones are used (a summary of five stories, not of one told five ways)."""
    story_map = analysis.stories
    spans = {doc: (rows.first, rows.end) for doc, rows in analysis.documents.items()}
    if scope is not None and scope.size < len(analysis.vectors):  # e.g. only recent articles
        inside = set(np.unique(analysis.document_of_row[scope]).tolist())
        spans = {doc: span for doc, span in spans.items() if doc in inside}
    picks: dict[int, list[int]] = {}

    def pick(position: int) -> list[int]:
        if position not in picks:
            story = story_map.stories[position]
            rows = story_rows(Story(tuple(d for d in story.documents if d in spans), 0.0), spans)
            relevance = analysis.vectors.centrality(rows)
            picks[position] = select(analysis, rows, relevance, length)
        return picks[position]

    stories = story_map.stories
    positions = [p for p, story in enumerate(stories) if any(d in spans for d in story.documents)]
    candidates = positions[: STORY_POOL * length]
    first: list[int] = []
    waiting: list[int] = []
    for position in candidates:
        if len(first) == length:
            break
        story = story_map.stories[position]
        if any(story_map.related(story, story_map.stories[o]) >= RELATED for o in first):
            waiting.append(position)
        elif pick(position):
            first.append(position)
    order = (first + waiting)[:length]
    chosen = [row for position in order for row in pick(position)[:1]]
    for round_ in range(1, length):
        for position in order:
            if len(chosen) >= length:
                return chosen
            if round_ < len(pick(position)):
                chosen.append(pick(position)[round_])
    return chosen


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
    analysis: CorpusAnalysis, chosen: list[int], terms: tuple[str, ...], dated: bool = False
) -> tuple[SummaryItem, ...]:
    """The chosen rows as items in article order, or (``dated``) by published date, then
    article order (articles without a date last, in corpus order)."""
    index = analysis.index
    wanted = set(terms)
    items = []
    order = sorted(chosen, key=lambda row: _published_key(analysis, row) if dated else (0, 0, row))
    for row in order:
        passage = index.passage(row)
        matched = tuple(
            (token.start, token.end)
            for token in index.analyzer.tokens(passage.text)
            if token.term in wanted
        )
        items.append(SummaryItem(Quote(passage, 0.0, matched), copies_of(analysis, passage)))
    return tuple(items)


def _published_key(analysis: CorpusAnalysis, row: int) -> tuple[int, float, int]:
    """Dated articles first, oldest first; then undated ones, in corpus order, so a corpus
    without dates reads in article order as before (dates as the loader read them)."""
    when = float(analysis.published[int(analysis.document_of_row[row])])
    return (0, when, row) if np.isfinite(when) else (1, 0.0, row)


def _suggest(analysis: CorpusAnalysis, asked: str = "") -> tuple[str, ...]:
    """The real topics closest to ``asked``: those sharing one of its words (or a word related
    to one, from the WordNet table), then those starting like one; the top topics only when
    nothing is close."""
    index = analysis.index
    words = set(index.analyzer.terms(asked, remember=False))
    related = related_terms(index.analyzer)
    near = words | {other for word in words for other in related.of(word)}
    sharing = [t.phrase for t in analysis.topics if near & set(t.terms)]
    sharing.sort(key=lambda phrase: not (words & set(index.analyzer.terms(phrase))))
    starting = [
        phrase
        for word in asked.split()
        if len(word) >= 3
        for phrase in complete_topic(index, word, SUGGESTIONS)
    ]
    close = list(dict.fromkeys([*sharing, *starting]))
    if not close:
        close = [topic.phrase for topic in analysis.topics[:SUGGESTIONS]]
    return tuple(close[:SUGGESTIONS])
