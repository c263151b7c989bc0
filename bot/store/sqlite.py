"""The default store: one SQLite file, ``VERBATIM_DATA_DIR/verbatim.db``, in WAL mode.

A path the user gave is the user's: the data folder is created when missing, and the database
file is opened only when it is absent (Verbatim creates it) or already Verbatim's: an SQLite file
whose header carries Verbatim's ``application_id``. Anything else, a file of notes, somebody
else's SQLite database, a folder, is refused in one line and left untouched. The header is read
as bytes before SQLite ever opens the file, so a refused file is not even locked.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from bot.store import schema
from bot.store.errors import StoreError
from bot.store.identity import Hasher
from bot.store.sql import SqlStore

DATABASE = "verbatim.db"
_HEADER = b"SQLite format 3\x00"
_APPLICATION_ID_AT = 68  # the header's application_id: 4 bytes, big-endian


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE


def prepare_data_dir(data_dir: Path) -> None:
    """Create the data folder (owner-only) when missing; refuse a path that is not a folder."""
    if data_dir.is_symlink() or (data_dir.exists() and not data_dir.is_dir()):
        raise StoreError(f"VERBATIM_DATA_DIR {data_dir} exists and is not a folder")
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create VERBATIM_DATA_DIR {data_dir}: {exc.strerror}") from None


def is_ours(path: Path) -> bool:
    """True when ``path`` is a regular file with SQLite's header and Verbatim's application id."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    application_id = int.from_bytes(header[_APPLICATION_ID_AT : _APPLICATION_ID_AT + 4], "big")
    return header.startswith(_HEADER) and application_id == schema.APPLICATION_ID


def check_ours(path: Path) -> None:
    if (path.exists() or path.is_symlink()) and not is_ours(path):
        raise StoreError(
            f"{path} exists and is not Verbatim's database; move it away or set "
            "VERBATIM_DATA_DIR to another folder"
        )


def open_sqlite(data_dir: Path, hasher: Hasher, retention_days: int) -> SqlStore:
    """The store in ``data_dir``, created or migrated to the current schema."""
    path = database_path(data_dir)
    check_ours(path)
    try:
        # Autocommit mode: ``SqlStore`` writes its own BEGIN/COMMIT around each call. The
        # connection moves once, to the store's worker thread, and is used there only.
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode = WAL", "foreign_keys = ON", "busy_timeout = 5000"):
            connection.execute(f"PRAGMA {pragma}")
        # Purged rows are overwritten, not just unlinked: gone means gone from the file's bytes.
        connection.execute("PRAGMA secure_delete = ON")
        migrate(connection)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from None
    return SqlStore(connection, hasher, retention_days, begin="BEGIN IMMEDIATE")


def migrate(connection: sqlite3.Connection, target: int = schema.VERSION) -> int:
    """Apply the migrations ``connection`` lacks up to ``target``, in one transaction."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        for statement in schema.pending(version, target):
            connection.execute(statement)
        connection.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {max(version, target)}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return max(version, target)
