"""URLs of action planning (in the `assessments` namespace): a team's plan, its actions, targets and
comments. Each area adds its paths here."""

from django.urls import path

from assessments.actions.views import targets

urlpatterns: list = [
    path("assessments/<int:assessment_id>/targets/", targets.targets_edit, name="targets"),
]
