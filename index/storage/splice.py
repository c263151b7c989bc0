"""A partial rebuild that writes only what changed: the unchanged articles' bytes are copied.

``builder.build_data`` with a previous index re-reads no unchanged file, but still copies every
reused article into fresh arrays in Python, re-weighs all 14 million postings and writes the
whole index (320 MB at a million sentences: most of its 8-10 s). Here the new index is the same
index a full build of the files would make — documents, passages and forward rows in the same
order, the same ids — assembled instead from the previous one:

- each column is written as runs of the previous file's bytes (``os.copy_file_range``, in the
  kernel, for every run of consecutive unchanged articles) and the changed articles' new rows;
  columns of positions that shift (offsets, each passage's document) are recomputed (small);
- term ids are kept (new words get new ids at the end; a word no passage holds any more keeps
  its id with no postings and is left out of the engine's vocabulary), so the forward rows of
  unchanged articles are copied as they are;
- the postings are updated in place (``index.retrieval.delta``): kept postings keep their
  quantized weights with a widened error bound, so scores stay exact and rankings bit-identical.

It is written through ``store.write_index`` (a staging folder renamed into place), so an
interrupted rebuild leaves the previous index as it was. Whatever it cannot splice (another
layout, Okapi, the semantic extra, counts wider than the stored type, the files of another
module it does not know) raises ``NeedsFullBuild`` and the caller builds in full.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from index.ingest.ownership import MANIFEST, MARKER
from index.ingest.scan import CorpusScan, scan_corpus
from index.model import Document
from index.retrieval.delta import NeedsFullBuild, NewRows, TooStale, updated_postings
from index.retrieval.forward import (
    ForwardBuilder,
    ForwardIndex,
    SplitIds,
    entry_type,
    narrow_offsets,
    narrowest,
    pack_entries,
    unpack_entries,
)
from index.retrieval.params import BM25Params
from index.retrieval.sentence_marks import SentenceMarks
from index.retrieval.tables import DocumentMeta
from index.retrieval.weights import Postings, postings_of
from index.storage import listing
from index.storage.builder import Parts, index_file, walk_skips
from index.storage.format import FileRecord, IndexData, Progress
from index.storage.store import (
    COLUMNS,
    DICTIONARY,
    DROPPED,
    MARKS,
    write_catalog,
    write_dictionary,
    write_dropped,
    write_index,
    write_vocabulary,
)
from index.storage.verified import RECORD
from index.text.analyzer import Analyzer

Int64s = npt.NDArray[np.int64]
# The files a spliced index is made of; a previous index holding any other is built in full.
_KNOWN = {f"{group}.{column}.npy" for group, columns in COLUMNS.items() for column in columns} | {
    *(f"marks.{column}.npy" for column in MARKS),
    DICTIONARY,
    DROPPED,
    "catalog.json",
    "vocabulary.txt",
    MANIFEST,
    MARKER,
    RECORD,
    # The folders' stamps an open keeps (``index.storage.listing``): they name the previous
    # manifest, so the spliced index (a new folder) simply starts without them.
    listing.RECORD,
}
# Probe and temporary files (``index.storage.verified``) are dot-files.
_IGNORED_PREFIXES = (".",)


@dataclass
class _Plan:
    """The new index's documents in order: a previous document's id or a new one's place in
    ``fresh`` (the changed and added articles, segmented and analyzed)."""

    previous: IndexData
    fresh: Parts
    metas: list[DocumentMeta] = field(default_factory=list)
    items: list[int] = field(default_factory=list)  # >= 0: previous doc; -1 - i: fresh doc i

    def add(self, document: Document, analyzer: Analyzer) -> int:
        self.items.append(-1 - len(self.fresh.metas))
        self.fresh.add(document, analyzer)
        self.metas.append(self.fresh.metas[-1])
        return len(self.metas) - 1

    def reuse(self, old_doc: int) -> int:
        self.items.append(old_doc)
        self.metas.append(self.previous.documents.meta[old_doc])
        return len(self.metas) - 1


def splice_rebuild(
    previous: IndexData,
    source: Path,
    directory: Path,
    root: Path,
    analyzer: Analyzer,
    params: BM25Params,
    fingerprint: str,
    pages: Path,
    progress: Progress | None = None,
    scan: CorpusScan | None = None,
) -> None:
    """Write the index of ``root`` into ``directory`` from ``previous`` (loaded from the folder
    ``source``) and the changed files (``scan``: the walk of ``root``, when the caller has made
    it); raises ``NeedsFullBuild`` when it cannot."""
    if params.variant == "okapi":
        raise NeedsFullBuild("Okapi's idf floor depends on the whole vocabulary")
    _require_known_files(source)
    scan = scan or scan_corpus(root)
    known = {r.path: r for r in previous.files}
    plan = _Plan(
        previous,
        Parts(
            None,
            analyzer,
            builder=ForwardBuilder.continuing(previous.forward.vocabulary, places=True),
        ),
    )
    records = walk_skips(scan, root)
    total = len(scan.paths)
    for done, (rel, info, path) in enumerate(
        zip(scan.relative(), scan.stats, scan.paths, strict=True), start=1
    ):
        old = known.get(rel)
        stamp = (info.st_size, info.st_mtime_ns)
        if old is not None and old.sha256 and (old.size, old.mtime_ns) == stamp:
            # Unchanged size and mtime: trusted, as the builder does, without a second stat.
            doc = plan.reuse(old.doc) if old.doc >= 0 else -1
            records.append(FileRecord(rel, old.size, old.mtime_ns, old.sha256, doc, old.reason))
        else:
            records.append(index_file(Path(path), root, known, plan, analyzer, pages))
        if progress is not None:
            progress(done, total)
    if not plan.metas:
        raise NeedsFullBuild("no document left")
    reused = [d for d in plan.items if d >= 0]
    if any(b <= a for a, b in itertools.pairwise(reused)):
        raise NeedsFullBuild("the unchanged articles are in another order")
    if previous.marks is None:
        raise NeedsFullBuild("the previous index has no sentence marks")
    if previous.documents.dictionary != plan.fresh.zdict:
        raise NeedsFullBuild("the previous index's texts are packed with another dictionary")
    fresh = plan.fresh.forward()
    marks = plan.fresh.marks.build()
    dropped = frozenset(plan.fresh.builder.dropped | previous.marks.dropped)

    def write(folder: Path) -> dict[str, int]:
        counts = _Writer(source, folder, previous, plan, fresh, params).write(marks)
        write_vocabulary(folder, fresh.vocabulary)
        write_dictionary(folder, plan.fresh.zdict)
        write_dropped(folder, dropped)
        write_catalog(folder, records, plan.metas)
        return {"files": len(records), **counts}

    write_index(directory, write, fingerprint, params)


def _require_known_files(source: Path) -> None:
    for name in os.listdir(source):
        if name not in _KNOWN and not name.startswith(_IGNORED_PREFIXES):
            raise NeedsFullBuild(f"the previous index holds {name}, which is not spliced")


class _Writer:
    """Writes the new columns from the previous files' runs and the fresh documents' rows."""

    def __init__(
        self,
        source: Path,
        folder: Path,
        previous: IndexData,
        plan: _Plan,
        fresh: ForwardIndex,
        params: BM25Params,
    ) -> None:
        self.source, self.folder, self.previous, self.params = source, folder, previous, params
        self.items = plan.items
        self.fresh_parts, self.fresh = plan.fresh, fresh
        old = previous
        self.text_ptr = np.asarray(old.documents.text_ptr)
        self.para_ptr = np.asarray(old.documents.para_ptr)
        doc = np.asarray(old.passages.doc)
        self.pass_ptr = _offsets(np.bincount(doc, minlength=len(old.documents)))
        self.row_ptr = np.asarray(old.forward.row_ptr)
        # Each fresh document's rows of passages (in ``fresh_parts.rows``) and forward rows.
        fresh_passages = [len(rows) for rows in plan.fresh.rows]
        self.fresh_pass_ptr = _offsets(np.asarray(fresh_passages, dtype=np.int64))
        self.fresh_row_ptr = np.asarray(fresh.row_ptr)
        self.runs = _runs(self.items)

    def write(self, marks: SentenceMarks) -> dict[str, int]:
        parts = self.fresh_parts
        texts = parts.texts
        # Documents: text bytes, offsets, paragraph spans.
        text_sizes = self._sizes(self.text_ptr, [len(t) for t in texts])
        self._column("documents", "text", np.uint8, self._pieces(self.text_ptr, texts))
        self._save("documents", "text_ptr", _offsets(text_sizes))
        paragraphs = parts.paragraphs
        para_sizes = self._sizes(self.para_ptr, [len(p) for p in paragraphs])
        self._save("documents", "para_ptr", _offsets(para_sizes))
        for i, column in enumerate(("para_start", "para_end")):
            new = [np.ascontiguousarray(p[:, i]).astype(np.int32) for p in paragraphs]
            self._column("documents", column, np.int32, self._pieces(self.para_ptr, new))
        # The packed pieces' starts and ends, relative to their document: copied as they are.
        piece_ptr = np.asarray(self.previous.documents.piece_ptr)
        piece_sizes = self._sizes(piece_ptr, [len(p) for p in parts.piece_ends])
        self._save("documents", "piece_ptr", _offsets(piece_sizes))
        for column, new_pieces in (
            ("piece_start", parts.piece_starts),
            ("piece_end", parts.piece_ends),
        ):
            self._column("documents", column, np.uint32, self._pieces(piece_ptr, new_pieces))
        # Passages: each one's document is recomputed, the rest copied or new.
        pass_sizes = self._sizes(self.pass_ptr, [len(r) for r in parts.rows])
        passages = int(pass_sizes.sum())
        # Each column in the narrowest type that holds it, as a full build stores it (so it is
        # gathered in memory, 1M values at most 4 bytes each, rather than copied in runs).
        documents = np.repeat(np.arange(len(self.items), dtype=np.int32), pass_sizes)
        self._save("passages", "doc", narrowest(documents))
        for i, column in enumerate(("paragraph", "sentence", "start", "end"), start=1):
            new = [np.ascontiguousarray(r[:, i]).astype(np.int32) for r in parts.rows]
            old = np.asarray(getattr(self.previous.passages, column))
            values = self._gathered(old, self.pass_ptr, new).astype(np.int32)
            self._save("passages", column, narrowest(values))
        # Forward rows: copied as they are (term ids are kept), offsets recomputed.
        lengths = self._forward(pass_sizes)
        postings = self._postings(pass_sizes, lengths)
        for column in COLUMNS["postings"]:
            self._save("postings", column, np.asarray(getattr(postings, column)))
        self._marks(marks)
        return {
            "documents": len(self.items),
            "passages": passages,
            "terms": len(self.fresh.vocabulary),
            "postings": int(postings.docs.size),
        }

    def _forward(self, pass_sizes: Int64s) -> npt.NDArray[Any]:
        old, fresh = self.previous.forward, self.fresh
        old_rows = np.diff(self.row_ptr)
        fresh_rows = np.diff(self.fresh_row_ptr)
        row_sizes = self._per_passage(old_rows, fresh_rows)
        self._save("forward", "row_ptr", narrow_offsets(_offsets(row_sizes)))
        term_ptr = self.row_ptr[self.pass_ptr]  # each old document's first forward entry
        terms = self._split_fresh(np.asarray(fresh.terms))
        counts = self._split_fresh(fresh.counts)
        # Term ids as their low 16 bits and the bits above (``SplitIds``) beside the counts,
        # one record each (``entry_type``, the old file's), copied in runs.
        old_high = old.terms.high if isinstance(old.terms, SplitIds) else np.zeros(0, np.uint8)
        highs = [np.asarray(t, dtype=np.int64) >> 16 for t in terms]
        high_type = np.asarray(old_high).dtype if old_high.size else None
        if high_type is None and any(h.size and int(h.max()) for h in highs):
            raise NeedsFullBuild("term ids now need more than 16 bits")
        count_type = np.asarray(old.counts).dtype
        entries = entry_type(high_type, count_type)
        pieces = []
        for t, h, c in zip(terms, highs, _cast(counts, count_type), strict=True):
            low = (np.asarray(t, dtype=np.int64) & 0xFFFF).astype(np.uint16)
            high = _cast([h], high_type)[0] if high_type is not None else np.zeros(0, np.uint8)
            pieces.append(pack_entries(SplitIds(low, high), c))
        self._column("forward", "entries", entries, self._pieces(term_ptr, pieces))
        length_type = np.asarray(old.lengths).dtype
        fresh_lengths = [
            np.asarray(fresh.lengths[lo:hi])
            for lo, hi in zip(self.fresh_pass_ptr[:-1], self.fresh_pass_ptr[1:], strict=True)
        ]
        lengths = self._gathered(
            np.asarray(old.lengths), self.pass_ptr, _cast(fresh_lengths, length_type)
        )
        self._save("forward", "lengths", lengths)
        return lengths

    def _marks(self, fresh: SentenceMarks) -> None:
        """The sentence marks (``index.retrieval.sentence_marks``): the places are within a
        sentence, the flags a sentence's, the titles a document's, so unchanged articles' runs
        are copied as they are."""
        old = self.previous.marks
        assert old is not None
        # Where each old document's occurrences start (an occurrence per term, with repeats).
        occurrences = _offsets(np.asarray(self.previous.forward.lengths).astype(np.int64))
        old_ptr = occurrences[self.pass_ptr]
        fresh_occurrences = _offsets(np.asarray(self.fresh.lengths).astype(np.int64))
        fresh_ptr = fresh_occurrences[self.fresh_pass_ptr]
        dtype = np.asarray(old.sequence).dtype
        values = np.asarray(fresh.sequence)
        pieces = [values[lo:hi] for lo, hi in itertools.pairwise(fresh_ptr.tolist())]
        self._column("marks", "sequence", dtype, self._pieces(old_ptr, _cast(pieces, dtype)))
        flags = np.asarray(fresh.flags)
        pieces = [flags[lo:hi] for lo, hi in itertools.pairwise(self.fresh_pass_ptr.tolist())]
        self._column("marks", "flags", np.uint8, self._pieces(self.pass_ptr, pieces))
        title_ptr = np.asarray(old.title_ptr)
        fresh_titles = np.asarray(fresh.titles)
        fresh_title_ptr = np.asarray(fresh.title_ptr).tolist()
        titles = [fresh_titles[lo:hi] for lo, hi in itertools.pairwise(fresh_title_ptr)]
        self._column("marks", "titles", np.uint8, self._pieces(title_ptr, titles))
        sizes = self._sizes(title_ptr, [t.size for t in titles])
        self._save("marks", "title_ptr", _offsets(sizes))

    def _postings(self, pass_sizes: Int64s, lengths: npt.NDArray[Any]) -> Postings:
        new_ptr = _offsets(pass_sizes)
        remap = np.full(len(self.previous.passages), -1, dtype=np.int32)
        fresh_passage_ids: list[npt.NDArray[np.int32]] = []
        for position, item in enumerate(self.items):
            start = int(new_ptr[position])
            if item >= 0:
                lo, hi = int(self.pass_ptr[item]), int(self.pass_ptr[item + 1])
                remap[lo:hi] = np.arange(start, start + hi - lo, dtype=np.int32)
            else:
                fresh_passage_ids.append(
                    np.arange(start, int(new_ptr[position + 1]), dtype=np.int32)
                )
        passage_of_row = (
            np.concatenate(fresh_passage_ids) if fresh_passage_ids else np.zeros(0, np.int32)
        )
        rows = np.repeat(passage_of_row, np.diff(self.fresh_row_ptr))
        new = NewRows(np.asarray(self.fresh.terms), rows, np.asarray(self.fresh.counts))
        try:
            return updated_postings(
                self.previous.postings, remap, new, len(self.fresh.vocabulary), lengths, self.params
            )
        except TooStale:  # weigh every posting afresh, from the forward rows just written
            return postings_of(self._written_forward(), self.params)

    def _written_forward(self) -> ForwardIndex:
        def column(name: str) -> npt.NDArray[Any]:
            values: npt.NDArray[Any] = np.load(self.folder / f"forward.{name}.npy", mmap_mode="r")
            return values

        row_ptr, entries, lengths = (np.asarray(column(name)) for name in COLUMNS["forward"])
        terms, counts = unpack_entries(entries)
        return ForwardIndex(self.fresh.vocabulary, row_ptr, terms[slice(None)], counts, lengths)

    # -- pieces ---------------------------------------------------------------------------

    def _sizes(self, ptr: Int64s, fresh: Sequence[int]) -> Int64s:
        """Each new document's size in a per-document column (old sizes from ``ptr``)."""
        old = np.diff(ptr)
        return np.asarray(
            [int(old[i]) if i >= 0 else fresh[-1 - i] for i in self.items], dtype=np.int64
        )

    def _per_passage(self, old: npt.NDArray[Any], fresh: npt.NDArray[Any]) -> Int64s:
        pieces = []
        for kind, lo, hi in self.runs:
            if kind == "old":
                pieces.append(old[int(self.pass_ptr[lo]) : int(self.pass_ptr[hi])])
            else:
                pieces.append(fresh[int(self.fresh_pass_ptr[lo]) : int(self.fresh_pass_ptr[hi])])
        return np.concatenate(pieces).astype(np.int64) if pieces else np.zeros(0, np.int64)

    def _gathered(
        self, old: npt.NDArray[Any], ptr: Int64s, fresh: list[npt.NDArray[Any]]
    ) -> npt.NDArray[Any]:
        """A per-passage column in memory (small): old runs and fresh pieces, concatenated."""
        pieces = []
        for kind, lo, hi in self.runs:
            if kind == "old":
                pieces.append(old[int(ptr[lo]) : int(ptr[hi])])
            else:
                pieces.extend(fresh[lo:hi])
        return np.concatenate(pieces) if pieces else old[:0].copy()

    def _split_fresh(self, values: npt.NDArray[Any]) -> list[npt.NDArray[Any]]:
        """A fresh forward column cut per fresh document."""
        bounds = self.fresh_row_ptr[self.fresh_pass_ptr]
        return [np.asarray(values[lo:hi]) for lo, hi in itertools.pairwise(bounds)]

    def _pieces(self, ptr: Int64s, fresh: Sequence[Any]) -> list[tuple[int, int] | Any]:
        """The runs of a column: ``(first, last)`` element ranges of the previous file, or a
        fresh document's values (bytes or an array)."""
        pieces: list[tuple[int, int] | Any] = []
        for kind, lo, hi in self.runs:
            if kind == "old":
                pieces.append((int(ptr[lo]), int(ptr[hi])))
            else:
                pieces.extend(fresh[lo:hi])
        return pieces

    def _save(self, group: str, column: str, values: npt.NDArray[Any]) -> None:
        np.save(self.folder / f"{group}.{column}.npy", np.ascontiguousarray(values))

    def _column(
        self, group: str, column: str, dtype: Any, pieces: list[tuple[int, int] | Any]
    ) -> None:
        """Write one column as a ``.npy`` file: old runs copied by the kernel, fresh pieces."""
        name = f"{group}.{column}.npy"
        dtype = np.dtype(dtype)
        with open(self.source / name, "rb") as src:
            offset, old_type = _npy_data(src)
            if old_type != dtype:
                raise NeedsFullBuild(f"{name} holds {old_type}, not {dtype}")
            length = sum(_piece_length(p, dtype) for p in pieces)
            with open(self.folder / name, "wb") as out:
                header = {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False}
                np.lib.format.write_array_header_1_0(out, {**header, "shape": (length,)})
                for piece in pieces:
                    if isinstance(piece, tuple):
                        out.flush()
                        _copy_range(
                            src,
                            out,
                            offset + piece[0] * dtype.itemsize,
                            (piece[1] - piece[0]) * dtype.itemsize,
                        )
                    else:
                        out.write(
                            piece
                            if isinstance(piece, bytes)
                            else np.ascontiguousarray(piece, dtype=dtype).tobytes()
                        )


