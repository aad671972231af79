"""The smoke runs of `make bench-smoke` and `make load-smoke`: a tiny generated dataset in a database of
their own, so that CI keeps the measurements working without touching any other database."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator

from bench.server import ROOT


@contextlib.contextmanager
def smoke_dataset(*, database: str, scale: list[str]) -> Iterator[str]:
    """A database of the run's own, migrated and filled by `generate_dataset` at `scale` (its options),
    named DATABASE_URL in this process's environment for as long as the block runs; its URL."""
    configured = os.environ.get("DATABASE_URL")
    with _database(database, configured or "") as url:
        os.environ["DATABASE_URL"] = url
        try:
            manage = [sys.executable, str(ROOT / "manage.py")]
            subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, cwd=ROOT)
            subprocess.run([*manage, "generate_dataset", *scale, "-v0"], check=True, cwd=ROOT)
            yield url
        finally:
            _close_connections()
            if configured is None:
                del os.environ["DATABASE_URL"]
            else:
                os.environ["DATABASE_URL"] = configured


@contextlib.contextmanager
def _database(name: str, configured: str) -> Iterator[str]:
    """`name` beside the configured PostgreSQL database (created, then dropped), or a temporary SQLite
    file when the configured database is SQLite."""
    if not configured.startswith(("postgres://", "postgresql://")):
        with tempfile.TemporaryDirectory() as scratch:
            yield f"sqlite:///{scratch}/{name}.sqlite3"
        return
    import dj_database_url
    import psycopg2

    parsed = dj_database_url.parse(configured)
    admin = psycopg2.connect(
        dbname="postgres",
        user=parsed["USER"],
        password=parsed["PASSWORD"],
        host=parsed["HOST"],
        port=parsed["PORT"] or 5432,
    )
    admin.autocommit = True
    drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    try:
        with admin.cursor() as cursor:
            cursor.execute(drop)
            cursor.execute(f"CREATE DATABASE {name}")
        yield urllib.parse.urlsplit(configured)._replace(path=f"/{name}").geturl()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(drop)
        admin.close()


def _close_connections() -> None:
    """Nothing of this process stays open on the database before it is dropped or deleted."""
    from django.apps import apps

    if apps.ready:
        from django.db import connections

        connections.close_all()
