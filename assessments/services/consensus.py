"""The team's consensus answers, saved with optimistic concurrency."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import (
    COMMENT_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    Assessment,
    Response,
)
from assessments.services.common import attributed, item_of, lock, within
from drivers import scale


class StaleResponse(Exception):
    """Someone saved this consensus answer since the editor loaded it; their answer is kept."""

    def __init__(self, current: Response):
        self.current = current
        super().__init__(f"{current.item.code} was changed by {current.recorded_by} meanwhile.")


@transaction.atomic
def response_record(
    *,
    assessment: Assessment,
    recorded_by: AbstractBaseUser,
    item_code: str,
    score: int | None,
    na_reason: str = "",
    evidence: str = "",
    revision: int = 0,
) -> Response:
    """Saves the consensus answer of one item. `score` None means not applicable, which needs a reason.
    `revision` is the one the editor saw (0: there was none); if it has moved on, StaleResponse."""
    locked = lock(assessment)
    if locked.is_completed:
        raise ValidationError(_("The assessment is completed; reopen it to change an answer."))
    if not locked.in_consensus:
        raise ValidationError(_("Reveal the votes (or start consensus) before recording consensus answers."))
    if score is not None and score not in scale.SCORES:
        raise ValidationError(_("%(score)s is not a score; choose 2, 1, 0 or N/A.") % {"score": repr(score)})
    if revision < 0:
        raise ValidationError(
            _("%(revision)s is not a revision of this answer; reload the page.")
            % {"revision": repr(revision)}
        )
    not_applicable = score is None
    na_reason = (
        within(
            na_reason,
            COMMENT_MAX_LENGTH,
            _("The reason is %(length)d characters long; the limit is %(limit)d."),
        )
        if not_applicable
        else ""
    )
    if not_applicable and not na_reason:
        raise ValidationError(_("Say why this best practice does not apply; N/A needs a reason."))
    evidence = within(
        evidence,
        NOTES_MAX_LENGTH,
        _("The evidence note is %(length)d characters long; the limit is %(limit)d."),
    )
    # The assessment row is locked, so saves of this assessment queue here; the answer's own row is locked
    # too, so that no writer outside this path (the admin, a script) slips in between check and save.
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("item__driver", "recorded_by")
        .filter(assessment=locked, item__code=item_code)
        .first()
    )
    if response is None:
        item = item_of(locked, item_code)
        if revision != 0:
            raise ValidationError(_("This answer is no longer what you loaded; reload the page to see it."))
        response = Response(assessment=locked, item=item, revision=0)
    elif response.revision != revision:
        raise StaleResponse(response)
    response.score, response.not_applicable, response.na_reason = score, not_applicable, na_reason
    response.evidence, response.recorded_by = evidence, recorded_by
    response.wording_changed = False  # the team has answered the statement as it reads now
    response.revision += 1
    attributed(response, recorded_by).save()  # through the model: the history sees every change
    return response
