"""A new organization onboards itself in the browser once site staff have named its first admin: the admin
sets up a team and names its facilitator by e-mail; the facilitator joins through the link, invites a
coach, and lets the coach run the meetings; the coach reveals the votes and is recorded as the one who
administered the assessment. Every e-mail is read from the test outbox."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from assessments.models import Assessment, CoachAssignment, OrganizationMembership, Team
from tests.e2e.conftest import login, visit
from tests.factories import OrganizationFactory, UserFactory, make_assessment

pytestmark = pytest.mark.e2e

PASSWORD = "lakeside onboarding 2026"


def link_in(message) -> str:
    """The path of the invitation link in an e-mail (SITE_URL is not the live server's address)."""
    return re.search(r"^https?://[^/\s]+(/invitations/\S+/)$", message.body, re.MULTILINE).group(1)


def join(new_context, link: str, first: str, last: str):
    """Opens an invitation link in a browser of its own and creates the account."""
    page = new_context().new_page()
    page.goto(link)
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Password*", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("^Create the account and join")).click()
    page.wait_for_load_state("load")
    return page


def test_an_organization_admin_onboards_a_team_with_its_facilitator_and_a_coach(cast, page, new_context):
    lakeside = OrganizationFactory(name="Lakeside Schools")
    nadia = UserFactory(username="nadia", first_name="Nadia", last_name="Haddad")
    OrganizationMembership.objects.create(organization=lakeside, user=nadia, role="admin")

    login(page, "nadia")
    expect(page.get_by_text("You administer Lakeside Schools")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lakeside Schools").click()
    expect(page.get_by_text("No team yet.")).to_be_visible()
    page.get_by_label("Team name").fill("Hillside Literacy Team")
    page.get_by_label("Program or practice").fill("Structured literacy")
    page.get_by_label("Level").select_option(label="Site or building")
    page.get_by_label("First facilitator (optional)").fill("pat.kim@example.org")
    page.get_by_role("button", name="Set up the team").click()
    expect(page.get_by_text("Hillside Literacy Team is set up.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Hillside Literacy Team"))).to_contain_text(
        "None yet: you stand in"
    )
    visit(page, "organization-teams")
    team = Team.objects.get(name="Hillside Literacy Team")

    [to_pat] = mail.outbox
    assert to_pat.to == ["pat.kim@example.org"]
    pat = join(new_context, link_in(to_pat), "Pat", "Kim")
    expect(pat.get_by_role("heading", level=1, name="Hillside Literacy Team")).to_be_visible()
    assert team.memberships.get(user__username="pat.kim@example.org").is_facilitator

    pat.get_by_role("link", name="Manage members and coaches").click()
    pat.get_by_role("link", name="Invite by e-mail").click()
    pat.get_by_label("E-mail address").fill("cole.ray@example.org")
    pat.get_by_role("combobox", name="Role").select_option(label="Coach (follows, comments)")
    pat.get_by_role("button", name="Send the invitation").click()
    expect(pat.get_by_text("Invitation sent to cole.ray@example.org.")).to_be_visible()
    cole = join(new_context, link_in(mail.outbox[1]), "Cole", "Ray")
    assert CoachAssignment.objects.filter(team=team, coach__username="cole.ray@example.org").exists()

    pat.get_by_role("link", name="Back to the members").click()
    pat.get_by_label("Runs the meetings").check()
    pat.get_by_role("button", name="Save").click()
    expect(pat.get_by_text("Cole Ray may now run the team's meetings.")).to_be_visible()
    visit(pat, "team-people")

    assessment = make_assessment(team=team, version=cast.version, by=team.memberships.get().user)
    cole.goto(f"/assessments/{assessment.pk}/")
    cole.get_by_role("link", name="Reveal votes and start consensus").click()
    cole.get_by_role("button", name="Reveal votes and start consensus").click()
    cole.wait_for_url(re.compile(r"/consensus/$"))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CONSENSUS
    assert (assessment.administered_by.username, assessment.administered_as) == (
        "cole.ray@example.org",
        "coach",
    )
    assert not team.memberships.filter(user=assessment.administered_by).exists()  # never a voting member