def _piece_length(piece: tuple[int, int] | Any, dtype: np.dtype[Any]) -> int:
    if isinstance(piece, tuple):
        return int(piece[1] - piece[0])
    if isinstance(piece, bytes):
        return len(piece) // dtype.itemsize
    return int(np.asarray(piece).size)


def _npy_data(stream: BinaryIO) -> tuple[int, np.dtype[Any]]:
    """Where a 1-D ``.npy`` file's data starts, and its type."""
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
    if len(shape) != 1 or fortran:
        raise NeedsFullBuild("not a flat column")
    return stream.tell(), dtype


def _copy_range(src: BinaryIO, out: BinaryIO, start: int, size: int) -> None:
    """``size`` bytes of ``src`` from ``start`` appended to ``out``, copied in the kernel."""
    position = out.tell()
    while size > 0:
        copied = os.copy_file_range(src.fileno(), out.fileno(), size, start, position)
        if copied <= 0:
            raise OSError("copy_file_range copied nothing")
        start, position, size = start + copied, position + copied, size - copied
    out.seek(position)


def _runs(items: list[int]) -> list[tuple[str, int, int]]:
    """``items`` as runs: ("old", first, last) of consecutive previous documents, or ("new",
    first, last) of consecutive fresh ones (their indices in the fresh parts)."""
    runs: list[tuple[str, int, int]] = []
    for item in items:
        kind, value = ("old", item) if item >= 0 else ("new", -1 - item)
        if runs and runs[-1][0] == kind and runs[-1][2] == value:
            runs[-1] = (kind, runs[-1][1], value + 1)
        else:
            runs.append((kind, value, value + 1))
    return runs


def _cast(pieces: list[npt.NDArray[Any]], dtype: np.dtype[Any]) -> list[npt.NDArray[Any]]:
    top = np.iinfo(dtype).max
    for piece in pieces:
        if piece.size and int(piece.max()) > top:
            raise NeedsFullBuild(f"a value wider than the stored {dtype}")
    return [piece.astype(dtype) for piece in pieces]


def _offsets(sizes: npt.NDArray[np.integer[Any]]) -> Int64s:
    offsets = np.zeros(sizes.size + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return offsets
