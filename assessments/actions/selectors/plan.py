"""Reading a team's action plan: its actions grouped by driver, one action, the summary on the team page,
the items an action may be planned on, and the actions that came from one assessment.

Each function runs a fixed number of queries, however many teams, actions, items or notes there are. A
team's actions are read whole and filtered here: a plan holds dozens of actions, and the filter's owner
list and the count of hidden actions come from the same read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from assessments.actions.models import ActionItem, ProgressNote
from assessments.actions.selectors.loop import ActionOutcome, action_outcomes
from assessments.models import Assessment, Response, Team
from drivers import lineage, scale
from drivers.models import BestPractice, Driver, FrameworkVersion

# The assessments an action may come from: those with results (completed, or in consensus: a team often
# drafts its actions at the end of the meeting, before the last answers are in).
PLANNABLE = (Assessment.Status.CONSENSUS, Assessment.Status.COMPLETED)
# The status filter's own values beside the statuses: every open action, and the open ones past due.
OPEN, OVERDUE = "open", "overdue"


def not_fully_in_place(response: Response | None) -> bool:
    """Whether an item's consensus answer leaves something to do: partially or not in place, or no answer
    yet (nobody knows it is in place). Not applicable items are not planned on."""
    if response is None:
        return True
    return not response.not_applicable and response.score < scale.IN_PLACE


@dataclass(frozen=True)
class PlanRow:
    action: ActionItem
    codes: list[str]  # the codes of its items, in the framework order
    notes: list[ProgressNote]  # oldest first
    overdue: bool
    outcome: ActionOutcome | None = None  # what happened to its items by the next assessment (the loop)

    @property
    def latest_note(self) -> ProgressNote | None:
        return self.notes[-1] if self.notes else None


@dataclass(frozen=True)
class PlanGroup:
    key: str  # the driver's lineage key: actions on that driver in any version
    name: str  # as the newest version with that driver names it
    rows: list[PlanRow]


@dataclass(frozen=True)
class OwnerChoice:
    value: str  # what the filter sends: "user-<id>" or "name-<name>"
    label: str


@dataclass(frozen=True)
class Plan:
    groups: list[PlanGroup]
    total: int  # the team's actions, whatever the filters
    shown: int
    owners: list[OwnerChoice]  # the team's members, then other owners of its actions

    @property
    def rows(self) -> list[PlanRow]:
        return [row for group in self.groups for row in group.rows]


def _actions(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return queryset.select_related("driver", "owner", "assessment").prefetch_related(
        Prefetch("items", queryset=BestPractice.objects.order_by("order")),
        Prefetch("notes", queryset=ProgressNote.objects.select_related("author")),
    )


def _row(action: ActionItem, today: datetime.date) -> PlanRow:
    return PlanRow(
        action=action,
        codes=[item.code for item in action.items.all()],
        notes=list(action.notes.all()),
        overdue=action.overdue_on(today),
    )


def _row_order(row: PlanRow) -> tuple:
    """Open actions first, soonest due first (undated last), then in the order they were made."""
    action = row.action
    return (not action.is_open, action.due_on is None, action.due_on or datetime.date.min, action.pk)


def _owner_value(action: ActionItem) -> str:
    return f"user-{action.owner_id}" if action.owner_id else f"name-{action.owner_name}"


def _wanted(row: PlanRow, *, status: str, owner: str) -> bool:
    action = row.action
    if status == OPEN and not action.is_open:
        return False
    if status == OVERDUE and not row.overdue:
        return False
    if status not in ("", OPEN, OVERDUE) and action.status != status:
        return False
    return not owner or _owner_value(action) == owner


def _driver_names(drivers: list[Driver]) -> dict[str, tuple[tuple, str]]:
    """For each lineage key of `drivers`: (rank, name) as the newest non-draft version of the framework
    that has that driver gives them. The rank puts the newest version's drivers first, in framework order,
    and drivers that left the content after them."""
    keys = {lineage.driver_key(d) for d in drivers}
    frameworks = {d.version.framework_id for d in drivers}
    named: dict[str, tuple[tuple, str]] = {}
    for row in (
        Driver.objects.filter(version__framework_id__in=frameworks)
        .annotate(key=lineage.driver_key_expression())
        .filter(key__in=keys)
        .exclude(version__status=FrameworkVersion.Status.DRAFT)
        .order_by("-version__number")
        .values("key", "name", "order", "category__order", "version__number")
    ):
        if row["key"] not in named:
            named[row["key"]] = ((-row["version__number"], row["category__order"], row["order"]), row["name"])
    return named


def _owners(team: Team, actions: list[ActionItem]) -> list[OwnerChoice]:
    members = team_owner_candidates(team=team, active_only=False)
    choices = [OwnerChoice(f"user-{u.pk}", u.get_full_name() or u.get_username()) for u in members]
    known = {c.value for c in choices}
    for action in sorted(actions, key=lambda a: a.owner_label.casefold()):
        value = _owner_value(action)
        if value not in known and action.owner_label:
            known.add(value)
            choices.append(OwnerChoice(value, action.owner_label))
    return choices


def team_plan(*, team: Team, status: str = "", owner: str = "", today: datetime.date | None = None) -> Plan:
    """The team's actions grouped by driver (lineage key), filtered by status ("", "open", "overdue" or a
    status) and owner ("", or an OwnerChoice value), overdue ones marked."""
    today = today or timezone.localdate()
    actions = list(_actions(ActionItem.objects.filter(team=team)).select_related("driver__version"))
    outcomes = action_outcomes(actions=actions)
    rows = [replace(_row(action, today), outcome=outcomes.get(action.pk)) for action in actions]
    shown = [row for row in rows if _wanted(row, status=status, owner=owner)]
    names = _driver_names([a.driver for a in actions]) if actions else {}
    grouped: dict[str, list[PlanRow]] = {}
    for row in shown:
        grouped.setdefault(lineage.driver_key(row.action.driver), []).append(row)
    for row in shown:  # a driver only a draft names (no assessment is on one) keeps its own name, last
        names.setdefault(lineage.driver_key(row.action.driver), ((0, 0, 0), row.action.driver.name))
    groups = [
        PlanGroup(key=key, name=names[key][1], rows=sorted(group, key=_row_order))
        for key, group in sorted(grouped.items(), key=lambda entry: names[entry[0]][0])
    ]
    return Plan(groups=groups, total=len(rows), shown=len(shown), owners=_owners(team, actions))


def team_action(*, team: Team, action_id: int, today: datetime.date | None = None) -> PlanRow | None:
    """One action of the team (None for another team's): what its page shows."""
    action = (
        _actions(ActionItem.objects.filter(team=team, pk=action_id))
        .select_related("assessment__version", "created_by")
        .first()
    )
    if action is None:
        return None
    outcome = action_outcomes(actions=[action]).get(action.pk)
    return replace(_row(action, today or timezone.localdate()), outcome=outcome)


@dataclass(frozen=True)
class PlanSummary:
    open: int
    overdue: int
    total: int


def team_plan_summary(*, team: Team, today: datetime.date | None = None) -> PlanSummary:
    """How many of the team's actions are open and overdue: the line on the team page."""
    today = today or timezone.localdate()
    is_open = Q(status__in=ActionItem.OPEN)
    counts = ActionItem.objects.filter(team=team).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_on__lt=today)),
    )
    return PlanSummary(**counts)


