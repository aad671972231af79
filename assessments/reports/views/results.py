"""An assessment's results, one driver's items, the printable report, and a team's progress over time."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.access import assessment_for_user, team_for_user
from assessments.reports import selectors
from assessments.reports.charts import progress as progress_charts
from assessments.reports.charts.base import Chart
from assessments.reports.charts.results import driver_profile


def _profile(data: selectors.Results) -> Chart | None:
    """The driver profile, or None while no item has a score (an assessment just opened)."""
    return driver_profile(data.scores, data.previous_scores) if data.scores.overall.scored else None


@login_required
def results(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = assessment_for_user(request.user, assessment_id)
    data = selectors.assessment_results(assessment=access.assessment)
    return render(
        request,
        "reports/results.html",
        {
            "access": access,
            "assessment": access.assessment,
            "results": data,
            "chart": _profile(data),
        },
    )


@login_required
def driver_detail(request: HttpRequest, assessment_id: int, driver_code: str) -> HttpResponse:
    access = assessment_for_user(request.user, assessment_id)
    data = selectors.assessment_results(assessment=access.assessment)
    sections = selectors.driver_items(results=data, driver_code=driver_code)
    if not sections:
        raise Http404("This assessment's version has no such driver.")
    return render(
        request,
        "reports/driver_detail.html",
        {
            "access": access,
            "assessment": access.assessment,
            "results": data,
            "section": sections[0],
        },
    )


@login_required
def report(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = assessment_for_user(request.user, assessment_id)
    data = selectors.assessment_results(assessment=access.assessment)
    return render(
        request,
        "reports/report.html",
        {
            "access": access,
            "assessment": access.assessment,
            "results": data,
            "participants": list(access.assessment.participants.all()),
            "sections": selectors.driver_items(results=data),
            "chart": _profile(data),
        },
    )


@login_required
def team_progress(request: HttpRequest, team_id: int) -> HttpResponse:
    access = team_for_user(request.user, team_id)
    progress = selectors.team_progress(team=access.team)
    return render(
        request,
        "reports/team_progress.html",
        {
            "access": access,
            "team": access.team,
            "progress": progress,
            "lines": progress_charts.progress_lines(progress) if progress.assessments else None,
            "heatmap": progress_charts.item_heatmap(progress) if progress.assessments else None,
        },
    )
