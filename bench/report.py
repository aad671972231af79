"""What `make bench` and `make load` write beside their figures: the database, dataset and machine they
were taken on, percentiles, and the results as JSON and a markdown table."""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import subprocess
from pathlib import Path

from bench.server import ROOT

RESULTS = ROOT / "bench" / "results"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def describe() -> dict:
    """The database, the dataset and the machine the figures were taken on."""
    from django.db import connection

    from assessments.models import Assessment, Response, Team, Vote

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database_version = cursor.fetchone()[0]
    memory = ""
    with contextlib.suppress(OSError):
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{total_kb / 2**20:.0f} GiB"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "database": {"vendor": connection.vendor, "version": database_version},
        "dataset": {
            "teams": Team.objects.count(),
            "assessments": Assessment.objects.count(),
            "responses": Response.objects.count(),
            "votes": Vote.objects.count(),
        },
        "machine": {
            "platform": platform.platform(),
            "cores": os.cpu_count(),
            "memory": memory,
            "python": platform.python_version(),
        },
        "commit": commit,
    }


def dataset_line(report: dict) -> str:
    """The database and the dataset of a described report, for the line under a table's title."""
    data, database = report["dataset"], report["database"]
    return (
        f"{database['version'].split(' on ')[0]}; {data['teams']:,} teams, {data['assessments']:,} "
        f"assessments, {data['responses']:,} consensus answers, {data['votes']:,} votes"
    )


def machine_line(report: dict) -> str:
    machine = report["machine"]
    return f"{machine['platform']}, {machine['cores']} cores, {machine['memory']}; commit {report['commit']}"


def save(report: dict, table: str, *, out: Path, name: str) -> Path:
    """Writes the report to `out`/<name>.json and its table to <name>.md, prints the table; the JSON's
    path."""
    out.mkdir(parents=True, exist_ok=True)
    stem = out / name
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(table, encoding="utf-8")
    print(table)
    return stem.with_suffix(".json")
