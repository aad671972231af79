"""Demo organizations, teams and assessments for `manage.py demo`: realistic enough to show progress.

Deterministic (a seeded random generator), and safe to run again: a team that already has assessments is
left as it is. After each assessment but the latest, a team works on a few of the items it found not or
partly in place (`worked_on`), and those score higher from the next assessment on: the action plans of
`assessments.actions.demo` are made of the same items, so the loop shows their effect.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    CoachAssignment,
    Membership,
    Organization,
    OrganizationMembership,
    Participant,
    Response,
    Vote,
)
from assessments.services.scores import tallies_store
from drivers import scale
from drivers.models import BestPractice, FrameworkVersion


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    description: str  # printed by `manage.py demo` beside the username


USERS = [
    DemoUser(
        "facilitator",
        "Fatima",
        "Okafor",
        _("facilitator of Riverside Reading Team and District Behavior Support Team (Northfield Schools)"),
    ),
    DemoUser("member", "Marco", "Rossi", _("member of both Northfield Schools teams")),
    DemoUser("member2", "Mei", "Chen", _("member of Riverside Reading Team")),
    DemoUser(
        "coach",
        "Carmen",
        "Diaz",
        _(
            "coach of both Northfield Schools teams and of Harbor Home Visiting Team; runs the District "
            "Behavior Support Team's meetings"
        ),
    ),
    DemoUser(
        "orgadmin",
        "Nadia",
        "Haddad",
        _("admin of Northfield Schools: its teams, people and invitations (no team of her own)"),
    ),
    DemoUser(
        "outsider", "Olu", "Adeyemi", _("facilitator of Harbor Family Services' team (another organization)")
    ),
    DemoUser("visitor", "Grace", "Mensah", _("member of Harbor Home Visiting Team (another organization)")),
    DemoUser("harboradmin", "Henry", "Brooks", _("admin of Harbor Family Services")),
]

# Who was in the room, team by team: the team's own people (with their demo username: the report tells who
# voted) and the stakeholders they invite.
PARTICIPANTS = {
    "Riverside Reading Team": [
        ("Fatima Okafor", "leadership", "Facilitator", "facilitator"),
        ("Marco Rossi", "practitioner", "", "member"),
        ("Mei Chen", "staff", "Note-taker", "member2"),
        ("Jordan Lee", "family", "Parent representative", None),
    ],
    "District Behavior Support Team": [
        ("Fatima Okafor", "leadership", "Facilitator", "facilitator"),
        ("Marco Rossi", "practitioner", "", "member"),
        ("Dana Brooks", "leadership", "Assistant superintendent", None),
        ("Luis Ortega", "staff", "Behavior specialist, note-taker", None),
        ("Amara Nwosu", "recipient", "Student voice representative", None),
    ],
    "Harbor Home Visiting Team": [
        ("Olu Adeyemi", "leadership", "Facilitator", "outsider"),
        ("Grace Mensah", "practitioner", "Home visitor", "visitor"),
        ("Sam Patel", "staff", "Supervisor, note-taker", None),
        ("Rosa Alvarez", "family", "Parent representative", None),
    ],
}
# Riverside's first meeting was held before a parent joined the team's meetings: its report says that the
# items calling for the voice of the people served were answered without them.
WITHOUT_PEOPLE_SERVED_AT_FIRST = "Riverside Reading Team"
# Where each team finds its evidence, and what the team said, by consensus score: evidence notes then differ
# by item and by team, as they do in a real meeting.
SOURCES = {
    "Riverside Reading Team": [
        "the literacy coaching log",
        "grade-level team minutes",
        "the reading screener dashboard",
        "the staff handbook",
        "the principal's walkthrough notes",
    ],
    "District Behavior Support Team": [
        "the district behavior data review",
        "school leadership team minutes",
        "the referral tracking report",
        "the district implementation plan",
        "the training attendance records",
    ],
    "Harbor Home Visiting Team": [
        "home visit records",
        "reflective supervision notes",
        "the family satisfaction survey",
        "the program manual",
        "the monthly data report to the funder",
    ],
}
FINDINGS = {
    2: [
        "In routine use at every site; the team could show it",
        "Written down, followed and reviewed this year",
        "Done consistently and checked against the plan",
    ],
    1: [
        "Started, but not consistent across sites",
        "Written down in part; depends on who is on duty",
        "Happens, but nobody reviews whether it works",
    ],
    0: [
        "Not in place yet; no written procedure",
        "Discussed but not started",
        "The team found no trace of it",
    ],
}


def _user(username: str, first: str, last: str, password: str):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def demo_teams(*, version: FrameworkVersion, password: str) -> list[DemoUser]:
    users = {u.username: _user(u.username, u.first_name, u.last_name, password) for u in USERS}
    northfield, _created = Organization.objects.get_or_create(name="Northfield Schools")
    harbor, _created = Organization.objects.get_or_create(name="Harbor Family Services")
    reading, _created = northfield.teams.get_or_create(
        name="Riverside Reading Team", defaults={"program": "Structured literacy", "level": "site"}
    )
    behaviour, _created = northfield.teams.get_or_create(
        name="District Behavior Support Team",
        defaults={"program": "Positive behavior support", "level": "district"},
    )
    families, _created = harbor.teams.get_or_create(
        name="Harbor Home Visiting Team", defaults={"program": "Family home visiting", "level": "district"}
    )
    for team, username, role in [
        (reading, "facilitator", "facilitator"),
        (reading, "member", "member"),
        (reading, "member2", "member"),
        (behaviour, "facilitator", "facilitator"),
        (behaviour, "member", "member"),
        (families, "outsider", "facilitator"),
        (families, "visitor", "member"),
    ]:
        Membership.objects.get_or_create(team=team, user=users[username], defaults={"role": role})
    # Carmen coaches across organizations, as coaches often do: her queue spans both.
    for team in (reading, behaviour, families):
        CoachAssignment.objects.get_or_create(
            team=team, coach=users["coach"], defaults={"runs_meetings": team == behaviour}
        )
    for organization, username in ((northfield, "orgadmin"), (harbor, "harboradmin")):
        OrganizationMembership.objects.update_or_create(
            organization=organization,
            user=users[username],
            defaults={"role": OrganizationMembership.Role.ADMIN},
        )

    items = list(BestPractice.objects.filter(version=version).select_related("driver__category"))
    today = datetime.date.today()
    # Assessments about six months apart. The behavior team's last one is more than six months old and
    # Harbor's eight, so both are past their next assessment date (every 6 months, the default); Harbor
    # has started its next one and is in the consensus meeting, Riverside is voting.
    plans = [
        (reading, [0.30, 0.50, 0.68], ["exploration", "installation", "initial"], 11, 45),
        (behaviour, [0.45, 0.62, 0.78], ["installation", "initial", "full"], 23, 200),
        (families, [0.40], ["installation"], 37, 240),
    ]
    for team, levels, stages, seed, last_days_ago in plans:
        if team.assessments.exists():
            continue
        rng = random.Random(seed)
        strength = {code: rng.uniform(-0.25, 0.25) for code in sorted({i.driver.code for i in items})}
        facilitator = users["facilitator" if team != families else "outsider"]
        improved: dict[str, int] = {}  # item code -> the score it reaches after the team worked on it
        for n, (level, stage) in enumerate(zip(levels, stages, strict=True)):
            held_on = today - datetime.timedelta(days=last_days_ago + 182 * (len(levels) - 1 - n))
            assessment, scores = _completed(
                team, version, facilitator, held_on, stage, items, level, strength, rng, improved
            )
            _participants(
                assessment,
                users,
                people_served=n > 0 or team.name != WITHOUT_PEOPLE_SERVED_AT_FIRST,
            )
            for code in worked_on(team_name=team.name, index=n, scores=scores):
                improved[code] = max(improved.get(code, 0), scores[code] + 1)
        if team == reading:
            _open_with_votes(team, version, users, today, items, rng)
        if team == families:
            _in_consensus(team, version, users, today - datetime.timedelta(days=10), items, rng)
    return USERS


# How many items a demo team works on between two assessments.
WORKED_ON = 4


def worked_on(*, team_name: str, index: int, scores: dict[str, int | None]) -> list[str]:
    """The codes of the items a demo team worked on after its assessment number `index` (0 the first),
    from its `scores` there (code -> 2, 1, 0 or None): a few of those not or partly in place, in code
    order. Drawn with a generator of their own, so the scores of the rest of the demo stay as they were."""
    candidates = sorted(code for code, score in scores.items() if score in (0, 1))
    rng = random.Random(f"{team_name}/{index}")
    return sorted(rng.sample(candidates, min(WORKED_ON, len(candidates))))


def _score(rng: random.Random, chance: float) -> int:
    roll = rng.random()
    return 2 if roll < chance * 0.8 else 1 if roll < min(0.95, chance + 0.35) else 0


def _completed(team, version, facilitator, held_on, stage, items, level, strength, rng, improved):
    """A completed assessment with answers, evidence and votes; an item in `improved` scores at least what
    the team's work on it reached. Returns it with its scores by item code."""
    closed = datetime.datetime.combine(held_on, datetime.time(15), tzinfo=datetime.UTC)
    assessment = Assessment.objects.create(
        team=team,
        version=version,
        held_on=held_on,
        stage=stage,
        created_by=facilitator,
        status=Assessment.Status.COMPLETED,
        revealed_at=closed,
        completed_by=facilitator,
        administered_by=facilitator,
        administered_as="facilitator",
    )
    responses = []
    for item in items:
        chance = max(0.05, min(0.95, level + strength[item.driver.code]))
        not_applicable = item.code == "SI-5" and level < 0.4
        score = None if not_applicable else max(_score(rng, chance), improved.get(item.code, 0))
        responses.append(
            Response(
                assessment=assessment,
                item=item,
                score=score,
                not_applicable=not_applicable,
                na_reason="No external partners are involved at this stage." if not_applicable else "",
                evidence=_evidence(score, team, rng),
                recorded_by=facilitator,
            )
        )
    Response.objects.bulk_create(responses)
    tallies_store(assessment_ids=[assessment.pk])
    _votes_around(assessment, responses, rng)
    Assessment.objects.filter(pk=assessment.pk).update(
        completed_at=datetime.datetime.combine(held_on, datetime.time(16), tzinfo=datetime.UTC)
    )
    return assessment, {r.item.code: r.score for r in responses}


