"""The on-disk index: a folder of ``.npy`` arrays, a vocabulary, a catalog and a manifest.

Format (version 6), all in one folder:

- ``manifest.json``: format name and version, the analyzer fingerprint, the BM25 parameters, the
  counts, and the CRC-32 and size of every other file.
- ``catalog.json``: each article file (relative path, size, mtime, SHA-256, document position or
  the reason it was skipped) and each document's title, URL, published date and author.
- ``vocabulary.txt``: term ``i`` on line ``i`` (terms never contain whitespace).
- ``<group>.<column>.npy``: the columns of ``DocumentTable`` (every article's text packed in
  pieces, end to end, with where the pieces end: ``index.retrieval.packed``; offsets, paragraph
  spans), ``PassageTable``, ``ForwardIndex`` and ``Postings``; ``documents.dictionary.npy`` the
  preset dictionary the pieces were packed with. The forward term ids and counts are one column
  of records (``forward.entries.npy``: ``forward.entry_type``), read with ``pread`` when
  answering (``retrieval.kernels.reads``).
- ``marks.sequence.npy``, ``marks.flags.npy``: each sentence's terms in order and its opening,
  ``marks.titles.npy``, ``marks.title_ptr.npy`` each document's title terms
  (``index.retrieval.sentence_marks``), so answering reads no text to re-analyze a candidate.
- ``vectors.codes.npy``, ``vectors.scales.npy`` (only when built with the semantic extra): each
  sentence's meaning vector as int8 with its scale (``index.retrieval.semantic``).

Arrays are opened with ``mmap_mode="r"``, so loading reads almost nothing and serving keeps in
memory only the pages queries touch; article texts are read with ``pread`` for the quotes shown.
Every file's size is checked on every open and its CRC-32 (read in chunks, so the check does not
count towards resident memory) whenever the file changed since it was last checked
(``index.storage.verified``; ``verify`` reads every file): a corrupt file raises ``IndexCorrupt``
and the caller rebuilds instead of trusting it. A folder is written under a temporary name and
renamed into place, so readers never see half an index.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from index.errors import IndexCorrupt, IndexFolderError, IndexUnavailable
from index.ingest.ownership import FORMAT, MANIFEST, is_index_folder, write_marker
from index.ingest.scan import path_prefix
from index.retrieval.forward import (
    ForwardIndex,
    SplitIds,
    narrow_offsets,
    pack_entries,
    unpack_entries,
)
from index.retrieval.kernels.reads import RowFiles
from index.retrieval.params import BM25Params
from index.retrieval.semantic import DIMENSIONS, SentenceVectors
from index.retrieval.sentence_marks import SentenceMarks
from index.retrieval.tables import DocumentMeta, DocumentTable, FileBlob, PassageTable
from index.retrieval.weights import Postings, mean_length
from index.storage.format import FileRecord, IndexData
from index.storage.metas import CatalogMetas
from index.storage.verified import Recorder, Stamp, manifest_digest, stamp, trusted

_TEXT = "documents.text.npy"  # read with pread, not mapped (see ``FileBlob``)
# 2: quantized int16 weights with per-term scales, counts and idf for exact re-scoring; the
# catalog's files as rows. 3: the sentence marks. 4: each term's error bound
# (``postings.error``), so a partial rebuild can keep weights quantized under older statistics.
# 5: each article's text packed in pieces (``retrieval.packed``, its dictionary in
# ``documents.dictionary.npy``); no word starts in the marks; the passage columns in their
# narrowest types; forward term ids as their low 16 bits and the bits above (``SplitIds``),
# its row offsets as uint32. 6: the forward term ids and counts as one file of records
# (``forward.entries.npy``, ``forward.entry_type``), so the answer path reads a row in one
# ``pread`` (``kernels.reads``) instead of mapping three files.
# An index of another version is not read: it is rebuilt (and replaced: the folder is Verbatim's
# own), never half-read.
VERSION = 6
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "text",
        "text_ptr",
        "para_ptr",
        "para_start",
        "para_end",
        "piece_ptr",
        "piece_start",
        "piece_end",
    ),
    "passages": ("doc", "paragraph", "sentence", "start", "end"),
    "forward": ("row_ptr", "entries", "lengths"),
    "postings": ("ptr", "docs", "weights", "scale", "tf", "idf", "absent", "peak", "error"),
}
MARKS = ("sequence", "flags", "titles", "title_ptr")
DICTIONARY = "documents.dictionary.npy"
DROPPED = "marks.dropped.txt"


def save(data: IndexData, directory: Path, fingerprint: str, params: BM25Params) -> None:
    """Write ``data`` to ``directory``, replacing any index there in one rename.

    Raises ``IndexFolderError`` (and writes nothing) if ``directory`` exists and is not an index
    folder Verbatim made: only its own folders are ever replaced (``index.ownership``).
    """

    def write(folder: Path) -> dict[str, int]:
        _write_files(data, folder)
        return {
            "files": len(data.files),
            "documents": len(data.documents),
            "passages": len(data.passages),
            "terms": len(data.forward.vocabulary),
            "postings": int(data.postings.docs.size),
            **({"vectors": len(data.vectors)} if data.vectors is not None else {}),
        }

    write_index(directory, write, fingerprint, params)


def write_index(
    directory: Path,
    write: Callable[[Path], dict[str, int]],
    fingerprint: str,
    params: BM25Params,
) -> None:
    """Have ``write`` fill a staging folder beside ``directory`` (it returns the counts), then
    checksum it, mark it as Verbatim's, write the manifest and rename it into place. An
    interruption at any point leaves the index in ``directory`` as it was (the staging folder is
    removed on errors; one left by a killed process is a dot-folder no reader opens)."""
    directory = directory.resolve()
    _require_ours(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(f".{directory.name}.tmp-{uuid.uuid4().hex[:8]}")
    staging.mkdir()
    try:
        counts = write(staging)
        checksums, recorder = _checksums(staging)
        write_marker(staging)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "fingerprint": fingerprint,
            "params": asdict(params),
            "counts": counts,
            "checksums": checksums,
        }
        raw = json.dumps(manifest, indent=1).encode("utf-8")
        (staging / MANIFEST).write_bytes(raw)
        # The checksums were just read from the files written: the reopening need not read them.
        recorder.keep(manifest_digest(raw), {})
        _swap_into_place(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def load(directory: Path, root: Path, fingerprint: str, params: BM25Params) -> IndexData:
    """Open the index in ``directory`` memory-mapped, after checking it is whole and current."""
    manifest, raw = _manifest(directory, fingerprint, params)
    checksums: dict[str, list[int]] = manifest["checksums"]
    _check_files(directory, checksums, manifest_digest(raw))
    try:
        arrays: dict[str, Any] = {
            name[: -len(".npy")]: np.load(directory / name, mmap_mode="r", allow_pickle=False)
            for name in checksums
            if name.endswith(".npy")
        }
        text = arrays["documents.text"]
        arrays["documents.text"] = FileBlob(directory / _TEXT, text.offset, text.size)
        files, metas = _read_catalog(directory, root)
        words = (directory / "vocabulary.txt").read_text(encoding="utf-8")
        vocabulary = tuple(words.split("\n")) if words else ()
        dropped: frozenset[str] = frozenset()
        if DROPPED in checksums:
            listed = (directory / DROPPED).read_text(encoding="utf-8", errors="surrogatepass")
            dropped = frozenset(listed.split("\n")) if listed else frozenset()
        return _assemble(arrays, files, metas, vocabulary, params, dropped)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise IndexCorrupt(directory, f"unreadable: {exc}") from exc


def _write_files(data: IndexData, folder: Path) -> None:
    groups: dict[str, Any] = {
        "documents": data.documents,
        "passages": data.passages,
        "forward": data.forward,
        "postings": data.postings,
    }
    terms = data.forward.terms
    split = terms if isinstance(terms, SplitIds) else SplitIds.of(terms)
    stored = {
        "forward.entries": pack_entries(split, np.asarray(data.forward.counts)),
        "forward.row_ptr": narrow_offsets(np.asarray(data.forward.row_ptr)),
    }
    for group, columns in COLUMNS.items():
        for column in columns:
            name = f"{group}.{column}"
            values = stored[name] if name in stored else getattr(groups[group], column)
            np.save(folder / f"{name}.npy", np.asarray(values))
    write_dictionary(folder, data.documents.dictionary)
    if data.marks is not None:
        for column in MARKS:
            np.save(folder / f"marks.{column}.npy", np.asarray(getattr(data.marks, column)))
        write_dropped(folder, data.marks.dropped)
    if data.vectors is not None:
        np.save(folder / "vectors.codes.npy", np.asarray(data.vectors.codes))
        np.save(folder / "vectors.scales.npy", np.asarray(data.vectors.scales))
    write_vocabulary(folder, data.forward.vocabulary)
    write_catalog(folder, data.files, data.documents.meta)


def write_dictionary(folder: Path, dictionary: bytes) -> None:
    np.save(folder / DICTIONARY, np.frombuffer(dictionary, dtype=np.uint8))


def write_dropped(folder: Path, dropped: frozenset[str]) -> None:
    """The raw words that give no term, one a line, sorted (raw words hold no whitespace)."""
    (folder / DROPPED).write_text(
        "\n".join(sorted(dropped)), encoding="utf-8", errors="surrogatepass"
    )


def write_vocabulary(folder: Path, vocabulary: Sequence[str]) -> None:
    (folder / "vocabulary.txt").write_text("\n".join(vocabulary), encoding="utf-8")


def write_catalog(folder: Path, files: Sequence[FileRecord], metas: Sequence[DocumentMeta]) -> None:
    catalog = {
        # Rows in ``FileRecord`` field order: no key repeated 25,000 times, rebuilt positionally.
        "files": [
            [r.path, r.size, r.mtime_ns, r.sha256, r.doc, r.reason, r.walk_skip] for r in files
        ],
        # A fifth field, for a document extracted from a web page: the copy it was read from.
        "documents": [
            [m.title, m.url, m.published, m.author, *([m.path] if m.source else [])] for m in metas
        ],
    }
    # ASCII JSON: a file name that is not UTF-8 (kept as surrogate escapes) still round-trips.
    (folder / "catalog.json").write_text(json.dumps(catalog), encoding="ascii")


def _checksums(folder: Path) -> tuple[dict[str, list[int]], Recorder]:
    """Every file's CRC-32 and size, read back after the writes."""
    files = sorted(folder.iterdir())
    recorder = Recorder(folder)  # after the writes, before reading them back
    checksums = {}
    for path in files:
        checksums[path.name] = [_crc32(path), path.stat().st_size]
        recorder.checked(path.name, path)
    return checksums, recorder


