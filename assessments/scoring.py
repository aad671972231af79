"""Scores of assessments: the one place where points become percents.

An item earns 2 (in place), 1 (partially) or 0 (not in place) points. A driver's, a category's and the
whole assessment's score is the percent of possible points over all its scored items, never an average of
percents: 100 * points / (2 * items scored). Items marked not applicable leave the denominator; a driver
whose items are all N/A has no score (None), which pages show as such instead of dividing by zero.
Unanswered items (only possible before completion) are left out and counted separately.

One rule for rounding (the README's "How scores are rounded"): a percent is rounded once, half up, to the
whole number every page, chart and file shows (`Score.rounded`), and everything a reader compares is
computed from that shown number: a score is at or above its version's benchmark when the *shown* percent
is (79.6% shows "80%" and counts as at the benchmark of 80), and a change is the difference of the two
shown percents (83% -> 67% is -16 pts, never the -17 of the exact values).

The sums run in the database: two queries for any number of assessments. A completed assessment's sums
are stored when it is completed (`DriverTally`, written by `services.scores`), so its scores read a row per
driver; an assessment under way is summed from its answers.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from assessments.models import Assessment, DriverTally, Response
from drivers import lineage, scale
from drivers.models import DEFAULT_BENCHMARK, Driver


def whole(value: float | Fraction) -> int:
    """The one rounding rule: halves away from zero to a whole number (62.5% shows as 63%), as people round
    by hand; round() would give 62. Exact when given a Fraction."""
    return int(math.copysign(math.floor(abs(value) + Fraction(1, 2)), value))


@dataclass(frozen=True)
class Score:
    points: int = 0
    scored: int = 0  # items answered 2, 1 or 0
    not_applicable: int = 0
    unanswered: int = 0

    @property
    def possible(self) -> int:
        return scale.MAX_POINTS * self.scored

    @property
    def percent(self) -> float | None:
        return 100 * self.points / self.possible if self.scored else None

    @property
    def rounded(self) -> int | None:
        """The whole percent shown, from the exact fraction so that no float lands a hair below a half."""
        return whole(Fraction(100 * self.points, self.possible)) if self.scored else None

    def reaches(self, benchmark: int) -> bool:
        """At or above `benchmark` as the reader sees it: the shown percent, not the exact one."""
        return self.rounded is not None and self.rounded >= benchmark

    @property
    def label(self) -> str:
        if self.percent is not None:
            # Translators: a score in percent, e.g. "83%".
            return _("%(percent)d%%") % {"percent": self.rounded}
        if self.not_applicable and not self.unanswered:
            return _("no score (all N/A)")
        return _("no score (not answered)")

    def __add__(self, other: Score) -> Score:
        return Score(
            points=self.points + other.points,
            scored=self.scored + other.scored,
            not_applicable=self.not_applicable + other.not_applicable,
            unanswered=self.unanswered + other.unanswered,
        )


def change(now: Score | None, before: Score | None) -> int | None:
    """Percentage points gained since `before`, between the two shown percents (so that the change agrees
    with the numbers beside it); None when either side has no score."""
    if now is None or before is None or now.rounded is None or before.rounded is None:
        return None
    return now.rounded - before.rounded


@dataclass(frozen=True)
class DriverScore:
    code: str  # the driver's code in this assessment's version
    key: str  # its lineage key (drivers.lineage): the same driver in other versions has the same key
    name: str
    category_slug: str
    category_name: str
    score: Score


@dataclass(frozen=True)
class CategoryScore:
    slug: str
    name: str
    drivers: tuple[DriverScore, ...]

    @property
    def score(self) -> Score:
        return sum((d.score for d in self.drivers), Score())


@dataclass(frozen=True)
class AssessmentScores:
    assessment_id: int
    held_on: datetime.date
    status: str
    categories: tuple[CategoryScore, ...]
    # The working benchmark of the assessment's own version: teams on different versions meet in the
    # portfolio and in exports, and each is read against its own.
    benchmark: int = DEFAULT_BENCHMARK

    @property
    def overall(self) -> Score:
        return sum((c.score for c in self.categories), Score())

    @property
    def drivers(self) -> list[DriverScore]:
        return [d for c in self.categories for d in c.drivers]

    @property
    def is_official(self) -> bool:
        """Only a completed assessment's scores are the team's result; earlier ones are provisional."""
        return self.status == Assessment.Status.COMPLETED

    def driver(self, code: str) -> DriverScore | None:
        """The driver of this assessment's version with this code."""
        return next((d for d in self.drivers if d.code == code), None)

    def counterpart(self, key: str) -> DriverScore | None:
        """The driver with this lineage key: the same driver, whatever version another assessment is on."""
        return next((d for d in self.drivers if d.key == key), None)

    def counterpart_score(self, key: str) -> Score | None:
        driver = self.counterpart(key)
        return driver.score if driver else None

    def counterpart_percent(self, key: str) -> float | None:
        score = self.counterpart_score(key)
        return score.percent if score else None


