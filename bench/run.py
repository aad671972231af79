"""`make bench`: latency and query count of implhub's busiest requests, each against its floor.

Starts implhub under gunicorn on 127.0.0.1 (a free port) against the configured database (DATABASE_URL,
filled by `manage.py generate_dataset`), signs in as generated people (a member who is voting, the
facilitator of a consensus meeting, a team's facilitator, its coach, its organization's admin, staff),
warms up, then times each request RUNS times, alternating with its floor: a bare view through the same
middleware, with no query, answering as many bytes (bench/views.py). Each latency is reported as a ratio
to its floor. The SQL query count of each request comes from running it once in this process through
Django's test client (gunicorn cannot count queries).

Writes bench/results/<date>-<database>.json and .md, and prints the table. `--smoke` runs the whole
thing on a tiny dataset in a database of its own (PostgreSQL: implhub_bench on the server of
DATABASE_URL, created and dropped; SQLite: a temporary file), 2 runs: CI runs it so that the benchmark
keeps working.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.report import RESULTS, dataset_line, describe, machine_line, percentile, save
from bench.server import ROOT, BenchError, Browser, server
from bench.smoke import smoke_dataset

SMOKE_DATABASE = "implhub_bench"
SMOKE_SCALE = ["--orgs", "1", "--teams-per-org", "3", "--assessments-per-team", "3"]
SETTINGS = "bench.settings"


@dataclass
class Measure:
    """One request to time: who sends it, and what it should answer."""

    name: str
    role: str
    method: str
    path: str
    form: Callable[[], dict] | None = None  # a POST's fields, built afresh for every request
    htmx: bool = False
    expect: int = 200
    budget: int | None = None  # issue 16: p95 at most this many times the floor's


@dataclass
class Result:
    name: str
    role: str
    method: str
    path: str
    status: int
    bytes: int
    queries: int
    median_ms: float
    p95_ms: float
    floor_median_ms: float
    floor_p95_ms: float
    ratio_median: float
    ratio_p95: float
    budget: int | None


@dataclass
class Subjects:
    """The generated people and objects the requests are about."""

    users: dict  # role -> user
    measures: list[Measure]
    revision: Callable[[], int]  # the current revision of the consensus answer that is saved


def subjects() -> Subjects:
    """Finds in the database what each request needs: a voting member, a consensus meeting, the team with
    the longest history, its coach, its organization's admin, staff."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.urls import reverse

    from assessments.models import (
        Assessment,
        CoachAssignment,
        Membership,
        OrganizationMembership,
        Response,
        Team,
    )
    from drivers.models import BestPractice, framework_order
    from implhub.dataset import STAFF_USERNAME

    def one(query, what: str):
        found = query.first()
        if found is None:
            raise BenchError(
                f"The database has no {what}: fill it first with `python manage.py generate_dataset`."
            )
        return found

    voting = one(Assessment.objects.filter(status="open").order_by("pk"), "assessment open for votes")
    meeting = one(Assessment.objects.filter(status="consensus").order_by("pk"), "assessment in consensus")
    team = one(
        Team.objects.annotate(done=Count("assessments", filter=Q(assessments__status="completed")))
        .filter(done__gt=0)
        .order_by("-done", "pk"),
        "completed assessment",
    )
    latest = team.assessments.filter(status="completed").latest("held_on")
    facilitators = Membership.objects.filter(role="facilitator").select_related("user").order_by("pk")
    users = {
        "member": one(
            Membership.objects.filter(team=voting.team, role="member").select_related("user").order_by("pk"),
            "member of a voting team",
        ).user,
        "facilitator": one(facilitators.filter(team=meeting.team), "facilitator in consensus").user,
        "team facilitator": one(facilitators.filter(team=team), "facilitator of a team").user,
        "coach": one(CoachAssignment.objects.filter(team=team).select_related("coach"), "coach").coach,
        "org admin": one(
            OrganizationMembership.objects.filter(organization=team.organization, role="admin"),
            "organization admin",
        ).user,
    }
    staff = get_user_model().objects.filter(username=STAFF_USERNAME).first()
    codes = list(
        BestPractice.objects.filter(version=voting.version)
        .order_by(*framework_order())
        .values_list("code", flat=True)
    )
    answered = one(
        Response.objects.filter(assessment=meeting).order_by(*framework_order("item")).select_related("item"),
        "consensus answer",
    )
    code = answered.item.code
    autosaves = iter(range(1_000_000))

    def revision() -> int:
        return Response.objects.get(pk=answered.pk).revision

    def url(name: str, **kwargs) -> str:
        return reverse(f"assessments:{name}", kwargs=kwargs)

    voted, board, team_id = {"assessment_id": voting.pk}, {"assessment_id": meeting.pk}, {"team_id": team.pk}
    results, org = {"assessment_id": latest.pk}, {"organization_id": team.organization_id}
    version = latest.version
    measures = [
        Measure("vote sheet", "member", "GET", url("vote", **voted), budget=3),
        Measure(
            "autosave",
            "member",
            "POST",
            url("vote_item", item_code=codes[0], **voted),
            form=lambda: {f"answer-{codes[0]}": str(next(autosaves) % 3)},
            htmx=True,
            budget=3,
        ),
        Measure(
            "save without JavaScript",
            "member",
            "POST",
            url("vote", **voted),
            form=lambda: {f"answer-{c}": "1" for c in codes},
            expect=302,
        ),
        Measure("consensus board", "facilitator", "GET", url("consensus", **board), budget=3),
        Measure(
            "consensus save",
            "facilitator",
            "POST",
            url("response_save", item_code=code, **board),
            form=lambda: {
                f"{code}-score": "1",
                f"{code}-na_reason": "",
                f"{code}-evidence": "Seen in the minutes.",
                f"{code}-revision": str(revision()),
            },
            htmx=True,
            budget=3,
        ),
        Measure("completing (confirm page)", "facilitator", "GET", url("complete", **board)),
        Measure("results", "team facilitator", "GET", url("results", **results), budget=3),
        Measure("report", "team facilitator", "GET", url("report", **results)),
        Measure("team progress", "team facilitator", "GET", url("team_progress", **team_id), budget=3),
        Measure("action plan", "team facilitator", "GET", url("action_plan", **team_id)),
        Measure("team export CSV", "team facilitator", "GET", url("export_team", fmt="csv", **team_id)),
        Measure("team export XLSX", "team facilitator", "GET", url("export_team", fmt="xlsx", **team_id)),
        *(
            Measure(
                f"organization export {fmt.upper()}",
                "org admin",
                "GET",
                url("export_organization", fmt=fmt, **org),
            )
            for fmt in ("csv", "xlsx")
        ),
        Measure("coach's home (queue)", "coach", "GET", reverse("home")),
        Measure("portfolio, a coach's teams", "coach", "GET", url("portfolio"), budget=5),
        Measure("portfolio, an organization", "org admin", "GET", url("portfolio"), budget=5),
        Measure(
            "content browser",
            "team facilitator",
            "GET",
            reverse(
                "drivers:version_detail",
                kwargs={"framework_slug": version.framework.slug, "number": version.number},
            ),
        ),
    ]
    if staff is not None:
        users["staff"] = staff
        measures.insert(-1, Measure("portfolio, every team", "staff", "GET", url("portfolio"), budget=5))
    return Subjects(users=users, measures=measures, revision=revision)


