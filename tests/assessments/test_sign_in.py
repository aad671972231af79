"""Signing in by username or e-mail through the real sign-in page, and what a deactivated account gets."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEACTIVATED = "This account has been deactivated. Ask your organization&#x27;s admin if you need it again."


def sign_in(client, identifier, password="pw"):
    return client.post(reverse("login"), {"username": identifier, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_the_sign_in_page_asks_for_a_username_or_email_and_offers_a_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert "Username or e-mail" in page
    assert reverse("password_reset") in page and "Forgot your password?" in page


def test_one_signs_in_by_username(client, cast):
    response = sign_in(client, "mark")
    assert response.status_code == 302 and response.url == reverse("home")
    assert signed_in_as(client) == str(cast.member.pk)


@pytest.mark.parametrize("email", ["mark@example.org", "MARK@Example.ORG", "  mark@example.org "])
def test_one_signs_in_by_email_in_any_case(client, cast, email):
    assert sign_in(client, email).status_code == 302
    assert signed_in_as(client) == str(cast.member.pk)


def test_an_email_two_accounts_share_falls_back_to_the_username_without_error(client, cast):
    UserFactory(username="mark2", email="mark@example.org")
    response = sign_in(client, "mark@example.org")
    assert response.status_code == 200
    assert "Enter a correct username or e-mail and password" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_username_that_looks_like_an_email_still_signs_in(client, db):
    user = UserFactory(username="lee@example.org", email="lee.work@example.org")
    UserFactory(username="other", email="lee@example.org")
    UserFactory(username="another", email="LEE@example.org")
    assert sign_in(client, "lee@example.org").status_code == 302
    assert signed_in_as(client) == str(user.pk)


def test_a_wrong_password_gets_the_generic_message_and_no_session(client, cast):
    response = sign_in(client, "mark", "wrong")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a correct username or e-mail and password" in page
    assert DEACTIVATED not in page
    assert signed_in_as(client) is None


def test_an_unknown_account_gets_the_generic_message(client, cast):
    page = sign_in(client, "nobody@example.org").content.decode()
    assert "Enter a correct username or e-mail and password" in page


def test_an_unknown_account_still_runs_the_password_hasher(cast, monkeypatch):
    """Timing: an unknown identifier costs a hash, like a wrong password does."""
    from django.contrib.auth import authenticate
    from django.contrib.auth.hashers import MD5PasswordHasher

    hashed = []
    original = MD5PasswordHasher.encode
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda self, *a: hashed.append(1) or original(self, *a))
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="nobody@example.org", password="pw") is None
    assert authenticate(request, username="nobody", password="pw") is None
    assert len(hashed) == 2


def test_a_deactivated_account_with_the_right_password_is_told_so_and_gets_no_session(client, cast):
    cast.member.is_active = False
    cast.member.save()
    for identifier in ("mark", "mark@example.org"):
        response = sign_in(client, identifier)
        assert response.status_code == 200
        assert DEACTIVATED in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_a_deactivated_account_with_a_wrong_password_learns_nothing(client, cast):
    cast.member.is_active = False
    cast.member.save()
    page = sign_in(client, "mark", "wrong").content.decode()
    assert DEACTIVATED not in page
    assert "Enter a correct username or e-mail and password" in page


def test_a_session_opened_before_deactivation_ends_at_the_next_request(client, cast):
    assert sign_in(client, "mark").status_code == 302
    assert client.get(reverse("home")).status_code == 200
    cast.member.is_active = False
    cast.member.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
