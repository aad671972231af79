"""Django's `{# #}` comment ends on its own line: one left open runs on as text and shows on the page (it
did, above the header of every page with autosave). Longer notes use `{% comment %}`."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_assessment

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_every_short_comment_closes_on_its_line(path):
    open_lines = [
        number
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") != line.count("#}")
    ]
    assert not open_lines, f"{path.name}: a {{# comment left open on line(s) {open_lines}"


def test_a_page_with_autosave_shows_no_template_comment(client, cast):
    assessment = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, status="consensus"
    )
    client.force_login(cast.facilitator)
    page = client.get(reverse("assessments:consensus", args=[assessment.pk])).content.decode()
    assert "autosave-text" in page  # the page does load the autosave partial
    assert "{#" not in page and "#}" not in page
