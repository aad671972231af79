"""Writing a team's action plan: its actions, their status and their progress notes.

An action answers the results of one of the team's assessments: a completed one, or one in consensus (a
team often drafts its actions at the end of the meeting, before the last answers are in); an assessment
still open for votes has no results to answer. Its items are best practices of that assessment's version
and of the action's driver; its owner is a member of the team (facilitator or member, with an active
account) or a named person without an account, never both. A rule broken raises a ValidationError keyed
by the field, and nothing is written. Every write goes through `save()`, so the history records it.

The owner is told by e-mail when an action is given to them (on creation, and when the owner changes),
after the transaction commits. The mail always goes (it is not one of the e-mails a person can turn off),
except to the person who assigned it to themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.actions.models import ActionItem, ProgressNote
from assessments.actions.selectors.plan import PLANNABLE
from assessments.models import Assessment, Membership, Team
from drivers.models import BestPractice, Driver


def _source_errors(
    *, team: Team, assessment: Assessment, driver: Driver, items: list[BestPractice]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if assessment.team_id != team.pk:
        errors["assessment"] = [_("This assessment is not one of %(team)s's.") % {"team": team.name}]
        return errors
    if assessment.status not in PLANNABLE:
        errors["assessment"] = [
            _("This assessment is still open for votes: plan actions once its results are in.")
        ]
    if driver.version_id != assessment.version_id:
        errors["driver"] = [
            _("%(driver)s is not a driver of this assessment's version.") % {"driver": driver.name}
        ]
        return errors
    wrong = []
    for item in items:
        if item.version_id != assessment.version_id:
            wrong.append(
                _("%(code)s is not a best practice of this assessment's version.") % {"code": item.code}
            )
        elif item.driver_id != driver.pk:
            wrong.append(
                _("%(code)s is not a best practice of %(driver)s.")
                % {"code": item.code, "driver": driver.name}
            )
    if wrong:
        errors["items"] = wrong
    return errors


def _owner_errors(*, team: Team, owner: AbstractBaseUser | None, owner_name: str) -> dict[str, list[str]]:
    if owner is not None and owner_name:
        return {"owner_name": [_("Choose a team member or name someone without an account, not both.")]}
    if owner is None and not owner_name:
        return {"owner": [_("Say who owns the action: a team member, or someone without an account.")]}
    if owner is not None and not (
        owner.is_active and Membership.objects.filter(team_id=team.pk, user_id=owner.pk).exists()
    ):
        return {
            "owner": [
                _(
                    "%(person)s is not a member of %(team)s: choose one of its members, or name someone "
                    "without an account."
                )
                % {"person": owner.get_full_name() or owner.get_username(), "team": team.name}
            ]
        }
    return {}


def _due_errors(*, assessment: Assessment, due_on: datetime.date | None) -> dict[str, list[str]]:
    if due_on is not None and due_on < assessment.held_on:
        return {
            "due_on": [
                _("The due date is before the assessment (%(date)s); give a date on or after it.")
                % {"date": date_format(assessment.held_on, "j F Y")}
            ]
        }
    return {}


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _refuse_wrong(team, assessment, driver, items, owner, owner_name, due_on) -> None:
    """Every rule across rows (where the action comes from, who owns it, when it is due), all problems at
    once, keyed by field; nothing is written when any is broken."""
    _refuse(
        _source_errors(team=team, assessment=assessment, driver=driver, items=items)
        | _owner_errors(team=team, owner=owner, owner_name=owner_name)
        | _due_errors(assessment=assessment, due_on=due_on)
    )


def _checked(action: ActionItem) -> None:
    """The row's own rules (lengths, a title, the constraints), keyed by field; the relations were checked."""
    action.full_clean(exclude=["team", "assessment", "driver", "owner", "created_by"])


@transaction.atomic
def action_create(
    *,
    team: Team,
    assessment: Assessment,
    driver: Driver,
    items: Iterable[BestPractice],
    title: str,
    details: str = "",
    owner: AbstractBaseUser | None = None,
    owner_name: str = "",
    due_on: datetime.date | None = None,
    by: AbstractBaseUser,
) -> ActionItem:
    items = list(items)
    owner_name = owner_name.strip()
    _refuse_wrong(team, assessment, driver, items, owner, owner_name, due_on)
    action = ActionItem(
        team=team,
        assessment=assessment,
        driver=driver,
        title=title.strip(),
        details=details.strip(),
        owner=owner,
        owner_name=owner_name,
        due_on=due_on,
        created_by=by,
    )
    _checked(action)
    action.save()
    action.items.set(items)
    if owner is not None:
        _owner_notify(action=action, by=by)
    return action


