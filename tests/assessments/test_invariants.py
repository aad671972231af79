"""Rules of one row that every writer meets, the Django admin and bulk updates included: a team that has a
facilitator keeps one, and a completed assessment is read-only outside its own workflow."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from assessments import services
from assessments.models import LAST_FACILITATOR, Membership
from tests.factories import TeamFactory, UserFactory, add_member, make_assessment, make_completed_assessment

pytestmark = pytest.mark.django_db


def roles(team):
    return dict(team.memberships.values_list("user__username", "role"))


def test_adding_oneself_as_member_does_not_demote_the_last_facilitator(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(team=cast.team, identifier="fiona", role="member")
    assert excinfo.value.messages == [LAST_FACILITATOR]
    assert roles(cast.team)["fiona"] == "facilitator"


def test_the_member_page_says_so_and_changes_nothing(client, cast):
    client.force_login(cast.facilitator)
    page = client.post(
        reverse("assessments:team_members", args=[cast.team.pk]), {"identifier": "fiona", "role": "member"}
    )
    assert page.status_code == 200 and LAST_FACILITATOR in page.content.decode()
    assert roles(cast.team)["fiona"] == "facilitator"


def test_bulk_deletes_and_role_updates_keep_a_facilitator(cast):
    with pytest.raises(ValidationError, match="at least one facilitator"):
        Membership.objects.filter(team=cast.team).delete()
    with pytest.raises(ValidationError, match="at least one facilitator"):
        Membership.objects.filter(team=cast.team).update(role="member")
    assert roles(cast.team) == {"fiona": "facilitator", "mark": "member", "mei": "member"}
    Membership.objects.filter(team=cast.team, role="member").delete()
    Membership.objects.filter(team=cast.team).update(role="facilitator")
    assert roles(cast.team) == {"fiona": "facilitator"}


def test_a_team_with_two_facilitators_may_lose_one(cast):
    add_member(cast.other_team, cast.member, "facilitator")
    Membership.objects.filter(team=cast.other_team, user=cast.outsider).delete()
    assert roles(cast.other_team) == {"mark": "facilitator"}


def test_a_team_without_a_facilitator_yet_may_change_its_members():
    team = TeamFactory(name="New")
    membership = add_member(team, UserFactory(username="nia"))
    membership.role = "member"
    membership.save()
    membership.delete()
    assert not team.memberships.exists()


def test_deleting_the_last_facilitators_account_is_refused(cast):
    # Each attempt in a transaction of its own, as a request would make it.
    with pytest.raises(ValidationError, match="at least one facilitator"), transaction.atomic():
        cast.facilitator.delete()
    with pytest.raises(ValidationError, match="at least one facilitator"), transaction.atomic():
        get_user_model().objects.filter(username__in=["fiona", "mark"]).delete()
    assert get_user_model().objects.filter(username="fiona").exists()
    cast.member.delete()  # a member's account goes, with the membership
    assert "mark" not in roles(cast.team)


def test_deleting_a_team_takes_its_memberships(cast):
    cast.team.delete()
    assert not Membership.objects.filter(user=cast.facilitator).exists()


def team_form(team, memberships):
    data = {
        "organization": team.organization_id,
        "name": team.name,
        "program": team.program,
        "level": team.level,
        "assessment_interval_months": str(team.assessment_interval_months),
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "coach_assignments-TOTAL_FORMS": "0",
        "coach_assignments-INITIAL_FORMS": "0",
        "coach_assignments-MIN_NUM_FORMS": "0",
        "coach_assignments-MAX_NUM_FORMS": "1000",
    }
    for n, (membership, role, delete) in enumerate(memberships):
        data |= {
            f"memberships-{n}-id": membership.pk,
            f"memberships-{n}-team": team.pk,
            f"memberships-{n}-user": membership.user_id,
            f"memberships-{n}-role": role,
        }
        if delete:
            data[f"memberships-{n}-DELETE"] = "on"
    return data


@pytest.mark.parametrize(("role", "delete"), [("facilitator", True), ("member", False)])
def test_the_admin_cannot_take_a_teams_last_facilitator_away(client, cast, role, delete):
    client.force_login(cast.admin)
    outsider = cast.other_team.memberships.get()
    page = client.post(
        reverse("admin:assessments_team_change", args=[cast.other_team.pk]),
        team_form(cast.other_team, [(outsider, role, delete)]),
    )
    assert page.status_code == 200 and LAST_FACILITATOR in page.content.decode()
    assert roles(cast.other_team) == {"olu": "facilitator"}


@pytest.mark.parametrize(
    ("removed", "left"), [(True, {"mark": "facilitator"}), (False, {"mark": "facilitator", "olu": "member"})]
)
def test_the_admin_may_hand_facilitation_over_in_one_submit(client, cast, removed, left):
    client.force_login(cast.admin)
    outsider = cast.other_team.memberships.get()
    newcomer = add_member(cast.other_team, cast.member)
    page = client.post(
        reverse("admin:assessments_team_change", args=[cast.other_team.pk]),
        team_form(cast.other_team, [(outsider, "member", removed), (newcomer, "facilitator", False)]),
    )
    assert page.status_code == 302
    assert roles(cast.other_team) == left


def test_the_admin_delete_page_of_a_last_facilitator_says_why_it_cannot_delete(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:auth_user_delete", args=[cast.outsider.pk])
    page = client.get(url).content.decode()
    assert "at least one facilitator" in page
    client.post(url, {"post": "yes"})
    assert get_user_model().objects.filter(pk=cast.outsider.pk).exists()


def test_a_completed_assessment_is_read_only_in_the_admin(client, cast):
    completed = make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    client.force_login(cast.admin)
    url = reverse("admin:assessments_assessment_change", args=[completed.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url, {"held_on": "2020-01-01", "stage": "full"}).status_code == 403
    assert (
        client.post(
            reverse("admin:assessments_assessment_delete", args=[completed.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    completed.refresh_from_db()
    assert completed.held_on.year == 2026 and completed.stage == "installation"


def test_an_open_assessment_can_be_corrected_in_the_admin(client, cast):
    assessment = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    client.force_login(cast.admin)
    page = client.get(reverse("admin:assessments_assessment_change", args=[assessment.pk]))
    assert 'name="_save"' in page.content.decode()
