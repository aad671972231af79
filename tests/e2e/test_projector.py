"""Meeting mode on a projector (1366x768): one screen holds the statement, the score buttons and Save;
a full-screen button puts the page on the whole screen and it stays there from item to item."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, login

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1366, "height": 768}

# The box of every score button and of Save, and how far the page is scrolled.
CONTROLS = """() => {
  const controls = '.response-form .answer-options label, .response-form button';
  const boxes = [...document.querySelectorAll(controls)].map(el => {
    const b = el.getBoundingClientRect();
    return {text: el.textContent.trim(), top: b.top, bottom: b.bottom, left: b.left, right: b.right};
  });
  return {boxes, scrollY: window.scrollY, height: window.innerHeight, width: window.innerWidth};
}"""


def longest_item(demo) -> str:
    """The item whose statement and guidance take the most room on the screen."""
    return max(demo.items, key=lambda item: len(item.statement) + len(item.guidance)).code


def test_the_score_buttons_and_save_are_on_the_first_screen_of_a_projector(demo, new_context):
    page = new_context(viewport=PROJECTOR).new_page()
    login(page, "facilitator", demo.password)
    base = f"/assessments/{demo.in_consensus.pk}/meeting"
    answered = demo.items[0].code
    for code in (None, answered, longest_item(demo)):
        page.goto(f"{base}/{code}/" if code else f"{base}/")
        found = page.evaluate(CONTROLS)
        assert found["scrollY"] == 0
        texts = [box["text"] for box in found["boxes"]]
        assert len(texts) == 5 and texts[-1] in {"Save", "Save and go to next"}, texts
        for box in found["boxes"]:
            assert box["top"] >= 0 and box["bottom"] <= found["height"], (page.url, box)
            assert box["left"] >= 0 and box["right"] <= found["width"], (page.url, box)
    # The answer recorded so far, in large type for the room.
    page.goto(f"{base}/{answered}/")
    consensus = page.locator(".meeting-consensus")
    expect(consensus).to_contain_text("Consensus:")
    assert float(consensus.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 28
    axe_check(page, "meeting-projector")


def test_the_full_screen_button_has_a_name_and_full_screen_stays_on_from_item_to_item(demo, new_context):
    page = new_context(viewport=PROJECTOR).new_page()
    login(page, "facilitator", demo.password)
    first = demo.items[12].code  # the first item without a consensus answer
    page.goto(f"/assessments/{demo.in_consensus.pk}/meeting/{first}/")
    toggle = page.get_by_role("button", name="Full screen")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")

    toggle.click()
    page.wait_for_function("() => document.fullscreenElement === document.documentElement")
    expect(toggle).to_have_attribute("aria-pressed", "true")

    # Next item by key, then a saved answer: the page changes in place, so full screen stays on.
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"/meeting/{demo.items[13].code}/$"))
    page.get_by_text("In place (2)").click()
    page.get_by_role("button", name="Save and go to next").click()
    expect(page).to_have_url(re.compile(rf"/meeting/{demo.items[14].code}/$"))
    assert page.evaluate("() => document.fullscreenElement === document.documentElement")
    expect(page).to_have_title(re.compile(demo.items[14].code))
    expect(page.locator("#meeting-statement")).to_be_focused()  # a screen reader hears the new statement
    assert demo.in_consensus.responses.get(item__code=demo.items[13].code).score == 2

    toggle = page.get_by_role("button", name="Full screen")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    page.wait_for_function("() => document.fullscreenElement === null")
    expect(toggle).to_have_attribute("aria-pressed", "false")


def test_the_full_screen_button_is_hidden_where_the_browser_has_no_fullscreen_api(demo, new_context):
    context = new_context(viewport=PROJECTOR)
    context.add_init_script(
        "Object.defineProperty(Document.prototype, 'fullscreenEnabled', {get: () => false})"
    )
    page = context.new_page()
    login(page, "facilitator", demo.password)
    page.goto(f"/assessments/{demo.in_consensus.pk}/meeting/")
    expect(page.locator("[data-fullscreen-toggle]")).to_be_hidden()
    expect(page.get_by_role("button", name="Full screen")).to_have_count(0)