@transaction.atomic
def action_update(
    *,
    action: ActionItem,
    items: Iterable[BestPractice],
    title: str,
    details: str = "",
    owner: AbstractBaseUser | None = None,
    owner_name: str = "",
    due_on: datetime.date | None = None,
    by: AbstractBaseUser,
) -> ActionItem:
    """Changes what an action is; its team, assessment and driver stay (the loop reads its items' answers
    in that assessment)."""
    locked = (
        ActionItem.objects.select_for_update()
        .select_related("team", "assessment", "driver")
        .get(pk=action.pk)
    )
    items = list(items)
    owner_name = owner_name.strip()
    _refuse_wrong(locked.team, locked.assessment, locked.driver, items, owner, owner_name, due_on)
    new_owner = owner is not None and owner.pk != locked.owner_id
    locked.title, locked.details = title.strip(), details.strip()
    locked.owner, locked.owner_name, locked.due_on = owner, owner_name, due_on
    _checked(locked)
    locked.save()
    locked.items.set(items)
    if new_owner:
        _owner_notify(action=locked, by=by)
    return locked


@transaction.atomic
def action_set_status(
    *, action: ActionItem, status: str, dropped_reason: str = "", by: AbstractBaseUser
) -> ActionItem:
    """Moves an action to a status: done records the day, dropped needs a reason (kept only while dropped)."""
    locked = ActionItem.objects.select_for_update().get(pk=action.pk)
    dropped_reason = dropped_reason.strip()
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": [_("Choose planned, in progress, done or dropped.")]})
    if status == ActionItem.Status.DROPPED and not dropped_reason:
        raise ValidationError({"dropped_reason": [_("Say why the action is dropped.")]})
    if status == ActionItem.Status.DONE and locked.status != ActionItem.Status.DONE:
        locked.done_on = timezone.localdate()
    elif status != ActionItem.Status.DONE:
        locked.done_on = None
    locked.status = status
    locked.dropped_reason = dropped_reason if status == ActionItem.Status.DROPPED else ""
    _checked(locked)
    locked.save()
    return locked


@transaction.atomic
def progress_note_add(
    *, action: ActionItem, text: str, written_on: datetime.date, by: AbstractBaseUser
) -> ProgressNote:
    """A dated line of what happened; a note tells what has happened, so it is not dated in the future."""
    if written_on > timezone.localdate():
        raise ValidationError({"written_on": [_("A note tells what happened: date it today or earlier.")]})
    note = ProgressNote(action=action, text=text.strip(), written_on=written_on, author=by)
    note.full_clean(exclude=["action", "author"])
    note.save()
    return note


def _owner_notify(*, action: ActionItem, by: AbstractBaseUser) -> None:
    if action.owner_id == by.pk:
        return  # one's own assignment needs no mail
    transaction.on_commit(lambda: _send_assignment(action_id=action.pk, by=by), robust=True)


def _send_assignment(*, action_id: int, by: AbstractBaseUser) -> None:
    # The action is read again once committed, in a transaction of its own (every service query stays in
    # one); the mail server is talked to after it.
    with transaction.atomic():
        action = (
            ActionItem.objects.select_related("team", "owner", "assessment")
            .prefetch_related("items")
            .get(pk=action_id)
        )
        owner = action.owner
        if owner is None or not owner.is_active or not owner.email:
            return
        link = reverse(
            "assessments:action_detail", kwargs={"team_id": action.team_id, "action_id": action.pk}
        )
        context = {
            "action": action,
            "team": action.team,
            "person": owner,
            "assigned_by": by.get_full_name() or by.get_username(),
            "codes": ", ".join(item.code for item in action.items.all()),
            "url": f"{settings.SITE_URL}{link}",
        }
        subject = " ".join(render_to_string("email/action_assigned_subject.txt", context).split())
        body = render_to_string("email/action_assigned_body.txt", context)
    EmailMessage(subject, body, to=[owner.email]).send()
