"""One organization (or every one) as a single file, and back: what `export_organization` writes and
`import_organization` restores into a database that holds none of it (docs/backup.md).

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
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assessments.actions.models import ActionItem, Comment, ProgressNote, ReminderDigest, Seen, Target
from assessments.models import (
    Assessment,
    CoachAssignment,
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
from drivers.content_file import ContentFileError, load_content, parse_content, version_document
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


def _history_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The model's history table, then the tables hanging off it (the history of an action's items)."""
    history = getattr(model, "history", None)
    if history is None:
        return []
    return [history.model, *(rel.related_model for rel in history.model._meta.related_objects)]


HISTORY = tuple(history for model, _column, _ids in TIED for history in _history_models(model))
# Every model a file holds, in load order (foreign keys are checked at the end, so this is for clarity).
LOAD_ORDER = (User, PERSONAL[0], *(model for model, _column, _ids in TIED), *PERSONAL[1:], *HISTORY)
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


# Writing


def export_backup(*, path: Path | str, organization_id: int | None) -> Summary:
    """Writes one organization (or, with None, every organization, every user and every content version)
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
    return _summary(document)


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
    rows = {model: _rows(model, column, ids, scope) for model, column, ids in TIED}
    for model, column, ids in TIED:
        for history in _history_models(model):
            if history._meta.pk.name == "history_id":
                rows[history] = _rows(history, column, ids, scope)
            else:  # hangs off the history rows just read
                parent = history._meta.get_field("history").related_model
                rows[history] = _serialize(
                    history.objects.filter(history_id__in=[r["pk"] for r in rows[parent]])
                )
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
        "content": [version_document(version) for version in versions],
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


def _rows(model, column: str, ids: str, scope: dict[str, set[int]] | None) -> list[dict[str, Any]]:
    queryset = model._default_manager.all()
    if scope is not None:
        queryset = queryset.filter(**{f"{column}__in": scope[ids]})
    return _serialize(queryset)


def _serialize(queryset: models.QuerySet) -> list[dict[str, Any]]:
    """Rows in Django's serialization, without many-to-many values: the rows of an action's items are a
    table of the file's own, and users' groups and permissions are not carried (implhub uses none)."""
    fields = [field.name for field in queryset.model._meta.local_fields]
    return serializers.serialize("python", queryset.order_by("pk"), fields=fields)


def _foreign_keys(
    model: type[models.Model], targets: tuple[type[models.Model], ...]
) -> list[tuple[str, Any]]:
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
        for name, _model in _foreign_keys(model, (User,))
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
            row["fields"]["password"] = make_password(None)

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


CONTENT: tuple[type[models.Model], ...] = (FrameworkVersion, Driver, BestPractice)


def _content_to_natural_keys(rows: dict[type[models.Model], list[dict]], *, everything: bool) -> list:
    """Names content in the rows by natural key ([slug, number] of a version, [slug, number, code] of a
    driver or best practice); returns the versions named, with those they are based on, in load order
    (every version when the file holds everything)."""
    references = [
        (model_rows, name, target)
        for model, model_rows in rows.items()
        for name, target in _foreign_keys(model, CONTENT)
    ]
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for model_rows, name, target in references:
        wanted[target].update(row["fields"][name] for row in model_rows if row["fields"][name] is not None)
    keys: dict[tuple[type[models.Model], int], list] = {}
    version_ids: set[int] = set()
    for target, ids in wanted.items():
        for pk, version_id, *key in target.objects.filter(pk__in=ids).values_list(
            "pk", *_natural_key(target)
        ):
            keys[target, pk] = key
            version_ids.add(version_id)
    for model_rows, name, target in references:
        for row in model_rows:
            if row["fields"][name] is not None:
                row["fields"][name] = keys[target, row["fields"][name]]
    return _with_ancestors(None if everything else version_ids)


def _natural_key(model: type[models.Model]) -> tuple[str, ...]:
    """The version's id, then the natural key."""
    if model is FrameworkVersion:
        return ("pk", "framework__slug", "number")
    return ("version_id", "version__framework__slug", "version__number", "code")


