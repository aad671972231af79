"""Driver targets for the next assessment: set after the team's latest completed assessment, shown beside
the scores on the next results page and on the progress chart."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.actions.models import Target
from assessments.actions.selectors.targets import targets_over_time
from assessments.actions.services.targets import targets_set
from assessments.reports.charts.progress import progress_lines
from assessments.reports.selectors import team_progress
from tests.assessments.actions.loop_data import completed
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def latest(cast):
    """The team's latest completed assessment: D11 at 3 of 6 points (50%), D12 at 6 of 6."""
    completed(cast, cast.version, (2025, 3), {})
    return completed(
        cast,
        cast.version,
        (2025, 9),
        {"D11-1": 2, "D11-2": 1, "D11-3": 0, "D12-1": 2, "D12-2": 2, "D12-3": 2},
    )


def stored(team):
    return dict(Target.objects.filter(team=team).values_list("driver_key", "percent"))


def url(assessment):
    return reverse("assessments:targets", args=[assessment.pk])


def test_targets_are_set_changed_and_cleared_with_their_history(cast, latest):
    assert targets_set(
        team=cast.team, after=latest, percents={"D11": 80, "D12": 90}, by=cast.facilitator
    ) == {
        "D11": 80,
        "D12": 90,
    }
    targets_set(team=cast.team, after=latest, percents={"D11": 70, "D12": None}, by=cast.member)
    assert stored(cast.team) == {"D11": 70}
    target = Target.objects.get(driver_key="D11")
    assert target.set_by == cast.member
    assert [h.percent for h in target.history.order_by("history_date")] == [80, 70]
    assert Target.history.filter(driver_key="D12", history_type="-").exists()


@pytest.mark.parametrize("percent", [101, -1, 12.5, True, "80"])
def test_a_target_outside_0_to_100_is_refused_by_driver_and_nothing_changes(cast, latest, percent):
    targets_set(team=cast.team, after=latest, percents={"D12": 90}, by=cast.facilitator)
    with pytest.raises(ValidationError) as refused:
        targets_set(team=cast.team, after=latest, percents={"D11": percent, "D12": 50}, by=cast.facilitator)
    assert refused.value.message_dict == {
        "D11": ["Enter a whole percent from 0 to 100, or leave it empty for no target."]
    }
    assert stored(cast.team) == {"D12": 90}


def test_targets_follow_only_the_teams_latest_completed_assessment(cast, latest):
    earlier = cast.team.assessments.get(held_on=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError, match=r"after the team's latest completed one \(1 Sep 2025\)"):
        targets_set(team=cast.team, after=earlier, percents={"D11": 80}, by=cast.facilitator)
    unfinished = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=datetime.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError, match="this one is not completed yet"):
        targets_set(team=cast.team, after=unfinished, percents={"D11": 80}, by=cast.facilitator)
    other = completed(cast, cast.version, (2025, 9), {}, team=cast.other_team)
    with pytest.raises(ValidationError, match="same team"):
        targets_set(team=cast.team, after=other, percents={"D11": 80}, by=cast.facilitator)
    with pytest.raises(ValidationError, match="XX is not a driver"):
        targets_set(team=cast.team, after=latest, percents={"XX": 80, "D11": 80}, by=cast.facilitator)
    assert not Target.objects.exists()


def test_the_page_shows_each_driver_with_its_score_and_target(client, cast, latest):
    targets_set(team=cast.team, after=latest, percents={"D11": 75}, by=cast.facilitator)
    client.force_login(cast.member)
    page = client.get(url(latest)).content.decode()
    assert page.count('type="number"') == 4
    assert 'for="id_target-D11"' in page and "now 50%" in page
    assert 'value="75"' in page


@pytest.mark.parametrize("who", ["facilitator", "member", "orgadmin"])
def test_the_team_sets_its_targets_from_the_form(client, cast, latest, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        url(latest), {"target-D11": "80", "target-D12": "", "target-D21": "0", "target-D22": "100"}
    )
    assert response.status_code == 302
    assert response.url == reverse("assessments:results", args=[latest.pk]) + "#next-steps"
    assert stored(cast.team) == {"D11": 80, "D21": 0, "D22": 100}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "Enter a whole percent from 0 to 100"),
        ("-5", "Enter a whole percent from 0 to 100"),
        ("eighty", "Enter a whole percent from 0 to 100"),
        ("12.5", "Enter a whole percent from 0 to 100"),
    ],
)
def test_a_bad_target_gets_a_message_beside_its_field_and_nothing_is_saved(
    client, cast, latest, value, message
):
    targets_set(team=cast.team, after=latest, percents={"D12": 90}, by=cast.facilitator)
    client.force_login(cast.facilitator)
    response = client.post(url(latest), {"target-D11": value, "target-D12": "50"})
    assert response.status_code == 422
    page = response.content.decode()
    field = page[page.index('id="id_target-D11"') : page.index('for="id_target-D12"')]
    assert message in field and 'aria-invalid="true"' in field
    assert "Nothing was saved" in page
    assert stored(cast.team) == {"D12": 90}


