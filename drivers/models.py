"""The best-practice content: frameworks, their versions, categories, drivers and best practices.

A published (or retired) version is a record that past assessments point at, so it and everything under
it is immutable: saves, deletes, queryset updates and queryset deletes of such rows raise
`PublishedContentError` before anything is written. To change published content, copy it into a new draft
(`drivers.services.version_create_draft`), edit, publish.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from drivers import formatting, scale

# The working benchmark of the related capacity assessments: a driver at or above it has adequate capacity.
DEFAULT_BENCHMARK = 80


def framework_order(path: str = "") -> list[str]:
    """The order of items in the framework (category, driver, item), for a query of items (`path` "")
    or of rows that point to items (`path` "item")."""
    prefix = f"{path}__" if path else ""
    return [f"{prefix}driver__category__order", f"{prefix}driver__order", f"{prefix}order"]


class PublishedContentError(ValidationError):
    """Raised on any attempt to change or delete content of a published or retired version."""


class Provenance(models.TextChoices):
    SOURCE = "source", _("From the source text")
    IMPLHUB = "implhub", _("Written for implhub")


class Framework(models.Model):
    # Its index finds the framework of the content browser's address (drivers.selectors, by slug).
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def locked_error(*, label: object, status: str, verb: str) -> PublishedContentError:
    """The refusal of a change (`verb`: "added", "changed" or "deleted") to content of a version that is
    `status` ("published" or "retired"), each combination a whole sentence for translators."""
    messages = {
        ("published", "added"): gettext(
            "%(label)s belongs to a published version and cannot be added; create a new draft version."
        ),
        ("published", "changed"): gettext(
            "%(label)s belongs to a published version and cannot be changed; create a new draft version."
        ),
        ("published", "deleted"): gettext(
            "%(label)s belongs to a published version and cannot be deleted; create a new draft version."
        ),
        ("retired", "added"): gettext(
            "%(label)s belongs to a retired version and cannot be added; create a new draft version."
        ),
        ("retired", "changed"): gettext(
            "%(label)s belongs to a retired version and cannot be changed; create a new draft version."
        ),
        ("retired", "deleted"): gettext(
            "%(label)s belongs to a retired version and cannot be deleted; create a new draft version."
        ),
    }
    # Only published and retired versions are locked; anything else is refused in the words of "published".
    message = messages.get((status, verb), messages[("published", verb)])
    return PublishedContentError(message % {"label": label})


class ContentQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes that would reach rows of a published or retired version."""

    @property
    def status_field(self) -> str:
        return self.model.status_path

    def _refuse_locked(self, verb: str) -> None:
        locked = self.exclude(**{self.status_field: FrameworkVersion.Status.DRAFT}).first()
        if locked is not None:
            raise locked_error(label=locked, status=locked.content_version().status, verb=verb)

    def update(self, **kwargs):
        self._refuse_locked("changed")
        return super().update(**kwargs)

    def delete(self):
        self._refuse_locked("deleted")
        return super().delete()

    update.queryset_only = True
    delete.queryset_only = True


class VersionQuerySet(ContentQuerySet):
    status_field = "status"

    def update(self, **kwargs):
        # A version's own status moves forward (publish, retire); nothing else of a locked one may change.
        if not (set(kwargs) <= {"status", "published_at"} and kwargs.get("status") != "draft"):
            self._refuse_locked("changed")
        return models.QuerySet.update(self, **kwargs)

    update.queryset_only = True

    def published(self) -> VersionQuerySet:
        return self.filter(status=FrameworkVersion.Status.PUBLISHED)


def refuse_html(instance: models.Model, fields) -> None:
    """Refuses HTML in the text `fields` of a content row, naming each field (content text has its own
    small formatting subset, drivers/formatting.py)."""
    errors = {}
    for name in fields:
        value = getattr(instance, name)
        problem = formatting.markup_problem(value) if isinstance(value, str) else None
        if problem:
            errors[name] = problem[0].upper() + problem[1:] + "."
    if errors:
        raise ValidationError(errors)


