"""An organization's teams and people: team members and their roles, coaches, organization admins, and
leaving. The models keep every team a facilitator and every team member a member of its organization."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.models import (
    CoachAssignment,
    Invitation,
    Membership,
    Organization,
    OrganizationMembership,
    Team,
)
from assessments.services.common import person_name
from assessments.services.invitations import invitation_send


def _organization_member(*, organization: Organization, identifier: str) -> AbstractBaseUser:
    """The active member of the organization with this username or e-mail. Anyone else (unknown, of
    another organization, staff) gets the same reply, so the form cannot tell which accounts exist."""
    identifier = identifier.strip()
    found = [
        m.user
        for m in OrganizationMembership.objects.filter(
            Q(user__username__iexact=identifier) | Q(user__email__iexact=identifier),
            organization=organization,
            user__is_active=True,
            user__is_staff=False,
            user__is_superuser=False,
        ).select_related("user")[:2]
    ]
    if len(found) != 1:
        raise ValidationError(
            _(
                "%(identifier)s is not a member of %(organization)s whom you can add here. Invite them "
                "by e-mail instead."
            )
            % {"identifier": repr(identifier), "organization": organization.name}
        )
    return found[0]


@transaction.atomic
def membership_add(*, team: Team, identifier: str, role: str) -> Membership:
    """Adds a member of the team's organization, found by username or e-mail, to the team (or changes
    their role). People outside the organization join by invitation."""
    user = _organization_member(organization=team.organization, identifier=identifier)
    membership = Membership.objects.filter(team=team, user=user).first() or Membership(team=team, user=user)
    membership.role = role
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """Changes a member's role; the model refuses to demote a team's last facilitator."""
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Removes a member, or lets one leave; the model refuses it for a team's last facilitator."""
    membership.delete()


# Teams


@transaction.atomic
def team_create(
    *,
    organization: Organization,
    name: str,
    program: str,
    level: str,
    first_facilitator: str = "",
    created_by: AbstractBaseUser,
) -> Team:
    """A new team of the organization, with its first facilitator when one is named: a member of the
    organization joins at once; anyone else is invited by e-mail. Until a facilitator is there, the
    organization's admins stand in (access.Role.STANDING_IN)."""
    team = Team(organization=organization, name=name.strip(), program=program.strip(), level=level)
    team.full_clean()
    team.save()
    if first_facilitator.strip():
        _name_first_facilitator(team=team, identifier=first_facilitator, named_by=created_by)
    return team


def _name_first_facilitator(*, team: Team, identifier: str, named_by: AbstractBaseUser) -> None:
    """A member of the organization becomes facilitator at once; an e-mail of anyone else is invited (the
    same step whether or not an account has it, so the form tells nothing about other accounts)."""
    try:
        user = _organization_member(organization=team.organization, identifier=identifier)
    except ValidationError as not_a_member:
        if "@" not in identifier:
            raise ValidationError({"first_facilitator": not_a_member.messages}) from not_a_member
        try:
            invitation_send(
                team=team,
                email=identifier,
                role=Invitation.Role.FACILITATOR,
                invited_by=named_by,
            )
        except ValidationError as refused:
            raise ValidationError({"first_facilitator": refused.messages}) from refused
    else:
        Membership.objects.create(team=team, user=user, role=Membership.Role.FACILITATOR)


@transaction.atomic
def team_update(
    *,
    team: Team,
    name: str | None = None,
    program: str | None = None,
    level: str | None = None,
    assessment_interval_months: int | None = None,
) -> Team:
    """Changes what is given of the team's name, program, level and assessment interval (the team page
    changes the interval alone). Refused as a whole, with nothing saved, when any of it is not valid."""
    changes = {
        "name": name.strip() if name is not None else None,
        "program": program.strip() if program is not None else None,
        "level": level,
        "assessment_interval_months": assessment_interval_months,
    }
    changes = {field: value for field, value in changes.items() if value is not None}
    for field, value in changes.items():
        setattr(team, field, value)
    try:
        team.full_clean()
    except ValidationError:
        team.refresh_from_db(fields=list(changes))  # the caller's team shows what is saved, not the refusal
        raise
    team.save(update_fields=list(changes))
    return team


# Coaches


@transaction.atomic
def coach_assign(*, team: Team, identifier: str, runs_meetings: bool = False) -> CoachAssignment:
    """Makes a member of the team's organization a coach of the team (a coach from outside joins by
    invitation). A team member cannot also coach it: their membership would outrank the coaching."""
    user = _organization_member(organization=team.organization, identifier=identifier)
    if Membership.objects.filter(team=team, user=user).exists():
        raise ValidationError(
            _("%(name)s is a member of %(team)s; remove them from the team first to make them its coach.")
            % {"name": person_name(user), "team": team.name}
        )
    assignment, _created = CoachAssignment.objects.get_or_create(
        team=team, coach=user, defaults={"runs_meetings": runs_meetings}
    )
    if assignment.runs_meetings != runs_meetings:
        assignment.runs_meetings = runs_meetings
        assignment.save(update_fields=["runs_meetings"])
    return assignment


@transaction.atomic
def coach_runs_meetings(*, assignment: CoachAssignment, runs_meetings: bool) -> CoachAssignment:
    """Lets a coach run the team's meetings (reveal, consensus, complete, reopen), or stops it. Saying
    again what is already so writes nothing (no history row for a change that did not happen)."""
    if assignment.runs_meetings != runs_meetings:
        assignment.runs_meetings = runs_meetings
        assignment.save(update_fields=["runs_meetings"])
    return assignment


@transaction.atomic
def coach_unassign(*, assignment: CoachAssignment) -> None:
    assignment.delete()


# The organization's people


@transaction.atomic
def organization_role_change(*, membership: OrganizationMembership, role: str) -> OrganizationMembership:
    """Makes a member an organization admin or back; an organization keeps at least one admin."""
    if role not in OrganizationMembership.Role.values:
        raise ValidationError(_("Choose admin or member."))
    if membership.is_admin and role != OrganizationMembership.Role.ADMIN:
        _keep_an_admin(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def organization_member_remove(*, membership: OrganizationMembership) -> None:
    """Removes a person from the organization and so from all its teams and coaching. Their votes, answers
    and comments stay. Refused, with nothing changed, where they are a team's last facilitator."""
    if membership.is_admin:
        _keep_an_admin(membership)
    membership.delete()


def _keep_an_admin(membership: OrganizationMembership) -> None:
    admins = OrganizationMembership.objects.select_for_update().filter(
        organization_id=membership.organization_id, role=OrganizationMembership.Role.ADMIN
    )
    if not admins.exclude(pk=membership.pk).exists():
        raise ValidationError(
            _("%(organization)s needs at least one admin; make someone else admin first.")
            % {"organization": membership.organization.name}
        )
