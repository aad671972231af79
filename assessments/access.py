"""Who may see and do what. Every view gets its team or assessment through these functions.

Outside the user's scope the object does not exist for them (404). Inside it, an action their role may not
take is refused (403): a coach reads but never writes; only a facilitator runs the assessment; only a
member votes (the facilitator leads the meeting and, as in the published protocols, does not vote).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

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


def visible_teams(user: AbstractBaseUser) -> QuerySet[Team]:
    """Teams the user belongs to or coaches; every team for staff."""
    teams = Team.objects.select_related("organization")
    if user.is_staff:
        return teams
    return teams.filter(Q(memberships__user=user) | Q(coach_assignments__coach=user)).distinct()


def role_in_team(user: AbstractBaseUser, team_id: int) -> Role | None:
    membership = Membership.objects.filter(team_id=team_id, user=user).values_list("role", flat=True).first()
    if membership is not None:
        return Role(membership)
    if CoachAssignment.objects.filter(team_id=team_id, coach=user).exists():
        return Role.COACH
    return Role.ADMIN if user.is_staff else None


def _require(role: Role | None, need: Need) -> Role:
    if role is None:
        raise Http404("No such team.")
    if role not in ALLOWED[need]:
        raise PermissionDenied(f"Your role ({role.value}) cannot do this.")
    return role


def team_for_user(user: AbstractBaseUser, team_id: int, need: Need = Need.READ) -> TeamAccess:
    team = Team.objects.select_related("organization").filter(pk=team_id).first()
    role = role_in_team(user, team_id) if team is not None else None
    return TeamAccess(team=team, role=_require(role, need))


def assessment_for_user(
    user: AbstractBaseUser, assessment_id: int, need: Need = Need.READ
) -> AssessmentAccess:
    assessment = (
        Assessment.objects.select_related("team__organization", "version__framework")
        .filter(pk=assessment_id)
        .first()
    )
    role = role_in_team(user, assessment.team_id) if assessment is not None else None
    role = _require(role, need)
    return AssessmentAccess(team=assessment.team, role=role, assessment=assessment)