def _participants(assessment: Assessment, users: dict, *, people_served: bool = True) -> None:
    Participant.objects.bulk_create(
        Participant(
            assessment=assessment,
            name=name,
            group=group,
            role=role,
            member=users[username] if username else None,
        )
        for name, group, role, username in PARTICIPANTS[assessment.team.name]
        if people_served or group not in Participant.PEOPLE_SERVED
    )


def _evidence(score: int | None, team, rng: random.Random) -> str:
    if score is None:
        return ""
    return f"{rng.choice(FINDINGS[score])} (seen in {rng.choice(SOURCES[team.name])})."


def _votes_around(assessment: Assessment, responses: list[Response], rng: random.Random) -> None:
    """Members' votes near the consensus the team reached: most agree, some are a point off, a few do not
    know, and now and then two members are two points apart: what the meeting had to discuss."""
    voters = list(Membership.objects.filter(team=assessment.team, role=Membership.Role.MEMBER))
    votes = []
    for response in responses:
        for membership in voters:
            roll = rng.random()
            if response.score is None or roll < 0.06:
                answer = scale.DONT_KNOW
            elif roll < 0.66:
                answer = str(response.score)
            elif roll < 0.94:
                answer = str(min(scale.MAX_POINTS, max(0, response.score + rng.choice((-1, 1)))))
            else:
                answer = str(scale.MAX_POINTS - response.score)  # the other end of the scale
            votes.append(
                Vote(assessment=assessment, item=response.item, member=membership.user, answer=answer)
            )
    Vote.objects.bulk_create(votes)


