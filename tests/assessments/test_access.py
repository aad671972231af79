"""`assessments/access.py`: each person's role in each team, and what that role may do.

Through the functions themselves (the table of roles x needs) and through the pages, where each role sees
exactly the controls it may use and nothing of a team it has no part in.
"""

from dataclasses import FrozenInstanceError

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from assessments.access import (
    ALLOWED,
    Need,
    Role,
    ScopeAccess,
    assessment_for_user,
    team_for_user,
    visible_teams,
)
from assessments.views import voting
from tests.factories import TeamFactory, UserFactory, add_coach, add_member, make_assessment

pytestmark = pytest.mark.django_db


def test_the_table_of_roles_and_needs():
    expected = {
        Need.READ: {
            Role.FACILITATOR,
            Role.MEETING_COACH,
            Role.STANDING_IN,
            Role.ORGANIZATION_ADMIN,
            Role.MEMBER,
            Role.COACH,
            Role.ADMIN,
        },
        Need.VOTE: {Role.MEMBER},
        Need.FACILITATE: {Role.FACILITATOR, Role.MEETING_COACH, Role.STANDING_IN},
        Need.MANAGE: {Role.FACILITATOR, Role.STANDING_IN, Role.ORGANIZATION_ADMIN},
        Need.ORGANIZE: {Role.ORGANIZATION_ADMIN},
        Need.PLAN: {Role.FACILITATOR, Role.STANDING_IN, Role.ORGANIZATION_ADMIN, Role.MEMBER},
        Need.COMMENT: {Role.FACILITATOR, Role.MEETING_COACH, Role.STANDING_IN, Role.COACH},
        Need.REPLY: {
            Role.FACILITATOR,
            Role.MEETING_COACH,
            Role.STANDING_IN,
            Role.COACH,
            Role.MEMBER,
            Role.ORGANIZATION_ADMIN,
        },
        Need.HISTORY: {
            Role.FACILITATOR,
            Role.MEETING_COACH,
            Role.STANDING_IN,
            Role.COACH,
            Role.ORGANIZATION_ADMIN,
            Role.ADMIN,
        },
    }
    assert expected == ALLOWED


@pytest.mark.parametrize(
    ("who", "role"),
    [
        ("facilitator", Role.FACILITATOR),
        ("member", Role.MEMBER),
        ("coach", Role.COACH),
        ("admin", Role.ADMIN),
    ],
)
def test_each_person_has_their_role_in_the_team(cast, who, role):
    assert team_for_user(getattr(cast, who), cast.team.pk).role is role


@pytest.mark.parametrize(
    ("who", "team"), [("outsider", "team"), ("coach", "other_team"), ("member", "other_team")]
)
def test_someone_without_a_part_in_the_team_does_not_see_it(cast, who, team):
    with pytest.raises(Http404):
        team_for_user(getattr(cast, who), getattr(cast, team).pk)


def test_membership_outranks_a_coach_assignment_and_staff_status(cast):
    staff_member = UserFactory(username="sid", is_staff=True)
    add_member(cast.team, staff_member, "facilitator")
    add_coach(cast.team, staff_member)
    assert team_for_user(staff_member, cast.team.pk).role is Role.FACILITATOR
    add_coach(cast.other_team, staff_member)
    assert team_for_user(staff_member, cast.other_team.pk).role is Role.COACH


@pytest.mark.parametrize(
    ("who", "can_facilitate", "can_vote"),
    [
        ("facilitator", True, False),
        ("member", False, True),
        ("coach", False, False),
        ("admin", False, False),
    ],
)
def test_what_each_role_may_do(cast, who, can_facilitate, can_vote):
    access = team_for_user(getattr(cast, who), cast.team.pk)
    assert access.team == cast.team
    assert (access.can_facilitate, access.can_vote) == (can_facilitate, can_vote)


def test_a_team_outside_ones_scope_does_not_exist_for_them(cast):
    with pytest.raises(Http404):
        team_for_user(cast.coach, cast.other_team.pk)
    with pytest.raises(Http404):
        team_for_user(cast.facilitator, 999_999)


@pytest.mark.parametrize(("who", "need"), [("coach", Need.FACILITATE), ("member", Need.FACILITATE),
                                           ("facilitator", Need.VOTE), ("admin", Need.VOTE)])  # fmt: skip
def test_a_need_outside_the_role_is_forbidden_with_the_role_named(cast, who, need):
    with pytest.raises(PermissionDenied) as excinfo:
        team_for_user(getattr(cast, who), cast.team.pk, need)
    role = team_for_user(getattr(cast, who), cast.team.pk).role
    assert str(excinfo.value) == f"Your role ({role.value}) cannot do this."


def test_an_assessment_comes_with_its_team_and_the_role_there(cast, open_assessment):
    access = assessment_for_user(cast.member, open_assessment.pk, Need.VOTE)
    assert (access.assessment, access.team, access.role) == (open_assessment, cast.team, Role.MEMBER)
    with pytest.raises(Http404):
        assessment_for_user(cast.outsider, open_assessment.pk)
    with pytest.raises(Http404):
        assessment_for_user(cast.member, 999_999)
    with pytest.raises(PermissionDenied):
        assessment_for_user(cast.coach, open_assessment.pk, Need.FACILITATE)


