"""Vendors plotly.js into static/, so charts never load from a CDN: the cartesian partial bundle (bar,
scatter, heatmap and the other cartesian traces; about a third of the full bundle) of exactly the plotly.js
version the installed Python package targets, fetched with `npm pack` from the npm registry."""

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from plotly.offline import get_plotlyjs_version

TARGET = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly"
PACKAGE = "plotly.js-cartesian-dist-min"
BUNDLE = "package/plotly-cartesian.min.js"
LICENCE = "package/LICENSE"
# Kept as plotly.min.js, the name the templates load (templates/reports/partials/chart_scripts.html).
TARGET_NAME = "plotly.min.js"


def npm_pack(spec: str, directory: Path) -> Path:
    """Downloads the tarball of an npm package (`name@version`) into `directory`, without installing it."""
    try:
        done = subprocess.run(
            ["npm", "pack", spec, "--json", "--silent"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
    except FileNotFoundError as exc:
        raise CommandError(_("npm is needed to fetch plotly.js; install Node.js and npm.")) from exc
    except subprocess.CalledProcessError as exc:
        raise CommandError(
            _("npm could not fetch %(spec)s: %(error)s") % {"spec": spec, "error": exc.stderr.strip()}
        ) from exc
    return directory / json.loads(done.stdout)[0]["filename"]


class Command(BaseCommand):
    help = (
        "Write the plotly.js cartesian partial bundle of the version the installed plotly package targets "
        "to static/vendor/plotly/ (with its version and licence)."
    )

    def handle(self, *args, **options):
        version = get_plotlyjs_version()
        spec = f"{PACKAGE}@{version}"
        with tempfile.TemporaryDirectory() as scratch:
            tarball = npm_pack(spec, Path(scratch))
            with tarfile.open(tarball) as archive:
                bundle = archive.extractfile(BUNDLE)
                licence = archive.extractfile(LICENCE)
                if bundle is None or licence is None:
                    raise CommandError(_("%(spec)s has no %(file)s.") % {"spec": spec, "file": BUNDLE})
                code, licence_text = bundle.read(), licence.read()
        TARGET.mkdir(parents=True, exist_ok=True)
        (TARGET / TARGET_NAME).write_bytes(code)
        (TARGET / "LICENSE").write_bytes(licence_text)
        (TARGET / "VERSION").write_text(
            f"plotly.js {version}, cartesian partial bundle (bar, box, contour, heatmap, histogram, "
            f"histogram2d, histogram2dcontour, image, pie, scatter, scatterternary, violin): "
            f"{BUNDLE.removeprefix('package/')} of the npm package {spec}, saved as {TARGET_NAME}. "
            "The version is the one the installed Python package plotly targets. MIT licence (LICENSE). "
            "Regenerate with: python manage.py vendor_plotly\n",
            encoding="utf-8",
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote the plotly.js %(version)s cartesian bundle to %(path)s")
                % {"version": version, "path": TARGET / TARGET_NAME}
            )
        )
