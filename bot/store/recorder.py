"""The store behind one worker thread: the bot hands it work and never waits on a write.

Answers must not wait for a disk: recording a question is queued (``record_question`` returns at
once; a failure is only logged), while the few things that need a result (a vote's effect, a
report) return a ``concurrent.futures.Future`` the event loop awaits without blocking. One
thread owns the connection, so SQLite sees one writer and no two calls interleave. Old questions
are purged at start and then at most once per ``purge_every`` seconds, on a write.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar, TypeVarTuple

from bot.store.records import QuestionRecord, VoteChange, Window
from bot.store.report import Report, build_report
from bot.store.sql import SqlStore

log = logging.getLogger(__name__)
T = TypeVar("T")
Args = TypeVarTuple("Args")
PURGE_EVERY = 3600.0


class Recorder:
    def __init__(self, store: SqlStore, purge_every: float = PURGE_EVERY) -> None:
        self._store = store
        self._purge_every = purge_every
        self._purged_at = 0.0
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="verbatim-store")
        self._submit(self._purge_now)

    def record_question(self, record: QuestionRecord) -> Future[None]:
        """Queue ``record``; the caller need not wait (the returned future is for tests)."""
        return self._submit(self._record, record)

    def vote(self, question_id: str, user_id: int, helpful: bool) -> Future[VoteChange]:
        return self._submit(self._store.record_vote, question_id, user_id, helpful, time.time())

    def report(self, window: Window) -> Future[Report]:
        return self._submit(report_of, self._store, window)

    def close(self) -> None:
        """Finish the queued writes, then close the database."""
        self._submit(self._store.close)
        self._executor.shutdown(wait=True)

    def _record(self, record: QuestionRecord) -> None:
        self._store.record_question(record)
        if time.monotonic() - self._purged_at >= self._purge_every:
            self._purge_now()

    def _purge_now(self) -> None:
        self._purged_at = time.monotonic()
        self._store.purge()

    def _submit(self, work: Callable[[*Args], T], *args: *Args) -> Future[T]:
        future = self._executor.submit(work, *args)
        future.add_done_callback(_log_failure)
        return future


def report_of(store: SqlStore, window: Window) -> Report:
    now = time.time()
    return build_report(window, store.asked(window), store.votes(window), now)


def _log_failure(future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("the question store failed", exc_info=future.exception())
