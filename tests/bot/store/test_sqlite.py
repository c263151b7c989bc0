"""The SQLite store: created or migrated, only ever in a file of its own, ids hashed, purged."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store import QuestionRecord, StoreError, VoteChange, Window, open_store, schema
from bot.store.sqlite import database_path, migrate

USER = 987_654_321_012_345_678
VOTER = 123_456_789_098_765_432
DAY = 86_400.0


def settings(data_dir: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, **values)  # type: ignore[call-arg]


def record(
    question: str, status: str = "covered", at: float | None = None, **kw: object
) -> QuestionRecord:
    values: dict[str, object] = {
        "id": os.urandom(16).hex(),
        "asked_at": time.time() if at is None else at,
        "guild_id": 42,
        "user_id": USER,
        "question": question,
        "status": status,
    }
    values.update(kw)
    return QuestionRecord(**values)  # type: ignore[arg-type]


def versions(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as connection:
        (user_version,) = connection.execute("PRAGMA user_version").fetchone()
        (application_id,) = connection.execute("PRAGMA application_id").fetchone()
    return user_version, application_id


def test_a_new_store_is_created_at_the_current_version_in_wal_mode(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = open_store(settings(data))
    store.record_question(record("Who was killed in Moscow?"))
    store.close()
    path = database_path(data)
    assert versions(path) == (schema.VERSION, schema.APPLICATION_ID)
    with sqlite3.connect(path) as connection:
        (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_a_database_of_the_previous_version_is_migrated_keeping_its_rows(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    connection = sqlite3.connect(path, isolation_level=None)
    assert migrate(connection, target=schema.VERSION - 1) == schema.VERSION - 1
    connection.execute(
        "INSERT INTO questions VALUES ('ab', ?, 7, 'hash', 'Who won?', 'not_covered')",
        (time.time(),),
    )
    connection.close()
    store = open_store(settings(tmp_path))
    assert versions(path)[0] == schema.VERSION
    assert [row.question for row in store.asked(Window(0.0))] == ["Who won?"]
    assert store.record_vote("ab", VOTER, True, time.time()) is VoteChange.NEW  # v2's table
    store.close()


def test_a_database_from_a_newer_verbatim_is_refused(tmp_path: Path) -> None:
    open_store(settings(tmp_path)).close()
    with sqlite3.connect(database_path(tmp_path)) as connection:
        connection.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this Verbatim"):
        open_store(settings(tmp_path))


@pytest.mark.parametrize("kind", ["notes", "other-sqlite", "empty", "folder"])
def test_a_path_that_is_not_our_database_is_refused_and_left_alone(
    tmp_path: Path, kind: str
) -> None:
    path = database_path(tmp_path)
    if kind == "notes":
        path.write_text("my notes\n", encoding="utf-8")
    elif kind == "other-sqlite":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE mine (x)")
    elif kind == "empty":
        path.touch()
    else:
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(StoreError, match="is not Verbatim's database"):
        open_store(settings(tmp_path))
    assert (path.read_bytes() if path.is_file() else None) == before
    assert not Path(f"{path}-wal").exists()


def test_a_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="is not a folder"):
        open_store(settings(data))


def test_no_user_id_is_in_the_database_files_in_clear(tmp_path: Path) -> None:
    store = open_store(settings(tmp_path))
    asked = record("What did Britain pledge?")
    store.record_question(asked)
    store.record_vote(asked.id, VOTER, False, time.time())
    store.close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("verbatim.db")]
    assert database_path(tmp_path) in files
    for user_id in (USER, VOTER):
        for needle in (
            str(user_id).encode(),
            user_id.to_bytes(8, "big"),
            user_id.to_bytes(8, "little"),
        ):
            assert all(needle not in path.read_bytes() for path in files)
    assert any(b"What did Britain pledge?" in path.read_bytes() for path in files)


def test_the_hash_key_is_made_once_owner_only_and_the_setting_overrides_it(tmp_path: Path) -> None:
    def voter_hash(**values: object) -> str:
        store = open_store(settings(tmp_path, **values))
        asked = record("q")
        store.record_question(asked)
        store.close()
        with sqlite3.connect(database_path(tmp_path)) as connection:
            (asker,) = connection.execute(
                "SELECT asker FROM questions WHERE id = ?", (asked.id,)
            ).fetchone()
        return str(asker)

    first, again = voter_hash(), voter_hash()
    assert first == again and str(USER) not in first and len(first) == 64
    assert stat.S_IMODE((tmp_path / "hash.key").stat().st_mode) == 0o600
    assert voter_hash(hash_key="a-configured-key-0123456789") not in (first, "")


def test_votes_are_one_per_person_and_changeable(tmp_path: Path) -> None:
    store = open_store(settings(tmp_path))
    asked = record("Who was killed in Moscow?")
    store.record_question(asked)
    now = time.time()
    assert store.record_vote(asked.id, VOTER, True, now) is VoteChange.NEW
    assert store.record_vote(asked.id, VOTER, True, now) is VoteChange.SAME
    assert store.record_vote(asked.id, VOTER, False, now) is VoteChange.CHANGED
    assert store.record_vote(asked.id, USER, True, now) is VoteChange.NEW
    assert store.record_vote("f" * 32, USER, True, now) is VoteChange.UNKNOWN
    assert store.votes(Window(0.0)) == (1, 1)
    assert store.votes(Window(0.0, guild_id=43)) == (0, 0)
    store.close()


def test_questions_older_than_the_retention_are_purged_with_their_votes(tmp_path: Path) -> None:
    store = open_store(settings(tmp_path, retention_days=30))
    now = time.time()
    old = record("an old question", at=now - 31 * DAY)
    recent = record("recent", at=now - 29 * DAY)
    for asked in (old, recent):
        store.record_question(asked)
        store.record_vote(asked.id, VOTER, True, now)
    assert store.purge(now) == 1
    assert [row.question for row in store.asked(Window(0.0))] == ["recent"]
    assert store.votes(Window(0.0)) == (1, 0)
    store.close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("verbatim.db")]
    assert not any(
        b"an old question" in path.read_bytes() for path in files
    )  # gone from the bytes too