def _with_ancestors(version_ids: set[int] | None) -> list[FrameworkVersion]:
    """The versions (all of them with None) and the versions they are based on, each after its base: a
    version's content file names its lineage by the codes of its base, which must be loaded first."""
    every = {version.pk: version for version in FrameworkVersion.objects.select_related("framework")}
    ordered: list[FrameworkVersion] = []

    def place(version: FrameworkVersion) -> None:
        if version not in ordered:
            if version.based_on_id:
                place(every[version.based_on_id])
            ordered.append(version)

    chosen = every.values() if version_ids is None else [every[pk] for pk in version_ids]
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


def _summary(document: dict[str, Any], older_schema: tuple[str, ...] = ()) -> Summary:
    contains = document["contains"]
    counts = contains["rows"]
    return Summary(
        organizations=contains["organizations"],
        people=contains["people"],
        rows=sum(counts.values()),
        history_rows=sum(n for label, n in counts.items() if MODELS[label] in HISTORY),
        versions=contains["content_versions"],
        older_schema=older_schema,
    )


# Restoring


def import_backup(*, path: Path | str) -> Summary:
    """Restores a file into this database in one transaction; refuses, writing nothing, a file that is not
    a whole backup of this format, one from a newer schema, and one whose organizations, people or row ids
    are already here."""
    document = _read(path)
    _check(document, source=str(path))
    older = _check_schema(document["schema"], source=str(path))
    with transaction.atomic():
        by_model = defaultdict(list)
        for row in document["rows"]:
            by_model[MODELS[row["model"]]].append(row)
        _refuse_what_is_here(by_model)
        versions = _load_content(document["content"], source=str(path))
        _write(document["rows"], _content_ids(versions))
    return _summary(document, older)


def _read(path: Path | str) -> Any:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BackupError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from None
    try:
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        return json.loads(data.decode("utf-8"))
    except (OSError, EOFError, ValueError) as exc:  # a cut or damaged gzip stream, text or JSON document
        raise BackupError(
            _("%(path)s is not a whole backup file (truncated or damaged?): %(error)s")
            % {"path": path, "error": exc}
        ) from None