def assessment_scores(*, assessments: Iterable[Assessment]) -> dict[int, AssessmentScores]:
    """Scores of many assessments at once (possibly of different versions), keyed by assessment id."""
    assessments = list(assessments)
    if not assessments:
        return {}
    drivers_of_version: dict[int, list[dict]] = {}
    for driver in (
        Driver.objects.filter(version_id__in={a.version_id for a in assessments})
        .annotate(items=Count("best_practices"))
        .order_by("category__order", "order")
        .values(
            "id",
            "version_id",
            "version__benchmark",
            "code",
            "name",
            "category__slug",
            "category__name",
            "items",
        )
        .annotate(key=lineage.driver_key_expression())
    ):
        drivers_of_version.setdefault(driver["version_id"], []).append(driver)
    completed = [a.pk for a in assessments if a.status == Assessment.Status.COMPLETED]
    under_way = [a.pk for a in assessments if a.status != Assessment.Status.COMPLETED]
    parts = [
        *([stored_tallies(completed)] if completed else []),
        *([answer_tallies(under_way)] if under_way else []),
    ]
    # One query either way: the stored rows and the sums of the answers read as one table.
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    tallies = {(row["assessment_id"], row["driver_id"]): row for row in rows}
    return {a.pk: _assessment(a, drivers_of_version.get(a.version_id, []), tallies) for a in assessments}


def answer_tallies(assessment_ids: Iterable[int]) -> QuerySet:
    """Per assessment and driver: points, items scored and items N/A, summed from the consensus answers.
    The columns (assessment_id, driver_id, points, scored, na) are those of `stored_tallies`."""
    return (
        Response.objects.filter(assessment__in=assessment_ids)
        .values("assessment_id", driver_id=F("item__driver_id"))
        .annotate(
            points=Coalesce(Sum("score"), 0),
            scored=Count("id", filter=Q(not_applicable=False)),
            na=Count("id", filter=Q(not_applicable=True)),
        )
        .order_by()
    )


def stored_tallies(assessment_ids: Iterable[int]) -> QuerySet:
    """The tallies stored when the assessments were completed, in the columns of `answer_tallies`."""
    return (
        DriverTally.objects.filter(assessment__in=assessment_ids)
        .values("assessment_id", "driver_id", "points", "scored", na=F("not_applicable"))
        .order_by()
    )


def _assessment(assessment: Assessment, drivers: list[dict], tallies: dict) -> AssessmentScores:
    by_category: dict[str, list[DriverScore]] = {}
    names: dict[str, str] = {}
    for driver in drivers:
        tally = tallies.get((assessment.pk, driver["id"]), {"points": 0, "scored": 0, "na": 0})
        score = Score(
            points=tally["points"],
            scored=tally["scored"],
            not_applicable=tally["na"],
            unanswered=driver["items"] - tally["scored"] - tally["na"],
        )
        slug = driver["category__slug"]
        names[slug] = driver["category__name"]
        by_category.setdefault(slug, []).append(
            DriverScore(
                code=driver["code"],
                key=driver["key"],
                name=driver["name"],
                category_slug=slug,
                category_name=driver["category__name"],
                score=score,
            )
        )
    return AssessmentScores(
        assessment_id=assessment.pk,
        held_on=assessment.held_on,
        status=assessment.status,
        # Read with the drivers (no query of its own); a version without drivers has nothing to compare.
        benchmark=drivers[0]["version__benchmark"] if drivers else DEFAULT_BENCHMARK,
        categories=tuple(
            CategoryScore(slug=slug, name=names[slug], drivers=tuple(ds)) for slug, ds in by_category.items()
        ),
    )


def below_benchmark(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Those of the completed `assessments` whose overall score, as shown, is below their version's
    benchmark, decided in the database from the stored tallies (a row per driver, not every answer) so that
    a filter over thousands of teams scores none of them in Python. An assessment under way has no stored
    tally and is never below.

    The same rule as `Score.reaches`: the shown percent is floor(100 * points / possible + 1/2), and for a
    whole benchmark b, floor(x) >= b exactly when x >= b; multiplied out by 2 * possible (> 0) that is
    200 * points + possible >= 2 * b * possible, in integers, with no rounding left to disagree on. An
    assessment with no scored item shows no score, so it is never below."""
    return (
        assessments.annotate(
            overall_points=Coalesce(Sum("driver_tallies__points"), 0),
            overall_possible=scale.MAX_POINTS * Coalesce(Sum("driver_tallies__scored"), 0),
        )
        .alias(
            shown_margin=200 * F("overall_points")
            + F("overall_possible")
            - 2 * F("version__benchmark") * F("overall_possible")
        )
        .filter(overall_possible__gt=0, shown_margin__lt=0)
    )
