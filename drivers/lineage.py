"""Which best practices and drivers of different framework versions are the same one.

A team's assessments may sit on different versions of the content. Wherever two of them are compared (the
change since the previous assessment, progress over time, the portfolio's driver columns, the action loop
and the upgrade of an assessment to a newer version) items and drivers are matched by their *lineage key*,
stored on each row (`lineage_key`) and defined here and nowhere else:

- An item of a version without a recorded mapping keeps the key of the item of the same code in the version
  it is based on (what a new draft's copy already carries), unless that earlier item is mapped elsewhere.
- A *continues* mapping (one earlier item, one new, same or new code) gives the new item the key of the
  earlier one: a reworded or recoded item keeps its history.
- A *split* (one earlier item, several new) or *merge* (several earlier, one new) starts a new lineage that
  remembers where it came from (`origins`), as does any item that continues nothing.
- A new lineage's key is its code, unless an earlier version of the framework used that key for another
  lineage: then `{code}~{version number}`. So keys are unique within a version and a new lineage never
  takes the history of an old one.

Drivers follow the same rules with DriverLineage. A version without `based_on` (loaded from a content file)
keeps the keys it was given: its codes.

Each key comes two ways: from a row in memory, and as a database expression, so that a query can key its
rows the same way without a second round trip. The mapping rules (`mapping_problems`) are checked here too,
for the services that record mappings and for publishing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Model, OuterRef, QuerySet
from django.utils.translation import gettext as _

from drivers.models import (
    BestPractice,
    Driver,
    DriverLineage,
    FrameworkVersion,
    ItemLineage,
    Lineage,
    framework_order,
)


def item_key(item: BestPractice) -> str:
    return item.lineage_key


def item_key_expression(path: str = "") -> F:
    """The lineage key of the item at `path` ("" for a BestPractice query, "item" for one of answers)."""
    return F(f"{path}__lineage_key" if path else "lineage_key")


def driver_key(driver: Driver) -> str:
    return driver.lineage_key


def driver_key_expression(path: str = "") -> F:
    """The lineage key of the driver at `path` ("" for a Driver query, "driver" for one of items)."""
    return F(f"{path}__lineage_key" if path else "lineage_key")


def same_item_in(version_ids) -> QuerySet[BestPractice]:
    """The item of `version_ids` (ids, or a subquery of them) that is the outer query's item, for Exists()."""
    return BestPractice.objects.filter(version_id__in=version_ids, lineage_key=OuterRef("lineage_key"))


@dataclass(frozen=True)
class Kind:
    """Items or drivers: the content model, its mapping model and the mapping's field for the new row."""

    content: type[Model]
    mapping: type[Model]
    field: str

    def rows(self, version: FrameworkVersion):
        return self.content.objects.filter(version=version)

    def mappings(self, version: FrameworkVersion):
        return self.mapping.objects.filter(**{f"{self.field}__version": version})


ITEMS = Kind(BestPractice, ItemLineage, "item")
DRIVERS = Kind(Driver, DriverLineage, "driver")


@dataclass(frozen=True)
class Pair:
    """One row of a mapping: `new` (a code of the version) comes from `old` (a code of its `based_on`)."""

    kind: str
    old: str
    new: str


def pairs_of(kind: str, old_codes: Iterable[str], new_codes: Iterable[str]) -> list[Pair]:
    return [Pair(kind, old, new) for old in old_codes for new in new_codes]


def mapping_shape_problem(kind: str, old_codes: list[str], new_codes: list[str]) -> str | None:
    """What is wrong with the shape of one mapping as an admin enters it, or None."""
    names = {"old": ", ".join(old_codes) or "-", "new": ", ".join(new_codes) or "-"}
    if kind not in Lineage.values:
        message = _("%(kind)s is not a kind of mapping; choose continues, split or merged.")
        return message % {"kind": repr(kind)}
    if len(set(old_codes)) != len(old_codes) or len(set(new_codes)) != len(new_codes):
        return _("A code is listed twice in the mapping %(old)s -> %(new)s.") % names
    if kind == Lineage.CONTINUES and (len(old_codes), len(new_codes)) != (1, 1):
        return _("Continues maps exactly one earlier code to one new code, not %(old)s -> %(new)s.") % names
    if kind == Lineage.SPLIT and (len(old_codes) != 1 or len(new_codes) < 2):
        return _("A split maps one earlier code to two or more new codes, not %(old)s -> %(new)s.") % names
    if kind == Lineage.MERGED and (len(old_codes) < 2 or len(new_codes) != 1):
        return _("A merge maps two or more earlier codes to one new code, not %(old)s -> %(new)s.") % names
    return None


