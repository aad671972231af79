"""The loop closes: an action made after an assessment on an item not in place is done, the next assessment
finds the item partly in place, and its results say so beside the action; the team then sets targets for
the assessment after, which the progress page marks. On the demo data (the real framework)."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, login, visit

pytestmark = pytest.mark.e2e


@pytest.fixture
def loop(demo):
    """Harbor's one completed assessment with an FA item not in place, an action on it (done) and a
    driver-level action, targets set after it, and a later completed assessment where the item is partly in
    place and another item fell."""
    from assessments.actions.models import ActionItem
    from assessments.actions.services.targets import targets_set
    from assessments.models import Assessment, Response
    from tests.factories import make_completed_assessment

    team = demo.harbor
    first = team.assessments.get(status=Assessment.Status.COMPLETED)
    facilitator = team.memberships.get(role="facilitator").user
    answers = {r.item.code: r.score for r in Response.objects.filter(assessment=first).select_related("item")}
    code = next((c for c in sorted(answers) if c.startswith("FA-") and answers[c] == 0), None)
    assert code is not None, "the demo's Harbor assessment has an FA item not in place"
    action = ActionItem.objects.create(
        team=team,
        assessment=first,
        title="Agree a yearly budget line for the data system",
        driver=first.version.drivers.get(code="FA"),
        owner=facilitator,
        due_on=first.held_on + datetime.timedelta(days=90),
        created_by=facilitator,
    )
    action.items.set(first.version.best_practices.filter(code=code))
    action.status, action.done_on = ActionItem.Status.DONE, first.held_on + datetime.timedelta(days=80)
    action.save()
    ActionItem.objects.create(
        team=team,
        assessment=first,
        title="Review the coaching plan with every coach",
        driver=first.version.drivers.get(code="COA"),
        owner_name="Dana Whitfield",
        status=ActionItem.Status.IN_PROGRESS,
        created_by=facilitator,
    )
    targets_set(team=team, after=first, percents={"FA": 80, "COA": 60}, by=facilitator)
    fell = next(c for c in sorted(answers) if c.startswith("SEL-") and answers[c] == 2 and c != code)
    later = make_completed_assessment(
        team=team,
        version=first.version,
        by=facilitator,
        held_on=datetime.date.today() - datetime.timedelta(days=14),
        stage="initial",
        scores={**answers, code: 1, fell: 1},
    )
    return later, code, fell


def test_the_results_of_the_next_assessment_show_the_action_and_where_its_item_went(page, demo, loop):
    later, code, fell = loop
    login(page, "outsider", demo.password)
    page.goto(f"/assessments/{later.pk}/results/")
    actions = page.locator("#actions-since")
    expect(actions).to_contain_text("Agree a yearly budget line for the data system")
    expect(actions).to_contain_text(f"{code}: Not in place → Partially in place")
    expect(actions.locator(".badge", has_text="moved up")).to_be_visible()
    expect(actions).to_contain_text("Review the coaching plan with every coach")
    steps = page.locator("#next-steps")
    expect(steps).to_contain_text(f"{fell}: In place → Partially in place")  # the item that fell
    expect(steps.locator(".target-check").first).to_contain_text("target")
    expect(steps.get_by_text("Mismatch").first).to_be_visible()
    visit(page, "loop-results")

    page.set_viewport_size(PHONE)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the results page scrolls sideways at 390px: {widths}"
    # The two sections up close (the whole page is long), on a phone and on a desktop.
    for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)
        for section in ("next-steps", "actions-since"):
            page.locator(f"#{section}").screenshot(path=ARTIFACTS / f"loop-{section}-{label}.png")


def test_the_team_sets_targets_for_the_next_assessment_and_the_progress_chart_marks_them(page, demo, loop):
    later, _code, _fell = loop
    login(page, "outsider", demo.password)
    page.goto(f"/assessments/{later.pk}/results/")
    page.get_by_role("link", name="Set targets for the next assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Targets for the next assessment")
    page.get_by_label("Facilitative administration").fill("120")
    page.get_by_role("button", name="Save targets").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Enter a whole percent from 0 to 100")
    visit(page, "loop-targets")
    page.get_by_label("Facilitative administration").fill("85")
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_text("Targets for the next assessment saved.")).to_be_visible()

    page.goto(f"/teams/{demo.harbor.pk}/progress/")
    expect(page.locator("#progress-lines svg.main-svg").first).to_be_attached()
    expect(page.locator("#progress-lines .legend")).to_contain_text("Target")
    expect(page.locator(".chart-summary").first).to_contain_text("driver targets were reached")
    visit(page, "loop-progress")
    for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)
        page.wait_for_timeout(500)  # plotly.js redraws the phone's own figure after the resize
        page.locator("#lines-heading + figure").screenshot(
            path=ARTIFACTS / f"loop-progress-chart-{label}.png"
        )


def test_the_consensus_board_shows_the_open_actions_on_each_item(page, demo):
    from assessments.actions.models import ActionItem

    source = demo.completed  # the District Behavior Support Team's latest completed assessment
    facilitator = demo.behaviour.memberships.get(role="facilitator").user
    action = ActionItem.objects.create(
        team=demo.behaviour,
        assessment=source,
        title="Put the data review on every team meeting's agenda",
        driver=source.version.drivers.get(code="DSDS"),
        owner=facilitator,
        due_on=datetime.date.today() + datetime.timedelta(days=30),
        status=ActionItem.Status.IN_PROGRESS,
        created_by=facilitator,
    )
    action.items.set(source.version.best_practices.filter(code="DSDS-5"))
    login(page, "coach", demo.password)
    page.goto(f"/assessments/{demo.in_consensus.pk}/consensus/?order=driver")
    item = page.locator("#item-DSDS-5")
    expect(item.locator(".open-actions")).to_contain_text(
        "Put the data review on every team meeting's agenda"
    )
    expect(item.locator(".open-actions")).to_contain_text("Fatima Okafor")
    expect(page.locator(".open-actions", has_text="Put the data review")).to_have_count(1)
    visit(page, "loop-consensus-board", screenshot=False)
    for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)
        item.screenshot(path=ARTIFACTS / f"loop-consensus-item-{label}.png")
