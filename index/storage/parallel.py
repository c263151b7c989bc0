"""A full build's reading, segmenting and analysis on two cores, with the serial build's output.

Analysis is pure Python and two thirds of a build. The corpus's files are cut in two by their
bytes (``OWN_SHARE``); a worker process reads, hashes, parses, segments and analyzes the second
part while this process does the first, then this process appends the worker's documents after
its own. The worker is a fresh interpreter (``python -m index.storage.parallel``; the job pickled
over its stdin, the result into a temporary file as its stdout, read once it has exited): no
fork of a process that may run threads (the bot), and none of multiprocessing's re-import of the
caller's main module. Term ids are given in order of first appearance: words the first part
holds keep its ids, the second part's new words get the next ids in the order the worker met
them, which is the order a serial build meets them, so the arrays, and the index on disk, are
byte for byte a serial build's. When the worker cannot be started or fails, the second part is
indexed here (the same result, slower).

The worker packs its texts (``retrieval.packed``, a quarter of the work) last: it sends the rest
of its documents first, and packs while this process absorbs them and weighs the postings, which
would otherwise run with the other core idle. The texts follow in a second file; if they never
come, this process reads and packs the worker's files again (and stops the build, naming the
reason, when one of them changed since the worker read it).
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from index.errors import CorpusError
from index.ingest.scan import CorpusScan
from index.storage.builder import PackedTexts, Parts, index_file, index_serially
from index.storage.format import FileRecord, Progress
from index.text.analyzer import Analyzer

log = logging.getLogger(__name__)
# Below this many files a build takes a second or two: not worth a second interpreter.
PARALLEL_FROM = 1_000
# The share of the bytes this process keeps. What it does after its part (merge, weigh) waits
# for the worker's documents, and the rest (the texts into one array, save) for its texts: the
# worker should send the first when this process ends its part, and the second when the weights
# are done. It also starts an interpreter and pickles its results, but packs its texts while this
# process weighs (~4 s of the ~45 s of CPU time at a million sentences on a slow machine), so it
# takes the larger part.
OWN_SHARE = 0.44
# What the worker is given: its files, the corpus folder, the analyzer's configuration and the
# folder of page copies.
Job = tuple[list[str], str, tuple[frozenset[str], bool, bool], str]


@dataclass(frozen=True, slots=True)
class _Half:
    """What the worker sends back: its files' records and documents (positions from 0)."""

    records: list[FileRecord]
    parts: Parts


def worth_it(scan: CorpusScan, analyzer: Analyzer) -> bool:
    """Whether to analyze on two cores: enough files, two cores, an analyzer a worker can make
    again from its configuration (a subclass might analyze otherwise)."""
    return (
        len(scan.paths) >= PARALLEL_FROM
        and (os.cpu_count() or 1) >= 2
        and type(analyzer) is Analyzer
    )


def index_files(
    scan: CorpusScan,
    root: Path,
    parts: Parts,
    analyzer: Analyzer,
    pages: Path,
    progress: Progress | None = None,
) -> list[FileRecord]:
    """Index every file of ``scan`` into ``parts`` (empty, no previous index), in order, the
    second part in a worker process when ``worth_it``; return the files' records (a
    ``builder.FileIndexer``)."""
    if not worth_it(scan, analyzer):
        return index_serially(scan, root, {}, parts, analyzer, pages, progress)
    paths = list(scan.paths)
    cut = _cut_by_bytes([info.st_size for info in scan.stats], OWN_SHARE)
    first, second = paths[:cut], paths[cut:]
    config = analyzer.configuration
    job: Job = (second, str(root), config, str(pages))
    worker = _Worker(job)
    records: list[FileRecord] = []
    try:
        for done, path in enumerate(first, start=1):
            records.append(index_file(Path(path), root, {}, parts, analyzer, pages))
            if progress is not None:
                progress(done, len(paths))
        waited = time.perf_counter()
        half = worker.result()
        log.debug("waited %.2f s for the worker's documents", time.perf_counter() - waited)
    except BaseException:
        worker.close()
        raise
    if half is None:  # a worker that could not start or failed: the second half is done here
        worker.close()
        half = _index_half(*job, analyzer=analyzer)
    offset = len(parts.metas)
    records.extend(_moved(record, offset) for record in half.records)
    parts.absorb(half.parts)
    if worker.packing:  # its texts come later, packed while this process weighs the postings
        parts.pending = _Texts(worker, job, half.records, analyzer)
    if progress is not None:
        progress(len(paths), len(paths))
    return records


class _Texts:
    """The worker's packed texts, for ``Parts.documents``: waited for, or (when the worker
    failed after sending the rest) its files read and packed here again."""

    def __init__(
        self, worker: _Worker, job: Job, records: list[FileRecord], analyzer: Analyzer
    ) -> None:
        self._worker, self._job, self._records, self._analyzer = worker, job, records, analyzer

    def __call__(self) -> PackedTexts:
        waited = time.perf_counter()
        try:
            texts = self._worker.texts()
            log.debug("waited %.2f s for the worker's texts", time.perf_counter() - waited)
        finally:
            self._worker.close()
        if texts is not None:
            return texts
        again = _index_half(*self._job, analyzer=self._analyzer)
        if again.records != self._records:  # a file changed since the worker read it
            raise CorpusError("articles changed while the index was built: build it again")
        parts = again.parts
        return PackedTexts(parts.texts, parts.piece_starts, parts.piece_ends)


