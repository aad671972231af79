"""The framework content file: reading and checking it, writing it into the database, and writing it out.

One JSON document holds one framework version (see fixtures/implementation_drivers_v1.json): its content,
and where its items and drivers come from in the version it is based on (their lineage, by the codes of
that version). Everything is checked before anything is written; the first problem found is reported with
the file and the entry. An exported version imported into another database reads back identically.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from drivers import formatting
from drivers.models import (
    DEFAULT_BENCHMARK,
    BestPractice,
    Driver,
    DriverCategory,
    DriverLineage,
    Framework,
    FrameworkVersion,
    ItemLineage,
    Lineage,
    Provenance,
    framework_order,
)
from drivers.services import attribute_to, content_of, version_publish, version_retire

# The yes/no content fields: a file holds them as true or false, and one it leaves out loads as false.
FLAGS = frozenset(
    field.name
    for model in (DriverCategory, Driver, BestPractice)
    for field in model._meta.get_fields()
    if isinstance(field, models.BooleanField) and field.name in model.CONTENT_FIELDS
)
# Content fields a file may leave out (they load as "", flags as false, provenance as "implhub").
OPTIONAL = {
    "description",
    "goal",
    "guidance",  # blank is allowed on the model and by publishing, so a file may leave it out too
    "provenance",
    "editorial_note",
    "resources",
    *BestPractice.RUBRIC_FIELDS.values(),
    *FLAGS,
}


def _required(names: tuple[str, ...]) -> dict[str, bool]:
    return {name: name not in OPTIONAL for name in names}


# Where a driver or item comes from, beyond its content: its lineage key when it is not its own code (a
# recoded item keeps the key of the one it continues) and its recorded lineage, by codes of the based-on
# version. A file leaves both out for an entry that simply continues the entry of its code.
IDENTITY = {"lineage_key": False, "lineage": False}

# Each kind of entry with its fields (True: required), in file order. The content fields come from the
# models, so a field added there is carried by files and copies alike.
FIELDS = {
    "document": {"framework": True, "version": True, "categories": True},
    "framework": {"slug": True, "name": True, "description": False},
    "version": {
        "number": True,
        "status": True,
        "based_on": False,
        "notes": False,
        "attribution": False,
        "introduction": False,
        "introduction_citation": False,
        "benchmark": False,
    },
    "category": {**_required(DriverCategory.CONTENT_FIELDS), "drivers": True},
    "driver": {**_required(Driver.CONTENT_FIELDS), **IDENTITY, "best_practices": True},
    "best practice": {**_required(BestPractice.CONTENT_FIELDS), **IDENTITY},
    "lineage": {"kind": True, "previous": True},
}
# What a field the file leaves out loads as, when that is not "".
EMPTY = {
    **dict.fromkeys(FLAGS, False),
    "resources": [],
    "lineage": [],
    "based_on": None,
    "benchmark": DEFAULT_BENCHMARK,
}
# The model behind each kind of entry, whose fields limit the length of the file's text.
MODELS = {
    "framework": Framework,
    "version": FrameworkVersion,
    "category": DriverCategory,
    "driver": Driver,
    "best practice": BestPractice,
}
LOADABLE_STATUSES = tuple(FrameworkVersion.Status.values)
DRIVER_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,11}$")
SLUG = re.compile(r"^[-a-z0-9]+$")
ITEM_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.]*$")  # what follows "FA-" in a best practice's code


class ContentFileError(Exception):
    def __init__(self, source: str, entry: str, problem: str):
        self.source, self.entry, self.problem = source, entry, problem
        super().__init__(f"{source}: {entry}: {problem}")


@dataclass(frozen=True)
class LoadResult:
    version: FrameworkVersion
    outcome: str  # "created", "replaced" (a draft's content) or "unchanged"


def read_content_file(path: Path | str) -> dict[str, Any]:
    """Parse and check a content file; returns the normalised document or raises ContentFileError."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentFileError(source, _("file"), _("cannot be read (%(error)s)") % {"error": exc}) from None
    return parse_content(text, source=source)


def parse_content(text: str, *, source: str) -> dict[str, Any]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentFileError(
            source,
            _("file"),
            _("is not valid JSON (line %(line)d, column %(column)d: %(error)s)")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
        ) from None
    return _Checker(source).document(raw)


