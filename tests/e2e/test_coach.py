"""A coach follows the team from the portfolio and reads everything, but has no way to change anything."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment, Response
from tests.e2e.conftest import login, visit
from tests.factories import make_assessment, make_completed_assessment

pytestmark = pytest.mark.e2e


@pytest.fixture
def history(cast):
    """A completed assessment and a newer one in consensus with one answer recorded."""
    completed = make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        held_on=datetime.date(2026, 5, 1),
        scores={"D11-1": 2, "D11-2": 2, "D21-1": 1, "D21-2": 0},
    )
    current = make_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        status=Assessment.Status.CONSENSUS,
        held_on=datetime.date(2026, 11, 1),
    )
    Response.objects.create(assessment=current, item=cast.items[0], score=1, recorded_by=cast.facilitator)
    return completed, current


def forced_post(page, path: str, form: dict):
    """A POST sent as the signed-in coach, with a valid CSRF token: only the permission check stops it."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(path, form=form, headers={"X-CSRFToken": token}, max_redirects=0)


def test_a_coach_sees_the_team_in_the_portfolio_and_cannot_edit_anything(cast, history, page):
    completed, current = history
    login(page, "carmen")
    card = page.get_by_role("article", name="Riverside Reading Team")
    expect(card).to_contain_text("you coach this team")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", level=1, name="Portfolio")).to_be_visible()
    changes = page.get_by_role("table", name="latest completed assessment against the one before it")
    expect(changes.get_by_role("rowheader")).to_contain_text(["Riverside Reading Team"])
    expect(page.locator("[data-chart] svg.main-svg").first).to_be_attached()
    visit(page, "portfolio")

    changes.get_by_role("link", name="Riverside Reading Team").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riverside Reading Team")
    page.get_by_role("link", name="Home").first.click()
    page.get_by_role("link", name="Riverside Reading Team").click()
    expect(page.get_by_role("heading", level=1, name="Riverside Reading Team")).to_be_visible()
    expect(page.get_by_role("link", name="Start an assessment")).to_have_count(0)
    expect(page.get_by_role("link", name="Manage members")).to_have_count(0)
    visit(page, "team-as-coach", screenshot=False)

    page.get_by_role("link", name="Consensus").click()
    expect(page.get_by_role("heading", level=1, name="Consensus")).to_be_visible()
    expect(page.locator("#item-D11-1")).to_contain_text("Consensus: Partially in place")
    expect(page.locator("main form")).to_have_count(0)  # no answer forms, no reveal, no complete
    expect(page.get_by_role("button")).to_have_count(1)  # only "Sign out" in the navigation
    visit(page, "consensus-as-coach", screenshot=False)
    page.get_by_role("link", name="Meeting mode").click()
    expect(page.locator("main form")).to_have_count(0)

    base = f"/assessments/{current.pk}"
    refused = {
        "save a consensus answer": forced_post(
            page, f"{base}/responses/D11-2/", {"score": "2", "revision": "0"}
        ),
        "complete": forced_post(page, f"{base}/complete/", {}),
        "reopen": forced_post(page, f"/assessments/{completed.pk}/reopen/", {"reason": "Because."}),
        "start an assessment": forced_post(page, f"/teams/{cast.team.pk}/assessments/new/", {}),
    }
    assert {action: r.status for action, r in refused.items()} == dict.fromkeys(refused, 403)
    assert current.responses.count() == 1
    current.refresh_from_db()
    assert current.status == Assessment.Status.CONSENSUS
    completed.refresh_from_db()
    assert completed.status == Assessment.Status.COMPLETED
