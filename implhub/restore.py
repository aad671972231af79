"""Restoring a file of `export_organization` (implhub/backup.py) into this database: checked whole before
anything is written, then written in one transaction with the ids it carries."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assessments.models import Assessment, Organization
from assessments.services.scores import tallies_store
from drivers.content_file import ContentFileError, load_content, parse_content
from drivers.models import BestPractice, Driver, FrameworkVersion
from implhub.backup import (
    CONTENT,
    FORMAT,
    FORMAT_VERSION,
    HISTORY_OF,
    LOAD_ORDER,
    MODELS,
    BackupError,
    Summary,
    User,
    foreign_keys,
    natural_key_fields,
    schema_state,
    summary_of,
)


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
        # The tallies are derived, so a file does not carry them: they are summed again from the answers.
        tallies_store(assessment_ids=_completed_assessments(document["rows"]))
    return summary_of(document, older)


def _completed_assessments(rows: list[dict[str, Any]]) -> list[int]:
    label = Assessment._meta.label_lower
    return [
        row["pk"]
        for row in rows
        if row["model"] == label and row["fields"].get("status") == Assessment.Status.COMPLETED
    ]


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
        rows = model.objects.filter(version__in=versions).values_list("pk", *natural_key_fields(model)[1:])
        ids[model] = {tuple(key): pk for pk, *key in rows}
    return ids


def _write(rows: list[dict], content_ids: dict[type[models.Model], dict[tuple, int]]) -> None:
    """Inserts the rows as they are (raw: no save() logic, no new history rows), then resets the id
    sequences past them and checks every foreign key."""
    subject = _("the file's rows")
    try:
        for row in rows:
            subject = _("row %(model)s %(id)s") % {"model": row["model"], "id": row["pk"]}
            for name, target in foreign_keys(MODELS[row["model"]], CONTENT):
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
        _advance_sequences(written, named_by_history=_ids_named_by_history(rows))
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


def _ids_named_by_history(rows: list[dict]) -> dict[type[models.Model], int]:
    """The highest id of each model that its history rows name: rows deleted before the export included."""
    highest: dict[type[models.Model], int] = defaultdict(int)
    for row in rows:
        model = HISTORY_OF.get(MODELS[row["model"]])
        if model is not None:
            highest[model] = max(highest[model], row["fields"]["id"])
    return highest


def _advance_sequences(written: list[type[models.Model]], *, named_by_history: dict) -> None:
    """Moves each table's id sequence past its rows and past the ids its history names, never back: a new
    row must not take the id of one deleted before the export, or it would inherit that row's history.
    (Django's sequence_reset_sql sets a sequence to the table's highest id, which can move it back.)"""
    with connection.cursor() as cursor:
        for model in {*written, *named_by_history}:
            table, column = model._meta.db_table, model._meta.pk.column
            highest = max(
                model._default_manager.aggregate(pk=Max("pk"))["pk"] or 0, named_by_history.get(model, 0)
            )
            if not highest:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), column]
                )
                (sequence,) = cursor.fetchone()
                cursor.execute(
                    f"SELECT setval(%s, GREATEST(%s, last_value)) FROM {sequence}", [sequence, highest]
                )
            elif connection.vendor == "sqlite":
                # An explicit id moves SQLite's AUTOINCREMENT counter itself; history's ids do not.
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [highest, table]
                )
                if not cursor.rowcount:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest]
                    )
