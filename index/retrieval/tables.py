"""Compact column storage for passages and documents, with records built only when asked for.

At a million sentences, one ``Passage`` object per sentence and every article's text as a Python
string would not fit the serving memory budget. These tables keep the same information as flat
numpy arrays (memory-mapped when loaded from disk) and build ``Passage``/``Document`` dataclasses
on demand; ``document.text[start:end] == passage.text`` still holds exactly.

Each article's text is kept compressed in pieces (``index.retrieval.packed``): one per paragraph,
each on its own with a preset dictionary of common English words, so a sentence is read by
inflating its paragraph alone (about 5 µs) and a partial rebuild copies an unchanged article's
bytes as they are.
"""

from __future__ import annotations

import os
import threading
import weakref
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, overload

import numpy as np
import numpy.typing as npt

from index.model import Document, Paragraph
from index.retrieval.packed import unpack

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Bytes = npt.NDArray[np.uint8]
Uint32s = npt.NDArray[np.uint32]
# A persistent index keeps each passage column in the narrowest type that holds it.
Column = npt.NDArray[np.unsignedinteger[Any]] | Int32s


@dataclass(frozen=True, slots=True)
class PassageTable:
    """Passage ``i`` is sentence ``sentence[i]`` of paragraph ``paragraph[i]`` of ``doc[i]``,
    spanning ``start[i]:end[i]`` of its document's text (character offsets)."""

    doc: Column
    paragraph: Column
    sentence: Column
    start: Column
    end: Column

    def __len__(self) -> int:
        return int(self.doc.size)

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[int, int, int, int, int]]) -> PassageTable:
        table = np.asarray(rows, dtype=np.int32).reshape(-1, 5)
        return cls(*(np.ascontiguousarray(table[:, i]) for i in range(5)))

    def counts(self, documents: int) -> Int64s:
        """Sentences per document id."""
        return np.bincount(self.doc, minlength=documents).astype(np.int64)


class DocumentMeta(NamedTuple):
    """What a document is besides its text and paragraphs (a named tuple: every open makes one
    per article from the catalog, which a frozen dataclass's ``__init__`` makes slow)."""

    path: str
    title: str
    url: str | None
    published: str | None = None
    author: str | None = None
    source: str | None = None  # the page an extracted copy (``path``) came from


class FileBlob:
    """Bytes of a file region read with ``pread`` on demand, never mapped into memory.

    Article texts are read only for the few quotes an answer shows; mapping them would let the
    kernel map whole large page-cache folios around each access and count them as resident.
    """

    def __init__(self, path: Path, offset: int, size: int) -> None:
        self.size = size
        self._offset = offset
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)

    def __getitem__(self, span: slice) -> Bytes:
        start, stop, _ = span.indices(self.size)
        return np.frombuffer(self.read(start, stop), dtype=np.uint8)

    def read(self, start: int, stop: int) -> bytes:
        """The bytes ``start:stop`` of the region (no array around them)."""
        return os.pread(self._fd, max(stop - start, 0), self._offset + start)


@dataclass(frozen=True, slots=True)
class DocumentTable:
    """Documents as columns: ``text`` holds every article's packed pieces end to end
    (``index.retrieval.packed``), article ``i``'s at ``text[text_ptr[i]:text_ptr[i+1]]``; its
    pieces are ``piece_ptr[i]:piece_ptr[i+1]``, piece ``k`` starting at character
    ``piece_start[k]`` of the article's text and its bytes ending at ``piece_end[k]`` of the
    article's packed bytes; ``dictionary`` is the preset dictionary they were packed with."""

    meta: Sequence[DocumentMeta]
    text: Bytes | FileBlob
    text_ptr: Int64s
    para_ptr: Int64s
    para_start: Int32s
    para_end: Int32s
    piece_ptr: Int64s
    piece_start: Uint32s
    piece_end: Uint32s
    dictionary: bytes

    def __len__(self) -> int:
        return len(self.meta)

    def _packed(self, lo: int, hi: int) -> bytes:
        text = self.text
        return text.read(lo, hi) if isinstance(text, FileBlob) else text[lo:hi].tobytes()

    def text_of(self, doc_id: int) -> str:
        """One article's text alone: what the re-ranker reads of the candidates' articles
        (a ``Document`` also builds every paragraph record, five times the cost)."""
        lo, hi = self.text_ptr.item(doc_id), self.text_ptr.item(doc_id + 1)
        first, last = self.piece_ptr.item(doc_id), self.piece_ptr.item(doc_id + 1)
        ends = np.asarray(self.piece_end)[first:last].tolist()
        return unpack(self._packed(lo, hi), ends, self.dictionary)

    def piece_of(self, doc_id: int, position: int) -> int:
        """Which piece of the article ``doc_id`` holds its character ``position`` (0-based
        among the article's pieces): every sentence lies in one piece."""
        first, last = self.piece_ptr.item(doc_id), self.piece_ptr.item(doc_id + 1)
        return bisect_right(np.asarray(self.piece_start)[first:last].tolist(), position) - 1

    def piece(self, doc_id: int, number: int) -> tuple[str, int]:
        """The text of piece ``number`` (``piece_of``) of the article ``doc_id`` and where it
        starts in the article's text."""
        at = self.piece_ptr.item(doc_id) + number
        lo = self.text_ptr.item(doc_id)
        start = 0 if number == 0 else self.piece_end.item(at - 1)
        packed = self._packed(lo + start, lo + self.piece_end.item(at))
        return unpack(packed, [len(packed)], self.dictionary), self.piece_start.item(at)

    def paragraphs_of(self, doc_id: int) -> tuple[Paragraph, ...]:
        """The paragraph records of the document ``doc_id``."""
        # ``item`` and plain views: indexing or iterating a memory-mapped array goes through
        # Python-level memmap methods and makes a numpy scalar per item.
        lo, hi = self.para_ptr.item(doc_id), self.para_ptr.item(doc_id + 1)
        starts = np.asarray(self.para_start)[lo:hi].tolist()
        ends = np.asarray(self.para_end)[lo:hi].tolist()
        return tuple(
            Paragraph(number, start, end)
            for number, (start, end) in enumerate(zip(starts, ends, strict=True), start=1)
        )

    def document(self, doc_id: int) -> Document:
        """The document ``doc_id`` decoded whole (its text and every paragraph record)."""
        meta = self.meta[doc_id]
        return Document(
            doc_id,
            meta.path,
            meta.title,
            meta.url,
            self.text_of(doc_id),
            self.paragraphs_of(doc_id),
            published=meta.published,
            author=meta.author,
            source=meta.source,
        )


