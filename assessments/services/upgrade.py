"""Moving an unfinished assessment to a newer published version of its content."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Assessment, EarlierAnswer, Response, Upgrade, Vote
from assessments.services.common import attributed, lock
from drivers import lineage
from drivers.models import FrameworkVersion


@transaction.atomic
def assessment_upgrade(
    *, assessment: Assessment, to_version: FrameworkVersion, upgraded_by: AbstractBaseUser
) -> Upgrade:
    """Moves an open or consensus assessment to `to_version`, a newer published version of its framework.
    Votes and answers of items that continue move to the new item (flagged "wording changed" when the
    statement differs); the answers of items split or merged are kept as EarlierAnswer rows on the new
    items, which start unanswered; votes and answers of items that do not continue are dropped. One
    transaction, recorded with who and when."""
    locked = lock(assessment)
    if locked.is_completed:
        raise ValidationError(
            _(
                "A completed assessment keeps the version it was completed on: its results are the record. "
                "Only an open assessment or one in consensus can move to a newer version."
            )
        )
    current = locked.version
    if to_version.framework_id != current.framework_id:
        raise ValidationError(
            _("%(version)s is not a version of %(framework)s.")
            % {"version": to_version, "framework": current.framework.name}
        )
    if to_version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError(
            _("%(version)s is not published; an assessment moves only to published content.")
            % {"version": to_version}
        )
    if to_version.number <= current.number:
        raise ValidationError(
            _("%(version)s is not newer than %(current)s, the version of this assessment.")
            % {"version": to_version, "current": current}
        )
    fates = lineage.successors(current, to_version)
    upgrade = Upgrade.objects.create(
        assessment=locked, from_version=current, to_version=to_version, upgraded_by=upgraded_by
    )
    # Through save() and delete() one row at a time (never a queryset update): answers and votes are
    # audited rows, and their history must show the move.
    for vote in Vote.objects.filter(assessment=locked).select_related("item"):
        fate = fates.old[vote.item_id]
        if fate.fate == lineage.CONTINUES:
            vote.item = fate.successors[0]
            vote.wording_changed = vote.wording_changed or fate.wording_changed
            attributed(vote, upgraded_by).save()
        else:
            attributed(vote, upgraded_by).delete()
    responses = list(Response.objects.filter(assessment=locked).select_related("item"))
    answered = {response.item_id: response for response in responses}
    EarlierAnswer.objects.bulk_create(
        EarlierAnswer(
            upgrade=upgrade,
            item=origin.item,
            previous=previous,
            score=answered[previous.pk].score,
            not_applicable=answered[previous.pk].not_applicable,
            evidence=answered[previous.pk].evidence,
        )
        for origin in fates.new.values()
        if origin.origin in (lineage.SPLIT, lineage.MERGED)
        for previous in origin.previous
        if previous.pk in answered
    )
    for response in responses:
        fate = fates.old[response.item_id]
        if fate.fate == lineage.CONTINUES:
            response.item = fate.successors[0]
            response.wording_changed = response.wording_changed or fate.wording_changed
            # A consensus editor still open on the old item must reload rather than overwrite.
            response.revision += 1
            attributed(response, upgraded_by).save()
        else:
            attributed(response, upgraded_by).delete()
    locked.version = to_version
    attributed(locked, upgraded_by).save(update_fields=["version"])
    assessment.version = to_version
    return upgrade
