"""The coach portfolio's figure: teams x drivers at their latest completed assessment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.reports.charts.base import (
    BENCHMARK_COLOURS,
    Chart,
    Table,
    benchmark_text,
    chart,
    layout,
    wrap,
)
from assessments.reports.formatting import day, percent
from assessments.scoring import BENCHMARK, Score
from drivers import scale

if TYPE_CHECKING:
    from assessments.reports.selectors import Portfolio


def portfolio_heatmap(
    portfolio: Portfolio,
    *,
    chart_id: str = "portfolio-heatmap",
    team_url: Callable[[Any], str] | None = None,
) -> Chart:
    """Teams x drivers, the latest completed assessment of each team, in percent, coloured by the distance
    from the 80% benchmark. `team_url` gives the address of a team's page, to which the table links."""
    standings = [s for s in portfolio.standings if s.latest is not None]
    keys = [key for key, _name in portfolio.drivers]
    names = [name for _key, name in portfolio.drivers]
    values = [[s.latest.counterpart_percent(key) for key in keys] for s in standings]
    text = [[percent(v) if v is not None else str(scale.NOT_APPLICABLE_SHORT) for v in row] for row in values]
    teams = [s.team.name for s in standings]
    fig = go.Figure(
        _cells(
            x=[wrap(n) for n in names],
            y=[wrap(t, 24) for t in teams],
            z=values,
            text=text,
            hover="%{y}<br>%{x}: %{text}<extra></extra>",
            # A key of fixed height from the top of the cells: a fraction of a short chart squashes its ticks.
            colorbar={"lenmode": "pixels", "len": 190, "y": 1, "yanchor": "top"},
            ticks=(0, 20, 40, 60, BENCHMARK, 100),
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", ticks="")
    fig.update_xaxes(side="top", type="category", ticks="")
    layout(fig, height=max(310, 48 * len(standings) + 130), margin={"l": 170, "r": 20, "t": 90, "b": 20})
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
            links=tuple(team_url(s.team) for s in standings) if team_url else (),
        ),
        narrow=_narrow(names, teams, values, text),
    )


def _narrow(names: list[str], teams: list[str], values: list, text: list) -> go.Figure:
    """A phone's heatmap turned a quarter: drivers down the side (seven names read better there than across
    a narrow screen), teams across the top, the colour key under the cells."""
    fig = go.Figure(
        _cells(
            x=[wrap(t, 10) for t in teams],
            y=[wrap(n, 16) for n in names],
            z=[list(column) for column in zip(*values, strict=True)],
            text=[list(column) for column in zip(*text, strict=True)],
            hover="%{x}<br>%{y}: %{text}<extra></extra>",
            colorbar={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": -0.02,
                "yanchor": "top",
                "len": 1,
                "thickness": 14,
                "tickangle": 0,
            },
            ticks=(0, 40, BENCHMARK),  # room for the benchmark's two-line label across a phone
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", ticks="", automargin=True)
    fig.update_xaxes(side="top", type="category", ticks="", tickangle=0, automargin=True)
    layout(fig, height=44 * len(names) + 170, margin={"l": 8, "r": 16, "t": 20, "b": 70})
    return fig


def _cells(
    *, x: list, y: list, z: list, text: list, hover: str, colorbar: dict, ticks: tuple[int, ...]
) -> go.Heatmap:
    return go.Heatmap(
        x=x,
        y=y,
        z=z,
        text=text,
        texttemplate="%{text}",
        hovertemplate=hover,
        colorscale=BENCHMARK_COLOURS,
        zmin=0,
        zmax=100,
        xgap=2,
        ygap=2,
        colorbar={
            "title": {"text": "%"},
            # The key marks the benchmark, where the scale turns from orange to blue.
            "tickvals": list(ticks),
            "ticktext": [_benchmark_tick(colorbar) if v == BENCHMARK else percent(v) for v in ticks],
            **colorbar,
        },
    )


def _benchmark_tick(colorbar: dict) -> str:
    """ "80% benchmark" on one line beside an upright key, on two under a key that lies across."""
    return benchmark_text() if colorbar.get("orientation") == "h" else benchmark_text().replace("<br>", " ")


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