class PieceReader:
    """Sentences read from their piece of the packed text (a few hundred bytes inflated, not the
    whole article), the pieces kept: the same candidates' paragraphs are read several times
    within one answer and come back question after question."""

    def __init__(self, table: DocumentTable, keep: int = 4096) -> None:
        self._table = table
        self._piece = lru_cache(maxsize=keep)(table.piece)

    def text_between(self, doc_id: int, start: int, end: int) -> str:
        """Characters ``start:end`` of the text of the document ``doc_id``."""
        table = self._table
        number = table.piece_of(doc_id, start)
        piece, offset = self._piece(doc_id, number)
        if end - offset <= len(piece):
            return piece[start - offset : end - offset]
        return table.text_of(doc_id)[start:end]  # a span running past its piece (none is cut so)


class LazyDocument(Document):
    """A ``Document`` of a ``DocumentTable`` whose text and paragraph records are decoded when
    first used: an answer shows ten sentences of ten articles with their titles and links, and
    decoding each whole article for that (inflating all its pieces, a record per paragraph) was
    a tenth of the answer's time at a million sentences. A passage's own words are read from
    its piece (``text_between``). Pickled as the plain ``Document``."""

    __slots__ = ("_paragraphs", "_pieces", "_table", "_text")
    _paragraphs: tuple[Paragraph, ...] | None
    _pieces: PieceReader
    _table: DocumentTable
    _text: str | None

    def __init__(self, table: DocumentTable, pieces: PieceReader, doc_id: int) -> None:
        meta = table.meta[doc_id]
        fill = object.__setattr__  # the record is frozen: only its own lazy slots ever change
        fill(self, "doc_id", doc_id)
        fill(self, "path", meta.path)
        fill(self, "title", meta.title)
        fill(self, "url", meta.url)
        fill(self, "published", meta.published)
        fill(self, "author", meta.author)
        fill(self, "source", meta.source)
        fill(self, "_table", table)
        fill(self, "_pieces", pieces)
        fill(self, "_text", None)
        fill(self, "_paragraphs", None)

    @property
    def text(self) -> str:
        text: str | None = self._text
        if text is None:
            text = self._table.text_of(self.doc_id)
            object.__setattr__(self, "_text", text)
        return text

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        found: tuple[Paragraph, ...] | None = self._paragraphs
        if found is None:
            found = self._table.paragraphs_of(self.doc_id)
            object.__setattr__(self, "_paragraphs", found)
        return found

    def text_between(self, start: int, end: int) -> str:
        text = self._text
        if text is not None:
            return text[start:end]
        return self._pieces.text_between(self.doc_id, start, end)

    def __reduce__(self) -> tuple[type[Document], tuple[Any, ...]]:
        return Document, tuple(getattr(self, f.name) for f in fields(Document))


class LazyDocuments(Sequence[Document]):
    """A read-only sequence of documents decoded from a ``DocumentTable`` when first used.

    The most recently used documents are kept so that passages of one answer share one
    ``Document`` object (``passage.document is other.document`` within an answer).
    """

    def __init__(self, table: DocumentTable, keep: int = 1024) -> None:
        self.table = table
        self.pieces = PieceReader(table)
        self._keep = keep
        self._cache: OrderedDict[int, Document] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.table)

    @overload
    def __getitem__(self, index: int) -> Document: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Document]: ...

    def __getitem__(self, index: int | slice) -> Document | Sequence[Document]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.get(index)

    def get(self, index: int) -> Document:
        """``self[index]``: a ``LazyDocument`` (nothing of its text decoded yet)."""
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        with self._lock:
            found = self._cache.get(index)
            if found is not None:
                self._cache.move_to_end(index)
                return found
        made: Document = LazyDocument(self.table, self.pieces, index)
        with self._lock:
            document = self._cache.setdefault(index, made)
            while len(self._cache) > self._keep:
                self._cache.popitem(last=False)
        return document

    def text_between(self, index: int, start: int, end: int) -> str:
        """``self[index].text[start:end]`` without a record: the decoded text if the record
        kept has it, else the piece holding the span."""
        with self._lock:
            found = self._cache.get(index)
        if isinstance(found, LazyDocument):
            return found.text_between(start, end)
        return self.pieces.text_between(index, start, end)

    def __iter__(self) -> Iterator[Document]:
        return (self[i] for i in range(len(self)))
