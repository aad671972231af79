"""The history of an assessment: who changed what, from what to what, and when."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import audit
from assessments.access import AssessmentAccess, Need, requires


@requires(Need.HISTORY)
def assessment_history(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    """All of it, or one best practice's (`?item=FA-3`, linked from each item of the board)."""
    item_code = request.GET.get("item", "")
    return render(
        request,
        "assessments/history.html",
        {
            "access": access,
            "assessment": access.assessment,
            "team": access.team,
            "item_code": item_code,
            "entries": audit.assessment_history(assessment=access.assessment, item_code=item_code),
        },
    )