def test_the_visible_teams_are_ones_own_and_coached_ones(cast):
    third = TeamFactory(name="Lakeside")
    add_coach(third, cast.coach)
    add_coach(cast.other_team, cast.member)
    assert set(visible_teams(cast.coach)) == {cast.team, third}
    assert set(visible_teams(cast.member)) == {cast.team, cast.other_team}
    assert list(visible_teams(cast.outsider)) == [cast.other_team]
    assert set(visible_teams(cast.admin)) == {cast.team, cast.other_team, third}


def test_a_team_one_both_belongs_to_and_coaches_is_visible(cast):
    solo = TeamFactory(name="Solo")
    add_member(solo, cast.member2)
    add_coach(solo, cast.member2)
    assert set(visible_teams(cast.member2)) == {cast.team, solo}


def test_a_team_with_several_members_is_listed_once(cast):
    assert list(visible_teams(cast.facilitator)) == [cast.team]
    add_coach(cast.team, cast.member)
    assert visible_teams(cast.member).count() == 1


# The pages: the team asked for, and exactly the controls of one's role.


def test_the_team_page_shows_the_team_asked_for(client, cast):
    add_member(cast.other_team, cast.facilitator)
    client.force_login(cast.facilitator)
    page = client.get(reverse("assessments:team_detail", args=[cast.other_team.pk]))
    assert page.context["team"] == cast.other_team
    assert '<h1 class="h3 mb-1">Harbor</h1>' in page.content.decode()


def test_a_coach_of_one_team_cannot_open_another(client, cast):
    other_assessment = make_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    client.force_login(cast.coach)
    assert client.get(reverse("assessments:team_detail", args=[cast.other_team.pk])).status_code == 404
    assert client.get(reverse("assessments:results", args=[other_assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:team_progress", args=[cast.other_team.pk])).status_code == 404


FACILITATOR_CONTROLS = ("Start an assessment", "Manage members")


@pytest.mark.parametrize(
    ("who", "facilitates", "votes"),
    [("facilitator", True, False), ("member", False, True), ("coach", False, False), ("admin", False, False)],
)
def test_the_team_page_shows_each_role_its_own_controls(
    client, cast, open_assessment, who, facilitates, votes
):
    client.force_login(getattr(cast, who))
    page = client.get(reverse("assessments:team_detail", args=[cast.team.pk])).content.decode()
    for control in FACILITATOR_CONTROLS:
        assert (control in page) is facilitates
    vote_link = f'href="{reverse("assessments:vote", args=[open_assessment.pk])}">Vote</a>'
    assert (vote_link in page) is votes


@pytest.mark.parametrize(
    ("who", "facilitates", "votes"),
    [("facilitator", True, False), ("member", False, True), ("coach", False, False), ("admin", False, False)],
)
def test_the_open_assessment_page_shows_each_role_its_own_controls(
    client, cast, open_assessment, who, facilitates, votes
):
    client.force_login(getattr(cast, who))
    page = client.get(reverse("assessments:assessment_detail", args=[open_assessment.pk])).content.decode()
    assert ("Reveal votes and start consensus" in page) is facilitates
    assert ("Edit participants" in page) is facilitates
    assert ("Vote on the best practices" in page) is votes


@pytest.mark.parametrize(("who", "facilitates"), [("facilitator", True), ("member", False), ("coach", False)])
def test_the_consensus_and_completed_pages_show_facilitator_controls_only_to_facilitators(
    client, cast, who, facilitates
):
    in_consensus = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, status="consensus"
    )
    completed = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="completed")
    client.force_login(getattr(cast, who))
    page = client.get(reverse("assessments:assessment_detail", args=[in_consensus.pk])).content.decode()
    assert ("Complete the assessment" in page) is facilitates
    assert ("Record consensus" in page) is facilitates
    assert ("See the votes and consensus" in page) is not facilitates
    board = client.get(reverse("assessments:consensus", args=[in_consensus.pk])).content.decode()
    assert ("response-form" in board) is facilitates
    page = client.get(reverse("assessments:assessment_detail", args=[completed.pk])).content.decode()
    assert ("Reopen this assessment" in page) is facilitates


def test_access_is_a_value_no_view_can_change(cast, open_assessment):
    for access, field in (
        (team_for_user(cast.member, cast.team.pk), "role"),
        (assessment_for_user(cast.member, open_assessment.pk), "assessment"),
        (ScopeAccess(teams=visible_teams(cast.member)), "teams"),
    ):
        with pytest.raises(FrozenInstanceError):
            setattr(access, field, None)


def test_a_view_keeps_its_name_and_description_under_the_access_decorator():
    assert voting.vote_sheet.__name__ == "vote_sheet"
    assert voting.vote_item.__doc__.startswith("Autosave of one answer.")
