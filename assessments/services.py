"""Everything that changes a team or an assessment. Views call these; each is one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from assessments.models import (
    COMMENT_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    Assessment,
    Membership,
    Participant,
    Reopening,
    Response,
    Team,
    Vote,
)
from drivers.models import BestPractice, FrameworkVersion


class StaleResponse(Exception):
    """Someone saved this consensus answer since the editor loaded it; their answer is kept."""

    def __init__(self, current: Response):
        self.current = current
        super().__init__(f"{current.item.code} was changed by {current.recorded_by} meanwhile.")


@dataclass(frozen=True)
class ParticipantEntry:
    name: str
    group: str
    role: str = ""


# Teams and members


@transaction.atomic
def membership_add(*, team: Team, identifier: str, role: str) -> Membership:
    """Adds an existing user, found by username or email, to the team (or changes their role)."""
    identifier = identifier.strip()
    users = get_user_model().objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
    found = list(users[:2])
    if not found:
        raise ValidationError(
            f"No user has the username or email {identifier!r}. Ask an admin to create the account."
        )
    if len(found) > 1:
        raise ValidationError(f"More than one user matches {identifier!r}; use the username.")
    membership, _ = Membership.objects.update_or_create(team=team, user=found[0], defaults={"role": role})
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if membership.is_facilitator and role != Membership.Role.FACILITATOR:
        _keep_one_facilitator(membership)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.is_facilitator:
        _keep_one_facilitator(membership)
    membership.delete()


def _keep_one_facilitator(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(team_id=membership.team_id, role=Membership.Role.FACILITATOR)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError("A team needs at least one facilitator; make someone else facilitator first.")


# Assessments


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
        raise ValidationError("Assessments start on a published framework version.")
    assessment = Assessment(team=team, version=version, held_on=held_on, stage=stage, created_by=started_by)
    assessment.full_clean()
    assessment.save()
    Participant.objects.bulk_create(
        Participant(assessment=assessment, name=p.name, group=p.group, role=p.role) for p in participants
    )
    return assessment


@transaction.atomic
def participants_replace(*, assessment: Assessment, participants: list[ParticipantEntry]) -> None:
    locked = _lock(assessment)
    if locked.is_completed:
        raise ValidationError("The assessment is completed; reopen it to change who took part.")
    locked.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(assessment=locked, name=p.name, group=p.group, role=p.role) for p in participants
    )


def _within(text: str, limit: int, what: str) -> str:
    text = text.strip()
    if len(text) > limit:
        raise ValidationError(f"The {what} is {len(text)} characters long; the limit is {limit}.")
    return text


def _lock(assessment: Assessment) -> Assessment:
    """The assessment row, locked until the transaction ends: status changes and saves queue behind it."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _item_of(assessment: Assessment, item_code: str) -> BestPractice:
    item = BestPractice.objects.filter(version_id=assessment.version_id, code=item_code).first()
    if item is None:
        raise ValidationError(f"{item_code!r} is not a best practice of this assessment's version.")
    return item


@transaction.atomic
def vote_record(
    *, assessment: Assessment, member: AbstractBaseUser, item_code: str, answer: str, comment: str = ""
) -> Vote:
    """Saves (or changes) a member's vote. The same post twice leaves one vote."""
    locked = _lock(assessment)
    if not locked.is_open:
        raise ValidationError("Voting has closed: the votes of this assessment have been revealed.")
    if answer not in Vote.Answer.values:
        raise ValidationError(f"{answer!r} is not an answer; choose 2, 1, 0 or don't know.")
    comment = _within(comment, COMMENT_MAX_LENGTH, "comment")
    item = _item_of(locked, item_code)
    vote, _ = Vote.objects.update_or_create(
        assessment=locked, item=item, member=member, defaults={"answer": answer, "comment": comment}
    )
    return vote


@transaction.atomic
def assessment_reveal_votes(*, assessment: Assessment) -> Assessment:
    """Closes voting and shows every vote to the team: the consensus discussion starts."""
    locked = _lock(assessment)
    if not locked.is_open:
        raise ValidationError("Votes are already revealed.")
    locked.status = Assessment.Status.CONSENSUS
    locked.save(update_fields=["status"])
    return locked


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
    locked = _lock(assessment)
    if locked.is_completed:
        raise ValidationError("The assessment is completed; reopen it to change an answer.")
    if not locked.in_consensus:
        raise ValidationError("Reveal the votes (or start consensus) before recording consensus answers.")
    item = _item_of(locked, item_code)
    if score not in (None, 0, 1, 2):
        raise ValidationError(f"{score!r} is not a score; choose 2, 1, 0 or N/A.")
    if revision < 0:
        raise ValidationError(f"{revision!r} is not a revision of this answer; reload the page.")
    not_applicable = score is None
    na_reason = _within(na_reason, COMMENT_MAX_LENGTH, "reason") if not_applicable else ""
    if not_applicable and not na_reason:
        raise ValidationError("Say why this best practice does not apply; N/A needs a reason.")
    fields = {
        "score": score,
        "not_applicable": not_applicable,
        "na_reason": na_reason,
        "evidence": _within(evidence, NOTES_MAX_LENGTH, "evidence note"),
        "recorded_by": recorded_by,
        "updated_at": timezone.now(),
    }
    if revision == 0:
        try:
            with transaction.atomic():
                return Response.objects.create(assessment=locked, item=item, revision=1, **fields)
        except IntegrityError:
            raise StaleResponse(_current(locked, item)) from None
    changed = Response.objects.filter(assessment=locked, item=item, revision=revision).update(
        revision=F("revision") + 1, **fields
    )
    if not changed:
        raise StaleResponse(_current(locked, item))
    return _current(locked, item)


def _current(assessment: Assessment, item: BestPractice) -> Response:
    return Response.objects.select_related("item", "recorded_by").get(assessment=assessment, item=item)


@transaction.atomic
def assessment_complete(*, assessment: Assessment, completed_by: AbstractBaseUser) -> Assessment:
    """Locks the assessment once every best practice has a consensus answer."""
    locked = _lock(assessment)
    if locked.is_completed:
        raise ValidationError("The assessment is already completed.")
    if not locked.in_consensus:
        raise ValidationError("Record the consensus answers before completing.")
    missing = (
        BestPractice.objects.filter(version_id=locked.version_id)
        .exclude(pk__in=Response.objects.filter(assessment=locked).values("item_id"))
        .order_by("driver__category__order", "driver__order", "order")
        .values_list("code", flat=True)
    )
    missing = list(missing)
    if missing:
        listed = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        raise ValidationError(f"{len(missing)} best practices have no consensus answer yet: {listed}.")
    locked.status = Assessment.Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.completed_by = completed_by
    locked.save(update_fields=["status", "completed_at", "completed_by"])
    return locked


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, reopened_by: AbstractBaseUser, reason: str) -> Assessment:
    locked = _lock(assessment)
    if not locked.is_completed:
        raise ValidationError("Only a completed assessment can be reopened.")
    reason = _within(reason, NOTES_MAX_LENGTH, "reason")
    if not reason:
        raise ValidationError("Say why the assessment is reopened; the reason stays on record.")
    Reopening.objects.create(assessment=locked, reopened_by=reopened_by, reason=reason)
    locked.status = Assessment.Status.CONSENSUS
    locked.completed_at = None
    locked.completed_by = None
    locked.save(update_fields=["status", "completed_at", "completed_by"])
    return locked
