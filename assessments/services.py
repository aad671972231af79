"""Everything that changes a team or an assessment. Views call these; each is one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
from assessments.selectors import team_unfinished_assessment, unanswered_items
from drivers import scale
from drivers.models import BestPractice, FrameworkVersion


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
            _("No user has the username or email %(identifier)s. Ask an admin to create the account.")
            % {"identifier": repr(identifier)}
        )
    if len(found) > 1:
        raise ValidationError(
            _("More than one user matches %(identifier)s; use the username.")
            % {"identifier": repr(identifier)}
        )
    membership, _created = Membership.objects.update_or_create(
        team=team, user=found[0], defaults={"role": role}
    )
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """Changes a member's role; the model refuses to demote a team's last facilitator."""
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Removes a member; the model refuses to remove a team's last facilitator."""
    membership.delete()


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
        raise ValidationError(_("Assessments start on a published framework version."))
    _refuse_a_second_unfinished(team)
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
        raise ValidationError(_("The assessment is completed; reopen it to change who took part."))
    locked.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(assessment=locked, name=p.name, group=p.group, role=p.role) for p in participants
    )


def _within(text: str, limit: int, too_long: str) -> str:
    """The text without surrounding blanks, or ValidationError(`too_long`), a message with the
    placeholders %(length)d and %(limit)d."""
    text = text.strip()
    if len(text) > limit:
        raise ValidationError(too_long % {"length": len(text), "limit": limit})
    return text


def _lock(assessment: Assessment) -> Assessment:
    """The assessment row, locked until the transaction ends: status changes and saves queue behind it."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _item_of(assessment: Assessment, item_code: str) -> BestPractice:
    item = (
        BestPractice.objects.filter(version_id=assessment.version_id, code=item_code)
        .select_related("driver")
        .first()
    )
    if item is None:
        raise ValidationError(_not_an_item(item_code))
    return item


def _not_an_item(item_code: str) -> str:
    return _("%(code)s is not a best practice of this assessment's version.") % {"code": repr(item_code)}


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
        vote = Vote(assessment=locked, item=_item_of(locked, item_code), member=member)
    vote.answer, vote.comment = answer, comment
    vote.save()  # through the model, so an audit history sees every change
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
                raise ValidationError(_not_an_item(code))
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
        elif (vote.answer, vote.comment) != (answer, comment):
            vote.answer, vote.comment, vote.updated_at = answer, comment, now
            changed.append(vote)
    Vote.objects.bulk_create(new)
    Vote.objects.bulk_update(changed, ["answer", "comment", "updated_at"])


def _lock_for_voting(assessment: Assessment) -> Assessment:
    locked = _lock(assessment)
    if not locked.is_open:
        raise ValidationError(_("Voting has closed: the votes of this assessment have been revealed."))
    return locked


def _checked_vote(answer: str, comment: str) -> str:
    """The comment as stored, or ValidationError for an answer outside the scale or a comment too long."""
    if answer not in Vote.Answer.values:
        raise ValidationError(
            _("%(answer)s is not an answer; choose 2, 1, 0 or don't know.") % {"answer": repr(answer)}
        )
    return _within(
        comment, COMMENT_MAX_LENGTH, _("The comment is %(length)d characters long; the limit is %(limit)d.")
    )


@transaction.atomic
def assessment_reveal_votes(*, assessment: Assessment) -> Assessment:
    """Closes voting and shows every vote to the team: the consensus discussion starts."""
    locked = _lock(assessment)
    if not locked.is_open:
        raise ValidationError(_("Votes are already revealed."))
    locked.status = Assessment.Status.CONSENSUS
    locked.revealed_at = timezone.now()
    locked.save(update_fields=["status", "revealed_at"])
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
        _within(
            na_reason,
            COMMENT_MAX_LENGTH,
            _("The reason is %(length)d characters long; the limit is %(limit)d."),
        )
        if not_applicable
        else ""
    )
    if not_applicable and not na_reason:
        raise ValidationError(_("Say why this best practice does not apply; N/A needs a reason."))
    evidence = _within(
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
        item = _item_of(locked, item_code)
        if revision != 0:
            raise ValidationError(_("This answer is no longer what you loaded; reload the page to see it."))
        response = Response(assessment=locked, item=item, revision=0)
    elif response.revision != revision:
        raise StaleResponse(response)
    response.score, response.not_applicable, response.na_reason = score, not_applicable, na_reason
    response.evidence, response.recorded_by = evidence, recorded_by
    response.revision += 1
    response.save()  # through the model, so an audit history sees every change
    return response


@transaction.atomic
def assessment_complete(*, assessment: Assessment, completed_by: AbstractBaseUser) -> Assessment:
    """Locks the assessment once every best practice has a consensus answer."""
    locked = _lock(assessment)
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
    locked.save(update_fields=["status", "completed_at", "completed_by"])
    return locked


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, reopened_by: AbstractBaseUser, reason: str) -> Assessment:
    locked = _lock(assessment)
    if not locked.is_completed:
        raise ValidationError(_("Only a completed assessment can be reopened."))
    reason = _within(
        reason, NOTES_MAX_LENGTH, _("The reason is %(length)d characters long; the limit is %(limit)d.")
    )
    if not reason:
        raise ValidationError(_("Say why the assessment is reopened; the reason stays on record."))
    _refuse_a_second_unfinished(locked.team)
    Reopening.objects.create(assessment=locked, reopened_by=reopened_by, reason=reason)
    locked.status = Assessment.Status.CONSENSUS
    locked.completed_at = None
    locked.completed_by = None
    locked.save(update_fields=["status", "completed_at", "completed_by"])
    return locked
