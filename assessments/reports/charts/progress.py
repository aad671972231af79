"""The team progress page's figures: driver lines over time and the item heatmap."""

from __future__ import annotations

import copy
import datetime
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.reports.charts.base import (
    DASHES,
    ITEM_COLOURS,
    PALETTE,
    SYMBOLS,
    Chart,
    Table,
    add_trace,
    benchmark_steps,
    chart,
    figure,
    layout,
    legend_below,
    percent_axis,
    trace,
    update_layout,
    update_xaxes,
    update_yaxes,
    wrap,
)
from assessments.reports.formatting import day, percent
from assessments.scoring import change
from drivers import scale
from drivers.formatting import plain

if TYPE_CHECKING:
    from assessments.reports.selectors import Progress


def progress_lines(
    progress: Progress,
    *,
    targets: list[dict[str, int]] | None = None,
    upcoming: dict[str, int] | None = None,
    chart_id: str = "progress-lines",
) -> Chart:
    """One line per driver over the completed assessments (each driver followed by its lineage key), and
    the targets each assessment was aimed at as hollow markers of their own (`targets`, one dict of
    lineage key to percent per assessment); `upcoming` are those set for the next assessment (table only)."""
    history = progress.scores
    targets = targets or [{} for _s in history]
    upcoming = upcoming or {}
    drivers: dict[str, str] = {}
    for scores in reversed(history):  # newest names first
        for driver in scores.drivers:
            drivers.setdefault(driver.key, driver.name)
    fig = _lines(history, drivers, targets, narrow=False)
    layout(fig, height=460, margin={"l": 60, "r": 90, "t": 90, "b": 50})
    # A phone: the benchmark's label over the line's left end instead of a side margin, the legend below.
    narrow = _lines(history, drivers, targets, narrow=True)
    # The legend below pushes the bottom margin: about one line per driver on a phone.
    layout(
        narrow,
        height=340 + 22 * (len(drivers) + any(targets)),
        margin={"l": 44, "r": 24, "t": 16, "b": 30},
    )
    legend_below(narrow)
    update_layout(narrow, legend={"y": -0.12})
    rows = [
        (
            name,
            *(
                _with_target(s.counterpart_percent(key), aimed.get(key))
                for s, aimed in zip(history, targets, strict=True)
            ),
            *((percent(upcoming.get(key)),) if upcoming else ()),
        )
        for key, name in drivers.items()
    ]
    rows.append((_("Overall"), *(s.overall.label for s in history), *(("",) if upcoming else ())))
    return chart(
        chart_id,
        fig,
        label=_("Line chart of each driver's score over %(count)d completed assessments.")
        % {"count": len(history)},
        summary=" ".join(
            filter(None, [progress_summary(progress), targets_summary(history, targets, upcoming)])
        ),
        table=Table(
            caption=_("Driver scores per completed assessment (percent of possible points)"),
            headers=(
                _("Driver"),
                *(day(s.held_on) for s in history),
                *((_("Targets for the next assessment"),) if upcoming else ()),
            ),
            rows=rows,
        ),
        narrow=narrow,
    )


def _with_target(value: float | None, target: int | None) -> str:
    if target is None:
        return percent(value)
    # Translators: a driver's score with the target it was aimed at, e.g. "56% (target 80%)".
    return _("%(score)s (target %(target)d%%)") % {"score": percent(value), "target": target}


