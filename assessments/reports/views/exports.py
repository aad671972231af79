"""Downloads of one assessment, a team's whole history, an organization or a portfolio, under the same access
rules as the pages."""

from django.http import Http404, HttpRequest, HttpResponse

from assessments.access import AssessmentAccess, Need, OrganizationAccess, ScopeAccess, TeamAccess, requires
from assessments.reports import exports, plan_exports


def _writer(fmt: str, responses: dict = exports.RESPONSES):
    try:
        return responses[fmt]
    except KeyError:
        raise Http404("Exports are CSV or XLSX.") from None


@requires(Need.READ)
def export_assessment(request: HttpRequest, access: AssessmentAccess, fmt: str) -> HttpResponse:
    write = _writer(fmt)
    assessment = access.assessment
    return write(
        exports.single_assessment(assessment=assessment),
        filename=exports.export_filename(access.team.name, assessment.held_on),
    )


@requires(Need.READ)
def export_team(request: HttpRequest, access: TeamAccess, fmt: str) -> HttpResponse:
    write = _writer(fmt)
    return write(
        exports.team_assessments(team=access.team),
        filename=exports.export_filename(access.team.name, "history"),
    )


@requires(Need.READ)
def export_plan(request: HttpRequest, access: TeamAccess, fmt: str) -> HttpResponse:
    write = _writer(fmt, plan_exports.RESPONSES)
    return write(team=access.team, filename=exports.export_filename(access.team.name, "action-plan"))


@requires(Need.ORGANIZE)
def export_organization(request: HttpRequest, access: OrganizationAccess, fmt: str) -> HttpResponse:
    write = _writer(fmt)
    organization = access.organization
    return write(
        exports.organization_assessments(organization=organization),
        filename=exports.export_filename(organization.name, "all-teams"),
    )


@requires(Need.READ)
def export_portfolio(request: HttpRequest, access: ScopeAccess, fmt: str) -> HttpResponse:
    """Every assessment of the teams the user may read: a coach's teams, an admin's organizations."""
    write = _writer(fmt)
    return write(exports.scope_assessments(teams=access.teams), filename=exports.export_filename("portfolio"))
