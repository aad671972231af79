"""The coach's portfolio: visible teams only, latest scores, what changed, who is past their next
assessment date (by each team's interval), what is waiting."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.access import visible_teams
from assessments.models import Assessment
from assessments.reports.selectors import coach_portfolio
from drivers.services import version_publish
from tests.factories import (
    OrganizationFactory,
    TeamFactory,
    add_coach,
    make_assessment,
    make_completed_assessment,
    make_version,
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


@pytest.mark.parametrize(
    "bad", [{"organization": "harbor"}, {"organization": "999999"}, {"level": "planet"}, {"page": "x"}]
)
def test_a_bad_filter_value_is_ignored_and_said_so_beside_its_field(client, portfolio_data, bad):
    client.force_login(portfolio_data.admin)
    response = client.get(PORTFOLIO, bad)
    assert response.status_code == 200
    assert len(response.context["portfolio"].standings) == 2
    if "page" not in bad:
        assert 'class="invalid-feedback"' in response.content.decode()


def test_a_bad_filter_value_leaves_the_valid_ones_applied(client, portfolio_data):
    client.force_login(portfolio_data.admin)
    response = client.get(PORTFOLIO, {"organization": "harbor", "level": "district"})
    assert response.context["portfolio"].standings == []


def test_a_coach_cannot_reach_another_teams_organization_through_the_filter(client, portfolio_data):
    client.force_login(portfolio_data.coach)
    response = client.get(PORTFOLIO, {"organization": portfolio_data.other_team.organization_id})
    assert [s.team.name for s in response.context["portfolio"].standings] == ["Riverside"]
    assert "Harbor" not in response.content.decode()


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


def many_teams(count, organization=None, prefix="Team", **kwargs):
    organization = organization or OrganizationFactory(name="Many")
    return [TeamFactory(name=f"{prefix} {n:03}", organization=organization, **kwargs) for n in range(count)]


def test_the_portfolio_shows_fifty_teams_a_page_and_keeps_the_filters_in_its_links(client, admin_user):
    teams = many_teams(60, level="district")
    client.force_login(admin_user)
    first = client.get(PORTFOLIO, {"level": "district"})
    assert [s.team for s in first.context["portfolio"].standings] == teams[:50]
    html = first.content.decode()
    assert "Teams 1 to 50 of 60" in html and "Page 1 of 2" in html
    assert 'href="?level=district&amp;page=2" rel="next"' in html
    second = client.get(PORTFOLIO, {"level": "district", "page": 2})
    assert [s.team for s in second.context["portfolio"].standings] == teams[50:]
    assert 'href="?level=district&amp;page=1" rel="prev"' in second.content.decode()
    assert "Team 000" not in second.content.decode()
    # A page past the end shows the last page, not an error.
    assert client.get(PORTFOLIO, {"page": 99}).context["portfolio"].page.number == 2


def test_the_level_filter(client, portfolio_data):
    portfolio_data.other_team.level = "district"
    portfolio_data.other_team.save()
    client.force_login(portfolio_data.admin)
    response = client.get(PORTFOLIO, {"level": "district"})
    assert [s.team.name for s in response.context["portfolio"].standings] == ["Harbor"]
    assert '<option value="district" selected>' in response.content.decode()


def test_the_due_filter_shows_the_teams_past_their_next_assessment_date(client, portfolio_data):
    newcomer = TeamFactory(name="Newcomer", organization=portfolio_data.other_team.organization)
    client.force_login(portfolio_data.admin)
    response = client.get(PORTFOLIO, {"due": "1"})
    assert [s.team for s in response.context["portfolio"].standings] == [portfolio_data.other_team, newcomer]
    assert all(s.overdue for s in response.context["portfolio"].standings)
    assert 'name="due" value="1" id="id_due" checked' in response.content.decode()


@pytest.mark.parametrize(
    ("points", "scored", "benchmark", "below"),
    [
        # 3 of 8 points is 37.5%, shown as 38%: at a 38% benchmark (README, "How scores are rounded").
        (3, 4, 38, False),
        (3, 4, 39, True),
        (7, 6, 58, False),  # 58.3% shows as 58%
        (7, 6, 59, True),
        (5, 4, 63, False),  # 62.5% shows as 63%
        (5, 4, 64, True),
        (0, 0, 80, False),  # all N/A: no score shown, so not below
    ],
)
def test_the_below_benchmark_filter_uses_the_shown_percent(cast, points, scored, benchmark, below):
    """The filter decides in the database with scoring's rule; it agrees with `Score.reaches`."""
    from assessments.models import Response
    from assessments.scoring import Score, assessment_scores
    from assessments.services.scores import tallies_store

    draft = make_version(publish=False, framework_slug="benchmarked")
    draft.benchmark = benchmark
    draft.save()
    version = version_publish(version=draft)
    assessment = make_assessment(team=cast.team, version=version, by=cast.facilitator, status="completed")
    items = list(version.best_practices.order_by("pk"))
    assert len(items) >= scored + 1
    twos, one = divmod(points, 2)
    answers = [2] * twos + [1] * one + [0] * (scored - twos - one)
    Response.objects.bulk_create(
        [
            Response(assessment=assessment, item=i, score=a, recorded_by=cast.facilitator)
            for i, a in zip(items[:scored], answers, strict=True)
        ]
        + [
            Response(
                assessment=assessment,
                item=items[scored],
                not_applicable=True,
                na_reason="No such program.",
                recorded_by=cast.facilitator,
            )
        ]
    )
    tallies_store(assessment_ids=[assessment.pk])  # as completing does
    overall = assessment_scores(assessments=[assessment])[assessment.pk].overall
    assert (overall.points, overall.scored) == (points, scored)
    found = coach_portfolio(teams=visible_teams(cast.admin), below_benchmark=True).standings
    assert [s.team for s in found] == ([cast.team] if below else [])
    assert below == (overall.scored > 0 and not Score(points=points, scored=scored).reaches(benchmark))


