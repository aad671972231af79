"""One organization (or every one) as a single file: what `export_organization` writes and
`import_organization` restores (implhub/restore.py) into a database that holds none of it (docs/backup.md).

The file is JSON (gzip when its name ends in .gz): a header (format version, the schema it was written
with, the implhub version, when, what it holds), the content versions its assessments use as content
files (drivers/content_file.py), and the rows, in Django's serialization, with their history rows.

Rows keep their primary keys, so that history rows (which name rows by id) and the ids inside Seen keys and
reminder digests stay right; a database that already holds one of those ids is refused. Content is the one
exception: it is loaded from the file's content versions (or found already loaded, unchanged), and rows
name a version, driver or best practice by its natural key (framework slug, version number, code).
"""

from __future__ import annotations

import datetime
import gzip
import importlib.metadata
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.actions.models import ActionItem, Comment, ProgressNote, ReminderDigest, Seen, Target
from assessments.models import (
    Assessment,
    CoachAssignment,
    DriverTally,
    EarlierAnswer,
    Invitation,
    Membership,
    Organization,
    OrganizationMembership,
    Participant,
    Profile,
    Reopening,
    Response,
    Team,
    Upgrade,
    Vote,
)
from assessments.reports.queue import Kind
from drivers.content_file import ContentFileError, parse_content, version_document
from drivers.models import BestPractice, Driver, FrameworkVersion

FORMAT = "implhub-backup"
FORMAT_VERSION = 1

User = get_user_model()

# The organization's rows in the order they load, each with the column that ties it to the organization
# and the set of ids (of `_scope`) that column is in. A model's history rows are tied by the same column,
# so the history of rows deleted since (a vote changed, a member removed) comes along.
TIED: tuple[tuple[type[models.Model], str, str], ...] = (
    (Organization, "pk", "organizations"),
    (OrganizationMembership, "organization_id", "organizations"),
    (Team, "pk", "teams"),
    (Membership, "team_id", "teams"),
    (CoachAssignment, "team_id", "teams"),
    (Invitation, "team_id", "teams"),
    (Assessment, "team_id", "teams"),
    (Participant, "assessment_id", "assessments"),
    (Reopening, "assessment_id", "assessments"),
    (Vote, "assessment_id", "assessments"),
    (Response, "assessment_id", "assessments"),
    (Upgrade, "assessment_id", "assessments"),
    (EarlierAnswer, "upgrade__assessment_id", "assessments"),
    (ActionItem, "team_id", "teams"),
    (ActionItem.items.through, "actionitem_id", "actions"),
    (ProgressNote, "action_id", "actions"),
    (Target, "team_id", "teams"),
    (Comment, "team_id", "teams"),
)
# The people's own rows, carried for the users the file carries.
PERSONAL: tuple[type[models.Model], ...] = (Profile, Seen, ReminderDigest)
# Rows a file leaves out because they are summed again from the answers on restore (implhub/restore.py).
DERIVED: tuple[type[models.Model], ...] = (DriverTally,)
# What rows name by natural key rather than by id (content loads with ids of its own).
CONTENT: tuple[type[models.Model], ...] = (FrameworkVersion, Driver, BestPractice)


