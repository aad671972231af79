"""A member who forgot their password gets a new one by e-mail and signs in with it, by e-mail address."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import visit

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "river-Reading-2026"


def test_a_member_resets_a_forgotten_password_and_signs_in_by_email(cast, page, mailoutbox):
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    visit(page, "password-reset-form", screenshot=False)
    page.get_by_label("Email").fill("Marco@Example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    visit(page, "password-reset-done", screenshot=False)

    # The live server runs in this process, so its e-mails land in Django's test outbox.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["marco@example.org"]
    link = re.search(r"https?://\S+/password-reset/\S+/\S+/", mail.outbox[0].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))  # SITE_URL is not the live server's address
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    visit(page, "password-reset-confirm", screenshot=False)
    page.get_by_label(re.compile(r"^\s*New password\W*$")).fill(NEW_PASSWORD)  # not "...confirmation"
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    visit(page, "password-reset-complete", screenshot=False)

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username or e-mail").fill("marco@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    assert page.url.rstrip("/") == page.context.e2e_base_url.rstrip("/")
    expect(page.get_by_text("Riverside Reading Team").first).to_be_visible()
    expect(page.get_by_role("link", name="Account")).to_be_visible()
