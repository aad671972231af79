from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Installed only so that Django finds the template tags of the results pages; it has no models."""

    name = "assessments.reports"
    label = "reports"
    verbose_name = _("Results and reports")
