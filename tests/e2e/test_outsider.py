"""Someone of another organization finds nothing of Northfield's team: every address answers 404."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, visit
from tests.factories import make_assessment, make_completed_assessment

pytestmark = pytest.mark.e2e


@pytest.fixture
def riverside(cast):
    completed = make_completed_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=datetime.date(2026, 5, 1)
    )
    current = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    return completed, current


def test_a_user_of_another_organization_cannot_reach_the_team_or_its_assessments(cast, riverside, page):
    completed, current = riverside
    login(page, "olu")
    expect(page.get_by_role("article")).to_have_count(1)
    expect(page.get_by_role("article")).to_contain_text("Harbor Home Visiting Team")
    expect(page.get_by_text("Riverside")).to_have_count(0)

    team, a, c = cast.team.pk, current.pk, completed.pk
    addresses = [
        f"/teams/{team}/",
        f"/teams/{team}/members/",
        f"/teams/{team}/assessments/new/",
        f"/teams/{team}/progress/",
        f"/assessments/{a}/",
        f"/assessments/{a}/vote/",
        f"/assessments/{a}/consensus/",
        f"/assessments/{a}/meeting/",
        f"/assessments/{c}/results/",
        f"/assessments/{c}/results/D11/",
        f"/assessments/{c}/report/",
        f"/assessments/{c}/export.csv",
    ]
    statuses = {}
    for address in addresses:
        response = page.request.get(address) if address.endswith(".csv") else page.goto(address)
        statuses[address] = response.status
    assert statuses == dict.fromkeys(addresses, 404)
    visit(page, "not-found", screenshot=False)

    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    posted = page.request.post(
        f"/assessments/{a}/vote/D11-1/",
        form={"answer-D11-1": "2"},
        headers={"X-CSRFToken": token},
        max_redirects=0,
    )
    assert posted.status == 404
    assert not current.votes.exists()

    page.goto("/portfolio/")
    expect(page.get_by_text("Harbor Home Visiting Team").first).to_be_visible()
    expect(page.get_by_text("Riverside")).to_have_count(0)
