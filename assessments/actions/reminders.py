"""The daily reminder digest (`manage.py send_reminders`): one e-mail a day at most to each person, listing

- the assessments open for votes on which they (a member: members vote, facilitators lead) have not
  answered every best practice;
- the open actions they own that are due in the next week or overdue;
- for a facilitator, their team's next assessment when it is due (by the team's interval) in the next week
  or overdue, unless the team is already running one.

Only people who want reminders get them (Profile.reminder_emails; no profile yet means yes), with an active
account and an e-mail address. What each person was sent is recorded (ReminderDigest, one a person a day),
in the transaction that sends it: a second run on the same day finds the record and sends nothing, and a
message the mail server refuses is not recorded, so the next run tries again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.template.loader import render_to_string

from assessments.actions.models import ActionItem, ReminderDigest
from assessments.models import Assessment, Membership, Team, Vote
from assessments.selectors import NextAssessment, next_assessment
from drivers.selectors import item_count_of_version

# An action or an assessment due within this many days is worth a reminder; an overdue one always is.
SOON_DAYS = 7


@dataclass(frozen=True)
class VoteReminder:
    assessment: Assessment  # with its team
    answered: int
    total: int

    def record(self) -> dict:
        return {
            "kind": "vote",
            "assessment": self.assessment.pk,
            "answered": self.answered,
            "total": self.total,
        }


@dataclass(frozen=True)
class ActionReminder:
    action: ActionItem  # with its team
    overdue: bool

    def record(self) -> dict:
        return {"kind": "action", "action": self.action.pk, "due_on": self.action.due_on.isoformat()}


@dataclass(frozen=True)
class AssessmentReminder:
    team: Team
    next_assessment: NextAssessment

    def record(self) -> dict:
        due_on = self.next_assessment.due_on
        return {
            "kind": "assessment_due",
            "team": self.team.pk,
            "due_on": due_on.isoformat() if due_on else None,
        }


@dataclass
class Digest:
    """What one person is reminded of on one day."""

    user: AbstractBaseUser
    votes: list[VoteReminder] = field(default_factory=list)
    actions: list[ActionReminder] = field(default_factory=list)
    assessments: list[AssessmentReminder] = field(default_factory=list)

    @property
    def entries(self) -> list[VoteReminder | ActionReminder | AssessmentReminder]:
        return [*self.votes, *self.actions, *self.assessments]

    def records(self) -> list[dict]:
        return [entry.record() for entry in self.entries]


@dataclass(frozen=True)
class ReminderRun:
    on: datetime.date
    dry_run: bool
    sent: int  # digests sent (or, in a dry run, that would be)
    entries: int  # what they list, all together
    already: int  # people with something to hear who already had the day's digest


def reminder_digests(*, on: datetime.date) -> tuple[list[Digest], int]:
    """The digests due on day `on`, people in username order, and how many people with something to hear
    already had theirs that day. A fixed number of queries, however many teams, people and actions."""
    by_user: dict[int, dict[str, list]] = {}

    def add(user_id: int, kind: str, entry) -> None:
        by_user.setdefault(user_id, {"votes": [], "actions": [], "assessments": []})[kind].append(entry)

    for user_id, reminder in _unfinished_votes():
        add(user_id, "votes", reminder)
    for user_id, reminder in _actions_due(on):
        add(user_id, "actions", reminder)
    for user_id, reminder in _assessments_due(on):
        add(user_id, "assessments", reminder)
    recipients = (
        get_user_model()
        .objects.filter(pk__in=by_user, is_active=True)
        .exclude(email="")
        .filter(Q(profile__isnull=True) | Q(profile__reminder_emails=True))
        .annotate(reminded=Exists(ReminderDigest.objects.filter(user_id=OuterRef("pk"), sent_on=on)))
        .order_by("username")
    )
    digests, already = [], 0
    for user in recipients:
        if user.reminded:
            already += 1
        else:
            digests.append(Digest(user=user, **by_user[user.pk]))
    return digests, already


def _unfinished_votes():
    """(member id, reminder) for each open assessment a member of its team has not finished voting on."""
    assessments = {
        a.pk: a
        for a in Assessment.objects.filter(status=Assessment.Status.OPEN)
        .select_related("team")
        .annotate(total=item_count_of_version())
    }
    answered = {
        (row["assessment_id"], row["member_id"]): row["n"]
        for row in Vote.objects.filter(
            assessment_id__in=assessments, item__version_id=F("assessment__version_id")
        )
        .values("assessment_id", "member_id")
        .annotate(n=Count("pk"))
    }
    voters = Membership.objects.filter(
        team_id__in={a.team_id for a in assessments.values()}, role=Membership.Role.MEMBER
    ).values_list("team_id", "user_id")
    by_team: dict[int, list[int]] = {}
    for team_id, user_id in voters:
        by_team.setdefault(team_id, []).append(user_id)
    for assessment in sorted(assessments.values(), key=lambda a: (a.held_on, a.pk)):
        for user_id in by_team.get(assessment.team_id, []):
            done = answered.get((assessment.pk, user_id), 0)
            if done < (assessment.total or 0):
                yield user_id, VoteReminder(assessment=assessment, answered=done, total=assessment.total)


def _actions_due(on: datetime.date):
    """(owner id, reminder) for each open action due within a week of `on` or before it, whose owner is
    still on the action's team."""
    on_the_team = Membership.objects.filter(team_id=OuterRef("team_id"), user_id=OuterRef("owner_id"))
    actions = (
        ActionItem.objects.filter(
            Exists(on_the_team),
            status__in=ActionItem.OPEN,
            due_on__lte=on + datetime.timedelta(days=SOON_DAYS),
        )
        .select_related("team")
        .order_by("due_on", "pk")
    )
    for action in actions:
        yield action.owner_id, ActionReminder(action=action, overdue=action.due_on < on)


