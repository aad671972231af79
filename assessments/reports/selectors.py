"""Reading the data of the results, progress and portfolio pages.

Each function runs a fixed number of queries, however many teams, assessments or items there are; scores
come from `assessments.scoring`, and items and drivers are matched across framework versions through
`drivers.lineage`.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from assessments.models import Assessment, Organization, Response, Team, Vote
from assessments.scoring import AssessmentScores, DriverScore, assessment_scores, below_benchmark, change
from assessments.selectors import NextAssessment, next_assessment
from drivers import lineage, scale
from drivers.models import BestPractice, framework_order
from drivers.selectors import item_count_of_version

COMPLETED = Assessment.Status.COMPLETED


def previous_completed(*, assessment: Assessment) -> Assessment | None:
    """The team's completed assessment just before this one: what "change since last time" compares with."""
    return (
        Assessment.objects.filter(team_id=assessment.team_id, status=COMPLETED)
        .filter(Q(held_on__lt=assessment.held_on) | Q(held_on=assessment.held_on, pk__lt=assessment.pk))
        .order_by("-held_on", "-pk")
        .first()
    )


@dataclass(frozen=True)
class Results:
    assessment: Assessment
    scores: AssessmentScores
    previous: Assessment | None
    previous_scores: AssessmentScores | None

    def previous_driver(self, driver: DriverScore) -> DriverScore | None:
        """The same driver in the previous assessment, whatever version that was on."""
        return self.previous_scores.counterpart(driver.key) if self.previous_scores else None


def assessment_results(*, assessment: Assessment) -> Results:
    previous = previous_completed(assessment=assessment)
    scores = assessment_scores(assessments=[assessment, previous] if previous else [assessment])
    return Results(
        assessment=assessment,
        scores=scores[assessment.pk],
        previous=previous,
        previous_scores=scores[previous.pk] if previous else None,
    )


@dataclass
class ItemDetail:
    item: BestPractice
    response: Response | None
    tally: Counter
    previous: Response | None

    @property
    def spread(self) -> list[tuple[str, str, int]]:
        return Vote.spread(self.tally)

    @property
    def votes(self) -> int:
        return sum(self.tally.values())

    @property
    def change(self) -> int | None:
        """Points gained since the previous assessment; None when either side is N/A or missing."""
        if self.response is None or self.previous is None:
            return None
        if self.response.score is None or self.previous.score is None:
            return None
        return self.response.score - self.previous.score


@dataclass
class DriverItems:
    score: DriverScore
    previous: DriverScore | None
    items: list[ItemDetail] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        return change(self.score.score, self.previous.score if self.previous else None)

    @property
    def provenance(self) -> str:
        """Where the driver's text comes from ("source" or "implhub"), read with its items' drivers."""
        return self.items[0].item.driver.provenance if self.items else ""


def driver_items(*, results: Results, driver_code: str | None = None) -> list[DriverItems]:
    """Each driver's items with consensus answer, evidence, vote spread and last time's answer.

    All drivers, or only `driver_code`'s (an empty list when the version has no such driver).
    """
    assessment = results.assessment
    items = BestPractice.objects.filter(version_id=assessment.version_id).select_related("driver")
    if driver_code is not None:
        items = items.filter(driver__code=driver_code)
    items = list(items.order_by(*framework_order()))
    responses = {r.item_id: r for r in Response.objects.filter(assessment=assessment, item__in=items)}
    tallies: dict[int, Counter] = defaultdict(Counter)
    for row in (
        Vote.objects.filter(assessment=assessment, item__in=items)
        .values("item_id", "answer")
        .annotate(n=Count("id"))
        .order_by()
    ):
        tallies[row["item_id"]][row["answer"]] = row["n"]
    before = {}
    if results.previous is not None:
        keys = {lineage.item_key(i) for i in items}
        before = {
            r.key: r
            for r in Response.objects.filter(assessment=results.previous)
            .annotate(key=lineage.item_key_expression("item"))
            .filter(key__in=keys)
        }
    sections: dict[str, DriverItems] = {}
    for item in items:
        code = item.driver.code
        if code not in sections:
            score = results.scores.driver(code)
            sections[code] = DriverItems(score=score, previous=results.previous_driver(score))
        sections[code].items.append(
            ItemDetail(
                item=item,
                response=responses.get(item.pk),
                tally=tallies[item.pk],
                previous=before.get(lineage.item_key(item)),
            )
        )
    return list(sections.values())


