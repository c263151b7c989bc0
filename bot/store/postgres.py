"""The shared store: PostgreSQL through psycopg 3, for several processes (VERBATIM_DATABASE_URL).

The same tables and the same numbered migrations as SQLite (``bot.store.schema``). PostgreSQL has
no ``user_version``, so the version lives in a one-row table, ``verbatim_schema``, which also
marks the database as Verbatim's: a database that already has a ``questions`` table but no
``verbatim_schema`` is somebody else's, and is refused untouched. Migrations run in one
transaction holding an exclusive lock on ``verbatim_schema``, so processes starting together
migrate once.
"""

from __future__ import annotations

from typing import Any

from bot.store import schema
from bot.store.errors import StoreError
from bot.store.identity import Hasher
from bot.store.sql import SqlStore

MIGRATIONS_TABLE = "verbatim_schema"


def open_postgres(url: str, hasher: Hasher, retention_days: int) -> SqlStore:
    """The store in the database at ``url``, created or migrated to the current schema."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "VERBATIM_DATABASE_URL needs psycopg: pip install 'verbatim[postgres]'"
        ) from None

    def connect() -> Any:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)

    try:
        connection = connect()
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to VERBATIM_DATABASE_URL: {_first_line(exc)}") from None
    try:
        migrate(connection)
    except psycopg.Error as exc:
        connection.close()
        raise StoreError(f"cannot prepare the database: {_first_line(exc)}") from None
    except BaseException:
        connection.close()
        raise
    return SqlStore(
        connection,
        hasher,
        retention_days,
        placeholder="%s",
        reconnect=connect,
        lost=(psycopg.OperationalError, psycopg.InterfaceError),
    )


def migrate(connection: Any, target: int = schema.VERSION) -> int:
    """Apply the migrations the database lacks up to ``target``, in one locked transaction."""
    with connection.transaction():
        cursor = connection.cursor()
        cursor.execute(
            "SELECT to_regclass('questions') IS NOT NULL, to_regclass(%s) IS NOT NULL",
            (MIGRATIONS_TABLE,),
        )
        has_questions, ours = cursor.fetchone()
        if has_questions and not ours:
            raise StoreError(
                "VERBATIM_DATABASE_URL names a database with a 'questions' table that is not "
                "Verbatim's; use a database of its own"
            )
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (version INTEGER NOT NULL)")
        cursor.execute(f"LOCK TABLE {MIGRATIONS_TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"SELECT version FROM {MIGRATIONS_TABLE}")
        row = cursor.fetchone()
        version = 0 if row is None else int(row[0])
        for statement in schema.pending(version, target):
            cursor.execute(statement)
        new = max(version, target)
        if row is None:
            cursor.execute(f"INSERT INTO {MIGRATIONS_TABLE} (version) VALUES (%s)", (new,))
        else:
            cursor.execute(f"UPDATE {MIGRATIONS_TABLE} SET version = %s", (new,))
    return new


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