def mapping_problems(pairs: list[Pair], *, old_codes: set[str], new_codes: set[str]) -> list[str]:
    """What breaks the rules in the whole set of mappings of a version: codes that do not exist in their
    versions, a row recorded twice, an earlier code in several mappings other than one split, a new code
    in several mappings other than one merge, a split into one or a merge of one."""
    problems = []
    for code in sorted({p.old for p in pairs} - old_codes):
        problems.append(_("%(code)s is not a code of the earlier version.") % {"code": code})
    for code in sorted({p.new for p in pairs} - new_codes):
        problems.append(_("%(code)s is not a code of this version.") % {"code": code})
    seen = set()
    for pair in pairs:
        if (pair.old, pair.new) in seen:
            problems.append(_("%(old)s -> %(new)s is mapped twice.") % {"old": pair.old, "new": pair.new})
        seen.add((pair.old, pair.new))
    by_old, by_new = defaultdict(list), defaultdict(list)
    for pair in pairs:
        by_old[pair.old].append(pair)
        by_new[pair.new].append(pair)
    for old, group in sorted(by_old.items()):
        kinds = {p.kind for p in group}
        if len(group) > 1 and kinds != {Lineage.SPLIT}:
            problems.append(
                _(
                    "%(code)s is mapped more than once (to %(codes)s); only a split maps an earlier code to "
                    "several new ones."
                )
                % {"code": old, "codes": ", ".join(sorted(p.new for p in group))}
            )
        elif kinds == {Lineage.SPLIT} and len(group) < 2:
            problems.append(
                _("%(code)s is split into %(new)s only; a split has two or more new codes.")
                % {"code": old, "new": group[0].new}
            )
    for new, group in sorted(by_new.items()):
        kinds = {p.kind for p in group}
        if len(group) > 1 and kinds != {Lineage.MERGED}:
            problems.append(
                _(
                    "%(code)s is mapped more than once (from %(codes)s); only a merge maps several earlier "
                    "codes to one new one."
                )
                % {"code": new, "codes": ", ".join(sorted(p.old for p in group))}
            )
        elif kinds == {Lineage.MERGED} and len(group) < 2:
            problems.append(
                _("%(code)s is merged from %(old)s only; a merge has two or more earlier codes.")
                % {"code": new, "old": group[0].old}
            )
    return problems


def version_pairs(kind: Kind, version: FrameworkVersion) -> list[Pair]:
    """The recorded mappings of a version as pairs of codes, in one query."""
    rows = kind.mappings(version).values_list("kind", "previous__code", f"{kind.field}__code")
    return [Pair(k, old, new) for k, old, new in rows.order_by("pk")]


def version_problems(kind: Kind, version: FrameworkVersion) -> list[str]:
    """The mapping problems of a version (publishing refuses any), and lineage keys its items would share."""
    pairs = version_pairs(kind, version)
    problems = []
    if pairs and version.based_on_id is None:
        problems.append(_("The version records mappings but is based on no earlier version."))
    outside = kind.mappings(version).exclude(previous__version_id=version.based_on_id)
    problems += [
        _("%(new)s is mapped from %(old)s, which is not in the version this one is based on.")
        % {"new": getattr(row, kind.field).code, "old": row.previous.code}
        for row in outside.select_related(kind.field, "previous")
    ]
    old_codes = set(kind.rows(version.based_on).values_list("code", flat=True)) if version.based_on else set()
    problems += mapping_problems(
        pairs, old_codes=old_codes, new_codes=set(kind.rows(version).values_list("code", flat=True))
    )
    keys = defaultdict(list)
    for code, key in computed_keys(kind, version).items():
        keys[key].append(code)
    problems += [
        _("%(codes)s would share the lineage key %(key)s.") % {"codes": ", ".join(sorted(codes)), "key": key}
        for key, codes in sorted(keys.items())
        if len(codes) > 1
    ]
    return problems


def computed_keys(kind: Kind, version: FrameworkVersion) -> dict[str, str]:
    """code -> lineage key of every item (or driver) of the version, by the rules above, in four queries."""
    rows = dict(kind.rows(version).values_list("code", "lineage_key"))
    if version.based_on_id is None:
        return rows  # loaded from a file: its codes are its keys, given when it was written
    earlier = dict(kind.rows(version.based_on).values_list("code", "lineage_key"))
    recorded = defaultdict(list)
    for pair in version_pairs(kind, version):
        recorded[pair.new].append(pair)
    mapped_old = {pair.old for pairs in recorded.values() for pair in pairs}
    used = set(
        kind.content.objects.filter(
            version__framework_id=version.framework_id, version__number__lt=version.number
        ).values_list("lineage_key", flat=True)
    )

    def new_lineage(code: str) -> str:
        return f"{code}~{version.number}" if code in used else code

    keys = {}
    for code in rows:
        pairs = recorded.get(code)
        if pairs and pairs[0].kind == Lineage.CONTINUES:
            keys[code] = earlier.get(pairs[0].old, new_lineage(code))
        elif pairs:
            keys[code] = new_lineage(code)  # split or merged: a lineage of its own that knows its origins
        elif code in earlier and code not in mapped_old:
            keys[code] = earlier[code]
        else:
            keys[code] = new_lineage(code)
    return keys


