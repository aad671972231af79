"""The coach's portfolio: every visible team at a glance (staff see all teams, by organization)."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from assessments.access import Need, ScopeAccess, requires
from assessments.reports import selectors
from assessments.reports.charts.portfolio import portfolio_heatmap


class OrganizationFilter(forms.Form):
    organization = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)  # an id's range


@requires(Need.READ)
def portfolio(request: HttpRequest, access: ScopeAccess) -> HttpResponse:
    form = OrganizationFilter(request.GET)
    organization_id = form.cleaned_data["organization"] if form.is_valid() else None
    data = selectors.coach_portfolio(teams=access.teams, organization_id=organization_id)
    return render(
        request,
        "reports/portfolio.html",
        {
            "form": form,
            "organization_id": organization_id,
            "portfolio": data,
            "chart": portfolio_heatmap(data, team_url=_team_url)
            if any(s.latest for s in data.standings)
            else None,
        },
    )


def _team_url(team) -> str:
    return reverse("assessments:team_detail", kwargs={"team_id": team.pk})
