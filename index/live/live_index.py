"""Live corpus reload: the current index, rebuilt in the background and swapped in atomically.

How an adapter uses it (the Discord bot's ``/reload`` and its start-up wiring)::

    live = LiveIndex(corpus_dir, index_dir)          # opens (or builds) the index, blocking
    watcher = CorpusWatcher(live).start()            # optional: reload on file changes
    ...
    index = live.current                             # once per question; use it throughout
    answer = answer_question(index, question, policy)
    ...
    future = live.reload()                           # /reload: returns at once
    result = future.result()                         # or ``await asyncio.wrap_future(future)``
    ...
    watcher.stop(); live.close()

``current`` is a single attribute read, so a question sees the old index or the new one, never
a mix; questions asked during a rebuild are answered from the old one. Reloads run one at a time
in one worker thread, and requests made while one is waiting to start share it. A broken file is
named in the log and skipped (as at start-up); a reload that fails outright (the folder vanished,
no usable article left) is logged and leaves the current index serving.

``on_built`` (optional) is called with every newly opened index before it is served, at
construction and in the reload worker before the swap: the bot passes
``index.summaries.corpus_analysis.prepare``, so a swap only ever exposes an index whose summary
analysis is ready and the first ``/summary`` after a reload stays fast. If it raises, that reload
fails like any other and the old index keeps serving.

A reload first compares the folder's article files (paths, sizes, mtimes) with those of the
index being served: when nothing changed it returns at once (``changed`` false), without opening
the index again or re-running ``on_built`` (seconds of summary analysis on a large corpus).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from index.ingest.loader import SkippedFile, article_paths
from index.retrieval.corpus_index import CorpusIndex
from index.retrieval.params import BM25Params
from index.storage.opener import OpenedIndex, open_index
from index.text.analyzer import Analyzer

log = logging.getLogger(__name__)
Opener = Callable[..., OpenedIndex]
OnBuilt = Callable[[CorpusIndex], object]
# (relative path, size, mtime_ns) of every article file; None when the folder could not be read.
CorpusState = tuple[tuple[str, int, int], ...] | None


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a finished reload swapped in."""

    generation: int
    documents: int
    passages: int
    skipped: tuple[SkippedFile, ...]
    rebuilt: bool
    seconds: float
    changed: bool = True


class LiveIndex:
    """Holds the index being served and replaces it by a freshly built one on request."""

    def __init__(
        self,
        corpus: Path,
        directory: Path | None = None,
        analyzer: Analyzer | None = None,
        params: BM25Params = BM25Params(),
        opener: Opener = open_index,
        on_built: OnBuilt | None = None,
    ) -> None:
        self.corpus = corpus
        self.directory = directory
        self.analyzer = analyzer or Analyzer()
        self.params = params
        self._opener = opener
        self._on_built = on_built
        self._state = corpus_state(corpus)  # taken before opening: a change meanwhile reloads
        opened = self._open()
        self._current = opened.index
        self.skipped = opened.skipped
        self.generation = 0
        self._lock = threading.Lock()
        self._queued: Future[ReloadResult] | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="verbatim-reload")

    @property
    def current(self) -> CorpusIndex:
        """The index to answer from; read it once per question."""
        return self._current

    def reload(self) -> Future[ReloadResult]:
        """Rebuild in the background (only changed files are re-read) and swap when done."""
        with self._lock:
            if self._queued is not None:
                return self._queued
            future: Future[ReloadResult] = Future()
            self._queued = future
        self._worker.submit(self._run, future)
        return future

    def close(self) -> None:
        """Wait for a running reload and stop the worker thread."""
        self._worker.shutdown(wait=True, cancel_futures=True)

    def _run(self, future: Future[ReloadResult]) -> None:
        with self._lock:
            self._queued = None  # a request from now on needs a new run: files may change again
        if not future.set_running_or_notify_cancel():
            return
        started = time.perf_counter()
        state = corpus_state(self.corpus)
        if state is not None and state == self._state:
            future.set_result(self._unchanged(time.perf_counter() - started))
            return
        try:
            opened = self._open()  # includes ``on_built``: the swap exposes a ready index
        except Exception as exc:  # a failed reload must never take the serving index down
            log.error("reload of %s failed, still serving the previous index: %s", self.corpus, exc)
            future.set_exception(exc)
            return
        self._current = opened.index  # the swap: one reference assignment
        self._state = state
        self.skipped = opened.skipped
        self.generation += 1
        result = ReloadResult(
            self.generation,
            len(opened.index.documents),
            len(opened.index),
            opened.skipped,
            opened.rebuilt,
            time.perf_counter() - started,
        )
        log.info(
            "reloaded %s: %d articles, %d sentences, %d file(s) skipped%s in %.2f s",
            self.corpus,
            result.documents,
            result.passages,
            len(result.skipped),
            "".join(f" ({skipped.path.name})" for skipped in result.skipped[:5]),
            result.seconds,
        )
        future.set_result(result)

    def _unchanged(self, seconds: float) -> ReloadResult:
        index = self._current
        log.info("reload of %s skipped: no article file changed", self.corpus)
        return ReloadResult(
            self.generation,
            len(index.documents),
            len(index),
            self.skipped,
            rebuilt=False,
            seconds=seconds,
            changed=False,
        )

    def _open(self) -> OpenedIndex:
        opened = self._opener(self.corpus, self.directory, self.analyzer, self.params)
        for skipped in opened.skipped:
            log.warning("skipped %s: %s", skipped.path, skipped.reason)
        if self._on_built is not None:
            self._on_built(opened.index)
        return opened


def corpus_state(corpus: Path) -> CorpusState:
    """What a reload would read: every article file's path, size and mtime (a few ms per
    thousand files), or None when the folder cannot be listed (then a reload always runs)."""
    try:
        return tuple(
            (str(path.relative_to(corpus)), stat.st_size, stat.st_mtime_ns)
            for path, stat in ((path, path.stat()) for path in article_paths(corpus))
        )
    except OSError:
        return None
