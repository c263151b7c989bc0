"""The PostgreSQL store (``VERBATIM_DATABASE_URL``) against a real server: the same schema,
migrations, votes, purge and report as SQLite, and no user id in what it stores."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest

from bot.settings import Settings
from bot.store import StoreError, VoteChange, Window, open_store, report_of, schema
from bot.store.postgres import MIGRATIONS_TABLE, migrate
from tests.bot.store.test_sqlite import DAY, USER, VOTER, record
from tests.support.postgres import data_folder


def settings(tmp_path: Path, url: str, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, database_url=url, **values)  # type: ignore[call-arg]


def version(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(f"SELECT version FROM {MIGRATIONS_TABLE}").fetchone()
    assert row is not None
    return int(row[0])


def test_an_empty_database_is_migrated_to_the_current_version(
    tmp_path: Path, postgres_url: str
) -> None:
    store = open_store(settings(tmp_path, postgres_url))
    store.record_question(record("Who was killed in Moscow?"))
    store.close()
    assert version(postgres_url) == schema.VERSION
    again = open_store(settings(tmp_path, postgres_url))  # opening again changes nothing
    assert [row.question for row in again.asked(Window(0.0))] == ["Who was killed in Moscow?"]
    again.close()


def test_a_database_of_the_previous_version_is_migrated_keeping_its_rows(
    tmp_path: Path, postgres_url: str
) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        assert migrate(connection, target=schema.VERSION - 1) == schema.VERSION - 1
        connection.execute(
            "INSERT INTO questions VALUES ('ab', %s, 7, 'hash', 'Who won?', 'not_covered')",
            (time.time(),),
        )
    store = open_store(settings(tmp_path, postgres_url))
    assert version(postgres_url) == schema.VERSION
    assert [row.question for row in store.asked(Window(0.0))] == ["Who won?"]
    assert store.record_vote("ab", VOTER, True, time.time()) is VoteChange.NEW
    store.close()


def test_a_newer_schema_and_somebody_elses_tables_are_refused(
    tmp_path: Path, postgres_url: str
) -> None:
    open_store(settings(tmp_path, postgres_url)).close()
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"UPDATE {MIGRATIONS_TABLE} SET version = %s", (schema.VERSION + 1,))
    with pytest.raises(StoreError, match="newer than this Verbatim"):
        open_store(settings(tmp_path, postgres_url))
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"DROP TABLE {MIGRATIONS_TABLE}")
    with pytest.raises(StoreError, match="not Verbatim's"):
        open_store(settings(tmp_path, postgres_url))


def test_votes_purge_and_report_as_with_sqlite(tmp_path: Path, postgres_url: str) -> None:
    store = open_store(settings(tmp_path, postgres_url, retention_days=30))
    now = time.time()
    old = record("an old question", status="not_covered", at=now - 31 * DAY)
    asked = record("Who won the election?", status="not_covered")
    again = record("election winner?", status="not_covered", user_id=VOTER)
    for row in (old, asked, again):
        store.record_question(row)
    assert store.record_vote(asked.id, VOTER, True, now) is VoteChange.NEW
    assert store.record_vote(asked.id, VOTER, False, now) is VoteChange.CHANGED
    assert store.record_vote(asked.id, USER, False, now) is VoteChange.NEW
    assert store.record_vote(old.id, USER, True, now) is VoteChange.NEW
    assert store.purge(now) == 1
    report = report_of(store, Window(now - 7 * DAY, guild_id=42))
    store.close()
    assert (report.asked, report.not_covered, report.helpful, report.not_helpful) == (2, 2, 0, 2)
    assert [(g.question, g.count) for g in report.top_not_covered] == [("Who won the election?", 2)]


def test_no_user_id_is_stored_in_clear(
    tmp_path: Path, postgres_url: str, postgres_server: str
) -> None:
    store = open_store(settings(tmp_path, postgres_url))
    asked = record("What did Britain pledge?")
    store.record_question(asked)
    store.record_vote(asked.id, VOTER, False, time.time())
    store.close()
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        rows = [
            str(row)
            for table in ("questions", "votes")
            for row in connection.execute(f"SELECT * FROM {table}").fetchall()
        ]
        connection.execute("CHECKPOINT")  # the rows are in the data files now, not only in WAL
    assert any("What did Britain pledge?" in row for row in rows)
    assert not any(str(USER) in row or str(VOTER) in row for row in rows)
    stored = b"".join(
        path.read_bytes()
        for path in (data_folder(postgres_server) / "base").rglob("*")
        if path.is_file()
    )
    assert b"What did Britain pledge?" in stored  # the grep can find what is there
    for user_id in (USER, VOTER):
        for needle in (
            str(user_id).encode(),
            user_id.to_bytes(8, "big"),
            user_id.to_bytes(8, "little"),
        ):
            assert needle not in stored


def test_a_bad_url_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "no-server-here"
    url = f"postgresql://postgres@/verbatim?host={missing}"
    with pytest.raises(StoreError, match="cannot connect to VERBATIM_DATABASE_URL"):
        open_store(settings(tmp_path, url))


def test_a_lost_connection_is_opened_again(tmp_path: Path, postgres_url: str) -> None:
    store = open_store(settings(tmp_path, postgres_url))
    store.record_question(record("before the restart"))
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    store.record_question(record("after the restart"))
    asked = [row.question for row in store.asked(Window(0.0))]
    store.close()
    assert asked == ["before the restart", "after the restart"]
