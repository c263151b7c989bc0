"""Open a corpus through its persistent index: load it when current, rebuild what changed if not.

The one entry point adapters call (``open_index``). Policy, in order:

1. Load the index folder (memory-mapped, checksums verified). Missing, another format, another
   analyzer or parameters: treat as absent. Corrupt: log which file, treat as absent.
2. If it lists exactly the corpus's files with unchanged size and mtime, serve it as is.
3. Otherwise rebuild, reusing every article whose bytes are unchanged (``index.storage.builder``),
   save it, and serve the saved copy memory-mapped. If the folder cannot be written, serve from
   memory.

With the semantic extra (an ``embedder``), an index without sentence vectors counts as stale;
one with them is served with its vectors attached (``CorpusIndex.semantic``). Without it, any
stored vectors are left unused, so answers are exactly those of an index that has none.
"""

from __future__ import annotations

import gc
import glob
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import CorpusError, IndexCorrupt, IndexUnavailable
from index.ingest.ownership import check_index_folder
from index.ingest.pages import pages_dir, prune_copies, write_copy
from index.ingest.scan import CorpusScan, SkippedFile, scan_corpus
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.params import BM25Params
from index.retrieval.semantic import Embedder, SemanticIndex
from index.retrieval.sparse_engine import SparseEngine
from index.retrieval.tables import DocumentTable, LazyDocuments
from index.storage import listing
from index.storage.format import IndexData, Progress
from index.storage.metas import copied_positions
from index.storage.store import load, save, verify
from index.text.analyzer import Analyzer

log = logging.getLogger(__name__)
# The rebuild's modules (builder, splice, the parallel workers) are imported only when an index
# is rebuilt or walked: opening a current one, all a one-shot ``verbatim ask`` does, need not pay
# for them (~10 ms).
# Whatever changes how files become arrays changes the fingerprint, so an index built by other
# code is rebuilt rather than trusted: every module of the stages that shape the arrays (a glob,
# so a module added or moved there is covered without a list to keep), and the build's C
# kernels (the rows of ``retrieval/kernels/rows.py``, the postings' sort) with their loader.
_FINGERPRINTED = (
    "model.py",
    "ingest/*.py",
    "text/*.py",
    "retrieval/*.py",
    "storage/*.py",
    "retrieval/kernels/*.py",
    "retrieval/kernels/*.c",
)


@dataclass(frozen=True, slots=True)
class OpenedIndex:
    """A ready index, the files it skipped (with reasons), and whether it had to be rebuilt.

    ``directory`` is the folder it is served from (None when served from memory) and
    ``identity`` a digest of that folder's manifest, so work derived from this very index (the
    summaries' analysis) can be kept beside it and recognized later.
    """

    index: CorpusIndex
    skipped: tuple[SkippedFile, ...]
    rebuilt: bool
    directory: Path | None = None
    identity: str | None = None


def default_index_dir(corpus: Path) -> Path:
    """``.verbatim-index/<corpus name>`` beside the corpus folder (never inside it)."""
    corpus = corpus.resolve()
    return corpus.parent / ".verbatim-index" / corpus.name


def fingerprint() -> str:
    """A digest of the code that turns article files into index arrays."""
    return fingerprint_of(Path(__file__).resolve().parent.parent)


