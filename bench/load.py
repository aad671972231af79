"""`make load`: simulated people (locust, headless) on two implhub servers sharing one database, then a
check that every write they were told was saved is in the database.

Starts two gunicorn instances of implhub (implhub.settings) on two free ports of 127.0.0.1 against the
configured database (DATABASE_URL, filled by `manage.py generate_dataset`), and runs USERS simulated people
of the generated dataset in a realistic mix (bench/mix.py: members changing votes by autosave,
facilitators saving consensus answers, people reading results, coaches and organization admins reading
the portfolio, a few exporting a team's CSV), each waiting a think time between requests. Each person signs
in on one instance and then sends every request to the other instance than the one before, so that each
session is read and changed by both processes: nothing that matters may live in a process.

The clock starts when everyone has signed in (a burst of password hashing that a real day spreads out) and
sent a first request to each instance (a process's first request of a page loads its templates), and runs
for TIME seconds: requests per second, and per type of request its count, median, 95th and 99th
percentile; errors count over the whole run. An error is any answer but the expected one (a redirect to
the sign-in page included) or no answer. Then every write that got a success answer is looked up in the
database (bench/writes.py). Writes bench/results/<date>-load-<database>.json and .md, and exits non-zero
on any error or lost write. The run changes the votes and consensus answers it writes: generated data.

`--smoke` runs the whole thing on a tiny dataset in a database of its own (PostgreSQL: implhub_load on the
server of DATABASE_URL, created and dropped; SQLite: a temporary file), six people for 10 s: CI runs it.
"""

# locust patches the standard library for gevent when it is imported: before anything else opens sockets.
import locust  # isort: skip

import argparse
import contextlib
import datetime
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import gevent
from locust.env import Environment
from locust.exception import StopUser

from bench import mix
from bench.mix import Part, Request
from bench.report import RESULTS, dataset_line, describe, machine_line, percentile, save
from bench.server import BenchError, server
from bench.smoke import smoke_dataset
from bench.writes import Ledger, LostWrite, lost_writes

SETTINGS = "implhub.settings"
SMOKE_DATABASE = "implhub_load"
SMOKE_SCALE = ["--orgs", "2", "--teams-per-org", "3", "--assessments-per-team", "2"]


