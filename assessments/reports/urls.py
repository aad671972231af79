"""Results, progress, portfolio and exports (the reading side of assessments).

Included by `assessments.urls` inside the "assessments" namespace, so it sets no app_name of its own.
"""

from django.urls import path

from assessments.reports.views import exports, portfolio, queue, results

urlpatterns = [
    path("assessments/<int:assessment_id>/results/", results.results, name="results"),
    path(
        "assessments/<int:assessment_id>/results/<driver:driver_code>/",
        results.driver_detail,
        name="driver_detail",
    ),
    path("assessments/<int:assessment_id>/report/", results.report, name="report"),
    path(
        "assessments/<int:assessment_id>/export.<str:fmt>",
        exports.export_assessment,
        name="export_assessment",
    ),
    path("teams/<int:team_id>/progress/", results.team_progress, name="team_progress"),
    path("teams/<int:team_id>/export.<str:fmt>", exports.export_team, name="export_team"),
    path("teams/<int:team_id>/actions/export.<str:fmt>", exports.export_plan, name="export_plan"),
    path("portfolio/", portfolio.portfolio, name="portfolio"),
    path("portfolio/export.<str:fmt>", exports.export_portfolio, name="export_portfolio"),
    path(
        "organizations/<int:organization_id>/export.<str:fmt>",
        exports.export_organization,
        name="export_organization",
    ),
    path("teams/<int:team_id>/seen/", queue.mark_seen, name="mark_seen"),
]
