"""A team's progress over its completed assessments, lines kept whole across content versions."""

import datetime

import pytest
from django.urls import reverse

from assessments.reports.selectors import team_progress
from tests.factories import make_assessment, make_completed_assessment, make_version


@pytest.fixture
def across_versions(cast):
    """Completed assessments on version 1 and on version 2 (same codes, D22-3 dropped), and one open."""
    first = make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        held_on=datetime.date(2025, 9, 1),
        scores={"D11-1": 0, "D11-2": 0, "D11-3": 0},
    )
    second_version = make_version()
    second_version_items = second_version.best_practices.all()
    assert {i.code for i in second_version_items} == {i.code for i in cast.version.best_practices.all()}
    second = make_completed_assessment(
        team=cast.team,
        version=second_version,
        by=cast.facilitator,
        held_on=datetime.date(2026, 3, 1),
        scores={"D11-1": 2, "D11-2": 2, "D11-3": 2, "D12-1": None},
    )
    make_assessment(
        team=cast.team, version=second_version, by=cast.facilitator, held_on=datetime.date(2026, 9, 1)
    )
    return first, second


def progress_url(cast):
    return reverse("assessments:team_progress", args=[cast.team.pk])


@pytest.mark.parametrize("who", ["facilitator", "member", "coach", "admin"])
def test_team_members_their_coach_and_staff_see_the_progress(client, cast, across_versions, who):
    client.force_login(getattr(cast, who))
    assert client.get(progress_url(cast)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    response = client.get(progress_url(cast))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_outside_the_team_gets_404(client, cast, across_versions):
    client.force_login(cast.outsider)
    assert client.get(progress_url(cast)).status_code == 404


def test_lines_follow_drivers_by_code_across_versions(cast, across_versions):
    progress = team_progress(team=cast.team)
    assert [a.pk for a in progress.assessments] == [a.pk for a in across_versions]  # the open one is left out
    assert [s.driver("D11").score.percent for s in progress.scores] == [0, 100]


def test_heatmap_rows_match_items_by_code_so_a_new_version_adds_no_rows(cast, across_versions):
    progress = team_progress(team=cast.team)
    assert len(progress.items) == 12
    d11 = progress.items[0]
    assert (d11.code, [c.label for c in d11.cells]) == ("D11-1", ["0", "2"])
    d12 = next(i for i in progress.items if i.code == "D12-1")
    assert [c.label for c in d12.cells] == ["1", "N/A"]


def test_the_page_shows_both_charts_with_tables_and_summaries(client, cast, across_versions):
    client.force_login(cast.coach)
    html = client.get(progress_url(cast)).content.decode()
    assert html.count('role="img"') == 2
    assert '<script id="progress-lines-data"' in html and '<script id="item-heatmap-data"' in html
    assert "Driver scores per completed assessment" in html
    assert "From Sep 2025 to Mar 2026 the overall score went from 38% to 64%" in html
    assert reverse("assessments:export_team", args=[cast.team.pk, "csv"]) in html


def test_a_team_without_a_completed_assessment_is_told_so(client, cast, open_assessment):
    client.force_login(cast.member)
    html = client.get(progress_url(cast)).content.decode()
    assert "no completed assessment yet" in html
    assert "data-chart" not in html
