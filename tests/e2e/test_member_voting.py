"""Two members vote on every best practice with the keyboard alone: one with autosave (JavaScript on), one
with the plain form and its Save buttons (JavaScript off)."""

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Vote
from tests.e2e.conftest import login, tab_to, visit
from tests.factories import make_assessment

pytestmark = pytest.mark.e2e

ANSWER_ORDER = ["2", "1", "0", "dk"]  # the radios of one item, left to right
MARCO = {"D11-1": "2", "D11-2": "dk", "D21-1": "1", "D21-2": "2"}
MEI = {"D11-1": "0", "D11-2": "1", "D21-1": "1", "D21-2": "2"}


@pytest.fixture
def assessment(cast):
    return make_assessment(team=cast.team, version=cast.version, by=cast.facilitator)


def choose_with_keyboard(page, code: str, answer: str) -> None:
    """Tab into the item's radio group (focus lands on its first radio), then Space or the arrow keys."""
    tab_to(page, f'input[name="answer-{code}"]')
    steps = ANSWER_ORDER.index(answer)
    if steps == 0:
        page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f'input[name="answer-{code}"]:checked')).to_have_value(answer)


def expect_sheet_shows(page, answers: dict[str, str]) -> None:
    for code, answer in answers.items():
        expect(page.locator(f'input[name="answer-{code}"]:checked')).to_have_value(answer)


def test_a_member_votes_on_every_item_with_the_keyboard_and_sees_each_answer_saved(cast, assessment, page):
    login(page, "marco")
    page.get_by_role("link", name="Vote now").click()
    expect(page.get_by_role("heading", level=1, name="Your votes")).to_be_visible()
    expect(page.locator("#vote-progress")).to_have_text("0 of 4")
    visit(page, "vote-sheet-empty", screenshot=False)

    for code, answer in MARCO.items():
        choose_with_keyboard(page, code, answer)
        expect(page.locator(f"#status-{code}")).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    page.keyboard.press("Tab")  # into the last item's comment
    page.keyboard.type("We have the plan but no budget yet.")
    page.keyboard.press("Tab")  # leaving the comment fires its change: the comment autosaves too
    expect(page.locator("#status-D21-2")).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    expect(page.locator("#vote-progress")).to_have_text("4 of 4")
    visit(page, "vote-sheet")

    page.reload()
    expect_sheet_shows(page, MARCO)
    expect(page.locator("#vote-progress")).to_have_text("4 of 4")
    assert dict(Vote.objects.filter(member=cast.member).values_list("item__code", "answer")) == MARCO
    assert (
        Vote.objects.get(member=cast.member, item__code="D21-2").comment
        == "We have the plan but no budget yet."
    )


def test_a_member_without_javascript_votes_with_the_keyboard_and_the_save_buttons(
    cast, assessment, new_context
):
    page = new_context(java_script_enabled=False).new_page()
    login(page, "mei")
    page.get_by_role("link", name="Vote now").click()
    expect(page.locator("#vote-progress")).to_have_text("0 of 4")

    for code in ("D11-1", "D11-2"):
        choose_with_keyboard(page, code, MEI[code])
    page.keyboard.press("Tab")
    page.keyboard.type("Only two of us were trained.")
    tab_to(page, "#driver-D11 button")  # "Save Driver 1.1", the section's own button
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="Your votes are saved")).to_be_visible()
    expect(page.locator("#vote-progress")).to_have_text("2 of 4")

    for code in ("D21-1", "D21-2"):
        choose_with_keyboard(page, code, MEI[code])
    for _ in range(60):  # back up to "Save all" in the sticky bar above the sheet
        if page.evaluate("document.activeElement.textContent.trim() === 'Save all'"):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(page.get_by_role("alert").filter(has_text="Your votes are saved")).to_be_visible()
    expect(page.locator("#vote-progress")).to_have_text("4 of 4")
    expect_sheet_shows(page, MEI)
    visit(page, "vote-sheet-no-js", screenshot=False)

    assert dict(Vote.objects.filter(member=cast.member2).values_list("item__code", "answer")) == MEI
    assert Vote.objects.get(member=cast.member2, item__code="D11-2").comment == "Only two of us were trained."


def test_after_the_reveal_the_vote_sheet_is_read_only_and_points_to_the_consensus(
    cast, assessment, page, live_server
):
    services.vote_record(
        assessment=assessment, member=cast.member, item_code="D11-1", answer="2", comment="Plan"
    )
    services.assessment_reveal_votes(assessment=assessment, revealed_by=assessment.created_by)
    login(page, "marco")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/vote/")
    expect(page.get_by_role("status").filter(has_text="Voting closed on")).to_be_visible()
    expect(page.locator('input[type="radio"], textarea')).to_have_count(0)
    expect(page.get_by_role("button", name="Save all")).to_have_count(0)
    expect(page.locator("#item-D11-1")).to_contain_text("Your vote: In place — Plan")
    visit(page, "vote-sheet-closed")
    page.get_by_role("link", name="Follow the consensus").click()
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment.pk}/consensus/$"))
