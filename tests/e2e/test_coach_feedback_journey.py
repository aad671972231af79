"""Coach feedback, end to end: the coach comments on an item of a completed assessment, a member sees it as
new on the team page and replies (with JavaScript off: plain forms), and the reply reaches the coach's
queue on the home page, where the coach marks it seen. Every page is checked with axe and on a phone."""

import datetime

import pytest
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, login, visit
from tests.e2e.test_reflow import check_reflow
from tests.factories import make_completed_assessment

pytestmark = pytest.mark.e2e

# A month ago: the team is not yet due for its next assessment, so the coach's queue holds the reply alone.
HELD_ON = datetime.date.today() - datetime.timedelta(days=30)
ON_ITEM = f"D11-1 in the assessment of {date_format(HELD_ON, 'j M Y')}"


@pytest.fixture
def completed(cast):
    return make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        held_on=HELD_ON,
        scores={"D11-1": 0, "D11-2": 1, "D21-1": 2, "D21-2": 2},
    )


def on_a_phone(page, name: str) -> None:
    """No sideways scrolling at 390 and 320 pixels (and axe at those widths), then back to the desktop."""
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        check_reflow(page, name, width)
    page.set_viewport_size(DESKTOP)


def test_a_coach_comments_on_an_item_the_team_replies_and_the_coach_marks_the_reply_seen(
    cast, completed, new_context
):
    coach = new_context().new_page()
    login(coach, "carmen")
    expect(coach.get_by_role("heading", name="Needs your attention")).to_be_visible()
    coach.get_by_role("link", name="See results").click()
    coach.get_by_label("Comment on this assessment").fill("A well prepared meeting: the evidence is clear.")
    coach.get_by_role("button", name="Post comment").click()
    expect(coach.get_by_role("region", name="Comments")).to_contain_text("the evidence is clear.")
    coach.get_by_role("link", name="Driver 1.1").first.click()
    expect(coach.get_by_role("heading", level=2, name="Comments on the items")).to_be_visible()
    thread = coach.locator("#comments-D11-1")
    thread.locator("summary").click()
    thread.get_by_label("Comment on D11-1").fill("Not in place: who could own the selection criteria?")
    thread.get_by_role("button", name="Post comment").click()
    expect(coach.get_by_text("Comment posted.")).to_be_visible()
    comment = coach.locator("#comments-D11-1 .comment").first
    expect(comment).to_contain_text("Carmen Diaz")
    expect(comment).to_contain_text("who could own the selection criteria?")
    expect(comment.get_by_role("link", name="Edit your comment")).to_be_visible()
    visit(coach, "feedback-coach-comments-an-item")
    coach.get_by_role("link", name="Results", exact=True).first.click()
    expect(coach.get_by_role("region", name="Comments")).to_contain_text("1 comment")
    visit(coach, "feedback-results-comments")
    on_a_phone(coach, "feedback-results")
    on_a_phone(coach, "feedback-driver-page")

    # The member, with JavaScript off: the forms are plain forms.
    member = new_context(java_script_enabled=False).new_page()
    login(member, "marco")
    member.get_by_role("link", name="2 new comments").click()
    new = member.get_by_role("region", name="New comments")
    expect(new).to_contain_text(f"Carmen Diaz commented on {ON_ITEM}")
    visit(member, "feedback-team-page-new-comment")
    on_a_phone(member, "feedback-team-page")
    new.get_by_role("link", name=ON_ITEM).click()
    thread = member.locator("#comments-D11-1")
    expect(thread.locator(".comment").first).to_contain_text("who could own the selection criteria?")
    expect(member.get_by_role("button", name="Post comment")).to_have_count(0)  # members reply only
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply").fill("Our HR lead, Dana, will draft them by March.")
    thread.get_by_role("button", name="Post reply").click()
    expect(member.get_by_text("Reply posted.")).to_be_visible()
    expect(member.locator("#comments-D11-1 .comment-replies")).to_contain_text("Marco Rossi")
    visit(member, "feedback-member-replied")
    member.get_by_role("link", name="Riverside Reading Team").first.click()
    new = member.get_by_role("region", name="New comments")
    for _comment in range(2):
        new.get_by_role("button", name="Mark seen").first.click()
        expect(member.get_by_text("Marked seen.")).to_be_visible()
    expect(member.get_by_role("region", name="New comments")).to_have_count(0)

    # Back to the coach: the reply is in the queue; marked seen, it leaves.
    coach.goto("/")
    queue = coach.get_by_role("region", name="Needs your attention")
    entry = queue.locator(".queue-comment")
    expect(entry).to_contain_text(f"Marco Rossi replied on {ON_ITEM}: “Our HR lead")
    visit(coach, "feedback-coach-queue")
    on_a_phone(coach, "feedback-coach-queue")
    entry.get_by_role("button", name="Mark seen").click()
    expect(coach.get_by_text("Marked seen.")).to_be_visible()
    expect(coach.locator(".queue-comment")).to_have_count(0)
    expect(queue).to_contain_text("Nothing needs you in your teams right now.")
    visit(coach, "feedback-coach-queue-after-seen")
