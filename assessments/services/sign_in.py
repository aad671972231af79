"""Opening sign-in again for an account locked after too many wrong passwords (django-axes keeps the
failures; settings.AXES_* say how many lock an account, and for how long)."""

from __future__ import annotations

from axes.utils import reset
from django.contrib.auth.models import AbstractBaseUser


def sign_in_unlock(*, user: AbstractBaseUser) -> None:
    """Forgets the account's failed sign-ins from every address, so the person can sign in at once: after
    a password reset, or when an admin of their organization opens it again."""
    reset(username=user.get_username())
