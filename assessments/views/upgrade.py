"""Moving an unfinished assessment to a newer published version of the content: preview, then move."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import selectors, services
from assessments.access import AssessmentAccess, Need, requires


def _chosen(versions: list, number: str | None):
    """The version asked for by number among the newer ones, else the newest (None when there is none)."""
    by_number = {str(v.number): v for v in versions}
    return by_number.get(number or "", versions[0] if versions else None)


@requires(Need.FACILITATE)
@require_http_methods(["GET", "POST"])
def upgrade(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    """GET previews what moving to a newer version carries over, adds and drops; POST moves."""
    assessment = access.assessment
    versions = selectors.newer_versions(assessment=assessment)
    if request.method == "POST":
        chosen = _chosen(versions, request.POST.get("to"))
        if chosen is None:
            messages.error(request, _("There is no newer published version to move this assessment to."))
            return redirect("assessments:assessment_detail", assessment_id=assessment.pk)
        try:  # the service refuses a completed assessment, and says why
            services.assessment_upgrade(assessment=assessment, to_version=chosen, upgraded_by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The assessment now uses %(version)s. Check the items marked new or reworded.")
                % {"version": chosen.label},
            )
        return redirect("assessments:assessment_detail", assessment_id=assessment.pk)
    chosen = _chosen(versions, request.GET.get("to"))
    movable = chosen is not None and not assessment.is_completed
    preview = selectors.upgrade_preview(assessment=assessment, to_version=chosen) if movable else None
    return render(
        request,
        "assessments/upgrade.html",
        {
            "access": access,
            "assessment": assessment,
            "team": access.team,
            "versions": versions,
            "chosen": chosen,
            "preview": preview,
        },
    )
