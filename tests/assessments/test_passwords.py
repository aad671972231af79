"""Resetting a forgotten password by e-mail, and changing one's password, through the real pages."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def reset_link(mail) -> str:
    return re.search(r"https?://\S+/password-reset/\S+/\S+/", mail.body).group(0)


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_a_known_email_gets_a_link_that_sets_a_new_password_once(client, cast, mailoutbox, settings):
    settings.SITE_URL = "https://implhub.example.org"
    response = client.post(reverse("password_reset"), {"email": "MARK@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["mark@example.org"]
    assert mail.subject == "Choose a new implhub password"
    link = reset_link(mail)
    assert link.startswith("https://implhub.example.org/password-reset/")
    assert "Your username is mark" in mail.body

    form_page = client.get(path_of(link), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "a-new-Passw0rd", "new_password2": "a-new-Passw0rd"})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert "_auth_user_id" not in client.session  # Django's default: the reset does not sign in

    assert client.post(reverse("login"), {"username": "mark", "password": "pw"}).status_code == 200
    signed_in = client.post(reverse("login"), {"username": "mark@example.org", "password": "a-new-Passw0rd"})
    assert signed_in.status_code == 302
    client.logout()

    again = client.get(path_of(link), follow=True).content.decode()
    assert "This link no longer works" in again


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, cast, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": "mark@example.org"}, follow=True)
    mailoutbox.clear()
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert mailoutbox == []


def test_a_deactivated_account_gets_no_reset_mail(client, cast, mailoutbox):
    cast.member.is_active = False
    cast.member.save()
    response = client.post(reverse("password_reset"), {"email": "mark@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_the_reset_pages_are_implhubs_own(client):
    page = client.get(reverse("password_reset")).content.decode()
    assert "Reset your password" in page and "Send the link" in page and "Django administration" not in page
    done = client.get(reverse("password_reset_done")).content.decode()
    assert "Check your e-mail" in done
    complete = client.get(reverse("password_reset_complete")).content.decode()
    assert "Password changed" in complete and reverse("login") in complete


def test_a_signed_in_person_changes_their_password(client, cast):
    client.force_login(cast.member)
    account = client.get(reverse("account")).content.decode()
    assert reverse("password_change") in account
    assert "Change your password" in client.get(reverse("password_change")).content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": "a-new-Passw0rd", "new_password2": "a-new-Passw0rd"},
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200  # still signed in
    cast.member.refresh_from_db()
    assert cast.member.check_password("a-new-Passw0rd")


def test_a_wrong_current_password_changes_nothing(client, cast):
    client.force_login(cast.member)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "a-new-Passw0rd", "new_password2": "a-new-Passw0rd"},
    )
    assert response.status_code == 200
    cast.member.refresh_from_db()
    assert cast.member.check_password("pw")


@pytest.mark.parametrize("name", ["account", "password_change", "password_change_done"])
def test_anonymous_people_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse(name)}"
