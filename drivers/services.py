"""Changes to framework content: drafts, publishing, retiring."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from drivers.models import BestPractice, Driver, DriverCategory, FrameworkVersion


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
    return problems


@transaction.atomic
def version_publish(*, version: FrameworkVersion, by: AbstractBaseUser | None = None) -> FrameworkVersion:
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    problems = version_publish_problems(version=version)
    if problems:
        raise ValidationError(problems)
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
