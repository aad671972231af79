"""The action plan's pages run the same number of queries for a team with one action among no other team
as for a team with 20 actions among 50 teams of 20 actions each: the page of one team grows neither with
the other teams nor with its own actions, their items or their notes."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.actions.models import ActionItem, ProgressNote
from assessments.models import Assessment, Membership, Response, Team
from tests.factories import OrganizationFactory, UserFactory, make_version

# Queries per request: session and user (2), the team with the user's roles in it (1), and on HTML pages
# whether the navigation shows the portfolio (1). Then each page's own, fixed reads:
EXPECTED = {
    # the team's actions (with driver, version, owner, assessment), their items, their notes, the drivers'
    # names in the newest version, the team's people (the owner filter); what happened to the actions'
    # items by the next assessment (the loop: 4 here, all on one content version)
    "plan": 13,
    "plan (filtered)": 13,
    # the action (with everything it points to), its items, its notes, what happened to them (4), its
    # comments; for those who plan: the driver's items and the team's people (the edit form's choices)
    "detail": 14,
    # the assessment and the item with its driver, then the form's items and owners
    "new": 8,
    # the team page's own reads + the plan's summary (one count) + when the next assessment is due + the
    # comments new to the reader
    "team": 11,
    # what the results page reads for those who plan (the perf suite's count, with the actions since the
    # previous assessment) and its comments
    "results": 10,
    # the report's reads (12 with no participant listed: see tests/perf) + the actions of the assessment,
    # their items and their notes
    "report": 15,
    # the plan's reads, what happened included
    "export csv": 12,
    "export xlsx": 12,
}


@dataclass
class World:
    team: Team
    assessment: Assessment
    action: ActionItem
    facilitator: object


def build_world(name: str, *, teams: int, actions: int, notes: int) -> World:
    """Teams of one organization, each with a completed, fully answered assessment and `actions` actions
    on its drivers, each action on two items with `notes` progress notes. The first team has a facilitator
    and two members, who own its actions."""
    version = make_version(framework_slug=name)
    organization = OrganizationFactory(name=name)
    facilitator = UserFactory(username=f"{name}-facilitator")
    members = [UserFactory(username=f"{name}-member{n}") for n in range(2)]
    team_rows = Team.objects.bulk_create(
        Team(organization=organization, name=f"{name} team {n}", program="Structured literacy")
        for n in range(teams)
    )
    Membership.objects.bulk_create(
        [Membership(team=team_rows[0], user=facilitator, role="facilitator")]
        + [Membership(team=team_rows[0], user=m, role="member") for m in members]
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            team=t,
            version=version,
            created_by=facilitator,
            completed_by=facilitator,
            status="completed",
            stage="installation",
            held_on=datetime.date(2026, 1, 15),
        )
        for t in team_rows
    )
    items = list(version.best_practices.select_related("driver").order_by("driver__code", "order"))
    Response.objects.bulk_create(
        Response(assessment=a, item=item, score=(a.pk + item.pk) % 3, recorded_by=facilitator)
        for a in assessments
        for item in items
    )
    drivers = sorted({item.driver for item in items}, key=lambda d: d.code)
    rows = ActionItem.objects.bulk_create(
        ActionItem(
            team=a.team,
            assessment=a,
            driver=drivers[n % len(drivers)],
            title=f"Action {n} of {a.team.name}",
            owner=members[n % 2] if a.team == team_rows[0] and n % 3 else None,
            owner_name="" if a.team == team_rows[0] and n % 3 else "Jo Park",
            due_on=datetime.date(2026, 1, 15) + datetime.timedelta(days=20 * n),
            status=ActionItem.Status.values[n % 4],
            dropped_reason="No budget." if n % 4 == 3 else "",
        )
        for a in assessments
        for n in range(actions)
    )
    by_driver = {d.pk: [i for i in items if i.driver_id == d.pk] for d in drivers}
    ActionItem.items.through.objects.bulk_create(
        ActionItem.items.through(actionitem=action, bestpractice=item)
        for action in rows
        for item in by_driver[action.driver_id][:2]
    )
    ProgressNote.objects.bulk_create(
        ProgressNote(
            action=action, text=f"Note {n}.", written_on=datetime.date(2026, 2, 1), author=facilitator
        )
        for action in rows
        for n in range(notes)
    )
    first = assessments[0]
    return World(
        team=team_rows[0],
        assessment=first,
        action=next(a for a in rows if a.team_id == team_rows[0].pk),
        facilitator=facilitator,
    )


def pages(world: World) -> dict[str, str]:
    team, action = world.team.pk, world.action
    return {
        "plan": reverse("assessments:action_plan", args=[team]),
        "plan (filtered)": reverse("assessments:action_plan", args=[team])
        + "?status=open&owner=name-Jo%20Park",
        "detail": reverse("assessments:action_detail", args=[team, action.pk]),
        "new": reverse("assessments:action_new", args=[team])
        + f"?assessment={world.assessment.pk}&item={action.items.first().code}",
        "team": reverse("assessments:team_detail", args=[team]),
        "results": reverse("assessments:results", args=[world.assessment.pk]),
        "report": reverse("assessments:report", args=[world.assessment.pk]),
        "export csv": reverse("assessments:export_plan", args=[team, "csv"]),
        "export xlsx": reverse("assessments:export_plan", args=[team, "xlsx"]),
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
def test_the_plan_pages_do_not_grow_with_teams_actions_items_or_notes(client):
    small = build_world("small", teams=1, actions=1, notes=1)
    small_counts = {page: count_queries(client, small.facilitator, url) for page, url in pages(small).items()}
    large = build_world("large", teams=50, actions=20, notes=3)
    large_counts = {page: count_queries(client, large.facilitator, url) for page, url in pages(large).items()}
    assert small_counts == large_counts
    assert large_counts == EXPECTED
    # The large plan shows its team's 20 actions and no other team's.
    page = client.get(reverse("assessments:action_plan", args=[large.team.pk])).content.decode()
    assert page.count('class="action-row"') == 20 and "large team 1 " not in page