def _assessments_due(on: datetime.date):
    """(facilitator id, reminder) for each team whose next assessment is due within a week of `on` or
    overdue, and that is not running one already (its voters are reminded of that one)."""
    running = Assessment.objects.filter(team_id=OuterRef("pk")).exclude(status=Assessment.Status.COMPLETED)
    teams = {
        team.pk: team
        for team in Team.objects.filter(~Exists(running)).annotate(
            latest_held_on=Max(
                "assessments__held_on", filter=Q(assessments__status=Assessment.Status.COMPLETED)
            )
        )
    }
    facilitators = Membership.objects.filter(team_id__in=teams, role=Membership.Role.FACILITATOR).values_list(
        "team_id", "user_id"
    )
    due = {
        pk: next_assessment(team=team, latest_held_on=team.latest_held_on, today=on)
        for pk, team in teams.items()
    }
    for team_id, user_id in facilitators.order_by("team__name", "team_id"):
        if due[team_id].due_within(SOON_DAYS):
            yield user_id, AssessmentReminder(team=teams[team_id], next_assessment=due[team_id])


def reminders_send(*, on: datetime.date, dry_run: bool = False) -> ReminderRun:
    """Sends the day's digests, each recorded in the transaction that sends it. A run at the same moment
    that recorded someone's digest first wins (the one_digest_a_day constraint): this one skips them."""
    digests, already = reminder_digests(on=on)
    if dry_run:
        return ReminderRun(
            on=on,
            dry_run=True,
            sent=len(digests),
            entries=sum(len(d.entries) for d in digests),
            already=already,
        )
    sent = entries = 0
    with get_connection() as connection:
        for digest in digests:
            message = _message(digest, on)
            try:
                with transaction.atomic():
                    ReminderDigest.objects.create(user=digest.user, sent_on=on, entries=digest.records())
                    connection.send_messages([message])
            except IntegrityError:
                already += 1
            else:
                sent += 1
                entries += len(digest.entries)
    return ReminderRun(on=on, dry_run=False, sent=sent, entries=entries, already=already)


def _message(digest: Digest, on: datetime.date) -> EmailMessage:
    context = {"digest": digest, "person": digest.user, "on": on, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string("email/reminder_digest_subject.txt", context).split())
    body = render_to_string("email/reminder_digest_body.txt", context)
    return EmailMessage(subject, body, to=[digest.user.email])
