"""The coach's portfolio: the visible teams at a glance (staff see all teams), a page at a time, filtered by
organization, level, a latest score below the benchmark, or a next assessment date already past."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.access import Need, ScopeAccess, requires
from assessments.models import Organization, Team
from assessments.reports import selectors
from assessments.reports.charts.portfolio import portfolio_heatmap


class PortfolioFilter(forms.Form):
    """A GET form: a value that is not valid is ignored (and said so beside its field), the rest apply."""

    organization = forms.TypedChoiceField(
        label=_("Organization"), coerce=int, required=False, empty_value=None
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *Team.Level.choices], required=False
    )
    below = forms.BooleanField(label=_("Below the benchmark"), required=False)
    due = forms.BooleanField(label=_("Past their next assessment date"), required=False)

    def __init__(self, *args, organizations: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [
            ("", _("All organizations")),
            *((org.pk, org.name) for org in organizations),
        ]


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