@dataclass(frozen=True)
class ItemCell:
    score: int | None
    not_applicable: bool

    @property
    def label(self) -> str:
        return str(scale.NOT_APPLICABLE_SHORT) if self.not_applicable else str(self.score)


@dataclass(frozen=True)
class ItemHistory:
    code: str  # as the newest version that has the item writes it
    statement: str
    driver_name: str
    cells: tuple[ItemCell | None, ...]  # one per assessment; None: not in that version or not answered


@dataclass(frozen=True)
class Progress:
    assessments: list[Assessment]  # completed, oldest first
    scores: list[AssessmentScores]
    items: list[ItemHistory]


def team_progress(*, team: Team) -> Progress:
    """The team's completed assessments over time, items matched across versions by lineage."""
    assessments = list(
        team.assessments.filter(status=COMPLETED).select_related("version").order_by("held_on", "pk")
    )
    scores = assessment_scores(assessments=assessments)
    answers = {
        (r["assessment_id"], r["key"]): ItemCell(score=r["score"], not_applicable=r["not_applicable"])
        for r in Response.objects.filter(assessment__in=assessments).values(
            "assessment_id", "score", "not_applicable", key=lineage.item_key_expression("item")
        )
    }
    # Rows follow the newest version's order (the words the team uses now); retired items follow.
    rank = {a.version_id: n for n, a in enumerate(reversed(assessments))}
    seen: dict[str, dict] = {}
    for item in (
        BestPractice.objects.filter(version_id__in=rank)
        .order_by(*framework_order())
        .values("code", "statement", "version_id", "driver__name", key=lineage.item_key_expression())
    ):
        known = seen.get(item["key"])
        if known is None or rank[item["version_id"]] < rank[known["version_id"]]:
            seen[item["key"]] = item
    ordered = sorted(seen.values(), key=lambda i: rank[i["version_id"]])
    return Progress(
        assessments=assessments,
        scores=[scores[a.pk] for a in assessments],
        items=[
            ItemHistory(
                code=i["code"],
                statement=i["statement"],
                driver_name=i["driver__name"],
                cells=tuple(answers.get((a.pk, i["key"])) for a in assessments),
            )
            for i in ordered
        ],
    )


@dataclass(frozen=True)
class TeamStanding:
    team: Team
    latest: AssessmentScores | None
    previous: AssessmentScores | None
    next_assessment: NextAssessment

    @property
    def overdue(self) -> bool:
        """Past its next assessment date by the team's own interval (or never assessed)."""
        return self.next_assessment.overdue

    @property
    def overall_change(self) -> float | None:
        if self.latest is None or self.previous is None:
            return None
        return change(self.latest.overall, self.previous.overall)

    def driver_change(self, key: str) -> float | None:
        """Change of the driver with this lineage key since the team's previous completed assessment."""
        if self.latest is None or self.previous is None:
            return None
        return change(self.latest.counterpart_score(key), self.previous.counterpart_score(key))

    @property
    def fallen_drivers(self) -> list[tuple[DriverScore, int]]:
        """(driver of the latest assessment, change) of drivers that lost ground since last time: what a
        coach asks about."""
        if self.latest is None:
            return []
        changes = [(d, self.driver_change(d.key)) for d in self.latest.drivers]
        return [(driver, delta) for driver, delta in changes if delta is not None and delta < 0]

    @property
    def fallen(self) -> list[tuple[str, float]]:
        """(driver name, change) of the drivers that fell, for the portfolio's table."""
        return [(driver.name, delta) for driver, delta in self.fallen_drivers]


@dataclass(frozen=True)
class Portfolio:
    standings: list[TeamStanding]  # the teams of this page
    drivers: list[tuple[str, str]]  # (lineage key, name): the heatmap's columns
    waiting: list[Assessment]  # of this page's teams, annotated with `answered` and `total` items
    page: Page  # of the filtered teams, PORTFOLIO_PAGE_SIZE a page

    @property
    def overdue(self) -> list[TeamStanding]:
        """This page's teams past their next assessment date, longest overdue first (never assessed at the
        top)."""
        overdue = [s for s in self.standings if s.overdue]
        return sorted(overdue, key=lambda s: s.next_assessment.due_on or datetime.date.min)


