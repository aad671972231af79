"""Who may see and do what. Every view declares its need with `@requires(Need...)`, which resolves the
team or assessment of the URL for the signed-in user and hands it to the view as `access`.

Outside the user's scope the object does not exist for them (404). Inside it, an action none of their roles
may take is refused (403). A person can hold several roles in one team (a member who is also an admin of
the organization); what they may do is the union. Only a member votes (the facilitator leads the meeting
and, as in the published protocols, does not vote). The meeting is run by a facilitator, by a coach the
team lets run it, or, while a team has no facilitator, by an admin of its organization. A team's people
are managed by its facilitators and its organization's admins. A coach otherwise reads; staff read.
The need is recorded on the view (`view.need`), so tests enumerate every URL with what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    CoachAssignment,
    Membership,
    Organization,
    OrganizationMembership,
    Team,
)


class Role(Enum):
    # In order of rank: a person's principal role in a team is the first of theirs in this list.
    FACILITATOR = "facilitator"
    MEETING_COACH = "meeting coach"  # a coach the team lets run its meetings
    STANDING_IN = "standing in"  # an organization admin, while the team has no facilitator
    ORGANIZATION_ADMIN = "organization admin"
    MEMBER = "member"
    COACH = "coach"
    ADMIN = "admin"  # staff: reads every team, changes none


class Need(Enum):
    READ = "read"
    VOTE = "vote"
    FACILITATE = "facilitate"  # run the assessment: start, reveal, consensus, complete, reopen
    MANAGE = "manage"  # the team's people: members, invitations, its coaches' part
    ORGANIZE = "organize"  # an organization's teams and people
    PLAN = "plan"  # the team's action plan and targets: create, edit, progress notes
    COMMENT = "comment"  # start a comment on an assessment, one of its items, or an action
    REPLY = "reply"  # answer a comment
    HISTORY = "history"  # read who changed what in an assessment, and when


# Coaches advise: they comment on a team's work and never edit its plan; members answer their comments.
COMMENTERS = {Role.FACILITATOR, Role.MEETING_COACH, Role.STANDING_IN, Role.COACH}


ALLOWED = {
    Need.READ: set(Role),
    Need.VOTE: {Role.MEMBER},
    Need.FACILITATE: {Role.FACILITATOR, Role.MEETING_COACH, Role.STANDING_IN},
    Need.MANAGE: {Role.FACILITATOR, Role.STANDING_IN, Role.ORGANIZATION_ADMIN},
    Need.ORGANIZE: {Role.ORGANIZATION_ADMIN},
    Need.PLAN: {Role.FACILITATOR, Role.STANDING_IN, Role.ORGANIZATION_ADMIN, Role.MEMBER},
    Need.COMMENT: COMMENTERS,
    Need.REPLY: COMMENTERS | {Role.MEMBER, Role.ORGANIZATION_ADMIN},
    # Those who run, advise or answer for the team read its history; members see the results.
    Need.HISTORY: COMMENTERS | {Role.ORGANIZATION_ADMIN, Role.ADMIN},
}


@dataclass(frozen=True)
class TeamAccess:
    team: Team
    roles: frozenset[Role]

    @property
    def role(self) -> Role:
        """The principal role, for naming it."""
        return min(self.roles, key=list(Role).index)

    def may(self, need: Need) -> bool:
        return bool(self.roles & ALLOWED[need])

    @property
    def can_facilitate(self) -> bool:
        return self.may(Need.FACILITATE)

    @property
    def can_vote(self) -> bool:
        return self.may(Need.VOTE)

    @property
    def can_manage(self) -> bool:
        return self.may(Need.MANAGE)

    @property
    def can_plan(self) -> bool:
        return self.may(Need.PLAN)

    @property
    def can_comment(self) -> bool:
        return self.may(Need.COMMENT)

    @property
    def can_reply(self) -> bool:
        return self.may(Need.REPLY)

    @property
    def can_read_history(self) -> bool:
        return self.may(Need.HISTORY)


@dataclass(frozen=True)
class AssessmentAccess(TeamAccess):
    assessment: Assessment


@dataclass(frozen=True)
class ScopeAccess:
    """For pages about all of the user's teams rather than one (the portfolio)."""

    teams: QuerySet[Team]