class _Worker:
    """The second half's worker process, started at once; ``result`` waits for its documents,
    ``texts`` for their packed texts, which it packs after sending the rest."""

    def __init__(self, job: Job) -> None:
        package = str(Path(__file__).resolve().parent.parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([package, *sys.path])}
        self._process: subprocess.Popen[bytes] | None = None
        self.packing = False  # whether its texts are still to come (``texts``)
        # What the worker prints (a traceback when it fails) goes to the log, never to a user.
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in ``close``)
        # The results go to temporary files, read when the worker says so (the documents) or
        # has exited (the texts): its memory is freed before this process holds a copy (a pipe
        # would keep both alive at once: over 1 GB together at a million sentences).
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (closed in ``close``)
        self._texts = tempfile.TemporaryFile()  # noqa: SIM115 (closed in ``close``)
        # The worker writes a byte here when its documents are all in ``_output``.
        reader, ready = os.pipe()
        self._ready = os.fdopen(reader, "rb", buffering=0)  # closed in ``close`` (or dropped)
        try:
            texts = self._texts.fileno()
            self._process = subprocess.Popen(
                [sys.executable, "-m", "index.storage.parallel", str(ready), str(texts)],
                stdin=subprocess.PIPE,
                stdout=self._output,
                stderr=self._errors,
                env=env,
                pass_fds=(ready, texts),
            )
        except (OSError, ValueError) as exc:  # ValueError: no ``pass_fds`` on this system
            log.warning("indexing on one core: no worker process (%s)", exc)
            return
        finally:
            os.close(ready)
        # Written from a thread: the job may not fit in the pipe before the worker reads it.
        stdin = self._process.stdin
        assert stdin is not None
        self._sender = threading.Thread(target=_send, args=(stdin, job), daemon=True)
        self._sender.start()

    def result(self) -> _Half | None:
        """The worker's documents (texts to come, see ``packing``), or ``None`` if it failed."""
        if self._process is None:
            return None
        try:
            if self._ready.read(1) != _READY:  # nothing: it ended without a result
                raise EOFError("no result")
            self._output.seek(0)
            answer = pickle.load(self._output)
        except Exception as exc:  # whatever came back is not a result: do it here
            log.warning("indexing on one core: the worker failed (%s)%s", exc, self._said())
            return None
        if isinstance(answer, _Half):
            self.packing = True
            return answer
        log.warning("indexing on one core: the worker failed (%s)", answer)
        return None

    def texts(self) -> PackedTexts | None:
        """The packed texts of the documents ``result`` gave, or ``None`` if the worker failed
        to send them."""
        if self._process is None or not self.packing:
            return None
        try:
            if self._process.wait() != 0:
                raise EOFError(f"exit status {self._process.returncode}")
            self._texts.seek(0)
            answer = pickle.load(self._texts)
        except Exception as exc:
            log.warning("packing texts here: the worker failed (%s)%s", exc, self._said())
            return None
        return answer if isinstance(answer, PackedTexts) else None

    def _said(self) -> str:
        """The end of what the worker wrote to its stderr, for the log."""
        if self._process is not None:
            self._process.wait()
        self._errors.seek(0)
        text = self._errors.read()[-2000:].decode("utf-8", "replace").strip()
        return f": {text}" if text else ""

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()  # whether or not it finished: it is ours, by its handle
            self._process.wait()
            self._process = None
        self._ready.close()
        self._errors.close()
        self._output.close()
        self._texts.close()


def _send(stream: BinaryIO, job: Job) -> None:
    try:
        pickle.dump(job, stream, protocol=pickle.HIGHEST_PROTOCOL)
        stream.close()
    except OSError:
        pass  # the worker is gone: ``result`` says so


def _index_half(
    paths: list[str],
    root: str,
    config: tuple[frozenset[str], bool, bool],
    pages: str,
    analyzer: Analyzer | None = None,
    pack_later: bool = False,
) -> _Half:
    """Index ``paths`` into fresh parts (in the worker; here when it failed); with
    ``pack_later``, the texts are kept for ``Parts.packed_later``."""
    analyzer = analyzer or Analyzer(*config)
    parts = Parts(None, analyzer, unpacked=[] if pack_later else None)
    records = [index_file(Path(p), Path(root), {}, parts, analyzer, Path(pages)) for p in paths]
    parts.builder.forget_words()  # the raw-word cache is large and needed no more
    return _Half(records, parts)


def _moved(record: FileRecord, offset: int) -> FileRecord:
    if record.doc < 0:
        return record
    return FileRecord(record.path, record.size, record.mtime_ns, record.sha256, record.doc + offset)


def _cut_by_bytes(sizes: list[int], share: float) -> int:
    """How many files hold the first ``share`` of the bytes (at least one file on each side
    when there are two or more)."""
    total, running = sum(sizes), 0
    for i, size in enumerate(sizes):
        running += size
        if running >= share * total:
            return max(1, min(i + 1, len(sizes) - 1))
    return len(sizes)


_READY = b"."


def _main() -> None:
    """The worker: a job on stdin; its ``_Half`` (or the error, as text) on stdout, then a
    byte to the file descriptor ``argv[1]``, then the half's ``PackedTexts`` to ``argv[2]``:
    the main process weighs the postings while this one packs."""
    ready, texts = int(sys.argv[1]), int(sys.argv[2])
    job: Job = pickle.load(sys.stdin.buffer)
    answer: object
    half: _Half | None = None
    try:
        half = _index_half(*job, pack_later=True)
    except Exception as exc:
        answer = f"{type(exc).__name__}: {exc}"
    else:
        answer = half
        unpacked, half.parts.unpacked = half.parts.unpacked, None  # not sent with the rest
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()
    os.write(ready, _READY)
    os.close(ready)
    if half is not None:
        half.parts.unpacked = unpacked
        with open(texts, "wb") as out:
            pickle.dump(half.parts.packed_later(), out, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    # Through the package, not ``__main__``: the result's classes must unpickle by their names.
    from index.storage import parallel

    parallel._main()
