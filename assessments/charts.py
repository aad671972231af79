"""Plotly figures of the scoring data, each with the data table and one-sentence summary shown beside it.

Charts take the plain data of `assessments.scoring` and `assessments.reports` and never touch the database.
A `Chart` carries everything a page needs (figure JSON, accessible name, summary, table), so the numbers a
screen reader or a printout gets are the numbers drawn.
"""

from __future__ import annotations

import datetime
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import plotly.io as pio

from assessments.scoring import BENCHMARK, AssessmentScores, CategoryScore, Score, change, whole

if TYPE_CHECKING:
    from assessments.reports import Portfolio, Progress

# Okabe-Ito: distinguishable with the common colour-vision deficiencies (yellow left out: too pale on white).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
# Lines also differ by marker and dash, so they stay apart in greyscale print.
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross")
DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "solid", "dot")
ITEM_COLOURS = [[0, "#deebf7"], [0.5, "#6baed6"], [1, "#08306b"]]  # Blues: 0, 1, 2 points
PERCENT_COLOURS = "Blues"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]  # the first cell of a row names it (rendered as a row header)


@dataclass(frozen=True)
class Chart:
    id: str
    figure: dict
    label: str  # the accessible name of the drawing
    summary: str
    table: Table
    height: int

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{whole(value)}%"


def day(date: datetime.date) -> str:
    """1 May 2026: the date as every page of implhub writes it."""
    return f"{date.day} {date:%b %Y}"


def signed(value: float | None) -> str:
    if value is None:
        return "—"
    points = whole(value)
    return f"{points:+d} pts" if points else "±0 pts"


def _wrap(text: str, width: int = 12) -> str:
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _layout(fig: go.Figure, *, height: int, margin: dict, **extra) -> go.Figure:
    fig.update_layout(
        template="none",
        height=height,
        font={"family": FONT, "size": 13, "color": "#212529"},
        margin=margin,
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": FONT}},
        **extra,
    )
    return fig


def _benchmark(fig: go.Figure) -> None:
    """The 80% line, labelled in the right margin where no bar or value label can cover it."""
    # Below the bars, so a value label near 80% stays readable over the line.
    fig.add_hline(y=BENCHMARK, line={"dash": "dash", "color": "#495057", "width": 1.5}, layer="below")
    fig.add_annotation(
        xref="paper",
        x=1,
        xanchor="left",
        yref="y",
        y=BENCHMARK,
        text=f"{BENCHMARK}%<br>benchmark",
        showarrow=False,
        align="left",
        font={"size": 12, "color": "#495057"},
    )


def _percent_axis(fig: go.Figure) -> None:
    fig.update_yaxes(range=[0, 112], ticksuffix="%", gridcolor="#e9ecef", zeroline=False, dtick=20)


def _chart(chart_id: str, fig: go.Figure, *, label: str, summary: str, table: Table) -> Chart:
    return Chart(
        id=chart_id,
        figure=json.loads(pio.to_json(fig, validate=False)),
        label=label,
        summary=summary,
        table=table,
        height=int(fig.layout.height),
    )


