"""The coach queue: one list, across the teams a person coaches, of what needs the coach now.

Entries come in this order of kinds, each kind in its own order:

1. overdue actions: open (planned or in progress) and due before today; most overdue first;
2. assessments waiting for consensus; oldest first;
3. teams past their next assessment date (`Team.next_assessment_due` of the latest completed assessment),
   or with no completed assessment at all (the baseline is due), and none under way: an assessment open
   or in consensus means the team is already at it; the longest overdue first;
4. drivers that fell between the team's two latest completed assessments (the portfolio's standings,
   scores from `assessments.scoring`); largest fall first;
5. items whose votes stayed far apart (someone voted 2 and someone 0) in both of the team's two latest
   completed assessments, the items matched across versions through `drivers.lineage`;
6. comments that the team's members (and facilitators) wrote and the coach has not marked seen; oldest
   first.

Marking seen. Each entry has a key; "Mark seen" stores it as a `Seen` row of the coach and the entry
leaves the list. A key names the entry *and the state it was seen in*, so that an entry that changes
comes back:

    overdue:<action id>:<due date>        a new due date that passes again is a new entry
    consensus:<assessment id>:<revealed>  reopened and back in consensus (voting closed anew): new entry
    due:<team id>:<due date>|first        the next due date after a new assessment is a new entry
    fell:<assessment id>:<driver key>     per latest completed assessment and driver (lineage key)
    apart:<assessment id>:<item key>      per latest completed assessment and item (lineage key)
    comment:<comment id>                  the same key the team page's "New comments" marks

A key is at most 80 characters (Seen.key): ids, ISO dates and lineage keys keep it well under.

The queue runs a fixed number of queries, whatever the number of teams, actions or comments.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.utils import timezone

from assessments.actions.models import ActionItem, Comment, Seen
from assessments.actions.selectors.comments import by_team_members, comments_new_to, seen_key, with_subject
from assessments.models import Assessment, Team, Vote
from assessments.reports.selectors import TeamStanding, coach_portfolio
from assessments.scoring import DriverScore
from drivers import lineage, scale


class Kind(StrEnum):
    OVERDUE = "overdue"
    CONSENSUS = "consensus"
    DUE = "due"
    FELL = "fell"
    APART = "apart"
    COMMENT = "comment"


@dataclass(frozen=True)
class Overdue:
    action: ActionItem
    days: int  # past its due date
    kind = Kind.OVERDUE

    @property
    def team(self) -> Team:
        return self.action.team

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.action.pk}:{self.action.due_on.isoformat()}"


@dataclass(frozen=True)
class Waiting:
    assessment: Assessment  # annotated with `answered` and `total` items
    kind = Kind.CONSENSUS

    @property
    def team(self) -> Team:
        return self.assessment.team

    @property
    def key(self) -> str:
        revealed = self.assessment.revealed_at.isoformat() if self.assessment.revealed_at else ""
        return f"{self.kind}:{self.assessment.pk}:{revealed}"


@dataclass(frozen=True)
class Due:
    team: Team
    due_on: datetime.date | None  # None: no completed assessment yet
    kind = Kind.DUE

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.team.pk}:{self.due_on.isoformat() if self.due_on else 'first'}"


@dataclass(frozen=True)
class Fell:
    standing: TeamStanding
    driver: DriverScore  # in the latest completed assessment
    change: int  # percentage points, negative
    kind = Kind.FELL

    @property
    def team(self) -> Team:
        return self.standing.team

    @property
    def was(self) -> DriverScore:
        return self.standing.previous.counterpart(self.driver.key)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.standing.latest.assessment_id}:{self.driver.key}"


@dataclass(frozen=True)
class Apart:
    standing: TeamStanding
    item_key: str
    code: str  # as the latest assessment's version writes it
    statement: str
    driver_code: str
    kind = Kind.APART

    @property
    def team(self) -> Team:
        return self.standing.team

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.standing.latest.assessment_id}:{self.item_key}"


@dataclass(frozen=True)
class NewComment:
    comment: Comment
    kind = Kind.COMMENT

    @property
    def team(self) -> Team:
        return self.comment.team

    @property
    def key(self) -> str:
        return seen_key(self.comment.pk)


Entry = Overdue | Waiting | Due | Fell | Apart | NewComment


@dataclass(frozen=True)
class CoachQueue:
    entries: list[Entry]
    teams: int  # how many teams the person coaches


def coach_queue(
    *, user: AbstractBaseUser, today: datetime.date | None = None, team: Team | None = None
) -> CoachQueue | None:
    """The queue of the teams `user` coaches (only `team`, when given), without what they marked seen;
    None for a person who coaches no team: members, admins and staff have no queue."""
    today = today or timezone.localdate()
    coached = Team.objects.filter(coach_assignments__coach_id=user.pk)
    if team is not None:
        coached = coached.filter(pk=team.pk)
    team_ids = list(coached.values_list("pk", flat=True))
    if not team_ids:
        return None
    portfolio = coach_portfolio(teams=Team.objects.filter(pk__in=team_ids), today=today)
    standings = portfolio.standings
    entries: list[Entry] = [
        Overdue(action=action, days=(today - action.due_on).days) for action in _overdue(team_ids, today)
    ]
    entries += [Waiting(a) for a in portfolio.waiting if a.status == Assessment.Status.CONSENSUS]
    entries += _due(standings, today)
    entries += sorted(
        (Fell(s, driver, delta) for s in standings for driver, delta in s.fallen_drivers),
        key=lambda entry: entry.change,
    )
    entries += _apart(standings)
    seen = set(
        Seen.objects.filter(user_id=user.pk, key__in=[e.key for e in entries]).values_list("key", flat=True)
    )
    entries = [e for e in entries if e.key not in seen]
    # Seen comments are left out by the query itself (a team may have many comments).
    comments = with_subject(comments_new_to(user=user, teams=team_ids).filter(by_team_members()))
    entries += [NewComment(c) for c in comments.order_by("created_at", "pk")]
    return CoachQueue(entries=entries, teams=len(team_ids))


def markable_keys(*, user: AbstractBaseUser, team: Team) -> set[str]:
    """The keys `user` may mark seen in `team` now: their queue's entries there, and the team's comments new
    to them. Anything else (another team's, a made-up key) is not theirs to mark."""
    queue = coach_queue(user=user, team=team)
    keys = {e.key for e in queue.entries} if queue else set()
    new = comments_new_to(user=user, teams=[team.pk]).values_list("pk", flat=True)
    return keys | {seen_key(pk) for pk in new}


def _overdue(team_ids: list[int], today: datetime.date) -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(team_id__in=team_ids, status__in=ActionItem.OPEN, due_on__lt=today)
        .select_related("team__organization", "owner", "driver")
        .order_by("due_on", "pk")
    )