def _check(document: Any, *, source: str) -> None:
    """The file is a whole backup of the format this implhub reads, its rows of the models a backup holds,
    as many of each as its header says."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(_("%(path)s is not an implhub backup file.") % {"path": source})
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("%(path)s has backup format version %(found)s; this implhub reads version %(expected)s.")
            % {"path": source, "found": document.get("format_version"), "expected": FORMAT_VERSION}
        )
    damaged = _("%(path)s is damaged: %(problem)s")
    schema, contains = document.get("schema"), document.get("contains")
    if not (isinstance(schema, dict) and all(isinstance(v, str) for v in schema.values())):
        raise BackupError(damaged % {"path": source, "problem": _("its header has no schema")})
    if not (isinstance(contains, dict) and isinstance(contains.get("rows"), dict)):
        raise BackupError(damaged % {"path": source, "problem": _("its header does not say what it holds")})
    if not (isinstance(document.get("content"), list) and isinstance(document.get("rows"), list)):
        raise BackupError(damaged % {"path": source, "problem": _("it has no content or no rows")})
    counts: dict[str, int] = defaultdict(int)
    for row in document["rows"]:
        well_formed = (
            isinstance(row, dict)
            and row.get("model") in MODELS
            and type(row.get("pk")) is int
            and isinstance(row.get("fields"), dict)
        )
        if not well_formed:
            raise BackupError(damaged % {"path": source, "problem": _("a row is not one a backup holds")})
        counts[row["model"]] += 1
    if counts != {label: n for label, n in contains["rows"].items() if n}:
        raise BackupError(damaged % {"path": source, "problem": _("its rows are not those its header lists")})


def _check_schema(schema: dict[str, str], *, source: str) -> tuple[str, ...]:
    """Refuses a file from a newer schema (a migration this database has not applied); returns the apps
    whose schema has moved on since the file was written (fields added since take their defaults)."""
    applied = set(MigrationRecorder(connection).applied_migrations())
    unknown = sorted(f"{app} {name}" for app, name in schema.items() if (app, name) not in applied)
    if unknown:
        raise BackupError(
            _(
                "%(path)s was written with a newer schema than this database has: migrations %(unknown)s "
                "are not applied here. Upgrade implhub and run `manage.py migrate`, then import again."
            )
            % {"path": source, "unknown": ", ".join(unknown)}
        )
    here = schema_state()
    return tuple(f"{app} {name} (here {here[app]})" for app, name in schema.items() if here.get(app) != name)


def _refuse_what_is_here(by_model: dict[type[models.Model], list[dict]]) -> None:
    """A restore adds an organization and its people beside nothing of theirs: the same organization,
    username or row id already here is refused (ids are kept, so that history stays linked to its rows)."""
    names = [row["fields"].get("name") for row in by_model[Organization]]
    here = sorted(Organization.objects.filter(name__in=names).values_list("name", flat=True))
    if here:
        raise BackupError(
            _("This database already has the organization %(names)s; nothing was imported.")
            % {"names": ", ".join(here)}
        )
    usernames = [row["fields"].get("username") for row in by_model[User]]
    here = sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if here:
        raise BackupError(
            _("This database already has the users %(names)s; nothing was imported.")
            % {"names": ", ".join(here)}
        )
    for model, rows in by_model.items():
        ids = {row["pk"] for row in rows}
        taken = sorted(
            ids.intersection(
                model._default_manager.filter(pk__gte=min(ids), pk__lte=max(ids)).values_list("pk", flat=True)
            )
        )
        if taken:
            raise BackupError(
                _(
                    "This database already holds %(model)s rows with the file's ids (%(ids)s); a restore "
                    "keeps ids so that history stays linked to its rows. Restore into a new database after "
                    "`manage.py migrate`; nothing was imported."
                )
                % {"model": model._meta.label, "ids": ", ".join(map(str, taken[:5]))}
            )


def _load_content(documents: list[Any], *, source: str) -> list[FrameworkVersion]:
    """Loads the file's content versions; one already here must be the same (a published version never
    changes), and a draft here is never replaced."""
    versions = []
    for number, raw in enumerate(documents, 1):
        entry = _("%(path)s, content version %(number)d") % {"path": source, "number": number}
        try:
            document = parse_content(json.dumps(raw), source=entry)
            slug, version = document["framework"]["slug"], document["version"]["number"]
            draft = FrameworkVersion.objects.filter(
                framework__slug=slug, number=version, status=FrameworkVersion.Status.DRAFT
            ).first()
            if draft is not None:
                raise BackupError(
                    _("%(entry)s: %(version)s is a draft here, which the restore would replace.")
                    % {"entry": entry, "version": draft}
                )
            versions.append(load_content(document, source=entry).version)
        except ContentFileError as exc:
            raise BackupError(str(exc)) from None
    return versions


def _content_ids(versions: list[FrameworkVersion]) -> dict[type[models.Model], dict[tuple, int]]:
    """The ids here of the file's content, by natural key."""
    ids = {FrameworkVersion: {(v.framework.slug, v.number): v.pk for v in versions}}
    for model in (Driver, BestPractice):
        rows = model.objects.filter(version__in=versions).values_list("pk", *_natural_key(model)[1:])
        ids[model] = {tuple(key): pk for pk, *key in rows}
    return ids


def _write(rows: list[dict], content_ids: dict[type[models.Model], dict[tuple, int]]) -> None:
    """Inserts the rows as they are (raw: no save() logic, no new history rows), then resets the id
    sequences past them and checks every foreign key."""
    subject = _("the file's rows")
    try:
        for row in rows:
            subject = _("row %(model)s %(id)s") % {"model": row["model"], "id": row["pk"]}
            for name, target in _foreign_keys(MODELS[row["model"]], CONTENT):
                if row["fields"].get(name) is not None:
                    row["fields"][name] = content_ids[target][tuple(row["fields"][name])]
        for restored in serializers.deserialize("python", rows):
            subject = _("row %(model)s %(id)s") % {
                "model": restored.object._meta.label_lower,
                "id": restored.object.pk,
            }
            restored.save(force_insert=True)
        subject = _("the file's rows")
        labels = {row["model"] for row in rows}
        written = [model for model in LOAD_ORDER if model._meta.label_lower in labels]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(statement)
        connection.check_constraints(table_names=[model._meta.db_table for model in written])
    except (
        DeserializationError,
        FieldDoesNotExist,
        ValidationError,
        DatabaseError,
        KeyError,
        TypeError,
    ) as exc:
        raise BackupError(
            _("%(subject)s cannot be restored (%(error)s); nothing was imported.")
            % {"subject": capfirst(subject), "error": exc}
        ) from None