def driver_profile(
    scores: AssessmentScores, previous: AssessmentScores | None = None, *, chart_id: str = "driver-profile"
) -> Chart:
    """Bars per driver, grouped by category, the 80% line, and last time's score as a marker."""
    fig = go.Figure()
    for n, category in enumerate(scores.categories):
        drivers = category.drivers
        x = _grouped_x(category)
        fig.add_bar(
            name=category.name,
            x=x,
            y=[d.score.percent for d in drivers],
            text=[d.score.label if d.score.percent is not None else "" for d in drivers],
            textposition="outside",
            marker_color=PALETTE[n % len(PALETTE)],
            customdata=[[d.name, d.score.points, d.score.possible, d.score.label] for d in drivers],
            hovertemplate="%{customdata[0]}: %{customdata[3]} (%{customdata[1]} of %{customdata[2]} points)"
            "<extra></extra>",
        )
        for driver, x_pair in zip(drivers, zip(*x, strict=True), strict=True):
            if driver.score.percent is None:
                fig.add_annotation(
                    x=list(x_pair),
                    y=0,
                    text=_wrap(driver.score.label, 10),
                    showarrow=False,
                    yshift=18,
                    font={"size": 11, "color": "#495057"},
                )
    if previous is not None:
        _previous_markers(fig, scores, previous)
    _benchmark(fig)
    _percent_axis(fig)
    # Horizontal, wrapped driver names stay readable on a narrow screen or a printed page.
    fig.update_xaxes(tickangle=0, tickfont={"size": 11})
    _layout(fig, height=440, barmode="group", bargap=0.35, margin={"l": 60, "r": 90, "t": 50, "b": 110})
    return _chart(
        chart_id,
        fig,
        label=f"Bar chart of driver scores, grouped by category, against the {BENCHMARK}% benchmark.",
        summary=profile_summary(scores),
        table=profile_table(scores, previous),
    )


def _grouped_x(category: CategoryScore) -> list[list[str]]:
    """Two-level x values: Plotly draws the drivers with their category's name beneath them."""
    return [[_wrap(category.name, 30)] * len(category.drivers), [_wrap(d.name) for d in category.drivers]]


def _previous_markers(fig: go.Figure, scores: AssessmentScores, previous: AssessmentScores) -> None:
    for n, category in enumerate(scores.categories):
        drivers = category.drivers
        before = [previous.driver(d.code) for d in drivers]
        fig.add_scatter(
            name=f"Previous ({day(previous.held_on)})",
            legendgroup="previous",
            showlegend=n == 0,
            x=_grouped_x(category),
            y=[b.score.percent if b else None for b in before],
            mode="markers",
            marker={"symbol": "diamond-open", "size": 11, "color": "#000000", "line": {"width": 2}},
            hovertemplate="previous: %{y:.0f}%<extra></extra>",
        )


def profile_summary(scores: AssessmentScores) -> str:
    overall = scores.overall
    scored = [d for d in scores.drivers if d.score.percent is not None]
    if not scored:
        return "No driver has a score yet."
    best = max(scored, key=lambda d: d.score.percent)
    worst = min(scored, key=lambda d: d.score.percent)
    above = sum(1 for d in scored if d.score.percent >= BENCHMARK)
    return (
        f"Overall {overall.label} ({overall.points} of {overall.possible} points); strongest driver "
        f"{best.name} ({best.score.label}), weakest {worst.name} ({worst.score.label}); {above} of "
        f"{len(scores.drivers)} drivers at or above the {BENCHMARK}% benchmark."
    )


def profile_table(scores: AssessmentScores, previous: AssessmentScores | None) -> Table:
    def row(name: str, kind: str, score: Score, before: Score | None) -> tuple[str, ...]:
        points = f"{score.points} of {score.possible}" if score.scored else "—"
        return (name, kind, score.label, points, str(score.not_applicable), signed(change(score, before)))

    rows = []
    for category in scores.categories:
        for driver in category.drivers:
            before = previous.driver(driver.code) if previous else None
            rows.append(row(driver.name, category.name, driver.score, before.score if before else None))
        before = (
            next((c.score for c in previous.categories if c.slug == category.slug), None)
            if previous
            else None
        )
        rows.append(row(f"{category.name} (all drivers)", "category", category.score, before))
    rows.append(row("Overall", "assessment", scores.overall, previous.overall if previous else None))
    return Table(
        caption="Driver, category and overall scores (percent of possible points)",
        headers=("Driver", "Category", "Score", "Points", "N/A items", "Change since previous"),
        rows=rows,
    )


