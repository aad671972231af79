"""Marking something seen: an entry of the coach queue or a new comment leaves the person's list."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from assessments.actions.models import Seen

KEY_MAX_LENGTH = Seen._meta.get_field("key").max_length


@transaction.atomic
def seen_mark(*, user: AbstractBaseUser, key: str) -> Seen:
    """Records that `user` has seen what `key` names (see `assessments/reports/queue.py` for the keys).
    Marking it twice keeps the first mark."""
    seen, _created = Seen.objects.get_or_create(user_id=user.pk, key=key)
    return seen