def _history_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The model's history table, then the tables hanging off it (the history of an action's items)."""
    history = getattr(model, "history", None)
    if history is None:
        return []
    return [history.model, *_hanging_off(history.model)]


def _hanging_off(history: type[models.Model]) -> list[type[models.Model]]:
    return [relation.related_model for relation in history._meta.related_objects]


HISTORY = tuple(history for model, _column, _ids in TIED for history in _history_models(model))
# The model whose rows a history table records (by the id of the row).
HISTORY_OF = {model.history.model: model for model, _column, _ids in TIED if hasattr(model, "history")}
# Every model a file holds, in load order (foreign keys are checked at the end, so this is for clarity).
LOAD_ORDER = (User, *PERSONAL, *(model for model, _column, _ids in TIED), *HISTORY)
MODELS = {model._meta.label_lower: model for model in LOAD_ORDER}

# A Seen key and a reminder digest entry name what they are about by id: the set of ids it belongs to.
SEEN_KINDS = {
    Kind.OVERDUE: "actions",
    Kind.CONSENSUS: "assessments",
    Kind.DUE: "teams",
    Kind.FELL: "assessments",
    Kind.APART: "assessments",
    Kind.COMMENT: "comments",
}
DIGEST_REFERENCES = {"assessment": "assessments", "action": "actions", "team": "teams"}


class BackupError(Exception):
    """A file that cannot be restored, or an export that cannot be made: the message says why."""


@dataclass(frozen=True)
class Summary:
    organizations: list[str]
    people: int
    rows: int  # all of them, history included
    history_rows: int
    versions: list[str]
    older_schema: tuple[str, ...] = ()  # apps whose schema moved on since the file was written


# Exporting


def export_backup(*, path: Path | str, organization_id: int | None) -> Summary:
    """Writes one organization (or, with None, every organization, every user and every published version)
    to `path`, read in one snapshot of the database. The file appears whole or not at all."""
    path = Path(path)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # Every table read as of one moment, while people go on working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        document = _document(organization_id)
    text = json.dumps(document, cls=_Encoder, ensure_ascii=False)
    partial = path.with_name(path.name + ".partial")
    try:
        if path.name.endswith(".gz"):
            with gzip.open(partial, "wt", encoding="utf-8") as stream:
                stream.write(text)
        else:
            partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(_("Cannot write %(path)s: %(error)s") % {"path": path, "error": exc}) from None
    return summary_of(document)


class _Encoder(DjangoJSONEncoder):
    """Times to the microsecond (DjangoJSONEncoder keeps milliseconds): history is ordered by them."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _document(organization_id: int | None) -> dict[str, Any]:
    everything = organization_id is None
    if not everything and not Organization.objects.filter(pk=organization_id).exists():
        raise BackupError(_("There is no organization with id %(id)s.") % {"id": organization_id})
    scope = None if everything else _scope(organization_id)
    rows = {}
    for model, column, ids in TIED:
        rows[model] = _serialize(_scoped(model, column, ids, scope))
        history = getattr(model, "history", None)
        if history is not None:
            rows[history.model] = _serialize(_scoped(history.model, column, ids, scope))
            for hanging in _hanging_off(history.model):
                parents = _scoped(history.model, column, ids, scope)
                rows[hanging] = _serialize(hanging.objects.filter(history__in=parents))
    users = User.objects.all() if everything else User.objects.filter(pk__in=_referenced_users(rows))
    rows[User] = _serialize(users)
    user_ids = [row["pk"] for row in rows[User]]
    for model in PERSONAL:
        rows[model] = _serialize(model.objects.filter(user_id__in=user_ids))
    if scope is not None:
        _keep_to_scope(rows, scope)
    versions = _content_to_natural_keys(rows, everything=everything)
    ordered = [row for model in LOAD_ORDER for row in rows[model]]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "implhub_version": _implhub_version(),
        "schema": schema_state(),
        "contains": {
            "scope": "all" if everything else "organization",
            "organizations": [row["fields"]["name"] for row in rows[Organization]],
            "people": len(rows[User]),
            "content_versions": [f"{v.framework.slug} v{v.number}" for v in versions],
            "rows": {model._meta.label_lower: len(rows[model]) for model in LOAD_ORDER},
        },
        "content": [_content_document(version) for version in versions],
        "rows": ordered,
    }


def _scope(organization_id: int) -> dict[str, set[int]]:
    """The ids of what belongs to the organization. Assessments and actions deleted since are known by
    their history, so that their history rows come along."""
    teams = set(Team.objects.filter(organization_id=organization_id).values_list("pk", flat=True))

    def ever(model: type[models.Model]) -> set[int]:
        live = model.objects.filter(team_id__in=teams).values_list("pk", flat=True)
        gone = model.history.filter(team_id__in=teams).values_list("id", flat=True)
        return {*live, *gone}

    return {
        "organizations": {organization_id},
        "teams": teams,
        "assessments": ever(Assessment),
        "actions": ever(ActionItem),
        "comments": set(Comment.objects.filter(team_id__in=teams).values_list("pk", flat=True)),
    }


def _scoped(model, column: str, ids: str, scope: dict[str, set[int]] | None) -> models.QuerySet:
    queryset = model._default_manager.all()
    if scope is None:
        return queryset
    return queryset.filter(**{f"{column}__in": scope[ids]})


def _serialize(queryset: models.QuerySet) -> list[dict[str, Any]]:
    """Rows in Django's serialization, without many-to-many values: the rows of an action's items are a
    table of the file's own, and users' groups and permissions are not carried (implhub uses none)."""
    fields = [field.name for field in queryset.model._meta.local_fields]
    return serializers.serialize("python", queryset.order_by("pk"), fields=fields)


def foreign_keys(model: type[models.Model], targets: tuple[type[models.Model], ...]) -> list[tuple[str, Any]]:
    return [
        (field.name, field.related_model)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in targets
    ]


def _referenced_users(rows: dict[type[models.Model], list[dict]]) -> set[int]:
    """Everyone a row names, history rows included (who made each change), so that pages read the same."""
    return {
        row["fields"][name]
        for model, model_rows in rows.items()
        for name, _model in foreign_keys(model, (User,))
        for row in model_rows
        if row["fields"][name] is not None
    }


