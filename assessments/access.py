"""Who may see and do what. Every view declares its need with `@requires(Need...)`, which resolves the
team or assessment of the URL for the signed-in user and hands it to the view as `access`.

Outside the user's scope the object does not exist for them (404). Inside it, an action their role may not
take is refused (403): a coach reads but never writes; only a facilitator runs the assessment; only a
member votes (the facilitator leads the meeting and, as in the published protocols, does not vote).
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

from assessments.models import Assessment, CoachAssignment, Membership, Team


class Role(Enum):
    FACILITATOR = "facilitator"
    MEMBER = "member"
    COACH = "coach"
    ADMIN = "admin"  # staff: reads every team, changes none


class Need(Enum):
    READ = "read"
    VOTE = "vote"
    FACILITATE = "facilitate"


ALLOWED = {
    Need.READ: {Role.FACILITATOR, Role.MEMBER, Role.COACH, Role.ADMIN},
    Need.VOTE: {Role.MEMBER},
    Need.FACILITATE: {Role.FACILITATOR},
}


@dataclass(frozen=True)
class TeamAccess:
    team: Team
    role: Role

    @property
    def can_facilitate(self) -> bool:
        return self.role in ALLOWED[Need.FACILITATE]

    @property
    def can_vote(self) -> bool:
        return self.role in ALLOWED[Need.VOTE]


@dataclass(frozen=True)
class AssessmentAccess(TeamAccess):
    assessment: Assessment


@dataclass(frozen=True)
class ScopeAccess:
    """For pages about all of the user's teams rather than one (the portfolio)."""

    teams: QuerySet[Team]


def visible_teams(user: AbstractBaseUser) -> QuerySet[Team]:
    """Teams the user belongs to or coaches; every team for staff."""
    teams = Team.objects.select_related("organization")
    if user.is_staff:
        return teams
    return teams.filter(Q(memberships__user=user) | Q(coach_assignments__coach=user)).distinct()


def portfolio_in_navigation(user: AbstractBaseUser) -> bool:
    """The navigation offers the portfolio to coaches and staff; members reach their teams from home."""
    return user.is_authenticated and (user.is_staff or user.coach_assignments.exists())


def _role(user: AbstractBaseUser, membership: str | None, coaches: bool) -> Role | None:
    """A membership outranks a coach assignment, which outranks staff status."""
    if membership is not None:
        return Role(membership)
    if coaches:
        return Role.COACH
    return Role.ADMIN if user.is_staff else None


def _with_role(rows: QuerySet, user: AbstractBaseUser, team: str) -> QuerySet:
    """Rows annotated with the user's part in their team (`team` is the path to it), so that an object and
    the user's role in its team come in one query."""
    return rows.annotate(
        user_membership=Subquery(
            Membership.objects.filter(team_id=OuterRef(team), user_id=user.pk).values("role")[:1]
        ),
        user_coaches=Exists(CoachAssignment.objects.filter(team_id=OuterRef(team), coach_id=user.pk)),
    )


def _require(role: Role | None, need: Need) -> Role:
    if role is None:
        raise Http404("No such team.")
    if role not in ALLOWED[need]:
        raise PermissionDenied(f"Your role ({role.value}) cannot do this.")
    return role


def team_for_user(user: AbstractBaseUser, team_id: int, need: Need = Need.READ) -> TeamAccess:
    team = _with_role(Team.objects.select_related("organization"), user, "pk").filter(pk=team_id).first()
    role = _role(user, team.user_membership, team.user_coaches) if team is not None else None
    return TeamAccess(team=team, role=_require(role, need))


def assessment_for_user(
    user: AbstractBaseUser, assessment_id: int, need: Need = Need.READ
) -> AssessmentAccess:
    assessment = (
        _with_role(
            Assessment.objects.select_related("team__organization", "version__framework"), user, "team_id"
        )
        .filter(pk=assessment_id)
        .first()
    )
    role = _role(user, assessment.user_membership, assessment.user_coaches) if assessment else None
    role = _require(role, need)
    return AssessmentAccess(team=assessment.team, role=role, assessment=assessment)


def requires(need: Need) -> Callable:
    """Declares what a view needs and gives it the object of its URL, checked for the signed-in user.

    The URL's `assessment_id` or `team_id` becomes `access` (an AssessmentAccess or TeamAccess: 404 outside
    the user's teams, 403 for a role without the need); a URL with neither gets the user's whole scope
    (ScopeAccess). Anonymous visitors are sent to sign in first; an anonymous htmx request (an autosave
    whose session has expired) gets 401 instead, see `signed_out`.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def resolved(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if "assessment_id" in kwargs:
                access = assessment_for_user(request.user, kwargs.pop("assessment_id"), need)
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
