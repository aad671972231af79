from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from drivers import selectors


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    versions = selectors.version_list(include_drafts=request.user.is_staff)
    return render(request, "drivers/framework_list.html", {"versions": versions})


@login_required
def version_detail(request: HttpRequest, framework_slug: str, number: int) -> HttpResponse:
    version = selectors.version_get(
        framework_slug=framework_slug, number=number, include_drafts=request.user.is_staff
    )
    categories = selectors.version_categories(version=version)
    return render(
        request,
        "drivers/version_detail.html",
        {"version": version, "categories": categories},
    )
