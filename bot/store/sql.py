"""The store over any DB-API connection: the SQL is written once, with ``?`` placeholders.

SQLite (``sqlite3``, paramstyle ``qmark``) takes it as written; PostgreSQL (psycopg, ``format``)
gets ``%s``. Every method is one short transaction, called from the store's own worker thread
(``bot.store.recorder``), never from the event loop.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from bot.store.identity import Hasher
from bot.store.records import AskedRow, QuestionRecord, VoteChange, Window

log = logging.getLogger(__name__)
DAY = 86_400.0


class Connection(Protocol):
    def cursor(self) -> Any: ...
    def close(self) -> None: ...


class SqlStore:
    """Questions, votes and their purge; ``transaction`` is the back end's BEGIN/COMMIT."""

    def __init__(
        self,
        connection: Connection,
        hasher: Hasher,
        retention_days: int,
        *,
        placeholder: str = "?",
        begin: str = "BEGIN",
        on_close: Callable[[], None] | None = None,
        reconnect: Callable[[], Connection] | None = None,
        lost: tuple[type[BaseException], ...] = (),
    ) -> None:
        self._connection = connection
        self._reconnect = reconnect
        self._lost = lost
        self._hash = hasher
        self.retention = retention_days * DAY
        self._placeholder = placeholder
        self._begin = begin
        self._on_close = on_close

    def _run(self, statements: Sequence[tuple[str, tuple[object, ...]]]) -> list[list[Any]]:
        """Run ``statements`` in one transaction; the rows each one returned. A server's
        connection lost meanwhile (``lost``: a restart, an idle timeout) is opened again once
        and the transaction retried."""
        try:
            return self._transaction(statements)
        except self._lost:
            if self._reconnect is None:
                raise
            log.warning("the database connection was lost; connecting again")
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = self._reconnect()
            return self._transaction(statements)

    def _transaction(self, statements: Sequence[tuple[str, tuple[object, ...]]]) -> list[list[Any]]:
        cursor = self._connection.cursor()
        results: list[list[Any]] = []
        cursor.execute(self._begin)
        try:
            for sql, params in statements:
                cursor.execute(sql.replace("?", self._placeholder), params)
                results.append(list(cursor.fetchall()) if cursor.description else [])
        except BaseException:
            with contextlib.suppress(Exception):  # a lost connection cannot roll back
                cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")
        return results

    def record_question(self, record: QuestionRecord) -> None:
        self._run(
            [
                (
                    "INSERT INTO questions (id, asked_at, guild_id, asker, question, status) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        record.id,
                        record.asked_at,
                        record.guild_id,
                        self._hash(record.user_id),
                        record.question,
                        record.status,
                    ),
                )
            ]
        )

    def record_vote(self, question_id: str, user_id: int, helpful: bool, at: float) -> VoteChange:
        """One person's vote on one answer, replacing their earlier one."""
        voter = self._hash(user_id)
        known, before = self._run(
            [
                ("SELECT 1 FROM questions WHERE id = ?", (question_id,)),
                (
                    "SELECT helpful FROM votes WHERE question_id = ? AND voter = ?",
                    (question_id, voter),
                ),
            ]
        )
        if not known:
            return VoteChange.UNKNOWN
        self._run(
            [
                (
                    "INSERT INTO votes (question_id, voter, helpful, voted_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (question_id, voter) DO UPDATE "
                    "SET helpful = excluded.helpful, voted_at = excluded.voted_at",
                    (question_id, voter, helpful, at),
                )
            ]
        )
        if not before:
            return VoteChange.NEW
        return VoteChange.SAME if bool(before[0][0]) is helpful else VoteChange.CHANGED

    def purge(self, now: float | None = None) -> int:
        """Forget questions (and their votes) older than the retention; how many went."""
        cutoff = (time.time() if now is None else now) - self.retention
        [(count,)], _, _ = self._run(
            [
                ("SELECT COUNT(*) FROM questions WHERE asked_at < ?", (cutoff,)),
                (
                    "DELETE FROM votes WHERE question_id IN "
                    "(SELECT id FROM questions WHERE asked_at < ?)",
                    (cutoff,),
                ),
                ("DELETE FROM questions WHERE asked_at < ?", (cutoff,)),
            ]
        )
        if count:
            log.info("purged %d question(s) older than the retention", count)
        return int(count)

    def asked(self, window: Window) -> list[AskedRow]:
        """Every question in ``window``, oldest first."""
        sql, params = self._where(
            "SELECT asked_at, question, status FROM questions WHERE asked_at >= ?", window
        )
        [rows] = self._run([(sql + " ORDER BY asked_at", params)])
        return [AskedRow(float(at), str(text), str(status)) for at, text, status in rows]

    def votes(self, window: Window) -> tuple[int, int]:
        """Helpful and not-helpful votes on the answers to the questions in ``window``."""
        sql, params = self._where(
            "SELECT v.helpful, COUNT(*) FROM votes v JOIN questions q ON q.id = v.question_id "
            "WHERE q.asked_at >= ?",
            window,
            prefix="q.",
        )
        [rows] = self._run([(sql + " GROUP BY v.helpful", params)])
        counts = {bool(helpful): int(count) for helpful, count in rows}
        return counts.get(True, 0), counts.get(False, 0)

    @staticmethod
    def _where(sql: str, window: Window, prefix: str = "") -> tuple[str, tuple[object, ...]]:
        if window.guild_id is None:
            return sql, (window.since,)
        return f"{sql} AND {prefix}guild_id = ?", (window.since, window.guild_id)

    def close(self) -> None:
        self._connection.close()
        if self._on_close is not None:
            self._on_close()
