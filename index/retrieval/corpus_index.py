"""The searchable corpus: passages, their analyzed terms, document frequencies and an engine.

Passages are stored as compact arrays (``PassageTable``) and ``Passage`` records are built only
for what a caller asks for, so memory stays flat at a million sentences. The default engine is
``SparseEngine``; ``ReferenceEngine`` (rank-bm25) can be passed in and ranks identically.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from index.ingest.segment import PassageRow, passage_rows
from index.model import Document, Passage
from index.retrieval.engine import RankingEngine
from index.retrieval.forward import ForwardBuilder, ForwardIndex, SplitIds
from index.retrieval.kernels import WORDS, Skipped, WordScanner
from index.retrieval.params import BM25Params, lucene_idf
from index.retrieval.semantic import SemanticIndex
from index.retrieval.sentence_marks import (
    BRACKET,
    REFERS_BACK,
    MarksBuilder,
    SentenceMarks,
    refers_back,
)
from index.retrieval.sparse_engine import SparseEngine
from index.retrieval.tables import LazyDocuments, PassageTable
from index.text.analyzer import Analyzer

EngineFactory = Callable[[Sequence[Sequence[str]], BM25Params], RankingEngine]
Ints = npt.NDArray[np.int64]
# Sentences each way ``paragraph_spans`` looks first (news paragraphs hold one to five).
_NEAR = 6


class CorpusIndex:
    """Sentence passages of a set of documents, ranked by BM25 with one shared analyzer.

    Callers use the methods (``passage``, ``iter_passages``, ``terms_of``, ``doc_freq``, ``rank``),
    never the storage. ``documents`` is a read-only sequence (a tuple, or documents decoded on
    demand from a persistent index).
    """

    # Each sentence's terms in order and its opening (``retrieval.sentence_marks``), if kept.
    _marks: SentenceMarks | None

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
        builder, marks = ForwardBuilder(places=True), MarksBuilder()
        corpus: list[list[str]] = []
        for position, document in enumerate(documents):
            marks.add_title(analyzer.terms(document.title))
            for row in passage_rows(document, position):
                text = document.text[row[3] : row[4]]
                terms = analyzer.terms(text)
                builder.add(terms)
                marks.add_places(builder.take_places())
                marks.add_flags([text])
                if engine_factory is not None:
                    corpus.append(terms)
                rows.append(row)
        forward = builder.build()
        engine: RankingEngine
        if engine_factory is None:
            engine = SparseEngine.from_forward(forward, params)
        else:
            engine = engine_factory(corpus, params)
        table = PassageTable.from_rows(rows)
        self._attach(documents, table, forward, engine, analyzer, params, marks.build())

    @classmethod
    def assemble(
        cls,
        documents: Sequence[Document],
        passages: PassageTable,
        engine: SparseEngine,
        analyzer: Analyzer,
        params: BM25Params,
        forward: ForwardIndex | None = None,
        marks: SentenceMarks | None = None,
    ) -> CorpusIndex:
        """An index over already-built parts (a persistent index), computing nothing."""
        index = cls.__new__(cls)
        doc_freq = np.diff(engine.postings.ptr)
        vocabulary = engine.vocabulary
        index._setup(documents, passages, vocabulary, doc_freq, engine, analyzer, params, forward)
        index._marks = None
        if marks is not None and forward is not None:  # plain views: see ``_columns``
            sequence, flags, titles, title_ptr = (
                np.asarray(getattr(marks, name))
                for name in ("sequence", "flags", "titles", "title_ptr")
            )
            index._marks = SentenceMarks(sequence, flags, titles, title_ptr, marks.dropped)
        return index

    def _attach(
        self,
        documents: Sequence[Document],
        passages: PassageTable,
        forward: ForwardIndex,
        engine: RankingEngine,
        analyzer: Analyzer,
        params: BM25Params,
        marks: SentenceMarks,
    ) -> None:
        term_ids = {term: i for i, term in enumerate(forward.vocabulary)}
        doc_freq = np.bincount(forward.terms, minlength=len(term_ids)).astype(np.int64)
        self._setup(documents, passages, term_ids, doc_freq, engine, analyzer, params, forward)
        self._marks = marks

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
        self._term_spans = lru_cache(maxsize=8192)(
            lambda _passage_id, text: analyzer.term_spans(text)
        )
        self._local = threading.local()
        # The word scan in C for ASCII sentences (``kernels.WORDS``; None: the regex's).
        self.words: WordScanner | None = WORDS
        self._skipped: tuple[AbstractSet[str], Skipped] | None = None  # the marks' dropped words
        self._words: npt.NDArray[np.object_] | None = None
        # Where each sentence's occurrences start in the marks: summed on first use.
        self._marks = None
        self._marks_ptr: Ints | None = None
        # A persistent index's rows and marks read with ``pread`` (``kernels.reads``): mapped,
        # the scattered rows an answer reads would leave the whole files resident.
        self._files = forward.files if forward is not None else None
        # The forward index as plain arrays (``range_term_counts`` gathers from them per question).
        self._rows = (
            None
            if forward is None
            else (
                np.asarray(forward.row_ptr),
                forward.terms if isinstance(forward.terms, SplitIds) else np.asarray(forward.terms),
                np.asarray(forward.counts),
            )
        )
        # Each position's ``Document.doc_id`` (a decoded table numbers documents by position).
        self._doc_ids = (
            None
            if isinstance(documents, LazyDocuments)
            else np.asarray([d.doc_id for d in documents], dtype=np.int64)
        )
        # A sentence's words alone: from its paragraph's piece of a persistent index's packed
        # text (``tables.PieceReader``), else sliced from the document's text.
        text_between: Callable[[int, int, int], str] = (
            documents.text_between
            if isinstance(documents, LazyDocuments)
            else lambda position, start, end: documents[position].text[start:end]
        )
        # Kept: one answer reads a candidate's text up to four times (its patterns, the spans
        # of its words, its quote), and a closure, not a method, so no cycle holds ``self``.
        doc_of, start_of, end_of = (self._columns[i].item for i in (0, 3, 4))
        self._passage_text = lru_cache(maxsize=4096)(
            lambda passage_id: text_between(
                doc_of(passage_id), start_of(passage_id), end_of(passage_id)
            )
        )
        self._document: Callable[[int], Document] = (
            documents.get if isinstance(documents, LazyDocuments) else documents.__getitem__
        )
        meta = _meta_reader(documents)
        self._meta = meta
        self._titles = lru_cache(maxsize=65536)(
            lambda position: frozenset(terms(meta(position)[0]))
        )

    def __len__(self) -> int:
        return len(self.table)

    def passage(self, passage_id: int) -> Passage:
        """The passage with id ``passage_id`` (0-based, corpus order), built on demand."""
        if not 0 <= passage_id < len(self):
            raise IndexError(passage_id)
        doc, paragraph, sentence, start, end = (column.item(passage_id) for column in self._columns)
        return Passage(passage_id, self._document(doc), paragraph, sentence, start, end)

    def iter_passages(self) -> Iterator[Passage]:
        """Every passage in corpus order (document, then paragraph, then sentence)."""
        return (self.passage(i) for i in range(len(self)))

    def terms_of(self, passage: Passage) -> list[str]:
        """The analyzed terms of ``passage``, as the engine indexed them (re-analyzed on demand).

        The list is shared by callers (cached): treat it as read-only.
        """
        cached: list[str] = self._terms(passage.passage_id, passage.text)
        return cached

    def passage_text(self, passage_id: int) -> str:
        """``passage(passage_id).text`` without building the ``Passage`` or its ``Document``."""
        text: str = self._passage_text(passage_id)
        return text

    def terms_at(self, passage_id: int) -> list[str]:
        """``terms_of(passage(passage_id))`` without building the ``Passage`` (same cache)."""
        cached: list[str] = self._terms(passage_id, self.passage_text(passage_id))
        return cached

    def term_spans_at(self, passage_id: int) -> tuple[list[str], list[int], list[int]]:
        """The analyzed terms of a passage (``terms_at``) and the spans of their words in its
        text (``Analyzer.term_spans``), kept for the passages asked again (the re-ranker reads
        them, then the quotes shown). With sentence marks, the terms are read from them and
        the spans found in the text (``term_spans_of``)."""
        if self._marks is not None and self._marks.dropped:
            return self.term_spans_of([passage_id])[0]
        text = self.passage_text(passage_id)
        found: tuple[list[str], list[int], list[int]] = self._term_spans(passage_id, text)
        return found

    def term_spans_of(self, ids: Sequence[int]) -> list[tuple[list[str], list[int], list[int]]]:
        """``term_spans_at`` of many passages (one gather from the sentence marks)."""
        found = []
        for i, (terms, starts, ends) in zip(ids, self._marked_spans(ids), strict=True):
            if ends is None:
                ends = self.analyzer.word_ends(self.passage_text(i), starts)
            found.append((terms, starts, ends))
        return found

    def term_starts(
        self, ids: Sequence[int], sequences: Sequence[list[str]] | None = None
    ) -> list[tuple[list[str], list[int]]]:
        """Each passage's analyzed terms in order and where each one's word starts in its text
        (``term_spans_at`` without the ends), for many passages (``sequences``: their
        ``term_sequences`` when the caller has them)."""
        return [(terms, starts) for terms, starts, _ in self._marked_spans(ids, sequences)]

    def _marked_spans(
        self, ids: Sequence[int], sequences: Sequence[list[str]] | None = None
    ) -> list[tuple[list[str], list[int], list[int] | None]]:
        """Each passage's terms from the sentence marks and the spans of their words: those of
        the words of the text that are not dropped (``marks.dropped``; the ends when the scan
        gave them); a sentence whose count disagrees (or with no marks) is analyzed."""
        marks = self._marks
        if marks is None or not marks.dropped:
            return [self._analyzed(i) for i in ids]
        found: list[tuple[list[str], list[int], list[int] | None]] = []
        if sequences is None:
            sequences = self.term_sequences(ids)
        for i, terms in zip(ids, sequences, strict=True):
            spans = self._word_spans(self.passage_text(i), marks.dropped)
            found.append(
                (terms, *spans)
                if spans is not None and len(spans[0]) == len(terms)
                else self._analyzed(i)
            )
        return found

    def _word_spans(
        self, text: str, dropped: AbstractSet[str]
    ) -> tuple[list[int], list[int] | None] | None:
        """Where the words of ``text`` that give a term start, and end when the compiled scan
        read them (``Analyzer.word_starts``, the same spans); None for text all in capitals."""
        if text.isupper():
            return None
        words = self.words
        scanned = None
        if words is not None:
            skipped = self._skipped
            if skipped is None or skipped[0] is not dropped:
                skipped = self._skipped = (dropped, words.skipping(dropped))
            scanned = words.spans(text, skipped[1])
        if scanned is None:
            starts = self.analyzer.word_starts(text, dropped)
            return None if starts is None else (starts, None)
        return scanned

    def _analyzed(self, passage_id: int) -> tuple[list[str], list[int], list[int]]:
        found: tuple[list[str], list[int], list[int]] = self._term_spans(
            passage_id, self.passage_text(passage_id)
        )
        return found

    def term_sequences(self, ids: Sequence[int]) -> list[list[str]]:
        """Each passage's analyzed terms in order (``terms_at``), for many passages at once:
        from the sentence marks when the index keeps them (one gather), so no text is read or
        analyzed."""
        marks, rows, forward = self._marks, self._rows, self._forward
        if marks is None or rows is None or forward is None:
            return [self.terms_at(i) for i in ids]
        pid = np.asarray(ids, dtype=np.int64)
        if self._files is not None:
            term_ids, sizes = self._files.sequences(pid)
            ends = np.cumsum(sizes)
        else:
            ptr = self._marks_ptr
            if ptr is None:
                ptr = np.zeros(len(self) + 1, dtype=np.int64)
                np.cumsum(forward.lengths, out=ptr[1:])
                self._marks_ptr = ptr
            lo, sizes = ptr[pid], ptr[pid + 1] - ptr[pid]
            ends = np.cumsum(sizes)
            at = np.arange(int(ends[-1]) if ends.size else 0) + np.repeat(
                lo - (ends - sizes), sizes
            )
            row_start = np.repeat(rows[0][pid].astype(np.int64), sizes)
            term_ids = rows[1][row_start + marks.sequence[at]]
        words = self._words
        if words is None:  # the vocabulary as an array: one gather, not a lookup per term
            words = self._words = np.asarray(forward.vocabulary, dtype=object)
        flat = words[term_ids].tolist()
        return [
            flat[end - size : end] for end, size in zip(ends.tolist(), sizes.tolist(), strict=True)
        ]

    def refers_back(self, ids: Ints) -> npt.NDArray[np.bool_]:
        """Whether each of passages ``ids`` opens by pointing back ("It was ...", from the
        sentence marks when kept; else its text is read)."""
        if self._marks is None:
            return np.asarray(
                [refers_back(self.passage_text(i)) for i in ids.tolist()], dtype=np.bool_
            )
        opens: npt.NDArray[np.bool_] = (self._marks.flags[ids] & REFERS_BACK) != 0
        return opens

    def holds_bracket(self, passage_id: int) -> bool:
        """Whether passage ``passage_id``'s text holds a "(" (from the sentence marks when kept;
        else its text is read)."""
        if self._marks is None:
            return "(" in self.passage_text(passage_id)
        return bool(self._marks.flags.item(passage_id) & BRACKET)

    def preceding(self, ids: Ints) -> Ints:
        """The passage before each of ``ids`` in its document (the passage itself when first)."""
        doc = self._columns[0]
        before = np.maximum(ids - 1, 0)
        return np.where(doc[before] == doc[ids], before, ids)

    def positions(self, ids: Ints) -> tuple[Ints, Ints, Ints]:
        """The document position, paragraph and sentence numbers of passages ``ids``."""
        doc, paragraph, sentence = self._columns[:3]
        return tuple(column[ids].astype(np.int64) for column in (doc, paragraph, sentence))  # type: ignore[return-value]

    def document_ids(self, positions: Ints) -> Ints:
        """``documents[p].doc_id`` of each document position ``p``, without decoding any."""
        return positions if self._doc_ids is None else self._doc_ids[positions]

    def title_terms(self, position: int) -> frozenset[str]:
        """The analyzed terms of the title of the document at ``position`` (read from the
        marks when the index keeps them, else analyzed and kept)."""
        if self._marks is not None:
            return self._marks.title_terms(position)
        found: frozenset[str] = self._titles(position)
        return found

    def published(self, position: int) -> str | None:
        """The publication date (ISO 8601) of the document at ``position``, if known."""
        return self._meta(position)[1]

    def term_ids(self, terms: Iterable[str]) -> Ints:
        """Each term's id in the forward index, -1 for a term no passage holds."""
        ids = self._term_ids
        return np.asarray([ids.get(term, -1) for term in terms], dtype=np.int64)

    def term_set(self, passage_id: int) -> set[str]:
        """``set(terms_of(passage))`` read from the forward index (nothing re-analyzed)."""
        return self.range_terms(passage_id, passage_id + 1)

    def range_terms(self, lo: int, hi: int) -> set[str]:
        """Every term of passages ``lo:hi`` (consecutive ids), from the forward index if any."""
        rows = self._rows
        if rows is None or self._forward is None:
            return {t for i in range(lo, hi) for t in self.terms_of(self.passage(i))}
        row_ptr, terms = rows[0], rows[1]
        vocabulary = self._forward.vocabulary
        first, last = row_ptr.item(lo), row_ptr.item(hi)
        ids = terms[first:last] if self._files is None else self._files.terms(first, last)
        # A set of the ids, not ``np.unique``: its first call imports ``numpy.ma`` (~30 ms).
        return {vocabulary[t] for t in set(ids.tolist())}

    def document_span(self, passage_id: int) -> tuple[int, int]:
        """The passage ids ``lo:hi`` of the document holding ``passage_id``."""
        doc = self._columns[0]
        number = doc[passage_id]
        lo = int(np.searchsorted(doc, number, side="left"))
        return lo, int(np.searchsorted(doc, number, side="right"))

    def paragraph_spans(self, ids: Ints, reach: int = 30) -> tuple[Ints, Ints]:
        """For each of passages ``ids``, the ids ``lo:hi`` of its paragraph's sentences up to
        ``reach`` sentences each way (``paragraph_passages``, for many passages at once).

        Looked for within a few sentences first (most paragraphs are short), then within
        ``reach`` for the paragraphs that fill that first window."""
        near = min(reach, _NEAR)
        lo, hi, edge = self._spans_within(ids, near)
        if near < reach and edge.any():
            lo[edge], hi[edge], _ = self._spans_within(ids[edge], reach)
        return lo, hi

    def _spans_within(self, ids: Ints, reach: int) -> tuple[Ints, Ints, npt.NDArray[np.bool_]]:
        """``paragraph_spans`` within ``reach``, and whether a span reaches its window's edge."""
        offsets = np.arange(-reach, reach + 1, dtype=np.int64)
        window = ids[:, None] + offsets
        inside = (window >= 0) & (window < len(self))
        window = np.clip(window, 0, max(len(self) - 1, 0))
        doc, paragraph = self._columns[0], self._columns[1]
        keep = inside & (doc[window] == doc[ids][:, None])
        keep &= paragraph[window] == paragraph[ids][:, None]
        first = np.argmax(keep, axis=1)
        last = 2 * reach - np.argmax(keep[:, ::-1], axis=1)
        edge = keep[:, 0] | keep[:, -1]
        return ids - reach + first, ids - reach + last + 1, edge

    def range_term_counts(self, lo: Ints, hi: Ints, term_ids: Ints) -> tuple[Ints, Ints]:
        """How often each of ``term_ids`` occurs in each span of passages ``lo[i]:hi[i]`` (an
        ``len(lo)`` x ``len(term_ids)`` matrix), and each span's number of terms with repeats.

        From the forward index in a few array operations (the re-ranker asks this for its 50
        candidates and their paragraphs at once); counted from ``terms_of`` without one.
        """
        spans = lo.size
        rows = self._rows
        if rows is None:
            return self._counted(lo, hi, term_ids)
        # Each distinct wanted id gets a column (a term asked twice reads the same one); the
        # last column stays zero for the ids no passage holds.
        distinct: dict[int, int] = {}
        for term_id in term_ids.tolist():
            if term_id >= 0:
                distinct.setdefault(term_id, len(distinct))
        width = len(distinct) + 1
        columns = [distinct.get(t, width - 1) for t in term_ids.tolist()]
        lookup = self._column_lookup()
        known = np.fromiter(distinct, dtype=np.int64, count=len(distinct))
        lookup[known] = np.arange(known.size, dtype=np.int32)
        try:
            if self._files is not None:  # the rows read and counted in C
                counted, lengths = self._files.span_counts(lo, hi, lookup, width)
                return counted[:, columns], lengths
            row_ptr, terms, counts = rows
            starts, ends = row_ptr[lo].astype(np.int64), row_ptr[hi].astype(np.int64)
            sizes = ends - starts
            segment = np.repeat(np.arange(spans), sizes)
            at = np.arange(segment.size) - np.repeat(np.cumsum(sizes) - sizes - starts, sizes)
            column = lookup[terms[at]]
        finally:
            lookup[known] = -1
        times = counts[at]
        lengths = np.bincount(segment, weights=times, minlength=spans).astype(np.int64)
        hit = column >= 0
        flat = segment[hit] * width + column[hit]
        matrix = np.bincount(flat, weights=times[hit], minlength=spans * width)
        return matrix.reshape(spans, width)[:, columns].astype(np.int64), lengths

    def _column_lookup(self) -> npt.NDArray[np.int32]:
        """A per-thread array from term id to a column of ``range_term_counts`` (-1 between
        calls), so matching the gathered terms is one array read."""
        lookup: npt.NDArray[np.int32] | None = getattr(self._local, "lookup", None)
        if lookup is None:
            lookup = np.full(self._doc_freq.size, -1, dtype=np.int32)  # every term id
            self._local.lookup = lookup
        return lookup

    def _counted(self, lo: Ints, hi: Ints, term_ids: Ints) -> tuple[Ints, Ints]:
        vocabulary = {i: t for t, i in self._term_ids.items()}
        wanted = [vocabulary.get(int(i)) for i in term_ids]
        matrix = np.zeros((lo.size, term_ids.size), dtype=np.int64)
        lengths = np.zeros(lo.size, dtype=np.int64)
        for row, (a, b) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True)):
            counted = Counter(t for i in range(a, b) for t in self.terms_of(self.passage(i)))
            lengths[row] = sum(counted.values())
            for column, term in enumerate(wanted):
                matrix[row, column] = counted[term] if term is not None else 0
        return matrix, lengths

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


def _meta_reader(documents: Sequence[Document]) -> Callable[[int], tuple[str, str | None]]:
    """How to read the title and publication date of the document at a position."""
    if isinstance(documents, LazyDocuments):
        meta = documents.table.meta
        return lambda position: (meta[position].title, meta[position].published)
    return lambda position: (documents[position].title, documents[position].published)
