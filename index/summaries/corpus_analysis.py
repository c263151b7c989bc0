"""Corpus-level work for summaries and topics, done once per index and reused by every request.

A ``CorpusIndex`` never changes once built, so its sentence vectors, each sentence's centrality
in its article and in the corpus, the term → sentences postings and the topic list are computed
the first time they are needed (or up front with ``prepare``) and cached against the index
object. The cache holds the index weakly: dropping an index drops its analysis too.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import numpy as np

from index.ingest.dates import moment
from index.pacing import paced
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.sources import SourceInfo, list_sources
from index.retrieval.tables import LazyDocuments
from index.summaries.keyphrases import Topic, extract_topics
from index.summaries.similarity import Floats, Rows, SentenceVectors
from index.text.lexicon import naming_nouns, related_terms

T = TypeVar("T")

_CACHE: weakref.WeakKeyDictionary[CorpusIndex, CorpusAnalysis] = weakref.WeakKeyDictionary()
_PINNED: dict[int, CorpusAnalysis] = {}
_LOCK = threading.Lock()


class _Once(Generic[T]):
    """A lazily computed attribute, computed at most once even when several threads ask.

    (``functools.cached_property`` stopped locking in Python 3.12; the bot asks from threads.)
    """

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance: CorpusAnalysis, owner: type | None = None) -> T:
        done = instance._computed
        if self._name not in done:
            with instance._lock:
                if self._name not in done:
                    done[self._name] = self._compute(instance)
        return cast(T, done[self._name])


class CorpusAnalysis:
    """Vectors, centrality, postings and topics of one index (lazy, then cached)."""

    def __init__(self, index: CorpusIndex) -> None:
        # Weak: the cache maps index -> analysis weakly by key, and a value that held its key
        # strongly would keep every index ever prepared alive (one per live reload, for good).
        try:
            self._index: Callable[[], CorpusIndex | None] = weakref.ref(index)
        except TypeError:  # an index type without weak references (pinned below) is kept
            self._index = lambda: index
        self._lock = threading.RLock()
        self._computed: dict[str, object] = {}

    @property
    def index(self) -> CorpusIndex:
        index = self._index()
        if index is None:
            raise ReferenceError("the index of this analysis was dropped")
        return index

    @_Once
    def vectors(self) -> SentenceVectors:
        return SentenceVectors.build(self.index)

    @_Once
    def documents(self) -> dict[int, DocumentRows]:
        """Each document's passages: passages of one document are consecutive in corpus order."""
        spans: dict[int, DocumentRows] = {}
        for passage in paced(self.index.iter_passages()):
            doc_id = passage.document.doc_id
            known = spans.get(doc_id)
            first = known.first if known else passage.passage_id
            spans[doc_id] = DocumentRows(first, passage.passage_id + 1)
        return spans

    @_Once
    def centrality(self) -> Floats:
        """Each sentence's centrality within its own article (cosine to the others' centroid)."""
        scores = np.zeros(len(self.vectors))
        for rows in self.documents.values():
            scores[rows.first : rows.end] = self.vectors.centrality(rows.rows())
        return scores

    @_Once
    def corpus_centrality(self) -> Floats:
        """Each sentence's centrality in the whole corpus (the gist across articles)."""
        return self.vectors.centrality()

    @_Once
    def sources(self) -> list[SourceInfo]:
        """The articles with their sizes (the bot's ``/sources``), once per index."""
        return list_sources(self.index)

    @_Once
    def published(self) -> Floats:
        """Each document's published time (POSIX seconds; -inf undated), for newer-first ties."""
        documents = self.index.documents
        dated = documents.table.meta if isinstance(documents, LazyDocuments) else documents
        when = (moment(item.published) for item in dated)
        return np.array([w.timestamp() if w else -np.inf for w in when], dtype=np.float64)

    @_Once
    def topics(self) -> tuple[Topic, ...]:
        return extract_topics(self.index, self.centrality.tolist())

    def postings(self, term: str) -> Rows:
        """Rows (passage ids) whose terms include ``term``, ascending."""
        term_id = self.vectors.vocabulary.get(term)
        if term_id is None:
            return np.zeros(0, dtype=np.int64)
        lo, hi = self._posting_offsets[term_id], self._posting_offsets[term_id + 1]
        return self._posting_rows[lo:hi]

    @_Once
    def _posting_rows(self) -> Rows:
        vectors = self.vectors
        rows = np.repeat(np.arange(len(vectors), dtype=np.int64), np.diff(vectors.offsets))
        return rows[np.argsort(vectors.term_ids, kind="stable")]

    @_Once
    def _posting_offsets(self) -> Rows:
        counts = np.bincount(self.vectors.term_ids, minlength=len(self.vectors.vocabulary))
        return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    def warm(self) -> None:
        """Compute everything now (at index time) so no request pays for it."""
        _ = self.topics, self.corpus_centrality, self._posting_rows, self._posting_offsets
        _ = self.sources, self.published


@dataclass(frozen=True, slots=True)
class DocumentRows:
    """The passage ids ``first`` (inclusive) to ``end`` (exclusive) of one document."""

    first: int
    end: int

    def rows(self) -> Rows:
        return np.arange(self.first, self.end, dtype=np.int64)


def analysis_of(index: CorpusIndex) -> CorpusAnalysis:
    """The one analysis of ``index``, created on first use; safe to call from several threads."""
    with _LOCK:
        try:
            analysis = _CACHE.get(index)
            if analysis is None:
                analysis = _CACHE[index] = CorpusAnalysis(index)
        except TypeError:  # an index type without weak references: keep it for good instead
            analysis = _PINNED.get(id(index))
            if analysis is None or analysis.index is not index:
                analysis = _PINNED[id(index)] = CorpusAnalysis(index)
    return analysis


def prepare(index: CorpusIndex) -> CorpusAnalysis:
    """Build the analysis of ``index`` now; call it right after building the index (in a thread).

    Also reads the re-ranker's WordNet tables, so the first question does not pay for them.
    """
    related_terms(index.analyzer)
    naming_nouns()
    analysis = analysis_of(index)
    analysis.warm()
    return analysis
