"""What to work on next on the results page: the items not yet in place by driver, those that fell since
the previous assessment (through lineage), the content's resourcing links with their mismatches, and the
actions since the previous assessment with whether their items moved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.actions.models import ActionItem, Target
from assessments.models import Assessment, Response, Team
from assessments.reports.next_steps import IN_PLACE_BUT_BELOW, NOT_IN_PLACE_BUT_AT, next_steps
from assessments.reports.selectors import assessment_results
from drivers.services import version_publish
from tests.assessments.actions.loop_data import act, completed
from tests.assessments.upgrade_content import make_second_version
from tests.factories import OrganizationFactory, UserFactory, add_member, make_version

pytestmark = pytest.mark.django_db


def steps(assessment):
    return next_steps(results=assessment_results(assessment=assessment))


def results_page(client, assessment):
    return client.get(reverse("assessments:results", args=[assessment.pk])).content.decode()


def section(page, heading_id, until):
    return page[page.index(heading_id) : page.index(until)]


def test_the_items_not_in_place_and_partly_in_place_are_listed_by_driver(cast):
    assessment = completed(cast, cast.version, (2026, 3), {"D11-1": 0, "D11-2": 2, "D11-3": 1, "D21-1": None})
    data = steps(assessment)
    d11 = data.drivers[0]
    assert (d11.score.code, [e.item.code for e in d11.not_in_place], [e.item.code for e in d11.partly]) == (
        "D11",
        ["D11-1"],
        ["D11-3"],
    )
    d21 = next(d for d in data.drivers if d.score.code == "D21")
    assert [e.item.code for e in d21.partly] == ["D21-2", "D21-3"]  # D21-1 is N/A: nothing to work on
    assert data.fell == [] and data.previous is None


def test_items_that_fell_since_the_previous_assessment_are_highlighted(client, cast):
    completed(cast, cast.version, (2025, 9), {"D11-1": 2, "D11-2": 1, "D12-1": 0})
    latest = completed(cast, cast.version, (2026, 3), {"D11-1": 1, "D11-2": 0, "D12-1": 1})
    data = steps(latest)
    assert [e.change_text for e in data.fell] == [
        "D11-1: In place → Partially in place",
        "D11-2: Partially in place → Not in place",
    ]
    client.force_login(cast.member)
    page = section(results_page(client, latest), 'id="next-steps-heading"', 'id="drivers-heading"')
    assert "2 items fell since 1 Sep 2025" in page
    assert page.count("border-danger ps-2") == 2  # the two items in their drivers' lists
    assert page.count(">Fell<") == 2


def test_across_versions_a_recoded_item_keeps_its_history_and_a_split_shows_where_it_came_from(cast):
    completed(cast, cast.version, (2025, 9), {"D11-1": 2, "D11-2": 2, "D12-1": 2, "D21-1": 2, "D21-2": 1})
    second = make_second_version(cast.version)
    latest = completed(
        cast, second, (2026, 3), {"D11-1": 1, "D11-5": 1, "D12-1": 2, "D12-4": 0, "D21-1": 0, "D22-4": 0}
    )
    data = steps(latest)
    assert [e.change_text for e in data.fell] == [
        "D11-1: In place → Partially in place",  # reworded: the same item
        "D11-5 (was D11-2): In place → Partially in place",  # recoded: its history follows it
        "D12-4 (split from D12-1): In place → Not in place",
        "D21-1 (merged from D21-1 and D21-2): In place and Partially in place → Not in place",
    ]
    entries = {e.item.code: e for d in data.drivers for e in d.not_in_place + d.partly}
    assert entries["D12-4"].history == "split from D12-1 (In place)"
    assert entries["D22-4"].history == "new in this version" and not entries["D22-4"].fell


@pytest.fixture
def shipped(content, cast):
    """An assessment on the shipped content: FA-1 in place while Selection is low, FA-3 not in place while
    the data system is at the benchmark, FA-2 partly in place."""
    scores = {"FA-1": 2, "FA-2": 1, "FA-3": 0}
    scores.update({item.code: 2 for item in content.best_practices.filter(driver__code="DSDS")})
    scores.update({item.code: 0 for item in content.best_practices.filter(driver__code="SEL")})
    return completed(cast, content, (2026, 3), scores)


def test_the_shipped_content_says_which_drivers_the_facilitative_administration_items_resource(content):
    resources = dict(content.best_practices.exclude(resources=[]).values_list("code", "resources"))
    assert resources == {"FA-1": ["SEL", "TRN", "COA"], "FA-2": ["FID"], "FA-3": ["DSDS"]}


def test_resourcing_links_show_beside_the_drivers_they_resource_with_mismatches_both_ways(
    client, cast, shipped
):
    data = steps(shipped)
    by_driver = {d.score.code: d.resourced_by for d in data.drivers}
    assert [(r.item.code, r.mismatch) for r in by_driver["SEL"]] == [("FA-1", IN_PLACE_BUT_BELOW)]
    assert [(r.item.code, r.mismatch) for r in by_driver["TRN"]] == [("FA-1", IN_PLACE_BUT_BELOW)]  # at 50%
    assert [(r.item.code, r.mismatch) for r in by_driver["DSDS"]] == [("FA-3", NOT_IN_PLACE_BUT_AT)]
    assert [(r.item.code, r.mismatch) for r in by_driver["FID"]] == [("FA-2", "")]  # partly: no flag
    assert by_driver["FA"] == [] and by_driver["SI"] == []
    client.force_login(cast.coach)
    page = section(results_page(client, shipped), 'id="next-steps-heading"', 'id="drivers-heading"')
    assert "FA-1 is in place, but Selection is at 0%, below the 80% benchmark" in page
    assert "FA-3 is not in place, yet Decision-support data system is at 100%, at or above the 80%" in page
    assert "Resourced by FA-2 (Partially in place)." in page
    assert (
        page.count(">Mismatch<") == len(data.mismatches) == 4
    )  # Selection, Training, Coaching, the data system


def rounding_version():
    """Two drivers of 27 items, so that 43 of 54 points (79.6%, shown 80%) can be scored; D11-1 resources
    D12."""
    draft = make_version(categories=1, drivers_per_category=2, items_per_driver=27, publish=False)
    item = draft.best_practices.get(code="D11-1")
    item.resources = ["D12"]
    item.save()
    return version_publish(version=draft)


def d12_at(version, resourcing):
    """D11-1 answered `resourcing`, D12 at 43 of 54 points: 16 items in place, 11 partly."""
    scores = {"D11-1": resourcing}
    scores.update({f"D12-{n}": 2 if n <= 16 else 1 for n in range(1, 28)})
    return scores


@pytest.mark.parametrize(("resourcing", "mismatch"), [(0, NOT_IN_PLACE_BUT_AT), (2, "")])
def test_a_score_of_79_6_percent_shown_80_counts_as_at_the_benchmark(cast, resourcing, mismatch):
    version = rounding_version()
    assessment = completed(cast, version, (2026, 3), d12_at(version, resourcing))
    d12 = steps(assessment).drivers[1]
    assert (d12.score.score.percent, d12.score.score.label) == (pytest.approx(79.63, abs=0.01), "80%")
    assert [(r.item.code, r.mismatch) for r in d12.resourced_by] == [("D11-1", mismatch)]


def test_the_results_list_the_actions_since_the_previous_assessment_by_driver(client, cast):
    previous = completed(cast, cast.version, (2025, 9), {"D11-1": 0, "D12-1": 2, "D12-2": 0})
    act(previous, "D11-1", title="Write the role description", owner=cast.member, status="done")
    act(previous, "D12-1", "D12-2", title="Run the data meetings")
    act(previous, driver="D21", title="Strengthen the driver")
    latest = completed(cast, cast.version, (2026, 3), {"D11-1": 1, "D12-1": 1, "D12-2": 2})
    client.force_login(cast.coach)
    page = section(results_page(client, latest), 'id="actions-since-heading"', 'id="next-steps-heading"')
    driver_11 = section(page, "Driver 1.1", "Driver 1.2")
    assert "Write the role description" in driver_11 and "Done" in driver_11 and "Mark" in driver_11
    assert "D11-1: Not in place → Partially in place" in driver_11 and "moved up" in driver_11
    driver_12 = section(page, "Driver 1.2", "Driver 2.1")
    assert "D12-1: In place → Partially in place" in driver_12 and "some moved up, some fell" in driver_12
    assert "D21: 50% → 50% (±0 pts)" in page and "stayed the same" in page


def test_the_first_completed_assessment_has_no_actions_to_look_back_on(client, cast):
    first = completed(cast, cast.version, (2025, 9), {})
    client.force_login(cast.member)
    page = results_page(client, first)
    assert "This is the team's first completed assessment: actions planned after it" in page
    latest = completed(cast, cast.version, (2026, 3), {})
    assert "No actions were planned after the assessment of 1 Sep 2025." in results_page(client, latest)


def test_unfinished_assessments_have_no_next_steps_yet(client, cast, open_assessment):
    client.force_login(cast.facilitator)
    page = results_page(client, open_assessment)
    assert "What to work on next" not in page and "Actions since" not in page


def build_teams(name, *, teams, actions, version):
    """Teams each with two completed, fully answered assessments, `actions` actions after the first (half on
    two items, half on a driver) and targets for the second; the first team's facilitator and latest."""
    organization = OrganizationFactory(name=name)
    facilitator = UserFactory(username=f"{name}-facilitator")
    rows = Team.objects.bulk_create(Team(organization=organization, name=f"{name} {n}") for n in range(teams))
    add_member(rows[0], facilitator, "facilitator")
    assessments = Assessment.objects.bulk_create(
        Assessment(
            team=team,
            version=version,
            created_by=facilitator,
            completed_by=facilitator,
            status="completed",
            stage="installation",
            held_on=datetime.date(2025 + n, 3, 1),
        )
        for team in rows
        for n in range(2)
    )
    items = list(version.best_practices.select_related("driver"))
    Response.objects.bulk_create(
        Response(assessment=a, item=item, score=(a.pk + item.pk) % 3, recorded_by=facilitator)
        for a in assessments
        for item in items
    )
    first = [a for a in assessments if a.held_on.year == 2025]
    made = ActionItem.objects.bulk_create(
        ActionItem(team_id=a.team_id, assessment=a, title=f"Action {n}", driver=items[n % len(items)].driver)
        for a in first
        for n in range(actions)
    )
    ActionItem.items.through.objects.bulk_create(
        ActionItem.items.through(actionitem=action, bestpractice=item)
        for n, action in enumerate(made)
        if n % 2
        for item in items[n % len(items) :][:2]
    )
    Target.objects.bulk_create(
        Target(team_id=a.team_id, set_after=a, driver_key=items[0].driver.lineage_key, percent=80)
        for a in first
    )
    latest = next(a for a in assessments if a.team_id == rows[0].pk and a.held_on.year == 2026)
    return facilitator, latest


def test_the_results_page_with_its_actions_runs_the_same_queries_for_1_team_as_for_50_teams_of_20(client):
    def measure(facilitator, latest):
        client.force_login(facilitator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("assessments:results", args=[latest.pk]))
        assert response.status_code == 200
        assert "Actions since the previous assessment" in response.content.decode()
        return len(queries)

    small = measure(*build_teams("one", teams=1, actions=20, version=make_version()))
    big_version = make_version(categories=3, drivers_per_category=3, items_per_driver=8, framework_slug="big")
    large = measure(*build_teams("many", teams=50, actions=20, version=big_version))
    assert small == large
    # The results page's 6 (session, user, access, navigation, previous assessment, scores (2)) and the next
    # steps: answers and previous answers, targets, the latest completed assessment, the actions since,
    # their items, their answers, and the scores for the driver-level ones (2); the comments (1).
    assert small == 17