def _lines(history: list, drivers: dict[str, str], targets: list[dict[str, int]], *, narrow: bool) -> dict:
    dates = [s.held_on.isoformat() for s in history]
    fig = figure()
    for n, (key, name) in enumerate(drivers.items()):
        values = [s.counterpart_percent(key) for s in history]
        add_trace(
            fig,
            "scatter",
            name=name,
            x=dates,
            y=values,
            mode="lines+markers",
            line={"color": PALETTE[n % len(PALETTE)], "dash": DASHES[n % len(DASHES)], "width": 2.5},
            marker={"symbol": SYMBOLS[n % len(SYMBOLS)], "size": 9},
            hovertemplate=f"{name}: %{{y:.0f}}%<br>%{{x|%-d %b %Y}}<extra></extra>",
        )
    if any(targets):
        _target_markers(fig, dates, drivers, targets, narrow=narrow)
    benchmark_steps(fig, dates, [s.benchmark for s in history], narrow=narrow)
    percent_axis(fig)
    update_xaxes(fig, type="date", tickformat="%b %Y", tickvals=dates, gridcolor="#f1f3f5")
    if narrow and history:
        # Room at both ends, so the first date's label does not run into the percent axis.
        first, last = history[0].held_on, history[-1].held_on
        pad = max((last - first) * 0.12, datetime.timedelta(days=30))
        update_xaxes(fig, range=[(first - pad).isoformat(), (last + pad).isoformat()])
    return fig


def _target_markers(
    fig: dict, dates: list[str], drivers: dict[str, str], targets: list[dict], *, narrow: bool
) -> None:
    """The targets as one trace: at each assessment, a hollow marker of each driver's own shape and colour
    at the percent it was aimed at (filled markers are the scores reached)."""
    points = [
        (date, aimed[key], n, name)
        for date, aimed in zip(dates, targets, strict=True)
        for n, (key, name) in enumerate(drivers.items())
        if key in aimed
    ]
    add_trace(
        fig,
        "scatter",
        # A phone's legend is narrower than the name: on two lines it stays whole.
        name=wrap(_("Target (hollow marker in the driver's colour)"), 34 if narrow else 80),
        x=[p[0] for p in points],
        y=[p[1] for p in points],
        mode="markers",
        marker={
            "symbol": [f"{SYMBOLS[p[2] % len(SYMBOLS)]}-open" for p in points],
            "size": 14,
            "color": [PALETTE[p[2] % len(PALETTE)] for p in points],
            "line": {"width": 2.5},
        },
        customdata=[_("%(driver)s target") % {"driver": p[3]} for p in points],
        hovertemplate="%{customdata}: %{y:.0f}%<br>%{x|%-d %b %Y}<extra></extra>",
    )


def targets_summary(history: list, targets: list[dict[str, int]], upcoming: dict[str, int]) -> str:
    """How the latest assessment met the targets it was aimed at, and how many are set for the next."""
    sentences = []
    aimed = targets[-1] if targets else {}
    if aimed:
        latest = history[-1]
        reached = sum(
            1
            for key, target in aimed.items()
            if (score := latest.counterpart_score(key)) and score.reaches(target)
        )
        sentences.append(
            ngettext(
                "At the latest assessment %(reached)d of %(count)d driver target was reached.",
                "At the latest assessment %(reached)d of %(count)d driver targets were reached.",
                len(aimed),
            )
            % {"reached": reached, "count": len(aimed)}
        )
    if upcoming:
        sentences.append(
            ngettext(
                "A target is set for %(count)d driver at the next assessment.",
                "Targets are set for %(count)d drivers at the next assessment.",
                len(upcoming),
            )
            % {"count": len(upcoming)}
        )
    return " ".join(sentences)


def progress_summary(progress: Progress) -> str:
    history = progress.scores
    if not history:
        return _("The team has no completed assessment yet.")
    first, last = history[0], history[-1]
    if len(history) == 1:
        return _("One completed assessment so far (%(date)s), overall %(overall)s.") % {
            "date": day(last.held_on),
            "overall": last.overall.label,
        }
    rose = sum(1 for d in last.drivers if (change(d.score, first.counterpart_score(d.key)) or 0) > 0)
    fell = sum(1 for d in last.drivers if (change(d.score, first.counterpart_score(d.key)) or 0) < 0)
    return _(
        "From %(first_month)s to %(last_month)s the overall score went from %(first)s to %(last)s; "
        "%(rose)d drivers rose and %(fell)d fell."
    ) % {
        "first_month": date_format(first.held_on, "M Y"),
        "last_month": date_format(last.held_on, "M Y"),
        "first": first.overall.label,
        "last": last.overall.label,
        "rose": rose,
        "fell": fell,
    }