def progress_lines(progress: Progress, *, chart_id: str = "progress-lines") -> Chart:
    """One line per driver over the completed assessments (drivers followed by code across versions)."""
    history = progress.scores
    drivers: dict[str, str] = {}
    for scores in reversed(history):  # newest names first
        for driver in scores.drivers:
            drivers.setdefault(driver.code, driver.name)
    dates = [s.held_on.isoformat() for s in history]
    fig = go.Figure()
    for n, (code, name) in enumerate(drivers.items()):
        values = [_driver_percent(s, code) for s in history]
        fig.add_scatter(
            name=name,
            x=dates,
            y=values,
            mode="lines+markers",
            line={"color": PALETTE[n % len(PALETTE)], "dash": DASHES[n % len(DASHES)], "width": 2.5},
            marker={"symbol": SYMBOLS[n % len(SYMBOLS)], "size": 9},
            hovertemplate=f"{name}: %{{y:.0f}}%<br>%{{x|%-d %b %Y}}<extra></extra>",
        )
    _benchmark(fig)
    _percent_axis(fig)
    fig.update_xaxes(type="date", tickformat="%b %Y", tickvals=dates, gridcolor="#f1f3f5")
    _layout(fig, height=460, margin={"l": 60, "r": 90, "t": 90, "b": 50})
    rows = [(name, *(percent(_driver_percent(s, code)) for s in history)) for code, name in drivers.items()]
    rows.append(("Overall", *(s.overall.label for s in history)))
    return _chart(
        chart_id,
        fig,
        label=f"Line chart of each driver's score over {len(history)} completed assessments.",
        summary=progress_summary(progress),
        table=Table(
            caption="Driver scores per completed assessment (percent of possible points)",
            headers=("Driver", *(day(s.held_on) for s in history)),
            rows=rows,
        ),
    )


def _driver_percent(scores: AssessmentScores, code: str) -> float | None:
    driver = scores.driver(code)
    return driver.score.percent if driver else None


def progress_summary(progress: Progress) -> str:
    history = progress.scores
    if not history:
        return "The team has no completed assessment yet."
    first, last = history[0], history[-1]
    if len(history) == 1:
        return f"One completed assessment so far ({day(last.held_on)}), overall {last.overall.label}."
    rose = sum(1 for d in last.drivers if (change(d.score, _score_of(first, d.code)) or 0) > 0)
    fell = sum(1 for d in last.drivers if (change(d.score, _score_of(first, d.code)) or 0) < 0)
    return (
        f"From {first.held_on:%b %Y} to {last.held_on:%b %Y} the overall score went from "
        f"{first.overall.label} to {last.overall.label}; {rose} drivers rose and {fell} fell."
    )


def _score_of(scores: AssessmentScores, code: str) -> Score | None:
    driver = scores.driver(code)
    return driver.score if driver else None


def item_heatmap(progress: Progress, *, chart_id: str = "item-heatmap") -> Chart:
    """Items (rows, by code) x completed assessments (columns): 0, 1, 2 points or N/A."""
    columns = [day(a.held_on) for a in progress.assessments]
    items = progress.items
    z = [[c.score if c else None for c in i.cells] for i in items]
    text = [[c.label if c else "—" for c in i.cells] for i in items]
    fig = go.Figure(
        go.Heatmap(
            x=columns,
            y=[i.code for i in items],
            z=z,
            text=text,
            texttemplate="%{text}",
            customdata=[[i.statement[:90]] * len(columns) for i in items],
            hovertemplate="%{y} on %{x}: %{text}<br>%{customdata}<extra></extra>",
            colorscale=ITEM_COLOURS,
            zmin=0,
            zmax=2,
            xgap=2,
            ygap=2,
            # A fixed-size key: as a fraction of a tall chart it would squash its three ticks together.
            colorbar={
                "title": {"text": "points"},
                "tickvals": [0, 1, 2],
                "lenmode": "pixels",
                "len": 120,
                "y": 1,
                "yanchor": "top",
            },
        )
    )
    fig.update_yaxes(
        autorange="reversed", type="category", ticks="", tickfont={"family": "monospace", "size": 13}
    )
    fig.update_xaxes(side="top", type="category", ticks="")
    height = max(240, 22 * len(items) + 80)
    _layout(fig, height=height, margin={"l": 70, "r": 20, "t": 60, "b": 20})
    return _chart(
        chart_id,
        fig,
        label=f"Heatmap of {len(items)} items across {len(columns)} completed assessments.",
        summary=heatmap_summary(progress),
        table=Table(
            caption="Consensus score of each item per completed assessment (2 in place, 1 partly, 0 not)",
            headers=("Item", "Driver", *columns),
            rows=[(i.code, i.driver_name, *row) for i, row in zip(items, text, strict=True)],
        ),
    )


