"""Corpus-level work for summaries and topics, done once per index and reused by every request.

A ``CorpusIndex`` never changes once built, so its sentence vectors, each sentence's centrality
in its article and in the corpus, the term → sentences postings and the topic list are computed
the first time they are needed (or up front with ``prepare``) and cached against the index
object. The cache holds the index weakly: dropping an index drops its analysis too.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import numpy as np

from index.ingest.dates import moment
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.sources import SourceInfo, list_sources
from index.retrieval.tables import LazyDocuments
from index.summaries import kept
from index.summaries.kept import Keeping
from index.summaries.keyphrases import Topic, extract_topics
from index.summaries.names import NameLinker
from index.summaries.similarity import Floats, Rows, SentenceVectors
from index.summaries.stories import StoryMap, find_stories
from index.text.lexicon import naming_nouns, related_terms

T = TypeVar("T")
log = logging.getLogger(__name__)
# Computed attributes that ``index.summaries.kept`` saves (the rest are cheap to recompute).
_KEPT = (
    "vectors",
    "documents",
    "centrality",
    "corpus_centrality",
    "_posting_rows",
    "_posting_offsets",
    "topics",
    "stories",
)

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
        doc_of = self.document_of_row
        if doc_of.size == 0:
            return {}
        starts = np.flatnonzero(np.diff(doc_of, prepend=-1))
        ends = np.append(starts[1:], doc_of.size)
        return {
            int(doc_of[a]): DocumentRows(int(a), int(b))
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
        }

    @_Once
    def centrality(self) -> Floats:
        """Each sentence's centrality within its own article (cosine to the others' centroid)."""
        return self.vectors.group_centrality(self.document_of_row)

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
        return extract_topics(self.index, self.centrality.tolist(), self.linker)

    @property
    def linker(self) -> NameLinker:
        return NameLinker(self.postings, self.document_of_row, self.centrality)

    @_Once
    def stories(self) -> StoryMap:
        """The articles clustered into stories, best first (``index.summaries.stories``)."""
        spans = {doc: (rows.first, rows.end) for doc, rows in self.documents.items()}
        return find_stories(self.vectors, spans)

    @_Once
    def document_of_row(self) -> Rows:
        """Each passage's document id (row ``i`` is passage ``i``), from the passage table."""
        return np.asarray(self.index.table.doc, dtype=np.int64)

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

    def warm(self, sources: bool = True) -> None:
        """Compute everything now (at index time) so no request pays for it; ``sources`` too
        (the ``/sources`` list: a second on 19,000 articles, and only the bot lists them)."""
        _ = self.topics, self.corpus_centrality, self._posting_rows, self._posting_offsets
        _ = self.stories
        _ = self.published
        if sources:
            _ = self.sources

    def kept_values(self) -> dict[str, object]:
        """What ``index.summaries.kept`` saves: the costly parts, computed (now, if need be)."""
        self.warm(sources=False)
        values = {name: self._computed[name] for name in _KEPT if name != "documents"}
        values["documents"] = {d: (r.first, r.end) for d, r in self.documents.items()}
        return values

    def restore(self, values: dict[str, object]) -> None:
        """Take ``values`` read back by ``index.summaries.kept`` as computed."""
        spans = cast(dict[int, tuple[int, int]], values["documents"])
        with self._lock:
            self._computed.update({n: v for n, v in values.items() if n != "documents"})
            self._computed["documents"] = {d: DocumentRows(a, b) for d, (a, b) in spans.items()}


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


def prepare(
    index: CorpusIndex, keeping: Keeping | None = None, sources: bool = True
) -> CorpusAnalysis:
    """Build the analysis of ``index`` now; call it right after building the index (in a thread).

    With ``keeping`` (the folder the index is stored in and its identity), the analysis is read
    from there when it was kept for this very index, and kept there once computed otherwise.
    ``sources=False`` (a one-shot command, not a server) leaves the ``/sources`` list and the
    re-ranker's WordNet tables to be read when first needed; a server reads them now, so the
    first question does not pay for them.
    """
    if sources:
        related_terms(index.analyzer)
        naming_nouns()
    analysis = analysis_of(index)
    values = kept.load(keeping) if keeping else None
    if values is not None and _fits(values, index):
        analysis.restore(values)
    elif keeping is not None:
        try:
            kept.save(analysis.kept_values(), keeping)
        except OSError as exc:  # a read-only index folder still serves; it just recomputes
            log.warning("could not keep the summaries in %s (%s)", keeping.folder, exc)
    analysis.warm(sources)
    return analysis


def _fits(values: dict[str, object], index: CorpusIndex) -> bool:
    vectors = values["vectors"]
    return isinstance(vectors, SentenceVectors) and len(vectors) == len(index)
