"""Organizations, teams and who is on them are managed here; assessments are shown for support, and their
answers only change through the workflow pages (which keep the record of who changed what)."""

from django.contrib import admin

from assessments.models import (
    Assessment,
    CoachAssignment,
    Membership,
    Organization,
    Participant,
    Reopening,
    Team,
)


class TeamInline(admin.TabularInline):
    model = Team
    fields = ["name", "program", "level"]
    extra = 0
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [TeamInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 1


class CoachAssignmentInline(admin.TabularInline):
    model = CoachAssignment
    autocomplete_fields = ["coach"]
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "program", "level"]
    list_filter = ["organization", "level"]
    search_fields = ["name", "program", "organization__name"]
    list_select_related = ["organization"]
    inlines = [MembershipInline, CoachAssignmentInline]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


class ReopeningInline(admin.TabularInline):
    model = Reopening
    extra = 0
    can_delete = False
    readonly_fields = ["reopened_by", "reopened_at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
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