class LockedWhenPublished(models.Model):
    """Content that lives inside a version: writable while the version is a draft, and only then."""

    # Where the status of the row's version is, from the row (a lookup path).
    status_path = "version__status"

    class Meta:
        abstract = True

    def content_version(self) -> FrameworkVersion:
        raise NotImplementedError

    def clean(self):
        super().clean()
        refuse_html(self, getattr(self, "CONTENT_FIELDS", ()))

    def _refuse_if_locked(self, verb: str) -> None:
        # Both the stored row's version and the one it would move to must be drafts.
        stored = type(self).objects.filter(pk=self.pk).values_list(self.status_path, flat=True).first()
        statuses = {stored, self.content_version().status} - {None}
        locked = statuses - {FrameworkVersion.Status.DRAFT}
        if locked:
            raise locked_error(label=self, status=locked.pop(), verb=verb)

    def save(self, *args, **kwargs):
        self._refuse_if_locked("changed" if self.pk else "added")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked("deleted")
        return super().delete(*args, **kwargs)


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(
        blank=True, help_text=_("What changed in this version, for the people who use it.")
    )
    attribution = models.TextField(
        blank=True, help_text=_("Where the source text of this version comes from.")
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived_versions"
    )
    introduction = models.TextField(
        blank=True,
        help_text=_("What implementation drivers are, at the top of the framework page (formatted text)."),
    )
    introduction_citation = models.CharField(
        max_length=300, blank=True, help_text=_("Where the introduction is quoted from, when it is quoted.")
    )
    benchmark = models.PositiveSmallIntegerField(
        default=DEFAULT_BENCHMARK,
        help_text=_("Percent: a driver at or above it has adequate capacity (the line on every chart)."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = VersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework__name", "-number"]
        constraints = [
            # Its index finds the version of the content browser's address (framework and number).
            models.UniqueConstraint(
                fields=["framework", "number"], name="version_number_unique_in_framework"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "retired"]), name="version_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(benchmark__gte=1, benchmark__lte=100), name="version_benchmark_a_percent"
            ),
        ]

    def __str__(self) -> str:
        texts = {
            self.Status.DRAFT: gettext("%(framework)s v%(number)d (draft)"),
            self.Status.PUBLISHED: gettext("%(framework)s v%(number)d (published)"),
            self.Status.RETIRED: gettext("%(framework)s v%(number)d (retired)"),
        }
        text = texts.get(self.status, "%(framework)s v%(number)d")  # no status outside the choices is saved
        return text % {"framework": self.framework.name, "number": self.number}

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def label(self) -> str:
        return gettext("v%(number)d") % {"number": self.number}

    def content_version(self) -> FrameworkVersion:
        return self

    def clean(self):
        super().clean()
        refuse_html(self, ("notes", "attribution", "introduction", "introduction_citation"))

    def save(self, *args, **kwargs):
        if self._locked_version_changed():
            raise locked_error(label=self, status="published", verb="changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if type(self).objects.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists():
            raise locked_error(label=self, status=self.status, verb="deleted")
        return super().delete(*args, **kwargs)

    def _locked_version_changed(self) -> bool:
        """A locked version may only move its status forward (published -> retired), nothing else."""
        if self.pk is None:
            return False
        stored = (
            type(self)
            .objects.filter(pk=self.pk)
            .values(
                "status",
                "number",
                "notes",
                "attribution",
                "framework_id",
                "introduction",
                "introduction_citation",
                "benchmark",
            )
            .first()
        )
        if stored is None or stored.pop("status") == self.Status.DRAFT:
            return False
        if self.status == self.Status.DRAFT:
            return True
        return any(getattr(self, field) != value for field, value in stored.items())


class DriverCategory(LockedWhenPublished):
    # The fields that make up the content (what a new draft copies and a content file holds), in file order.
    CONTENT_FIELDS = ("slug", "name", "order", "description")

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField()

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order"]
        verbose_name_plural = _("driver categories")
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="category_slug_unique_in_version"),
            models.UniqueConstraint(fields=["version", "order"], name="category_order_unique_in_version"),
        ]

    def __str__(self) -> str:
        return self.name

    def content_version(self) -> FrameworkVersion:
        return self.version


