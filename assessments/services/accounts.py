"""A person's own account (name, e-mail, which e-mails they want), and deactivating an account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Profile, keep_an_active_facilitator


@transaction.atomic
def account_update(
    *,
    user: AbstractBaseUser,
    first_name: str,
    last_name: str,
    email: str,
    assessment_emails: bool,
    reminder_emails: bool | None = None,
) -> None:
    """Saves the person's name, e-mail and e-mail preferences (their profile is made on the first save;
    `reminder_emails` None leaves that preference as it is).

    An e-mail address is one account's only: sign-in by e-mail and password reset find the account by it.
    The refusal does not say the address belongs to someone, which would tell any signed-in person who has
    an account (it still refuses, so a determined person can probe; see the report of this change)."""
    email = get_user_model().objects.normalize_email(email.strip())
    if get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("This e-mail cannot be used; choose another.")})
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.email = email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email"])
    preferences = {"assessment_emails": assessment_emails}
    if reminder_emails is not None:
        preferences["reminder_emails"] = reminder_emails
    profile, created = Profile.objects.get_or_create(user=user, defaults=preferences)
    changed = [field for field, value in preferences.items() if getattr(profile, field) != value]
    if not created and changed:
        for field in changed:
            setattr(profile, field, preferences[field])
        profile.save(update_fields=changed)


@transaction.atomic
def account_deactivate(*, user: AbstractBaseUser) -> None:
    """Closes the account: no sign-in, no e-mails. What the person did (votes, answers, comments) stays, and
    pages keep their name. Refused while they are a team's last active facilitator."""
    keep_an_active_facilitator(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