def _swap_into_place(staging: Path, directory: Path) -> None:
    """Rename the new folder into place; readers holding the old files keep their mappings.

    Another process may be swapping its own build in at the same moment: retry a few times
    rather than fail, since either build is a correct index of the same corpus.
    """
    for attempt in range(3):
        retired = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex[:8]}")
        try:
            if os.path.lexists(directory):
                _require_ours(directory)  # checked again: it may have appeared meanwhile
                os.replace(directory, retired)
            os.replace(staging, directory)
            break
        except OSError:
            if attempt == 2:
                raise
    shutil.rmtree(retired, ignore_errors=True)


def _require_ours(directory: Path) -> None:
    if os.path.lexists(directory) and not is_index_folder(directory):
        raise IndexFolderError(directory, "exists and is not a Verbatim index; nothing was written")


def verify(directory: Path) -> None:
    """Read every file of the index in ``directory`` and compare it with its CRC-32 in the
    manifest, whatever the record of checked files says; raise ``IndexCorrupt`` on the first
    that differs (``verbatim index verify``)."""
    manifest, raw = _manifest(directory, None, None)
    checksums: dict[str, list[int]] = manifest["checksums"]
    _check_files(directory, checksums, manifest_digest(raw), full=True)


def _check_files(
    directory: Path, checksums: dict[str, list[int]], digest: str, full: bool = False
) -> None:
    """Sizes of every file; the CRC-32 of each file not checked since it last changed
    (``index.storage.verified``; all of them with ``full``); then record what was checked."""
    known = {} if full else trusted(directory, digest)
    unchanged: dict[str, Stamp] = {}
    for name, (_, size) in checksums.items():
        path = directory / name
        try:
            info = path.stat()
        except OSError as exc:
            raise IndexCorrupt(path, f"unreadable: {exc.strerror or exc}") from exc
        if info.st_size != size:
            raise IndexCorrupt(path, f"{info.st_size} bytes, expected {size}")
        # The small files (catalog, vocabulary, dropped words) are read whole on every open.
        if name.endswith(".npy") and known.get(name) == stamp(info):
            unchanged[name] = known[name]
    if len(unchanged) == len(checksums):
        return
    recorder = Recorder(directory)
    try:
        for name, (crc, size) in checksums.items():
            if name not in unchanged:
                _verify(directory / name, crc, size)
                recorder.checked(name, directory / name)
    finally:
        recorder.keep(digest, unchanged)


