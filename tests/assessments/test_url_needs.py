"""Every URL declares who may use it, and the permission matrix says what each kind of person gets from it.

The workflow and report views declare a need with `@requires`; the few others are listed in UNSCOPED with
the reason. Every URL of the resolver (Django's admin as one entry) has a row of MATRIX, for GET and POST,
which is checked by asking, and checked against the declared needs: a new URL without a row fails."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.access import ALLOWED, Need, Role
from assessments.actions.models import ActionItem, Comment
from assessments.models import Invitation
from assessments.services.invitations import invitation_token
from tests.database_state import changed_tables, database_state, undone
from tests.factories import TeamFactory, UserFactory, add_coach, make_assessment

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
        "assessments:export_organization",
    }
    # Targets for the next assessment belong to the plan: set by the team, never by a coach.
    assert declared["assessments:targets"] is Need.PLAN


def url_for(name, cast, assessment):
    if name == ADMIN:
        return reverse("admin:index")
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
        "framework_slug": lambda: cast.version.framework.slug,
        "number": lambda: cast.version.number,
        "before": lambda: cast.version.number,
        "after": lambda: cast.version.number,
        "uidb64": lambda: urlsafe_base64_encode(force_bytes(cast.member2.pk)),
        # The one word names two credentials: a password reset link's, and an invitation's.
        "token": lambda: (
            default_token_generator.make_token(cast.member2)
            if name == "password_reset_confirm"
            else invitation_token(pending_invitation(cast))
        ),
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


# The permission matrix: what each kind of person gets from every URL, for GET and for POST (an empty form:
# enough to show whether the request gets past access). Cells:
#   login   sent to sign in (302 to the sign-in page; Django's admin has its own)
#   200 ... past access, what the page answers: 200 served, 302 done and sent on, 400/409/422 the empty form
#           refused by the page itself
#   403     the person's role in the team may not do this
#   404     not one of the person's teams: it does not exist for them
#   405     not a method of this URL
# Columns, in this order: anonymous; a member, the facilitator, a coach, a coach who runs the meetings (all
# of the team); a coach of another team of the same organization; an admin of the team's organization; a
# facilitator of a team of another organization; staff.
PEOPLE = (
    "anonymous",
    "member",
    "facilitator",
    "coach",
    "meeting_coach",
    "other_coach",
    "orgadmin",
    "outsider",
    "staff",
)
ADMIN = "admin"  # Django's admin, one entry: it checks staff status itself, the same on every page
METHODS = ("GET", "POST")
# fmt: off
MATRIX = {
    #          anon.  member facil. coach  m.co.  o.co.  o.adm. other  staff
    "account": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  200    200    200    200    200    200    200    200",
    ),
    "admin": (
        "GET   login  login  login  login  login  login  login  login  200",
        "POST  login  login  login  login  login  login  login  login  200",
    ),
    "assessments:action_comment": (
        "GET   login  403    405    405    405    404    403    404    403",
        "POST  login  403    422    422    422    404    403    404    403",
    ),
    "assessments:action_detail": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    403    403    404    200    404    403",
    ),
    "assessments:action_new": (
        "GET   login  200    200    403    403    404    200    404    403",
        "POST  login  400    400    403    403    404    400    404    403",
    ),
    "assessments:action_plan": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:action_status": (
        "GET   login  405    405    403    403    404    405    404    403",
        "POST  login  200    200    403    403    404    200    404    403",
    ),
    "assessments:assessment_comment": (
        "GET   login  403    405    405    405    404    403    404    403",
        "POST  login  403    422    422    422    404    403    404    403",
    ),
    "assessments:assessment_detail": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:assessment_start": (
        "GET   login  403    200    403    200    404    403    404    403",
        "POST  login  403    409    403    409    404    403    404    403",
    ),
    "assessments:coach_update": (
        "GET   login  403    405    403    403    404    405    404    403",
        "POST  login  403    302    403    403    404    302    404    403",
    ),
    "assessments:comment_edit": (
        "GET   login  403    403    200    403    404    403    404    403",
        "POST  login  403    403    200    403    404    403    404    403",
    ),
    "assessments:comment_reply": (
        "GET   login  405    405    405    405    404    405    404    403",
        "POST  login  422    422    422    422    404    422    404    403",
    ),
    "assessments:complete": (
        "GET   login  403    200    403    200    404    403    404    403",
        "POST  login  403    302    403    302    404    403    404    403",
    ),
    "assessments:consensus": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:driver_detail": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:export_assessment": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:export_organization": (
        "GET   login  403    403    403    403    403    200    404    403",
        "POST  login  403    403    403    403    403    200    404    403",
    ),
    "assessments:export_plan": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:export_portfolio": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  200    200    200    200    200    200    200    200",
    ),
    "assessments:export_team": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:history": (
        "GET   login  403    200    200    200    404    200    404    200",
        "POST  login  403    200    200    200    404    200    404    200",
    ),
    "assessments:invitation_accept": (
        "GET   200    200    200    200    200    200    200    200    200",
        "POST  200    302    302    302    302    302    302    302    200",
    ),
    "assessments:invitation_update": (
        "GET   login  403    405    403    403    404    405    404    403",
        "POST  login  403    302    403    403    404    302    404    403",
    ),
    "assessments:invitations": (
        "GET   login  403    200    403    403    404    200    404    403",
        "POST  login  403    200    403    403    404    200    404    403",
    ),
    "assessments:mark_seen": (
        "GET   login  405    405    405    405    404    405    404    405",
        "POST  login  302    302    302    302    404    302    404    302",
    ),
    "assessments:meeting": (
        "GET   login  302    302    302    302    404    302    404    302",
        "POST  login  302    302    302    302    404    302    404    302",
    ),
    "assessments:meeting_item": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:membership_update": (
        "GET   login  403    405    403    403    404    405    404    403",
        "POST  login  403    302    403    403    404    302    404    403",
    ),
    "assessments:organization_detail": (
        "GET   login  403    403    403    403    403    200    404    403",
        "POST  login  403    403    403    403    403    200    404    403",
    ),
    "assessments:organization_people": (
        "GET   login  403    403    403    403    403    200    404    403",
        "POST  login  403    403    403    403    403    200    404    403",
    ),
    "assessments:organization_person": (
        "GET   login  403    403    403    403    403    405    404    403",
        "POST  login  403    403    403    403    403    302    404    403",
    ),
    "assessments:organization_team": (
        "GET   login  403    403    403    403    403    200    404    403",
        "POST  login  403    403    403    403    403    200    404    403",
    ),
    "assessments:participants": (
        "GET   login  403    200    403    200    404    403    404    403",
        "POST  login  403    200    403    200    404    403    404    403",
    ),
    "assessments:portfolio": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  200    200    200    200    200    200    200    200",
    ),
    "assessments:progress_note_add": (
        "GET   login  405    405    403    403    404    405    404    403",
        "POST  login  200    200    403    403    404    200    404    403",
    ),
    "assessments:reopen": (
        "GET   login  403    200    403    200    404    403    404    403",
        "POST  login  403    302    403    302    404    403    404    403",
    ),
    "assessments:report": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:response_save": (
        "GET   login  403    405    403    405    404    403    404    403",
        "POST  login  403    302    403    302    404    403    404    403",
    ),
    "assessments:results": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:reveal": (
        "GET   login  403    200    403    200    404    403    404    403",
        "POST  login  403    302    403    302    404    403    404    403",
    ),
    "assessments:targets": (
        "GET   login  200    200    403    403    404    200    404    403",
        "POST  login  422    422    403    403    404    422    404    403",
    ),
    "assessments:team_cadence": (
        "GET   login  403    200    403    403    404    200    404    403",
        "POST  login  403    200    403    403    404    200    404    403",
    ),
    "assessments:team_detail": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:team_leave": (
        "GET   login  200    200    403    403    404    403    404    403",
        "POST  login  302    302    403    403    404    403    404    403",
    ),
    "assessments:team_members": (
        "GET   login  403    200    403    403    404    200    404    403",
        "POST  login  403    200    403    403    404    200    404    403",
    ),
    "assessments:team_progress": (
        "GET   login  200    200    200    200    404    200    404    200",
        "POST  login  200    200    200    200    404    200    404    200",
    ),
    "assessments:upgrade": (
        "GET   login  403    200    403    200    404    403    404    403",
        "POST  login  403    302    403    302    404    403    404    403",
    ),
    "assessments:vote": (
        "GET   login  200    403    403    403    404    403    404    403",
        "POST  login  302    403    403    403    404    403    404    403",
    ),
    "assessments:vote_item": (
        "GET   login  405    403    403    403    404    403    404    403",
        "POST  login  302    403    403    403    404    403    404    403",
    ),
    "drivers:compare": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  200    200    200    200    200    200    200    200",
    ),
    "drivers:framework_list": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  200    200    200    200    200    200    200    200",
    ),
    "drivers:version_detail": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  200    200    200    200    200    200    200    200",
    ),
    "drivers:version_export": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  200    200    200    200    200    200    200    200",
    ),
    "health": (
        "GET   200    200    200    200    200    200    200    200    200",
        "POST  200    200    200    200    200    200    200    200    200",
    ),
    "home": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  200    200    200    200    200    200    200    200",
    ),
    "login": (
        "GET   200    302    302    302    302    302    302    302    302",
        "POST  200    302    302    302    302    302    302    302    302",
    ),
    "logout": (
        "GET   405    405    405    405    405    405    405    405    405",
        "POST  login  login  login  login  login  login  login  login  login",
    ),
    "password_change": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  200    200    200    200    200    200    200    200",
    ),
    "password_change_done": (
        "GET   login  200    200    200    200    200    200    200    200",
        "POST  login  405    405    405    405    405    405    405    405",
    ),
    "password_reset": (
        "GET   200    200    200    200    200    200    200    200    200",
        "POST  200    200    200    200    200    200    200    200    200",
    ),
    "password_reset_complete": (
        "GET   200    200    200    200    200    200    200    200    200",
        "POST  405    405    405    405    405    405    405    405    405",
    ),
    "password_reset_confirm": (
        "GET   302    302    302    302    302    302    302    302    302",
        "POST  302    302    302    302    302    302    302    302    302",
    ),
    "password_reset_done": (
        "GET   200    200    200    200    200    200    200    200    200",
        "POST  405    405    405    405    405    405    405    405    405",
    ),
}
# fmt: on
REFUSED = {"login", "403", "404", "405"}

# Views whose need is not the whole story: only a member of the team can leave it.
MEMBERS_ONLY = {"assessments:team_leave"}
# An action's page: everyone reads it, a POST edits it (coaches and staff read only).
POST_NEEDS = {"assessments:action_detail": Need.PLAN}
# Only the author edits a comment (the coach wrote the one in the URL); others who may reply get 403.
COMMENT_AUTHOR_ONLY = {"assessments:comment_edit"}
TEAM_ROLES = {
    "member": Role.MEMBER,
    "facilitator": Role.FACILITATOR,
    "coach": Role.COACH,
    "meeting_coach": Role.MEETING_COACH,
    "orgadmin": Role.ORGANIZATION_ADMIN,
    "staff": Role.ADMIN,
}


def expected(name):
    """The matrix's row of a URL as {method: {person: cell}}."""
    rows = {}
    for row in MATRIX[name]:
        method, *cells = row.split()
        rows[method] = dict(zip(PEOPLE, cells, strict=True))
    return rows