def _keep_to_scope(rows: dict[type[models.Model], list[dict]], scope: dict[str, set[int]]) -> None:
    """One organization's file says nothing of other organizations: its people's sign-in secrets are carried
    (not those of others a row names, such as site staff), site-wide staff rights are not, and Seen marks
    and reminder digests keep only what is about this organization."""
    people = {row["fields"]["user"] for row in rows[OrganizationMembership]}
    for row in rows[User]:
        row["fields"].update(is_staff=False, is_superuser=False)
        if row["pk"] not in people:
            row["fields"]["password"] = UNUSABLE_PASSWORD_PREFIX

    def about_scope(ids: str | None, raw_id: Any) -> bool:
        return ids is not None and str(raw_id).isdigit() and int(raw_id) in scope[ids]

    def seen_in_scope(key: str) -> bool:
        kind, _colon, rest = key.partition(":")
        return about_scope(SEEN_KINDS.get(kind), rest.split(":")[0])

    rows[Seen] = [row for row in rows[Seen] if seen_in_scope(row["fields"]["key"])]
    digests = []
    for row in rows[ReminderDigest]:
        entries = [
            entry
            for entry in row["fields"]["entries"]
            if any(about_scope(ids, entry.get(name)) for name, ids in DIGEST_REFERENCES.items())
        ]
        if entries:
            digests.append({**row, "fields": {**row["fields"], "entries": entries}})
    rows[ReminderDigest] = digests


def _content_to_natural_keys(rows: dict[type[models.Model], list[dict]], *, everything: bool) -> list:
    """Names content in the rows by natural key ([slug, number] of a version, [slug, number, code] of a
    driver or best practice); returns the versions named, with those they are based on, in load order
    (every version but drafts when the file holds everything)."""
    references = [
        (model_rows, name, target)
        for model, model_rows in rows.items()
        for name, target in foreign_keys(model, CONTENT)
    ]
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for model_rows, name, target in references:
        wanted[target].update(row["fields"][name] for row in model_rows if row["fields"][name] is not None)
    keys: dict[tuple[type[models.Model], int], list] = {}
    version_ids: set[int] = set()
    for target, ids in wanted.items():
        for pk, version_id, *key in target.objects.filter(pk__in=ids).values_list(
            "pk", *natural_key_fields(target)
        ):
            keys[target, pk] = key
            version_ids.add(version_id)
    for model_rows, name, target in references:
        for row in model_rows:
            if row["fields"][name] is not None:
                row["fields"][name] = keys[target, row["fields"][name]]
    return _with_ancestors(None if everything else version_ids)


def _content_document(version: FrameworkVersion) -> dict[str, Any]:
    """The version as a content file, checked as the import will check it: a backup that could not be
    restored is refused when it is made, not found out when it is needed."""
    document = version_document(version)
    try:
        parse_content(json.dumps(document), source=str(version))
    except ContentFileError as exc:
        raise BackupError(
            _(
                "%(version)s cannot be written as a content file (%(entry)s: %(problem)s), so the backup "
                "could not be restored; nothing was written."
            )
            % {"version": version, "entry": exc.entry, "problem": exc.problem}
        ) from None
    return document


def natural_key_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The version's id, then the natural key."""
    if model is FrameworkVersion:
        return ("pk", "framework__slug", "number")
    return ("version_id", "version__framework__slug", "version__number", "code")


def _with_ancestors(version_ids: set[int] | None) -> list[FrameworkVersion]:
    """The versions (with None, every version but drafts) and the versions they are based on, each after
    its base: a version's content file names its lineage by the codes of its base, which loads first.
    Drafts are work in progress on the content, which no assessment uses: half-written, one could not be
    loaded back, and would stop the backup of everything else."""
    every = {version.pk: version for version in FrameworkVersion.objects.select_related("framework")}
    ordered: list[FrameworkVersion] = []

    def place(version: FrameworkVersion) -> None:
        if version not in ordered:
            if version.based_on_id:
                place(every[version.based_on_id])
            ordered.append(version)

    if version_ids is None:
        version_ids = {pk for pk, version in every.items() if not version.is_draft}
    chosen = [every[pk] for pk in version_ids]
    for version in sorted(chosen, key=lambda v: (v.framework.slug, v.number)):
        place(version)
    return ordered


def schema_state() -> dict[str, str]:
    """The latest applied migration of each app: what the schema of this database is."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
        latest[app] = name
    return dict(sorted(latest.items()))


def _implhub_version() -> str | None:
    try:
        return importlib.metadata.version("implhub")
    except importlib.metadata.PackageNotFoundError:
        return None


def summary_of(document: dict[str, Any], older_schema: tuple[str, ...] = ()) -> Summary:
    """What a (checked) file holds, counted from its rows."""
    rows = document["rows"]
    return Summary(
        organizations=[row["fields"]["name"] for row in rows if row["model"] == "assessments.organization"],
        people=sum(row["model"] == User._meta.label_lower for row in rows),
        rows=len(rows),
        history_rows=sum(MODELS[row["model"]] in HISTORY for row in rows),
        versions=[f"{c['framework']['slug']} v{c['version']['number']}" for c in document["content"]],
        older_schema=older_schema,
    )
