"""The demo teams' improvement cycle for `manage.py demo`, made after `assessments.demo` built their
assessments: action plans, progress notes, targets and coach comments.

After each completed assessment but the latest, a team finished an action on each item it worked on
(`assessments.demo.worked_on`, the items that score higher from the next assessment on), carried one on
without finishing it (overdue now) and, once, dropped one. After its latest, it has actions under way:
one due within the week, one overdue, one planned. The coach has commented and a member replied.
Deterministic, and safe to run again: a team that already has actions is left as it is.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext

from assessments.actions.models import ActionItem, Comment, ProgressNote, Target
from assessments.demo import worked_on
from assessments.models import Assessment, Response, Team
from assessments.scoring import assessment_scores
from drivers import lineage
from drivers.models import BestPractice

Status = ActionItem.Status

# Who owns each team's actions: its people (demo usernames) and one person without an account.
OWNERS = {
    "Riverside Reading Team": (["facilitator", "member", "member2"], "Jordan Lee"),
    "District Behavior Support Team": (["facilitator", "member"], "Luis Ortega"),
    "Harbor Home Visiting Team": (["outsider", "visitor"], "Sam Patel"),
}
FACILITATORS = {"Harbor Home Visiting Team": "outsider"}  # the others': "facilitator"
DROPS_ONE = "Riverside Reading Team"
SEEDS = {
    "Riverside Reading Team": 111,
    "District Behavior Support Team": 223,
    "Harbor Home Visiting Team": 337,
}

# What a team does about an item, by the item's lineage key (the demo's content names items by their codes).
TITLES = {
    "SEL-1": "Write the role description with expectations and accountability",
    "SEL-2": "Add the hard-to-teach qualities to the screening checklist",
    "SEL-3": "Send candidates a one-page overview of the practice",
    "SEL-4": "Add a rehearsal scenario with feedback to the interviews",
    "SEL-5": "Put someone who knows the practice on every interview panel",
    "SEL-6": "Hand interview notes on to the new hire's trainer and coach",
    "SEL-7": "Review turnover and fidelity data before the next hiring round",
    "TRN-1": "Rework the training days around practice, not slides",
    "TRN-2": "Open the training with why the practice matters",
    "TRN-3": "Add skill rehearsal with feedback to every training day",
    "TRN-4": "Set up a practice session before staff use the skills for real",
    "TRN-5": "Measure knowledge and skill before and after training",
    "TRN-6": "Share each trainee's training results with their coach",
    "TRN-7": "Review the training data each term and adjust the course",
    "COA-1": "Write the coaching plan and agree it with the coaches",
    "COA-2": "Arrange training and monthly support for the coaches",
    "COA-3": "Add direct observation to the coaching records",
    "COA-4": "Agree a feedback form tied to the core components",
    "COA-5": "Offer coaching to every practitioner, not only new staff",
    "COA-6": "Survey practitioners on how coaching helps and act on it",
    "FID-1": "Name the person accountable for fidelity checks",
    "FID-2": "Align the fidelity measure with what training teaches",
    "FID-3": "Put fidelity checks on a termly schedule",
    "FID-4": "Explain the fidelity measure at the staff meeting",
    "FID-5": "Share fidelity results with coaches and leaders each term",
    "FID-6": "Add a competence measure to the fidelity check",
    "DSDS-1": "Name an owner for the data dashboard",
    "DSDS-2": "Add outcome data to the monthly report",
    "DSDS-3": "Check the data entry dates each month",
    "DSDS-4": "Make a one-page data summary for each level",
    "DSDS-5": "Review the data at every team meeting",
    "DSDS-6": "Agree ground rules for talking about data without blame",
    "FA-1": "Budget release time for training and coaching",
    "FA-2": "Ask leadership to back one fidelity measure for all sites",
    "FA-3": "Fund the data system licence for next year",
    "FA-4": "Revise the procedures that get in the way",
    "FA-5": "Adjust roles so that coaches have time to coach",
    "FA-6": "Report progress to all staff and families each term",
    "FA-7": "Ask the director to open the next staff meeting on the practice",
    "FA-8": "Keep a list of barriers and review it monthly",
    "FA-9": "Recognise staff contributions in the newsletter",
    "SI-1": "Invite families and staff to a session on why the practice is needed",
    "SI-2": "Hold a joint learning session with community partners",
    "SI-3": "Send stakeholders a short update after each meeting",
    "SI-5": "Plan the next steps together with families and partners",
}
STARTED = "Started: first steps agreed at the team meeting."
DONE = "Done and in use; the team will check it at the next assessment."
UNDER_WAY = "Under way; waiting on a date from the principal's office."
DROPPED = "The district's new procedure covers this; nothing left for the team to do."


@transaction.atomic
def demo_plans(*, today: datetime.date | None = None) -> None:
    today = today or datetime.date.today()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_usernames())}
    for name in OWNERS:
        team = Team.objects.filter(name=name).first()
        if team is None or team.actions.exists():
            continue
        completed = list(
            team.assessments.filter(status=Assessment.Status.COMPLETED).order_by("held_on", "pk")
        )
        if completed:
            _team_plan(team, completed, users, today)
    _comments(users, today)


def _usernames() -> set[str]:
    names = {"coach", *FACILITATORS.values(), "facilitator"}
    for people, _named in OWNERS.values():
        names.update(people)
    return names


class _Owners:
    """Each next action's owner: the team's people in turn, now and then the person without an account."""

    def __init__(self, team: Team, users: dict):
        people, self.named = OWNERS[team.name]
        self.people = [users[u] for u in people]
        self.count = 0

    def next(self) -> dict:
        self.count += 1
        if self.count % 4 == 0:
            return {"owner": None, "owner_name": self.named}
        return {"owner": self.people[self.count % len(self.people)], "owner_name": ""}


def _team_plan(team: Team, completed: list[Assessment], users: dict, today: datetime.date) -> None:
    rng = random.Random(SEEDS[team.name])
    facilitator = users[FACILITATORS.get(team.name, "facilitator")]
    owners = _Owners(team, users)
    planned: set[str] = set()  # items that have an action already: a new one takes another
    items = {
        a.pk: {
            i.code: i for i in BestPractice.objects.filter(version_id=a.version_id).select_related("driver")
        }
        for a in completed
    }
    scores = {
        a.pk: dict(Response.objects.filter(assessment=a).values_list("item__code", "score"))
        for a in completed
    }
    for n, assessment in enumerate(completed):
        codes = scores[assessment.pk]
        worked = worked_on(team_name=team.name, index=n, scores=codes)
        others = [c for c in sorted(codes) if codes[c] in (0, 1) and c not in {*worked, *planned}]
        rng.shuffle(others)
        make = _Maker(team, assessment, items[assessment.pk], facilitator, owners, planned)
        later = completed[n + 1] if n + 1 < len(completed) else None
        if later is not None:
            # The team finished what it worked on before the next assessment, which found it higher.
            for k, code in enumerate(worked):
                due = assessment.held_on + datetime.timedelta(days=60 + 20 * k)
                action = make.action(
                    code, due_on=due, status=Status.DONE, done_on=due - datetime.timedelta(days=4)
                )
                make.note(action, assessment.held_on + datetime.timedelta(days=21), STARTED)
                make.note(action, action.done_on, DONE)
            if n == 0 and team.name == DROPS_ONE:
                make.action(
                    others.pop(),
                    due_on=assessment.held_on + datetime.timedelta(days=90),
                    status=Status.DROPPED,
                    dropped_reason=DROPPED,
                )
            if later == completed[-1]:
                # Carried over from the assessment before the latest: still open, long past its date.
                carried = make.action(
                    others.pop(),
                    due_on=assessment.held_on + datetime.timedelta(days=120),
                    status=Status.IN_PROGRESS,
                )
                make.note(carried, assessment.held_on + datetime.timedelta(days=30), UNDER_WAY)
        else:
            _after_latest(make, others, assessment, today)
    _targets(team, completed[-1], facilitator)


def _after_latest(make: _Maker, codes: list[str], assessment: Assessment, today: datetime.date) -> None:
    """Actions under way since the team's latest assessment: one due within the week (its owner is
    reminded), one overdue, one planned for later. Due dates never before the assessment."""
    start = assessment.held_on
    soon = make.action(
        codes.pop(), due_on=max(today + datetime.timedelta(days=5), start), status=Status.IN_PROGRESS
    )
    make.note(soon, min(today, start + datetime.timedelta(days=14)), STARTED)
    overdue_on = max(today - datetime.timedelta(days=12), start + datetime.timedelta(days=1))
    overdue = make.action(codes.pop(), due_on=overdue_on, status=Status.IN_PROGRESS)
    make.note(overdue, start + datetime.timedelta(days=1), STARTED)
    make.action(codes.pop(), due_on=today + datetime.timedelta(days=60), status=Status.PLANNED)


class _Maker:
    """Makes one team's actions after one assessment, each on one item."""

    def __init__(self, team, assessment, items, facilitator, owners, planned):
        self.team, self.assessment, self.items = team, assessment, items
        self.facilitator, self.owners, self.planned = facilitator, owners, planned

    def action(self, code: str, **fields) -> ActionItem:
        item = self.items[code]
        action = ActionItem(
            team=self.team,
            assessment=self.assessment,
            title=TITLES.get(lineage.item_key(item), gettext("Put %(code)s in place") % {"code": item.code}),
            details=f"{item.code}: {item.statement}",
            driver=item.driver,
            created_by=self.facilitator,
            **self.owners.next(),
            **fields,
        )
        action.full_clean()
        action.save()
        action.items.add(item)
        self.planned.add(code)
        return action

    def note(self, action: ActionItem, on: datetime.date, text: str) -> None:
        ProgressNote.objects.create(action=action, written_on=on, text=text, author=self.facilitator)


