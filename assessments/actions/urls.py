"""URLs of action planning (in the `assessments` namespace): a team's plan, its actions, targets and
comments. Each area adds its paths here."""

urlpatterns: list = []
