"""Changes to framework content: drafts, publishing, retiring."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from drivers.models import BestPractice, Driver, DriverCategory, FrameworkVersion


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
    duplicate_codes = (
        version.best_practices.values("code")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("code", flat=True)
    )
    problems += [
        _("Best-practice code %(code)s is used more than once.") % {"code": code} for code in duplicate_codes
    ]
    return problems


@transaction.atomic
def version_publish(*, version: FrameworkVersion) -> FrameworkVersion:
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    problems = version_publish_problems(version=version)
    if problems:
        raise ValidationError(problems)
    version.status = FrameworkVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def version_retire(*, version: FrameworkVersion) -> FrameworkVersion:
    if version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError(
            _("Only a published version can be retired; %(version)s is not.") % {"version": version}
        )
    version.status = FrameworkVersion.Status.RETIRED
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def version_create_draft(*, version: FrameworkVersion) -> FrameworkVersion:
    """A new draft holding a copy of the whole tree of `version`, with the same codes and order."""
    framework = version.framework
    next_number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = FrameworkVersion.objects.create(
        framework=framework,
        number=next_number,
        notes="",
        attribution=version.attribution,
        introduction=version.introduction,
        introduction_citation=version.introduction_citation,
        benchmark=version.benchmark,
        based_on=version,
    )
    categories = list(version.categories.all())
    drivers = list(version.drivers.all())
    items = list(version.best_practices.all())

    new_categories = {
        category.pk: DriverCategory(version=draft, **content_of(category)) for category in categories
    }
    DriverCategory.objects.bulk_create(new_categories.values())
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
    Driver.objects.bulk_create(new_drivers.values())
    BestPractice.objects.bulk_create(
        BestPractice(
            version=draft,
            driver=new_drivers[item.driver_id],
            lineage_key=item.lineage_key,
            **content_of(item),
        )
        for item in items
    )
    return draft


def content_of(entry: DriverCategory | Driver | BestPractice) -> dict:
    """The content fields of a category, driver or item: what a copy carries over and a file holds."""
    return {name: getattr(entry, name) for name in entry.CONTENT_FIELDS}
