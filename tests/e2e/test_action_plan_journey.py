"""A facilitator turns results into an action plan: from the results of a completed assessment she plans
an action on a best practice not in place (the form comes filled in), gives it an owner and a due date,
finds it on the plan page, adds a progress note and marks it done. The owner gets an e-mail; the plan
page and the action's page read on a phone without scrolling sideways."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, visit
from tests.e2e.test_reflow import check_reflow
from tests.factories import make_completed_assessment

pytestmark = pytest.mark.e2e


@pytest.fixture
def completed(cast):
    """Driver 1.1: D11-1 in place, D11-2 not; Driver 2.1: D21-1 partially in place, D21-2 in place."""
    return make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        held_on=datetime.date.today() - datetime.timedelta(days=14),
        scores={"D11-1": 2, "D11-2": 0, "D21-1": 1, "D21-2": 2},
    )


def test_a_facilitator_plans_an_action_from_the_results_and_finishes_it(cast, completed, page, mailoutbox):
    login(page, "fatima")
    page.goto(f"/teams/{cast.team.pk}/")
    expect(page.get_by_text("No action planned yet.")).to_be_visible()
    page.get_by_role("link", name="Open the action plan").click()
    expect(page.get_by_role("heading", name="No action yet")).to_be_visible()
    visit(page, "plan-empty")

    page.get_by_role("link", name=re.compile("results of the assessment of")).click()
    expect(page.get_by_role("heading", level=1, name="Results")).to_be_visible()
    next_steps = page.locator("#next-steps")
    expect(next_steps.locator(".plan-button")).to_have_count(2)  # D11-2 and D21-1: not fully in place
    visit(page, "plan-results")
    next_steps.get_by_role("link", name="Plan an action on D11-2").click()

    expect(page.get_by_role("heading", level=1, name="Plan an action")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("D11-2"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("D11-1"))).not_to_be_checked()
    visit(page, "plan-new-action")
    page.get_by_label("What will be done").fill("Write a coaching plan with the two coaches")
    page.get_by_label("Owner", exact=True).select_option(label="Marco Rossi")
    due = datetime.date.today() + datetime.timedelta(days=60)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Details (optional)").fill("Observation every month, tapering after three.")
    page.get_by_role("button", name="Add to the plan").click()

    expect(page).to_have_url(re.compile(rf"/teams/{cast.team.pk}/actions/#action-\d+$"))
    expect(page.get_by_text("The action is in the plan.")).to_be_visible()
    row = page.locator(".action-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Write a coaching plan with the two coaches")
    expect(row).to_contain_text("D11-2")
    expect(row).to_contain_text("Marco Rossi")
    expect(page.get_by_role("heading", level=2, name="Driver 1.1")).to_be_visible()
    visit(page, "plan-page")
    assert [m.to for m in mailoutbox] == [["marco@example.org"]]
    assert "Write a coaching plan with the two coaches" in mailoutbox[0].body

    row.get_by_role("link", name="Write a coaching plan with the two coaches").click()
    expect(
        page.get_by_role("heading", level=1, name="Write a coaching plan with the two coaches")
    ).to_be_visible()
    page.get_by_role("textbox", name="Progress note").fill("First draft shared with the coaches.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("The progress note is added.")).to_be_visible()
    expect(page.locator(".action-notes")).to_contain_text("First draft shared with the coaches.")
    page.get_by_label("The action is").select_option(label="Done")
    page.get_by_role("button", name="Change the status").click()
    expect(page.get_by_text("The action is now “Done”.")).to_be_visible()
    expect(page.locator("header .action-status")).to_have_text("Done")
    expect(page.get_by_text("Done on")).to_be_visible()
    visit(page, "action-detail")

    page.get_by_role("link", name="Back to the action plan").click()
    expect(page.locator(".action-row .action-status")).to_have_text("Done")
    expect(page.locator(".action-row")).to_contain_text("Latest note")
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        check_reflow(page, "action-plan", width)
    page.get_by_role("link", name="Write a coaching plan with the two coaches").click()
    check_reflow(page, "action-detail", 320)


def test_a_coach_reads_the_plan_and_finds_no_edit_controls(cast, completed, page):
    from assessments.actions.models import ActionItem

    action = ActionItem.objects.create(
        team=cast.team,
        assessment=completed,
        driver=completed.version.drivers.get(code="D11"),
        title="Write a coaching plan",
        owner=cast.member,
        due_on=datetime.date.today() - datetime.timedelta(days=1),
    )
    login(page, "carmen")
    page.goto(f"/teams/{cast.team.pk}/actions/")
    expect(page.locator(".action-row .action-overdue")).to_have_text("Overdue")
    expect(page.get_by_role("link", name="New action")).to_have_count(0)
    visit(page, "plan-coach")
    page.get_by_role("link", name="Write a coaching plan").click()
    expect(page.get_by_role("button")).not_to_have_count(0)  # the navigation's own
    expect(page.get_by_role("button", name="Change the status")).to_have_count(0)
    expect(page.get_by_text("Edit the action")).to_have_count(0)
    assert page.url.endswith(f"/actions/{action.pk}/")
    visit(page, "action-detail-coach", screenshot=False)
