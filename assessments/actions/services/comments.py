"""Writing comments: a new thread on an assessment (or one of its items) or on an action, a reply, an edit.

Who may start a thread or reply is decided by the views' needs (COMMENT, REPLY in `assessments/access.py`);
these functions hold the rules of the comment itself: a body of 1 to 4000 characters without NUL, an item
of the assessment's own version, replies one level deep, edits by the author within the edit window.
Nobody deletes a comment, not even its author: a thread keeps every answer that was given to it, and a
slip is mended by editing within the window (the history keeps each version).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.actions.models import ActionItem, Comment
from assessments.actions.selectors.comments import BODY_MAX_LENGTH, editable_by
from assessments.models import Assessment
from assessments.services.common import not_an_item
from drivers.models import BestPractice

EMPTY_BODY = gettext_lazy("Write the comment first: it is empty.")


def _body(body: str) -> str:
    """The text to store, or ValidationError on the `body` field saying what is wrong with it."""
    if "\x00" in body:
        raise ValidationError({"body": _("The comment contains a NUL character; remove it and post again.")})
    body = body.strip()
    if not body:
        raise ValidationError({"body": EMPTY_BODY})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("The comment is %(length)d characters long; the limit is %(limit)d.")
                % {"length": len(body), "limit": BODY_MAX_LENGTH}
            }
        )
    return body


@transaction.atomic
def comment_add(
    *,
    author: AbstractBaseUser,
    body: str,
    assessment: Assessment | None = None,
    item_code: str = "",
    action: ActionItem | None = None,
) -> Comment:
    """Starts a thread on an assessment, on one item of it (`item_code`, of the assessment's version), or
    on an action. The comment belongs to the subject's team."""
    if (assessment is None) == (action is None):
        raise ValueError("A comment is about an assessment or an action.")
    if action is not None and item_code:
        raise ValueError("An item is named only on a comment about an assessment.")
    body = _body(body)
    item = None
    if item_code:
        item = BestPractice.objects.filter(version_id=assessment.version_id, code=item_code).first()
        if item is None:
            raise ValidationError({"item": not_an_item(item_code)})
    subject = assessment or action
    comment = Comment(
        team_id=subject.team_id, assessment=assessment, item=item, action=action, author=author, body=body
    )
    comment.save()
    return comment


@transaction.atomic
def reply_add(*, author: AbstractBaseUser, parent: Comment, body: str) -> Comment:
    """Answers a top-level comment; the reply shares its subject. A reply is not answered in turn (one
    level keeps threads readable): answer the comment that starts the thread."""
    if parent.parent_id is not None:
        raise ValidationError(_("Answer the comment that starts the thread: a reply cannot be answered."))
    body = _body(body)
    reply = Comment(
        team_id=parent.team_id,
        assessment_id=parent.assessment_id,
        item_id=parent.item_id,
        action_id=parent.action_id,
        parent=parent,
        author=author,
        body=body,
    )
    reply.save()
    return reply


@transaction.atomic
def comment_edit(*, comment: Comment, by: AbstractBaseUser, body: str) -> Comment:
    """Changes the words of a comment: its author only, within the edit window. An unchanged text changes
    nothing (and earns no "edited" mark)."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.author_id != by.pk:
        raise PermissionDenied("Only its author can edit a comment.")
    if not editable_by(locked, by):
        raise ValidationError(
            {
                "body": _(
                    "This comment can no longer be edited: edits are possible for %(minutes)d minutes "
                    "after posting. Add a reply to the thread instead."
                )
                % {"minutes": Comment.EDIT_WINDOW_MINUTES}
            }
        )
    body = _body(body)
    if body != locked.body:
        locked.body = body
        locked.edited_at = timezone.now()
        locked.save()
    return locked
