"""The assessment cadence: each team's interval, when its next assessment is due, who may change the
interval, and what refused input leaves behind."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Team
from assessments.selectors import NextAssessment
from tests.factories import make_assessment, make_completed_assessment

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
BAD_INTERVAL = "Enter a whole number of months from 1 to 36."


def cadence_url(cast):
    return reverse("assessments:team_cadence", args=[cast.team.pk])


def team_page(client, cast):
    return client.get(reverse("assessments:team_detail", args=[cast.team.pk])).content.decode()


def interval_of(team) -> int:
    return Team.objects.get(pk=team.pk).assessment_interval_months


# --- The interval and the next due date -------------------------------------------------------------


def test_a_team_assesses_every_six_months_unless_told_otherwise(cast):
    assert cast.team.assessment_interval_months == 6
    assert cast.team.next_assessment_due(datetime.date(2026, 3, 10)) == datetime.date(2026, 9, 10)


@pytest.mark.parametrize(
    ("held_on", "months", "due"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),  # the 31st in a short month
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),  # a leap day a year later
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),  # across the year, into February
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),  # ... of a leap year
        (datetime.date(2026, 5, 31), 4, datetime.date(2026, 9, 30)),
        (datetime.date(2026, 11, 15), 3, datetime.date(2027, 2, 15)),
        (datetime.date(2026, 12, 1), 36, datetime.date(2029, 12, 1)),
    ],
)
def test_the_next_assessment_is_due_the_interval_after_the_latest(cast, held_on, months, due):
    cast.team.assessment_interval_months = months
    assert cast.team.next_assessment_due(held_on) == due


def test_a_team_without_a_completed_assessment_is_due_now(cast):
    due = selectors.team_next_assessment(team=cast.team, today=TODAY)
    assert (due.due_on, due.overdue, due.due_within(7), due.underway) == (None, True, True, False)
    make_assessment(team=cast.team, version=cast.version, by=cast.facilitator)  # open: not completed
    due = selectors.team_next_assessment(team=cast.team, today=TODAY)
    assert (due.due_on, due.overdue, due.underway) == (None, True, True)


def test_the_next_date_counts_from_the_latest_completed_assessment(cast):
    for held_on in (datetime.date(2025, 3, 1), datetime.date(2025, 9, 1)):
        make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator, held_on=held_on)
    due = selectors.team_next_assessment(team=cast.team, today=TODAY)
    assert (due.latest_held_on, due.due_on) == (datetime.date(2025, 9, 1), datetime.date(2026, 3, 1))
    assert due.overdue


@pytest.mark.parametrize(
    ("due_on", "overdue", "within_a_week"),
    [
        (TODAY - datetime.timedelta(days=1), True, True),
        (TODAY, False, True),  # due today is not yet overdue
        (TODAY + datetime.timedelta(days=7), False, True),
        (TODAY + datetime.timedelta(days=8), False, False),
    ],
)
def test_overdue_means_past_the_due_date(due_on, overdue, within_a_week):
    due = NextAssessment(interval_months=6, latest_held_on=None, due_on=due_on, today=TODAY)
    assert (due.overdue, due.due_within(7)) == (overdue, within_a_week)


# --- The team page ----------------------------------------------------------------------------------


def test_the_team_page_says_when_the_next_assessment_is_due(client, cast):
    held_on = datetime.date.today() - datetime.timedelta(days=30)
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator, held_on=held_on)
    client.force_login(cast.member)
    page = team_page(client, cast)
    assert f"Next assessment due:</strong> {cast.team.next_assessment_due(held_on):%-d %b %Y}" in page
    assert "The team assesses every 6 months" in page


def test_the_team_page_says_since_when_it_is_overdue(client, cast):
    held_on = datetime.date.today() - datetime.timedelta(days=200)
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator, held_on=held_on)
    client.force_login(cast.coach)
    page = team_page(client, cast)
    assert f"Next assessment overdue since {cast.team.next_assessment_due(held_on):%-d %b %Y}" in page


def test_the_team_page_says_when_the_due_assessment_is_under_way(client, cast):
    held_on = datetime.date.today() - datetime.timedelta(days=200)
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator, held_on=held_on)
    make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="consensus")
    client.force_login(cast.member)
    page = team_page(client, cast)
    assert "overdue since" in page and "(an assessment is under way)" in page


def test_the_team_page_says_a_first_assessment_is_due_now(client, cast):
    client.force_login(cast.member)
    assert "Next assessment due now:</strong> the team has no completed assessment yet." in team_page(
        client, cast
    )


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("facilitator", True),
        ("orgadmin", True),
        ("member", False),
        ("coach", False),
        ("meeting_coach", False),
    ],
)
def test_the_team_page_offers_the_interval_to_those_who_manage_the_team(client, cast, who, offered):
    client.force_login(getattr(cast, who))
    assert (f'action="{cadence_url(cast)}"' in team_page(client, cast)) is offered


# --- Changing the interval --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["facilitator", "orgadmin"])
def test_those_who_manage_the_team_change_its_interval(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(cadence_url(cast)).status_code == 200
    response = client.post(cadence_url(cast), {"assessment_interval_months": " 12 "})
    assert response.status_code == 302
    assert response.url == reverse("assessments:team_detail", args=[cast.team.pk])
    assert interval_of(cast.team) == 12
    page = client.get(response.url).content.decode()
    assert "Riverside now assesses every 12 months." in page
    assert "The team assesses every 12 months" in page


@pytest.mark.parametrize("value", ["0", "37", "six", "", "-3", "2.5"])
def test_an_interval_outside_1_to_36_months_is_refused_beside_the_field(client, cast, value):
    client.force_login(cast.facilitator)
    response = client.post(cadence_url(cast), {"assessment_interval_months": value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {"assessment_interval_months": [BAD_INTERVAL]}
    page = response.content.decode()
    assert BAD_INTERVAL in page and 'aria-invalid="true"' in page
    assert interval_of(cast.team) == 6


@pytest.mark.parametrize(
    ("who", "status"), [("member", 403), ("coach", 403), ("meeting_coach", 403), ("outsider", 404)]
)
def test_others_may_not_change_the_interval_and_nothing_changes(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(cadence_url(cast)).status_code == status
    assert client.post(cadence_url(cast), {"assessment_interval_months": "3"}).status_code == status
    assert interval_of(cast.team) == 6


def test_the_service_refuses_a_bad_interval_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as refused:
        services.team_update(team=cast.team, name="Renamed", assessment_interval_months=0)
    assert "assessment_interval_months" in refused.value.message_dict
    assert (cast.team.name, cast.team.assessment_interval_months) == ("Riverside", 6)
    saved = Team.objects.get(pk=cast.team.pk)
    assert (saved.name, saved.assessment_interval_months) == ("Riverside", 6)


def test_changing_the_interval_alone_keeps_the_rest_of_the_team(cast):
    services.team_update(team=cast.team, assessment_interval_months=9)
    saved = Team.objects.get(pk=cast.team.pk)
    assert (saved.name, saved.program, saved.level, saved.assessment_interval_months) == (
        "Riverside",
        "Structured literacy",
        "site",
        9,
    )


# --- The organization's team page and Django's admin ------------------------------------------------


def test_an_organization_admin_sets_the_interval_with_the_teams_name(client, cast):
    client.force_login(cast.orgadmin)
    url = reverse("assessments:organization_team", args=[cast.team.organization_id, cast.team.pk])
    data = {"name": "Riverside", "program": "Reading", "level": "site", "assessment_interval_months": "4"}
    assert client.post(url, data).status_code == 302
    assert interval_of(cast.team) == 4
    response = client.post(url, data | {"name": "Renamed", "assessment_interval_months": "40"})
    assert response.status_code == 200 and BAD_INTERVAL in response.content.decode()
    saved = Team.objects.get(pk=cast.team.pk)
    assert (saved.name, saved.assessment_interval_months) == ("Riverside", 4)


def test_the_admin_lists_each_teams_interval(client, cast):
    client.force_login(cast.admin)
    cast.team.assessment_interval_months = 9
    cast.team.save()
    page = client.get(reverse("admin:assessments_team_changelist")).content.decode()
    assert "Assess every (months)" in page and '<td class="field-assessment_interval_months">9</td>' in page
    change = client.get(reverse("admin:assessments_team_change", args=[cast.team.pk])).content.decode()
    assert 'name="assessment_interval_months"' in change
