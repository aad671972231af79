"""The facilitator reveals the votes, settles the disagreements in meeting mode, records the rest on the
consensus board, and completes the assessment."""

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment
from tests.e2e.conftest import axe_check, login, visit
from tests.factories import make_assessment

pytestmark = pytest.mark.e2e

SAVED = re.compile(r"^Saved \d\d:\d\d$")


@pytest.fixture
def voted(cast):
    """An open assessment both members voted on: D11-1 two points apart, a Don't know on D11-2."""
    assessment = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    for member, answers in [
        (cast.member, {"D11-1": "2", "D11-2": "dk", "D21-1": "1", "D21-2": "2"}),
        (cast.member2, {"D11-1": "0", "D11-2": "1", "D21-1": "1", "D21-2": "2"}),
    ]:
        for code, answer in answers.items():
            services.vote_record(assessment=assessment, member=member, item_code=code, answer=answer)
    return assessment


def test_the_facilitator_reveals_votes_settles_disagreements_in_meeting_mode_and_completes(cast, voted, page):
    login(page, "fatima")
    page.get_by_role("link", name="Follow the votes").click()
    votes = page.get_by_role("region", name="Votes")
    expect(votes).to_contain_text("Marco Rossi")
    expect(votes.get_by_text("done")).to_have_count(2)
    page.get_by_role("link", name="Reveal votes and start consensus").click()
    # Revealing asks first (and would name anyone who has not finished).
    expect(page.get_by_role("heading", name="Reveal the votes?")).to_be_visible()
    expect(page.get_by_text("All 2 members have voted on every best practice.")).to_be_visible()
    axe_check(page, "confirm-reveal")
    page.get_by_role("button", name="Reveal votes and start consensus").click()

    expect(page).to_have_url(re.compile(r"/consensus/$"))
    expect(page.get_by_text("Votes are revealed and voting has closed.")).to_be_visible()
    expect(page.get_by_text("2 to discuss first.")).to_be_visible()
    items = page.locator("article.consensus-item")
    expect(items).to_have_count(4)
    expect(items.nth(0)).to_have_id("item-D11-1")  # disagreements first
    expect(items.nth(1)).to_have_id("item-D11-2")
    expect(page.locator("#item-D11-1")).to_contain_text("Votes are two points apart.")
    expect(page.locator("#item-D11-2")).to_contain_text("Someone does not know.")
    visit(page, "consensus")

    page.get_by_role("link", name="Meeting mode").click()
    expect(page).to_have_url(re.compile(r"/meeting/D11-1/$"))  # the first item without an answer
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement D11-1.")
    expect(page.get_by_text("item 1 of 4 · 0 answered")).to_be_visible()
    visit(page, "meeting")

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/meeting/D11-2/$"))
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/meeting/D11-1/$"))

    page.get_by_text("Partially in place (1)").click()
    page.get_by_label("Evidence notes").fill("Two of five staff trained; the plan is written.")
    page.get_by_role("button", name="Save and go to next").click()
    expect(page).to_have_url(re.compile(r"/meeting/D11-2/$"))  # autosaved first, then moved on
    expect(page.get_by_text("item 2 of 4 · 1 answered")).to_be_visible()

    page.get_by_text("Not in place (0)").click()
    page.get_by_role("button", name="Save and go to next").click()
    expect(page).to_have_url(re.compile(r"/meeting/D21-1/$"))
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".response-form input:checked")).to_have_value("0")  # D11-2's answer is kept

    page.get_by_role("link", name="Leave meeting mode").click()
    page.get_by_role("link", name="Record consensus").click()
    agreed = page.locator("#item-D21-1")
    agreed.get_by_text("Partially in place (1)").click()
    agreed.get_by_role("button", name="Save").click()
    expect(page.locator("#item-D21-1 .save-state")).to_have_text(SAVED)
    not_applicable = page.locator("#item-D21-2")
    not_applicable.get_by_text("Not applicable").click()
    not_applicable.get_by_role("button", name="Save").click()
    expect(page.locator("#item-D21-2 .save-state")).to_have_text("Not saved: correct the marked fields.")
    expect(page.locator("#item-D21-2")).to_contain_text("Say why this best practice does not apply.")
    page.locator("#item-D21-2").get_by_label("Why it does not apply (for N/A)").fill("No budget line exists.")
    page.locator("#item-D21-2").get_by_role("button", name="Save").click()
    expect(page.locator("#item-D21-2 .save-state")).to_have_text(SAVED)

    page.get_by_role("link", name="Complete the assessment").click()
    expect(page.get_by_text("4 of 4 best practices have a consensus answer.")).to_be_visible()
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_text("The assessment is completed and locked.")).to_be_visible()
    expect(page.get_by_role("link", name="See the results")).to_be_visible()
    visit(page, "assessment-completed", screenshot=False)

    voted.refresh_from_db()
    assert voted.status == Assessment.Status.COMPLETED
    assert voted.completed_by == cast.facilitator
    answers = {r.item.code: (r.score, r.not_applicable) for r in voted.responses.select_related("item")}
    assert answers == {"D11-1": (1, False), "D11-2": (0, False), "D21-1": (1, False), "D21-2": (None, True)}
    assert (
        voted.responses.get(item__code="D11-1").evidence == "Two of five staff trained; the plan is written."
    )
