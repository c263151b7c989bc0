"""The searchable corpus: passages, their analyzed terms, document frequencies and an engine."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from index.analyze import Analyzer
from index.engine import BM25Params, RankingEngine, ReferenceEngine, lucene_idf, top_k
from index.model import Document, Passage
from index.segment import sentence_spans

EngineFactory = Callable[[Sequence[Sequence[str]], BM25Params], RankingEngine]


def segment_document(document: Document, first_id: int = 0) -> list[Passage]:
    """Cut a document's paragraphs into sentence passages, numbered within each paragraph."""
    passages: list[Passage] = []
    for paragraph in document.paragraphs:
        spans = sentence_spans(document.text, paragraph.start, paragraph.end)
        for number, (start, end) in enumerate(spans, start=1):
            passage_id = first_id + len(passages)
            passages.append(Passage(passage_id, document, paragraph.number, number, start, end))
    return passages


class CorpusIndex:
    """Sentence passages of a set of documents, ranked by BM25 with one shared analyzer.

    Callers use the methods (``passage``, ``iter_passages``, ``terms_of``, ``doc_freq``, ``rank``),
    never the storage, so the storage can become compact arrays without touching them.
    """

    def __init__(
        self,
        documents: Sequence[Document],
        analyzer: Analyzer | None = None,
        params: BM25Params = BM25Params(),
        engine_factory: EngineFactory = ReferenceEngine,
    ) -> None:
        self.documents = tuple(documents)
        self.analyzer = analyzer or Analyzer()
        self.params = params
        self._passages: list[Passage] = []
        for document in self.documents:
            self._passages.extend(segment_document(document, len(self._passages)))
        self._terms = [self.analyzer.terms(p.text) for p in self._passages]
        self._doc_freq: Counter[str] = Counter()
        for terms in self._terms:
            self._doc_freq.update(set(terms))
        self.engine = engine_factory(self._terms, params)

    def __len__(self) -> int:
        return len(self._passages)

    def passage(self, passage_id: int) -> Passage:
        return self._passages[passage_id]

    def iter_passages(self) -> Iterator[Passage]:
        """Every passage in corpus order (document, then paragraph, then sentence)."""
        return iter(self._passages)

    def terms_of(self, passage: Passage) -> list[str]:
        """The analyzed terms of ``passage``, as the engine indexed them."""
        return self._terms[passage.passage_id]

    def doc_freq(self, term: str) -> int:
        """How many passages contain ``term``."""
        return self._doc_freq.get(term, 0)

    def idf(self, term: str) -> float:
        """Lucene idf of ``term``; an unseen term weighs like one seen once.

        Weighing unseen words as rarer still would let one everyday verb the articles happen not
        to use ("used", "say") outvote the names the question is really about.
        """
        return lucene_idf(len(self), max(self.doc_freq(term), 1))

    def rank(self, terms: Sequence[str], k: int) -> list[tuple[Passage, float]]:
        """The ``k`` best passages for already-analyzed ``terms``, best first."""
        return [(self.passage(i), s) for i, s in top_k(self.engine.scores(terms), k)]

    def neighbours(self, passage: Passage, before: int = 1, after: int = 1) -> list[Passage]:
        """The passage with up to ``before``/``after`` sentences around it in the same document."""
        lo = max(passage.passage_id - before, 0)
        hi = min(passage.passage_id + after + 1, len(self))
        found = (self.passage(i) for i in range(lo, hi))
        return [p for p in found if p.document is passage.document]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What ``/sources`` and ``verbatim sources`` list for one article."""

    title: str
    url: str | None
    path: str
    paragraphs: int
    sentences: int


def list_sources(index: CorpusIndex) -> list[SourceInfo]:
    """Each article of the index with its paragraph and sentence counts, in corpus order."""
    sentences = Counter(p.document.doc_id for p in index.iter_passages())
    return [
        SourceInfo(d.title, d.url, d.path, len(d.paragraphs), sentences[d.doc_id])
        for d in index.documents
    ]
