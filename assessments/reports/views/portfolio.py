"""The coach's portfolio: the visible teams at a glance (staff see all teams), a page at a time, filtered by
organization, level, a latest score below the benchmark, or a next assessment date already past."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from assessments.access import Need, ScopeAccess, requires
from assessments.reports import selectors
from assessments.reports.charts.portfolio import portfolio_heatmap
from assessments.reports.forms import PortfolioFilter


@requires(Need.READ)
def portfolio(request: HttpRequest, access: ScopeAccess) -> HttpResponse:
    organizations = selectors.portfolio_organizations(teams=access.teams)
    form = PortfolioFilter(request.GET, organizations=organizations)
    form.is_valid()  # the valid fields are in cleaned_data either way
    filters = form.cleaned_data
    data = selectors.coach_portfolio(
        teams=access.teams,
        organization_id=filters.get("organization"),
        level=filters.get("level") or None,
        below_benchmark=filters.get("below", False),
        due=filters.get("due", False),
        page=request.GET.get("page"),
    )
    return render(
        request,
        "reports/portfolio.html",
        {
            "form": form,
            "organizations": organizations,
            "portfolio": data,
            "chart": portfolio_heatmap(data, team_url=_team_url)
            if any(s.latest for s in data.standings)
            else None,
        },
    )


def _team_url(team) -> str:
    return reverse("assessments:team_detail", kwargs={"team_id": team.pk})
