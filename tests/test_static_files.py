"""`make run` serves the demo without DEBUG: static files come through whitenoise, unknown pages get the
friendly 404 page rather than Django's debug page."""

import pytest


@pytest.mark.django_db
def test_static_files_are_served_without_debug_and_unknown_pages_get_the_friendly_404(client, settings):
    settings.DEBUG = False
    response = client.get("/static/css/implhub.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)  # the stylesheet itself
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and b"Technical details" not in page.content