def test_the_below_benchmark_filter_reads_each_teams_latest_assessment_only(client, portfolio_data):
    """Riverside's latest is 42% (below 80%), its earlier one higher; Harbor's earlier one was 50%, its latest
    fully in place (100%), and only the latest counts."""
    everything = {item.code: 2 for item in portfolio_data.version.best_practices.all()}
    completed(portfolio_data.other_team, portfolio_data, 5, everything)
    client.force_login(portfolio_data.admin)
    response = client.get(PORTFOLIO, {"below": "1"})
    assert [s.team.name for s in response.context["portfolio"].standings] == ["Riverside"]


def test_the_first_page_runs_as_many_queries_with_sixty_teams_as_with_three(client, cast):
    """Unfiltered and with every filter (the teams' latest, 300 days ago, is below an 80% benchmark and
    past a six-month interval), whatever the number of teams."""

    def first_page_queries(teams):
        for team in teams:
            completed(team, cast, 400, {"D11-1": 2})
            completed(team, cast, 300, {"D11-1": 0})
            make_assessment(team=team, version=cast.version, by=cast.facilitator, status="consensus")
        client.force_login(cast.admin)
        counts = []
        for filters in (
            {},
            {"below": "1", "due": "1", "level": "site", "organization": team.organization_id},
        ):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(PORTFOLIO, filters)
            assert response.status_code == 200
            counts.append((len(captured.captured_queries), len(response.context["portfolio"].standings)))
        return counts

    small = first_page_queries(many_teams(3, organization=cast.other_team.organization))
    large = first_page_queries(many_teams(57, organization=cast.other_team.organization, prefix="More"))
    assert [queries for queries, _ in small] == [queries for queries, _ in large]
    assert [teams for _, teams in small] == [5, 3] and [teams for _, teams in large] == [50, 50]
