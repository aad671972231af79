"""The coach portfolio's figure: teams x drivers at their latest completed assessment."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.reports.charts.base import PERCENT_COLOURS, Chart, Table, chart, layout, wrap
from assessments.reports.formatting import day, percent
from assessments.scoring import BENCHMARK, Score
from drivers import scale

if TYPE_CHECKING:
    from assessments.reports.selectors import Portfolio


def portfolio_heatmap(portfolio: Portfolio, *, chart_id: str = "portfolio-heatmap") -> Chart:
    """Teams x drivers, the latest completed assessment of each team, in percent."""
    standings = [s for s in portfolio.standings if s.latest is not None]
    keys = [key for key, _name in portfolio.drivers]
    names = [name for _key, name in portfolio.drivers]
    values = [[s.latest.counterpart_percent(key) for key in keys] for s in standings]
    text = [[percent(v) if v is not None else str(scale.NOT_APPLICABLE_SHORT) for v in row] for row in values]
    fig = go.Figure(
        go.Heatmap(
            x=[wrap(n) for n in names],
            y=[wrap(s.team.name, 24) for s in standings],
            z=values,
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
            colorscale=PERCENT_COLOURS,
            zmin=0,
            zmax=100,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "%"}, "ticksuffix": "%", "len": 0.8},
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", ticks="")
    fig.update_xaxes(side="top", type="category", ticks="")
    layout(fig, height=max(220, 48 * len(standings) + 130), margin={"l": 170, "r": 20, "t": 90, "b": 20})
    return chart(
        chart_id,
        fig,
        label=_("Heatmap of driver scores for %(count)d teams, latest completed assessment.")
        % {"count": len(standings)},
        summary=portfolio_summary(portfolio),
        table=Table(
            caption=_(
                "Driver scores of each team's latest completed assessment (percent of possible points)"
            ),
            headers=(_("Team"), _("Assessed"), _("Overall"), *names),
            rows=[
                (s.team.name, day(s.latest.held_on), s.latest.overall.label, *row)
                for s, row in zip(standings, text, strict=True)
            ],
        ),
    )


def portfolio_summary(portfolio: Portfolio) -> str:
    assessed = [s for s in portfolio.standings if s.latest is not None]
    if not assessed:
        return _("None of these teams has a completed assessment yet.")
    above = sum(1 for s in assessed if (s.latest.overall.percent or 0) >= BENCHMARK)
    weakest = _weakest_driver(assessed, portfolio.drivers)
    teams = len(portfolio.standings)
    # Three numbers, each with its own plural: the clauses are translated apart and joined by a sentence.
    teams_text = ngettext("%(count)d team", "%(count)d teams", teams) % {"count": teams}
    assessed_text = ngettext(
        "%(assessed)d of %(teams)s has a completed assessment",
        "%(assessed)d of %(teams)s have a completed assessment",
        len(assessed),
    ) % {"assessed": len(assessed), "teams": teams_text}
    above_text = ngettext(
        "%(count)d is at or above the %(benchmark)d%% benchmark overall",
        "%(count)d are at or above the %(benchmark)d%% benchmark overall",
        above,
    ) % {"count": above, "benchmark": BENCHMARK}
    parts = {"assessed": assessed_text, "above": above_text, "weakest": weakest}
    if weakest:
        return _("%(assessed)s; %(above)s; the weakest driver across teams is %(weakest)s.") % parts
    return _("%(assessed)s; %(above)s.") % parts


def _weakest_driver(assessed: Sequence, drivers: list[tuple[str, str]]) -> str | None:
    totals = {key: Score() for key, _name in drivers}
    for standing in assessed:
        for driver in standing.latest.drivers:
            totals[driver.key] = totals[driver.key] + driver.score
    scored = [(s.percent, key) for key, s in totals.items() if s.percent is not None]
    if not scored:
        return None
    low, key = min(scored)
    return f"{dict(drivers)[key]} ({percent(low)})"
