"""A large, plausible dataset for benchmarks (`manage.py generate_dataset`): organizations of teams with
their people and coaches, years of assessments with votes and consensus answers, and the improvement cycle
around them (actions with their items and progress notes, targets, comments).

Built for size and speed, not through the services: rows are made in memory an organization at a time and
written with `bulk_create`, so no history rows are written (django-simple-history records `save()`s only),
no e-mails are sent, and every person shares one password, hashed once.

Plausible: each team has a starting level, a trend (most improve, some hold, some slip) and stronger and
weaker drivers; an item's answer follows the team's level with a little noise from one assessment to the
next, and an item an action finished on scores higher from the next assessment on, as in the demo. Members'
votes scatter around the consensus. The latest assessment of some teams is still open for votes or in the
consensus meeting. Deterministic: the same seed, scale, date and starting point make the same data.
"""

from __future__ import annotations

import datetime
import itertools
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from assessments.actions.demo import TITLES
from assessments.actions.models import ActionItem, Comment, ProgressNote, Target
from assessments.demo import FINDINGS
from assessments.models import (
    Assessment,
    CoachAssignment,
    Membership,
    Organization,
    OrganizationMembership,
    Participant,
    Response,
    Team,
    Vote,
)
from assessments.services.scores import tallies_store
from drivers import lineage, scale
from drivers.models import BestPractice, FrameworkVersion, framework_order

DEFAULT_PASSWORD = "implhub-bench"
STAFF_USERNAME = "dataset-staff"
TEAMS_PER_COACH = 10
BATCH_SIZE = 2000

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Carmen",
    "Dana",
    "Elif",
    "Farid",
    "Grace",
    "Hana",
    "Ivan",
    "Jonas",
    "Kemal",
    "Lena",
    "Malik",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Aiko",
    "Bruno",
    "Chidi",
    "Daria",
]
LAST_NAMES = [
    "Adeyemi",
    "Brooks",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kim",
    "Lopez",
    "Mensah",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quist",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Alvarez",
    "Baker",
    "Costa",
    "Dubois",
]
PLACES = [
    "Northfield",
    "Riverside",
    "Harbor",
    "Lakeview",
    "Pinecrest",
    "Oakdale",
    "Westbrook",
    "Eastgate",
    "Maplewood",
    "Brookside",
    "Fairview",
    "Hillcrest",
    "Greenville",
    "Stonebridge",
    "Clearwater",
    "Ashford",
]
PROGRAMS = (
    "Structured literacy",
    "Positive behavior support",
    "Family home visiting",
    "Multi-tiered systems of support",
    "Early childhood mental health",
    "Trauma-informed care",
    "Math intervention",
    "Dropout prevention",
)
SOURCES = (
    "the team's meeting minutes",
    "the coaching log",
    "the data dashboard",
    "the staff handbook",
    "the training records",
    "the implementation plan",
)
VOTE_REMARKS = (
    "Only at some sites.",
    "I have not seen this written down.",
    "We did this last year but stopped.",
    "Depends on who is on duty.",
)
NOT_APPLICABLE_REASON = "Does not apply to this team's program."
STARTED, DONE = "Started: first steps agreed at the team meeting.", "Done and in use."
UNDER_WAY = "Under way; waiting on a date from the director's office."
DROPPED = "A district procedure now covers this."
STAGES = [value for value, _label in Assessment.Stage.choices]
# What generate_dataset reports, in this order.
KINDS = (
    "organizations",
    "teams",
    "users",
    "team memberships",
    "coach assignments",
    "assessments",
    "participants",
    "votes",
    "responses",
    "driver tallies",
    "actions",
    "progress notes",
    "targets",
    "comments",
)


class NotEmpty(Exception):
    """The database already has teams, and adding to them was not asked for."""


@dataclass(frozen=True)
class Scale:
    orgs: int
    teams_per_org: int
    assessments_per_team: int
    members_per_team: int = 6  # everyone in a team: one facilitator, the others vote
    seed: int = 1


@dataclass(frozen=True)
class Item:
    """What the generator needs of a best practice, read once."""

    pk: int
    code: str
    title: str  # an action's title for it
    driver_id: int
    driver_key: str