def _manifest(
    directory: Path, fingerprint: str | None, params: BM25Params | None
) -> tuple[dict[str, Any], bytes]:
    """The manifest (checked against ``fingerprint`` and ``params`` unless None) and its bytes."""
    path = directory / MANIFEST
    try:
        raw = path.read_bytes()
        manifest: dict[str, Any] = json.loads(raw.decode("utf-8"))
    except FileNotFoundError as exc:
        raise IndexUnavailable(f"no index in {directory}") from exc
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(path, f"unreadable manifest: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexCorrupt(path, "not a Verbatim index manifest")
    if manifest.get("version") != VERSION:
        raise IndexUnavailable(f"index in {directory} has format {manifest.get('version')}")
    if (fingerprint is not None and params is not None) and (
        manifest.get("fingerprint") != fingerprint or manifest.get("params") != asdict(params)
    ):
        raise IndexUnavailable(f"index in {directory} was built by another analyzer or params")
    if not isinstance(manifest.get("checksums"), dict):
        raise IndexCorrupt(path, "no checksums")
    return manifest, raw


def _verify(path: Path, crc: int, size: int) -> None:
    try:
        actual_size = path.stat().st_size
        if actual_size != size:
            raise IndexCorrupt(path, f"{actual_size} bytes, expected {size}")
        if _crc32(path) != crc:
            raise IndexCorrupt(path, "checksum mismatch")
    except OSError as exc:
        raise IndexCorrupt(path, f"unreadable: {exc.strerror or exc}") from exc


def _crc32(path: Path) -> int:
    crc = 0
    with path.open("rb", buffering=0) as stream:
        # No larger than the file: the catalog and vocabulary are checked on every open, and
        # zeroing a 4 MB buffer for each cost a small corpus more than reading them.
        buffer = bytearray(max(1, min(1 << 22, os.fstat(stream.fileno()).st_size)))
        view = memoryview(buffer)
        while read := stream.readinto(buffer):
            crc = zlib.crc32(view[:read], crc)
    return crc


def _read_catalog(directory: Path, root: Path) -> tuple[tuple[FileRecord, ...], CatalogMetas]:
    """The catalog's file records and document metadata (paths below ``root``; each document's
    record made when first read, ``index.storage.metas``)."""
    raw = (directory / "catalog.json").read_text(encoding="utf-8")
    with _collection_paused():
        catalog = json.loads(raw)
        files = tuple(map(FileRecord._make, catalog["files"]))
        paths = {record.doc: record.path for record in files if record.doc >= 0}
        # str(root / rel) for each document, without building 25,000 Path objects on every load.
        metas = CatalogMetas(catalog["documents"], paths, path_prefix(root))
    return files, metas


@contextmanager
def _collection_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: reading the catalog makes some 100,000 lists and
    records at 25,000 articles, none of them garbage, and as they pile up the collector runs
    again and again over them (and, in its oldest generation, over every object of the process)
    for nothing (~0.1 s of an open). Process-wide, so only around such short, allocation-only
    steps; left as it was found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _assemble(
    arrays: dict[str, npt.NDArray[Any]],
    files: tuple[FileRecord, ...],
    metas: Sequence[DocumentMeta],
    vocabulary: tuple[str, ...],
    params: BM25Params,
    dropped: frozenset[str],
) -> IndexData:
    def columns(group: str) -> list[npt.NDArray[Any]]:
        return [arrays[f"{group}.{column}"] for column in COLUMNS[group]]

    dictionary = np.asarray(arrays["documents.dictionary"]).tobytes()
    text, text_ptr, para_ptr, para_start, para_end, *pieces = columns("documents")
    piece_ptr, piece_start, piece_end = pieces
    documents = DocumentTable(
        metas,
        text,
        text_ptr,
        para_ptr,
        para_start,
        para_end,
        piece_ptr,
        piece_start,
        piece_end,
        dictionary,
    )
    passages = PassageTable(*columns("passages"))
    row_ptr, entries, lengths = columns("forward")
    if entries.dtype.names is None or entries.dtype.names[0] != "low":
        raise ValueError("forward entries are not records")
    terms, counts = unpack_entries(entries)
    # Plain views: indexing an ``np.memmap`` runs Python code (``SplitIds`` is indexed per row).
    split = SplitIds(np.asarray(terms.low), np.asarray(terms.high))  # type: ignore[arg-type]
    marks_places = arrays.get("marks.sequence")
    reader = RowFiles.of(entries, marks_places, row_ptr, lengths)
    forward = ForwardIndex(vocabulary, row_ptr, split, counts, lengths, reader)
    ptr, docs, weights, scale, tf, idf, absent, peak, error = columns("postings")
    lengths, size = forward.lengths, len(passages)
    postings = Postings(
        ptr,
        docs,
        weights,
        scale,
        tf,
        idf,
        absent,
        peak,
        error,
        size,
        lengths,
        mean_length(lengths, size),
        params,
    )
    _check_shapes(documents, passages, forward, postings)
    vectors = None
    if "vectors.codes" in arrays:
        vectors = SentenceVectors(arrays["vectors.codes"], arrays["vectors.scales"])
        if vectors.codes.shape != (len(passages), DIMENSIONS) or len(vectors) != len(passages):
            raise ValueError("sentence vectors disagree with the passages")
    marks = None
    if "marks.flags" in arrays:
        sequence, flags, titles, title_ptr = (arrays[f"marks.{column}"] for column in MARKS)
        marks = SentenceMarks(sequence, flags, titles, title_ptr, dropped)
        _check_marks(marks, forward, len(documents))
    return IndexData(files, documents, passages, forward, postings, vectors, marks)


def _check_marks(marks: SentenceMarks, forward: ForwardIndex, documents: int) -> None:
    """The marks hold a row per passage, an occurrence per term (``forward.lengths``) and a
    title per document."""
    occurrences = int(np.asarray(forward.lengths).sum(dtype=np.int64))
    if len(marks) != len(forward) or marks.sequence.size != occurrences:
        raise ValueError("sentence marks disagree with the forward index")
    if marks.title_ptr.size != documents + 1 or int(marks.title_ptr[-1]) != marks.titles.size:
        raise ValueError("title marks disagree with the documents")


def _check_shapes(
    documents: DocumentTable, passages: PassageTable, forward: ForwardIndex, postings: Postings
) -> None:
    """Cheap structural checks that catch an index whose parts disagree."""
    problems = [
        documents.text_ptr.size != len(documents) + 1,
        int(documents.text_ptr[-1]) != documents.text.size,
        int(documents.para_ptr[-1]) != documents.para_start.size,
        documents.piece_ptr.size != len(documents) + 1,
        int(documents.piece_ptr[-1]) != documents.piece_end.size,
        documents.piece_start.size != documents.piece_end.size,
        len(forward) != len(passages),
        int(forward.row_ptr[-1]) != forward.terms.size,
        postings.ptr.size != len(forward.vocabulary) + 1,
        int(postings.ptr[-1]) != postings.docs.size,
        postings.docs.size != forward.terms.size,
        postings.peak.size != len(forward.vocabulary),
        postings.weights.size != postings.docs.size or postings.tf.size != postings.docs.size,
        postings.scale.size != len(forward.vocabulary)
        or postings.idf.size != len(forward.vocabulary)
        or postings.error.size != len(forward.vocabulary),
    ]
    if any(problems):
        raise ValueError("array shapes disagree")
