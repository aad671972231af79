"""The cadence in the browser, on the demo: the behavior team is past its next assessment date; its
facilitator sees since when, refuses to be fooled by a bad interval, sets a yearly one and sees the new date;
the coach's portfolio lists the teams past their date."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, login, visit

pytestmark = pytest.mark.e2e


def test_a_facilitator_sets_how_often_the_team_assesses(demo, page):
    login(page, "facilitator", demo.password)
    page.goto(f"/teams/{demo.behaviour.pk}/")
    cadence = page.get_by_role("region", name="Cadence")
    expect(cadence).to_contain_text(re.compile(r"Next assessment overdue since \d+ \w+ \d{4}"))
    visit(page, "cadence-team-overdue")

    field = cadence.get_by_label("Assess every (months)")
    field.fill("0")
    cadence.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Enter a whole number of months from 1 to 36.")).to_be_visible()
    expect(page.get_by_label("Assess every (months)")).to_have_attribute("aria-invalid", "true")
    visit(page, "cadence-refused")

    page.get_by_label("Assess every (months)").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/teams/{demo.behaviour.pk}/$"))
    expect(page.get_by_text("District Behavior Support Team now assesses every 12 months.")).to_be_visible()
    expect(page.get_by_role("region", name="Cadence")).to_contain_text(
        re.compile(r"Next assessment due: \d+ \w+ \d{4}")
    )
    visit(page, "cadence-team-yearly")


def test_the_coach_sees_the_teams_past_their_next_assessment_date(demo, new_context):
    page = new_context(viewport=PHONE).new_page()
    login(page, "coach", demo.password)
    page.goto("/portfolio/")
    overdue = page.get_by_role("region", name="Past their next assessment date")
    expect(overdue.get_by_role("listitem")).to_have_count(2)
    expect(overdue).to_contain_text("District Behavior Support Team")
    expect(overdue).to_contain_text("Harbor Home Visiting Team")
    expect(overdue).to_contain_text("(every 6 months; last completed")
    visit(page, "cadence-portfolio")
