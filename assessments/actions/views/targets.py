"""Setting the team's driver targets for its next assessment, after its latest completed one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.access import AssessmentAccess, Need, requires
from assessments.actions.selectors.targets import targets_page
from assessments.actions.services.targets import targets_set
from assessments.actions.target_forms import TargetsForm


@requires(Need.PLAN)
@require_http_methods(["GET", "POST"])
def targets_edit(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    """One number per driver; the page says so when targets cannot follow this assessment."""
    page = targets_page(assessment=access.assessment)
    form = TargetsForm(request.POST if request.method == "POST" else None, rows=page.rows)
    if request.method == "POST" and form.is_valid():
        try:
            targets_set(team=access.team, after=access.assessment, percents=form.percents(), by=request.user)
        except ValidationError as exc:
            form.refused(exc)
        else:
            messages.success(request, _("Targets for the next assessment saved."))
            return redirect(reverse("assessments:results", args=[access.assessment.pk]) + "#next-steps")
    return render(
        request,
        "actions/targets.html",
        {
            "access": access,
            "assessment": access.assessment,
            "team": access.team,
            "page": page,
            "form": form,
            "rows": list(zip(page.rows, (form[row.key] for row in page.rows), strict=True)),
        },
        status=422 if request.method == "POST" else 200,
    )