def item_heatmap(progress: Progress, *, chart_id: str = "item-heatmap") -> Chart:
    """Items (rows, by code) x completed assessments (columns): 0, 1, 2 points or N/A. The statement of
    each item is in its hover text and in the table."""
    columns = [day(a.held_on) for a in progress.assessments]
    items = progress.items
    fig = _item_cells(progress, colorbar={"lenmode": "pixels", "len": 120, "y": 1, "yanchor": "top"})
    height = max(240, 22 * len(items) + 80)
    layout(fig, height=height, margin={"l": 70, "r": 20, "t": 60, "b": 20})
    # A phone: the key lies under the cells instead of taking a column of its own.
    narrow = _item_cells(
        progress,
        colorbar={
            "orientation": "h",
            "lenmode": "pixels",
            "len": 160,
            "x": 0,
            "xanchor": "left",
            "y": -0.01,
            "yanchor": "top",
            "thickness": 14,
        },
    )
    # Upright dates on two lines each: turned ones run into each other and off the left edge.
    update_xaxes(narrow, tickangle=0, tickvals=columns, ticktext=[wrap(c, 6) for c in columns])
    layout(narrow, height=height + 60, margin={"l": 64, "r": 10, "t": 50, "b": 70})
    return chart(
        chart_id,
        fig,
        label=_("Heatmap of %(items)d items across %(assessments)d completed assessments.")
        % {"items": len(items), "assessments": len(columns)},
        summary=heatmap_summary(progress),
        table=Table(
            caption=_("Consensus score of each item per completed assessment (2 in place, 1 partly, 0 not)"),
            headers=(_("Best practice"), _("Driver"), *columns),
            rows=[
                (f"{i.code} {plain(i.statement)}", i.driver_name, *row)
                for i, row in zip(items, _cell_texts(progress), strict=True)
            ],
        ),
        narrow=narrow,
    )


def _cell_texts(progress: Progress) -> list[list[str]]:
    return [[c.label if c else "—" for c in i.cells] for i in progress.items]


def _item_cells(progress: Progress, *, colorbar: dict) -> dict:
    columns = [day(a.held_on) for a in progress.assessments]
    items = progress.items
    fig = figure(
        trace(
            "heatmap",
            x=columns,
            y=[i.code for i in items],
            z=[[c.score if c else None for c in i.cells] for i in items],
            text=_cell_texts(progress),
            texttemplate="%{text}",
            # The whole statement, wrapped, so the hover says what the code is.
            customdata=[[wrap(plain(i.statement), 48)] * len(columns) for i in items],
            # The placeholders are filled with Plotly's own ones: item code, date and answer of the cell.
            hovertemplate=_("%(item)s on %(date)s: %(answer)s")
            % {"item": "%{y}", "date": "%{x}", "answer": "%{text}"}
            + "<br>%{customdata}<extra></extra>",
            colorscale=copy.deepcopy(ITEM_COLOURS),
            zmin=scale.NOT_IN_PLACE,
            zmax=scale.MAX_POINTS,
            xgap=2,
            ygap=2,
            # A fixed-size key: as a fraction of a tall chart it would squash its three ticks together.
            colorbar={"title": {"text": _("points")}, "tickvals": sorted(scale.SCORES), **colorbar},
        )
    )
    update_yaxes(
        fig, autorange="reversed", type="category", ticks="", tickfont={"family": "monospace", "size": 13}
    )
    update_xaxes(fig, side="top", type="category", ticks="")
    return fig


def heatmap_summary(progress: Progress) -> str:
    if not progress.assessments:
        return _("The team has no completed assessment yet.")

    def in_place(column: int) -> int:
        return sum(1 for i in progress.items if i.cells[column] and i.cells[column].score == 2)

    last = in_place(-1)
    if len(progress.assessments) == 1:
        return _("%(in_place)d of %(items)d items are in place.") % {
            "in_place": last,
            "items": len(progress.items),
        }
    return _(
        "%(in_place)d of %(items)d items were in place at the latest assessment, "
        "against %(first)d at the first."
    ) % {"in_place": last, "items": len(progress.items), "first": in_place(0)}
