"""Reading framework content."""

from __future__ import annotations

from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.http import Http404

from drivers import lineage
from drivers.models import BestPractice, Driver, DriverCategory, FrameworkVersion, ItemLineage


def version_list(*, include_drafts: bool) -> QuerySet[FrameworkVersion]:
    versions = FrameworkVersion.objects.select_related("framework").order_by("framework__name", "-number")
    if not include_drafts:
        versions = versions.exclude(status=FrameworkVersion.Status.DRAFT)
    return versions


def version_get(*, framework_slug: str, number: int, include_drafts: bool) -> FrameworkVersion:
    version = (
        version_list(include_drafts=include_drafts)
        .filter(framework__slug=framework_slug, number=number)
        .first()
    )
    if version is None:
        raise Http404("No such framework version.")
    return version


def version_categories(*, version: FrameworkVersion) -> list[DriverCategory]:
    """Categories with their drivers and best practices, in order, each item with `origins` (where it
    comes from in the earlier version, when recorded: drivers/lineage.py), in four queries."""
    recorded = Prefetch("lineage", queryset=ItemLineage.objects.select_related("previous"))
    items = Prefetch(
        "best_practices", queryset=BestPractice.objects.order_by("order").prefetch_related(recorded)
    )
    drivers = Prefetch("drivers", queryset=Driver.objects.order_by("order").prefetch_related(items))
    categories = list(version.categories.order_by("order").prefetch_related(drivers))
    for category in categories:
        for driver in category.drivers.all():
            for item in driver.best_practices.all():
                item.origins = lineage.origins(item)
    return categories


def latest_published_version(*, framework_slug: str | None = None) -> FrameworkVersion | None:
    versions = (
        FrameworkVersion.objects.published().select_related("framework").order_by("-published_at", "-number")
    )
    if framework_slug:
        versions = versions.filter(framework__slug=framework_slug)
    return versions.first()


def version_previous(*, version: FrameworkVersion, include_drafts: bool) -> FrameworkVersion | None:
    """The version a reader compares this one with: the one it is based on, else the one numbered before
    it (among those the reader may see)."""
    based_on_first = Case(When(pk=version.based_on_id, then=0), default=1)
    return (
        version_list(include_drafts=include_drafts)
        .filter(Q(pk=version.based_on_id) | Q(number__lt=version.number), framework_id=version.framework_id)
        .order_by(based_on_first, "-number")
        .first()
    )


def item_count_of_version(version_ref: str = "version_id") -> Subquery:
    """The number of best practices of the version named by the outer query's `version_ref`, as a
    subquery: how many answers make an assessment (or a vote sheet) complete."""
    return Subquery(
        BestPractice.objects.filter(version_id=OuterRef(version_ref))
        .order_by()
        .values("version_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
