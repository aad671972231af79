"""Deactivating an account: refused for a team's last active facilitator by every path (the service, the
admin action, the admin's change form, any other save); what the person did stays, with their name."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import Vote
from tests.factories import TeamFactory, add_member

pytestmark = pytest.mark.django_db

REFUSED = "fiona is the last active facilitator of Riverside; make someone else facilitator first."


def is_active(user) -> bool:
    return get_user_model().objects.get(pk=user.pk).is_active


def test_the_service_refuses_a_teams_last_facilitator(cast):
    with pytest.raises(ValidationError) as refused:
        services.account_deactivate(user=cast.facilitator)
    assert refused.value.messages == [REFUSED]
    assert is_active(cast.facilitator)


def test_the_refusal_names_every_team_it_would_leave_without_a_facilitator(cast):
    add_member(TeamFactory(name="Lakeside"), cast.facilitator, "facilitator")
    add_member(cast.other_team, cast.facilitator, "facilitator")  # Harbor keeps olu
    with pytest.raises(ValidationError) as refused:
        services.account_deactivate(user=cast.facilitator)
    assert refused.value.messages == [
        "fiona is the last active facilitator of Lakeside, Riverside; make someone else facilitator first."
    ]


def test_a_facilitator_is_deactivated_when_another_one_is_active(cast):
    services.membership_change_role(
        membership=cast.team.memberships.get(user=cast.member), role="facilitator"
    )
    services.account_deactivate(user=cast.facilitator)
    assert not is_active(cast.facilitator)


def test_a_member_or_coach_is_deactivated_freely(cast):
    services.account_deactivate(user=cast.member)
    services.account_deactivate(user=cast.coach)
    assert not is_active(cast.member) and not is_active(cast.coach)


def test_a_deactivated_facilitator_does_not_keep_a_team_facilitated(cast):
    membership = cast.team.memberships.get(user=cast.member)
    services.membership_change_role(membership=membership, role="facilitator")
    services.account_deactivate(user=cast.member)
    with pytest.raises(ValidationError):
        services.account_deactivate(user=cast.facilitator)
    assert is_active(cast.facilitator)


def test_any_other_save_is_refused_by_the_model(cast):
    cast.facilitator.is_active = False
    with pytest.raises(ValidationError):
        cast.facilitator.save()
    with pytest.raises(ValidationError):
        cast.facilitator.save(update_fields=["is_active"])
    assert is_active(cast.facilitator)


def test_saves_that_do_not_deactivate_are_left_alone(cast):
    cast.facilitator.first_name = "Fi"
    cast.facilitator.save()
    cast.member.is_active = False
    cast.member.save()
    cast.member.first_name = "Still inactive"
    cast.member.save()  # already inactive: nothing to check
    cast.facilitator.is_active = False
    cast.facilitator.save(update_fields=["first_name"])  # is_active not written
    assert is_active(cast.facilitator)


def test_the_admin_action_deactivates_others_and_refuses_the_last_facilitator(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [cast.facilitator.pk, cast.member.pk, cast.coach.pk]},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert REFUSED in shown
    assert "2 accounts deactivated." in shown
    assert is_active(cast.facilitator)
    assert not is_active(cast.member) and not is_active(cast.coach)


def test_the_admin_action_takes_the_second_of_two_facilitators_as_the_last(client, cast):
    services.membership_change_role(
        membership=cast.team.memberships.get(user=cast.member), role="facilitator"
    )
    client.force_login(cast.admin)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [cast.facilitator.pk, cast.member.pk]},
    )
    assert [is_active(cast.facilitator), is_active(cast.member)] == [False, True]


def change_form_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_admin_change_form_refuses_unticking_active_for_the_last_facilitator(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:auth_user_change", args=[cast.facilitator.pk])
    response = client.post(url, change_form_data(cast.facilitator, is_active=None))
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert is_active(cast.facilitator)


def test_the_admin_change_form_deactivates_a_member(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:auth_user_change", args=[cast.member.pk])
    response = client.post(url, change_form_data(cast.member, is_active=None))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not is_active(cast.member)


def test_a_deactivated_persons_votes_and_name_stay_on_the_team_pages(client, cast, open_assessment):
    code = cast.version.best_practices.order_by("code").first().code
    services.vote_record(assessment=open_assessment, member=cast.member, item_code=code, answer="2")
    services.account_deactivate(user=cast.member)
    assert Vote.objects.filter(member=cast.member).count() == 1

    client.force_login(cast.facilitator)
    members = client.get(reverse("assessments:team_members", args=[cast.team.pk])).content.decode()
    assert "mark" in members and "(deactivated)" in members
    assert members.count("(deactivated)") == 1
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=open_assessment.created_by)
    board = client.get(reverse("assessments:consensus", args=[open_assessment.pk])).content.decode()
    assert "Mark" in board.split("Voters:")[1].split("</p>")[0]
