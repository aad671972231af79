"""The framework content file: reading and checking it, writing it into the database, and writing it out.

One JSON document holds one framework version (see fixtures/implementation_drivers_v1.json). Everything
is checked before anything is written; the first problem found is reported with the file and the entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from drivers.models import BestPractice, Driver, DriverCategory, Framework, FrameworkVersion, Provenance
from drivers.services import version_publish

FIELDS = {
    "document": {"framework": True, "version": True, "categories": True},
    "framework": {"slug": True, "name": True, "description": False},
    "version": {"number": True, "status": True, "notes": False, "attribution": False},
    "category": {"slug": True, "name": True, "order": True, "description": False, "drivers": True},
    "driver": {
        "code": True,
        "slug": True,
        "name": True,
        "order": True,
        "definition": True,
        "goal": False,
        "provenance": False,
        "best_practices": True,
    },
    "best practice": {
        "code": True,
        "order": True,
        "statement": True,
        "guidance": True,
        "provenance": False,
        "rubric_in_place": False,
        "rubric_partially_in_place": False,
        "rubric_not_in_place": False,
    },
}
LOADABLE_STATUSES = (FrameworkVersion.Status.DRAFT, FrameworkVersion.Status.PUBLISHED)
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
        raise ContentFileError(source, "file", f"cannot be read ({exc})") from None
    return parse_content(text, source=source)


def parse_content(text: str, *, source: str) -> dict[str, Any]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentFileError(
            source, "file", f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return _Checker(source).document(raw)


class _Checker:
    def __init__(self, source: str):
        self.source = source

    def fail(self, entry: str, problem: str):
        raise ContentFileError(self.source, entry, problem)

    def fields(self, kind: str, entry: str, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail(entry, f"must be an object with the fields of a {kind}")
        unknown = sorted(set(raw) - set(FIELDS[kind]))
        if unknown:
            self.fail(entry, f"unknown field {unknown[0]!r} (a {kind} has: {', '.join(FIELDS[kind])})")
        clean = {}
        for name, required in FIELDS[kind].items():
            value = raw.get(name)
            if isinstance(value, str):
                value = value.strip()
            if required and value in (None, "", []):
                self.fail(entry, f"missing {name}")
            clean[name] = value if value is not None else ""
        return clean

    def text(self, entry: str, name: str, value: Any) -> str:
        if not isinstance(value, str):
            self.fail(entry, f"{name} must be text")
        return value

    def whole(self, entry: str, name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(entry, f"{name} must be a whole number of 1 or more, not {value!r}")
        return value

    def unique(self, entry: str, name: str, value: Any, seen: set):
        if value in seen:
            self.fail(entry, f"duplicate {name} {value!r}")
        seen.add(value)

    def document(self, raw: Any) -> dict[str, Any]:
        doc = self.fields("document", "document", raw)
        framework = self.fields("framework", "framework", doc["framework"])
        for name in ("slug", "name", "description"):
            self.text("framework", name, framework[name])
        if not SLUG.match(framework["slug"]):
            self.fail("framework", f"slug {framework['slug']!r} may hold only a-z, 0-9 and -")
        version = self.fields("version", "version", doc["version"])
        self.whole("version", "number", version["number"])
        if version["status"] not in LOADABLE_STATUSES:
            self.fail(
                "version", f"status must be one of {', '.join(LOADABLE_STATUSES)}, not {version['status']!r}"
            )
        for name in ("notes", "attribution"):
            self.text("version", name, version[name])
        if not isinstance(doc["categories"], list):
            self.fail("categories", "must be a list")
        seen = {"category slug": set(), "category order": set(), "driver code": set(), "item code": set()}
        categories = [
            self.category(i, raw_category, seen) for i, raw_category in enumerate(doc["categories"], 1)
        ]
        return {"framework": framework, "version": version, "categories": categories}

    def category(self, index: int, raw: Any, seen: dict[str, set]) -> dict[str, Any]:
        slug = raw.get("slug") if isinstance(raw, dict) else None
        entry = f"category {slug!r}" if slug else f"category #{index}"
        category = self.fields("category", entry, raw)
        for name in ("slug", "name", "description"):
            self.text(entry, name, category[name])
        if not SLUG.match(category["slug"]):
            self.fail(entry, "slug may hold only a-z, 0-9 and -")
        self.whole(entry, "order", category["order"])
        self.unique(entry, "category slug", category["slug"], seen["category slug"])
        self.unique(entry, "category order", category["order"], seen["category order"])
        if not isinstance(category["drivers"], list):
            self.fail(entry, "drivers must be a list")
        orders: set[int] = set()
        category["drivers"] = [
            self.driver(f"{entry}, driver #{i}", raw_driver, seen, orders)
            for i, raw_driver in enumerate(category["drivers"], 1)
        ]
        return category

    def driver(self, fallback: str, raw: Any, seen: dict[str, set], orders: set[int]) -> dict[str, Any]:
        code = raw.get("code") if isinstance(raw, dict) else None
        entry = f"driver {code!r}" if isinstance(code, str) and code else fallback
        driver = self.fields("driver", entry, raw)
        for name in ("code", "slug", "name", "definition", "goal", "provenance"):
            self.text(entry, name, driver[name])
        if not DRIVER_CODE.match(driver["code"]):
            self.fail(entry, "code must be capital letters and digits, starting with a letter (e.g. FA)")
        self.whole(entry, "order", driver["order"])
        self.unique(entry, "driver code", driver["code"], seen["driver code"])
        self.unique(entry, "driver order in its category", driver["order"], orders)
        driver["provenance"] = self.provenance(entry, driver["provenance"])
        if not isinstance(driver["best_practices"], list):
            self.fail(entry, "best_practices must be a list")
        item_orders: set[int] = set()
        driver["best_practices"] = [
            self.best_practice(driver["code"], f"{entry}, best practice #{i}", raw_item, seen, item_orders)
            for i, raw_item in enumerate(driver["best_practices"], 1)
        ]
        return driver

    def best_practice(self, driver_code, fallback, raw, seen, orders) -> dict[str, Any]:
        code = raw.get("code") if isinstance(raw, dict) else None
        entry = f"best practice {code!r}" if isinstance(code, str) and code else fallback
        item = self.fields("best practice", entry, raw)
        for name in FIELDS["best practice"]:
            if name != "order":
                self.text(entry, name, item[name])
        prefix = item["code"].split("-", 1)[0]
        if prefix != driver_code:
            self.fail(
                entry,
                f"unknown driver {prefix!r}: the code of a best practice of driver {driver_code} "
                f"must start with '{driver_code}-'",
            )
        if not ITEM_NUMBER.match(item["code"].removeprefix(f"{driver_code}-")) or "-" not in item["code"]:
            self.fail(
                entry, f"code must be {driver_code}- and the item's number or letters, e.g. {driver_code}-1"
            )
        self.whole(entry, "order", item["order"])
        self.unique(entry, "best-practice code", item["code"], seen["item code"])
        self.unique(entry, "best-practice order in its driver", item["order"], orders)
        item["provenance"] = self.provenance(entry, item["provenance"])
        return item

    def provenance(self, entry: str, value: str) -> str:
        value = value or Provenance.IMPLHUB
        if value not in Provenance.values:
            self.fail(entry, f"provenance must be one of {', '.join(Provenance.values)}, not {value!r}")
        return value


def version_document(version: FrameworkVersion) -> dict[str, Any]:
    """The content of a version in the content-file format (what an admin exports, and what loads back)."""
    framework = version.framework
    categories = {c.pk: {**_category_fields(c), "drivers": []} for c in version.categories.order_by("order")}
    drivers = {}
    for driver in version.drivers.order_by("order"):
        drivers[driver.pk] = {**_driver_fields(driver), "best_practices": []}
        categories[driver.category_id]["drivers"].append(drivers[driver.pk])
    for item in version.best_practices.order_by("order"):
        drivers[item.driver_id]["best_practices"].append(_item_fields(item))
    return {
        "framework": {"slug": framework.slug, "name": framework.name, "description": framework.description},
        "version": {
            "number": version.number,
            "status": version.status,
            "notes": version.notes,
            "attribution": version.attribution,
        },
        "categories": list(categories.values()),
    }


def _category_fields(category: DriverCategory) -> dict[str, Any]:
    return {name: getattr(category, name) for name in ("slug", "name", "order", "description")}


def _driver_fields(driver: Driver) -> dict[str, Any]:
    names = ("code", "slug", "name", "order", "provenance", "definition", "goal")
    return {name: getattr(driver, name) for name in names}


def _item_fields(item: BestPractice) -> dict[str, Any]:
    return {name: getattr(item, name) for name in FIELDS["best practice"]}


@transaction.atomic
def load_content(document: dict[str, Any], *, source: str) -> LoadResult:
    """Write a checked document. Loading the same file twice changes nothing; a published version is
    never rewritten (a different file for it is refused); a draft's content is replaced by the file's."""
    spec_framework, spec_version = document["framework"], document["version"]
    framework, _ = Framework.objects.get_or_create(
        slug=spec_framework["slug"],
        defaults={"name": spec_framework["name"], "description": spec_framework["description"]},
    )
    version = FrameworkVersion.objects.filter(framework=framework, number=spec_version["number"]).first()
    if version is not None and not version.is_draft:
        difference = _first_difference(version_document(version), document)
        if difference:
            raise ContentFileError(
                source,
                difference,
                f"differs from {version}, which is {version.get_status_display().lower()} and cannot change; "
                "give the file a new version number instead",
            )
        return LoadResult(version=version, outcome="unchanged")

    outcome = "created" if version is None else "replaced"
    if version is None:
        version = FrameworkVersion.objects.create(framework=framework, number=spec_version["number"])
    else:
        version.categories.all().delete()
    if framework.name != spec_framework["name"] or framework.description != spec_framework["description"]:
        framework.name, framework.description = spec_framework["name"], spec_framework["description"]
        framework.save()
    version.notes, version.attribution = spec_version["notes"], spec_version["attribution"]
    version.save()
    _write_tree(version, document["categories"])
    if spec_version["status"] == FrameworkVersion.Status.PUBLISHED:
        version = version_publish(version=version)
    return LoadResult(version=version, outcome=outcome)


def _write_tree(version: FrameworkVersion, categories: list[dict[str, Any]]) -> None:
    for spec_category in categories:
        category = DriverCategory.objects.create(
            version=version, **{k: spec_category[k] for k in ("slug", "name", "order", "description")}
        )
        for spec_driver in spec_category["drivers"]:
            driver = Driver.objects.create(
                version=version,
                category=category,
                **{k: v for k, v in spec_driver.items() if k != "best_practices"},
            )
            BestPractice.objects.bulk_create(
                BestPractice(version=version, driver=driver, **spec_item)
                for spec_item in spec_driver["best_practices"]
            )


def _first_difference(stored: dict[str, Any], document: dict[str, Any]) -> str | None:
    """Names the first entry of the file whose content differs from the stored version, or None."""
    for name in ("notes", "attribution"):
        if stored["version"][name] != document["version"][name]:
            return f"version {name}"
    if len(stored["categories"]) != len(document["categories"]):
        return "categories"
    for stored_category, category in zip(stored["categories"], document["categories"], strict=True):
        entry = f"category {category['slug']!r}"
        if _without(stored_category, "drivers") != _without(category, "drivers"):
            return entry
        if len(stored_category["drivers"]) != len(category["drivers"]):
            return f"{entry}, drivers"
        for stored_driver, driver in zip(stored_category["drivers"], category["drivers"], strict=True):
            if _without(stored_driver, "best_practices") != _without(driver, "best_practices"):
                return f"driver {driver['code']!r}"
            stored_items = {item["code"]: item for item in stored_driver["best_practices"]}
            for item in driver["best_practices"]:
                if stored_items.pop(item["code"], None) != item:
                    return f"best practice {item['code']!r}"
            if stored_items:
                missing = next(iter(stored_items))
                return f"driver {driver['code']!r}, best practice {missing!r} (missing from the file)"
    return None


def _without(entry: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != key}
