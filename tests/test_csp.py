"""The Content-Security-Policy: every response carries it, and no template of ours needs more than it allows
(no inline script, no style attribute, no <style> element). The browser journeys (tests/e2e/conftest.py)
fail on any refusal Chromium reports while they walk the pages, plotly, htmx and the admin included."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.I)


def templates():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_needs_an_inline_script_or_style(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "an inline <script>: move it to a file under static/js/"
    assert not STYLE_ATTRIBUTE.search(text), "a style attribute: use a class in static/css/"
    assert "<style" not in text, "a <style> element: use static/css/"
    assert not EVENT_HANDLER.search(text), "an inline event handler: listen in a script file"


@pytest.mark.django_db
def test_every_page_carries_the_policy(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
