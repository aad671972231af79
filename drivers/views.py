from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from drivers import compare, content_file, selectors

# Everyone signed in reads the content; drafts are for staff only (`include_drafts`), on every page of a
# version: its text, its file and its comparison with another version.


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    versions = selectors.version_list(include_drafts=request.user.is_staff)
    return render(request, "drivers/framework_list.html", {"versions": versions})


@login_required
def version_detail(request: HttpRequest, framework_slug: str, number: int) -> HttpResponse:
    include_drafts = request.user.is_staff
    version = selectors.version_get(
        framework_slug=framework_slug, number=number, include_drafts=include_drafts
    )
    categories = selectors.version_categories(version=version)
    previous = selectors.version_previous(version=version, include_drafts=include_drafts)
    return render(
        request,
        "drivers/version_detail.html",
        {"version": version, "categories": categories, "previous": previous},
    )


@login_required
def version_export(request: HttpRequest, framework_slug: str, number: int) -> HttpResponse:
    version = selectors.version_get(
        framework_slug=framework_slug, number=number, include_drafts=request.user.is_staff
    )
    response = HttpResponse(
        content_file.version_json(version), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=content_file.version_file_name(version)
    )
    return response


@login_required
def version_compare(request: HttpRequest, framework_slug: str, before: int, after: int) -> HttpResponse:
    include_drafts = request.user.is_staff
    old = selectors.version_get(framework_slug=framework_slug, number=before, include_drafts=include_drafts)
    new = selectors.version_get(framework_slug=framework_slug, number=after, include_drafts=include_drafts)
    comparison = compare.version_compare(before=old, after=new)
    return render(request, "drivers/version_compare.html", {"comparison": comparison})