def _targets(team: Team, latest: Assessment, facilitator) -> None:
    """Riverside aims higher on its three weakest drivers at its next assessment."""
    if team.name != "Riverside Reading Team":
        return
    scores = assessment_scores(assessments=[latest])[latest.pk]
    weakest = sorted(
        (d for d in scores.drivers if d.score.rounded is not None), key=lambda d: d.score.rounded
    )[:3]
    for driver in weakest:
        Target.objects.create(
            team=team,
            set_after=latest,
            driver_key=driver.key,  # the driver's lineage key (scoring reads it through drivers.lineage)
            percent=min(100, (driver.score.rounded // 5 + 3) * 5),
            set_by=facilitator,
        )


def _comments(users: dict, today: datetime.date) -> None:
    """The coach on Riverside's latest assessment, on one of its items and on an overdue action, a member's
    reply; and a note on the behavior team's overdue action."""
    coach = users["coach"]
    if Comment.objects.filter(author=coach).exists():
        return
    reading = Team.objects.get(name="Riverside Reading Team")
    latest = reading.assessments.filter(status=Assessment.Status.COMPLETED).latest("held_on")
    first = Comment.objects.create(
        team=reading,
        assessment=latest,
        author=coach,
        body="Thank you for the careful evidence notes. Which two items will you take on before the next "
        "assessment?",
    )
    Comment.objects.create(
        team=reading,
        assessment=latest,
        parent=first,
        author=users["member"],
        body="We picked two from the list below the results, each with an owner; both are in the plan.",
    )
    weakest = (
        Response.objects.filter(assessment=latest, score=0)
        .select_related("item")
        .order_by("item__code")
        .first()
    )
    if weakest is not None:
        Comment.objects.create(
            team=reading,
            assessment=latest,
            item=weakest.item,
            author=coach,
            body="The evidence for this one is thin: ask the principal for last term's walkthrough notes.",
        )
    for team in Team.objects.filter(name__in=["Riverside Reading Team", "District Behavior Support Team"]):
        overdue = team.actions.filter(status__in=ActionItem.OPEN, due_on__lt=today).order_by("due_on").first()
        if overdue is not None:
            Comment.objects.create(
                team=team,
                action=overdue,
                author=coach,
                body="This is past its date. Is something in the way that I can help with?",
            )
