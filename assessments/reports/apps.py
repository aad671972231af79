from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Installed only so that Django finds the template tags of the results pages; it has no models."""

    name = "assessments.reports"
    label = "reports"
    verbose_name = "Results and reports"
