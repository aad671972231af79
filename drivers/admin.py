"""Content admin. Drafts are edited here; published and retired versions are shown read-only. Every
content row has a History page (django-simple-history): who changed what, and when."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from drivers.content_file import ContentFileError, version_import
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
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CategoryInline(InlineLockedUnlessDraft, admin.TabularInline):
    model = DriverCategory
    fields = ["order", "name", "slug", "description"]
    extra = 0
    show_change_link = True


class VersionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Content file"), help_text=_("A version in the content-file format (JSON), as exported.")
    )
    replace_draft = forms.BooleanField(
        label=_("Replace the draft of the same number"),
        required=False,
        help_text=_("Without it, a file whose version number already exists is refused."),
    )


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(LockedUnlessDraft, SimpleHistoryAdmin):
    list_display = ["framework", "number", "status", "published_at", "based_on"]
    list_filter = ["framework", "status"]
    readonly_fields = ["status", "published_at", "based_on", "created_at"]
    inlines = [CategoryInline]
    actions = ["publish", "new_draft", "retire", "export_json"]
    # The version's page carries the same steps as buttons (publish, new draft, retire, export, preview).
    change_form_template = "admin/drivers/frameworkversion/change_form.html"
    STEPS = ("publish", "new_draft", "retire", "export_json")

    def get_urls(self):
        step = self.admin_site.admin_view(self.version_step)
        import_view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", import_view, name="drivers_frameworkversion_import"),
            path("<int:object_id>/step/<str:step>/", step, name="drivers_frameworkversion_step"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = FrameworkVersion.objects.filter(pk=object_id).first()
        steps = []
        if version is not None:
            steps = [
                ("publish", gettext("Publish"), version.is_draft),
                ("new_draft", gettext("New draft from this version"), not version.is_draft),
                ("retire", gettext("Retire"), version.status == FrameworkVersion.Status.PUBLISHED),
                ("export_json", gettext("Export (JSON)"), True),
            ]
        extra_context = {**(extra_context or {}), "version_steps": steps}
        return super().change_view(request, object_id, form_url, extra_context)

    def version_step(self, request, object_id: int, step: str):
        """One of the actions, for the one version of the page (POST only: each changes or downloads)."""
        if request.method != "POST" or step not in self.STEPS:
            return HttpResponseNotAllowed(["POST"])
        allowed = (
            self.has_view_permission(request)
            if step == "export_json"
            else self.has_change_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        versions = FrameworkVersion.objects.filter(pk=object_id)
        if not versions.exists():
            raise Http404
        answer = getattr(self, step)(request, versions)
        return answer or redirect("admin:drivers_frameworkversion_change", object_id)

    change_list_template = "admin/drivers/frameworkversion/change_list.html"

    def import_view(self, request):
        """Upload of a content file: checked whole before anything is written, refused with the entry at
        fault; published content is never overwritten (drivers.content_file.version_import)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = VersionImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = upload.read().decode("utf-8")
                result = version_import(
                    text=text,
                    source=upload.name,
                    replace_draft=form.cleaned_data["replace_draft"],
                    by=request.user,
                )
            except UnicodeDecodeError:
                form.add_error("file", gettext("%(file)s is not UTF-8 text.") % {"file": upload.name})
            except ContentFileError as exc:
                form.add_error("file", str(exc))
            else:
                reports = {
                    "created": gettext("Imported %(version)s."),
                    "replaced": gettext("Imported %(version)s, replacing the draft's content."),
                }
                self.message_user(
                    request, reports[result.outcome] % {"version": result.version}, messages.SUCCESS
                )
                return redirect(reverse("admin:drivers_frameworkversion_change", args=[result.version.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import a version"),
            "form": form,
        }
        return TemplateResponse(request, "admin/drivers/frameworkversion/import.html", context)

    def get_actions(self, request):
        # A version is deleted one at a time, from its page, where a refusal can say why.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        version = self.get_object(request, unquote(object_id))
        refusal = version and self._delete_refusal(request, version)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return redirect(reverse("admin:drivers_frameworkversion_change", args=[version.pk]))
        return super().delete_view(request, object_id, extra_context)

    def _delete_refusal(self, request, version: FrameworkVersion) -> str | None:
        """Why `version` cannot be deleted, in words, instead of Django's error pages."""
        if not version.is_draft:
            return gettext(
                "%(version)s cannot be deleted: past assessments and reports rely on it. "
                "Retire it instead, once a newer version is published."
            ) % {"version": version}
        _deleted, _counts, _perms, protected = self.get_deleted_objects([version], request)
        if protected:
            return gettext("%(version)s cannot be deleted while these use it: %(protected)s.") % {
                "version": version,
                "protected": "; ".join(str(p) for p in protected[:5]),
            }
        return None

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                version_publish(version=version, by=request.user)
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
        drafts = []
        for version in queryset:
            draft = version_create_draft(version=version, by=request.user)
            drafts.append(draft)
            self.message_user(
                request,
                gettext("Created %(draft)s from v%(number)d.") % {"draft": draft, "number": version.number},
                messages.SUCCESS,
            )
        # One new draft is what the admin edits next: open it rather than leave them on its source.
        if len(drafts) == 1:
            return redirect(reverse("admin:drivers_frameworkversion_change", args=[drafts[0].pk]))
        return None

    @admin.action(description=_("Retire the selected published versions"))
    def retire(self, request, queryset):
        for version in queryset:
            try:
                version_retire(version=version, by=request.user)
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
        # The file the version's page offers for download, from the one place that writes it.
        return redirect(reverse("drivers:version_export", args=[version.framework.slug, version.number]))


class DriverInline(InlineLockedUnlessDraft, admin.StackedInline):
    model = Driver
    fields = ["order", "code", "name", "slug", "definition", "goal", "provenance"]
    extra = 0
    show_change_link = True


@admin.register(DriverCategory)
class DriverCategoryAdmin(LockedUnlessDraft, SimpleHistoryAdmin):
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
class DriverAdmin(LockedUnlessDraft, SimpleHistoryAdmin):
    list_display = ["code", "name", "category", "version", "provenance"]
    list_filter = ["version", "provenance"]
    ordering = ["version", "category__order", "order"]
    exclude = ["version"]
    inlines = [DriverLineageInline, BestPracticeInline]


@admin.register(BestPractice)
class BestPracticeAdmin(LockedUnlessDraft, SimpleHistoryAdmin):
    list_display = ["code", "short_statement", "driver", "version", "provenance"]
    list_filter = ["version", "driver__code", "provenance", "calls_for_people_served"]
    search_fields = ["code", "statement", "guidance"]
    ordering = ["version", *framework_order()]
    exclude = ["version"]
    inlines = [ItemLineageInline]

    @admin.display(description=_("statement"))
    def short_statement(self, obj):
        return obj.statement if len(obj.statement) <= 90 else obj.statement[:88] + "…"
