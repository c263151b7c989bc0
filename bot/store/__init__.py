"""What readers asked and how it went: the question store (SQLite by default).

records   the dataclasses in and out (no database types leak)
schema    numbered migrations; the application id that marks a file as ours
identity  user ids as keyed hashes (the key: a setting, or a 0600 file made once)
sql       the store over any DB-API connection
sqlite    the default back end, and the ownership check of its file
postgres  the shared back end (VERBATIM_DATABASE_URL, psycopg 3), same schema
recorder  the store behind one worker thread: the event loop never waits on a write
report    the editors' report, pure
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.errors import StoreError
from bot.store.identity import Hasher, load_key
from bot.store.recorder import Recorder, report_of
from bot.store.records import AskedRow, QuestionRecord, VoteChange, Window
from bot.store.report import Gap, Report, build_report
from bot.store.sql import SqlStore
from bot.store.sqlite import check_ours, database_path, open_sqlite, prepare_data_dir

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = [
    "AskedRow",
    "Gap",
    "Hasher",
    "QuestionRecord",
    "Recorder",
    "Report",
    "SqlStore",
    "StoreError",
    "VoteChange",
    "Window",
    "build_report",
    "database_path",
    "open_existing_store",
    "open_store",
    "report_of",
]


def open_store(settings: Settings) -> SqlStore:
    """The store the settings name, created or migrated (call off the event loop): PostgreSQL
    when ``VERBATIM_DATABASE_URL`` is set, else SQLite in the data folder."""
    prepare_data_dir(settings.data_dir)
    configured = settings.hash_key.get_secret_value() if settings.hash_key else None
    hasher = Hasher(load_key(settings.data_dir, configured))
    if settings.database_url is not None:
        from bot.store.postgres import open_postgres

        url = settings.database_url.get_secret_value()
        return open_postgres(url, hasher, settings.retention_days)
    return open_sqlite(settings.data_dir, hasher, settings.retention_days)


def open_existing_store(settings: Settings) -> SqlStore | None:
    """The store, or ``None`` when the bot has recorded nothing yet (nothing is created)."""
    if settings.database_url is not None:
        return open_store(settings)
    path = database_path(settings.data_dir)
    check_ours(path)
    if not path.exists():
        return None
    return open_store(settings)
