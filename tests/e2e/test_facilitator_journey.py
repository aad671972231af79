"""A facilitator signs in, opens the team page and starts an assessment with its participants."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from tests.e2e.conftest import login, visit

pytestmark = pytest.mark.e2e


def test_a_facilitator_signs_in_and_starts_an_assessment_from_the_team_page(cast, page):
    page.goto("/login/")
    expect(page.locator(".navbar")).to_have_css("background-color", "rgb(31, 78, 121)")  # implhub.css loaded
    expect(page.get_by_role("button", name="Sign in")).to_have_css("display", "block")  # bootstrap's w-100
    visit(page, "login")

    login(page, "fatima")
    expect(page.get_by_role("heading", name="Your teams")).to_be_visible()
    visit(page, "home")

    page.get_by_role("link", name="Riverside Reading Team").click()
    expect(page.get_by_role("heading", level=1, name="Riverside Reading Team")).to_be_visible()
    expect(page.get_by_text("No assessment yet.")).to_be_visible()
    visit(page, "team")

    page.get_by_role("link", name="Start an assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start an assessment for Riverside Reading Team"
    )
    visit(page, "assessment-start")

    page.get_by_label("Date of the meeting").fill("2026-11-20")
    page.get_by_label("Stage of implementation").select_option(label="Initial implementation")
    page.get_by_label("Framework version").select_option(label="Test framework v1")
    # The team's members are listed already (by name): each gets a group, or is removed.
    for row, (name, group, role) in enumerate(
        [("Fatima Okafor", "Leadership", "Facilitator"), ("Marco Rossi", "Practitioner", "")]
    ):
        expect(page.locator(f"#id_participants-{row}-name")).to_have_value(name)
        page.locator(f"#id_participants-{row}-group").select_option(label=group)
        page.locator(f"#id_participants-{row}-role").fill(role)
    expect(page.locator("#id_participants-2-name")).to_have_value("Mei Chen")
    page.locator("#id_participants-2-DELETE").check()
    page.locator("#id_participants-3-name").fill("Jordan Lee")
    page.locator("#id_participants-3-group").select_option(label="Family member")
    page.locator("#id_participants-3-role").fill("Parent representative")
    page.get_by_role("button", name="Start the assessment").click()

    expect(page.get_by_text("The assessment is open: members can vote now.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Riverside Reading Team")).to_be_visible()
    participants = page.get_by_role("complementary").get_by_role("listitem")
    expect(participants).to_have_count(3)
    expect(participants.first).to_contain_text("Fatima Okafor")
    expect(page.get_by_role("link", name="Reveal votes and start consensus")).to_be_visible()
    visit(page, "assessment-open")

    assessment = Assessment.objects.get(team=cast.team)
    assert assessment.status == Assessment.Status.OPEN
    assert assessment.held_on == datetime.date(2026, 11, 20)
    assert assessment.stage == Assessment.Stage.INITIAL
    assert assessment.version == cast.version
    assert assessment.created_by == cast.facilitator
    assert sorted(assessment.participants.values_list("name", "group", "role", "member")) == [
        ("Fatima Okafor", "leadership", "Facilitator", cast.facilitator.pk),
        ("Jordan Lee", "family", "Parent representative", None),
        ("Marco Rossi", "practitioner", "", cast.member.pk),
    ]
