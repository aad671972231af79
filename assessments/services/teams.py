"""A team's members and their roles; the model keeps every team a facilitator."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.models import (
    Membership,
    Team,
)


@transaction.atomic
def membership_add(*, team: Team, identifier: str, role: str) -> Membership:
    """Adds an existing user, found by username or email, to the team (or changes their role)."""
    identifier = identifier.strip()
    users = get_user_model().objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
    found = list(users[:2])
    if not found:
        raise ValidationError(
            _("No user has the username or email %(identifier)s. Ask an admin to create the account.")
            % {"identifier": repr(identifier)}
        )
    if len(found) > 1:
        raise ValidationError(
            _("More than one user matches %(identifier)s; use the username.")
            % {"identifier": repr(identifier)}
        )
    membership, _created = Membership.objects.update_or_create(
        team=team, user=found[0], defaults={"role": role}
    )
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
    """Removes a member; the model refuses to remove a team's last facilitator."""
    membership.delete()
