"""Dashboards and exports run the same number of queries for 1 team as for 50 teams x 4 assessments."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, CoachAssignment, Membership, Participant, Response, Team, Vote
from drivers.models import BestPractice
from drivers.services import version_publish
from tests.factories import OrganizationFactory, UserFactory, make_version

# Queries per request, measured as a coach (the largest). Every request: session and user (2), then the
# access check: the assessment or team with the user's role in it (1); on HTML pages, whether the
# navigation shows the portfolio (1 for a coach, none for staff). Then the page's own, fixed reads:
EXPECTED = {
    # + previous completed assessment, scores (2); what to work on next: the answers, the previous answers,
    # the targets aimed at this assessment, the latest completed one (may targets be set), the actions since
    # the previous one (none here; with actions, their items, answers and driver scores follow:
    # tests/assessments/reports/test_next_steps.py); its items carry "Plan an action" for those who plan;
    # the comments (1)
    "results": 13,
    "driver_detail": 12,  # results + items, responses, votes, previous responses, comments
    # driver detail of all drivers + participants (with who voted) + the answered items that call for the
    # voice of the people served while none took part (missing_voices, one query) + the actions planned
    # from the assessment (one query; two more, their items and notes, once there is one: see
    # tests/assessments/actions/test_plan_queries.py)
    "report": 14,
    "team_progress": 10,  # completed assessments, scores (2), responses, items, targets
    # organizations, teams counted and the page of them, two latest per team, scores (2), waiting assessments
    "portfolio (coach)": 10,
    "portfolio (staff)": 9,
    # assessments, scores (2), items of their versions, answers (one query per 250 assessments); XLSX's Scores
    # sheet reuses what the Items sheet reads when the file is one batch (a team's history)
    "export_assessment csv": 8,
    "export_assessment xlsx": 8,
    "export_team csv": 8,
    "export_team xlsx": 8,
}


@dataclass
class World:
    team: Team
    latest: Assessment
    facilitator: object
    coach: object


def flagged_version(**kwargs):
    """A published version whose every third item calls for the voice of the people served."""
    draft = make_version(publish=False, **kwargs)
    BestPractice.objects.filter(pk__in=[i.pk for i in draft.best_practices.all()[::3]]).update(
        calls_for_people_served=True
    )
    return version_publish(version=draft)


def build_world(name: str, *, teams: int, assessments: int, version, guests: int = 1) -> World:
    """Teams of one organization, all with one coach, each with completed and fully answered assessments."""
    organization = OrganizationFactory(name=name)
    facilitator = UserFactory(username=f"{name}-facilitator")
    members = [UserFactory(username=f"{name}-member{n}") for n in range(3)]
    coach = UserFactory(username=f"{name}-coach")
    team_rows = Team.objects.bulk_create(
        Team(organization=organization, name=f"{name} team {n}", program="Structured literacy")
        for n in range(teams)
    )
    CoachAssignment.objects.bulk_create(CoachAssignment(team=t, coach=coach) for t in team_rows)
    Membership.objects.bulk_create(
        [Membership(team=team_rows[0], user=facilitator, role="facilitator")]
        + [Membership(team=team_rows[0], user=m, role="member") for m in members]
    )
    rows = Assessment.objects.bulk_create(
        Assessment(
            team=t,
            version=version,
            created_by=facilitator,
            completed_by=facilitator,
            status="completed",
            stage="installation",
            held_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=182 * n),
        )
        for t in team_rows
        for n in range(assessments)
    )
    items = list(version.best_practices.all())
    Response.objects.bulk_create(
        Response(
            assessment=a,
            item=item,
            score=(a.pk + item.pk) % 3,
            evidence="Seen in the minutes.",
            recorded_by=facilitator,
        )
        for a in rows
        for item in items
    )
    latest = max((a for a in rows if a.team_id == team_rows[0].pk), key=lambda a: a.held_on)
    Vote.objects.bulk_create(
        Vote(assessment=latest, item=item, member=m, answer="2") for item in items for m in members
    )
    # Who took part: the facilitator and the members (linked: the report tells who voted), and guests by
    # name, none of the people served (the report says so for the items that call for them).
    Participant.objects.bulk_create(
        [
            Participant(assessment=latest, name=u.username, group="staff", member=u)
            for u in [facilitator, *members]
        ]
        + [Participant(assessment=latest, name=f"Guest {n}", group="partner") for n in range(guests)]
    )
    # One assessment waiting for consensus per team, for the portfolio's list.
    Assessment.objects.bulk_create(
        Assessment(
            team=t,
            version=version,
            created_by=facilitator,
            status="consensus",
            stage="initial",
            held_on=datetime.date(2026, 6, 1),
        )
        for t in team_rows
    )
    return World(team=team_rows[0], latest=latest, facilitator=facilitator, coach=coach)


def requests(world: World, admin) -> dict[str, tuple]:
    driver = world.latest.version.drivers.order_by("pk").first().code
    return {
        "results": (world.facilitator, reverse("assessments:results", args=[world.latest.pk])),
        "driver_detail": (
            world.facilitator,
            reverse("assessments:driver_detail", args=[world.latest.pk, driver]),
        ),
        "report": (world.facilitator, reverse("assessments:report", args=[world.latest.pk])),
        "team_progress": (world.coach, reverse("assessments:team_progress", args=[world.team.pk])),
        "portfolio (coach)": (world.coach, reverse("assessments:portfolio")),
        "portfolio (staff)": (admin, reverse("assessments:portfolio")),
        **{
            f"export_assessment {fmt}": (
                world.facilitator,
                reverse("assessments:export_assessment", args=[world.latest.pk, fmt]),
            )
            for fmt in ("csv", "xlsx")
        },
        **{
            f"export_team {fmt}": (world.coach, reverse("assessments:export_team", args=[world.team.pk, fmt]))
            for fmt in ("csv", "xlsx")
        },
    }


def count_queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_teams_assessments_or_items(client):
    admin = UserFactory(username="perf-admin", is_staff=True)
    small = build_world("small", teams=1, assessments=2, version=flagged_version())
    small_counts = {page: count_queries(client, *request) for page, request in requests(small, admin).items()}

    bigger_version = flagged_version(
        categories=3, drivers_per_category=3, items_per_driver=8, framework_slug="big"
    )
    large = build_world("large", teams=50, assessments=4, version=bigger_version, guests=12)
    large_counts = {page: count_queries(client, *request) for page, request in requests(large, admin).items()}

    assert small_counts == large_counts
    assert large_counts == EXPECTED
    # The report measured tells who voted and warns of the missing voices, at both sizes.
    page = client.get(reverse("assessments:report", args=[large.latest.pk])).content.decode()
    assert "voted" in page and "call for the voice of the people served" in page
