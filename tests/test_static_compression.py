"""Production's static files: collectstatic (whitenoise's CompressedManifestStaticFilesStorage, as
IMPLHUB_ENV=production configures it) writes a brotli and a gzip copy beside every hashed file; whitenoise
serves a hashed file compressed and cacheable for ten years; and the first chart page, with everything it
loads, stays within the budget of issue 16 (1.5 MB compressed)."""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from assessments.models import Membership
from tests.factories import TeamFactory, UserFactory, make_completed_assessment

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
BUDGET = 1_500_000  # bytes: the first chart page and every file it loads, compressed
TEN_YEARS = 10 * 365 * 24 * 60 * 60


def _production_storage(settings, root) -> None:
    settings.STATIC_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic as production runs it, once for this module; Django admin's files are left out (they
    take most of the time and no page of implhub's own loads them)."""
    root = tmp_path_factory.mktemp("staticfiles")
    from django.conf import settings

    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin"])
    return root


def test_collectstatic_writes_brotli_and_gzip_beside_the_hashed_plotly_bundle(collected, settings):
    _production_storage(settings, collected)
    hashed = collected / staticfiles_storage.stored_name("vendor/plotly/plotly.min.js")
    assert re.fullmatch(r"plotly\.min\.[0-9a-f]{12}\.js", hashed.name)
    raw = hashed.stat().st_size
    br = hashed.with_name(hashed.name + ".br").stat().st_size
    gz = hashed.with_name(hashed.name + ".gz").stat().st_size
    # The cartesian bundle is about 1.5 MB; brotli brings it near 0.4 MB, gzip near 0.5 MB.
    assert br < gz < raw / 2
    assert br < 500_000


def test_a_hashed_file_is_served_compressed_and_cached_for_ten_years(collected, settings):
    _production_storage(settings, collected)
    settings.WHITENOISE_USE_FINDERS = False
    serve = WhiteNoiseMiddleware(get_response=lambda request: None, settings=settings)
    url = staticfiles_storage.url("vendor/plotly/plotly.min.js")
    for encoding, expected in (("br, gzip", "br"), ("gzip", "gzip")):
        response = serve(RequestFactory().get(url, HTTP_ACCEPT_ENCODING=encoding))
        assert response.status_code == 200
        assert response["Content-Encoding"] == expected
        assert response["Cache-Control"] == f"max-age={TEN_YEARS}, public, immutable"
        assert "Accept-Encoding" in response["Vary"]
    # The unhashed name may change content under the same URL: cached for a minute only.
    plain = serve(RequestFactory().get(settings.STATIC_URL + "vendor/plotly/plotly.min.js"))
    assert plain["Cache-Control"] == "max-age=60, public"


def test_the_first_chart_page_transfers_at_most_one_and_a_half_megabytes_compressed(
    collected, settings, client, content
):
    _production_storage(settings, collected)
    team = TeamFactory()
    facilitator = UserFactory()
    Membership.objects.create(team=team, user=facilitator, role=Membership.Role.FACILITATOR)
    assessment = make_completed_assessment(team=team, version=content, by=facilitator)
    client.force_login(facilitator)
    html = client.get(reverse("assessments:results", kwargs={"assessment_id": assessment.pk})).content
    static = sorted(set(re.findall(rb'(?:src|href)="/static/([^"]+)"', html)))
    assert b"vendor/plotly/plotly.min." in b" ".join(static)
    sizes = {name.decode(): (collected / (name.decode() + ".br")).stat().st_size for name in static}
    # The page itself counted uncompressed: Django sends it as it is.
    assert len(html) + sum(sizes.values()) <= BUDGET, sizes
