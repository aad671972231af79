"""`make plans`: where the database time of the benchmark's pages goes, read from PostgreSQL's own plans.

Each GET request of `make bench` (the exports of the organization of the team it reads among them) and the
portfolio of every team filtered runs once through Django's test client against the configured PostgreSQL
database (DATABASE_URL) with its SQL captured; each query is then run again under EXPLAIN (ANALYZE,
BUFFERS). Printed per request: the queries' execution time summed, the slowest queries with the plan node
that took most of their time, and every sequential scan of a table of more than LARGE rows. `--plans DIR`
also writes each request's full plans to a text file there.

It writes nothing to the database: every connection is read-only (a write would fail, not happen), and the
visitors' sessions are signed cookies made here, not rows, with no sign-in (which would record one). So
it may run against a copy of production as well as against `generate_dataset`'s data.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LARGE = 10_000  # rows: a table past this is worth an index when a page scans it whole
SIGNED_COOKIES = "django.contrib.sessions.backends.signed_cookies"


@dataclass
class Query:
    sql: str
    ms: float  # execution time, from EXPLAIN ANALYZE
    costliest: str  # the plan node with the most time of its own
    big_scans: list[str]
    plan: str  # the whole plan, as text


@dataclass
class Request:
    name: str
    role: str
    path: str
    queries: list[Query] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return sum(q.ms for q in self.queries)


def prepared(planner: dict[str, str]):
    """A connection_created receiver: every transaction of the connection is read-only, and the planner
    settings given (`--set random_page_cost=1.1`) hold for it, to see a plan under a tuning before making
    it the server's."""

    def prepare(sender, connection, **kwargs) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            for name, value in planner.items():
                cursor.execute("SELECT set_config(%s, %s, false)", [name, value])

    return prepare


def signed_in(user):
    """A test client carrying a session of `user` as a signed cookie: what Client.force_login leaves, without
    the sign-in signal (which writes the last login and django-axes' access log)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import Client

    from implhub.sessions import CLOCK

    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(b), "get_user"))
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[CLOCK] = int(time.time())  # fresh: the idle clock has nothing to restart
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def node_times(
    node: dict, found: list[tuple[float, str]], sizes: dict[str, float], scans: list[str]
) -> float:
    """The node's total time over its loops; collects each node's own time (its total less its children's)
    and the sequential scans of large tables."""
    total = node.get("Actual Total Time", 0.0) * node.get("Actual Loops", 1)
    children = sum(node_times(child, found, sizes, scans) for child in node.get("Plans", []))
    label = node["Node Type"]
    if "Relation Name" in node:
        label += f" on {node['Relation Name']}"
    if "Index Name" in node:
        label += f" using {node['Index Name']}"
    rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
    found.append((total - children, f"{label} ({total - children:.1f} ms of its own, {rows:,.0f} rows)"))
    table = node.get("Relation Name")
    if node["Node Type"] == "Seq Scan" and sizes.get(table, 0) > LARGE:
        scans.append(f"{table} ({sizes[table]:,.0f} rows)")
    return total


def explained(cursor, sql: str, sizes: dict[str, float]) -> Query:
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
    (document,) = cursor.fetchone()
    found: list[tuple[float, str]] = []
    scans: list[str] = []
    node_times(document[0]["Plan"], found, sizes, scans)
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
    text = "\n".join(line for (line,) in cursor.fetchall())
    return Query(
        sql=sql,
        ms=document[0]["Execution Time"],
        costliest=max(found)[1],
        big_scans=scans,
        plan=text,
    )


def measured(name: str, role: str, path: str, user, sizes: dict[str, float]) -> Request:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    if response.status_code != 200:
        raise SystemExit(f"{name}: HTTP {response.status_code} from {path}")
    request = Request(name, role, path)
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                request.queries.append(explained(cursor, query["sql"], sizes))
    return request


def requests_to_explain():
    """(name, role, path, user) of each read the benchmark times (the organization's exports among them),
    and of the portfolio of every team filtered (the filters run over all teams before a page is cut)."""
    from django.urls import reverse

    from bench.run import subjects

    found = subjects()
    reads = [(m.name, m.role, m.path, found.users[m.role]) for m in found.measures if m.method == "GET"]
    if "staff" in found.users:
        portfolio = reverse("assessments:portfolio")
        for name, query in (("below the benchmark", "below=on"), ("past their date", "due=on")):
            reads.append(
                (f"portfolio, every team {name}", "staff", f"{portfolio}?{query}", found.users["staff"])
            )
    return reads


def report(requests: list[Request], *, show: int) -> str:
    lines = []
    for r in requests:
        lines.append(f"{r.name} ({r.role}, {r.path}): {len(r.queries)} queries, {r.ms:.1f} ms of SQL")
        for q in sorted(r.queries, key=lambda q: -q.ms)[:show]:
            sql = " ".join(q.sql.split())
            lines.append(f"  {q.ms:7.1f} ms  {sql[:150]}{'...' if len(sql) > 150 else ''}")
            lines.append(f"             most time: {q.costliest}")
        scans = sorted({s for q in r.queries for s in q.big_scans})
        if scans:
            lines.append(f"  sequential scans of large tables: {', '.join(scans)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=3, help="slowest queries listed per request (default 3)")
    parser.add_argument("--plans", type=Path, default=None, help="a folder for each request's full plans")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a planner setting for this run's connections only, e.g. random_page_cost=1.1 (repeatable)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implhub.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.db import connection, connections
    from django.db.backends.signals import connection_created
    from django.test.utils import override_settings, setup_test_environment
    from django.utils.text import slugify

    if connection.vendor != "postgresql":
        raise SystemExit("make plans reads PostgreSQL's plans: set DATABASE_URL to a PostgreSQL database.")
    planner = dict(setting.split("=", 1) for setting in args.set)
    connection_created.connect(prepared(planner), weak=False)
    connections.close_all()  # from here on, every connection is opened read-only
    setup_test_environment()  # the test client's templates and responses, as in the benchmark
    with override_settings(SESSION_ENGINE=SIGNED_COOKIES), connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cursor.fetchall())
    with override_settings(SESSION_ENGINE=SIGNED_COOKIES):
        requests = [measured(*read, sizes) for read in requests_to_explain()]
    print(report(requests, show=args.show))
    if args.plans:
        args.plans.mkdir(parents=True, exist_ok=True)
        for r in requests:
            text = "\n\n".join(f"-- {q.ms:.1f} ms\n{q.sql}\n\n{q.plan}" for q in r.queries)
            (args.plans / f"{slugify(r.name)}.txt").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
