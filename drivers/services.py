"""Changes to framework content: drafts, publishing, retiring, and the lineage of items and drivers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from drivers import lineage
from drivers.models import BestPractice, Driver, DriverCategory, FrameworkVersion, Lineage


def attribute_to(instance: models.Model, by: AbstractBaseUser | None) -> models.Model:
    """Names `by` as the author of the next history row of `instance`. Without `by`, django-simple-history
    takes the signed-in user of the request (its middleware); commands and tests name theirs here."""
    if by is not None:
        instance._history_user = by
    return instance


def version_publish_problems(*, version: FrameworkVersion) -> list[str]:
    """What stops a draft from being published; empty when it can be."""
    problems = []
    if not version.is_draft:
        problems.append(_("%(version)s is not a draft.") % {"version": version})
    drivers = list(version.drivers.annotate(item_count=Count("best_practices")).order_by("code"))
    if not drivers:
        problems.append(_("The version has no drivers."))
    problems += [
        _("Driver %(code)s (%(name)s) has no best practices.") % {"code": d.code, "name": d.name}
        for d in drivers
        if d.item_count == 0
    ]
    problems += [
        _("Category %(name)s has no drivers.") % {"name": c.name}
        for c in version.categories.annotate(driver_count=Count("drivers")).filter(driver_count=0)
    ]
    problems += [
        _("Best practice %(code)s has no statement.") % {"code": code}
        for code in version.best_practices.filter(statement__regex=r"^\s*$").values_list("code", flat=True)
    ]
    duplicate_codes = (
        version.best_practices.values("code")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("code", flat=True)
    )
    problems += [
        _("Best-practice code %(code)s is used more than once.") % {"code": code} for code in duplicate_codes
    ]
    problems += [
        _("Lineage of the best practices: %(problem)s") % {"problem": p}
        for p in lineage.version_problems(lineage.ITEMS, version)
    ]
    problems += [
        _("Lineage of the drivers: %(problem)s") % {"problem": p}
        for p in lineage.version_problems(lineage.DRIVERS, version)
    ]
    return problems


@transaction.atomic
def version_publish(*, version: FrameworkVersion, by: AbstractBaseUser | None = None) -> FrameworkVersion:
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    problems = version_publish_problems(version=version)
    if problems:
        raise ValidationError(problems)
    # Keys are fixed by the rules as the version becomes immutable, whatever the admin edited since the last
    # recorded mapping (a code changed in place, an item added).
    _rekey(lineage.ITEMS, version)
    _rekey(lineage.DRIVERS, version)
    version.status = FrameworkVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    attribute_to(version, by).save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def version_retire(*, version: FrameworkVersion, by: AbstractBaseUser | None = None) -> FrameworkVersion:
    if version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError(
            _("Only a published version can be retired; %(version)s is not.") % {"version": version}
        )
    version.status = FrameworkVersion.Status.RETIRED
    attribute_to(version, by).save(update_fields=["status"])
    return version


@transaction.atomic
def version_create_draft(
    *, version: FrameworkVersion, by: AbstractBaseUser | None = None
) -> FrameworkVersion:
    """A new draft holding a copy of the whole tree of `version`, with the same codes and order. Every
    copied row starts its history here, in the name of `by`."""
    framework = version.framework
    next_number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = FrameworkVersion(
        framework=framework,
        number=next_number,
        notes="",
        attribution=version.attribution,
        introduction=version.introduction,
        introduction_citation=version.introduction_citation,
        benchmark=version.benchmark,
        based_on=version,
    )
    attribute_to(draft, by).save()
    categories = list(version.categories.all())
    drivers = list(version.drivers.all())
    items = list(version.best_practices.all())

    new_categories = {
        category.pk: DriverCategory(version=draft, **content_of(category)) for category in categories
    }
    bulk_create_with_history(list(new_categories.values()), DriverCategory, default_user=by)
    new_drivers = {
        # Each copy continues its original (drivers/lineage.py) until an admin records otherwise.
        driver.pk: Driver(
            version=draft,
            category=new_categories[driver.category_id],
            lineage_key=driver.lineage_key,
            **content_of(driver),
        )
        for driver in drivers
    }
    bulk_create_with_history(list(new_drivers.values()), Driver, default_user=by)
    copies = [
        BestPractice(
            version=draft,
            driver=new_drivers[item.driver_id],
            lineage_key=item.lineage_key,
            **content_of(item),
        )
        for item in items
    ]
    bulk_create_with_history(copies, BestPractice, default_user=by)
    return draft


def content_of(entry: DriverCategory | Driver | BestPractice) -> dict:
    """The content fields of a category, driver or item: what a copy carries over and a file holds."""
    return {name: getattr(entry, name) for name in entry.CONTENT_FIELDS}


@transaction.atomic
def item_lineage_record(
    *, version: FrameworkVersion, kind: str, old_codes: list[str], new_codes: list[str]
) -> None:
    """Records where best practices of a draft come from in the version it is based on: `continues` (one
    earlier code, one new: reworded or recoded), `split` (one earlier, several new) or `merged` (several
    earlier, one new). Refused with a ValidationError naming the codes when it breaks a rule
    (drivers/lineage.py); nothing is written then. The lineage keys of the version follow."""
    _lineage_record(lineage.ITEMS, version=version, kind=kind, old_codes=old_codes, new_codes=new_codes)


@transaction.atomic
def driver_lineage_record(
    *, version: FrameworkVersion, kind: str, old_codes: list[str], new_codes: list[str]
) -> None:
    """The same for drivers (a driver renamed, recoded, split or merged)."""
    _lineage_record(lineage.DRIVERS, version=version, kind=kind, old_codes=old_codes, new_codes=new_codes)


@transaction.atomic
def item_lineage_remove(*, version: FrameworkVersion, code: str) -> None:
    """Removes the mapping a best practice of the draft takes part in (the whole split or merge), so that
    it follows the default again: the earlier item of the same code, or a lineage of its own."""
    _lineage_remove(lineage.ITEMS, version=version, code=code)


@transaction.atomic
def driver_lineage_remove(*, version: FrameworkVersion, code: str) -> None:
    _lineage_remove(lineage.DRIVERS, version=version, code=code)


def _draft_with_base(version: FrameworkVersion) -> FrameworkVersion:
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise ValidationError(
            _("%(version)s is not a draft: its lineage is part of the record.") % {"version": version}
        )
    if version.based_on_id is None:
        raise ValidationError(
            _("%(version)s is based on no earlier version, so nothing can be mapped.") % {"version": version}
        )
    return version


def _lineage_record(
    of: lineage.Kind, *, version: FrameworkVersion, kind: str, old_codes: list[str], new_codes: list[str]
) -> None:
    version = _draft_with_base(version)
    old_codes, new_codes = [c.strip() for c in old_codes], [c.strip() for c in new_codes]
    problem = lineage.mapping_shape_problem(kind, old_codes, new_codes)
    if problem:
        raise ValidationError(problem)
    problems = lineage.mapping_problems(
        lineage.version_pairs(of, version) + lineage.pairs_of(kind, old_codes, new_codes),
        old_codes=set(of.rows(version.based_on).values_list("code", flat=True)),
        new_codes=set(of.rows(version).values_list("code", flat=True)),
    )
    if problems:
        raise ValidationError(problems)
    old = {row.code: row for row in of.rows(version.based_on).filter(code__in=old_codes)}
    new = {row.code: row for row in of.rows(version).filter(code__in=new_codes)}
    for old_code in old_codes:
        for new_code in new_codes:
            # One row at a time through save(): the mapping's history records who mapped what.
            of.mapping(**{of.field: new[new_code]}, previous=old[old_code], kind=kind).save()
    _rekey(of, version)


def _lineage_remove(kind: lineage.Kind, *, version, code: str) -> None:
    version = _draft_with_base(version)
    rows = kind.mappings(version)
    mine = list(rows.filter(**{f"{kind.field}__code": code}))
    if not mine:
        raise ValidationError(_("%(code)s has no recorded mapping.") % {"code": code})
    # The whole split (every row from the same earlier item) or merge (every row into the same item) goes.
    splits = [row.previous_id for row in mine if row.kind == Lineage.SPLIT]
    for row in rows.filter(Q(pk__in=[r.pk for r in mine]) | Q(previous_id__in=splits, kind=Lineage.SPLIT)):
        row.delete()  # one at a time: the mapping's history records the removal
    _rekey(kind, version)


def _rekey(kind: lineage.Kind, version: FrameworkVersion) -> None:
    """Gives each item (or driver) of a draft the lineage key the rules of drivers/lineage.py give it,
    through save() so that the content's history sees the change."""
    keys = lineage.computed_keys(kind, version)
    changed = [row for row in kind.rows(version) if row.lineage_key != keys[row.code]]
    for row in changed:
        row.lineage_key = keys[row.code]
        row.save(update_fields=["lineage_key"])
