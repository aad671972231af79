import pytest
from django.urls import reverse

from assessments.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_member_to_a_team_in_the_admin(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:assessments_team_change", args=[cast.other_team.pk])
    page = client.get(url)
    assert page.status_code == 200
    outsider_membership = cast.other_team.memberships.get()
    data = {
        "organization": cast.other_team.organization_id,
        "name": cast.other_team.name,
        "program": cast.other_team.program,
        "level": cast.other_team.level,
        "assessment_interval_months": "6",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": outsider_membership.pk,
        "memberships-0-team": cast.other_team.pk,
        "memberships-0-user": cast.outsider.pk,
        "memberships-0-role": "facilitator",
        "memberships-1-team": cast.other_team.pk,
        "memberships-1-user": cast.member.pk,
        "memberships-1-role": "member",
        "coach_assignments-TOTAL_FORMS": "0",
        "coach_assignments-INITIAL_FORMS": "0",
        "coach_assignments-MIN_NUM_FORMS": "0",
        "coach_assignments-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(team=cast.other_team, user=cast.member, role="member").exists()


def test_assessments_are_shown_but_not_added_in_the_admin(client, cast, open_assessment):
    client.force_login(cast.admin)
    assert (
        client.get(reverse("admin:assessments_assessment_change", args=[open_assessment.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:assessments_assessment_add")).status_code == 403


def test_team_admin_is_closed_to_non_staff(client, cast):
    client.force_login(cast.facilitator)
    assert client.get(reverse("admin:assessments_team_changelist")).status_code == 302


def organization_form(organization, rows):
    """The organization's admin page as posted: its people (id, user, role, delete) and no team rows."""
    data = {
        "name": organization.name,
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(sum(1 for row in rows if row[0])),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "teams-TOTAL_FORMS": "0",
        "teams-INITIAL_FORMS": "0",
        "teams-MIN_NUM_FORMS": "0",
        "teams-MAX_NUM_FORMS": "1000",
    }
    for n, (pk, user, role, delete) in enumerate(rows):
        data.update({f"memberships-{n}-organization": organization.pk, f"memberships-{n}-user": user.pk,
                     f"memberships-{n}-role": role})  # fmt: skip
        if pk:
            data[f"memberships-{n}-id"] = pk
        if delete:
            data[f"memberships-{n}-DELETE"] = "on"
    return data


def test_site_staff_name_an_organizations_first_admin(client, cast):
    client.force_login(cast.admin)
    organization = cast.other_team.organization
    olu = organization.memberships.get(user=cast.outsider)
    newcomer = UserFactory(username="nina")
    url = reverse("admin:assessments_organization_change", args=[organization.pk])
    assert client.get(url).status_code == 200
    rows = [(olu.pk, cast.outsider, "member", False), (None, newcomer, "admin", False)]
    response = client.post(url, organization_form(organization, rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert organization.memberships.get(user=newcomer).is_admin


def test_removing_a_last_facilitator_in_the_admin_is_refused_on_the_form(client, cast):
    client.force_login(cast.admin)
    organization = cast.other_team.organization
    olu = organization.memberships.get(user=cast.outsider)
    url = reverse("admin:assessments_organization_change", args=[organization.pk])
    response = client.post(url, organization_form(organization, [(olu.pk, cast.outsider, "member", True)]))
    assert (
        response.status_code == 200 and "A team needs at least one facilitator" in response.content.decode()
    )
    assert organization.memberships.filter(pk=olu.pk).exists()
    assert cast.other_team.memberships.filter(user=cast.outsider, role="facilitator").exists()