class Driver(LockedWhenPublished):
    CONTENT_FIELDS = ("code", "slug", "name", "order", "definition", "goal", "provenance")

    # `version` repeats the category's so that codes can be unique per version in the database.
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="drivers")
    category = models.ForeignKey(DriverCategory, on_delete=models.CASCADE, related_name="drivers")
    code = models.CharField(max_length=12, help_text=_("Stable across versions, e.g. FA."))
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    definition = models.TextField()
    goal = models.TextField(blank=True)
    order = models.PositiveIntegerField()
    provenance = models.CharField(max_length=10, choices=Provenance.choices, default=Provenance.IMPLHUB)
    # Which driver this is across versions (drivers/lineage.py): kept from the driver it continues. Indexed
    # for the drivers of every version with given keys (the action plan's driver names,
    # actions.selectors.plan); a version has 7 drivers, so PostgreSQL reads the table whole while there
    # are few versions.
    lineage_key = models.CharField(max_length=40, editable=False, db_index=True, default="")

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "category__order", "order"]
        constraints = [
            # Its index finds a driver by the code in an address: the results' driver page
            # (reports.selectors.driver_items), an action's driver (actions.selectors.plan).
            models.UniqueConstraint(fields=["version", "code"], name="driver_code_unique_in_version"),
            models.UniqueConstraint(fields=["category", "order"], name="driver_order_unique_in_category"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.version_id = self.category.version_id
        self.lineage_key = self.lineage_key or self.code  # a new driver starts its own lineage
        super().save(*args, **kwargs)

    def content_version(self) -> FrameworkVersion:
        return self.category.version


class BestPractice(LockedWhenPublished):
    CONTENT_FIELDS = (
        "code",
        "order",
        "statement",
        "guidance",
        "provenance",
        "rubric_in_place",
        "rubric_partially_in_place",
        "rubric_not_in_place",
        "calls_for_people_served",
        "editorial_note",
        "resources",
    )
    RUBRIC_FIELDS = {
        scale.IN_PLACE: "rubric_in_place",
        scale.PARTIALLY_IN_PLACE: "rubric_partially_in_place",
        scale.NOT_IN_PLACE: "rubric_not_in_place",
    }

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="best_practices")
    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="best_practices")
    code = models.CharField(max_length=16, help_text=_("Stable across versions, e.g. FA-3."))
    order = models.PositiveIntegerField()
    statement = models.TextField()
    guidance = models.TextField(blank=True)
    rubric_in_place = models.TextField(_("in place looks like"), blank=True)
    rubric_partially_in_place = models.TextField(_("partially in place looks like"), blank=True)
    rubric_not_in_place = models.TextField(_("not in place looks like"), blank=True)
    calls_for_people_served = models.BooleanField(
        _("calls for the voice of the people served"),
        default=False,
        help_text=_(
            "Its consensus needs participants from the people served (service recipients, families, "
            "community members); completing without them is flagged."
        ),
    )
    provenance = models.CharField(max_length=10, choices=Provenance.choices, default=Provenance.IMPLHUB)
    # A deliberate change to the source's wording (a typo fixed), told to readers beside the text.
    editorial_note = models.CharField(max_length=300, blank=True)
    # The codes of the drivers this item resources (FA-1 resources SEL, TRN and COA), in this version.
    resources = models.JSONField(default=list, blank=True)
    # Which best practice this is across versions (drivers/lineage.py): kept from the item it continues.
    # Indexed for the item of another version with the same key (lineage.same_item_in: the vote sheet's
    # "new since the upgrade"; answers matched across versions by results, the loop and the coach queue);
    # a version has 45 items, so PostgreSQL reads the table whole while there are few versions.
    lineage_key = models.CharField(max_length=40, editable=False, db_index=True, default="")

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", *framework_order()]
        verbose_name = _("best practice")
        constraints = [
            # Its index finds an item by the code in an address: voting on an item, saving its consensus,
            # the meeting's item, an item's history and comments (services.common, selectors).
            models.UniqueConstraint(fields=["version", "code"], name="item_code_unique_in_version"),
            models.UniqueConstraint(fields=["driver", "order"], name="item_order_unique_in_driver"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:60]}"

    def save(self, *args, **kwargs):
        self.version_id = self.driver.version_id
        self.lineage_key = self.lineage_key or self.code  # a new item starts its own lineage
        super().save(*args, **kwargs)

    def content_version(self) -> FrameworkVersion:
        return self.driver.version

    @property
    def rubric(self) -> list[tuple[str, str]]:
        """(level, what it looks like) for each level of the scale this item describes, best first."""
        levels = (
            (scale.SCORE_LABELS_WITH_POINTS[s], getattr(self, f)) for s, f in self.RUBRIC_FIELDS.items()
        )
        return [(label, text) for label, text in levels if text]

    @property
    def has_rubric(self) -> bool:
        return bool(self.rubric)


class Lineage(models.TextChoices):
    CONTINUES = "continues", _("continues (same best practice, perhaps reworded or recoded)")
    SPLIT = "split", _("split from (one earlier practice became several)")
    MERGED = "merged", _("merged from (several earlier practices became one)")


class ItemLineage(LockedWhenPublished):
    """Where a best practice of a version comes from in the version it is based on, when that is not simply
    the item of the same code: a reworded or recoded item continues an earlier one; a split or merge is
    recorded row by row. drivers/lineage.py reads these; the rules are checked there."""

    item = models.ForeignKey(BestPractice, on_delete=models.CASCADE, related_name="lineage")
    previous = models.ForeignKey(BestPractice, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Lineage.choices, default=Lineage.CONTINUES)

    status_path = "item__version__status"
    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "previous"], name="item_lineage_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["continues", "split", "merged"]), name="item_lineage_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.kind} {self.previous.code}"

    def content_version(self) -> FrameworkVersion:
        return self.item.driver.version


class DriverLineage(LockedWhenPublished):
    """The same for drivers: a renamed, recoded, split or merged driver and the earlier one(s)."""

    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="lineage")
    previous = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Lineage.choices, default=Lineage.CONTINUES)

    status_path = "driver__version__status"
    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["driver", "previous"], name="driver_lineage_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["continues", "split", "merged"]),
                name="driver_lineage_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.driver.code} {self.kind} {self.previous.code}"

    def content_version(self) -> FrameworkVersion:
        return self.driver.category.version
