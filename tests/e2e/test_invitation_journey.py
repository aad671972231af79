"""A facilitator invites someone by e-mail; the newcomer opens the link, creates an account and lands on the
team as a member; the link then says it was used. The e-mail is read from the test outbox (the live server
runs in this process, with Django's local-memory e-mail backend)."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from assessments.models import Membership
from tests.e2e.conftest import login, visit

pytestmark = pytest.mark.e2e

NEWCOMER = "nora.lee@example.org"


def test_a_newcomer_joins_the_team_through_the_link_of_an_invitation(cast, page, new_context):
    login(page, "fatima")
    page.get_by_role("link", name="Riverside Reading Team").click()
    page.get_by_role("link", name="Manage members and coaches").click()
    page.get_by_role("link", name="Invite by e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations to Riverside Reading Team")
    expect(page.get_by_text("No invitation is waiting for an answer.")).to_be_visible()
    visit(page, "invitations")

    page.get_by_label("E-mail address").fill(NEWCOMER)
    page.get_by_role("combobox", name="Role").select_option(label="Member (votes)")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text(f"Invitation sent to {NEWCOMER}.")).to_be_visible()
    pending = page.get_by_role("listitem").filter(has_text=NEWCOMER)
    expect(pending).to_contain_text("Invited by Fatima Okafor")
    expect(pending.get_by_role("button", name=f"Withdraw the invitation of {NEWCOMER}")).to_be_visible()

    [message] = mail.outbox
    assert message.to == [NEWCOMER]
    link = re.search(r"^(http://\S+/invitations/\S+/)$", message.body, re.MULTILINE).group(1)
    assert link.startswith(settings.SITE_URL)
    link = re.sub(r"^https?://[^/]+", "", link)  # SITE_URL is not the live server's address

    newcomer = new_context().new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Join Riverside Reading Team")
    expect(newcomer.get_by_text("Fatima Okafor invites you to join")).to_contain_text("Northfield Schools")
    expect(newcomer.get_by_role("link", name="I already have an account: sign in")).to_be_visible()
    visit(newcomer, "invitation-accept")

    newcomer.get_by_label("First name").fill("Nora")
    newcomer.get_by_label("Last name").fill("Lee")
    newcomer.get_by_label("Password*", exact=True).fill("reading together 2026")
    newcomer.get_by_label("Password again").fill("reading together 2026")
    newcomer.get_by_role("button", name="Create the account and join Riverside Reading Team").click()

    expect(
        newcomer.get_by_text("Welcome to Riverside Reading Team: you joined as Member (votes).")
    ).to_be_visible()
    expect(newcomer.get_by_role("heading", level=1, name="Riverside Reading Team")).to_be_visible()
    expect(newcomer.locator(".navbar")).to_contain_text("Nora")
    assert Membership.objects.get(team=cast.team, user__username=NEWCOMER).role == "member"

    response = newcomer.goto(link)
    assert response.status == 410
    expect(newcomer.get_by_text("This invitation has already been used")).to_be_visible()

    page.reload()
    expect(page.get_by_text("No invitation is waiting for an answer.")).to_be_visible()