def team_owner_candidates(*, team: Team, active_only: bool = True) -> QuerySet:
    """The people an action of the team may be given to: its facilitators and members, by name."""
    users = get_user_model().objects.filter(memberships__team=team)
    if active_only:
        users = users.filter(is_active=True)
    return users.order_by("first_name", "last_name", "username")


@dataclass(frozen=True)
class ActionSource:
    """Where a new action comes from: an assessment with results, the driver it strengthens, the driver's
    items in the assessment's version, and the codes to tick at first."""

    assessment: Assessment
    driver: Driver
    items: QuerySet[BestPractice]
    chosen: list[str]


def plannable_assessments(*, team: Team) -> QuerySet[Assessment]:
    return team.assessments.filter(status__in=PLANNABLE).select_related("version__framework")


def action_source(
    *, team: Team, assessment_id: int, driver_code: str = "", item_code: str = ""
) -> ActionSource | None:
    """The source named by a link's `assessment` and `item` or `driver`: None when the assessment is not the
    team's or has no results yet, or its version has no such item or driver."""
    assessment = plannable_assessments(team=team).filter(pk=assessment_id).first()
    if assessment is None:
        return None
    chosen = []
    if item_code:
        item = (
            BestPractice.objects.filter(version_id=assessment.version_id, code=item_code)
            .select_related("driver")
            .first()
        )
        driver = item.driver if item else None
        chosen = [item_code]
    else:
        driver = Driver.objects.filter(version_id=assessment.version_id, code=driver_code).first()
    if driver is None:
        return None
    return ActionSource(
        assessment=assessment, driver=driver, items=driver_items(driver=driver), chosen=chosen
    )


def driver_items(*, driver: Driver) -> QuerySet[BestPractice]:
    """The best practices an action on `driver` may name: the driver's own, in its version."""
    return driver.best_practices.order_by("order")


@dataclass(frozen=True)
class PlanStart:
    assessment: Assessment
    drivers: list[Driver]


def plan_starts(*, team: Team) -> list[PlanStart]:
    """The team's assessments with results, newest first, each with its version's drivers: where a new
    action without a link starts."""
    assessments = list(plannable_assessments(team=team))
    drivers: dict[int, list[Driver]] = {}
    for driver in Driver.objects.filter(version_id__in={a.version_id for a in assessments}).order_by(
        "version_id", "category__order", "order"
    ):
        drivers.setdefault(driver.version_id, []).append(driver)
    return [PlanStart(assessment=a, drivers=drivers.get(a.version_id, [])) for a in assessments]


def assessment_actions(*, assessment: Assessment, today: datetime.date | None = None) -> list[PlanRow]:
    """The actions that came from this assessment, by driver in the framework order: the report's plan."""
    today = today or timezone.localdate()
    actions = _actions(
        ActionItem.objects.filter(assessment=assessment).order_by(
            "driver__category__order", "driver__order", "due_on", "pk"
        )
    )
    return [_row(action, today) for action in actions]


def owner_of(*, plan: Plan, user: AbstractBaseUser) -> str | None:
    """The owner filter's value that means "my actions", when the user is among the plan's owners."""
    value = f"user-{user.pk}"
    return value if any(choice.value == value for choice in plan.owners) else None