class Run:
    """What a load run observes: the answers, the writes acknowledged, and the timed window."""

    def __init__(self, *, people: int, seconds: float):
        self.people, self.seconds = people, seconds
        self.ledger = Ledger()
        self.times: dict[str, list[float]] = defaultdict(list)  # request type -> ms, in the window
        self.errors: Counter = Counter()  # (request type, what happened) -> count, over the whole run
        self.ready = 0  # people past their sign-in and first requests
        self.started = self.ended = 0.0  # the window, time.monotonic()

    def send(self, client, request: Request, port: int, part: Part) -> bool:
        """One request of `part` to the instance on `port`; whether it got the expected answer."""
        headers = {"HX-Request": "true"} if request.htmx else {}
        if request.method == "POST":
            headers["X-CSRFToken"] = client.cookies.get("csrftoken", "")
        if request.write is not None:
            self.ledger.sent(request.write)
        with client.request(
            request.method,
            f"http://127.0.0.1:{port}{request.path}",
            data=request.form,
            headers=headers,
            name=request.name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != request.expect:
                response.failure(f"HTTP {response.status_code}, not {request.expect}")
                return False
            response.success()
        if request.write is not None:
            self.ledger.answered(request.write)
        part.answered(request)
        return True

    def observe(self, name: str, response_time: float, exception, **_kwargs) -> None:
        """locust's request event: every answer, or the lack of one."""
        if exception is not None:
            self.errors[name, str(exception)] += 1
        elif self.started and not self.ended:
            self.times[name].append(response_time)

    def crashed(self, exception: Exception, **_kwargs) -> None:
        """locust's user_error event: the simulation itself failed (it would otherwise only be logged)."""
        self.errors["(simulation)", repr(exception)] += 1

    def person_ready(self, runner) -> None:
        self.ready += 1
        if self.ready == self.people:
            self.started = time.monotonic()
            gevent.spawn_later(self.seconds, self.stop, runner)

    def stop(self, runner) -> None:
        """The end of the window, or of the time allowed for signing in; whichever comes first."""
        if not self.ended:
            self.ended = time.monotonic()
            runner.quit()


def person(cast: list[Part], ports: list[int], password: str, think: float, run: Run) -> type:
    """The locust user class of this run: each user takes the next part of the cast."""
    parts = enumerate(cast)

    class Person(locust.HttpUser):
        host = f"http://127.0.0.1:{ports[0]}"
        wait_time = locust.between(think / 2, think * 3 / 2)

        def on_start(self) -> None:
            number, self.part = next(parts)
            self.turn = number  # half the people sign in on each instance
            try:
                ready = all(self.send(request) for request in self.part.sign_in(password))
                # Then a first request to each instance, untimed: a process's first request of a page
                # loads its templates, which says nothing about the load.
                ready = ready and all(self.send(self.part.next()) for _port in ports)
            finally:
                run.person_ready(self.environment.runner)
            if not ready:
                raise StopUser

        @locust.task
        def act(self) -> None:
            self.send(self.part.next())

        def send(self, request: Request) -> bool:
            port = ports[self.turn % len(ports)]
            self.turn += 1  # the next request goes to the other instance
            return run.send(self.client, request, port, self.part)

    return Person


def load(
    *,
    users: int,
    seconds: float,
    spawn_rate: float,
    think: float,
    workers: int,
    password: str | None,
    out: Path,
) -> bool:
    """The load run; whether it had no error and no lost write."""
    import django

    django.setup()
    from django.db import connections

    from implhub.dataset import DEFAULT_PASSWORD

    password = password or DEFAULT_PASSWORD

    token = f"load run {datetime.datetime.now():%Y-%m-%d %H:%M:%S}"
    cast = mix.cast(users=users, token=token)
    described = describe()
    connections.close_all()  # nothing held open while the servers write (SQLite locks the whole file)
    run = Run(people=users, seconds=seconds)
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch, contextlib.ExitStack() as servers:
        ports = [
            servers.enter_context(server(workers=workers, scratch=Path(scratch) / name))
            for name in ("a", "b")
        ]
        print(
            f"{users} people on ports {ports[0]} and {ports[1]}: signing in, then {seconds:g} s...",
            file=sys.stderr,
        )
        environment = Environment(user_classes=[person(cast, ports, password, think, run)])
        environment.events.request.add_listener(run.observe)
        environment.events.user_error.add_listener(run.crashed)
        runner = environment.create_local_runner()
        runner.start(users, spawn_rate=spawn_rate)
        # Should someone never finish signing in, the run ends all the same (and says so).
        limit = gevent.spawn_later(users / spawn_rate + seconds + 120, run.stop, runner)
        runner.greenlet.join()
        limit.kill()
    lost = lost_writes(run.ledger)
    report = _report(run, lost, cast, described, ramp=run.started - began if run.started else None)
    report.update(users=users, seconds=seconds, spawn_rate=spawn_rate, think=think, workers=workers)
    save(report, markdown(report), out=out, name=f"{report['date']}-load-{report['database']['vendor']}")
    return not report["errors"] and not report["writes"]["lost"]


def _report(run: Run, lost: list[LostWrite], cast: list[Part], described: dict, ramp: float | None) -> dict:
    window = (run.ended - run.started) if run.started else 0.0
    errors = Counter()
    for (name, _what), count in run.errors.items():
        errors[name] += count
    problems = [
        {"request": name, "error": what, "count": count} for (name, what), count in run.errors.items()
    ]
    if not run.started:
        problems.append(
            {
                "request": mix.SIGN_IN,
                "error": "not everyone signed in in time",
                "count": run.people - run.ready,
            }
        )
    requests = []
    for name in sorted(set(run.times) | set(errors), key=_in_order):
        times = run.times.get(name, [])
        requests.append(
            {
                "name": name,
                "count": len(times),
                "p50_ms": round(percentile(times, 0.50), 1) if times else None,
                "p95_ms": round(percentile(times, 0.95), 1) if times else None,
                "p99_ms": round(percentile(times, 0.99), 1) if times else None,
                "errors": errors[name],
            }
        )
    return {
        "date": datetime.date.today().isoformat(),
        **described,
        "instances": 2,
        "cast": dict(Counter(part.kind for part in cast)),
        "ramp_up_s": round(ramp, 1) if ramp is not None else None,
        "window_s": round(window, 1),
        "requests_per_s": round(sum(len(t) for t in run.times.values()) / window, 1) if window else 0.0,
        "requests": requests,
        "errors": problems,
        "writes": {
            "acknowledged": run.ledger.count,
            "answers": len(run.ledger.acknowledged),
            "lost": [
                {
                    "assessment": w.write.assessment_id,
                    "item": w.write.item_code,
                    "member": w.write.member,
                    "acknowledged": list(w.write.value),
                    "found": list(w.found) if w.found is not None else None,
                }
                for w in lost
            ],
        },
    }


def markdown(report: dict) -> str:
    writes = report["writes"]
    cast = ", ".join(f"{count} {kind}" for kind, count in report["cast"].items())
    errors = sum(e["count"] for e in report["errors"])
    lines = [
        f"# implhub load run, {report['date']}, {report['database']['vendor']}",
        "",
        f"{dataset_line(report)}; two gunicorn instances of {report['workers']} worker(s) sharing the "
        f"database, each request to the other instance than the one before; {report['users']} people "
        f"({cast}), {report['think']:g} s of think time on average; {report['window_s']:g} s timed after "
        f"everyone signed in and sent a first request to each instance ({report['ramp_up_s']} s); "
        f"{machine_line(report)}.",
        "",
        f"**{report['requests_per_s']:g} requests/s; {errors} errors; {writes['acknowledged']} writes "
        f"acknowledged ({writes['answers']} answers), {len(writes['lost'])} lost.**",
        "",
        "Milliseconds over the timed window; errors over the whole run, sign-in included.",
        "",
        "| request | count | p50 | p95 | p99 | errors |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for r in report["requests"]:
        cells = [_ms(r[key]) for key in ("p50_ms", "p95_ms", "p99_ms")]
        lines.append(f"| {r['name']} | {r['count']} | {' | '.join(cells)} | {r['errors']} |")
    for e in report["errors"]:
        lines.append(f"\nError: {e['request']}: {e['error']} ({e['count']}x)")
    for w in writes["lost"]:
        lines.append(
            f"\nLost: assessment {w['assessment']}, {w['item']}, {w['member'] or 'consensus'}: "
            f"acknowledged {w['acknowledged']}, found {w['found']}"
        )
    return "\n".join(lines) + "\n"


def _in_order(name: str) -> tuple[int, str]:
    return (mix.REQUEST_TYPES.index(name) if name in mix.REQUEST_TYPES else len(mix.REQUEST_TYPES), name)


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=None, help="simulated people (default 50; smoke 6)")
    parser.add_argument(
        "--time",
        type=float,
        default=None,
        help="seconds timed after everyone signed in (default 60; smoke 10)",
    )
    parser.add_argument("--spawn-rate", type=float, default=10, help="people starting a second (default 10)")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between requests (default 1)")
    parser.add_argument(
        "--workers", type=int, default=1, help="gunicorn workers of each instance (default 1)"
    )
    parser.add_argument("--password", default=None, help="the generated people's (generate_dataset's)")
    parser.add_argument("--out", type=Path, default=None, help=f"where results go (default {RESULTS})")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a tiny dataset in a database of its own, 6 people, 10 s (for CI)",
    )
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    options = {
        "users": args.users or (6 if args.smoke else 50),
        "seconds": args.time or (10 if args.smoke else 60),
        "spawn_rate": args.spawn_rate,
        "think": args.think,
        "workers": args.workers,
        "password": args.password,
    }
    try:
        if not args.smoke:
            return 0 if load(**options, out=args.out or RESULTS) else 1
        with (
            smoke_dataset(database=SMOKE_DATABASE, scale=SMOKE_SCALE),
            tempfile.TemporaryDirectory() as scratch,
        ):
            return 0 if load(**options, out=args.out or Path(scratch)) else 1
    except BenchError as exc:
        print(f"load: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
