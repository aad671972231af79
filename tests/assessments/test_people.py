"""Organizations and their people: organization admins, teams made in implhub's pages, coaches who run
the meeting, leaving a team and the organization. Every refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from assessments import services
from assessments.access import Need, Role, navigation, organization_for_user, team_for_user, visible_teams
from assessments.models import CoachAssignment, Membership, OrganizationMembership, Team
from tests.factories import TeamFactory, UserFactory, add_member, make_assessment

pytestmark = pytest.mark.django_db


def roles(team):
    return dict(team.memberships.values_list("user__username", "role"))


@pytest.fixture
def orgadmin_client(client, cast):
    client.force_login(cast.orgadmin)
    return client


# Organization membership follows team membership and coaching.


def test_joining_a_team_or_coaching_one_makes_one_a_member_of_its_organization(cast):
    sam = UserFactory(username="sam")
    add_member(cast.team, sam)
    assert OrganizationMembership.objects.filter(organization=cast.team.organization, user=sam).exists()
    CoachAssignment.objects.create(team=cast.other_team, coach=sam)
    assert set(sam.organization_memberships.values_list("organization", flat=True)) == {
        cast.team.organization_id,
        cast.other_team.organization_id,
    }


def test_leaving_the_organization_leaves_its_teams_and_coaching(cast):
    sister = TeamFactory(name="Sister", organization=cast.team.organization)
    add_member(sister, cast.member, "facilitator")
    add_member(sister, cast.member2, "facilitator")
    CoachAssignment.objects.create(team=sister, coach=cast.coach)
    services.organization_member_remove(
        membership=OrganizationMembership.objects.get(organization=cast.team.organization, user=cast.member)
    )
    assert not Membership.objects.filter(user=cast.member).exists()
    assert roles(sister) == {"mei": "facilitator"}
    services.organization_member_remove(
        membership=OrganizationMembership.objects.get(organization=cast.team.organization, user=cast.coach)
    )
    assert not CoachAssignment.objects.filter(coach=cast.coach).exists()


def test_the_last_facilitator_of_a_team_cannot_be_removed_from_the_organization(cast):
    fiona = OrganizationMembership.objects.get(organization=cast.team.organization, user=cast.facilitator)
    with pytest.raises(ValidationError, match="A team needs at least one facilitator"):
        services.organization_member_remove(membership=fiona)
    assert OrganizationMembership.objects.filter(pk=fiona.pk).exists()
    assert roles(cast.team)["fiona"] == "facilitator"


def test_an_organization_keeps_an_admin(cast):
    orla = OrganizationMembership.objects.get(user=cast.orgadmin)
    with pytest.raises(ValidationError, match="needs at least one admin"):
        services.organization_role_change(membership=orla, role="member")
    with pytest.raises(ValidationError, match="needs at least one admin"):
        services.organization_member_remove(membership=orla)
    mark = OrganizationMembership.objects.get(organization=cast.team.organization, user=cast.member)
    services.organization_role_change(membership=mark, role="admin")
    services.organization_role_change(membership=orla, role="member")
    assert not OrganizationMembership.objects.get(pk=orla.pk).is_admin
    with pytest.raises(ValidationError, match="Choose admin or member"):
        services.organization_role_change(membership=mark, role="owner")
    assert OrganizationMembership.objects.get(pk=mark.pk).is_admin


# What an organization admin may do.


def test_an_organization_admin_sees_and_manages_every_team_of_the_organization(cast):
    access = team_for_user(cast.orgadmin, cast.team.pk, Need.MANAGE)
    assert access.roles == {Role.ORGANIZATION_ADMIN}
    assert not access.can_facilitate and not access.can_vote
    assert cast.team in visible_teams(cast.orgadmin) and cast.other_team not in visible_teams(cast.orgadmin)
    with pytest.raises(Http404):
        team_for_user(cast.orgadmin, cast.other_team.pk)


def test_an_organization_admin_stands_in_for_a_team_without_a_facilitator(cast):
    new = services.team_create(
        organization=cast.team.organization,
        name="New",
        program="PBIS",
        level="site",
        created_by=cast.orgadmin,
    )
    access = team_for_user(cast.orgadmin, new.pk, Need.FACILITATE)
    assert access.roles == {Role.ORGANIZATION_ADMIN, Role.STANDING_IN}
    add_member(new, cast.member, "facilitator")
    with pytest.raises(PermissionDenied):
        team_for_user(cast.orgadmin, new.pk, Need.FACILITATE)


def test_a_deactivated_facilitator_leaves_the_team_to_the_organization_admin(cast):
    # Deactivating a last facilitator is refused (test_deactivation); a bulk update skips that check.
    type(cast.facilitator).objects.filter(pk=cast.facilitator.pk).update(is_active=False)
    assert Role.STANDING_IN in team_for_user(cast.orgadmin, cast.team.pk).roles


def test_a_member_who_also_administers_the_organization_has_both_roles(cast):
    OrganizationMembership.objects.filter(user=cast.member).update(role="admin")
    access = team_for_user(cast.member, cast.team.pk)
    assert access.roles == {Role.MEMBER, Role.ORGANIZATION_ADMIN}
    assert access.can_vote and access.can_manage and not access.can_facilitate
    assert access.role is Role.ORGANIZATION_ADMIN


def test_organization_pages_are_for_its_admins(cast):
    assert organization_for_user(cast.orgadmin, cast.team.organization_id).roles == {Role.ORGANIZATION_ADMIN}
    with pytest.raises(PermissionDenied):
        organization_for_user(cast.facilitator, cast.team.organization_id)
    with pytest.raises(Http404):
        organization_for_user(cast.outsider, cast.team.organization_id)
    with pytest.raises(Http404):
        organization_for_user(cast.orgadmin, 999_999)


def test_the_navigation_offers_each_person_their_pages(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        orla = navigation(cast.orgadmin)
    assert (orla.portfolio, orla.organizations) == (True, [cast.team.organization])
    assert navigation(cast.coach).portfolio and not navigation(cast.coach).organizations
    assert not navigation(cast.member).portfolio and not navigation(cast.member).organizations
    with django_assert_num_queries(0):
        assert navigation(cast.admin).portfolio


# The organization's pages.


def test_an_organization_admin_sets_up_a_team_with_a_member_as_first_facilitator(orgadmin_client, cast):
    url = reverse("assessments:organization_detail", args=[cast.team.organization_id])
    response = orgadmin_client.post(
        url,
        {
            "name": " Hillside ",
            "program": "Check and Connect",
            "level": "district",
            "first_facilitator": "MEI",
        },
        follow=True,
    )
    assert "Hillside is set up." in response.content.decode()
    team = Team.objects.get(name="Hillside")
    assert (team.organization, team.program, team.level) == (
        cast.team.organization,
        "Check and Connect",
        "district",
    )
    assert roles(team) == {"mei": "facilitator"}
    assert "Hillside" in orgadmin_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Riverside", "program": "X", "level": "site"}, "Team with this Organization and Name"),
        ({"name": "Hillside", "program": "X", "level": "planet"}, "Select a valid choice"),
        ({"name": "Hillside", "program": "X", "level": "site", "first_facilitator": "olu"}, "Invite them"),
        ({"name": "", "program": "X", "level": "site"}, "This field is required"),
    ],
)
def test_a_bad_team_changes_nothing(orgadmin_client, cast, data, message):
    response = orgadmin_client.post(
        reverse("assessments:organization_detail", args=[cast.team.organization_id]), data
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert Team.objects.count() == 2


def test_an_organization_admin_renames_a_team_and_sets_its_level(orgadmin_client, cast):
    url = reverse("assessments:organization_team", args=[cast.team.organization_id, cast.team.pk])
    assert orgadmin_client.get(url).status_code == 200
    orgadmin_client.post(
        url,
        {
            "name": "Riverside Literacy",
            "program": "Reading",
            "level": "region",
            "assessment_interval_months": 6,
        },
    )
    cast.team.refresh_from_db()
    assert (cast.team.name, cast.team.program, cast.team.level) == ("Riverside Literacy", "Reading", "region")


def test_a_team_of_another_organization_is_not_found_under_this_one(orgadmin_client, cast):
    url = reverse("assessments:organization_team", args=[cast.team.organization_id, cast.other_team.pk])
    assert orgadmin_client.post(url, {"name": "Taken", "program": "X", "level": "site"}).status_code == 404
    assert Team.objects.filter(name="Taken").count() == 0


def test_the_people_page_lists_everyone_with_their_teams(
    orgadmin_client, cast, django_assert_max_num_queries
):
    url = reverse("assessments:organization_people", args=[cast.team.organization_id])
    with django_assert_max_num_queries(10):
        page = orgadmin_client.get(url).content.decode()
    for name in ("Fiona", "Mark", "Mei", "Carmen", "Cody", "Orla"):
        assert name in page
    assert "Olu" not in page


def test_an_organization_admin_makes_someone_admin_and_removes_someone(orgadmin_client, cast):
    mark = OrganizationMembership.objects.get(organization=cast.team.organization, user=cast.member)
    url = reverse("assessments:organization_person", args=[cast.team.organization_id, mark.pk])
    response = orgadmin_client.post(url, {"action": "role", "role": "admin"}, follow=True)
    assert "Mark is now an admin of" in response.content.decode()
    response = orgadmin_client.post(url, {"action": "remove"}, follow=True)
    assert "Mark was removed from" in response.content.decode()
    assert not Membership.objects.filter(user=cast.member).exists()


def test_removing_a_last_facilitator_from_the_organization_says_why_and_changes_nothing(
    orgadmin_client, cast
):
    fiona = OrganizationMembership.objects.get(organization=cast.team.organization, user=cast.facilitator)
    url = reverse("assessments:organization_person", args=[cast.team.organization_id, fiona.pk])
    response = orgadmin_client.post(url, {"action": "remove"}, follow=True)
    assert "A team needs at least one facilitator" in response.content.decode()
    assert (
        OrganizationMembership.objects.filter(pk=fiona.pk).exists()
        and roles(cast.team)["fiona"] == "facilitator"
    )


def test_a_person_of_another_organization_is_not_found_here(orgadmin_client, cast):
    olu = OrganizationMembership.objects.get(user=cast.outsider)
    url = reverse("assessments:organization_person", args=[cast.team.organization_id, olu.pk])
    assert orgadmin_client.post(url, {"action": "remove"}).status_code == 404
    assert OrganizationMembership.objects.filter(pk=olu.pk).exists()


# Coaches who run the meeting.


def test_a_coach_allowed_to_run_meetings_administers_the_assessment(client, cast):
    assessment = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    client.force_login(cast.meeting_coach)
    client.post(reverse("assessments:reveal", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.in_consensus
    assert (assessment.administered_by, assessment.administered_as) == (cast.meeting_coach, "coach")
    page = client.get(reverse("assessments:report", args=[assessment.pk])).content.decode()
    assert "Administered by Cody, the team's coach." in page
    assert not Membership.objects.filter(user=cast.meeting_coach).exists()  # never a voting member
    assert cast.team in visible_teams(cast.meeting_coach)


def test_a_facilitator_lets_a_coach_run_the_meetings_and_stops_it(client, cast):
    client.force_login(cast.facilitator)
    carmen = CoachAssignment.objects.get(coach=cast.coach)
    url = reverse("assessments:coach_update", args=[cast.team.pk, carmen.pk])
    response = client.post(url, {"action": "runs_meetings", "runs_meetings": "on"}, follow=True)
    assert "Carmen may now run the team&#x27;s meetings." in response.content.decode()
    assert team_for_user(cast.coach, cast.team.pk, Need.FACILITATE).roles == {Role.MEETING_COACH}
    client.post(url, {"action": "runs_meetings"})
    with pytest.raises(PermissionDenied):
        team_for_user(cast.coach, cast.team.pk, Need.FACILITATE)
    recorded = carmen.history.count()
    client.post(url, {"action": "runs_meetings"})  # saying it again changes nothing, and records nothing
    assert carmen.history.count() == recorded
    client.post(url, {"action": "remove"})
    assert not CoachAssignment.objects.filter(pk=carmen.pk).exists()


def test_a_coach_is_added_from_the_organization_only(client, cast):
    client.force_login(cast.facilitator)
    sam = UserFactory(username="sam")
    OrganizationMembership.objects.create(organization=cast.team.organization, user=sam)
    url = reverse("assessments:team_members", args=[cast.team.pk])
    client.post(url, {"add": "coach", "coach-identifier": "sam", "coach-runs_meetings": "on"})
    assert CoachAssignment.objects.get(team=cast.team, coach=sam).runs_meetings
    response = client.post(url, {"add": "coach", "coach-identifier": "olu"})
    assert "Invite them by e-mail instead" in response.content.decode()
    response = client.post(url, {"add": "coach", "coach-identifier": "mark"})
    assert "remove them from the team first" in response.content.decode()
    assert set(CoachAssignment.objects.filter(team=cast.team).values_list("coach__username", flat=True)) == {
        "carmen",
        "cody",
        "sam",
    }


def test_a_coach_of_another_team_is_not_found_here(client, cast):
    client.force_login(cast.facilitator)
    theirs = CoachAssignment.objects.create(team=cast.other_team, coach=UserFactory())
    url = reverse("assessments:coach_update", args=[cast.team.pk, theirs.pk])
    assert client.post(url, {"action": "remove"}).status_code == 404
    assert CoachAssignment.objects.filter(pk=theirs.pk).exists()


# Leaving a team.


def test_a_member_leaves_a_team_and_their_votes_stay(client, cast):
    assessment = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    code = cast.version.best_practices.order_by("code").first().code
    services.vote_record(assessment=assessment, member=cast.member, item_code=code, answer="2")
    client.force_login(cast.member)
    url = reverse("assessments:team_leave", args=[cast.team.pk])
    assert "Leave Riverside?" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "You left Riverside." in response.content.decode()
    assert "mark" not in roles(cast.team)
    assert assessment.votes.filter(member=cast.member).count() == 1
    assert client.get(reverse("assessments:team_detail", args=[cast.team.pk])).status_code == 404


def test_the_last_facilitator_cannot_leave(client, cast):
    client.force_login(cast.facilitator)
    response = client.post(reverse("assessments:team_leave", args=[cast.team.pk]), follow=True)
    assert "A team needs at least one facilitator" in response.content.decode()
    assert roles(cast.team)["fiona"] == "facilitator"


def test_a_first_facilitator_from_outside_the_organization_is_invited(
    orgadmin_client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("assessments:organization_detail", args=[cast.team.organization_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = orgadmin_client.post(
            url,
            {"name": "Hillside", "program": "PBIS", "level": "site", "first_facilitator": "Pat@Example.org"},
            follow=True,
        )
    assert "Hillside is set up." in response.content.decode()
    team = Team.objects.get(name="Hillside")
    assert roles(team) == {}
    invitation = team.invitations.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "pat@example.org",
        "facilitator",
        cast.orgadmin,
    )
    assert [m.to for m in mailoutbox] == [["pat@example.org"]]
    # Until Pat accepts, the organization admin stands in as the team's facilitator.
    assert team_for_user(cast.orgadmin, team.pk, Need.FACILITATE).roles == {
        Role.ORGANIZATION_ADMIN,
        Role.STANDING_IN,
    }
