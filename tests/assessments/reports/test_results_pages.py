"""The results page, one driver's detail and the printable report of an assessment."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Participant, Response, Vote
from tests.factories import make_completed_assessment

PAGES = ["results", "report"]


@pytest.fixture
def history(cast):
    """Two completed assessments of the cast's team: D11 goes from 1 of 6 points to 5 of 6."""
    before = make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        held_on=datetime.date(2025, 9, 1),
        scores={"D11-1": 1, "D11-2": 0, "D11-3": 0},
    )
    latest = make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        held_on=datetime.date(2026, 3, 1),
        scores={"D11-1": 2, "D11-2": 2, "D11-3": 1, "D21-1": None, "D21-2": None, "D21-3": None},
    )
    Response.objects.filter(assessment=latest, item__code="D11-1").update(
        evidence="Minutes of the May meeting."
    )
    return before, latest


def url(name, assessment, *args):
    return reverse(f"assessments:{name}", args=[assessment.pk, *args])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["facilitator", "member", "coach", "admin"])
def test_team_members_their_coach_and_staff_see_the_results(client, cast, history, page, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(page, history[1])).status_code == 200
    assert client.get(url("driver_detail", history[1], "D11")).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, history, page):
    response = client.get(url(page, history[1]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES)
def test_a_user_outside_the_team_gets_404(client, cast, history, page):
    client.force_login(cast.outsider)
    assert client.get(url(page, history[1])).status_code == 404
    assert client.get(url("driver_detail", history[1], "D11")).status_code == 404


def test_a_missing_assessment_gets_404(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("assessments:results", args=[999999])).status_code == 404


def test_the_results_show_scores_the_change_and_a_chart_with_its_table_and_summary(client, cast, history):
    client.force_login(cast.member)
    response = client.get(url("results", history[1]))
    html = response.content.decode()
    # Overall: D11 5/6 + D12 3/6 + D21 all N/A + D22 3/6 = 11 of 18 points.
    assert "11 of 18 points" in html
    assert "61%" in html
    assert "no score (all N/A)" in html
    assert "+66 pts" in html  # D11: 17% -> 83%, the difference of the percents shown
    assert 'role="img"' in html and "aria-label=" in html
    assert '<script id="driver-profile-data" type="application/json">' in html
    # The phone's figure travels with it; charts.js picks one by the width.
    assert 'data-chart-narrow="driver-profile-narrow-data"' in html
    assert '<script id="driver-profile-narrow-data" type="application/json">' in html
    assert "<caption>Driver, category and overall scores" in html
    assert "at or above the 80% benchmark" in html
    assert "vendor/plotly/plotly.min.js" in html
    assert "cdn." not in html
    assert "Provisional" not in html


def test_an_assessment_not_completed_shows_provisional_scores_with_a_notice(client, cast, open_assessment):
    item = cast.version.best_practices.get(code="D11-1")
    Response.objects.create(assessment=open_assessment, item=item, score=2, recorded_by=cast.facilitator)
    client.force_login(cast.facilitator)
    html = client.get(url("results", open_assessment)).content.decode()
    assert "Provisional." in html
    assert "This assessment is still open for votes, not completed" in html
    assert "count only the 1 item answered so far" in html  # one item, not "1 items"
    assert "11 not answered yet" in html


def test_an_assessment_without_answers_shows_no_chart(client, cast, open_assessment):
    client.force_login(cast.facilitator)
    html = client.get(url("results", open_assessment)).content.decode()
    assert "no profile to draw" in html
    assert "data-chart" not in html


def test_the_driver_detail_shows_each_item_with_evidence_votes_and_change(client, cast, history):
    latest = history[1]
    item = cast.version.best_practices.get(code="D11-1")
    Vote.objects.create(assessment=latest, item=item, member=cast.member, answer="2")
    Vote.objects.create(assessment=latest, item=item, member=cast.member2, answer="dk")
    client.force_login(cast.coach)
    response = client.get(url("driver_detail", latest, "D11"))
    html = response.content.decode()
    rows = response.context["section"].items
    assert [r.item.code for r in rows] == ["D11-1", "D11-2", "D11-3"]
    assert [r.change for r in rows] == [1, 2, 1]
    assert rows[0].spread == [
        ("2", "In place", 1),
        ("1", "Partially in place", 0),
        ("0", "Not in place", 0),
        ("dk", "Don't know", 1),
    ]
    assert "Minutes of the May meeting." in html
    assert "83%" in html and "+66 pts" in html


def test_a_driver_not_in_the_version_gets_404(client, cast, history):
    client.force_login(cast.facilitator)
    assert client.get(url("driver_detail", history[1], "NOPE")).status_code == 404


def test_the_first_assessment_has_nothing_to_compare_with(client, cast, history):
    client.force_login(cast.facilitator)
    html = client.get(url("driver_detail", history[0], "D11")).content.decode()
    assert "the previous assessment (none yet)" in html


def test_the_report_has_the_context_the_chart_and_every_item_with_its_evidence(client, cast, history):
    Participant.objects.create(assessment=history[1], name="Jordan Lee", group="recipient", role="Parent")
    client.force_login(cast.member2)
    html = client.get(url("report", history[1])).content.decode()
    assert "Jordan Lee (service recipient, parent)" in html
    assert cast.team.program in html
    assert "Minutes of the May meeting." in html
    assert html.count('class="report-driver"') == 4
    assert "D22-3" in html
    assert "Save as PDF" in html


def test_status_words_read_as_sentences_in_the_notice_and_the_report(client, cast, open_assessment):
    item = cast.version.best_practices.get(code="D11-1")
    Response.objects.create(assessment=open_assessment, item=item, score=2, recorded_by=cast.facilitator)
    open_assessment.status = "consensus"
    open_assessment.save()
    client.force_login(cast.facilitator)
    html = client.get(url("results", open_assessment)).content.decode()
    assert "This assessment is in consensus, not yet completed" in html  # not "is consensus"
    assert ">In consensus</span>" in html  # the badge
    report = client.get(url("report", open_assessment)).content.decode()
    assert "In consensus, not yet completed" in report


def test_the_report_says_when_it_was_completed(client, cast, history):
    history[1].completed_at = datetime.datetime(2026, 3, 2, 16, tzinfo=datetime.UTC)
    history[1].save()
    client.force_login(cast.member)
    assert "Completed on 2 March 2026" in client.get(url("report", history[1])).content.decode()


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("results", "Results · Assessment of 1 Mar 2026 · Riverside · implhub"),
        ("report", "Report · Assessment of 1 Mar 2026 · Riverside · implhub"),
        ("assessment_detail", "Assessment of 1 Mar 2026 · Riverside · implhub"),
        ("consensus", "Consensus · Assessment of 1 Mar 2026 · Riverside · implhub"),
    ],
)
def test_page_titles_say_what_the_page_is(client, cast, history, name, title):
    client.force_login(cast.member)
    assert f"<title>{title}</title>" in client.get(url(name, history[1])).content.decode()