def query_count(measure: Measure, user) -> int:
    """The request once through Django's test client in this process, its SQL queries counted (a
    streamed body is read inside the count)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    headers = {"HX-Request": "true"} if measure.htmx else {}
    with CaptureQueriesContext(connection) as queries:
        if measure.method == "POST":
            response = client.post(measure.path, measure.form(), headers=headers)
        else:
            response = client.get(measure.path, headers=headers)
        if response.streaming:
            b"".join(response.streaming_content)
    if response.status_code != measure.expect:
        raise BenchError(f"{measure.name}: HTTP {response.status_code} in process, not {measure.expect}")
    return len(queries)


def timed(
    measure: Measure, browser: Browser, floor: Browser, *, runs: int, warmup: int, queries: int
) -> Result:
    def send():
        form = measure.form() if measure.form else None
        status, body, seconds = browser.request(measure.method, measure.path, form, measure.htmx)
        if status != measure.expect:
            raise BenchError(f"{measure.name}: HTTP {status} from {measure.path}, not {measure.expect}")
        return body, seconds

    for _n in range(warmup):
        body, _seconds = send()
    size = len(body)
    floor_path = f"/bench/floor/{size}/"
    for _n in range(warmup):
        floor.request("GET", floor_path)
    times, floors = [], []
    for _n in range(runs):  # alternating, so that a neighbour's load falls on both alike
        times.append(send()[1])
        status, floor_body, seconds = floor.request("GET", floor_path)
        if status != 200 or len(floor_body) != size:
            raise BenchError(f"the floor answered HTTP {status} with {len(floor_body)} bytes, not {size}")
        floors.append(seconds)
    median, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
    floor_median, floor_p95 = statistics.median(floors) * 1000, percentile(floors, 0.95) * 1000
    return Result(
        name=measure.name,
        role=measure.role,
        method=measure.method,
        path=measure.path,
        status=measure.expect,
        bytes=size,
        queries=queries,
        median_ms=round(median, 2),
        p95_ms=round(p95, 2),
        floor_median_ms=round(floor_median, 2),
        floor_p95_ms=round(floor_p95, 2),
        ratio_median=round(median / floor_median, 2),
        ratio_p95=round(p95 / floor_p95, 2),
        budget=measure.budget,
    )


def markdown(report: dict) -> str:
    lines = [
        f"# implhub benchmark, {report['date']}, {report['database']['vendor']}",
        "",
        f"{dataset_line(report)}; {report['workers']} gunicorn worker(s); {report['runs']} runs after "
        f"{report['warmup']} warm-up; {machine_line(report)}.",
        "",
        "Latency in ms, median and 95th percentile; the floor is a bare view of the same size through "
        "the same middleware with no query; budget: issue 16's p95 limit as a multiple of the floor.",
        "",
        "| request | as | queries | KB | median | p95 | floor p95 | p95 ÷ floor | budget |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in report["results"]:
        budget = ""
        if r["budget"]:
            budget = f"≤ {r['budget']}x: " + ("holds" if r["ratio_p95"] <= r["budget"] else "**misses**")
        lines.append(
            f"| {r['name']} | {r['role']} | {r['queries']} | {r['bytes'] / 1024:.1f} | {r['median_ms']:.1f} "
            f"| {r['p95_ms']:.1f} | {r['floor_p95_ms']:.1f} | {r['ratio_p95']:.1f}x | {budget} |"
        )
    return "\n".join(lines) + "\n"


def bench(*, runs: int, warmup: int, workers: int, password: str | None, out: Path) -> Path:
    import django

    django.setup()
    from django.db import connections

    from implhub.dataset import DEFAULT_PASSWORD

    password = password or DEFAULT_PASSWORD
    found = subjects()
    print(f"Counting queries of {len(found.measures)} requests in process...", file=sys.stderr)
    counts = {m.name: query_count(m, found.users[m.role]) for m in found.measures}
    connections.close_all()  # nothing held open while gunicorn writes (SQLite locks the whole file)
    results = []
    with tempfile.TemporaryDirectory() as scratch, server(workers=workers, scratch=Path(scratch)) as port:
        browsers = {}
        for role, user in found.users.items():
            browsers[role] = Browser(port)
            browsers[role].sign_in(user.get_username(), password)
        floor = Browser(port)  # no session: the floor reads nothing
        for measure in found.measures:
            result = timed(
                measure, browsers[measure.role], floor, runs=runs, warmup=warmup, queries=counts[measure.name]
            )
            print(
                f"  {result.name}: median {result.median_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, "
                f"{result.ratio_p95:.1f}x the floor, {result.queries} queries",
                file=sys.stderr,
            )
            results.append(result)
    report = {
        "date": datetime.date.today().isoformat(),
        **describe(),
        "runs": runs,
        "warmup": warmup,
        "workers": workers,
        "results": [asdict(r) for r in results],
    }
    return save(report, markdown(report), out=out, name=f"{report['date']}-{report['database']['vendor']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each request (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (default 3)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers (default 1)")
    parser.add_argument("--password", default=None, help="the generated people's (generate_dataset's)")
    parser.add_argument("--out", type=Path, default=None, help=f"where results go (default {RESULTS})")
    parser.add_argument(
        "--smoke", action="store_true", help="a tiny dataset in a database of its own, 2 runs (for CI)"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    password = args.password
    try:
        if not args.smoke:
            bench(
                runs=args.runs,
                warmup=args.warmup,
                workers=args.workers,
                password=password,
                out=args.out or RESULTS,
            )
            return 0
        with (
            smoke_dataset(database=SMOKE_DATABASE, scale=SMOKE_SCALE),
            tempfile.TemporaryDirectory() as scratch,
        ):
            bench(runs=2, warmup=1, workers=args.workers, password=password, out=args.out or Path(scratch))
        return 0
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
