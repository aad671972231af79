"""An assessment's results, one driver's items, the printable report, and a team's progress over time."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.access import AssessmentAccess, Need, TeamAccess, requires
from assessments.actions.selectors.comments import assessment_threads
from assessments.actions.selectors.plan import assessment_actions
from assessments.actions.selectors.targets import targets_over_time
from assessments.reports import selectors
from assessments.reports.charts import progress as progress_charts
from assessments.reports.charts.base import Chart
from assessments.reports.charts.results import driver_profile
from assessments.reports.next_steps import next_steps
from assessments.selectors import assessment_participation, missing_voices


def _profile(data: selectors.Results) -> Chart | None:
    """The driver profile, or None while no item has a score (an assessment just opened)."""
    return driver_profile(data.scores, data.previous_scores) if data.scores.overall.scored else None


@requires(Need.READ)
def results(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    data = selectors.assessment_results(assessment=access.assessment)
    return render(
        request,
        "reports/results.html",
        {
            "access": access,
            "assessment": access.assessment,
            "results": data,
            "chart": _profile(data),
            "next_steps": next_steps(results=data),
            "comments": assessment_threads(assessment=access.assessment, viewer=request.user),
        },
    )


@requires(Need.READ)
def driver_detail(request: HttpRequest, access: AssessmentAccess, driver_code: str) -> HttpResponse:
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
            "comments": assessment_threads(assessment=access.assessment, viewer=request.user),
        },
    )


@requires(Need.READ)
def report(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    data = selectors.assessment_results(assessment=access.assessment)
    return render(
        request,
        "reports/report.html",
        {
            "access": access,
            "assessment": access.assessment,
            "results": data,
            "participation": assessment_participation(assessment=access.assessment),
            "voices": missing_voices(assessment=access.assessment),
            "sections": selectors.driver_items(results=data),
            "chart": _profile(data),
            "report_actions": assessment_actions(assessment=access.assessment),
        },
    )


@requires(Need.READ)
def team_progress(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    progress = selectors.team_progress(team=access.team)
    targets = targets_over_time(assessments=progress.assessments)
    return render(
        request,
        "reports/team_progress.html",
        {
            "access": access,
            "team": access.team,
            "progress": progress,
            "lines": progress_charts.progress_lines(
                progress, targets=targets.aimed, upcoming=targets.upcoming
            )
            if progress.assessments
            else None,
            "heatmap": progress_charts.item_heatmap(progress) if progress.assessments else None,
        },
    )
