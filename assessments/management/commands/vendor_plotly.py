"""Writes plotly.js from the installed plotly package into static/, so charts never load from a CDN."""

from pathlib import Path

import plotly
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from plotly.offline import get_plotlyjs, get_plotlyjs_version

TARGET = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly"


class Command(BaseCommand):
    help = "Copy plotly.min.js of the installed plotly package to static/vendor/plotly/ (with its version)."

    def handle(self, *args, **options):
        TARGET.mkdir(parents=True, exist_ok=True)
        (TARGET / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
        (TARGET / "VERSION").write_text(
            f"plotly.js {get_plotlyjs_version()} (from the Python package plotly {plotly.__version__}; "
            "MIT licence). Regenerate with: python manage.py vendor_plotly\n",
            encoding="utf-8",
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote plotly.js %(version)s to %(path)s")
                % {"version": get_plotlyjs_version(), "path": TARGET}
            )
        )
