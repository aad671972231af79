"""The coach portfolio's figure: teams x drivers at their latest completed assessment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.reports.charts.base import (
    Chart,
    Table,
    benchmark_colours,
    benchmark_text,
    chart,
    figure,
    layout,
    trace,
    update_xaxes,
    update_yaxes,
    wrap,
)
from assessments.reports.formatting import day, percent
from assessments.scoring import Score
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
    from the benchmark of that assessment's version. `team_url` gives the address of a team's page, to
    which the table links."""
    standings = [s for s in portfolio.standings if s.latest is not None]
    keys = [key for key, _name in portfolio.drivers]
    names = [name for _key, name in portfolio.drivers]
    scores = [[s.latest.counterpart_score(key) for key in keys] for s in standings]
    text = [[s.label if s and s.scored else str(scale.NOT_APPLICABLE_SHORT) for s in row] for row in scores]
    key = _Key.of([s.latest.benchmark for s in standings])
    values = [
        [key.position(s.rounded if s else None, standing.latest.benchmark) for s in row]
        for standing, row in zip(standings, scores, strict=True)
    ]
    teams = [s.team.name for s in standings]
    fig = figure(
        _cells(
            x=[wrap(n) for n in names],
            y=[wrap(t, 24) for t in teams],
            z=values,
            text=text,
            hover="%{y}<br>%{x}: %{text}<extra></extra>",
            # A key of fixed height from the top of the cells: a fraction of a short chart squashes its ticks.
            colorbar={"lenmode": "pixels", "len": 190, "y": 1, "yanchor": "top"},
            key=key,
            ticks=key.ticks,
        )
    )
    update_yaxes(fig, autorange="reversed", type="category", ticks="")
    update_xaxes(fig, side="top", type="category", ticks="")
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
        narrow=_narrow(names, teams, values, text, key),
    )


@dataclass(frozen=True)
class _Key:
    """The colour key. Teams whose versions share one benchmark are coloured by their percent, the key
    turning at that benchmark; teams on versions with different benchmarks are each coloured by the
    distance from their own, the key turning at "each team's benchmark" (the cells still show percents)."""

    benchmark: int | None  # the one benchmark all teams share, or None
    ticks: tuple[int, ...]

    MIDDLE = 50  # where each team's own benchmark sits on a key shared by several benchmarks

    @classmethod
    def of(cls, benchmarks: list[int]) -> _Key:
        if len(set(benchmarks)) > 1:
            return cls(benchmark=None, ticks=(0, cls.MIDDLE, 100))
        shared = benchmarks[0] if benchmarks else 80
        return cls(benchmark=shared, ticks=tuple(sorted({0, 20, 40, 60, shared, 100})))

    @property
    def turn(self) -> int:
        return self.benchmark if self.benchmark is not None else self.MIDDLE

    def position(self, percent: int | None, benchmark: int) -> float | None:
        """Where a team's shown percent sits on the key."""
        if percent is None or self.benchmark is not None:
            return percent
        if percent < benchmark:
            return self.MIDDLE * percent / benchmark
        return self.MIDDLE + (100 - self.MIDDLE) * (percent - benchmark) / max(100 - benchmark, 1)

    def label(self, tick: int, *, across: bool) -> str:
        if tick != self.turn:
            return percent(tick)
        if self.benchmark is None:
            return _("each team's<br>benchmark") if across else _("each team's benchmark")
        return (
            benchmark_text(self.benchmark) if across else benchmark_text(self.benchmark).replace("<br>", " ")
        )


def _narrow(names: list[str], teams: list[str], values: list, text: list, key: _Key) -> dict:
    """A phone's heatmap turned a quarter: drivers down the side (seven names read better there than across
    a narrow screen), teams across the top, the colour key under the cells."""
    fig = figure(
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
            key=key,
            ticks=(0, 40, key.turn) if key.turn > 50 else (0, key.turn, 100),  # room for the two-line label
        )
    )
    update_yaxes(fig, autorange="reversed", type="category", ticks="", automargin=True)
    update_xaxes(fig, side="top", type="category", ticks="", tickangle=0, automargin=True)
    layout(fig, height=44 * len(names) + 170, margin={"l": 8, "r": 16, "t": 20, "b": 70})
    return fig


def _cells(
    *, x: list, y: list, z: list, text: list, hover: str, colorbar: dict, key: _Key, ticks: tuple[int, ...]
) -> dict:
    return trace(
        "heatmap",
        x=x,
        y=y,
        z=z,
        text=text,
        texttemplate="%{text}",
        hovertemplate=hover,
        colorscale=benchmark_colours(key.turn),
        zmin=0,
        zmax=100,
        xgap=2,
        ygap=2,
        colorbar={
            "title": {"text": "%"},
            # The key marks the benchmark, where the scale turns from orange to blue.
            "tickvals": list(ticks),
            # "80% benchmark" on one line beside an upright key, on two under a key that lies across.
            "ticktext": [key.label(v, across=colorbar.get("orientation") == "h") for v in ticks],
            **colorbar,
        },
    )


def portfolio_summary(portfolio: Portfolio) -> str:
    assessed = [s for s in portfolio.standings if s.latest is not None]
    if not assessed:
        return _("None of these teams has a completed assessment yet.")
    # Each team against the benchmark of its own assessment's version.
    above = sum(1 for s in assessed if s.latest.overall.reaches(s.latest.benchmark))
    benchmarks = {s.latest.benchmark for s in assessed}
    weakest = _weakest_driver(assessed, portfolio.drivers)
    teams = len(portfolio.standings)
    # Three numbers, each with its own plural: the clauses are translated apart and joined by a sentence.
    teams_text = ngettext("%(count)d team", "%(count)d teams", teams) % {"count": teams}
    assessed_text = ngettext(
        "%(assessed)d of %(teams)s has a completed assessment",
        "%(assessed)d of %(teams)s have a completed assessment",
        len(assessed),
    ) % {"assessed": len(assessed), "teams": teams_text}
    if len(benchmarks) == 1:
        above_text = ngettext(
            "%(count)d is at or above the %(benchmark)d%% benchmark overall",
            "%(count)d are at or above the %(benchmark)d%% benchmark overall",
            above,
        ) % {"count": above, "benchmark": benchmarks.pop()}
    else:
        above_text = ngettext(
            "%(count)d is at or above its version's benchmark overall",
            "%(count)d are at or above their version's benchmark overall",
            above,
        ) % {"count": above}
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
