"""Private votes: one at a time (autosave) or a whole sheet (all or nothing)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.models import (
    COMMENT_MAX_LENGTH,
    Assessment,
    Vote,
)
from assessments.services.common import attributed, item_of, lock, not_an_item, within
from drivers.models import BestPractice


@transaction.atomic
def vote_record(
    *, assessment: Assessment, member: AbstractBaseUser, item_code: str, answer: str, comment: str = ""
) -> Vote:
    """Saves (or changes) a member's vote. The same post twice leaves one vote."""
    locked = _lock_for_voting(assessment)
    comment = _checked_vote(answer, comment)
    # Saves of this assessment queue behind its row lock, so two posts of one answer cannot both insert.
    vote = (
        Vote.objects.select_for_update(of=("self",))
        .select_related("item")
        .filter(assessment=locked, member=member, item__code=item_code)
        .first()
    )
    if vote is None:
        vote = Vote(assessment=locked, item=item_of(locked, item_code), member=member)
    vote.answer, vote.comment = answer, comment
    vote.wording_changed = False  # the member has answered the statement as it reads now
    attributed(vote, member).save()  # through the model: the history sees every change
    return vote


@transaction.atomic
def votes_record(
    *, assessment: Assessment, member: AbstractBaseUser, answers: list[tuple[str, str, str]]
) -> None:
    """Saves a member's whole vote sheet at once, all or nothing: `answers` holds (item code, answer,
    comment). One bad answer refuses them all, with a ValidationError whose `message_dict` names each bad
    item. Bulk reads and writes, so 45 answers take a handful of queries."""
    locked = _lock_for_voting(assessment)
    items = BestPractice.objects.filter(version_id=locked.version_id, code__in=[a[0] for a in answers])
    items = {item.code: item for item in items}
    checked, problems = {}, {}
    for code, answer, comment in answers:
        try:
            if code not in items:
                raise ValidationError(not_an_item(code))
            checked[code] = (answer, _checked_vote(answer, comment))
        except ValidationError as exc:
            problems[code] = exc.messages
    if problems:
        raise ValidationError(problems)
    existing = {
        vote.item_id: vote
        for vote in Vote.objects.filter(assessment=locked, member=member, item__in=items.values())
    }
    now, new, changed = timezone.now(), [], []
    for code, (answer, comment) in checked.items():
        vote = existing.get(items[code].pk)
        if vote is None:
            new.append(
                Vote(assessment=locked, item=items[code], member=member, answer=answer, comment=comment)
            )
        elif (vote.answer, vote.comment) != (answer, comment) or vote.wording_changed:
            # A submitted sheet answers every statement as it reads now, reworded ones included.
            vote.answer, vote.comment, vote.updated_at, vote.wording_changed = answer, comment, now, False
            changed.append(vote)
    # In bulk, and each change in the votes' history (who and when), as a save() would record it.
    bulk_create_with_history(new, Vote, default_user=member)
    bulk_update_with_history(
        changed, Vote, ["answer", "comment", "updated_at", "wording_changed"], default_user=member
    )


def _lock_for_voting(assessment: Assessment) -> Assessment:
    locked = lock(assessment)
    if not locked.is_open:
        raise ValidationError(_("Voting has closed: the votes of this assessment have been revealed."))
    return locked


def _checked_vote(answer: str, comment: str) -> str:
    """The comment as stored, or ValidationError for an answer outside the scale or a comment too long."""
    if answer not in Vote.Answer.values:
        raise ValidationError(
            _("%(answer)s is not an answer; choose 2, 1, 0 or don't know.") % {"answer": repr(answer)}
        )
    return within(
        comment, COMMENT_MAX_LENGTH, _("The comment is %(length)d characters long; the limit is %(limit)d.")
    )