@pytest.mark.parametrize("who", ["coach", "meeting_coach"])
def test_a_coach_may_not_set_targets(client, cast, latest, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(latest)).status_code == 403
    assert client.post(url(latest), {"target-D11": "80"}).status_code == 403
    assert not Target.objects.exists()


def test_targets_after_an_assessment_of_another_team_are_not_found(client, cast, latest):
    other = completed(cast, cast.version, (2025, 9), {}, team=cast.other_team)
    client.force_login(cast.facilitator)
    assert client.post(url(other), {"target-D11": "80"}).status_code == 404
    assert not Target.objects.exists()


def test_targets_after_an_assessment_not_completed_are_refused_with_a_message(client, cast, latest):
    unfinished = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=datetime.date(2026, 3, 1)
    )
    client.force_login(cast.facilitator)
    page = client.get(url(unfinished)).content.decode()
    assert "this assessment is not completed yet" in page and 'type="number"' not in page
    response = client.post(url(unfinished), {"target-D11": "80"})
    assert response.status_code == 422
    assert "not completed yet" in response.content.decode()
    assert not Target.objects.exists()


def test_an_earlier_assessment_points_to_the_latest_for_its_targets(client, cast, latest):
    earlier = cast.team.assessments.get(held_on=datetime.date(2025, 3, 1))
    client.force_login(cast.facilitator)
    page = client.get(url(earlier)).content.decode()
    assert "after the team's latest completed one (1 Sep 2025)" in page
    assert url(latest) in page
    assert client.post(url(earlier), {"target-D11": "80"}).status_code == 422
    assert not Target.objects.exists()


@pytest.fixture
def aimed(cast, latest):
    """Targets set after `latest` and the next assessment: D11 reaches 67% of a 80% target, D12 its 90%."""
    targets_set(team=cast.team, after=latest, percents={"D11": 80, "D12": 90}, by=cast.facilitator)
    return completed(
        cast,
        cast.version,
        (2026, 3),
        {"D11-1": 2, "D11-2": 1, "D11-3": 1, "D12-1": 2, "D12-2": 2, "D12-3": 2},
    )


def test_the_next_results_show_each_target_beside_the_score(client, cast, latest, aimed):
    client.force_login(cast.member)
    page = client.get(reverse("assessments:results", args=[aimed.pk])).content.decode()
    assert "target 80%: 13 points short" in page  # 4 of 6 points: 67%
    assert "target 90%: reached" in page
    # The targets set after an assessment are shown on the next one's results, not on its own.
    assert "target 80%" not in client.get(reverse("assessments:results", args=[latest.pk])).content.decode()


def test_only_the_latest_completed_results_offer_to_set_targets_and_only_to_planners(
    client, cast, latest, aimed
):
    client.force_login(cast.member)
    link = url(aimed)
    assert link in client.get(reverse("assessments:results", args=[aimed.pk])).content.decode()
    assert url(latest) not in client.get(reverse("assessments:results", args=[latest.pk])).content.decode()
    client.force_login(cast.coach)
    assert link not in client.get(reverse("assessments:results", args=[aimed.pk])).content.decode()


def test_the_progress_chart_marks_the_targets_in_a_trace_of_their_own_with_table_and_summary(
    cast, latest, aimed
):
    targets_set(team=cast.team, after=aimed, percents={"D21": 60}, by=cast.facilitator)
    progress = team_progress(team=cast.team)
    targets = targets_over_time(assessments=progress.assessments)
    assert targets.aimed == [{}, {}, {"D11": 80, "D12": 90}]
    assert targets.upcoming == {"D21": 60}
    chart = progress_lines(progress, targets=targets.aimed, upcoming=targets.upcoming)
    (markers,) = [t for t in chart.figure["data"] if t["name"].startswith("Target")]
    assert markers["mode"] == "markers" and markers.get("showlegend", True)
    assert markers["x"] == ["2026-03-01", "2026-03-01"] and markers["y"] == [80, 90]
    assert markers["marker"]["symbol"] == ["circle-open", "square-open"]
    rows = {row[0]: row for row in chart.table.rows}
    assert rows["Driver 1.1"][1:] == ("50%", "50%", "67% (target 80%)", "—")
    assert rows["Driver 2.1"][-1] == "60%"
    assert chart.table.headers[-1] == "Targets for the next assessment"
    assert chart.summary.endswith(
        "At the latest assessment 1 of 2 driver targets were reached. "
        "A target is set for 1 driver at the next assessment."
    )
    narrow = chart.narrow["data"]
    assert any(t["name"].startswith("Target") for t in narrow)


def test_the_progress_page_shows_the_targets(client, cast, latest, aimed):
    client.force_login(cast.coach)
    page = client.get(reverse("assessments:team_progress", args=[cast.team.pk])).content.decode()
    assert "67% (target 80%)" in page and "1 of 2 driver targets were reached" in page
