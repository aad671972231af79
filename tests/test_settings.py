"""Settings come from the environment; production mode refuses to start half-configured."""

import os
import socket
import sqlite3
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "IMPLHUB_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "implhub.example.org",
}
# Variables these tests set themselves, and the browser tests' async switch, which check --deploy rejects.
SETTINGS_UNDER_TEST = (
    "IMPLHUB_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_UNDER_TEST}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_fails_with_a_clear_message():
    result = manage("check", IMPLHUB_ENV="production", ALLOWED_HOSTS="implhub.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_fails():
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_nonsense_boolean_fails_loudly():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a yes/no value" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip() == "False"


def test_the_demo_command_refuses_production():
    result = manage("demo", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refuses to run in production" in result.stderr


CACHE_IN_USE = (
    "from django.core.cache import caches; "
    "cache = caches['default']; "
    "print(type(cache).__module__, type(cache).__name__, sep='.'); "
    "cache.set('probe', 1)"
)


def closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on: one the system just handed out and took back."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_redis_url_the_cache_is_redis_at_that_address():
    url = f"redis://127.0.0.1:{closed_port()}/2"
    result = manage("shell", "--no-imports", "-c", CACHE_IN_USE, REDIS_URL=url)
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    # No Redis runs here: the write goes to the address given, and is refused there.
    assert "ConnectionError" in result.stderr
    assert url.removeprefix("redis://").removesuffix("/2") in result.stderr


def test_without_redis_url_each_process_has_its_own_memory_cache():
    result = manage("shell", "--no-imports", "-c", CACHE_IN_USE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_a_redis_url_that_is_not_one_fails_loudly():
    result = manage("check", REDIS_URL="127.0.0.1:6379")
    assert result.returncode != 0
    assert "REDIS_URL='127.0.0.1:6379' is not a Redis address" in result.stderr


def test_in_production_a_health_probe_over_plain_http_is_answered_and_pages_are_redirected():
    probe = (
        "from django.test import Client; client = Client(HTTP_HOST='implhub.example.org'); "
        "print(client.get('/health/').status_code, client.get('/login/').status_code)"
    )
    result = manage("shell", "--no-imports", "-c", probe, DATABASE_URL="sqlite:///:memory:", **PRODUCTION_ENV)
    assert result.stdout.split() == ["200", "301"], result.stderr


# Two processes on one SQLite file, as two gunicorn instances are (`make load`): each transaction reads,
# then writes, the second starting while the first holds its write. The first commits a second later.
SQLITE_WRITER = """
import pathlib, sys, time
import django

django.setup()
from django.db import connection, transaction

role, folder = sys.argv[1], pathlib.Path(sys.argv[2])


def wait_for(name):
    while not (folder / name).exists():
        time.sleep(0.01)


if role == "second":
    wait_for("first-wrote")
    (folder / "second-writes").touch()
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM answer")
    cursor.execute("INSERT INTO answer VALUES (%s)", [role])
    if role == "first":
        (folder / "first-wrote").touch()
        wait_for("second-writes")
        time.sleep(1)  # the second one meanwhile waits for the lock (or, unless told to wait, fails)
"""


def test_with_sqlite_a_second_process_writing_waits_for_the_first_instead_of_failing(tmp_path):
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE answer (role text)")
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_UNDER_TEST}
    env = {**base, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "implhub.settings"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", SQLITE_WRITER, role, str(tmp_path)],
            cwd=settings.BASE_DIR,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in ("first", "second")
    ]
    errors = [writer.communicate(timeout=120)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], errors
    with sqlite3.connect(database) as check:
        assert sorted(check.execute("SELECT role FROM answer")) == [("first",), ("second",)]
