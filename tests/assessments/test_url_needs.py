"""Every URL declares who may use it. The workflow and report views declare a need with `@requires`;
the few others are listed here by hand, so a new view without a declared need fails this test."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.access import ALLOWED, Need, Role
from assessments.actions.models import ActionItem, Comment
from assessments.models import Invitation
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db

# Views outside the team workflow, and why they need no team role.
UNSCOPED = {
    "home": "signed in: shows the user's own teams",
    "health": "public: load balancers",
    "login": "public",
    "logout": "public",
    "account": "signed in: one's own account",
    "password_change": "signed in: one's own password (Django's view asks for the current one)",
    "password_change_done": "signed in: says the password changed",
    "password_reset": "public: asks for a reset link; answers the same whether the e-mail has an account",
    "password_reset_done": "public: the same page for every address",
    "password_reset_confirm": "public: the signed, single-use token in the link is the access",
    "password_reset_complete": "public: says the password changed",
    "drivers:framework_list": "signed in: the content is the same for everyone (drafts for staff only)",
    "drivers:version_detail": "signed in: as above",
    "drivers:version_export": "signed in: the version's page as a file, with the page's rule",
    "drivers:compare": "signed in: two versions, each with the version page's rule",
    "assessments:invitation_accept": "public: the signed link is the credential",
}


def named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # Django's admin checks staff status itself
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_every_view_declares_its_need_or_is_listed():
    undeclared = [
        name for name, p in named_patterns() if not hasattr(p.callback, "need") and name not in UNSCOPED
    ]
    assert undeclared == []
    assert {name for name, p in named_patterns() if not hasattr(p.callback, "need")} == set(UNSCOPED)


def needs():
    return {name: p.callback.need for name, p in named_patterns() if hasattr(p.callback, "need")}


def test_the_needs_of_the_workflow():
    declared = needs()
    facilitate = {name for name, need in declared.items() if need is Need.FACILITATE}
    assert facilitate == {
        "assessments:assessment_start",
        "assessments:participants",
        "assessments:reveal",
        "assessments:complete",
        "assessments:reopen",
        "assessments:response_save",
        "assessments:upgrade",
    }
    assert {name for name, need in declared.items() if need is Need.VOTE} == {
        "assessments:vote",
        "assessments:vote_item",
    }
    assert {name for name, need in declared.items() if need is Need.MANAGE} == {
        "assessments:team_members",
        "assessments:team_cadence",
        "assessments:membership_update",
        "assessments:coach_update",
        "assessments:invitations",
        "assessments:invitation_update",
    }
    assert {name for name, need in declared.items() if need is Need.COMMENT} == {
        "assessments:assessment_comment",
        "assessments:action_comment",
    }
    assert {name for name, need in declared.items() if need is Need.REPLY} == {
        "assessments:comment_reply",
        "assessments:comment_edit",
    }
    assert {name for name, need in declared.items() if need is Need.ORGANIZE} == {
        "assessments:organization_detail",
        "assessments:organization_team",
        "assessments:organization_people",
        "assessments:organization_person",
    }
    # Targets for the next assessment belong to the plan: set by the team, never by a coach.
    assert declared["assessments:targets"] is Need.PLAN


def url_for(name, cast, assessment):
    item = cast.version.best_practices.order_by("code").first()
    values = {
        "team_id": lambda: cast.team.pk,
        "assessment_id": lambda: assessment.pk,
        "item_code": lambda: item.code,
        "driver_code": lambda: item.driver.code,
        "membership_id": lambda: cast.team.memberships.get(user=cast.member2).pk,
        "assignment_id": lambda: cast.team.coach_assignments.get(coach=cast.coach).pk,
        "organization_id": lambda: cast.team.organization_id,
        "person_id": lambda: cast.team.organization.memberships.get(user=cast.member2).pk,
        "invitation_id": lambda: pending_invitation(cast).pk,
        "fmt": lambda: "csv",
        "action_id": lambda: team_action(cast).pk,
        "comment_id": lambda: a_coach_comment(cast, assessment).pk,
    }
    pattern = dict(named_patterns())[name]
    return reverse(name, kwargs={k: values[k]() for k in pattern.pattern.converters})


def team_action(cast):
    """An action of the cast's team, after a completed assessment of it, made when a URL needs one."""
    assessment = make_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        status="completed",
        held_on=date(2025, 9, 1),
    )
    return ActionItem.objects.create(
        team=cast.team,
        assessment=assessment,
        driver=cast.version.drivers.order_by("code").first(),
        title="Write the coaching plan",
        owner=cast.member,
    )


def pending_invitation(cast):
    """A pending invitation to the cast's team, made when a URL needs one (no e-mail is sent)."""
    invitation, _created = Invitation.objects.get_or_create(
        team=cast.team, email="newcomer@example.org", defaults={"invited_by": cast.facilitator}
    )
    return invitation


def a_coach_comment(cast, assessment):
    """A comment the coach wrote just now: only its author may edit it (COMMENT_AUTHOR_ONLY)."""
    comment, _created = Comment.objects.get_or_create(
        team=cast.team, assessment=assessment, author=cast.coach, defaults={"body": "How did the vote go?"}
    )
    return comment


ROLES = {
    "facilitator": Role.FACILITATOR,
    "member": Role.MEMBER,
    "coach": Role.COACH,
    "meeting_coach": Role.MEETING_COACH,
    "orgadmin": Role.ORGANIZATION_ADMIN,
    "admin": Role.ADMIN,
}
# Views whose need is not the whole story: only a member of the team can leave it.
MEMBERS_ONLY = {"assessments:team_leave"}
# Only the author edits a comment (the coach wrote the one in the URL); others who may reply get 403.
COMMENT_AUTHOR_ONLY = {"assessments:comment_edit"}
POST_ONLY = {
    "assessments:assessment_comment",
    "assessments:action_comment",
    "assessments:comment_reply",
    "assessments:mark_seen",
    "assessments:vote_item",
    "assessments:membership_update",
    "assessments:coach_update",
    "assessments:organization_person",
    "assessments:invitation_update",
    "assessments:action_status",
    "assessments:progress_note_add",
}


@pytest.mark.parametrize("name", sorted(needs()))
@pytest.mark.parametrize("who", [*ROLES, "outsider"])
def test_each_role_gets_what_the_need_allows(client, cast, open_assessment, name, who):
    """The matrix of every declared URL x role: 404 outside the team, 403 without the need, else served.
    Refused requests change nothing (checked for writes in test_page_access)."""
    need = needs()[name]
    url = url_for(name, cast, open_assessment)
    client.force_login(getattr(cast, who))
    posted = need is Need.FACILITATE or name in POST_ONLY
    status = client.post(url).status_code if posted else client.get(url).status_code
    if name == "assessments:portfolio":
        assert status == 200  # no one team: the portfolio shows whatever teams the user has
    elif who == "outsider":
        assert status == 404
    elif (
        ROLES[who] not in ALLOWED[need]
        or (name in MEMBERS_ONLY and who not in ("member", "facilitator"))
        or (name in COMMENT_AUTHOR_ONLY and who != "coach")
    ):
        assert status == 403
    else:
        assert status not in (403, 404)
