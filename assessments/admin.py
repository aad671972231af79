"""Organizations, teams and who is on them are managed here; assessments are shown for support, and their
answers only change through the workflow pages (which keep the record of who changed what)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    LAST_FACILITATOR,
    Assessment,
    CoachAssignment,
    Membership,
    Organization,
    OrganizationMembership,
    Participant,
    Reopening,
    Team,
    keep_an_active_facilitator,
    last_facilitators,
)
from assessments.services import account_deactivate


class TeamInline(admin.TabularInline):
    model = Team
    fields = ["name", "program", "level", "assessment_interval_months"]
    extra = 0
    show_change_link = True


class OrganizationMembershipFormSet(BaseInlineFormSet):
    """Removing a person here takes them off the organization's teams, as on the organization's own
    page: refused on the form where it would leave a team without a facilitator."""

    def clean(self):
        super().clean()
        leaving = [
            form.instance.user_id
            for form in self.initial_forms
            if form.cleaned_data.get("DELETE") and form.instance.pk is not None
        ]
        stranded = last_facilitators(
            leaving=Membership.objects.filter(team__organization=self.instance, user_id__in=leaving)
        )
        if stranded:
            raise ValidationError(gettext(LAST_FACILITATOR))


class OrganizationMembershipInline(admin.TabularInline):
    """Site staff name an organization's first admin here; its admins do the rest in implhub's pages."""

    model = OrganizationMembership
    formset = OrganizationMembershipFormSet
    fields = ["user", "role"]
    raw_id_fields = ["user"]
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [OrganizationMembershipInline, TeamInline]


class MembershipFormSet(BaseInlineFormSet):
    """The team's members as edited on the page: a team that had a facilitator must keep one. (The model
    refuses it too; here the admin gets a message on the form instead of an error page.)"""

    def clean(self):
        super().clean()
        had_one = any(form.initial.get("role") == Membership.Role.FACILITATOR for form in self.initial_forms)
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == Membership.Role.FACILITATOR
        ]
        if had_one and not kept:
            raise ValidationError(gettext(LAST_FACILITATOR))

    def save_existing_objects(self, commit=True):
        """Promotions first, then demotions, removals last: handing facilitation over in one submit never
        passes through a moment without a facilitator (which the model would refuse)."""
        self._demotions, self._removals = [], []
        saved = super().save_existing_objects(commit)
        for step in (*self._demotions, *self._removals):
            step()
        return saved

    def save_existing(self, form, obj, commit=True):
        demoted = form.initial.get("role") == Membership.Role.FACILITATOR != form.cleaned_data.get("role")
        if commit and demoted:
            self._demotions.append(form.save)
            return obj
        return super().save_existing(form, obj, commit=commit)

    def delete_existing(self, obj, commit=True):
        if commit:
            self._removals.append(obj.delete)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    autocomplete_fields = ["user"]
    extra = 1


class CoachAssignmentInline(admin.TabularInline):
    model = CoachAssignment
    autocomplete_fields = ["coach"]
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "program", "level", "assessment_interval_months"]
    list_filter = ["organization", "level"]
    search_fields = ["name", "program", "organization__name"]
    list_select_related = ["organization"]
    inlines = [MembershipInline, CoachAssignmentInline]


class ReadOnlyWhenCompleted:
    """A completed assessment is the team's record: it changes only by reopening, on the assessment page."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_completed)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_completed)


class ParticipantInline(ReadOnlyWhenCompleted, admin.TabularInline):
    model = Participant
    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_completed)


class ReopeningInline(admin.TabularInline):
    model = Reopening
    extra = 0
    can_delete = False
    readonly_fields = ["reopened_by", "reopened_at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyWhenCompleted, SimpleHistoryAdmin):
    list_display = ["team", "held_on", "stage", "status", "version"]
    list_filter = ["status", "stage", "team__organization"]
    list_select_related = ["team__organization", "version__framework"]
    readonly_fields = [
        "team",
        "version",
        "status",
        "created_by",
        "created_at",
        "completed_at",
        "completed_by",
    ]
    fields = [
        "team",
        "version",
        "held_on",
        "stage",
        "status",
        "created_by",
        "created_at",
        "completed_at",
        "completed_by",
    ]
    inlines = [ParticipantInline, ReopeningInline]

    def has_add_permission(self, request):
        return False  # assessments start from the team page, where the facilitator sets them up


admin.site.unregister(get_user_model())


class ImplhubUserChangeForm(UserChangeForm):
    """Unticking "active" for a team's last active facilitator gets a message on the form (the model
    refuses it too, with an error page)."""

    def clean(self):
        data = super().clean()
        deactivating = self.instance.pk is not None and self.instance.is_active and not data.get("is_active")
        if deactivating and "is_active" in self.fields:
            try:
                keep_an_active_facilitator(user=self.instance)
            except ValidationError as exc:
                self.add_error("is_active", exc)
        return data


@admin.register(get_user_model())
class ImplhubUserAdmin(UserAdmin):
    """Deleting a user who is a team's last facilitator is refused, and the delete page says why; so is
    deactivating one, by the action or the change form."""

    form = ImplhubUserChangeForm
    actions = ["deactivate"]

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        users = get_user_model().objects.filter(pk__in=[u.pk for u in objs])
        last = last_facilitators(leaving=Membership.objects.filter(user__in=users))
        protected = [*protected, *(f"{m} — {gettext(LAST_FACILITATOR)}" for m in last)]
        return deleted, counts, perms_needed, protected

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        """Each account on its own: a refused one (a team's last active facilitator) stays as it was and
        gets a message; the others are deactivated."""
        done = 0
        for user in queryset.filter(is_active=True).order_by("pk"):
            try:
                account_deactivate(user=user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d account deactivated.", "%(count)d accounts deactivated.", done)
                % {"count": done},
                messages.SUCCESS,
            )