@pytest.fixture
def other_coach(cast):
    """A coach of another team of the cast's organization: coaching one team opens no other."""
    lakeside = TeamFactory(name="Lakeside", organization=cast.team.organization)
    coach = UserFactory(username="cole")
    add_coach(lakeside, coach)
    return coach


def outcome(response):
    sign_in = {reverse("login"), reverse("admin:login")}
    if response.status_code == 302 and urlsplit(response["Location"]).path in sign_in:
        return "login"
    return str(response.status_code)


def every_url():
    return sorted([*dict(named_patterns()), ADMIN])


def test_every_url_has_a_row_of_the_matrix():
    assert sorted(MATRIX) == every_url()
    assert all(set(expected(name)) == set(METHODS) for name in MATRIX)


@pytest.mark.parametrize("name", every_url())
def test_the_permission_matrix(cast, open_assessment, other_coach, name):
    """Every person asks for the URL with each method, from the same database (each request is undone
    after it). A refused request changes nothing, and neither does any GET."""
    url = url_for(name, cast, open_assessment)
    accounts = {"other_coach": other_coach, "staff": cast.admin}
    clients = {who: Client() for who in PEOPLE}
    for who in PEOPLE[1:]:
        clients[who].force_login(accounts.get(who) or getattr(cast, who))
    before = database_state()
    got, wrote = {}, []
    for method in METHODS:
        got[method] = {}
        for who, client in clients.items():
            with undone(client):
                got[method][who] = outcome(client.generic(method, url))
                changed = changed_tables(before, database_state())
            if changed and (method == "GET" or got[method][who] in REFUSED):
                wrote.append((method, who, got[method][who], changed))
    assert got == expected(name)
    assert wrote == []


@pytest.mark.parametrize("name", sorted(needs()))
def test_the_matrix_follows_the_declared_needs(name):
    """The table agrees with access.py: 404 outside one's teams, 403 for a role without the URL's need,
    else past access (served, or 405 for a method the URL does not take)."""
    organization_page = "organization_id" in dict(named_patterns())[name].pattern.converters
    for method, cells in expected(name).items():
        need = POST_NEEDS.get(name, needs()[name]) if method == "POST" else needs()[name]
        for who, cell in cells.items():
            if who == "anonymous":
                assert cell == "login", (method, who)
            elif name in ("assessments:portfolio", "assessments:export_portfolio"):
                assert cell not in REFUSED, (method, who)  # no one team: whatever teams the user has
            elif who == "outsider" or (who == "other_coach" and not organization_page):
                assert cell == "404", (method, who)
            elif (
                who == "other_coach"  # a member of the organization, without its admins' need
                or TEAM_ROLES[who] not in ALLOWED[need]
                or (name in MEMBERS_ONLY and who not in ("member", "facilitator"))
                or (name in COMMENT_AUTHOR_ONLY and who != "coach")
            ):
                assert cell == "403", (method, who)
            else:
                assert cell not in REFUSED - {"405"}, (method, who)
