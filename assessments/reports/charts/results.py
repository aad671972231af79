"""The results page's figure: the driver profile of one assessment, with last time's scores."""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.reports.charts.base import (
    PALETTE,
    PERCENT_AXIS,
    Chart,
    Table,
    add_annotation,
    add_trace,
    benchmark_column,
    benchmark_line,
    chart,
    figure,
    layout,
    legend_below,
    percent_axis,
    update_xaxes,
    update_yaxes,
    wrap,
)
from assessments.reports.formatting import day, signed
from assessments.scoring import AssessmentScores, CategoryScore, Score, change

# Each bar fills the middle of its slot; last time's score is a short black tick just beside the bar, at its
# height, so it never sits on the bar's value label (which is centred over the bar).
BAR = {"width": 0.56, "offset": -0.28}
PREVIOUS_TICK = {"width": 0.16, "offset": 0.3}
PREVIOUS_COLOUR = "#000000"
TICK_THICKNESS = 2.4  # percentage points: about 5 pixels on the wide chart
# On a phone the tick stands under its bar: narrower (in points) and longer (in the bar's direction).
NARROW_TICK = {"width": 0.3, "offset": 0.3}
NARROW_TICK_THICKNESS = 1.4


def driver_profile(
    scores: AssessmentScores, previous: AssessmentScores | None = None, *, chart_id: str = "driver-profile"
) -> Chart:
    """Bars per driver, grouped by category, the line of the version's benchmark, and last time's score as a
    tick beside each bar; on a phone the same as horizontal bars."""
    fig = figure()
    for n, category in enumerate(scores.categories):
        drivers = category.drivers
        x = _grouped_x(category)
        add_trace(fig, "bar", x=x, y=[d.score.percent for d in drivers], **_category_bars(category, n))
        for driver, x_pair in zip(drivers, zip(*x, strict=True), strict=True):
            if driver.score.percent is None:
                add_annotation(
                    fig,
                    x=list(x_pair),
                    y=0,
                    text=wrap(driver.score.label, 10),
                    showarrow=False,
                    yshift=18,
                    font={"size": 11, "color": "#495057"},
                )
        if previous is not None:
            add_trace(fig, "bar", x=x, **_previous_ticks(category, previous))
    if previous is not None:
        _previous_legend(fig, previous)
    benchmark_line(fig, scores.benchmark)
    percent_axis(fig)
    # Horizontal, wrapped driver names stay readable on a printed page.
    update_xaxes(fig, tickangle=0, tickfont={"size": 11})
    layout(fig, height=440, barmode="overlay", margin={"l": 60, "r": 90, "t": 50, "b": 110})
    return chart(
        chart_id,
        fig,
        label=_(
            "Bar chart of driver scores, grouped by category, against the %(benchmark)d%% working benchmark "
            "of the capacity assessments."
        )
        % {"benchmark": scores.benchmark},
        summary=profile_summary(scores),
        table=profile_table(scores, previous),
        narrow=_narrow_profile(scores, previous),
    )


def _category_bars(category: CategoryScore, n: int) -> dict:
    """What a category's bars look like whichever way they run: colour, value labels, hover."""
    drivers = category.drivers
    return {
        "name": category.name,
        "text": [d.score.label if d.score.percent is not None else "" for d in drivers],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": PALETTE[n % len(PALETTE)]},
        "customdata": _customdata(drivers),
        "hovertemplate": _hover(),
        **BAR,
    }