def test_the_driver_detail_title_names_the_driver_the_date_and_the_team(client, cast, history):
    client.force_login(cast.member)
    html = client.get(url("driver_detail", history[1], "D11")).content.decode()
    assert "<title>Driver 1.1 · Results of 1 Mar 2026 · Riverside · implhub</title>" in html


@pytest.mark.parametrize("who", ["member", "coach"])
def test_the_driver_detail_says_where_the_text_comes_from_and_that_scores_are_not_dbpa_scores(
    client, cast, history, who
):
    client.force_login(getattr(cast, who))
    page = client.get(url("driver_detail", history[1], "D11")).content.decode()
    assert "Written for implhub</strong> (not the published instrument)" in page
    assert "not published DBPA scores" in page


def test_a_source_driver_names_the_published_source_on_its_results_page_and_in_the_report(
    client, cast, content
):
    assessment = make_completed_assessment(
        team=cast.team, version=content, by=cast.facilitator, held_on=datetime.date(2026, 3, 1), scores={}
    )
    client.force_login(cast.member)
    page = client.get(url("driver_detail", assessment, "SI")).content.decode()
    assert "Text from the published source:</strong> the Active Implementation Hub (SISEP, NIRN)" in page
    assert "not published DBPA scores" in page
    report = client.get(url("report", assessment)).content.decode()
    assert report.count("Text from the published source:") == 2  # FA and SI
    assert report.count("(not the published instrument)") == 5
