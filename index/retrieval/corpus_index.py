"""The searchable corpus: passages, their analyzed terms, document frequencies and an engine.

Passages are stored as compact arrays (``PassageTable``) and ``Passage`` records are built only
for what a caller asks for, so memory stays flat at a million sentences. The default engine is
``SparseEngine``; ``ReferenceEngine`` (rank-bm25) can be passed in and ranks identically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from index.ingest.segment import PassageRow, passage_rows
from index.model import Document, Passage
from index.retrieval.engine import RankingEngine
from index.retrieval.forward import ForwardBuilder, ForwardIndex
from index.retrieval.params import BM25Params, lucene_idf
from index.retrieval.semantic import SemanticIndex
from index.retrieval.sparse_engine import SparseEngine
from index.retrieval.tables import PassageTable
from index.text.analyzer import Analyzer

EngineFactory = Callable[[Sequence[Sequence[str]], BM25Params], RankingEngine]


class CorpusIndex:
    """Sentence passages of a set of documents, ranked by BM25 with one shared analyzer.

    Callers use the methods (``passage``, ``iter_passages``, ``terms_of``, ``doc_freq``, ``rank``),
    never the storage. ``documents`` is a read-only sequence (a tuple, or documents decoded on
    demand from a persistent index).
    """

    def __init__(
        self,
        documents: Sequence[Document],
        analyzer: Analyzer | None = None,
        params: BM25Params = BM25Params(),
        engine_factory: EngineFactory | None = None,
    ) -> None:
        documents = tuple(documents)
        analyzer = analyzer or Analyzer()
        rows: list[PassageRow] = []
        builder = ForwardBuilder()
        corpus: list[list[str]] = []
        for position, document in enumerate(documents):
            for row in passage_rows(document, position):
                terms = analyzer.terms(document.text[row[3] : row[4]])
                builder.add(terms)
                if engine_factory is not None:
                    corpus.append(terms)
                rows.append(row)
        forward = builder.build()
        engine: RankingEngine
        if engine_factory is None:
            engine = SparseEngine.from_forward(forward, params)
        else:
            engine = engine_factory(corpus, params)
        self._attach(documents, PassageTable.from_rows(rows), forward, engine, analyzer, params)

    @classmethod
    def assemble(
        cls,
        documents: Sequence[Document],
        passages: PassageTable,
        engine: SparseEngine,
        analyzer: Analyzer,
        params: BM25Params,
        forward: ForwardIndex | None = None,
    ) -> CorpusIndex:
        """An index over already-built parts (a persistent index), computing nothing."""
        index = cls.__new__(cls)
        doc_freq = np.diff(engine.postings.ptr)
        index._setup(
            documents, passages, engine.vocabulary, doc_freq, engine, analyzer, params, forward
        )
        return index

    def _attach(
        self,
        documents: Sequence[Document],
        passages: PassageTable,
        forward: ForwardIndex,
        engine: RankingEngine,
        analyzer: Analyzer,
        params: BM25Params,
    ) -> None:
        term_ids = {term: i for i, term in enumerate(forward.vocabulary)}
        doc_freq = np.bincount(forward.terms, minlength=len(term_ids)).astype(np.int64)
        self._setup(documents, passages, term_ids, doc_freq, engine, analyzer, params, forward)

    def _setup(
        self,
        documents: Sequence[Document],
        passages: PassageTable,
        term_ids: Mapping[str, int],
        doc_freq: npt.NDArray[np.int64],
        engine: RankingEngine,
        analyzer: Analyzer,
        params: BM25Params,
        forward: ForwardIndex | None = None,
    ) -> None:
        self.documents = documents
        # Each passage's distinct term ids and counts, as the engine indexed them: paragraph
        # term counts come from here without decoding or re-analyzing any sentence.
        self._forward = forward
        self.analyzer = analyzer
        self.params = params
        self.engine = engine
        self.table = passages
        self._term_ids = term_ids
        self._doc_freq = doc_freq
        # The sentences' meaning vectors when the semantic extra is on (index.retrieval.semantic).
        self.semantic: SemanticIndex | None = None
        # Plain ndarray views of the (possibly memory-mapped) columns: indexing an np.memmap goes
        # through a Python-level __getitem__, and the re-ranker builds thousands of passages.
        table = passages
        columns = (table.doc, table.paragraph, table.sentence, table.start, table.end)
        self._columns = tuple(np.asarray(column) for column in columns)
        # Re-ranking reads the terms of the same few hundred sentences over and over. The cache
        # closes over the analyzer, not ``self``: a cycle would keep a replaced index alive.
        terms = analyzer.terms
        self._terms = lru_cache(maxsize=8192)(lambda _passage_id, text: terms(text))

    def __len__(self) -> int:
        return len(self.table)

    def passage(self, passage_id: int) -> Passage:
        """The passage with id ``passage_id`` (0-based, corpus order), built on demand."""
        if not 0 <= passage_id < len(self):
            raise IndexError(passage_id)
        doc, paragraph, sentence, start, end = (column.item(passage_id) for column in self._columns)
        return Passage(passage_id, self.documents[doc], paragraph, sentence, start, end)

    def iter_passages(self) -> Iterator[Passage]:
        """Every passage in corpus order (document, then paragraph, then sentence)."""
        return (self.passage(i) for i in range(len(self)))

    def terms_of(self, passage: Passage) -> list[str]:
        """The analyzed terms of ``passage``, as the engine indexed them (re-analyzed on demand).

        The list is shared by callers (cached): treat it as read-only.
        """
        cached: list[str] = self._terms(passage.passage_id, passage.text)
        return cached

    def doc_freq(self, term: str) -> int:
        """How many passages contain ``term``."""
        term_id = self._term_ids.get(term)
        return 0 if term_id is None else int(self._doc_freq[term_id])

    def vocabulary(self) -> Iterator[str]:
        """Every term some passage holds (for spelling correction)."""
        return iter(self._term_ids)

    def idf(self, term: str) -> float:
        """Lucene idf of ``term``; an unseen term weighs like one seen once.

        Weighing unseen words as rarer still would let one everyday verb the articles happen not
        to use ("used", "say") outvote the names the question is really about.
        """
        return lucene_idf(len(self), max(self.doc_freq(term), 1))

    def rank(self, terms: Sequence[str], k: int) -> list[tuple[Passage, float]]:
        """The ``k`` best passages for already-analyzed ``terms``, best first."""
        return [(self.passage(i), s) for i, s in self.engine.top_k(terms, k)]

    def scores_of(self, terms: Sequence[str], passage_ids: Sequence[int]) -> list[float]:
        """The BM25 scores of the passages ``passage_ids`` for ``terms`` (as ``rank`` scores)."""
        if isinstance(self.engine, SparseEngine):
            return self.engine.scores_of(terms, passage_ids)
        every = self.engine.scores(terms)
        return [float(every[i]) for i in passage_ids]

    def neighbours(self, passage: Passage, before: int = 1, after: int = 1) -> list[Passage]:
        """The passage with up to ``before``/``after`` sentences around it in the same document."""
        return self._around(passage, before, after, same_paragraph=False)

    def paragraph_passages(self, passage: Passage, reach: int = 30) -> list[Passage]:
        """The sentences of ``passage``'s paragraph (up to ``reach`` sentences each way)."""
        return self._around(passage, reach, reach, same_paragraph=True)

    def paragraph_term_counts(self, passage: Passage, reach: int = 30) -> Counter[str]:
        """How often each term occurs in ``passage``'s paragraph (``reach`` sentences each way).

        Read from the forward index when the index keeps one (no sentence decoded or analyzed:
        the re-ranker asks this for every candidate); else counted from ``terms_of``.
        """
        ids = self._around_ids(passage, reach, reach, same_paragraph=True)
        forward = self._forward
        if forward is None:
            return Counter(t for i in ids for t in self.terms_of(self.passage(int(i))))
        counts: Counter[str] = Counter()
        if ids.size == 0:
            return counts
        # A paragraph's sentences are consecutive passages, so their rows are one slice.
        lo, hi = int(forward.row_ptr[ids[0]]), int(forward.row_ptr[ids[-1] + 1])
        vocabulary = forward.vocabulary
        terms, times = forward.terms[lo:hi].tolist(), forward.counts[lo:hi].tolist()
        for term, count in zip(terms, times, strict=True):
            counts[vocabulary[term]] += count
        return counts

    def _around(
        self, passage: Passage, before: int, after: int, same_paragraph: bool
    ) -> list[Passage]:
        """Passages near ``passage`` in its document (and paragraph), selected with array ops."""
        ids = self._around_ids(passage, before, after, same_paragraph)
        return [self.passage(int(i)) for i in ids]

    def _around_ids(
        self, passage: Passage, before: int, after: int, same_paragraph: bool
    ) -> npt.NDArray[np.intp]:
        pid = passage.passage_id
        lo, hi = max(pid - before, 0), min(pid + after + 1, len(self))
        doc, paragraph = self._columns[0], self._columns[1]
        keep = doc[lo:hi] == doc[pid]
        if same_paragraph:
            keep &= paragraph[lo:hi] == paragraph[pid]
        return lo + np.flatnonzero(keep)

    def document_passages(self, passage: Passage) -> list[Passage]:
        """Every sentence of ``passage``'s document, in order."""
        doc = self._columns[0]
        number = doc[passage.passage_id]
        lo = int(np.searchsorted(doc, number, side="left"))
        hi = int(np.searchsorted(doc, number, side="right"))
        return [self.passage(i) for i in range(lo, hi)]

    def sentence_counts(self) -> list[int]:
        """How many sentences each document (in ``documents`` order) has."""
        return [int(n) for n in self.table.counts(len(self.documents))]
