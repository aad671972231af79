"""The coach's portfolio: visible teams only, latest scores, what changed, who is past their next
assessment date (by each team's interval), what is waiting."""

import datetime

import pytest
from django.urls import reverse

from assessments.access import visible_teams
from assessments.models import Assessment
from assessments.reports.selectors import coach_portfolio
from tests.factories import (
    OrganizationFactory,
    TeamFactory,
    add_coach,
    make_assessment,
    make_completed_assessment,
)

PORTFOLIO = reverse("assessments:portfolio")
TODAY = datetime.date.today()


def completed(team, cast, days_ago, scores=None):
    return make_completed_assessment(
        team=team,
        version=cast.version,
        by=cast.facilitator,
        held_on=TODAY - datetime.timedelta(days=days_ago),
        scores=scores,
    )


@pytest.fixture
def portfolio_data(cast):
    """Riverside improved D11 (coached by carmen); Harbor (another organization) was assessed long ago."""
    completed(cast.team, cast, 200, {"D11-1": 2, "D11-2": 2, "D11-3": 2})
    completed(cast.team, cast, 20, {"D11-1": 0, "D11-2": 0, "D11-3": 0, "D12-1": 2})
    completed(cast.other_team, cast, 400)
    make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="consensus")
    return cast


@pytest.mark.parametrize("who", ["facilitator", "member", "coach", "admin"])
def test_members_coaches_and_staff_may_open_the_portfolio(client, portfolio_data, who):
    client.force_login(getattr(portfolio_data, who))
    assert client.get(PORTFOLIO).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PORTFOLIO)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_coach_sees_only_their_teams(client, portfolio_data):
    client.force_login(portfolio_data.coach)
    response = client.get(PORTFOLIO)
    assert [s.team.name for s in response.context["portfolio"].standings] == ["Riverside"]
    assert "Harbor" not in response.content.decode()


def test_an_outsider_sees_only_their_own_team(client, portfolio_data):
    client.force_login(portfolio_data.outsider)
    response = client.get(PORTFOLIO)
    assert [s.team.name for s in response.context["portfolio"].standings] == ["Harbor"]
    assert "Riverside" not in response.content.decode()


def test_staff_see_all_teams_and_can_filter_by_organization(client, portfolio_data):
    client.force_login(portfolio_data.admin)
    response = client.get(PORTFOLIO)
    assert {s.team.name for s in response.context["portfolio"].standings} == {"Riverside", "Harbor"}
    harbor = portfolio_data.other_team.organization_id
    response = client.get(PORTFOLIO, {"organization": harbor})
    assert [s.team.name for s in response.context["portfolio"].standings] == ["Harbor"]
    assert f'<option value="{harbor}" selected>' in response.content.decode()


def test_a_bad_organization_filter_says_so_and_shows_all_teams(client, portfolio_data):
    client.force_login(portfolio_data.admin)
    response = client.get(PORTFOLIO, {"organization": "harbor"})
    assert "That organization filter is not valid" in response.content.decode()
    assert len(response.context["portfolio"].standings) == 2


def test_a_coach_cannot_reach_another_teams_organization_through_the_filter(client, portfolio_data):
    client.force_login(portfolio_data.coach)
    response = client.get(PORTFOLIO, {"organization": portfolio_data.other_team.organization_id})
    assert response.context["portfolio"].standings == []


def test_the_heatmap_shows_each_teams_latest_completed_scores_with_the_change(client, portfolio_data):
    client.force_login(portfolio_data.coach)
    response = client.get(PORTFOLIO)
    (standing,) = response.context["portfolio"].standings
    # Latest: D11 0 of 6, D12 4 of 6, D21 3 of 6, D22 3 of 6 = 10 of 24; before: 6 + 3 + 3 + 3 = 15 of 24.
    assert standing.latest.overall.percent == pytest.approx(41.667, abs=0.001)
    assert standing.overall_change == -21  # 42% -> 63%, as shown (the exact -20.8 would read -21 too)
    assert standing.fallen == [("Driver 1.1", -100)]
    html = response.content.decode()
    assert "Driver 1.1 (-100 pts)" in html
    assert 'role="img"' in html and "<caption>Driver scores of each team" in html