@dataclass(frozen=True)
class OrganizationAccess:
    organization: Organization
    roles: frozenset[Role]


def visible_teams(user: AbstractBaseUser) -> QuerySet[Team]:
    """Teams the user belongs to or coaches, and every team of an organization they administer; every
    team for staff."""
    teams = Team.objects.select_related("organization")
    if user.is_staff:
        return teams
    return teams.filter(
        Q(pk__in=Membership.objects.filter(user_id=user.pk).values("team_id"))
        | Q(pk__in=CoachAssignment.objects.filter(coach_id=user.pk).values("team_id"))
        | Q(organization_id__in=administered_organizations(user).values("pk"))
    )


def administered_organizations(user: AbstractBaseUser) -> QuerySet[Organization]:
    return Organization.objects.filter(
        memberships__user_id=user.pk, memberships__role=OrganizationMembership.Role.ADMIN
    )


@dataclass(frozen=True)
class Navigation:
    portfolio: bool  # coaches, organization admins and staff follow many teams there
    organizations: list[Organization]  # those the user administers, each with its own pages


def navigation(user: AbstractBaseUser) -> Navigation:
    """What the navigation offers beyond home, in one query: a coach always belongs to the organization
    of each team they coach, so the user's organization memberships say all of it."""
    if not user.is_authenticated:
        return Navigation(portfolio=False, organizations=[])
    if user.is_staff:
        # Staff read every team in the portfolio and run organizations in Django's admin.
        return Navigation(portfolio=True, organizations=[])
    memberships = list(
        OrganizationMembership.objects.filter(user_id=user.pk)
        .select_related("organization")
        .annotate(coaches=Exists(CoachAssignment.objects.filter(coach_id=user.pk)))
        .order_by("organization__name")
    )
    organizations = [m.organization for m in memberships if m.is_admin]
    coaches = any(m.coaches for m in memberships)
    return Navigation(portfolio=coaches or bool(organizations), organizations=organizations)


def _roles(user: AbstractBaseUser, row) -> frozenset[Role]:
    """The user's roles in the team of a row annotated by `_with_roles`."""
    roles = set()
    if row.user_membership is not None:
        roles.add(Role(row.user_membership))
    if row.user_coaching is not None:
        roles.add(Role.MEETING_COACH if row.user_coaching else Role.COACH)
    if row.user_organization_role == OrganizationMembership.Role.ADMIN:
        roles.add(Role.ORGANIZATION_ADMIN)
        if not row.team_has_facilitator:
            roles.add(Role.STANDING_IN)
    if user.is_staff:
        roles.add(Role.ADMIN)
    return frozenset(roles)


def _with_roles(rows: QuerySet, user: AbstractBaseUser, team: str, organization: str) -> QuerySet:
    """Rows annotated with the user's part in their team (`team` and `organization` are the paths to the
    team's and its organization's ids), so that an object and the user's roles come in one query."""
    return rows.annotate(
        user_membership=Subquery(
            Membership.objects.filter(team_id=OuterRef(team), user_id=user.pk).values("role")[:1]
        ),
        user_coaching=Subquery(
            CoachAssignment.objects.filter(team_id=OuterRef(team), coach_id=user.pk).values("runs_meetings")[
                :1
            ]
        ),
        user_organization_role=Subquery(
            OrganizationMembership.objects.filter(
                organization_id=OuterRef(organization), user_id=user.pk
            ).values("role")[:1]
        ),
        team_has_facilitator=Exists(
            Membership.objects.filter(
                team_id=OuterRef(team), role=Membership.Role.FACILITATOR, user__is_active=True
            )
        ),
    )