class _Checker:
    def __init__(self, source: str):
        self.source = source

    def fail(self, entry: str, problem: str):
        raise ContentFileError(self.source, entry, problem)

    def fields(self, kind: str, entry: str, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail(entry, _("must be an object with the fields of a %(kind)s") % {"kind": kind})
        unknown = sorted(set(raw) - set(FIELDS[kind]))
        if unknown:
            self.fail(
                entry,
                _("unknown field %(field)s (a %(kind)s has: %(fields)s)")
                % {"field": repr(unknown[0]), "kind": kind, "fields": ", ".join(FIELDS[kind])},
            )
        clean = {}
        for name, required in FIELDS[kind].items():
            value = raw.get(name)
            if isinstance(value, str):
                value = value.strip()
            if required and value in (None, "", []):
                self.fail(entry, _("missing %(field)s") % {"field": name})
            if value is None:
                value = copy.copy(EMPTY.get(name, ""))
            clean[name] = value
        return clean

    def lengths(self, kind: str, entry: str, clean: dict[str, Any]) -> None:
        """Text no longer than its database column takes (checked last, after the finer rules)."""
        for name, value in clean.items():
            field = next((f for f in MODELS[kind]._meta.fields if f.name == name), None)
            limit = getattr(field, "max_length", None)
            if isinstance(value, str) and limit and len(value) > limit:
                self.fail(
                    entry,
                    _("%(field)s is longer than %(limit)d characters") % {"field": name, "limit": limit},
                )

    def text(self, entry: str, name: str, value: Any) -> str:
        if not isinstance(value, str):
            self.fail(entry, _("%(field)s must be text") % {"field": name})
        problem = formatting.markup_problem(value)
        if problem:
            self.fail(entry, f"{name} {problem}")
        return value

    def flag(self, entry: str, name: str, value: Any) -> bool:
        if not isinstance(value, bool):
            self.fail(
                entry,
                _("%(field)s must be true or false, not %(value)s") % {"field": name, "value": repr(value)},
            )
        return value

    def whole(self, entry: str, name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(
                entry,
                _("%(field)s must be a whole number of 1 or more, not %(value)s")
                % {"field": name, "value": repr(value)},
            )
        return value

    def unique(self, entry: str, problem: str, value: Any, seen: set):
        """`problem` names the duplicate, with the placeholder %(value)s for the value."""
        if value in seen:
            self.fail(entry, problem % {"value": repr(value)})
        seen.add(value)

    def one_of(self, entry: str, name: str, value: Any, choices) -> None:
        if value not in choices:
            self.fail(
                entry,
                _("%(field)s must be one of %(choices)s, not %(value)s")
                % {"field": name, "choices": ", ".join(choices), "value": repr(value)},
            )

    def a_list(self, entry: str, name: str, value: Any) -> None:
        if not isinstance(value, list):
            self.fail(entry, _("%(field)s must be a list") % {"field": name})

    def document(self, raw: Any) -> dict[str, Any]:
        doc = self.fields("document", _("document"), raw)
        framework = self.fields("framework", "framework", doc["framework"])
        for name in ("slug", "name", "description"):
            self.text("framework", name, framework[name])
        if not SLUG.match(framework["slug"]):
            self.fail(
                "framework",
                _("slug %(slug)s may hold only a-z, 0-9 and -") % {"slug": repr(framework["slug"])},
            )
        self.lengths("framework", "framework", framework)
        version = self.version(doc["version"])
        if not isinstance(doc["categories"], list):
            self.fail("categories", _("must be a list"))
        seen = {"category slug": set(), "category order": set(), "driver code": set(), "item code": set()}
        categories = [
            self.category(i, raw_category, seen) for i, raw_category in enumerate(doc["categories"], 1)
        ]
        document = {"framework": framework, "version": version, "categories": categories}
        self.links(document, driver_codes=seen["driver code"])
        return document

    def version(self, raw: Any) -> dict[str, Any]:
        version = self.fields("version", "version", raw)
        self.whole("version", "number", version["number"])
        self.one_of("version", "status", version["status"], LOADABLE_STATUSES)
        for name in ("notes", "attribution", "introduction", "introduction_citation"):
            self.text("version", name, version[name])
        benchmark = version["benchmark"]
        if isinstance(benchmark, bool) or not isinstance(benchmark, int) or not 1 <= benchmark <= 100:
            self.fail(
                "version",
                _("benchmark must be a whole percent from 1 to 100, not %(value)s")
                % {"value": repr(benchmark)},
            )
        if version["based_on"] is not None:
            self.whole("version", "based_on", version["based_on"])
            if version["based_on"] == version["number"]:
                self.fail("version", _("based_on must name another version than the file's own"))
        self.lengths("version", "version", version)
        return version

    def links(self, document: dict[str, Any], *, driver_codes: set[str]) -> None:
        """What an entry says about others, once all are read: the drivers an item resources are drivers
        of this version; a recorded lineage needs the version it points into."""
        based_on = document["version"]["based_on"]
        for category in document["categories"]:
            for driver in category["drivers"]:
                entries = [(_("driver %(code)s") % {"code": repr(driver["code"])}, driver)]
                for item in driver["best_practices"]:
                    entry = _("best practice %(code)s") % {"code": repr(item["code"])}
                    entries.append((entry, item))
                    unknown = [code for code in item["resources"] if code not in driver_codes]
                    if unknown:
                        self.fail(
                            entry,
                            _("resources names %(code)s, which is not a driver of this version")
                            % {"code": repr(unknown[0])},
                        )
                for entry, spec in entries:
                    if spec["lineage"] and based_on is None:
                        self.fail(
                            entry,
                            _(
                                "a lineage needs the version's based_on: the number of the version "
                                "whose codes it names"
                            ),
                        )

    def identity(self, entry: str, spec: dict[str, Any]) -> None:
        """Checks and completes the lineage key and the recorded lineage of a driver or item."""
        self.text(entry, "lineage_key", spec["lineage_key"])
        spec["lineage_key"] = spec["lineage_key"] or spec["code"]
        self.a_list(entry, "lineage", spec["lineage"])
        previous: set[str] = set()
        lineage = []
        for i, raw in enumerate(spec["lineage"], 1):
            where = _("%(entry)s, lineage #%(number)d") % {"entry": entry, "number": i}
            link = self.fields("lineage", where, raw)
            self.one_of(where, "kind", link["kind"], Lineage.values)
            self.text(where, "previous", link["previous"])
            self.unique(where, _("duplicate previous %(value)s"), link["previous"], previous)
            lineage.append(link)
        spec["lineage"] = lineage

    def category(self, index: int, raw: Any, seen: dict[str, set]) -> dict[str, Any]:
        slug = raw.get("slug") if isinstance(raw, dict) else None
        if slug:
            entry = _("category %(slug)s") % {"slug": repr(slug)}
        else:
            entry = _("category #%(number)d") % {"number": index}
        category = self.fields("category", entry, raw)
        for name in ("slug", "name", "description"):
            self.text(entry, name, category[name])
        if not SLUG.match(category["slug"]):
            self.fail(entry, _("slug may hold only a-z, 0-9 and -"))
        self.whole(entry, "order", category["order"])
        self.unique(entry, _("duplicate category slug %(value)s"), category["slug"], seen["category slug"])
        self.unique(entry, _("duplicate category order %(value)s"), category["order"], seen["category order"])
        self.a_list(entry, "drivers", category["drivers"])
        self.lengths("category", entry, category)
        orders: set[int] = set()
        category["drivers"] = [
            self.driver(
                _("%(entry)s, driver #%(number)d") % {"entry": entry, "number": i}, raw_driver, seen, orders
            )
            for i, raw_driver in enumerate(category["drivers"], 1)
        ]
        return category

    def driver(self, fallback: str, raw: Any, seen: dict[str, set], orders: set[int]) -> dict[str, Any]:
        code = raw.get("code") if isinstance(raw, dict) else None
        entry = _("driver %(code)s") % {"code": repr(code)} if isinstance(code, str) and code else fallback
        driver = self.fields("driver", entry, raw)
        for name in ("code", "slug", "name", "definition", "goal", "provenance"):
            self.text(entry, name, driver[name])
        if not DRIVER_CODE.match(driver["code"]):
            self.fail(
                entry,
                _("%(field)s must be capital letters and digits, starting with a letter (e.g. FA)")
                % {"field": "code"},
            )
        self.whole(entry, "order", driver["order"])
        self.unique(entry, _("duplicate driver code %(value)s"), driver["code"], seen["driver code"])
        self.unique(entry, _("duplicate driver order in its category %(value)s"), driver["order"], orders)
        driver["provenance"] = self.provenance(entry, driver["provenance"])
        self.identity(entry, driver)
        self.lengths("driver", entry, driver)
        self.a_list(entry, "best_practices", driver["best_practices"])
        item_orders: set[int] = set()
        driver["best_practices"] = [
            self.best_practice(
                driver["code"],
                _("%(entry)s, best practice #%(number)d") % {"entry": entry, "number": i},
                raw_item,
                seen,
                item_orders,
            )
            for i, raw_item in enumerate(driver["best_practices"], 1)
        ]
        return driver

    def best_practice(self, driver_code, fallback, raw, seen, orders) -> dict[str, Any]:
        code = raw.get("code") if isinstance(raw, dict) else None
        if isinstance(code, str) and code:
            entry = _("best practice %(code)s") % {"code": repr(code)}
        else:
            entry = fallback
        item = self.fields("best practice", entry, raw)
        for name in FIELDS["best practice"]:
            if name in FLAGS:
                self.flag(entry, name, item[name])
            elif name not in ("order", "resources", *IDENTITY):
                self.text(entry, name, item[name])
        prefix = item["code"].split("-", 1)[0]
        if prefix != driver_code:
            self.fail(
                entry,
                _(
                    "unknown driver %(prefix)s: the code of a best practice of driver %(driver)s "
                    "must start with '%(driver)s-'"
                )
                % {"prefix": repr(prefix), "driver": driver_code},
            )
        if not ITEM_NUMBER.match(item["code"].removeprefix(f"{driver_code}-")) or "-" not in item["code"]:
            self.fail(
                entry,
                _("code must be %(driver)s- and the item's number or letters, e.g. %(driver)s-1")
                % {"driver": driver_code},
            )
        self.whole(entry, "order", item["order"])
        self.unique(entry, _("duplicate best-practice code %(value)s"), item["code"], seen["item code"])
        self.unique(entry, _("duplicate best-practice order in its driver %(value)s"), item["order"], orders)
        item["provenance"] = self.provenance(entry, item["provenance"])
        self.a_list(entry, "resources", item["resources"])
        resourced: set[str] = set()
        for code in item["resources"]:
            self.text(entry, "resources", code)
            self.unique(entry, _("resources names %(value)s twice"), code, resourced)
        self.identity(entry, item)
        self.lengths("best practice", entry, item)
        return item

    def provenance(self, entry: str, value: str) -> str:
        value = value or Provenance.IMPLHUB
        self.one_of(entry, "provenance", value, Provenance.values)
        return value


def version_document(version: FrameworkVersion) -> dict[str, Any]:
    """The content of a version as a checked document (what an admin exports, and what loads back), in
    a fixed number of queries."""
    framework = version.framework
    based_on = version.based_on.number if version.based_on_id else None
    categories = {c.pk: {**content_of(c), "drivers": []} for c in version.categories.order_by("order")}
    driver_lineage = _lineage_by_entry(DriverLineage.objects.filter(driver__version=version), "driver")
    item_lineage = _lineage_by_entry(ItemLineage.objects.filter(item__version=version), "item")
    drivers = {}
    for driver in version.drivers.order_by("order"):
        identity = {"lineage_key": driver.lineage_key, "lineage": driver_lineage.get(driver.pk, [])}
        drivers[driver.pk] = {**content_of(driver), **identity, "best_practices": []}
        categories[driver.category_id]["drivers"].append(drivers[driver.pk])
    for item in version.best_practices.order_by("order"):
        identity = {"lineage_key": item.lineage_key, "lineage": item_lineage.get(item.pk, [])}
        drivers[item.driver_id]["best_practices"].append({**content_of(item), **identity})
    return {
        "framework": {"slug": framework.slug, "name": framework.name, "description": framework.description},
        "version": {
            "number": version.number,
            "status": version.status,
            "based_on": based_on,
            "notes": version.notes,
            "attribution": version.attribution,
            "introduction": version.introduction,
            "introduction_citation": version.introduction_citation,
            "benchmark": version.benchmark,
        },
        "categories": list(categories.values()),
    }


def _lineage_by_entry(rows: models.QuerySet, entry: str) -> dict[int, list[dict[str, str]]]:
    """{driver or item id: [{kind, previous code}]}, the earlier entries in their framework order."""
    order = (
        framework_order("previous") if entry == "item" else ["previous__category__order", "previous__order"]
    )
    lineage: dict[int, list[dict[str, str]]] = {}
    for entry_id, kind, previous in rows.order_by(*order).values_list(
        f"{entry}_id", "kind", "previous__code"
    ):
        lineage.setdefault(entry_id, []).append({"kind": kind, "previous": previous})
    return lineage


def version_json(version: FrameworkVersion) -> str:
    """The content file of a version: its document, leaving out what a person writing the file would
    (the lineage key of an entry that has its own code, an empty lineage)."""
    document = version_document(version)
    for category in document["categories"]:
        for driver in category["drivers"]:
            for entry in (driver, *driver["best_practices"]):
                if entry["lineage_key"] == entry["code"]:
                    del entry["lineage_key"]
                if not entry["lineage"]:
                    del entry["lineage"]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def version_file_name(version: FrameworkVersion) -> str:
    return f"{version.framework.slug}_v{version.number}.json"


def version_import(
    *, text: str, source: str, replace_draft: bool = False, by: AbstractBaseUser | None = None
) -> LoadResult:
    """An uploaded content file as a new version. Unlike loading the shipped fixture again, an import never
    meets published content: a number already published or retired is refused even when the file is the
    same, and an existing draft is replaced only when asked."""
    document = parse_content(text, source=source)
    existing = FrameworkVersion.objects.filter(
        framework__slug=document["framework"]["slug"], number=document["version"]["number"]
    ).first()
    if existing is not None and not existing.is_draft:
        raise ContentFileError(
            source,
            "version",
            _(
                "%(version)s already exists; importing the file would overwrite published content. "
                "Give the file a new version number."
            )
            % {"version": existing},
        )
    if existing is not None and not replace_draft:
        raise ContentFileError(
            source,
            "version",
            _(
                "%(version)s already exists; choose to replace the draft, "
                "or give the file a new version number."
            )
            % {"version": existing},
        )
    return load_content(document, source=source, by=by)


@transaction.atomic
def load_content(document: dict[str, Any], *, source: str, by: AbstractBaseUser | None = None) -> LoadResult:
    """Write a checked document. Loading the same file twice changes nothing; a published version is
    never rewritten (a different file for it is refused); a draft's content is replaced by the file's."""
    spec_framework, spec_version = document["framework"], document["version"]
    based_on = _check_against_database(document, source=source)
    framework = Framework.objects.filter(slug=spec_framework["slug"]).first()
    if framework is None:
        framework = attribute_to(Framework(**spec_framework), by)
        framework.save()
    version = FrameworkVersion.objects.filter(framework=framework, number=spec_version["number"]).first()
    if version is not None and not version.is_draft:
        difference = _first_difference(version_document(version), document)
        if difference:
            problems = {
                FrameworkVersion.Status.PUBLISHED: _(
                    "differs from %(version)s, which is published and cannot change; "
                    "give the file a new version number instead"
                ),
                FrameworkVersion.Status.RETIRED: _(
                    "differs from %(version)s, which is retired and cannot change; "
                    "give the file a new version number instead"
                ),
            }
            raise ContentFileError(source, difference, problems[version.status] % {"version": version})
        return LoadResult(version=version, outcome="unchanged")

    outcome = "created" if version is None else "replaced"
    if version is None:
        version = FrameworkVersion(framework=framework, number=spec_version["number"])
    else:
        version.categories.all().delete()
    if framework.name != spec_framework["name"] or framework.description != spec_framework["description"]:
        framework.name, framework.description = spec_framework["name"], spec_framework["description"]
        attribute_to(framework, by).save()
    for name in ("notes", "attribution", "introduction", "introduction_citation", "benchmark"):
        setattr(version, name, spec_version[name])
    version.based_on = based_on
    attribute_to(version, by).save()
    _write_tree(version, document["categories"], based_on=based_on, by=by)
    if spec_version["status"] != FrameworkVersion.Status.DRAFT:
        version = version_publish(version=version, by=by)
    if spec_version["status"] == FrameworkVersion.Status.RETIRED:
        version = version_retire(version=version, by=by)
    return LoadResult(version=version, outcome=outcome)


def _check_against_database(document: dict[str, Any], *, source: str) -> FrameworkVersion | None:
    """What the file says about content already stored: the version it is based on exists, and each
    recorded lineage names a driver or item of that version. Returns that version."""
    number = document["version"]["based_on"]
    if number is None:
        return None
    based_on = FrameworkVersion.objects.filter(
        framework__slug=document["framework"]["slug"], number=number
    ).first()
    if based_on is None:
        raise ContentFileError(
            source,
            "version",
            _("based_on names v%(number)d, which is not in the database; load that version first")
            % {"number": number},
        )
    driver_codes = set(based_on.drivers.values_list("code", flat=True))
    item_codes = set(based_on.best_practices.values_list("code", flat=True))
    for category in document["categories"]:
        for driver in category["drivers"]:
            entries = [(_("driver %(code)s") % {"code": repr(driver["code"])}, driver, driver_codes)]
            entries += [
                (_("best practice %(code)s") % {"code": repr(item["code"])}, item, item_codes)
                for item in driver["best_practices"]
            ]
            for entry, spec, codes in entries:
                for link in spec["lineage"]:
                    if link["previous"] not in codes:
                        raise ContentFileError(
                            source,
                            entry,
                            _("lineage names %(code)s, which is not in %(version)s")
                            % {"code": repr(link["previous"]), "version": based_on},
                        )
    return based_on


def _write_tree(
    version: FrameworkVersion,
    categories: list[dict[str, Any]],
    *,
    based_on: FrameworkVersion | None,
    by: AbstractBaseUser | None,
) -> None:
    previous_drivers = {d.code: d for d in based_on.drivers.all()} if based_on else {}
    previous_items = {i.code: i for i in based_on.best_practices.all()} if based_on else {}
    driver_lineage, item_lineage = [], []
    for spec_category in categories:
        category = DriverCategory(
            version=version, **{k: spec_category[k] for k in DriverCategory.CONTENT_FIELDS}
        )
        attribute_to(category, by).save()
        for spec_driver in spec_category["drivers"]:
            driver = Driver(
                version=version,
                category=category,
                lineage_key=spec_driver["lineage_key"],
                **{k: spec_driver[k] for k in Driver.CONTENT_FIELDS},
            )
            attribute_to(driver, by).save()
            driver_lineage += [
                DriverLineage(driver=driver, previous=previous_drivers[link["previous"]], kind=link["kind"])
                for link in spec_driver["lineage"]
            ]
            items = [
                BestPractice(
                    version=version,
                    driver=driver,
                    lineage_key=spec_item["lineage_key"],
                    **{k: spec_item[k] for k in BestPractice.CONTENT_FIELDS},
                )
                for spec_item in spec_driver["best_practices"]
            ]
            bulk_create_with_history(items, BestPractice, default_user=by)
            item_lineage += [
                ItemLineage(item=item, previous=previous_items[link["previous"]], kind=link["kind"])
                for item, spec_item in zip(items, spec_driver["best_practices"], strict=True)
                for link in spec_item["lineage"]
            ]
    bulk_create_with_history(driver_lineage, DriverLineage, default_user=by)
    bulk_create_with_history(item_lineage, ItemLineage, default_user=by)


def _first_difference(stored: dict[str, Any], document: dict[str, Any]) -> str | None:
    """Names the first entry of the file whose content differs from the stored version, or None."""
    # A published version may since have been retired: the status of the file is not its content.
    for name in FIELDS["version"]:
        if name != "status" and stored["version"][name] != document["version"][name]:
            return _("version %(field)s") % {"field": name}
    if len(stored["categories"]) != len(document["categories"]):
        return "categories"
    for stored_category, category in zip(stored["categories"], document["categories"], strict=True):
        entry = _("category %(slug)s") % {"slug": repr(category["slug"])}
        if _without(stored_category, "drivers") != _without(category, "drivers"):
            return entry
        if len(stored_category["drivers"]) != len(category["drivers"]):
            return f"{entry}, drivers"
        for stored_driver, driver in zip(stored_category["drivers"], category["drivers"], strict=True):
            if _without(stored_driver, "best_practices") != _without(driver, "best_practices"):
                return _("driver %(code)s") % {"code": repr(driver["code"])}
            stored_items = {item["code"]: item for item in stored_driver["best_practices"]}
            for item in driver["best_practices"]:
                if stored_items.pop(item["code"], None) != item:
                    return _("best practice %(code)s") % {"code": repr(item["code"])}
            if stored_items:
                missing = next(iter(stored_items))
                return _("driver %(code)s, best practice %(missing)s (missing from the file)") % {
                    "code": repr(driver["code"]),
                    "missing": repr(missing),
                }
    return None


def _without(entry: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != key}