def heatmap_summary(progress: Progress) -> str:
    if not progress.assessments:
        return "The team has no completed assessment yet."

    def in_place(column: int) -> int:
        return sum(1 for i in progress.items if i.cells[column] and i.cells[column].score == 2)

    last = in_place(-1)
    if len(progress.assessments) == 1:
        return f"{last} of {len(progress.items)} items are in place."
    return (
        f"{last} of {len(progress.items)} items were in place at the latest assessment, "
        f"against {in_place(0)} at the first."
    )


def portfolio_heatmap(portfolio: Portfolio, *, chart_id: str = "portfolio-heatmap") -> Chart:
    """Teams x drivers, the latest completed assessment of each team, in percent."""
    standings = [s for s in portfolio.standings if s.latest is not None]
    codes = [code for code, _ in portfolio.drivers]
    names = [name for _, name in portfolio.drivers]
    values = [[_driver_percent(s.latest, code) for code in codes] for s in standings]
    text = [[percent(v) if v is not None else "N/A" for v in row] for row in values]
    fig = go.Figure(
        go.Heatmap(
            x=[_wrap(n) for n in names],
            y=[_wrap(s.team.name, 24) for s in standings],
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
    _layout(fig, height=max(220, 48 * len(standings) + 130), margin={"l": 170, "r": 20, "t": 90, "b": 20})
    return _chart(
        chart_id,
        fig,
        label=f"Heatmap of driver scores for {len(standings)} teams, latest completed assessment.",
        summary=portfolio_summary(portfolio),
        table=Table(
            caption="Driver scores of each team's latest completed assessment (percent of possible points)",
            headers=("Team", "Assessed", "Overall", *names),
            rows=[
                (s.team.name, day(s.latest.held_on), s.latest.overall.label, *row)
                for s, row in zip(standings, text, strict=True)
            ],
        ),
    )


def portfolio_summary(portfolio: Portfolio) -> str:
    assessed = [s for s in portfolio.standings if s.latest is not None]
    if not assessed:
        return "None of these teams has a completed assessment yet."
    above = sum(1 for s in assessed if (s.latest.overall.percent or 0) >= BENCHMARK)
    weakest = _weakest_driver(assessed, portfolio.drivers)
    teams = len(portfolio.standings)
    return (
        f"{len(assessed)} of {teams} team{'s' if teams != 1 else ''} "
        f"{'has' if len(assessed) == 1 else 'have'} a completed assessment; {above} "
        f"{'is' if above == 1 else 'are'} at or above the {BENCHMARK}% benchmark overall"
        + (f"; the weakest driver across teams is {weakest}." if weakest else ".")
    )


def _weakest_driver(assessed: Sequence, drivers: list[tuple[str, str]]) -> str | None:
    totals = {code: Score() for code, _ in drivers}
    for standing in assessed:
        for driver in standing.latest.drivers:
            totals[driver.code] = totals[driver.code] + driver.score
    scored = [(s.percent, code) for code, s in totals.items() if s.percent is not None]
    if not scored:
        return None
    low, code = min(scored)
    return f"{dict(drivers)[code]} ({percent(low)})"
