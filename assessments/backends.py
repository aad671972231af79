"""Signing in by username or e-mail.

People remember the e-mail address they were invited with more readily than a username an admin chose, so
an identifier containing "@" is looked up by e-mail, case-insensitively, when exactly one account has that
address; otherwise (no account, or several sharing it) it is taken as a username, so a shared address never
signs anyone into the wrong account.

The backend extends AllowAllUsersModelBackend so that a deactivated account with the right password
reaches the sign-in form's `confirm_login_allowed`, which says the account was deactivated instead of
"wrong password" (only someone who knows the password learns it). The form refuses such an account, so it
never gets a session; and `get_user` refuses it too, so a session opened before deactivation ends at the
next request. Anything else calling `authenticate()` must check `is_active` itself, as the form does.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import AllowAllUsersModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest


class UsernameOrEmailBackend(AllowAllUsersModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs
    ) -> AbstractBaseUser | None:
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = self._account(username.strip(), user_model)
        if user is None:
            # Hash the password anyway, so an unknown identifier takes as long as a wrong password
            # (ModelBackend's protection against telling accounts apart by timing).
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    @staticmethod
    def _account(identifier: str, user_model) -> AbstractBaseUser | None:
        if "@" in identifier:
            by_email = list(user_model._default_manager.filter(email__iexact=identifier)[:2])
            if len(by_email) == 1:
                return by_email[0]
        try:
            return user_model._default_manager.get_by_natural_key(identifier)
        except user_model.DoesNotExist:
            return None


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """The account a sign-in attempt is about, for django-axes: an e-mail address counts as the username of
    its account, so alternating the two does not double the attempts an account allows."""
    identifier = ((credentials or {}).get("username") or request.POST.get("username") or "").strip()
    account = UsernameOrEmailBackend._account(identifier, get_user_model()) if identifier else None
    return account.get_username() if account is not None else identifier.lower()
