"""Every page of the main journeys reads on a phone without scrolling sideways (WCAG 1.4.10 reflow).

The pages are filled with the demo data (`manage.py demo`: the real framework's 45 items and long driver
names, three teams with histories, an open assessment with votes) plus an assessment in consensus, so the
widths measured are those of real content. At 320 and 390 CSS pixels each page must be no wider than the
window, and no table cell may sit beyond the window's right edge (a table that only scrolls inside its own
box hides its columns as much as a page that scrolls); axe checks each page at that width.
"""

import pytest

from tests.e2e.conftest import axe_check, login

pytestmark = pytest.mark.e2e

PHONE_WIDTHS = (320, 390)

# Every table cell, every chart drawing and every control inside the window (a cell hidden in a table's
# scrolling box counts as outside). Returns what sticks out, to show in the failure message.
OUTSIDE = """() => {
  const width = window.innerWidth;
  const outside = [];
  const seen = 'main th, main td, main .chart svg.main-svg, main .btn, main input, main textarea';
  for (const el of document.querySelectorAll(seen)) {
    const head = el.closest('thead');
    if (head && getComputedStyle(head).position === 'absolute') continue;  // visually hidden: read, not seen
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      const text = el.textContent.trim().slice(0, 40);
      outside.push(`${el.tagName.toLowerCase()} "${text}" ends at ${Math.round(box.right)}px`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, outside: outside.slice(0, 5)};
}"""


def journey_pages(demo) -> dict[str, list[tuple[str, str]]]:
    """Who visits what: (page name, address) per demo login."""
    behaviour, done, meeting = demo.behaviour.pk, demo.completed.pk, demo.in_consensus.pk
    return {
        "facilitator": [
            ("home", "/"),
            ("team", f"/teams/{behaviour}/"),
            ("start-assessment", f"/teams/{behaviour}/assessments/new/"),
            ("assessment-overview", f"/assessments/{meeting}/"),
            ("consensus-board", f"/assessments/{meeting}/consensus/"),
            ("meeting-mode", f"/assessments/{meeting}/meeting/"),
            ("results", f"/assessments/{done}/results/"),
            ("driver-detail", f"/assessments/{done}/results/FA/"),
            ("report", f"/assessments/{done}/report/"),
            ("team-progress", f"/teams/{behaviour}/progress/"),
            ("content-browser", "/content/implementation-drivers/v1/"),
            ("not-found", f"/teams/{demo.harbor.pk}/"),
        ],
        "member": [
            ("vote-sheet", f"/assessments/{demo.open.pk}/vote/"),
            ("not-allowed", f"/teams/{demo.reading.pk}/assessments/new/"),
        ],
        "coach": [("portfolio", "/portfolio/")],
    }


def check_reflow(page, name: str, width: int) -> None:
    if page.locator("[data-chart]").count():
        page.locator("[data-chart] svg.main-svg").first.wait_for(state="attached")
        page.wait_for_timeout(300)  # plotly.js fits its charts to the width a moment after drawing
        # Every chart that has a phone's figure is drawn from it (horizontal bars, names on the left).
        drawn = page.eval_on_selector_all(
            "[data-chart-narrow]", "charts => charts.map(c => [c.dataset.chartDrawn, c.dataset.chartNarrow])"
        )
        assert all(shown == narrow for shown, narrow in drawn), f"{name} at {width}px: {drawn}"
    found = page.evaluate(OUTSIDE)
    assert found["scrollWidth"] <= found["width"], f"{name} at {width}px scrolls sideways: {found}"
    assert not found["outside"], (
        f"{name} at {width}px hides content beyond the right edge: {found['outside']}"
    )
    axe_check(page, f"reflow-{name}-{width}")


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_no_page_of_the_main_journeys_scrolls_sideways_on_a_phone(demo, new_context, width):
    viewport = {"width": width, "height": 800}
    anonymous = new_context(viewport=viewport).new_page()
    anonymous.goto("/login/")
    check_reflow(anonymous, "login", width)
    for username, pages in journey_pages(demo).items():
        page = new_context(viewport=viewport).new_page()
        login(page, username, demo.password)
        for name, address in pages:
            page.goto(address)
            check_reflow(page, name, width)
