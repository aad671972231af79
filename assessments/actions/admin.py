"""Actions and comments in the Django admin, to read with their history. They are changed on the team's
pages only, where the services check what the admin could not (an owner from the team, items of the
assessment's version, the edit window of a comment)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.actions.models import ActionItem, Comment


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnly):
    list_display = ["title", "team", "driver", "status", "due_on"]
    list_filter = ["status", "team__organization"]
    list_select_related = ["team__organization", "driver"]
    search_fields = ["title", "details"]


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ["__str__", "team", "created_at", "edited_at"]
    list_filter = ["team__organization"]
    list_select_related = ["team__organization", "author"]
    search_fields = ["body"]
