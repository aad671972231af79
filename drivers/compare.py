"""What changed between two versions of a framework, as plain data for the compare page.

Drivers and best practices are matched by their lineage key (`drivers.lineage`), so a reworded, recoded or
moved item is one item that changed, not one removed and another added. Categories have no lineage of
their own: they match by slug. Four queries, whatever the size of the versions.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from drivers import lineage
from drivers.models import (
    BestPractice,
    Driver,
    DriverCategory,
    FrameworkVersion,
    ItemLineage,
    framework_order,
)

# The text of an item whose change is shown word by word; its other content fields are only named.
ITEM_TEXT = ("statement", "guidance", *BestPractice.RUBRIC_FIELDS.values())
ITEM_OTHER = tuple(name for name in BestPractice.CONTENT_FIELDS if name not in ("code", "order", *ITEM_TEXT))
DRIVER_TEXT = ("name", "definition", "goal")
DRIVER_OTHER = ("provenance",)
CATEGORY_TEXT = ("name", "description")

SAME, REMOVED, ADDED = "same", "removed", "added"


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The words of `after` against those of `before`, as runs of (SAME | REMOVED | ADDED, words)."""
    old, new = before.split(), after.split()
    tokens = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            tokens.append((SAME, " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            tokens.append((REMOVED, " ".join(old[i1:i2])))
        if j2 > j1:
            tokens.append((ADDED, " ".join(new[j1:j2])))
    return tokens


@dataclass(frozen=True)
class TextChange:
    label: str
    tokens: list[tuple[str, str]]


@dataclass(frozen=True)
class Change:
    """One category, driver or item present in both versions, and how it changed."""

    before: models.Model
    after: models.Model
    texts: list[TextChange] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # labels of the other fields that changed

    @property
    def recoded(self) -> bool:
        return getattr(self.before, "code", None) != getattr(self.after, "code", None)


@dataclass(frozen=True)
class Move:
    before: BestPractice
    after: BestPractice

    @property
    def to_another_driver(self) -> bool:
        return lineage.driver_key(self.before.driver) != lineage.driver_key(self.after.driver)


@dataclass(frozen=True)
class Added:
    entry: models.Model
    # For an item: the earlier items it is recorded to come from, as (kind label, code).
    origins: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class VersionComparison:
    before: FrameworkVersion
    after: FrameworkVersion
    categories_added: list[Added]
    categories_removed: list[DriverCategory]
    categories_changed: list[Change]
    drivers_added: list[Added]
    drivers_removed: list[Driver]
    drivers_changed: list[Change]
    items_added: list[Added]
    items_removed: list[BestPractice]
    items_reworded: list[Change]
    items_moved: list[Move]

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.categories_added,
                self.categories_removed,
                self.categories_changed,
                self.drivers_added,
                self.drivers_removed,
                self.drivers_changed,
                self.items_added,
                self.items_removed,
                self.items_reworded,
                self.items_moved,
            )
        )


def version_compare(*, before: FrameworkVersion, after: FrameworkVersion) -> VersionComparison:
    """How `after` differs from `before` (two versions of one framework, in either order)."""
    versions = (before.pk, after.pk)
    categories = DriverCategory.objects.filter(version__in=versions).order_by("order")
    drivers = (
        Driver.objects.filter(version__in=versions)
        .select_related("category")
        .order_by("category__order", "order")
    )
    items = (
        BestPractice.objects.filter(version__in=versions)
        .select_related("driver__category")
        .order_by(*framework_order())
    )
    origins = defaultdict(list)
    links = ItemLineage.objects.filter(item__version=after, previous__version=before)
    for link in links.select_related("previous").order_by("previous__code"):
        origins[link.item_id].append((link.get_kind_display(), link.previous.code))

    old_categories, new_categories = _split(categories, before, key=lambda c: c.slug)
    old_drivers, new_drivers = _split(drivers, before, key=lineage.driver_key)
    old_items, new_items = _split(items, before, key=lineage.item_key)

    return VersionComparison(
        before=before,
        after=after,
        categories_added=[Added(c) for key, c in new_categories.items() if key not in old_categories],
        categories_removed=[c for key, c in old_categories.items() if key not in new_categories],
        categories_changed=_changes(old_categories, new_categories, CATEGORY_TEXT, ()),
        drivers_added=[Added(d) for key, d in new_drivers.items() if key not in old_drivers],
        drivers_removed=[d for key, d in old_drivers.items() if key not in new_drivers],
        drivers_changed=_changes(old_drivers, new_drivers, DRIVER_TEXT, DRIVER_OTHER, _driver_moved),
        items_added=[Added(i, origins[i.pk]) for key, i in new_items.items() if key not in old_items],
        items_removed=[i for key, i in old_items.items() if key not in new_items],
        items_reworded=_changes(old_items, new_items, ITEM_TEXT, ITEM_OTHER),
        items_moved=_moves(old_items, new_items),
    )


def _split(rows, before: FrameworkVersion, *, key) -> tuple[dict, dict]:
    """The rows of each version by their key, in framework order (a version compared with itself: the
    same rows twice)."""
    old, new = {}, {}
    for row in rows:
        (old if row.version_id == before.pk else new)[key(row)] = row
    return old, new or old


def _label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _driver_moved(before: Driver, after: Driver) -> list[str]:
    return [_label(Driver, "category")] if before.category.slug != after.category.slug else []


def _changes(old: dict, new: dict, texts: tuple, others: tuple, extra=None) -> list[Change]:
    changes = []
    for key, after in new.items():
        before = old.get(key)
        if before is None:
            continue
        model = type(after)
        text_changes = [
            TextChange(_label(model, name), word_diff(getattr(before, name), getattr(after, name)))
            for name in texts
            if getattr(before, name) != getattr(after, name)
        ]
        other_changes = [
            _label(model, name) for name in others if getattr(before, name) != getattr(after, name)
        ]
        if extra is not None:
            other_changes += extra(before, after)
        if text_changes or other_changes or getattr(before, "code", None) != getattr(after, "code", None):
            changes.append(Change(before, after, text_changes, other_changes))
    return changes


def _moves(old: dict[str, BestPractice], new: dict[str, BestPractice]) -> list[Move]:
    """Items now under another driver, and items whose place among the items that stayed in their driver
    changed. An item added or removed shifts the order of the others; that alone is no move."""
    moved = set()
    stayed = defaultdict(lambda: ([], []))  # driver key: (keys in the old order, keys in the new order)
    for key, after in new.items():
        before = old.get(key)
        if before is None:
            continue
        if lineage.driver_key(before.driver) != lineage.driver_key(after.driver):
            moved.add(key)
        else:
            stayed[lineage.driver_key(after.driver)][1].append(key)
    for key, before in old.items():
        if key in new and key not in moved:
            stayed[lineage.driver_key(before.driver)][0].append(key)
    for old_order, new_order in stayed.values():
        matcher = difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False)
        kept = {
            key
            for block in matcher.get_matching_blocks()
            for key in old_order[block.a : block.a + block.size]
        }
        moved |= set(new_order) - kept
    return [Move(old[key], after) for key, after in new.items() if key in moved]
