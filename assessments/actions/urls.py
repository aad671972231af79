"""URLs of action planning (in the `assessments` namespace): a team's plan, its actions, targets and
comments. Each area adds its paths here."""

from django.urls import path

from assessments.actions.views import comments, plan, targets

urlpatterns: list = [
    path("assessments/<int:assessment_id>/targets/", targets.targets_edit, name="targets"),
    path("teams/<int:team_id>/actions/", plan.action_plan, name="action_plan"),
    path("teams/<int:team_id>/actions/new/", plan.action_new, name="action_new"),
    path("teams/<int:team_id>/actions/<int:action_id>/", plan.action_detail, name="action_detail"),
    path("teams/<int:team_id>/actions/<int:action_id>/status/", plan.action_status, name="action_status"),
    path(
        "teams/<int:team_id>/actions/<int:action_id>/notes/", plan.progress_note_add, name="progress_note_add"
    ),
    path("assessments/<int:assessment_id>/comments/", comments.assessment_comment, name="assessment_comment"),
    path(
        "teams/<int:team_id>/actions/<int:action_id>/comments/",
        comments.action_comment,
        name="action_comment",
    ),
    path(
        "teams/<int:team_id>/comments/<int:comment_id>/replies/", comments.comment_reply, name="comment_reply"
    ),
    path(
        "teams/<int:team_id>/comments/<int:comment_id>/edit/", comments.comment_edit_page, name="comment_edit"
    ),
]
