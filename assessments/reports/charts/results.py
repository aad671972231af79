"""The results page's figure: the driver profile of one assessment, with last time's scores."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from assessments.reports.charts.base import (
    PALETTE,
    Chart,
    Table,
    benchmark_line,
    chart,
    layout,
    percent_axis,
    wrap,
)
from assessments.reports.formatting import day, signed
from assessments.scoring import BENCHMARK, AssessmentScores, CategoryScore, Score, change


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
            # The placeholders get Plotly's own, which name the values of the data point.
            hovertemplate=_("%(driver)s: %(score)s (%(points)s of %(possible)s points)")
            % {
                "driver": "%{customdata[0]}",
                "score": "%{customdata[3]}",
                "points": "%{customdata[1]}",
                "possible": "%{customdata[2]}",
            }
            + "<extra></extra>",
        )
        for driver, x_pair in zip(drivers, zip(*x, strict=True), strict=True):
            if driver.score.percent is None:
                fig.add_annotation(
                    x=list(x_pair),
                    y=0,
                    text=wrap(driver.score.label, 10),
                    showarrow=False,
                    yshift=18,
                    font={"size": 11, "color": "#495057"},
                )
    if previous is not None:
        _previous_markers(fig, scores, previous)
    benchmark_line(fig)
    percent_axis(fig)
    # Horizontal, wrapped driver names stay readable on a narrow screen or a printed page.
    fig.update_xaxes(tickangle=0, tickfont={"size": 11})
    layout(fig, height=440, barmode="group", bargap=0.35, margin={"l": 60, "r": 90, "t": 50, "b": 110})
    return chart(
        chart_id,
        fig,
        label=_("Bar chart of driver scores, grouped by category, against the %(benchmark)d%% benchmark.")
        % {"benchmark": BENCHMARK},
        summary=profile_summary(scores),
        table=profile_table(scores, previous),
    )


def _grouped_x(category: CategoryScore) -> list[list[str]]:
    """Two-level x values: Plotly draws the drivers with their category's name beneath them."""
    return [[wrap(category.name, 30)] * len(category.drivers), [wrap(d.name) for d in category.drivers]]


def _previous_markers(fig: go.Figure, scores: AssessmentScores, previous: AssessmentScores) -> None:
    for n, category in enumerate(scores.categories):
        drivers = category.drivers
        before = [previous.counterpart(d.key) for d in drivers]
        fig.add_scatter(
            name=_("Previous (%(date)s)") % {"date": day(previous.held_on)},
            legendgroup="previous",
            showlegend=n == 0,
            x=_grouped_x(category),
            y=[b.score.percent if b else None for b in before],
            mode="markers",
            marker={"symbol": "diamond-open", "size": 11, "color": "#000000", "line": {"width": 2}},
            hovertemplate=_("previous: %(score)s") % {"score": "%{y:.0f}%"} + "<extra></extra>",
        )


def profile_summary(scores: AssessmentScores) -> str:
    overall = scores.overall
    scored = [d for d in scores.drivers if d.score.percent is not None]
    if not scored:
        return _("No driver has a score yet.")
    best = max(scored, key=lambda d: d.score.percent)
    worst = min(scored, key=lambda d: d.score.percent)
    above = sum(1 for d in scored if d.score.percent >= BENCHMARK)
    return _(
        "Overall %(overall)s (%(points)d of %(possible)d points); strongest driver %(best)s "
        "(%(best_score)s), weakest %(worst)s (%(worst_score)s); %(above)d of %(drivers)d drivers at or "
        "above the %(benchmark)d%% benchmark."
    ) % {
        "overall": overall.label,
        "points": overall.points,
        "possible": overall.possible,
        "best": best.name,
        "best_score": best.score.label,
        "worst": worst.name,
        "worst_score": worst.score.label,
        "above": above,
        "drivers": len(scores.drivers),
        "benchmark": BENCHMARK,
    }


def profile_table(scores: AssessmentScores, previous: AssessmentScores | None) -> Table:
    def row(name: str, kind: str, score: Score, before: Score | None) -> tuple[str, ...]:
        if score.scored:
            points = _("%(points)d of %(possible)d") % {"points": score.points, "possible": score.possible}
        else:
            points = "—"
        return (name, kind, score.label, points, str(score.not_applicable), signed(change(score, before)))

    rows = []
    for category in scores.categories:
        for driver in category.drivers:
            before = previous.counterpart(driver.key) if previous else None
            rows.append(row(driver.name, category.name, driver.score, before.score if before else None))
        before = (
            next((c.score for c in previous.categories if c.slug == category.slug), None)
            if previous
            else None
        )
        name = _("%(category)s (all drivers)") % {"category": category.name}
        rows.append(row(name, _("category"), category.score, before))
    rows.append(row(_("Overall"), _("assessment"), scores.overall, previous.overall if previous else None))
    return Table(
        caption=_("Driver, category and overall scores (percent of possible points)"),
        headers=(
            _("Driver"),
            _("Category"),
            _("Score"),
            _("Points"),
            _("N/A items"),
            _("Change since previous"),
        ),
        rows=rows,
    )