def generate_dataset(
    *,
    size: Scale,
    version: FrameworkVersion,
    password: str = DEFAULT_PASSWORD,
    append: bool = False,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Counter:
    """Fills the database at `size` on the content of `version`; returns the rows made by kind. Refuses
    (NotEmpty) when there are teams already, unless `append`."""
    if not append and Team.objects.exists():
        raise NotEmpty
    today = today or datetime.date.today()
    made: Counter = Counter()
    items = _items(version)
    hashed = make_password(password)  # once: hashing is slow on purpose
    first_org = Organization.objects.count() + 1
    first_coach = get_user_model().objects.filter(username__startswith="coach-").count() + 1
    coaches = _coaches(size, first_coach, hashed, made)
    _staff(hashed, made)
    for n in range(size.orgs):
        with transaction.atomic():
            _Organization(size, first_org + n, version, items, coaches, hashed, today).write(made)
        if progress:
            progress(f"{n + 1}/{size.orgs} organizations, {made['responses']} consensus answers")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, so that the benchmark's plans are the real ones
    return made


def _items(version: FrameworkVersion) -> list[Item]:
    rows = BestPractice.objects.filter(version=version).select_related("driver").order_by(*framework_order())
    return [
        Item(
            pk=item.pk,
            code=item.code,
            title=TITLES.get(lineage.item_key(item), f"Put {item.code} in place"),
            driver_id=item.driver_id,
            driver_key=lineage.driver_key(item.driver),
        )
        for item in rows
    ]


def _user(username: str, first: str, last: str, hashed: str):
    return get_user_model()(
        username=username, first_name=first, last_name=last, email=f"{username}@example.org", password=hashed
    )


def _coaches(size: Scale, first: int, hashed: str, made: Counter) -> list:
    """A coach for every TEAMS_PER_COACH teams; each follows teams of several organizations (see
    _Organization.coach_of), as a state's technical-assistance providers do."""
    rng = random.Random(f"{size.seed}/coaches/{first}")
    count = math.ceil(size.orgs * size.teams_per_org / TEAMS_PER_COACH)
    coaches = [
        _user(f"coach-{first + k:04d}", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), hashed)
        for k in range(count)
    ]
    get_user_model().objects.bulk_create(coaches, batch_size=BATCH_SIZE)
    made["users"] += len(coaches)
    return coaches


def _staff(hashed: str, made: Counter) -> None:
    """Site staff see every team: the portfolio at full scale is read as them."""
    _staff_user, created = get_user_model().objects.get_or_create(
        username=STAFF_USERNAME,
        defaults={"first_name": "Sam", "last_name": "Staff", "is_staff": True, "password": hashed},
    )
    made["users"] += created


class _Organization:
    """One organization's rows, made in memory and written in dependency order."""

    def __init__(self, size, number, version, items, coaches, hashed, today):
        self.scale, self.number, self.version, self.items = size, number, version, items
        self.coaches, self.hashed, self.today = coaches, hashed, today
        self.rng = random.Random(f"{size.seed}/{number}")
        self.rows: dict[type, list] = {
            model: [] for model in (Assessment, Participant, Vote, Response, ActionItem, ProgressNote, Target)
        }
        self.action_items: list[tuple[ActionItem, int]] = []
        self.comments: list[Comment] = []
        self.replies: list[Comment] = []

    def coach_of(self, team_index: int):
        """Teams are dealt out to the coaches in turn across organizations."""
        position = (self.number - 1) * self.scale.teams_per_org + team_index
        return self.coaches[position % len(self.coaches)]

    def write(self, made: Counter) -> None:
        place = PLACES[(self.number - 1) % len(PLACES)]
        organization = Organization.objects.create(name=f"{place} District {self.number:03d}")
        prefix = f"o{self.number:03d}"
        admin = _user(f"{prefix}-admin", *self._name(), self.hashed)
        teams, people = [], []
        for t in range(1, self.scale.teams_per_org + 1):
            names = self.rng.sample(
                list(itertools.product(FIRST_NAMES, LAST_NAMES)), self.scale.members_per_team
            )
            team_people = [
                _user(f"{prefix}t{t:02d}-{'f' if m == 0 else f'm{m}'}", first, last, self.hashed)
                for m, (first, last) in enumerate(names)
            ]
            level = self.rng.choices(["site", "district", "region", "state"], weights=[80, 15, 4, 1])[0]
            program = PROGRAMS[(self.number + t) % len(PROGRAMS)]
            teams.append(
                Team(
                    organization=organization,
                    name=f"{program} team {t:02d}",
                    program=program,
                    level=level,
                    assessment_interval_months=self.rng.choice([6, 6, 6, 12]),
                )
            )
            people.append(team_people)
        users = [admin, *itertools.chain.from_iterable(people)]
        get_user_model().objects.bulk_create(users, batch_size=BATCH_SIZE)
        Team.objects.bulk_create(teams, batch_size=BATCH_SIZE)
        coached = [self.coach_of(t) for t in range(len(teams))]
        OrganizationMembership.objects.bulk_create(
            [OrganizationMembership(organization=organization, user=admin, role="admin")]
            + [OrganizationMembership(organization=organization, user=user) for user in users[1:]]
            + [
                OrganizationMembership(organization=organization, user=coach)
                for coach in {c.pk: c for c in coached}.values()
            ],
            batch_size=BATCH_SIZE,
        )
        memberships = [
            Membership(team=team, user=user, role="facilitator" if m == 0 else "member")
            for team, team_people in zip(teams, people, strict=True)
            for m, user in enumerate(team_people)
        ]
        Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        assignments = [
            CoachAssignment(team=team, coach=coach, runs_meetings=self.rng.random() < 0.2)
            for team, coach in zip(teams, coached, strict=True)
        ]
        CoachAssignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)
        for t, (team, team_people, assignment) in enumerate(zip(teams, people, assignments, strict=True)):
            # Every organization's first team is voting and its second in the consensus meeting, so that
            # the benchmark finds both at any scale; the latest assessment of the others is drawn.
            _TeamStory(self, team, team_people, assignment).tell(latest={0: "open", 1: "consensus"}.get(t))
        self._flush(made)
        made["organizations"] += 1
        made["teams"] += len(teams)
        made["users"] += len(users)
        made["team memberships"] += len(memberships)
        made["coach assignments"] += len(assignments)

    def _name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def _flush(self, made: Counter) -> None:
        labels = {
            Assessment: "assessments",
            Participant: "participants",
            Vote: "votes",
            Response: "responses",
            ActionItem: "actions",
            ProgressNote: "progress notes",
            Target: "targets",
        }
        for model, rows in self.rows.items():  # in dependency order: assessments first
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            made[labels[model]] += len(rows)
        made["driver tallies"] += tallies_store(
            assessment_ids=[a.pk for a in self.rows[Assessment] if a.status == Assessment.Status.COMPLETED]
        )
        through = ActionItem.items.through
        ActionItem.items.through.objects.bulk_create(
            [through(actionitem=action, bestpractice_id=item) for action, item in self.action_items],
            batch_size=BATCH_SIZE,
        )
        Comment.objects.bulk_create(self.comments, batch_size=BATCH_SIZE)
        Comment.objects.bulk_create(self.replies, batch_size=BATCH_SIZE)
        made["comments"] += len(self.comments) + len(self.replies)


