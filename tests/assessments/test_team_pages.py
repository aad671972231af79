"""The team page, managing members, and starting an assessment through the browser forms."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, Membership, OrganizationMembership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator_client(client, cast):
    client.force_login(cast.facilitator)
    return client


def start_data(cast, **overrides):
    data = {
        "held_on": "2026-11-20",
        "stage": "installation",
        "version": cast.version.pk,
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "60",
        "participants-0-name": "Jordan Lee",
        "participants-0-group": "recipient",
        "participants-0-role": "Parent",
        "participants-1-name": "",
        "participants-1-group": "",
        "participants-1-role": "",
    }
    return data | overrides


def test_a_facilitator_starts_an_assessment_with_participants(facilitator_client, cast):
    response = facilitator_client.post(
        reverse("assessments:assessment_start", args=[cast.team.pk]), start_data(cast)
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessments:assessment_detail", args=[assessment.pk])
    assert (assessment.stage, assessment.version, str(assessment.held_on)) == (
        "installation",
        cast.version,
        "2026-11-20",
    )
    assert list(assessment.participants.values_list("name", "group", "role")) == [
        ("Jordan Lee", "recipient", "Parent")
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"stage": "finished"}, "Select a valid choice"),
        ({"held_on": "yesterday"}, "Enter a valid date"),
        (
            {"participants-1-name": "jordan lee", "participants-1-group": "staff"},
            "Each participant is listed once",
        ),
        ({"participants-0-group": ""}, "Choose the stakeholder group of Jordan Lee"),
        ({"participants-1-group": "staff"}, "Give the participant&#x27;s name, or clear the row"),
    ],
)
def test_bad_start_input_is_shown_and_nothing_is_created(facilitator_client, cast, overrides, message):
    response = facilitator_client.post(
        reverse("assessments:assessment_start", args=[cast.team.pk]), start_data(cast, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_start_form_offers_the_latest_published_version(facilitator_client, cast):
    page = facilitator_client.get(
        reverse("assessments:assessment_start", args=[cast.team.pk])
    ).content.decode()
    assert f'<option value="{cast.version.pk}" selected>' in page


def test_a_facilitator_adds_a_member_of_the_organization_by_email(facilitator_client, cast):
    sam = UserFactory(username="sam", email="sam@example.org")
    OrganizationMembership.objects.create(organization=cast.team.organization, user=sam)
    response = facilitator_client.post(
        reverse("assessments:team_members", args=[cast.team.pk]),
        {"add": "member", "identifier": "SAM@example.org", "role": "member"},
        follow=True,
    )
    assert "Sam is now a member of Riverside." in response.content.decode()
    assert Membership.objects.filter(team=cast.team, user=sam, role="member").exists()


@pytest.mark.parametrize("identifier", ["ghost", "olu", "olu@example.org", "ada", "dormant"])
def test_anyone_outside_the_organization_gets_the_same_reply_and_nothing_changes(
    facilitator_client, cast, identifier
):
    """Unknown, of another organization, staff, or deactivated: one reply, so the form tells nobody which
    accounts exist; such people are invited by e-mail instead."""
    dormant = UserFactory(username="dormant", is_active=False)
    OrganizationMembership.objects.create(organization=cast.team.organization, user=dormant)
    OrganizationMembership.objects.create(organization=cast.team.organization, user=cast.admin)
    response = facilitator_client.post(
        reverse("assessments:team_members", args=[cast.team.pk]),
        {"add": "member", "identifier": identifier, "role": "member"},
    )
    expected = (
        f"&#x27;{identifier}&#x27; is not a member of {cast.team.organization.name} whom you can add here. "
        "Invite them by e-mail instead."
    )
    assert expected in response.content.decode()
    assert cast.team.memberships.count() == 3
    assert not OrganizationMembership.objects.filter(user=cast.outsider, organization=cast.team.organization)


def test_a_facilitator_changes_a_role_and_removes_a_member(facilitator_client, cast):
    membership = cast.team.memberships.get(user=cast.member2)
    url = reverse("assessments:membership_update", args=[cast.team.pk, membership.pk])
    response = facilitator_client.post(url, {"action": "role", "role": "facilitator"}, follow=True)
    assert Membership.objects.get(pk=membership.pk).role == "facilitator"
    assert "Mei is now a facilitator." in response.content.decode()
    response = facilitator_client.post(url, {"action": "remove"}, follow=True)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert "Mei was removed from the team." in response.content.decode()


def test_the_last_facilitator_cannot_remove_themselves(facilitator_client, cast):
    membership = cast.team.memberships.get(user=cast.facilitator)
    response = facilitator_client.post(
        reverse("assessments:membership_update", args=[cast.team.pk, membership.pk]),
        {"action": "remove"},
        follow=True,
    )
    assert "A team needs at least one facilitator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_team_is_404(facilitator_client, cast):
    foreign = cast.other_team.memberships.get()
    url = reverse("assessments:membership_update", args=[cast.team.pk, foreign.pk])
    assert facilitator_client.post(url, {"action": "remove"}).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_home_shows_each_team_with_its_next_step(client, cast, open_assessment):
    client.force_login(cast.member)
    page = client.get(reverse("home")).content.decode()
    assert "Riverside" in page and "Vote now" in page and "Harbor" not in page
    client.force_login(cast.coach)
    page = client.get(reverse("home")).content.decode()
    assert "Riverside" in page and "you coach this team" in page