def _due(standings: list[TeamStanding], today: datetime.date) -> list[Due]:
    """Teams past their next assessment date by the cadence's one rule, none under way."""
    due = [
        Due(team=s.team, due_on=s.next_assessment.due_on)
        for s in standings
        if s.next_assessment.overdue and not s.next_assessment.underway
    ]
    return sorted(due, key=lambda entry: (entry.due_on is not None, entry.due_on or today))


def _apart(standings: list[TeamStanding]) -> list[Apart]:
    """Items voted both 2 and 0 in each of the team's two latest completed assessments, in one query."""
    pairs = [s for s in standings if s.latest is not None and s.previous is not None]
    ids = [a.assessment_id for s in pairs for a in (s.latest, s.previous)]
    if not ids:
        return []
    apart: dict[int, dict[str, dict]] = defaultdict(dict)
    for row in (
        Vote.objects.filter(assessment_id__in=ids)
        .values(
            "assessment_id",
            "item__code",
            "item__statement",
            "item__driver__code",
            key=lineage.item_key_expression("item"),
        )
        .annotate(
            high=Count("pk", filter=Q(answer=str(scale.IN_PLACE))),
            low=Count("pk", filter=Q(answer=str(scale.NOT_IN_PLACE))),
        )
        .filter(high__gt=0, low__gt=0)
        .order_by("item__driver__category__order", "item__driver__order", "item__order")
    ):
        apart[row["assessment_id"]][row["key"]] = row
    return [
        Apart(
            standing=s,
            item_key=key,
            code=row["item__code"],
            statement=row["item__statement"],
            driver_code=row["item__driver__code"],
        )
        for s in pairs
        for key, row in apart[s.latest.assessment_id].items()
        if key in apart[s.previous.assessment_id]
    ]
