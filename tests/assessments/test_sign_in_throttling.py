"""Sign-in throttling (django-axes) through the real sign-in pages: after the allowed wrong passwords an
account is paused from that address, even for the right password, on the site and in the admin; the page
says how to get back in, and a password reset or an organization admin opens it again."""

import logging
import re

import pytest
from django.urls import reverse

from assessments.models import OrganizationMembership
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def sign_in(client, identifier, password="pw", address=HOME, url=None):
    return client.post(
        url or reverse("login"), {"username": identifier, "password": password}, REMOTE_ADDR=address
    )


def fail(client, identifier, times, **kwargs):
    """Wrong passwords; the one that reaches the limit is already answered with the lockout page."""
    for _ in range(times):
        sign_in(client, identifier, password="wrong", **kwargs)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_the_allowed_failures(client, cast, settings):
    fail(client, "mark", settings.AXES_FAILURE_LIMIT)
    response = sign_in(client, "mark")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert f"after {settings.AXES_FAILURE_LIMIT} wrong passwords" in page.lower()
    assert "opens again by itself after 30 minutes" in page
    assert reverse("password_reset") in page and "admin of your organization" in page
    assert not signed_in(client)


def test_one_failure_fewer_still_lets_the_right_password_in(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "mark", password="wrong").status_code == 200  # the form, with its message
    assert sign_in(client, "mark").status_code == 302 and signed_in(client)


def test_the_email_and_the_username_count_against_the_same_account(client, cast, settings):
    fail(client, "mark@example.org", settings.AXES_FAILURE_LIMIT - 1)
    fail(client, "mark", 1)
    assert sign_in(client, "mark").status_code == 429


def test_the_pause_holds_for_that_address_only(client, cast, settings):
    """Keyed on account and address: a colleague's typos behind the same school address lock only that
    account, and a stranger elsewhere cannot lock someone out."""
    fail(client, "mark", settings.AXES_FAILURE_LIMIT)
    assert sign_in(client, "mei", address=HOME).status_code == 302
    client.logout()
    assert sign_in(client, "mark", address=ELSEWHERE).status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, cast, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ada", password="wrong", url=url)
    assert sign_in(client, "ada", url=url).status_code == 429
    assert not signed_in(client)


def test_sign_ins_and_failures_are_logged_with_the_account_and_address(client, cast, caplog):
    with caplog.at_level(logging.INFO):
        sign_in(client, "mark", password="wrong")
        sign_in(client, "mark")
    messages = [record.getMessage() for record in caplog.records if record.name.startswith("axes")]
    assert any("failed" in m and "mark" in m and HOME in m for m in messages)
    assert any("Successful login" in m and "mark" in m and HOME in m for m in messages)


def test_a_password_reset_opens_sign_in_again(client, cast, settings, mailoutbox):
    fail(client, "mark", settings.AXES_FAILURE_LIMIT)
    client.post(reverse("password_reset"), {"email": "mark@example.org"})
    link = re.search(r"https?://\S+/password-reset/\S+/\S+/", mailoutbox[0].body).group(0)
    form_page = client.get(re.sub(r"^https?://[^/]+", "", link), follow=True)
    new_password = {"new_password1": "a-new-Passw0rd", "new_password2": "a-new-Passw0rd"}
    client.post(form_page.redirect_chain[-1][0], new_password)
    assert sign_in(client, "mark", password="a-new-Passw0rd").status_code == 302


def test_an_organization_admin_sees_the_pause_and_opens_sign_in_again(client, cast, settings):
    fail(client, "mark", settings.AXES_FAILURE_LIMIT)
    client.force_login(cast.orgadmin)
    people = reverse("assessments:organization_people", args=[cast.team.organization_id])
    page = client.get(people).content.decode()
    assert "sign-in paused" in page and "Open sign-in again" in page
    membership = OrganizationMembership.objects.get(user=cast.member)
    url = reverse("assessments:organization_person", args=[cast.team.organization_id, membership.pk])
    response = client.post(url, {"action": "unlock"}, follow=True)
    assert "can sign in again" in response.content.decode()
    client.logout()
    assert sign_in(client, "mark").status_code == 302


def test_nobody_else_can_open_it(client, cast, settings):
    fail(client, "mark", settings.AXES_FAILURE_LIMIT)
    stranger = UserFactory()
    other = OrganizationFactory()
    OrganizationMembership.objects.create(
        organization=other, user=stranger, role=OrganizationMembership.Role.ADMIN
    )
    membership = OrganizationMembership.objects.get(user=cast.member)
    for person, status in ((stranger, 404), (cast.facilitator, 403)):
        client.force_login(person)
        url = reverse("assessments:organization_person", args=[cast.team.organization_id, membership.pk])
        assert client.post(url, {"action": "unlock"}).status_code == status
    client.logout()
    assert sign_in(client, "mark").status_code == 429


def test_pages_forbid_browser_features_they_do_not_use(client):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy


def test_a_staff_session_ends_sooner_when_idle_than_anyone_elses(client, cast, settings):
    client.force_login(cast.member)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 3600
    client.force_login(cast.admin)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS == 3600


def test_a_request_restarts_an_idle_clock_only_when_it_is_minutes_old(client, cast):
    """The session is written again (a new expiry) at most every REFRESH_SECONDS, not on every request."""
    from implhub.sessions import CLOCK, REFRESH_SECONDS

    client.force_login(cast.member)
    started = client.session[CLOCK]
    client.get(reverse("home"))
    assert client.session[CLOCK] == started
    session = client.session
    session[CLOCK] = started - REFRESH_SECONDS - 1
    session.save()
    client.get(reverse("home"))
    assert client.session[CLOCK] >= started


def test_forwarded_headers_count_only_behind_a_trusted_proxy(client, cast, settings):
    """Without BEHIND_PROXY a client's own X-Forwarded-For neither dodges nor moves its lockout."""
    assert settings.SECURE_PROXY_SSL_HEADER is None
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "mark", "password": "wrong"},
            REMOTE_ADDR=HOME,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert sign_in(client, "mark").status_code == 429


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_clients(settings, rf):
    from implhub.client import client_address

    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7")
    assert client_address(request) == "10.9.9.9"
    settings.BEHIND_PROXY = True
    assert client_address(request) == "198.51.100.7"


def test_a_connection_the_database_dropped_is_checked_before_use(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