def _require(roles: frozenset[Role], need: Need) -> frozenset[Role]:
    if not roles:
        raise Http404("No such team.")
    if not roles & ALLOWED[need]:
        principal = min(roles, key=list(Role).index)
        raise PermissionDenied(f"Your role ({principal.value}) cannot do this.")
    return roles


def team_for_user(user: AbstractBaseUser, team_id: int, need: Need = Need.READ) -> TeamAccess:
    team = (
        _with_roles(Team.objects.select_related("organization"), user, "pk", "organization_id")
        .filter(pk=team_id)
        .first()
    )
    roles = _roles(user, team) if team is not None else frozenset()
    return TeamAccess(team=team, roles=_require(roles, need))


def assessment_for_user(
    user: AbstractBaseUser, assessment_id: int, need: Need = Need.READ
) -> AssessmentAccess:
    assessment = (
        _with_roles(
            Assessment.objects.select_related("team__organization", "version__framework", "administered_by"),
            user,
            "team_id",
            "team__organization_id",
        )
        .filter(pk=assessment_id)
        .first()
    )
    roles = _require(_roles(user, assessment) if assessment else frozenset(), need)
    return AssessmentAccess(team=assessment.team, roles=roles, assessment=assessment)


def organization_for_user(
    user: AbstractBaseUser, organization_id: int, need: Need = Need.ORGANIZE
) -> OrganizationAccess:
    """An organization exists for its members (and staff); its admins organize it."""
    organization = (
        Organization.objects.annotate(
            user_organization_role=Subquery(
                OrganizationMembership.objects.filter(organization_id=OuterRef("pk"), user_id=user.pk).values(
                    "role"
                )[:1]
            )
        )
        .filter(pk=organization_id)
        .first()
    )
    roles = set()
    if organization is not None:
        if organization.user_organization_role == OrganizationMembership.Role.ADMIN:
            roles.add(Role.ORGANIZATION_ADMIN)
        elif organization.user_organization_role == OrganizationMembership.Role.MEMBER:
            roles.add(Role.MEMBER)
        if user.is_staff:
            roles.add(Role.ADMIN)
    return OrganizationAccess(organization=organization, roles=_require(frozenset(roles), need))


def requires(need: Need) -> Callable:
    """Declares what a view needs and gives it the object of its URL, checked for the signed-in user.

    The URL's `assessment_id`, `organization_id` or `team_id` becomes `access` (an AssessmentAccess,
    OrganizationAccess or TeamAccess: 404 outside
    the user's teams, 403 for a role without the need); a URL with neither gets the user's whole scope
    (ScopeAccess). Anonymous visitors are sent to sign in first; an anonymous htmx request (an autosave
    whose session has expired) gets 401 instead, see `signed_out`.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def resolved(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if "assessment_id" in kwargs:
                access = assessment_for_user(request.user, kwargs.pop("assessment_id"), need)
            elif "organization_id" in kwargs:
                access = organization_for_user(request.user, kwargs.pop("organization_id"), need)
            elif "team_id" in kwargs:
                access = team_for_user(request.user, kwargs.pop("team_id"), need)
            else:
                access = ScopeAccess(teams=visible_teams(request.user))
            return view(request, *args, access=access, **kwargs)

        sign_in_first = login_required(resolved)

        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.htmx and not request.user.is_authenticated:
                return signed_out()
            return sign_in_first(request, *args, **kwargs)

        checked.need = need
        return checked

    return decorate


def signed_out() -> HttpResponse:
    """The answer to an htmx request without a session. A redirect to the sign-in page would be followed
    by the browser without a word, and the page would take the sign-in form for a saved answer; 401 lets it
    say "Signed out: not saved" and keep what was typed. The `signed-out` event (HX-Trigger) is for htmx."""
    response = HttpResponse(
        _("Signed out: not saved. Sign in again, then save once more."),
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["HX-Trigger"] = "signed-out"
    return response