def test_teams_past_their_next_assessment_date_are_listed_never_assessed_first(portfolio_data):
    newcomer = TeamFactory(name="Newcomer", organization=OrganizationFactory(name="New org"))
    portfolio = coach_portfolio(teams=visible_teams(portfolio_data.admin))
    assert [s.team.name for s in portfolio.overdue] == [newcomer.name, "Harbor"]


def test_each_team_is_due_by_its_own_interval(portfolio_data):
    """Riverside's latest was 20 days ago: due within a month's interval, not within six. Harbor's was 400
    days ago: due after 12 months, not after 24."""
    portfolio_data.team.assessment_interval_months = 1
    portfolio_data.team.save()
    portfolio_data.other_team.assessment_interval_months = 24
    portfolio_data.other_team.save()
    portfolio = coach_portfolio(teams=visible_teams(portfolio_data.admin))
    assert [s.team.name for s in portfolio.overdue] == []
    in_two_weeks = TODAY + datetime.timedelta(days=14)
    portfolio = coach_portfolio(teams=visible_teams(portfolio_data.admin), today=in_two_weeks)
    (riverside,) = portfolio.overdue
    assert riverside.team.name == "Riverside"
    assert riverside.next_assessment.due_on == portfolio_data.team.next_assessment_due(
        TODAY - datetime.timedelta(days=20)
    )


def test_the_page_says_since_when_a_team_is_due_and_at_what_interval(client, portfolio_data):
    client.force_login(portfolio_data.admin)
    html = client.get(PORTFOLIO).content.decode()
    harbor = portfolio_data.other_team.next_assessment_due(TODAY - datetime.timedelta(days=400))
    assert "Past their next assessment date" in html
    assert f"due since {harbor:%-d %b %Y} (every 6 months; last completed" in html
    client.force_login(portfolio_data.coach)
    assert "No team is past its next assessment date." in client.get(PORTFOLIO).content.decode()


def test_a_team_past_its_date_with_an_assessment_under_way_says_so(client, portfolio_data):
    make_assessment(
        team=portfolio_data.other_team, version=portfolio_data.version, by=portfolio_data.outsider
    )
    portfolio = coach_portfolio(teams=visible_teams(portfolio_data.admin))
    assert [(s.team.name, s.next_assessment.underway) for s in portfolio.overdue] == [("Harbor", True)]
    client.force_login(portfolio_data.admin)
    assert "last completed" in client.get(PORTFOLIO).content.decode()
    assert "· an assessment is under way</span>" in client.get(PORTFOLIO).content.decode()


def test_assessments_not_yet_completed_are_listed_with_their_consensus_progress(client, portfolio_data):
    client.force_login(portfolio_data.coach)
    (waiting,) = client.get(PORTFOLIO).context["portfolio"].waiting
    assert (waiting.status, waiting.answered, waiting.total) == (Assessment.Status.CONSENSUS, 0, 12)


def test_a_user_with_no_teams_sees_an_empty_portfolio(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    response = client.get(PORTFOLIO)
    assert response.status_code == 200
    assert "No teams to show." in response.content.decode()


def test_a_coach_of_two_teams_sees_both(client, portfolio_data):
    add_coach(portfolio_data.other_team, portfolio_data.coach)
    client.force_login(portfolio_data.coach)
    assert len(client.get(PORTFOLIO).context["portfolio"].standings) == 2


def test_the_heatmap_table_links_each_team_to_its_team_page(client, portfolio_data):
    client.force_login(portfolio_data.coach)
    html = client.get(PORTFOLIO).content.decode()
    team_page = reverse("assessments:team_detail", args=[portfolio_data.team.pk])
    assert f'<th scope="row"><a href="{team_page}">Riverside' in html
