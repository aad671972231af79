"""Downloads of one assessment or a team's whole history, under the same access rules as the pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from assessments.access import assessment_for_user, team_for_user
from assessments.models import Assessment
from assessments.reports import exports


def _writer(fmt: str):
    try:
        return exports.RESPONSES[fmt]
    except KeyError:
        raise Http404("Exports are CSV or XLSX.") from None


@login_required
def export_assessment(request: HttpRequest, assessment_id: int, fmt: str) -> HttpResponse:
    write = _writer(fmt)
    access = assessment_for_user(request.user, assessment_id)
    assessment = access.assessment
    rows = exports.export_rows(assessments=Assessment.objects.filter(pk=assessment.pk))
    return write(rows, filename=exports.export_filename(access.team.name, assessment.held_on))


@login_required
def export_team(request: HttpRequest, team_id: int, fmt: str) -> HttpResponse:
    write = _writer(fmt)
    access = team_for_user(request.user, team_id)
    rows = exports.export_rows(assessments=access.team.assessments.all())
    return write(rows, filename=exports.export_filename(access.team.name, "history"))