@dataclass(frozen=True)
class Origin:
    kind: str  # Lineage
    previous: list  # the earlier items (or drivers), in code order

    @property
    def codes(self) -> str:
        return ", ".join(p.code for p in self.previous)


def origins(entry: BestPractice | Driver) -> list[Origin]:
    """Where an item (or driver) comes from, as recorded: "continues FA-3", "split from SI-2", "merged from
    FA-1, FA-2". Reads `entry.lineage.all()`, so prefetch it (with `previous`) for a list of entries."""
    by_kind = defaultdict(list)
    for row in entry.lineage.all():
        by_kind[row.kind].append(row.previous)
    return [
        Origin(kind, sorted(previous, key=lambda p: p.code))
        for kind in Lineage.values
        if (previous := by_kind.get(kind))
    ]


# What became of an item between two versions, for the upgrade of an assessment.
CONTINUES, SPLIT, MERGED, REMOVED, NEW = "continues", "split", "merged", "removed", "new"


@dataclass
class OldFate:
    item: BestPractice
    fate: str  # CONTINUES, SPLIT (into `successors`), MERGED (into the one successor), REMOVED
    successors: list[BestPractice] = field(default_factory=list)
    wording_changed: bool = False  # continues with another statement


@dataclass
class NewOrigin:
    item: BestPractice
    origin: str  # CONTINUES (`previous` is the one earlier item), SPLIT, MERGED (from `previous`), NEW
    previous: list[BestPractice] = field(default_factory=list)
    wording_changed: bool = False


@dataclass
class Successors:
    old: dict[int, OldFate]  # by the old item's id, in framework order
    new: dict[int, NewOrigin]  # by the new item's id, in framework order


def successors(old_version: FrameworkVersion, new_version: FrameworkVersion) -> Successors:
    """Each item of `old_version` with its fate in `new_version`, and each item of `new_version` with its
    origin, however many versions apart (lineage keys carry continuation across them; split and merge
    rows are followed back to the old version). Three queries."""
    old_items = list(
        BestPractice.objects.filter(version=old_version).select_related("driver").order_by(*framework_order())
    )
    new_items = list(
        BestPractice.objects.filter(version=new_version).select_related("driver").order_by(*framework_order())
    )
    # The split and merge rows of the framework, key to key: each started a new lineage, so each new key
    # has its origins recorded once, in the version where it began.
    started = defaultdict(list)
    for kind, key, previous_key in ItemLineage.objects.filter(
        item__version__framework_id=new_version.framework_id, kind__in=[Lineage.SPLIT, Lineage.MERGED]
    ).values_list("kind", "item__lineage_key", "previous__lineage_key"):
        started[key].append((kind, previous_key))
    old_by_key = {item.lineage_key: item for item in old_items}

    def roots(key: str, seen: frozenset = frozenset()) -> list[BestPractice]:
        """The items of the old version a lineage comes from, through any number of splits and merges."""
        found = []
        for _kind, previous_key in started.get(key, []):
            if previous_key in old_by_key:
                found.append(old_by_key[previous_key])
            elif previous_key not in seen:
                found += roots(previous_key, seen | {key})
        return found

    old = {item.pk: OldFate(item=item, fate=REMOVED) for item in old_items}
    new = {}
    for item in new_items:
        earlier = old_by_key.get(item.lineage_key)
        if earlier is not None:
            changed = earlier.statement != item.statement
            new[item.pk] = NewOrigin(item, CONTINUES, [earlier], wording_changed=changed)
            old[earlier.pk] = OldFate(earlier, CONTINUES, [item], wording_changed=changed)
            continue
        previous = sorted(set(roots(item.lineage_key)), key=lambda p: p.code)
        if not previous:
            new[item.pk] = NewOrigin(item, NEW)
            continue
        # Named by the row where its lineage began (a merge of old items, or a split of one).
        kind = MERGED if started[item.lineage_key][0][0] == Lineage.MERGED else SPLIT
        new[item.pk] = NewOrigin(item, kind, previous)
        for p in previous:
            if old[p.pk].fate != CONTINUES:
                old[p.pk].successors.append(item)
    for fate in old.values():
        if fate.fate == REMOVED and fate.successors:
            merged = len(fate.successors) == 1 and new[fate.successors[0].pk].origin == MERGED
            fate.fate = MERGED if merged else SPLIT
    return Successors(old=old, new=new)
