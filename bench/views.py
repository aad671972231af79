"""The floor of the benchmark: what serving a page of a given size costs in this project whatever the page
does. A bare view through the project's middleware, no database query (the benchmark calls it without a
session), rendering a template of `size` bytes, so that each page's latency can be read as a multiple of
the least a response of its size can cost here."""

from django.http import HttpRequest, HttpResponse
from django.template import loader

LINE = 99  # characters of a line of the floor's page, before its newline


def floor(request: HttpRequest, size: int) -> HttpResponse:
    full, rest = divmod(size, LINE + 1)
    lines = ["x" * LINE] * full
    page = loader.render_to_string("bench/floor.html", {"lines": lines, "rest": "x" * rest})
    return HttpResponse(page)
