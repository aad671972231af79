"""The settings of a benchmark run: implhub's own, with the floor view's URL added (bench/urls.py). Only
`python -m bench.run` uses this module; production runs implhub.settings, where the floor does not exist."""

from django.core.exceptions import ImproperlyConfigured

from implhub.settings import *  # noqa: F403
from implhub.settings import BASE_DIR, PRODUCTION, TEMPLATES

if PRODUCTION:
    raise ImproperlyConfigured("The benchmark settings are not for production.")

ROOT_URLCONF = "bench.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