def _narrow_profile(scores: AssessmentScores, previous: AssessmentScores | None) -> dict:
    """A phone's driver profile: one horizontal bar per driver, top to bottom in framework order, the names
    on the left (the category by colour and in the legend), the values after the bars."""
    fig = figure()
    for n, category in enumerate(scores.categories):
        drivers = category.drivers
        y = [wrap(d.name, 16) for d in drivers]
        add_trace(
            fig,
            "bar",
            y=y,
            x=[d.score.percent for d in drivers],
            orientation="h",
            **_category_bars(category, n),
        )
        for driver, name in zip(drivers, y, strict=True):
            if driver.score.percent is None:
                add_annotation(
                    fig,
                    y=name,
                    x=0,
                    xanchor="left",
                    text=driver.score.label,
                    showarrow=False,
                    font={"size": 11},
                )
        if previous is not None:
            add_trace(
                fig, "bar", y=y, orientation="h", **_previous_ticks(category, previous, horizontal=True)
            )
    if previous is not None:
        _previous_legend(fig, previous)
    benchmark_column(fig, scores.benchmark)
    update_xaxes(fig, range=[0, 126], tickvals=[0, 20, 40, 60, 80, 100], **PERCENT_AXIS)
    update_yaxes(fig, autorange="reversed", type="category", tickfont={"size": 12}, ticks="")
    count = len(scores.drivers)
    layout(fig, height=150 + 46 * count, barmode="overlay", margin={"l": 8, "r": 12, "t": 30, "b": 40})
    update_yaxes(fig, automargin=True)
    legend_below(fig)
    return fig


def _customdata(drivers) -> list[list]:
    return [[d.name, d.score.points, d.score.possible, d.score.label] for d in drivers]


def _hover() -> str:
    # The placeholders get Plotly's own, which name the values of the data point.
    return (
        _("%(driver)s: %(score)s (%(points)s of %(possible)s points)")
        % {
            "driver": "%{customdata[0]}",
            "score": "%{customdata[3]}",
            "points": "%{customdata[1]}",
            "possible": "%{customdata[2]}",
        }
        + "<extra></extra>"
    )


def _grouped_x(category: CategoryScore) -> list[list[str]]:
    """Two-level x values: Plotly draws the drivers with their category's name beneath them."""
    return [[wrap(category.name, 30)] * len(category.drivers), [wrap(d.name) for d in category.drivers]]


def _previous_ticks(category: CategoryScore, previous: AssessmentScores, *, horizontal: bool = False) -> dict:
    """Last time's scores of one category as short bars (ticks) beside this time's bars, each from just
    below to just above the old value: the properties of a bar trace but the driver positions."""
    before = [previous.counterpart(d.key) for d in category.drivers]
    values = [b.score.percent if b else None for b in before]
    size = NARROW_TICK_THICKNESS if horizontal else TICK_THICKNESS
    return {
        "x" if horizontal else "y": [size if v is not None else None for v in values],
        "base": [v - size / 2 if v is not None else None for v in values],
        "customdata": [b.score.label if b else "" for b in before],
        "marker": {"color": PREVIOUS_COLOUR, "line": {"width": 0}},
        "hovertemplate": _("previous: %(score)s") % {"score": "%{customdata}"} + "<extra></extra>",
        "name": _previous_name(previous),
        "legendgroup": "previous",
        "showlegend": False,
        **(NARROW_TICK if horizontal else PREVIOUS_TICK),
    }


def _previous_name(previous: AssessmentScores) -> str:
    return _("Previous (%(date)s)") % {"date": day(previous.held_on)}


def _previous_legend(fig: dict, previous: AssessmentScores) -> None:
    """The legend's entry for the ticks: a short black line (a bar's legend swatch would be a square)."""
    add_trace(
        fig,
        "scatter",
        x=[None],
        y=[None],
        mode="lines",
        line={"color": PREVIOUS_COLOUR, "width": 4},
        name=_previous_name(previous),
        legendgroup="previous",
        hoverinfo="skip",
    )


def profile_summary(scores: AssessmentScores) -> str:
    overall = scores.overall
    scored = [d for d in scores.drivers if d.score.percent is not None]
    if not scored:
        return _("No driver has a score yet.")
    best = max(scored, key=lambda d: d.score.percent)
    worst = min(scored, key=lambda d: d.score.percent)
    above = sum(1 for d in scored if d.score.reaches(scores.benchmark))
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
        "benchmark": scores.benchmark,
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
