"""A member reads the results of a completed assessment: the chart is drawn and the table beside it has the
same numbers."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, visit
from tests.factories import make_completed_assessment

pytestmark = pytest.mark.e2e


@pytest.fixture
def completed(cast):
    """Driver 1.1 has 3 of 4 points (75%), Driver 2.1 has 2 of 4 (50%)."""
    assessment = make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        held_on=datetime.date(2026, 10, 1),
        scores={"D11-1": 2, "D11-2": 1, "D21-1": 0, "D21-2": 2},
    )
    return assessment


def test_a_member_sees_the_driver_chart_and_a_table_with_the_same_numbers(cast, completed, page):
    login(page, "marco")
    page.get_by_role("link", name="See results").click()
    expect(page.get_by_role("heading", level=1, name="Results")).to_be_visible()

    chart = page.locator("#driver-profile")
    expect(chart.locator("svg.main-svg").first).to_be_attached()  # plotly.js has drawn the figure
    bars = chart.locator(".barlayer .trace.bars .point")
    expect(bars).to_have_count(2)  # one bar per driver
    bar_labels = chart.locator(".barlayer .bartext")
    expect(bar_labels).to_have_text(["75%", "50%"])

    table = page.get_by_role("table", name="Driver, category and overall scores")
    rows = {  # row header -> (Score, Points)
        row.get_by_role("rowheader").inner_text(): tuple(row.locator("td").all_inner_texts()[1:3])
        for row in table.locator("tbody tr").all()
    }
    assert rows["Driver 1.1"] == ("75%", "3 of 4")
    assert rows["Driver 2.1"] == ("50%", "2 of 4")
    assert [rows["Driver 1.1"][0], rows["Driver 2.1"][0]] == bar_labels.all_text_contents()
    assert rows["Overall"][1] == "5 of 8"
    visit(page, "results")

    page.get_by_role("link", name="Driver 1.1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Driver 1.1")
    visit(page, "driver-detail", screenshot=False)
    page.go_back()
    page.get_by_role("link", name="Printable report").click()
    expect(page).to_have_url(re.compile(r"/report/$"))
    visit(page, "report", screenshot=False)
    page.get_by_role("link", name="Team progress").click()
    expect(page.locator("[data-chart] svg.main-svg").first).to_be_attached()
    visit(page, "team-progress")
