"""The store's schema, as numbered migrations: version N is migrations 1..N applied in order.

A database records its version in SQLite's ``user_version`` (PostgreSQL keeps it in a one-row
table, see ``MIGRATIONS_TABLE``), so opening an older database applies only what it lacks, in
one transaction, and a newer one (written by a later Verbatim) is refused rather than guessed at.
Each step is plain SQL both SQLite and PostgreSQL accept.
"""

from __future__ import annotations

from bot.store.errors import StoreError

# "VBTM" in ASCII: SQLite's application_id of every database Verbatim creates, so a file that
# merely happens to be SQLite (somebody else's) is never taken for ours and written to.
APPLICATION_ID = 0x5642544D

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: every question and its outcome. No user id: ``asker`` is a keyed hash of it.
    (
        """CREATE TABLE questions (
            id TEXT PRIMARY KEY,
            asked_at DOUBLE PRECISION NOT NULL,
            guild_id BIGINT,
            asker TEXT NOT NULL,
            question TEXT NOT NULL,
            status TEXT NOT NULL
        )""",
        "CREATE INDEX questions_asked_at ON questions (asked_at)",
    ),
    # 2: feedback, one vote per person per answer (changeable), and reports per server.
    (
        """CREATE TABLE votes (
            question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
            voter TEXT NOT NULL,
            helpful BOOLEAN NOT NULL,
            voted_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (question_id, voter)
        )""",
        "CREATE INDEX questions_guild ON questions (guild_id, asked_at)",
    ),
)
VERSION = len(MIGRATIONS)


def pending(version: int, target: int = VERSION) -> list[str]:
    """The statements that take a database at ``version`` to ``target``, in order; a database
    newer than this Verbatim is a ``StoreError`` (never downgraded)."""
    if version > VERSION:
        raise StoreError(
            f"the database has schema version {version}, newer than this Verbatim's "
            f"({VERSION}); upgrade Verbatim"
        )
    return [
        statement
        for number in range(version + 1, target + 1)
        for statement in MIGRATIONS[number - 1]
    ]
