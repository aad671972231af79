"""`manage.py generate_dataset` at a tiny scale: what it makes, that a seed makes the same data again, that
it refuses a database with teams unless asked to add, and that the people it makes can sign in and read
their pages."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from assessments.actions.models import ActionItem, Comment
from assessments.models import (
    Assessment,
    CoachAssignment,
    DriverTally,
    Membership,
    Organization,
    Response,
    Team,
    Vote,
)
from assessments.scoring import answer_tallies
from drivers.models import BestPractice
from implhub.dataset import DEFAULT_PASSWORD, STAFF_USERNAME, Scale, generate_dataset

TODAY = datetime.date(2026, 11, 20)
TINY = Scale(orgs=2, teams_per_org=3, assessments_per_team=3, members_per_team=4)


def _generate(**options) -> str:
    out = io.StringIO()
    arguments = {"orgs": 2, "teams_per_org": 3, "assessments_per_team": 3, "members_per_team": 4}
    call_command("generate_dataset", stdout=out, **{**arguments, **options})
    return out.getvalue()


class _Undo(Exception):
    pass


def _made_and_undone(version, size: Scale) -> list:
    """What generate_dataset makes at `size`, read back (without ids), then rolled back."""
    try:
        with transaction.atomic():
            generate_dataset(size=size, version=version, today=TODAY)
            snapshot = [
                sorted(get_user_model().objects.values_list("username", "first_name", "last_name")),
                sorted(Team.objects.values_list("organization__name", "name", "level")),
                sorted(Assessment.objects.values_list("team__name", "held_on", "status", "stage")),
                sorted(
                    Response.objects.values_list(
                        "assessment__team__name", "assessment__held_on", "item__code", "score", "evidence"
                    )
                ),
                sorted(
                    Vote.objects.values_list(
                        "assessment__held_on", "member__username", "item__code", "answer"
                    )
                ),
                sorted(ActionItem.objects.values_list("team__name", "title", "status", "due_on")),
            ]
            raise _Undo
    except _Undo:
        return snapshot


@pytest.mark.django_db
def test_it_makes_the_organizations_teams_people_and_assessments_asked_for(content):
    output = _generate()
    items = BestPractice.objects.filter(version=content).count()
    assert Organization.objects.count() == 2
    assert Team.objects.count() == 6
    assert Membership.objects.count() == 6 * 4
    assert Membership.objects.filter(role="facilitator").count() == 6
    assert CoachAssignment.objects.count() == 6  # one coach for up to ten teams, across organizations
    assert CoachAssignment.objects.values("coach").distinct().count() == 1
    # 2 organization admins, 4 people a team, 1 coach, 1 staff
    assert get_user_model().objects.count() == 2 + 6 * 4 + 1 + 1
    assert Assessment.objects.count() == 6 * 3
    for assessment in Assessment.objects.all():
        answers = assessment.responses.count()
        votes = assessment.votes.count()
        if assessment.is_completed:
            assert answers == items and votes == items * 3  # every member voted on every item
        elif assessment.in_consensus:
            assert answers == items // 2 and votes == items * 3
        else:
            assert answers == 0 and votes <= items * 3
    # A team works on one assessment at a time, and it is its latest.
    for team in Team.objects.all():
        statuses = list(team.assessments.order_by("held_on").values_list("status", flat=True))
        assert statuses[:-1] == ["completed"] * 2
    # Every organization has a team voting and one in its consensus meeting: the benchmark reads both.
    assert Team.objects.filter(name__endswith="team 01", assessments__status="open").count() == 2
    assert Team.objects.filter(name__endswith="team 02", assessments__status="consensus").count() == 2
    assert ActionItem.objects.exists() and Comment.objects.exists()
    assert f"{Response.objects.count():>10,}  responses" in output
    # Completed assessments carry their stored tallies, as completing one stores them.
    completed = list(Assessment.objects.filter(status="completed").values_list("pk", flat=True))
    summed = {tuple(row.values()) for row in answer_tallies(completed)}
    assert (
        set(
            DriverTally.objects.values_list(
                "assessment_id", "driver_id", "points", "scored", "not_applicable"
            )
        )
        == summed
    )
    assert f"{len(summed):>10,}  driver tallies" in output
    assert "No history rows were written" in output


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_data_and_another_seed_other_data(content):
    first = _made_and_undone(content, TINY)
    assert first == _made_and_undone(content, TINY)
    other = _made_and_undone(content, Scale(**{**TINY.__dict__, "seed": 2}))
    assert other[3] != first[3]  # the consensus answers


@pytest.mark.django_db
def test_scores_move_over_time(content):
    """Teams improve or slip: no team answers every assessment alike."""
    generate_dataset(size=TINY, version=content, today=TODAY)
    for team in Team.objects.all():
        by_assessment = [
            list(a.responses.order_by("item_id").values_list("score", flat=True))
            for a in team.assessments.filter(status="completed")
        ]
        assert len({tuple(scores) for scores in by_assessment}) == len(by_assessment)


@pytest.mark.django_db
def test_it_refuses_a_database_that_has_teams_and_adds_to_it_only_when_asked(content):
    _generate()
    counts = (Team.objects.count(), Assessment.objects.count(), Response.objects.count())
    with pytest.raises(CommandError, match="--append"):
        _generate()
    assert (Team.objects.count(), Assessment.objects.count(), Response.objects.count()) == counts
    _generate(append=True, orgs=1)
    assert Organization.objects.count() == 3 and Team.objects.count() == 9


@pytest.mark.django_db
def test_it_loads_the_framework_content_when_there_is_none():
    output = _generate(orgs=1, assessments_per_team=2)
    assert "Implementation Drivers v1 (published) created" in output
    assert Response.objects.filter(assessment__version__number=1).exists()


@pytest.mark.django_db
def test_generated_people_sign_in_with_the_one_password_and_read_their_pages(client, content):
    generate_dataset(size=TINY, version=content, today=TODAY)
    member = get_user_model().objects.get(username="o001t01-m1")
    assert member.check_password(DEFAULT_PASSWORD)
    signed_in = client.post(reverse("login"), {"username": member.username, "password": DEFAULT_PASSWORD})
    assert signed_in.status_code == 302
    latest = Assessment.objects.filter(team__memberships__user=member, status="completed").first()
    assert client.get(reverse("assessments:results", kwargs={"assessment_id": latest.pk})).status_code == 200
    client.force_login(get_user_model().objects.get(username=STAFF_USERNAME))
    portfolio = client.get(reverse("assessments:portfolio"))
    assert portfolio.status_code == 200 and b"team 03" in portfolio.content


def test_it_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        _generate()
