"""Content admin. Drafts are edited here; published and retired versions are shown read-only."""

import json

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from drivers.content_file import version_document
from drivers.models import (
    BestPractice,
    Driver,
    DriverCategory,
    DriverLineage,
    Framework,
    FrameworkVersion,
    ItemLineage,
    framework_order,
)
from drivers.services import version_create_draft, version_publish, version_retire


class LockedUnlessDraft:
    """Admin behaviour shared by everything that lives inside a framework version."""

    def _version(self, obj):
        return obj.content_version() if obj is not None else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # New content can only go into a draft, so only drafts' parents are offered.
        draft_filters = {
            "version": {"status": FrameworkVersion.Status.DRAFT},
            "category": {"version__status": FrameworkVersion.Status.DRAFT},
            "driver": {"version__status": FrameworkVersion.Status.DRAFT},
        }
        if db_field.name in draft_filters:
            kwargs["queryset"] = db_field.related_model.objects.filter(**draft_filters[db_field.name])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        version = self._version(obj)
        if version is not None and not version.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        version = self._version(obj)
        if version is not None and not version.is_draft:
            return False
        return super().has_delete_permission(request, obj)


class InlineLockedUnlessDraft(LockedUnlessDraft):
    """Inlines get the parent object; they are locked whenever the parent is."""

    def has_add_permission(self, request, obj=None):
        version = self._version(obj)
        if version is not None and not version.is_draft:
            return False
        return super().has_add_permission(request, obj)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CategoryInline(InlineLockedUnlessDraft, admin.TabularInline):
    model = DriverCategory
    fields = ["order", "name", "slug", "description"]
    extra = 0
    show_change_link = True


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(LockedUnlessDraft, admin.ModelAdmin):
    list_display = ["framework", "number", "status", "published_at", "based_on"]
    list_filter = ["framework", "status"]
    readonly_fields = ["status", "published_at", "based_on", "created_at"]
    inlines = [CategoryInline]
    actions = ["publish", "new_draft", "retire", "export_json"]

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                version_publish(version=version)
            except ValidationError as exc:
                self.message_user(
                    request,
                    gettext("%(version)s was not published: %(problems)s")
                    % {"version": version, "problems": " ".join(exc.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    gettext("%(framework)s v%(number)d is published.")
                    % {"framework": version.framework, "number": version.number},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Create a new draft from the selected version"))
    def new_draft(self, request, queryset):
        for version in queryset:
            draft = version_create_draft(version=version)
            self.message_user(
                request,
                gettext("Created %(draft)s from v%(number)d.") % {"draft": draft, "number": version.number},
                messages.SUCCESS,
            )

    @admin.action(description=_("Retire the selected published versions"))
    def retire(self, request, queryset):
        for version in queryset:
            try:
                version_retire(version=version)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request, gettext("%(version)s is retired.") % {"version": version}, messages.SUCCESS
                )

    @admin.action(description=_("Export the selected version as a content file (JSON)"))
    def export_json(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select exactly one version to export."), messages.WARNING)
            return None
        version = queryset.get()
        response = HttpResponse(
            json.dumps(version_document(version), indent=2, ensure_ascii=False),
            content_type="application/json",
        )
        filename = f"{slugify(version.framework.slug)}_v{version.number}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class DriverInline(InlineLockedUnlessDraft, admin.StackedInline):
    model = Driver
    fields = ["order", "code", "name", "slug", "definition", "goal", "provenance"]
    extra = 0
    show_change_link = True


@admin.register(DriverCategory)
class DriverCategoryAdmin(LockedUnlessDraft, admin.ModelAdmin):
    list_display = ["name", "version", "order"]
    list_filter = ["version__framework", "version"]
    ordering = ["version", "order"]
    inlines = [DriverInline]


class BestPracticeInline(InlineLockedUnlessDraft, admin.StackedInline):
    model = BestPractice
    fields = [
        "order",
        "code",
        "statement",
        "guidance",
        "rubric_in_place",
        "rubric_partially_in_place",
        "rubric_not_in_place",
        "calls_for_people_served",
        "provenance",
    ]
    extra = 0


class LineageInline(InlineLockedUnlessDraft, admin.TabularInline):
    """Where a driver or item of a draft comes from in the version it is based on. Publishing checks the
    rules of drivers/lineage.py over all of the version's rows and fixes the lineage keys from them."""

    fields = ["kind", "previous"]
    raw_id_fields = ["previous"]  # thousands of earlier rows: a lookup, not a select
    extra = 0
    verbose_name = _("earlier version's entry this one comes from")
    verbose_name_plural = _("lineage (from the version this one is based on)")


class DriverLineageInline(LineageInline):
    model = DriverLineage
    fk_name = "driver"


class ItemLineageInline(LineageInline):
    model = ItemLineage
    fk_name = "item"


@admin.register(Driver)
class DriverAdmin(LockedUnlessDraft, admin.ModelAdmin):
    list_display = ["code", "name", "category", "version", "provenance"]
    list_filter = ["version", "provenance"]
    ordering = ["version", "category__order", "order"]
    exclude = ["version"]
    inlines = [DriverLineageInline, BestPracticeInline]


@admin.register(BestPractice)
class BestPracticeAdmin(LockedUnlessDraft, admin.ModelAdmin):
    list_display = ["code", "short_statement", "driver", "version", "provenance"]
    list_filter = ["version", "driver__code", "provenance", "calls_for_people_served"]
    search_fields = ["code", "statement", "guidance"]
    ordering = ["version", *framework_order()]
    exclude = ["version"]
    inlines = [ItemLineageInline]

    @admin.display(description=_("statement"))
    def short_statement(self, obj):
        return obj.statement if len(obj.statement) <= 90 else obj.statement[:88] + "…"
