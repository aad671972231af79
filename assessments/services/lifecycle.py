"""Starting, revealing, completing and reopening an assessment, and who took part."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments.models import (
    NOTES_MAX_LENGTH,
    Assessment,
    CoachAssignment,
    Membership,
    Participant,
    Reopening,
    Team,
)
from assessments.selectors import team_unfinished_assessment, unanswered_items
from assessments.services.common import attributed, lock, within
from assessments.services.notifications import assessment_completed_notify, assessment_opened_notify
from assessments.services.scores import tallies_forget, tallies_store
from drivers.models import FrameworkVersion


class UnfinishedAssessment(ValidationError):
    """The team already has an assessment under way (open or in consensus); it works on one at a time."""

    def __init__(self, unfinished: Assessment):
        self.unfinished = unfinished
        super().__init__(
            _("%(team)s already has an assessment under way (%(date)s). Complete it before starting another.")
            % {"team": unfinished.team.name, "date": date_format(unfinished.held_on, "j M Y")}
        )


def _refuse_a_second_unfinished(team: Team) -> None:
    """Locks the team, so that two starts (or a start and a reopening) cannot both pass the check; the
    database's partial unique index backs it."""
    Team.objects.select_for_update().filter(pk=team.pk).first()
    unfinished = team_unfinished_assessment(team=team)
    if unfinished is not None:
        raise UnfinishedAssessment(unfinished)


@dataclass(frozen=True)
class ParticipantEntry:
    name: str
    group: str
    role: str = ""
    member_id: int | None = None  # the team member this participant is, if one


def _participants_create(
    assessment: Assessment, participants: list[ParticipantEntry], by: AbstractBaseUser
) -> None:
    """Records who took part. A participant may be linked to a member of the assessment's team, and to
    each one once: the report counts a linked participant's votes, so a link to anyone else is refused."""
    linked = [p.member_id for p in participants if p.member_id is not None]
    if len(linked) != len(set(linked)):
        raise ValidationError(_("Each team member is listed once."))
    if linked:
        members = Membership.objects.filter(team_id=assessment.team_id, user_id__in=linked)
        if len(set(members.values_list("user_id", flat=True))) != len(linked):
            raise ValidationError(
                _("A participant can be linked only to a member of %(team)s.")
                % {"team": assessment.team.name}
            )
    bulk_create_with_history(
        [
            Participant(assessment=assessment, name=p.name, group=p.group, role=p.role, member_id=p.member_id)
            for p in participants
        ],
        Participant,
        default_user=by,
    )


@transaction.atomic
def assessment_start(
    *,
    team: Team,
    started_by: AbstractBaseUser,
    held_on: datetime.date,
    stage: str,
    version: FrameworkVersion,
    participants: list[ParticipantEntry],
) -> Assessment:
    if version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError(_("Assessments start on a published framework version."))
    _refuse_a_second_unfinished(team)
    assessment = Assessment(team=team, version=version, held_on=held_on, stage=stage, created_by=started_by)
    assessment.full_clean()
    attributed(assessment, started_by).save()
    _participants_create(assessment, participants, by=started_by)
    assessment_opened_notify(assessment=assessment)
    return assessment


@transaction.atomic
def participants_replace(
    *, assessment: Assessment, participants: list[ParticipantEntry], by: AbstractBaseUser | None = None
) -> None:
    """Replaces the list of who took part; `by` is named in the participants' history."""
    locked = lock(assessment)
    if locked.is_completed:
        raise ValidationError(_("The assessment is completed; reopen it to change who took part."))
    locked.participants.all().delete()
    _participants_create(locked, participants, by=by)


@transaction.atomic
def assessment_reveal_votes(*, assessment: Assessment, revealed_by: AbstractBaseUser) -> Assessment:
    """Closes voting and shows every vote to the team: the consensus discussion starts, and the person who
    opened it is recorded as the one who administered the assessment, with their capacity."""
    locked = lock(assessment)
    if not locked.is_open:
        raise ValidationError(_("Votes are already revealed."))
    locked.status = Assessment.Status.CONSENSUS
    locked.revealed_at = timezone.now()
    locked.administered_by = revealed_by
    locked.administered_as = _capacity(team=locked.team, user=revealed_by)
    attributed(locked, revealed_by).save(
        update_fields=["status", "revealed_at", "administered_by", "administered_as"]
    )
    return locked


def _capacity(*, team: Team, user: AbstractBaseUser) -> str:
    """In which capacity the person runs the team's meeting: facilitator, coach or organization admin."""
    if Membership.objects.filter(team=team, user=user, role=Membership.Role.FACILITATOR).exists():
        return "facilitator"
    if CoachAssignment.objects.filter(team=team, coach=user).exists():
        return "coach"
    return "orgadmin"


@transaction.atomic
def assessment_complete(*, assessment: Assessment, completed_by: AbstractBaseUser) -> Assessment:
    """Locks the assessment once every best practice has a consensus answer."""
    locked = lock(assessment)
    if locked.is_completed:
        raise ValidationError(_("The assessment is already completed."))
    if not locked.in_consensus:
        raise ValidationError(_("Record the consensus answers before completing."))
    missing = [item.code for item in unanswered_items(assessment=locked)]
    if missing:
        # Today's English does not vary with the count ("1 best practices have ..."), so neither do these.
        if len(missing) > 8:
            message = _("%(count)d best practices have no consensus answer yet: %(codes)s and %(more)d more.")
        else:
            message = _("%(count)d best practices have no consensus answer yet: %(codes)s.")
        raise ValidationError(
            message % {"count": len(missing), "codes": ", ".join(missing[:8]), "more": len(missing) - 8}
        )
    locked.status = Assessment.Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.completed_by = completed_by
    attributed(locked, completed_by).save(update_fields=["status", "completed_at", "completed_by"])
    tallies_store(assessment_ids=[locked.pk])
    assessment_completed_notify(assessment=locked)
    return locked


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, reopened_by: AbstractBaseUser, reason: str) -> Assessment:
    locked = lock(assessment)
    if not locked.is_completed:
        raise ValidationError(_("Only a completed assessment can be reopened."))
    reason = within(
        reason, NOTES_MAX_LENGTH, _("The reason is %(length)d characters long; the limit is %(limit)d.")
    )
    if not reason:
        raise ValidationError(_("Say why the assessment is reopened; the reason stays on record."))
    _refuse_a_second_unfinished(locked.team)
    Reopening.objects.create(assessment=locked, reopened_by=reopened_by, reason=reason)
    locked.status = Assessment.Status.CONSENSUS
    locked.completed_at = None
    locked.completed_by = None
    attributed(locked, reopened_by).save(update_fields=["status", "completed_at", "completed_by"])
    tallies_forget(assessment_id=locked.pk)
    return locked
