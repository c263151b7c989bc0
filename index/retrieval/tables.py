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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
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

    meta: tuple[DocumentMeta, ...]
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

    def document(self, doc_id: int, text: str | None = None) -> Document:
        """The document ``doc_id`` (``text``: its text when the caller has it decoded)."""
        meta = self.meta[doc_id]
        # ``item`` and plain views: indexing or iterating a memory-mapped array goes through
        # Python-level memmap methods and makes a numpy scalar per item.
        lo, hi = self.para_ptr.item(doc_id), self.para_ptr.item(doc_id + 1)
        starts = np.asarray(self.para_start)[lo:hi].tolist()
        ends = np.asarray(self.para_end)[lo:hi].tolist()
        paragraphs = tuple(
            Paragraph(number, start, end)
            for number, (start, end) in enumerate(zip(starts, ends, strict=True), start=1)
        )
        return Document(
            doc_id,
            meta.path,
            meta.title,
            meta.url,
            self.text_of(doc_id) if text is None else text,
            paragraphs,
            published=meta.published,
            author=meta.author,
            source=meta.source,
        )


class LazyDocuments(Sequence[Document]):
    """A read-only sequence of documents decoded from a ``DocumentTable`` when first used.

    The most recently used documents are kept so that passages of one answer share one
    ``Document`` object (``passage.document is other.document`` within an answer).
    """

    def __init__(self, table: DocumentTable, keep: int = 1024) -> None:
        self.table = table
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

    def get(self, index: int, text_of: Callable[[int], str] | None = None) -> Document:
        """``self[index]``; ``text_of`` reads the text of a document not decoded yet (a caller
        keeping the texts it read: the re-ranker's candidates)."""
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        with self._lock:
            found = self._cache.get(index)
            if found is not None:
                self._cache.move_to_end(index)
                return found
        document = self.table.document(index, None if text_of is None else text_of(index))
        with self._lock:
            document = self._cache.setdefault(index, document)
            while len(self._cache) > self._keep:
                self._cache.popitem(last=False)
        return document

    def __iter__(self) -> Iterator[Document]:
        return (self[i] for i in range(len(self)))

    def cached(self, index: int) -> Document | None:
        """The document at ``index`` if it is decoded already, else ``None`` (nothing decoded)."""
        with self._lock:
            return self._cache.get(index)
