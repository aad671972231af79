"""What happened to an assessment, read from its history (django-simple-history): status changes, who took
part, every consensus answer and, once they are revealed, every vote; each with who and when, and from
what to what.

Votes stay private until the reveal, and so does their history: before it, no vote entry is read at all.
A fixed number of queries, however long the history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment, Participant, Response, Vote
from drivers import scale

# The fields whose changes the page tells, per model; bookkeeping (revision, updated_at) is left out.
ASSESSMENT_FIELDS = ("status", "held_on", "stage", "version_id")
RESPONSE_FIELDS = ("score", "not_applicable", "na_reason", "evidence")
VOTE_FIELDS = ("answer", "comment")
PARTICIPANT_FIELDS = ("name", "group", "role")


@dataclass(frozen=True)
class Change:
    what: str  # the field, in words
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    who: str  # a name, or "" when no person was recorded (a script, the demo)
    subject: str  # "Assessment", "FA-3", "Participant Ana Ruiz", "Vote of Mark on FA-3"
    item_code: str  # "" for entries not about one item
    action: str  # created, changed, deleted, in words
    changes: tuple[Change, ...]


def assessment_history(*, assessment: Assessment, item_code: str = "") -> list[Entry]:
    """The assessment's history, newest first; only the entries about `item_code` when it is given."""
    codes = dict(assessment.version.best_practices.values_list("pk", "code"))
    item_ids = [pk for pk, code in codes.items() if code == item_code] if item_code else None
    entries: list[Entry] = []
    if not item_code:
        entries += _entries(
            assessment.history.select_related("version"),
            ASSESSMENT_FIELDS,
            lambda record: _("Assessment"),
            lambda record: "",
        )
        entries += _entries(
            Participant.history.filter(assessment_id=assessment.pk),
            PARTICIPANT_FIELDS,
            lambda record: _("Participant %(name)s") % {"name": record.name},
            lambda record: "",
        )
    responses = Response.history.filter(assessment_id=assessment.pk)
    if item_ids is not None:
        responses = responses.filter(item_id__in=item_ids)
    entries += _entries(
        responses,
        RESPONSE_FIELDS,
        lambda record: _("Consensus on %(code)s") % {"code": codes.get(record.item_id, "?")},
        lambda record: codes.get(record.item_id, ""),
    )
    if not assessment.is_open:
        votes = Vote.history.filter(assessment_id=assessment.pk).select_related("member")
        if item_ids is not None:
            votes = votes.filter(item_id__in=item_ids)
        entries += _entries(
            votes,
            VOTE_FIELDS,
            lambda record: (
                _("Vote of %(member)s on %(code)s")
                % {
                    "member": record.member.get_full_name() or record.member.get_username(),
                    "code": codes.get(record.item_id, "?"),
                }
            ),
            lambda record: codes.get(record.item_id, ""),
        )
    return sorted(entries, key=lambda e: e.at, reverse=True)


ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


def _entries(records, fields, subject, item_code) -> list[Entry]:
    """One entry per historical record, with what changed since the record before it of the same row."""
    records = list(records.select_related("history_user").order_by("id", "history_date", "history_id"))
    entries, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        changes = tuple(
            Change(
                what=_field_name(record, field),
                before=_shown(before, field) if before is not None else "",
                after=_shown(record, field),
            )
            for field in fields
            if before is None or getattr(before, field) != getattr(record, field)
        )
        previous[record.id] = record
        if record.history_type == "~" and not changes:
            continue  # only bookkeeping changed (a revision number, a timestamp)
        user = record.history_user
        entries.append(
            Entry(
                at=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "",
                subject=subject(record),
                item_code=item_code(record),
                action=str(ACTIONS[record.history_type]),
                changes=changes if record.history_type != "-" else (),
            )
        )
    return entries


def _field_name(record, field: str) -> str:
    name = field.removesuffix("_id")
    return str(record.instance_type._meta.get_field(name).verbose_name).capitalize()


def _shown(record, field: str) -> str:
    """A field's value in words: labels for choices and scores, the text otherwise."""
    value = getattr(record, field)
    if field == "score":
        return "" if value is None else str(scale.SCORE_LABELS[value])
    if field == "not_applicable":
        return _("yes") if value else _("no")
    if field == "version_id":
        return f"v{record.version.number}" if value else ""
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")  # as the pages write dates
    display = getattr(record, f"get_{field}_display", None)
    if display is not None:
        return str(display())
    return "" if value is None else str(value)
