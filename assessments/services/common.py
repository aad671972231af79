"""What the writers share: locking an assessment's row, finding its items, checking text length, naming a
person."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
)
from drivers.models import BestPractice


def within(text: str, limit: int, too_long: str) -> str:
    """The text without surrounding blanks, or ValidationError(`too_long`), a message with the
    placeholders %(length)d and %(limit)d. A NUL character, which PostgreSQL cannot store in text and no
    keyboard types, is refused with its own message."""
    if "\x00" in text:
        raise ValidationError(_("The text contains a NUL character (\\0), which cannot be stored."))
    text = text.strip()
    if len(text) > limit:
        raise ValidationError(too_long % {"length": len(text), "limit": limit})
    return text


def lock(assessment: Assessment) -> Assessment:
    """The assessment row, locked until the transaction ends: status changes and saves queue behind it."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def item_of(assessment: Assessment, item_code: str) -> BestPractice:
    item = (
        BestPractice.objects.filter(version_id=assessment.version_id, code=item_code)
        .select_related("driver")
        .first()
    )
    if item is None:
        raise ValidationError(not_an_item(item_code))
    return item


def not_an_item(item_code: str) -> str:
    return _("%(code)s is not a best practice of this assessment's version.") % {"code": repr(item_code)}


def person_name(user: AbstractBaseUser) -> str:
    """How pages and e-mails name a person: the full name, or the username when no name is set."""
    return user.get_full_name() or user.get_username()


def attributed(instance, user: AbstractBaseUser):
    """Names `user` in the history row of the instance's next save or delete (django-simple-history takes
    the request's user inside a request; a service also runs from commands and scripts)."""
    instance._history_user = user
    return instance