class _TeamStory:
    """One team's assessments over the years and the work between them."""

    def __init__(self, org: _Organization, team: Team, people: list, assignment: CoachAssignment):
        self.org, self.team, self.assignment = org, team, assignment
        self.facilitator, self.voters = people[0], people[1:]
        self.rng = random.Random(f"{org.scale.seed}/{org.number}/{team.name}")
        rng = self.rng
        self.level = rng.uniform(0.15, 0.55)
        self.trend = rng.choices(
            [rng.uniform(0.04, 0.09), rng.uniform(-0.01, 0.02), rng.uniform(-0.07, -0.03)],
            weights=[55, 25, 20],
        )[0]
        drivers = sorted({item.driver_key for item in org.items})
        strength = {key: rng.uniform(-0.2, 0.2) for key in drivers}
        # An item's place in the team's ranking stays put between assessments: trends move items, noise
        # rarely does.
        self.standing = {item.pk: rng.random() - strength[item.driver_key] for item in org.items}
        self.not_applicable = {rng.choice(org.items).pk} if rng.random() < 0.3 else set()
        self.improved: dict[int, int] = {}  # item -> the score an action finished on it reached
        self.planned: set[int] = set()  # items with an action already

    def tell(self, *, latest: str | None) -> None:
        """`latest`: the status of the team's latest assessment, drawn when None."""
        count = self.org.scale.assessments_per_team
        last = latest or self.rng.choices(["completed", "open", "consensus"], weights=[90, 5, 5])[0]
        held = self._dates(count, last)
        stage = self.rng.randrange(2)
        completed: list[tuple[Assessment, dict[int, int | None]]] = []
        for n, held_on in enumerate(held):
            status = last if n == count - 1 else "completed"
            scores = self._scores(n)
            assessment = self._assessment(held_on, STAGES[min(3, stage + n // 2)], status)
            self._participants(assessment)
            if status == "open":
                self._open_votes(assessment, scores)
                continue
            self._votes(assessment, scores)
            answered = self.org.items if status == "completed" else self.org.items[: len(self.org.items) // 2]
            self._responses(assessment, [(item, scores[item.pk]) for item in answered])
            if status == "completed":
                next_on = held[n + 1] if n + 1 < count else None
                self._actions(assessment, scores, next_on)
                completed.append((assessment, scores))
        if completed:
            self._after_latest(*completed[-1])

    def _dates(self, count: int, last: str) -> list[datetime.date]:
        ago = {"completed": (30, 300), "open": (0, 14), "consensus": (3, 21)}[last]
        day = self.org.today - datetime.timedelta(days=self.rng.randint(*ago))
        dates = [day]
        for _n in range(count - 1):
            dates.append(dates[-1] - datetime.timedelta(days=self.rng.randint(160, 200)))
        return dates[::-1]

    def _scores(self, n: int) -> dict[int, int | None]:
        chance = min(0.95, max(0.05, self.level + self.trend * n))
        scores: dict[int, int | None] = {}
        for item in self.org.items:
            if item.pk in self.not_applicable:
                scores[item.pk] = None
                continue
            roll = self.standing[item.pk] + self.rng.uniform(-0.08, 0.08)
            score = 2 if roll < chance * 0.8 else 1 if roll < min(0.95, chance + 0.35) else 0
            scores[item.pk] = max(score, self.improved.get(item.pk, 0))
        return scores

    def _assessment(self, held_on: datetime.date, stage: str, status: str) -> Assessment:
        runs = self.assignment.runs_meetings and self.rng.random() < 0.5
        by, capacity = (self.assignment.coach, "coach") if runs else (self.facilitator, "facilitator")
        at = datetime.datetime.combine(held_on, datetime.time(11), tzinfo=datetime.UTC)
        assessment = Assessment(
            team=self.team,
            version=self.org.version,
            held_on=held_on,
            stage=stage,
            status=status,
            created_by=self.facilitator,
            created_at=at - datetime.timedelta(days=7),
        )
        if status != "open":
            assessment.revealed_at, assessment.administered_by, assessment.administered_as = at, by, capacity
        if status == "completed":
            assessment.completed_at = at + datetime.timedelta(hours=5)
            assessment.completed_by = by
        self.org.rows[Assessment].append(assessment)
        return assessment

    def _participants(self, assessment: Assessment) -> None:
        rows = self.org.rows[Participant]
        rows.append(
            Participant(
                assessment=assessment,
                name=self.facilitator.get_full_name(),
                member=self.facilitator,
                group="leadership",
                role="Facilitator",
            )
        )
        for k, user in enumerate(self.voters):
            rows.append(
                Participant(
                    assessment=assessment,
                    name=user.get_full_name(),
                    member=user,
                    group=self.rng.choice(["practitioner", "practitioner", "staff"]),
                    role="Note-taker" if k == 0 else "",
                )
            )
        if self.rng.random() < 0.5:
            rows.append(
                Participant(
                    assessment=assessment,
                    name="Parent representative",
                    group=self.rng.choice(["family", "recipient", "community"]),
                )
            )

    def _vote(self, assessment: Assessment, item: Item, member, score: int | None) -> Vote:
        roll = self.rng.random()
        if score is None or roll < 0.06:
            answer = scale.DONT_KNOW
        elif roll < 0.66:
            answer = str(score)
        elif roll < 0.94:
            answer = str(min(scale.MAX_POINTS, max(0, score + self.rng.choice((-1, 1)))))
        else:
            answer = str(scale.MAX_POINTS - score)  # the other end of the scale: the meeting discusses it
        remark = self.rng.choice(VOTE_REMARKS) if self.rng.random() < 0.03 else ""
        return Vote(assessment=assessment, item_id=item.pk, member=member, answer=answer, comment=remark)

    def _votes(self, assessment: Assessment, scores: dict[int, int | None]) -> None:
        self.org.rows[Vote].extend(
            self._vote(assessment, item, member, scores[item.pk])
            for item in self.org.items
            for member in self.voters
        )

    def _open_votes(self, assessment: Assessment, scores: dict[int, int | None]) -> None:
        """Voting under way: some members are done, some halfway, some have not started."""
        for member in self.voters:
            share = self.rng.choice([1.0, 1.0, 0.6, 0.3, 0.0])
            done = self.org.items[: round(len(self.org.items) * share)]
            self.org.rows[Vote].extend(self._vote(assessment, item, member, scores[item.pk]) for item in done)

    def _responses(self, assessment: Assessment, answers: list[tuple[Item, int | None]]) -> None:
        self.org.rows[Response].extend(
            Response(
                assessment=assessment,
                item_id=item.pk,
                score=score,
                not_applicable=score is None,
                na_reason=NOT_APPLICABLE_REASON if score is None else "",
                evidence=""
                if score is None
                else f"{self.rng.choice(FINDINGS[score])} (seen in {self.rng.choice(SOURCES)}).",
                recorded_by=assessment.administered_by,
            )
            for item, score in answers
        )

    def _candidates(self, scores: dict[int, int | None]) -> list[Item]:
        """Items not or partly in place that have no action yet, in a random order."""
        items = [i for i in self.org.items if scores[i.pk] in (0, 1) and i.pk not in self.planned]
        self.rng.shuffle(items)
        return items

    def _action(self, assessment: Assessment, item: Item, **fields) -> ActionItem:
        owner = self.rng.choice([self.facilitator, *self.voters, None])
        action = ActionItem(
            team=self.team,
            assessment=assessment,
            title=item.title,
            details=f"{item.code}: what the team agreed after the assessment.",
            driver_id=item.driver_id,
            owner=owner,
            owner_name="" if owner else "Pat Morgan",
            created_by=self.facilitator,
            **fields,
        )
        self.org.rows[ActionItem].append(action)
        self.org.action_items.append((action, item.pk))
        self.planned.add(item.pk)
        return action

    def _note(self, action: ActionItem, on: datetime.date, text: str) -> None:
        self.org.rows[ProgressNote].append(
            ProgressNote(action=action, written_on=on, text=text, author=self.facilitator)
        )

    def _actions(self, assessment: Assessment, scores, next_on: datetime.date | None) -> None:
        """Between two assessments the team finishes most of what it planned (those items score higher
        from the next assessment on) and drops now and then."""
        if next_on is None:
            return
        for item in self._candidates(scores)[: self.rng.randint(2, 3)]:
            due = assessment.held_on + datetime.timedelta(days=self.rng.randint(45, 120))
            due = min(due, next_on - datetime.timedelta(days=5))
            if self.rng.random() < 0.12:
                self._action(assessment, item, due_on=due, status="dropped", dropped_reason=DROPPED)
                continue
            action = self._action(assessment, item, due_on=due, status="done", done_on=due)
            self._note(action, assessment.held_on + datetime.timedelta(days=14), STARTED)
            self._note(action, due, DONE)
            self.improved[item.pk] = max(self.improved.get(item.pk, 0), (scores[item.pk] or 0) + 1)

    def _after_latest(self, assessment: Assessment, scores) -> None:
        """Since its latest completed assessment: an action due soon, one overdue, one planned, targets
        for the weakest drivers, and the coach's comments."""
        today, start = self.org.today, assessment.held_on
        candidates = self._candidates(scores)
        plans = [
            (max(today + datetime.timedelta(days=self.rng.randint(3, 20)), start), "in_progress"),
            (max(today - datetime.timedelta(days=self.rng.randint(5, 40)), start), "in_progress"),
            (today + datetime.timedelta(days=self.rng.randint(30, 90)), "planned"),
        ]
        actions = []
        for item, (due, status) in zip(candidates, plans, strict=False):
            action = self._action(assessment, item, due_on=due, status=status)
            if status == "in_progress":
                self._note(action, min(today, start + datetime.timedelta(days=14)), UNDER_WAY)
            actions.append(action)
        zeros = Counter(item.driver_key for item in self.org.items if scores[item.pk] == 0)
        self.org.rows[Target].extend(
            Target(team=self.team, set_after=assessment, driver_key=key, percent=80, set_by=self.facilitator)
            for key, _count in zeros.most_common(2)
        )
        self._comments(assessment, scores, actions)

    def _comments(self, assessment: Assessment, scores, actions: list[ActionItem]) -> None:
        coach = self.assignment.coach
        if self.rng.random() < 0.6:
            first = Comment(
                team=self.team,
                assessment=assessment,
                author=coach,
                body="Thank you for the evidence notes. Which two items will you take on first?",
            )
            self.org.comments.append(first)
            if self.voters and self.rng.random() < 0.7:
                self.org.replies.append(
                    Comment(
                        team=self.team,
                        assessment=assessment,
                        parent=first,
                        author=self.rng.choice(self.voters),
                        body="We picked two from the list below the results; both are in the plan.",
                    )
                )
        weakest = [item for item in self.org.items if scores[item.pk] == 0]
        if weakest and self.rng.random() < 0.3:
            self.org.comments.append(
                Comment(
                    team=self.team,
                    assessment=assessment,
                    item_id=weakest[0].pk,
                    author=coach,
                    body="The evidence for this one is thin: which records could show it?",
                )
            )
        overdue = [a for a in actions if a.status == "in_progress" and a.due_on < self.org.today]
        if overdue and self.rng.random() < 0.5:
            self.org.comments.append(
                Comment(
                    team=self.team,
                    action=overdue[0],
                    author=coach,
                    body="This is past its date. Is something in the way that I can help with?",
                )
            )