def fingerprint_of(package: Path) -> str:
    """The digest of the fingerprinted modules below ``package`` (their paths and bytes, in the
    order their paths sort part by part; as strings: ``Path`` objects cost every open ~5 ms)."""
    digest = hashlib.sha256()
    top = os.path.join(str(package), "")
    found = {path for pattern in _FINGERPRINTED for path in glob.glob(top + pattern)}
    for module in sorted((path[len(top) :] for path in found), key=lambda rel: rel.split("/")):
        digest.update(module.encode("utf-8") + b"\0")
        with open(top + module, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()[:16]


def open_index(
    corpus: Path,
    directory: Path | None = None,
    analyzer: Analyzer | None = None,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
    force: bool = False,
    embedder: Embedder | None = None,
) -> OpenedIndex:
    """The index of ``corpus``, from ``directory`` when current, rebuilt (partially) if not.

    Raises ``CorpusError`` when the folder is missing or holds no usable article, and
    ``IndexFolderError`` when ``directory`` holds something Verbatim did not make.
    """
    if not corpus.is_dir():
        raise CorpusError(f"corpus folder {corpus} does not exist or is not a folder")
    directory = check_index_folder(directory or default_index_dir(corpus), corpus)
    analyzer = analyzer or Analyzer()
    previous = try_load(directory, corpus, params)
    data = previous
    stored = data is not None
    unembedded = embedder is not None and data is not None and data.vectors is None
    fresh, scan = False, None
    if data is not None and not force and not unembedded:
        fresh, scan = _current(data, directory, corpus)
    if data is None or not fresh:
        with _collector_on():
            data, stored = _rebuilt(
                previous, directory, corpus, analyzer, params, progress, force, embedder, scan
            )
    _require_documents(data, corpus)
    _restore_copies(data)
    index = index_of(data, analyzer, params)
    if embedder is not None and data.vectors is not None:
        index.semantic = SemanticIndex(data.vectors, embedder)
    return OpenedIndex(
        index,
        skipped_files(data, corpus),
        data is not previous,
        directory if stored else None,
        _identity(directory) if stored else None,
    )


def _rebuilt(
    previous: IndexData | None,
    directory: Path,
    corpus: Path,
    analyzer: Analyzer,
    params: BM25Params,
    progress: Progress | None,
    force: bool,
    embedder: Embedder | None,
    scan: CorpusScan | None,
) -> tuple[IndexData, bool]:
    """The index rebuilt (spliced when it can be, else in full) and whether it is stored."""
    pages = pages_dir(directory)
    spliced = None
    if previous is not None and not force and embedder is None:
        spliced = _spliced(previous, directory, corpus, analyzer, params, pages, progress, scan)
    if spliced is not None:
        data, stored = spliced, True
    else:
        from index.storage.builder import build_data
        from index.storage.parallel import index_files

        built = build_data(
            corpus, analyzer, params, previous, progress, pages, embedder, index_files
        )
        _require_documents(built, corpus)
        data = _save_and_reopen(built, directory, corpus, params)
        stored = data is not built
    _prune_copies(data, pages)
    return data, stored


@contextmanager
def _collector_on() -> Iterator[None]:
    """The cyclic garbage collector on for a rebuild, which makes and drops objects by the
    million, even when the caller paused it for its start-up (``bot.cli.collector``)."""
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()


def _current(data: IndexData, directory: Path, corpus: Path) -> tuple[bool, CorpusScan | None]:
    """Whether ``data`` indexes ``corpus`` as it is now: vouched for by the folders' stamps
    without a walk (``index.storage.listing``), else walked; the files found (the walk, or the
    record's files when no folder changed) are returned for a rebuild to reuse, and a walk's
    stamps are kept when it found the index current."""
    if listing.unchanged(directory, data.files, corpus):
        return True, None
    vouched = listing.vouched_scan(directory, data.files, corpus)
    if vouched is not None:  # no folder changed: an article was edited in place
        return False, vouched
    from index.storage.builder import is_fresh

    manifest = listing.manifest_of(directory)
    scan = scan_corpus(corpus)
    fresh = is_fresh(data, corpus, scan)
    if fresh:
        listing.record(directory, scan, manifest)
    return fresh, scan


def verify_index(directory: Path) -> None:
    """Read every file of the index in ``directory`` against its checksum, whatever the record
    of files already checked says (opening checks only what changed since): ``IndexCorrupt``
    names the first file that differs, ``IndexUnavailable`` says there is no index."""
    verify(directory)


def _identity(directory: Path) -> str | None:
    """A digest of the manifest (which holds every file's checksum): this index and no other."""
    try:
        return hashlib.sha256((directory / "manifest.json").read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def try_load(directory: Path, corpus: Path, params: BM25Params) -> IndexData | None:
    """The index in ``directory``, or None when there is none usable (corruption is logged)."""
    try:
        return load(directory, corpus, fingerprint(), params)
    except IndexCorrupt as exc:
        log.warning("%s", exc)
    except IndexUnavailable as exc:
        log.info("%s", exc)
    return None


def index_of(data: IndexData, analyzer: Analyzer, params: BM25Params) -> CorpusIndex:
    """A ``CorpusIndex`` serving ``data`` as it is (documents decoded on demand)."""
    words = data.forward.vocabulary
    vocabulary = {term: i for i, term in enumerate(words)}
    # A partial rebuild keeps the id of a word no passage holds any more (``index.storage.
    # splice``): it is no term of this corpus, as in a full build of the same files.
    for term_id in np.flatnonzero(np.diff(np.asarray(data.postings.ptr)) == 0).tolist():
        del vocabulary[words[term_id]]
    engine = SparseEngine(vocabulary, data.postings)
    return CorpusIndex.assemble(
        LazyDocuments(data.documents),
        data.passages,
        engine,
        analyzer,
        params,
        data.forward,
        data.marks,
    )


def skipped_files(data: IndexData, corpus: Path) -> tuple[SkippedFile, ...]:
    return tuple(SkippedFile(corpus / r.path, r.reason) for r in data.files if r.doc < 0)


def _spliced(
    previous: IndexData,
    directory: Path,
    corpus: Path,
    analyzer: Analyzer,
    params: BM25Params,
    pages: Path,
    progress: Progress | None,
    scan: CorpusScan | None,
) -> IndexData | None:
    """The index rebuilt by splicing the changes into ``previous`` (``index.storage.splice``),
    saved and reopened; None when it cannot be (the caller then builds in full)."""
    from index.retrieval.delta import NeedsFullBuild
    from index.storage.splice import splice_rebuild

    try:
        splice_rebuild(
            previous,
            directory,
            directory,
            corpus,
            analyzer,
            params,
            fingerprint(),
            pages,
            progress,
            scan,
        )
        return load(directory, corpus, fingerprint(), params)
    except NeedsFullBuild as exc:
        log.info("rebuilding %s in full: %s", directory, exc)
    except (OSError, IndexUnavailable, IndexCorrupt) as exc:
        log.warning("could not update the index in %s (%s); rebuilding it in full", directory, exc)
    return None


def _save_and_reopen(
    data: IndexData, directory: Path, corpus: Path, params: BM25Params
) -> IndexData:
    try:
        save(data, directory, fingerprint(), params)
        return load(directory, corpus, fingerprint(), params)
    except (OSError, IndexUnavailable) as exc:
        log.warning("could not save the index to %s (%s); serving it from memory", directory, exc)
        return data


def restore_copies(table: DocumentTable) -> int:
    """Rewrite any missing copy of a web page from the index's text (someone cleaned the folder
    of copies, ``index.ingest.pages``), so every quote's ``path`` exists; count them."""
    restored = 0
    for doc_id in copied_positions(table.meta):
        meta = table.meta[doc_id]
        if not os.path.exists(meta.path):
            write_copy(Path(meta.path), table.document(doc_id).text)
            restored += 1
    return restored


def _prune_copies(data: IndexData, pages: Path) -> None:
    try:
        metas = data.documents.meta  # only the copies' records made: 0.4 s for all at 1M
        used = {metas[i].path for i in copied_positions(metas)}
        if pruned := prune_copies(pages.resolve(), used):
            log.info("removed %d cop(ies) of web pages no longer in the corpus", pruned)
    except OSError as exc:
        log.warning("could not tidy the copies of web pages in %s (%s)", pages, exc)


def _restore_copies(data: IndexData) -> None:
    try:
        if restored := restore_copies(data.documents):
            log.info("restored %d missing page cop(ies) from the index", restored)
    except OSError as exc:
        log.warning("could not restore the copies of web pages (%s)", exc)


def _require_documents(data: IndexData, corpus: Path) -> None:
    if len(data.documents) == 0:
        skipped = sum(1 for record in data.files if record.doc < 0)
        raise CorpusError(
            f"no usable article in {corpus}: add .txt, .md or .html articles"
            + (f" ({skipped} file(s) skipped)" if skipped else "")
        )
