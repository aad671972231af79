"""The consensus board and a save on it run the same number of queries whatever the number of open actions
on its items, their owners, and the number of teams with actions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.actions.models import ActionItem
from tests.factories import (
    TeamFactory,
    UserFactory,
    add_member,
    make_assessment,
    make_completed_assessment,
    make_version,
)

pytestmark = pytest.mark.django_db


def board_with_actions(*, actions: int, other_teams: int, version):
    """A team in consensus, with `actions` open actions (owned by its members, on one or two items each)
    from its completed assessment, and as many on each of `other_teams` other teams; its facilitator."""
    team, facilitator = TeamFactory(), UserFactory()
    add_member(team, facilitator, "facilitator")
    items = list(version.best_practices.select_related("driver"))
    held_on = datetime.date(2025, 9, 1)
    first = make_completed_assessment(team=team, version=version, by=facilitator, held_on=held_on)
    sources = [first] + [
        make_completed_assessment(
            team=TeamFactory(organization=team.organization), version=version, by=facilitator, held_on=held_on
        )
        for _n in range(other_teams)
    ]
    owners = [UserFactory() for _n in range(3)]
    for owner in owners:
        add_member(team, owner)
    made = ActionItem.objects.bulk_create(
        ActionItem(
            team_id=source.team_id,
            assessment=source,
            title=f"Action {n}",
            driver=items[n % len(items)].driver,
            owner=owners[n % len(owners)] if source == first else None,
            status="planned" if n % 2 else "in_progress",
            due_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        )
        for source in sources
        for n in range(actions)
    )
    ActionItem.items.through.objects.bulk_create(
        ActionItem.items.through(actionitem=action, bestpractice=item)
        for n, action in enumerate(made)
        for item in items[n % len(items) :][: 1 + n % 2]
    )
    assessment = make_assessment(
        team=team, version=version, by=facilitator, held_on=datetime.date(2026, 3, 1)
    )
    assessment.status = "consensus"
    assessment.save()
    return assessment, facilitator


def count(client, method, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_board_reads_its_open_actions_in_a_fixed_number_of_queries(client):
    def measure(assessment, facilitator):
        client.force_login(facilitator)
        board, page = count(client, "get", reverse("assessments:consensus", args=[assessment.pk]))
        assert "Action 1" in page
        save, _page = count(
            client,
            "post",
            reverse("assessments:response_save", args=[assessment.pk, "D11-1"]),
            data={"D11-1-score": "2", "D11-1-revision": "0"},
            HTTP_HX_REQUEST="true",
        )
        return board, save

    small = measure(*board_with_actions(actions=2, other_teams=0, version=make_version()))
    large_version = make_version(drivers_per_category=5, items_per_driver=8, framework_slug="large")
    large = measure(*board_with_actions(actions=60, other_teams=10, version=large_version))
    # The board's 9 and a first save's 13 (it creates the answer and its history row), each with one query
    # for the open actions (the actions' items with the actions and their owners).
    assert small == large == (10, 14)
