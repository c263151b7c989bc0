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
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from index.ingest.scan import CorpusScan
from index.storage.builder import Parts, index_file, index_serially
from index.storage.format import FileRecord, Progress
from index.text.analyzer import Analyzer

log = logging.getLogger(__name__)
# Below this many files a build takes a second or two: not worth a second interpreter.
PARALLEL_FROM = 1_000
# The share of the bytes this process keeps. What it does after its part (merge, weigh, save)
# waits for the worker's end, so the two parts should end together; the worker also starts an
# interpreter and pickles its result (~1.5 s of ~20 at a million sentences), so this process
# takes a little more (at 0.45 it waited ~4 s of CPU time for the worker).
OWN_SHARE = 0.52


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
    job = (second, str(root), config, str(pages))
    worker = _Worker(job)
    records: list[FileRecord] = []
    try:
        for done, path in enumerate(first, start=1):
            records.append(index_file(Path(path), root, {}, parts, analyzer, pages))
            if progress is not None:
                progress(done, len(paths))
        half = worker.result()
    finally:
        worker.close()
    if half is None:  # a worker that could not start or failed: the second half is done here
        half = _index_half(*job, analyzer=analyzer)
    offset = len(parts.metas)
    records.extend(_moved(record, offset) for record in half.records)
    parts.absorb(half.parts)
    if progress is not None:
        progress(len(paths), len(paths))
    return records


class _Worker:
    """The second half's worker process, started at once; ``result`` waits for it."""

    def __init__(self, job: tuple[Any, ...]) -> None:
        package = str(Path(__file__).resolve().parent.parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([package, *sys.path])}
        self._process: subprocess.Popen[bytes] | None = None
        # What the worker prints (a traceback when it fails) goes to the log, never to a user.
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in ``close``)
        # The result goes to a temporary file, read once the worker has exited: its memory is
        # freed before this process holds a copy (a pipe would keep both alive at once: over
        # 1 GB together at a million sentences, against about 800 this way).
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (closed in ``close``)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "index.storage.parallel"],
                stdin=subprocess.PIPE,
                stdout=self._output,
                stderr=self._errors,
                env=env,
            )
        except OSError as exc:
            log.warning("indexing on one core: no worker process (%s)", exc)
            return
        # Written from a thread: the job may not fit in the pipe before the worker reads it.
        stdin = self._process.stdin
        assert stdin is not None
        self._sender = threading.Thread(target=_send, args=(stdin, job), daemon=True)
        self._sender.start()

    def result(self) -> _Half | None:
        if self._process is None:
            return None
        try:
            self._process.wait()
            self._output.seek(0)
            answer = pickle.load(self._output)
        except Exception as exc:  # whatever came back is not a result: do it here
            log.warning("indexing on one core: the worker failed (%s)%s", exc, self._said())
            return None
        if isinstance(answer, _Half):
            return answer
        log.warning("indexing on one core: the worker failed (%s)", answer)
        return None

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
        self._errors.close()
        self._output.close()


def _send(stream: BinaryIO, job: tuple[Any, ...]) -> None:
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
) -> _Half:
    """Index ``paths`` into fresh parts (in the worker; here when it failed)."""
    analyzer = analyzer or Analyzer(*config)
    parts = Parts(None, analyzer)
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


def _main() -> None:
    """The worker: a job on stdin, its ``_Half`` (or the error, as text) on stdout."""
    job = pickle.load(sys.stdin.buffer)
    try:
        answer: object = _index_half(*job)
    except Exception as exc:
        answer = f"{type(exc).__name__}: {exc}"
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    # Through the package, not ``__main__``: the result's classes must unpickle by their names.
    from index.storage import parallel

    parallel._main()