PORTFOLIO_PAGE_SIZE = 50


def portfolio_organizations(*, teams: QuerySet[Team]) -> list[Organization]:
    """The organizations of the visible teams: the portfolio's organization filter."""
    return list(Organization.objects.filter(teams__in=teams.values("pk")).distinct().order_by("name"))


def coach_portfolio(
    *,
    teams: QuerySet[Team],
    organization_id: int | None = None,
    level: str | None = None,
    below_benchmark: bool = False,
    due: bool = False,
    page: int | str | None = None,
    today: datetime.date | None = None,
) -> Portfolio:
    """Where each visible team of one page stands: latest and previous completed scores, when its next
    assessment is due, open work. Only the page's teams are scored, so a page costs the same whatever the
    number of teams; the filters run over all of them first."""
    if organization_id is not None:
        teams = teams.filter(organization_id=organization_id)
    if level:
        teams = teams.filter(level=level)
    if below_benchmark:
        teams = teams.filter(pk__in=_latest_below_benchmark(teams))
    if due:
        teams = teams.filter(pk__in=_overdue_ids(teams, today=today))
    ordered = teams.select_related("organization").order_by("organization__name", "name", "pk")
    page_of_teams = Paginator(ordered, PORTFOLIO_PAGE_SIZE).get_page(page)
    teams = list(page_of_teams.object_list)
    recent = list(
        Assessment.objects.filter(team__in=teams, status=COMPLETED)
        .annotate(
            recency=Window(
                RowNumber(), partition_by=[F("team_id")], order_by=[F("held_on").desc(), F("pk").desc()]
            )
        )
        .filter(recency__lte=2)
        .order_by("team_id", "recency")
    )
    scores = assessment_scores(assessments=recent)
    by_team: dict[int, list[AssessmentScores]] = defaultdict(list)
    for assessment in recent:
        by_team[assessment.team_id].append(scores[assessment.pk])
    waiting = _waiting(teams)
    running = {assessment.team_id for assessment in waiting}
    standings = []
    for team in teams:
        latest, previous = [*by_team[team.pk], None, None][:2]
        due_then = next_assessment(
            team=team,
            latest_held_on=latest.held_on if latest else None,
            today=today,
            underway=team.pk in running,
        )
        standings.append(TeamStanding(team=team, latest=latest, previous=previous, next_assessment=due_then))
    drivers: dict[str, str] = {}
    for standing in standings:
        for driver in standing.latest.drivers if standing.latest else []:
            drivers.setdefault(driver.key, driver.name)
    return Portfolio(standings=standings, drivers=list(drivers.items()), waiting=waiting, page=page_of_teams)


def _latest_completed() -> Subquery:
    return Subquery(
        Assessment.objects.filter(team=OuterRef("pk"), status=COMPLETED)
        .order_by("-held_on", "-pk")
        .values("pk")[:1]
    )


def _latest_below_benchmark(teams: QuerySet[Team]) -> QuerySet[Assessment]:
    """Ids of the teams whose latest completed assessment shows an overall score below its version's
    benchmark: one query, summed in the database over the latest assessment of every team."""
    latest = Assessment.objects.filter(pk__in=teams.annotate(latest=_latest_completed()).values("latest"))
    return below_benchmark(latest).values("team_id")


def _overdue_ids(teams: QuerySet[Team], *, today: datetime.date | None) -> list[int]:
    """Ids of the teams past their next assessment date. The cadence is a rule in Python (months of each
    team's own interval, `next_assessment`), so this reads one row per team (id, interval, latest date)
    and scores nothing."""
    rows = (
        teams.select_related(None)
        .only("pk", "assessment_interval_months")
        .order_by()
        .annotate(latest_held_on=Max("assessments__held_on", filter=Q(assessments__status=COMPLETED)))
    )
    return [
        team.pk
        for team in rows
        if next_assessment(team=team, latest_held_on=team.latest_held_on, today=today).overdue
    ]


def _waiting(teams: list[Team]) -> list[Assessment]:
    """Assessments not yet completed, with how many items have a consensus answer."""
    return list(
        Assessment.objects.filter(team__in=teams)
        .exclude(status=COMPLETED)
        .select_related("team__organization")
        .annotate(answered=Count("responses"), total=item_count_of_version())
        .order_by("held_on", "pk")
    )
