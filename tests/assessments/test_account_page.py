"""The account page: one's name, e-mail and whether one wants the assessment e-mails."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TAKEN = "This e-mail cannot be used; choose another."


def save(client, **changes):
    data = {"first_name": "Mark", "last_name": "Rossi", "email": "mark@example.org"}
    data.update({"assessment_emails": "on", **changes})
    return client.post(reverse("account"), {k: v for k, v in data.items() if v is not None})


def test_the_account_page_shows_ones_own_settings(client, cast):
    client.force_login(cast.member)
    response = client.get(reverse("account"))
    page = response.content.decode()
    assert 'value="mark@example.org"' in page
    assert "Your username is <strong>mark</strong>" in page
    assert response.context["form"]["assessment_emails"].value() is True  # no profile yet: e-mails on


def test_the_navigation_links_to_the_account_page(client, cast):
    client.force_login(cast.member)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("account")}"' in page
    assert "Sign out" in page


def test_one_updates_ones_name_email_and_email_preference(client, cast):
    client.force_login(cast.member)
    response = save(client, first_name=" Marco ", email="Marco@Example.ORG", assessment_emails=None)
    assert response.status_code == 302 and response.url == reverse("account")
    cast.member.refresh_from_db()
    assert (cast.member.first_name, cast.member.last_name) == ("Marco", "Rossi")
    assert cast.member.email == "Marco@example.org"
    assert Profile.objects.get(user=cast.member).assessment_emails is False
    page = client.get(reverse("account")).content.decode()
    assert "Your account is saved." in page

    save(client)  # the profile exists now: the same row is changed
    profiles = Profile.objects.filter(user=cast.member)
    assert list(profiles.values_list("assessment_emails", flat=True)) == [True]


def test_keeping_ones_own_email_in_another_case_is_fine(client, cast):
    client.force_login(cast.member)
    assert save(client, email="MARK@example.org").status_code == 302


@pytest.mark.parametrize("email", ["mei@example.org", "MEI@EXAMPLE.org"])
def test_an_email_of_another_account_is_refused_and_nothing_changes(client, cast, email):
    client.force_login(cast.member)
    response = save(client, first_name="Changed", email=email, assessment_emails=None)
    assert response.status_code == 200
    page = response.content.decode()
    assert TAKEN in page
    cast.member.refresh_from_db()
    assert (cast.member.first_name, cast.member.email) == ("Mark", "mark@example.org")
    assert not Profile.objects.filter(user=cast.member).exists()


def test_an_email_of_a_deactivated_account_is_refused_too(client, cast):
    UserFactory(username="gone", email="gone@example.org", is_active=False)
    client.force_login(cast.member)
    assert TAKEN in save(client, email="gone@example.org").content.decode()


@pytest.mark.parametrize("email", ["", "not-an-email"])
def test_a_missing_or_malformed_email_is_refused(client, cast, email):
    client.force_login(cast.member)
    assert save(client, email=email).status_code == 200
    assert get_user_model().objects.get(pk=cast.member.pk).email == "mark@example.org"


def test_the_service_refuses_an_email_in_use(cast):
    from django.core.exceptions import ValidationError

    from assessments import services

    with pytest.raises(ValidationError) as refused:
        services.account_update(
            user=cast.member, first_name="M", last_name="", email="MEI@example.org", assessment_emails=True
        )
    assert refused.value.message_dict == {"email": [TAKEN]}


def test_one_turns_the_daily_reminders_off_and_on_beside_the_assessment_emails(client, cast):
    client.force_login(cast.member)
    form = client.get(reverse("account")).context["form"]
    assert form["reminder_emails"].value() is True  # no profile yet: reminders on
    assert list(form.fields)[-2:] == ["assessment_emails", "reminder_emails"]
    save(client, reminder_emails=None)
    assert Profile.objects.get(user=cast.member).reminder_emails is False
    save(client, reminder_emails="on")
    profile = Profile.objects.get(user=cast.member)
    assert (profile.reminder_emails, profile.assessment_emails) == (True, True)
