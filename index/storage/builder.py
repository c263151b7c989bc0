"""Build the arrays of a persistent index from a corpus folder, reusing unchanged articles.

An article is keyed by its relative path and the SHA-256 of its bytes. When a previous index is
given, an article whose key is unchanged is neither re-segmented nor re-analyzed: its text,
paragraphs, passages and counted terms are copied from the previous arrays. A file whose size and
mtime are unchanged is not even re-read (its recorded hash is trusted, as git does); a touched
file is re-read and re-hashed, and reused if its bytes are the same. Only the BM25
weights are recomputed for the whole corpus (they depend on corpus-wide statistics), which is
vectorised numpy and fast. With the semantic extra (an ``Embedder``), each new or changed
article's sentences are embedded here, once; an unchanged article's vectors are copied.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from index.errors import ArticleError
from index.ingest.loader import check_size, parse_article_bytes
from index.ingest.pages import default_pages_dir
from index.ingest.scan import CorpusScan, scan_corpus
from index.ingest.segment import passage_rows
from index.model import Document
from index.retrieval.forward import ForwardBuilder, ForwardIndex, narrowest
from index.retrieval.packed import dictionary, pack
from index.retrieval.params import BM25Params
from index.retrieval.semantic import DIMENSIONS, Embedder, SentenceVectors
from index.retrieval.tables import DocumentMeta, DocumentTable, PassageTable
from index.retrieval.weights import postings_of
from index.storage.format import FileRecord, IndexData, Progress
from index.storage.joined import join, split
from index.storage.sentence_marks import MarksParts
from index.text.analyzer import Analyzer


def is_fresh(data: IndexData, root: Path, scan: CorpusScan | None = None) -> bool:
    """True when the folder holds exactly the indexed files with unchanged size and mtime,
    and the same entries are skipped for the same reasons (one ``stat`` per file, in the walk;
    ``scan``: that walk, when the caller has made it)."""
    scan = scan or scan_corpus(root)
    skipped = {(_relative(s.path, root), s.reason) for s in scan.skipped}
    walked = [record for record in data.files if not record.walk_skip]
    return (
        skipped == {(r.path, r.reason) for r in data.files if r.walk_skip}
        and len(scan.paths) == len(walked)
        and all(
            record.path == rel and record.size == st.st_size and record.mtime_ns == st.st_mtime_ns
            for record, rel, st in zip(walked, scan.relative(), scan.stats, strict=True)
        )
    )


def build_data(
    root: Path,
    analyzer: Analyzer,
    params: BM25Params,
    previous: IndexData | None = None,
    progress: Progress | None = None,
    pages: Path | None = None,
    embedder: Embedder | None = None,
    indexer: FileIndexer | None = None,
) -> IndexData:
    """Index every article below ``root``; reuse ``previous`` for files with unchanged bytes.

    Copies of HTML pages go to ``pages`` (``index.ingest.pages``; default beside the index).
    ``embedder``: keep each sentence's meaning vector too (the semantic extra). ``indexer``:
    how a build without a previous index reads and analyzes the files (default: here, one after
    the other; ``index.storage.parallel.index_files`` uses two cores, with the same result).
    """
    scan = scan_corpus(root)
    pages = pages or default_pages_dir(root)
    known = {r.path: r for r in previous.files} if previous else {}
    parts = Parts(previous, analyzer)
    records = walk_skips(scan, root)
    if previous is None and indexer is not None:
        records.extend(indexer(scan, root, parts, analyzer, pages, progress))
    else:
        records.extend(index_serially(scan, root, known, parts, analyzer, pages, progress))
    passages, forward = parts.passages(), parts.forward()
    marks = dataclasses.replace(parts.marks.build(), dropped=parts.dropped())
    parts.rows = []  # copied into ``passages``: freed before the weights
    # The weights before the texts: a two-core build's worker packs its texts meanwhile
    # (``Parts.pending``).
    postings = postings_of(forward, params)
    documents = parts.documents()
    vectors = parts.vectors(documents, passages, embedder) if embedder is not None else None
    return IndexData(tuple(records), documents, passages, forward, postings, vectors, marks)


def index_serially(
    scan: CorpusScan,
    root: Path,
    known: dict[str, FileRecord],
    parts: DocumentSink,
    analyzer: Analyzer,
    pages: Path,
    progress: Progress | None = None,
) -> list[FileRecord]:
    """Index the files of ``scan`` into ``parts`` one after the other; their records."""
    records = []
    paths = scan.articles
    for done, path in enumerate(paths, start=1):
        records.append(index_file(path, root, known, parts, analyzer, pages))
        if progress is not None:
            progress(done, len(paths))
    return records


class DocumentSink(Protocol):
    """Where ``index_file`` puts a file's document: analyzed anew or reused from the previous
    index; ``metas`` holds one entry per document so far (its length is the next position)."""

    metas: list[DocumentMeta]

    def add(self, document: Document, analyzer: Analyzer) -> int: ...

    def reuse(self, old_doc: int) -> int: ...


# Indexes every file of a scan into empty ``Parts`` (no previous index) and returns their records.
FileIndexer = Callable[
    [CorpusScan, Path, "Parts", Analyzer, Path, Progress | None], list[FileRecord]
]


def walk_skips(scan: CorpusScan, root: Path) -> list[FileRecord]:
    """Entries the walk skipped (links out of the corpus, loops, unreadable folders, ...)."""
    return [
        FileRecord(_relative(s.path, root), 0, 0, "", reason=s.reason, walk_skip=True)
        for s in scan.skipped
    ]


def index_file(
    path: Path,
    root: Path,
    known: dict[str, FileRecord],
    parts: DocumentSink,
    analyzer: Analyzer,
    pages: Path,
) -> FileRecord:
    rel = _relative(path, root)
    try:
        stat = path.stat()
        old = known.get(rel)
        if old is not None and old.sha256 and (old.size, old.mtime_ns) == _stamp(stat):
            # Same size and mtime: trust the recorded hash (as git does) and skip reading.
            return _reuse(old, stat, parts)
        check_size(stat.st_size, path)
        raw = path.read_bytes()
    except OSError as exc:  # size 0, mtime 0: looks changed next time, so it is retried
        return FileRecord(rel, 0, 0, "", reason=f"unreadable ({exc.strerror or exc})")
    except ArticleError as exc:
        return FileRecord(rel, *_stamp(stat), "", reason=exc.reason)
    digest = hashlib.sha256(raw).hexdigest()
    if old is not None and old.sha256 == digest:
        return _reuse(old, stat, parts)
    size, mtime_ns = _stamp(stat)
    try:
        document = parse_article_bytes(raw, path, len(parts.metas), pages)
    except ArticleError as exc:
        return FileRecord(rel, size, mtime_ns, digest, reason=exc.reason)
    return FileRecord(rel, size, mtime_ns, digest, parts.add(document, analyzer))


def _reuse(old: FileRecord, stat: os.stat_result, parts: DocumentSink) -> FileRecord:
    """The record of an unchanged file; its document is copied from the previous index."""
    size, mtime_ns = _stamp(stat)
    if old.doc < 0:
        return FileRecord(old.path, size, mtime_ns, old.sha256, reason=old.reason)
    return FileRecord(old.path, size, mtime_ns, old.sha256, parts.reuse(old.doc))


def _stamp(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_size, stat.st_mtime_ns


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


@dataclass(frozen=True, slots=True)
class PackedTexts:
    """Documents' packed texts (``retrieval.packed``): each one's bytes, piece starts and ends."""

    texts: list[bytes]
    starts: list[npt.NDArray[np.uint32]]
    ends: list[npt.NDArray[np.uint32]]

    def __getstate__(self) -> tuple[object, ...]:
        """Pickled with the arrays joined (``storage.joined``), as ``Parts`` pickles them."""
        return self.texts, join(self.starts), join(self.ends)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        texts, starts, ends = state
        for name, value in (("texts", texts), ("starts", split(starts)), ("ends", split(ends))):
            object.__setattr__(self, name, value)


@dataclass
class Parts:
    """The columns of the new index, filled one document at a time (new or reused)."""

    previous: IndexData | None
    analyzer: Analyzer
    metas: list[DocumentMeta] = field(default_factory=list)
    texts: list[bytes] = field(default_factory=list)  # packed (``retrieval.packed``)
    # Per document, where its packed pieces start in its text and end in its packed bytes.
    piece_starts: list[npt.NDArray[np.uint32]] = field(default_factory=list)
    piece_ends: list[npt.NDArray[np.uint32]] = field(default_factory=list)
    # The packing dictionary of this code (looked up when a build starts, not at import).
    zdict: bytes = field(default_factory=lambda: dictionary())
    paragraphs: list[npt.NDArray[np.int32]] = field(default_factory=list)
    rows: list[npt.NDArray[np.int32]] = field(default_factory=list)
    # Recording each term's place in its row for the sentence marks (storage.sentence_marks).
    builder: ForwardBuilder = field(default_factory=lambda: ForwardBuilder(places=True))
    # Per new document, the previous index's passage range it was copied from (None: new).
    origins: list[tuple[int, int] | None] = field(default_factory=list)
    # Each new document's text and paragraph starts, kept to be packed later (``packed_later``)
    # instead of at once when not None: a two-core build's worker sends the rest first.
    unpacked: list[tuple[str, list[int]]] | None = None
    # The packed texts of documents absorbed without them, which ``documents`` waits for
    # (``storage.parallel``: the worker's, packed while this process weighs the postings).
    pending: Callable[[], PackedTexts] | None = None
    _previous_ids: npt.NDArray[np.int64] | None = None
    _passage_ptr: npt.NDArray[np.int64] | None = None
    _plain: tuple[DocumentTable, PassageTable, ForwardIndex] = field(init=False)
    marks: MarksParts = field(init=False)

    def __post_init__(self) -> None:
        self.marks = MarksParts(self.previous, self.analyzer)

    def add(self, document: Document, analyzer: Analyzer) -> int:
        """Segment and analyze a new or changed document; return its position."""
        position = len(self.metas)
        rows = np.asarray(passage_rows(document, position), dtype=np.int32).reshape(-1, 5)
        text = document.text
        self.builder.add_texts(text, rows[:, 3:5], analyzer)
        self.metas.append(
            DocumentMeta(
                document.path,
                document.title,
                document.url,
                document.published,
                document.author,
                document.source,
            )
        )
        starts = [p.start for p in document.paragraphs]
        if self.unpacked is not None:
            self.unpacked.append((text, starts))
        else:
            self._add_packed(*pack(text, starts, self.zdict))
        self.paragraphs.append(
            np.asarray([(p.start, p.end) for p in document.paragraphs], dtype=np.int32)
        )
        self.rows.append(rows)
        self.marks.add(document.title, text, self.rows[-1], self.builder.take_places())
        self.origins.append(None)
        return position

    def packed_later(self) -> PackedTexts:
        """The texts kept by ``add`` (see ``unpacked``), packed, in order; none kept after."""
        texts = PackedTexts([], [], [])
        for text, starts in self.unpacked or ():
            packed, piece_starts, piece_ends = pack(text, starts, self.zdict)
            texts.texts.append(packed)
            texts.starts.append(np.asarray(piece_starts, dtype=np.uint32))
            texts.ends.append(np.asarray(piece_ends, dtype=np.uint32))
        self.unpacked = [] if self.unpacked is not None else None
        return texts

    def absorb(self, other: Parts) -> None:
        """Append the documents of ``other`` (the next files, indexed elsewhere) after ours."""
        if self.unpacked or other.unpacked or self.pending or other.pending:
            raise ValueError("parts with texts still to pack absorb none and are absorbed")
        offset = len(self.metas)
        self.metas.extend(other.metas)
        self.texts.extend(other.texts)
        self.piece_starts.extend(other.piece_starts)
        self.piece_ends.extend(other.piece_ends)
        self.paragraphs.extend(other.paragraphs)
        for rows in other.rows:
            rows[:, 0] += offset  # their document positions, counted from ours
            self.rows.append(rows)
        self.origins.extend(other.origins)
        self.builder.append(other.builder)
        self.marks.absorb(other.marks)

    def __getstate__(self) -> dict[str, object]:
        """Pickled by the two-core build's worker: the analyzer stays behind (it is rebuilt
        from its configuration, and holds a compiled stemmer that does not pickle), and each
        list of per-document arrays goes as one array (``storage.joined``)."""
        state: dict[str, object] = {**self.__dict__, "analyzer": None}
        for name in _PER_DOCUMENT:
            state[name] = join(state[name])  # type: ignore[arg-type]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name in _PER_DOCUMENT:
            state[name] = split(state[name])
        self.__dict__.update(state)

    def reuse(self, old_doc: int) -> int:
        """Copy a previous document's text, paragraphs, passages and counted terms."""
        previous = self.previous
        if previous is None:
            raise ValueError("nothing to reuse without a previous index")
        if self._previous_ids is None:
            self._previous_ids = self.builder.map_terms(previous.forward.vocabulary)
            self._plain = _plain_views(previous)
        position = len(self.metas)
        table, passages, forward = self._plain
        self.metas.append(table.meta[old_doc])
        p_lo, p_hi = int(table.para_ptr[old_doc]), int(table.para_ptr[old_doc + 1])
        self.paragraphs.append(
            np.stack([table.para_start[p_lo:p_hi], table.para_end[p_lo:p_hi]], axis=1)
        )
        if table.dictionary == self.zdict:  # the packed bytes as they are
            lo, hi = int(table.text_ptr[old_doc]), int(table.text_ptr[old_doc + 1])
            first, last = int(table.piece_ptr[old_doc]), int(table.piece_ptr[old_doc + 1])
            self.texts.append(table.text[lo:hi].tobytes())
            self.piece_starts.append(table.piece_start[first:last].astype(np.uint32))
            self.piece_ends.append(table.piece_end[first:last].astype(np.uint32))
        else:  # packed with another dictionary (another ``wordfreq``): packed again
            starts = table.para_start[p_lo:p_hi].tolist()
            self._add_packed(*pack(table.text_of(old_doc), starts, self.zdict))
        if self._passage_ptr is None:  # passages of a document are contiguous, in order
            counts = np.bincount(passages.doc, minlength=len(previous.documents))
            self._passage_ptr = _offsets(counts)
        first, last = int(self._passage_ptr[old_doc]), int(self._passage_ptr[old_doc + 1])
        columns = (passages.paragraph, passages.sentence, passages.start, passages.end)
        rows = np.stack(
            [np.full(last - first, position, dtype=np.int32)]
            + [np.asarray(c[first:last]) for c in columns],
            axis=1,
        )
        self.rows.append(rows.astype(np.int32))
        self.builder.extend(forward, first, last, self._previous_ids)
        span, title = (first, last), self.metas[-1].title
        self.marks.reuse(old_doc, title, span, lambda: table.text_of(old_doc), self.rows[-1])
        self.origins.append((first, last))
        return position

    def dropped(self) -> frozenset[str]:
        """The raw words that give no term: those of the new documents and, for the reused
        ones, the previous index's (a word is dropped or not whatever its sentence)."""
        old = self.previous.marks if self.previous is not None else None
        return frozenset(self.builder.dropped | (old.dropped if old is not None else set()))

    def extend_texts(self, later: PackedTexts) -> None:
        """Append packed texts (``packed_later``) of the documents that lack theirs, in order."""
        self.texts.extend(later.texts)
        self.piece_starts.extend(later.starts)
        self.piece_ends.extend(later.ends)

    def _add_packed(self, packed: bytes, starts: list[int], ends: list[int]) -> None:
        self.texts.append(packed)
        self.piece_starts.append(np.asarray(starts, dtype=np.uint32))
        self.piece_ends.append(np.asarray(ends, dtype=np.uint32))

    def documents(self) -> DocumentTable:
        if self.unpacked:
            self.extend_texts(self.packed_later())
        if self.pending is not None:  # the last documents' texts, packed elsewhere
            later, self.pending = self.pending(), None
            self.extend_texts(later)
        if len(self.texts) != len(self.metas):
            raise ValueError("a document's text is missing")
        spans = _concat(self.paragraphs, (0, 2), np.int32)
        text_ptr = _offsets([len(text) for text in self.texts])
        return DocumentTable(
            tuple(self.metas),
            self._joined_texts(text_ptr),
            text_ptr,
            _offsets([len(p) for p in self.paragraphs]),
            np.ascontiguousarray(spans[:, 0]),
            np.ascontiguousarray(spans[:, 1]),
            _offsets([len(p) for p in self.piece_ends]),
            _concat(self.piece_starts, (0,), np.uint32),
            _concat(self.piece_ends, (0,), np.uint32),
            self.zdict,
        )

    def _joined_texts(self, text_ptr: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
        """Every text end to end, each piece freed once copied: at a million sentences the
        texts are 70 MB packed, and holding the pieces beside their join would double that."""
        joined = np.empty(int(text_ptr[-1]), dtype=np.uint8)
        for i, text in enumerate(self.texts):
            joined[int(text_ptr[i]) : int(text_ptr[i + 1])] = np.frombuffer(text, dtype=np.uint8)
            self.texts[i] = b""
        return joined

    def passages(self) -> PassageTable:
        """The passages' columns, each in the narrowest type that holds it (paragraph and
        sentence numbers fit a byte, offsets in an article two: 8 MB at a million sentences
        instead of 20)."""
        rows = _concat(self.rows, (0, 5), np.int32)
        return PassageTable(*(narrowest(np.ascontiguousarray(rows[:, i])) for i in range(5)))

    def vectors(
        self, documents: DocumentTable, passages: PassageTable, embedder: Embedder
    ) -> SentenceVectors:
        """Every passage's vector: copied for a reused document when the previous index kept
        them, embedded (in one batch) for the rest."""
        old = self.previous.vectors if self.previous is not None else None
        if old is not None:  # plain views: slicing a memory-mapped array runs Python code
            old = SentenceVectors(np.asarray(old.codes), np.asarray(old.scales))
        codes = np.zeros((len(passages), DIMENSIONS), dtype=np.int8)
        scales = np.zeros(len(passages), dtype=np.float32)
        counts = np.bincount(np.asarray(passages.doc), minlength=len(documents))
        starts = _offsets(counts)
        wanted: list[int] = []
        texts: list[str] = []
        start, end = np.asarray(passages.start), np.asarray(passages.end)
        for doc, origin in enumerate(self.origins):
            lo, hi = int(starts[doc]), int(starts[doc + 1])
            if origin is not None and old is not None:
                codes[lo:hi] = old.codes[origin[0] : origin[1]]
                scales[lo:hi] = old.scales[origin[0] : origin[1]]
                continue
            text = documents.document(doc).text
            wanted.extend(range(lo, hi))
            texts.extend(text[int(start[i]) : int(end[i])] for i in range(lo, hi))
        if wanted:
            fresh = SentenceVectors.quantize(embedder.embed(texts))
            codes[wanted], scales[wanted] = fresh.codes, fresh.scales
        return SentenceVectors(codes, scales)

    def forward(self) -> ForwardIndex:
        """The merged forward index (term ids by first appearance, as rank-bm25 orders them)."""
        return self.builder.build()


# The lists of ``Parts`` that hold an array per document.
_PER_DOCUMENT = ("piece_starts", "piece_ends", "paragraphs", "rows")
PASSAGE_COLUMNS = ("doc", "paragraph", "sentence", "start", "end")


def _plain_views(data: IndexData) -> tuple[DocumentTable, PassageTable, ForwardIndex]:
    """The previous index's tables over plain ndarray views of its memory-mapped columns:
    slicing an ``np.memmap`` runs Python code, and reusing 25,000 articles slices 450,000 times."""
    table, passages, forward = data.documents, data.passages, data.forward
    return (
        dataclasses.replace(
            table,
            text_ptr=np.asarray(table.text_ptr),
            para_ptr=np.asarray(table.para_ptr),
            para_start=np.asarray(table.para_start),
            para_end=np.asarray(table.para_end),
            piece_ptr=np.asarray(table.piece_ptr),
            piece_start=np.asarray(table.piece_start, dtype=np.uint32),
            piece_end=np.asarray(table.piece_end, dtype=np.uint32),
        ),
        PassageTable(*(np.asarray(getattr(passages, c)) for c in PASSAGE_COLUMNS)),
        dataclasses.replace(
            forward,
            row_ptr=np.asarray(forward.row_ptr),
            terms=forward.terms,  # ``SplitIds`` holds plain views already
            counts=forward.counts.view(np.ndarray),
            lengths=forward.lengths.view(np.ndarray),
        ),
    )


def _offsets(sizes: Sequence[int] | npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(np.asarray(sizes, dtype=np.int64), out=offsets[1:])
    return offsets


def _concat(
    pieces: Sequence[npt.NDArray[Any]], empty: tuple[int, ...], dtype: type[np.generic]
) -> npt.NDArray[Any]:
    if not pieces:
        return np.zeros(empty, dtype=dtype)
    return np.concatenate(pieces).astype(dtype, copy=False)