def _open_with_votes(team, version, users, today, items, rng):
    assessment = Assessment.objects.create(
        team=team, version=version, held_on=today, stage="initial", created_by=users["facilitator"]
    )
    _participants(assessment, users)
    votes = []
    for member, share in [(users["member"], 1.0), (users["member2"], 0.4)]:
        for item in items[: int(len(items) * share)]:
            answer = rng.choice(["2", "2", "1", "1", "0", scale.DONT_KNOW])
            votes.append(Vote(assessment=assessment, item=item, member=member, answer=answer))
    Vote.objects.bulk_create(votes)


def _in_consensus(team, version, users, held_on, items, rng):
    """An assessment whose votes are revealed, half of it agreed: the consensus meeting goes on."""
    facilitator = users["outsider"]
    revealed = datetime.datetime.combine(held_on, datetime.time(11), tzinfo=datetime.UTC)
    assessment = Assessment.objects.create(
        team=team,
        version=version,
        held_on=held_on,
        stage="installation",
        status=Assessment.Status.CONSENSUS,
        created_by=facilitator,
        revealed_at=revealed,
        administered_by=facilitator,
        administered_as="facilitator",
    )
    _participants(assessment, users)
    ordered = sorted(items, key=lambda i: (i.driver.category.order, i.driver.order, i.order))
    Vote.objects.bulk_create(
        Vote(
            assessment=assessment, item=item, member=users["visitor"], answer=rng.choice(["2", "1", "1", "0"])
        )
        for item in ordered
    )
    Response.objects.bulk_create(
        Response(
            assessment=assessment,
            item=item,
            score=(score := _score(rng, 0.55)),
            evidence=_evidence(score, team, rng),
            recorded_by=facilitator,
        )
        for item in ordered[: len(ordered) // 2]
    )
