"""What every chart shares: the `Chart` a page renders, its data `Table`, the palette and the layout.

Charts take the plain data of `assessments.scoring` and `assessments.reports.selectors` and never touch
the database (import-linter keeps models and `django.db` out of this package). A `Chart` carries
everything a page needs (figure JSON, accessible name, summary, table), so the numbers a screen reader or a
printout gets are the numbers drawn. One module per page draws that page's figures.

A figure is the JSON that plotly.js draws, built here as plain dicts: `plotly.graph_objects` validated every
property on every request and took about half of a results page's time. The helpers below add traces,
shapes and annotations as plotly's own would emit them; the tests check every figure they draw with plotly.
Each figure is its own: constants of this package are copied into it, never shared.
"""

from __future__ import annotations

import copy
import textwrap
from dataclasses import dataclass

import plotly.io as pio
from django.utils.translation import gettext as _

# Okabe-Ito: distinguishable with the common colour-vision deficiencies (yellow left out: too pale on white).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
# Lines also differ by marker and dash, so they stay apart in greyscale print.
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross")
DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "solid", "dot")
ITEM_COLOURS = [[0, "#deebf7"], [0.5, "#6baed6"], [1, "#08306b"]]  # Blues: 0, 1, 2 points
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@dataclass(frozen=True)
class TableRow:
    name: str  # the row header
    link: str | None  # where the name links to, if anywhere
    cells: list[tuple[str, str]]  # (column name, value): a phone shows each value after its column's name


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]  # the first cell of a row names it (rendered as a row header)
    links: tuple[str | None, ...] = ()  # per row, where its name links to (none when empty)

    @property
    def body(self) -> list[TableRow]:
        links = self.links or (None,) * len(self.rows)
        return [
            TableRow(name=row[0], link=link, cells=list(zip(self.headers[1:], row[1:], strict=True)))
            for row, link in zip(self.rows, links, strict=True)
        ]


@dataclass(frozen=True)
class Chart:
    id: str
    figure: dict
    label: str  # the accessible name of the drawing
    summary: str
    table: Table
    height: int
    # The same numbers laid out for a phone (static/js/charts.js draws it below 576px): horizontal bars,
    # names on the left, legends and keys below, nothing in a side margin.
    narrow: dict | None = None
    narrow_height: int | None = None

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    @property
    def narrow_data_id(self) -> str:
        return f"{self.id}-narrow-data"


def wrap(text: str, width: int = 12) -> str:
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) or text


# plotly.js knows no named templates: plotly expands the name into the template's JSON, which pages send.
NO_TEMPLATE = pio.templates["none"].to_plotly_json()


def figure(*data: dict) -> dict:
    return {"data": list(data), "layout": {}}


def trace(kind: str, **properties) -> dict:
    return {"type": kind, **properties}


def add_trace(fig: dict, kind: str, **properties) -> None:
    fig["data"].append(trace(kind, **properties))


def add_annotation(fig: dict, **properties) -> None:
    fig["layout"].setdefault("annotations", []).append(properties)


def add_hline(fig: dict, y: float, **properties) -> None:
    """A horizontal line across the whole plot: plotly's `add_hline` spans the x axis's domain."""
    _add_shape(fig, type="line", xref="x domain", x0=0, x1=1, yref="y", y0=y, y1=y, **properties)


def add_vline(fig: dict, x: float, **properties) -> None:
    """A vertical line across the whole plot: plotly's `add_vline` spans the y axis's domain."""
    _add_shape(fig, type="line", xref="x", x0=x, x1=x, yref="y domain", y0=0, y1=1, **properties)


def _add_shape(fig: dict, **properties) -> None:
    fig["layout"].setdefault("shapes", []).append(properties)


def update_layout(fig: dict, **changes) -> None:
    _merge(fig["layout"], changes)


def update_xaxes(fig: dict, **changes) -> None:
    update_layout(fig, xaxis=changes)


def update_yaxes(fig: dict, **changes) -> None:
    update_layout(fig, yaxis=changes)


def _merge(properties: dict, changes: dict) -> None:
    """Plotly's update: a nested property (a dict) is updated key by key, any other value replaced. What
    goes in is copied: a change to one figure never changes this package's constants, nor the next figure."""
    for key, value in changes.items():
        if isinstance(value, dict):
            _merge(properties.setdefault(key, {}), value)
        else:
            properties[key] = copy.deepcopy(value)


def layout(fig: dict, *, height: int, margin: dict, **extra) -> dict:
    update_layout(
        fig,
        template=NO_TEMPLATE,
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


BENCHMARK_LINE = {"dash": "dash", "color": "#495057", "width": 1.5}
BENCHMARK_FONT = {"size": 12, "color": "#495057"}


def benchmark_colours(benchmark: int) -> list[list]:
    """Percent scores against a benchmark, diverging there: orange below it (deeper the further below),
    white-ish at it, blue above. Orange and blue stay apart in the common colour-vision deficiencies."""
    at = benchmark / 100
    return [
        [0.0, "#7f3b08"],
        [at / 2, "#e08214"],
        [at, "#f7f7f7"],
        [(at + 1) / 2, "#6baed6"],
        [1.0, "#08519c"],
    ]


def benchmark_text(benchmark: int) -> str:
    """The short label beside the line: "80% benchmark" (<br> breaks it in a side margin)."""
    # Translators: the label of the benchmark line on a chart; <br> breaks the line.
    return _("%(benchmark)d%%<br>benchmark") % {"benchmark": benchmark}


def benchmark_name(benchmark: int) -> str:
    """What the line is, in the legend of every chart that draws it: not a cut-off of the instrument."""
    return _("%(benchmark)d%%: working benchmark of the capacity assessments") % {"benchmark": benchmark}


def _benchmark_legend(fig: dict, name: str) -> None:
    add_trace(
        fig,
        "scatter",
        x=[None],
        y=[None],
        mode="lines",
        line=dict(BENCHMARK_LINE),
        name=name,
        hoverinfo="skip",
    )


def benchmark_line(fig: dict, benchmark: int, *, narrow: bool = False) -> None:
    """The benchmark line, named in the legend; on a wide chart also labelled in the right margin where no
    bar or value label can cover it (on a phone a side margin is too dear, and a label on the plot would
    cover lines)."""
    # Below the bars, so a value label near the line stays readable over it.
    add_hline(fig, benchmark, line=dict(BENCHMARK_LINE), layer="below")
    if narrow:
        # A phone's legend is narrower than the name: on two lines it stays whole.
        _benchmark_legend(fig, wrap(benchmark_name(benchmark), 34))
        return
    _benchmark_legend(fig, benchmark_name(benchmark))
    add_annotation(
        fig,
        xref="paper",
        x=1,
        xanchor="left",
        yref="y",
        y=benchmark,
        text=benchmark_text(benchmark),
        showarrow=False,
        align="left",
        font=dict(BENCHMARK_FONT),
    )


def benchmark_steps(fig: dict, dates: list[str], benchmarks: list[int], *, narrow: bool = False) -> None:
    """The benchmark over time when the assessments' versions set different ones: a step at each
    assessment whose version's benchmark differs. One benchmark throughout is a plain `benchmark_line`."""
    if not benchmarks:
        return
    if len(set(benchmarks)) == 1:
        benchmark_line(fig, benchmarks[0], narrow=narrow)
        return
    add_trace(
        fig,
        "scatter",
        x=dates,
        y=benchmarks,
        mode="lines",
        line={**BENCHMARK_LINE, "shape": "hv"},
        name=wrap(
            _("Working benchmark of the capacity assessments (each version's own)"), 34 if narrow else 80
        ),
        hoverinfo="skip",
    )


def benchmark_column(fig: dict, benchmark: int) -> None:
    """The benchmark of a horizontal bar chart: a vertical line, labelled above the plot and in the legend."""
    add_vline(fig, benchmark, line=dict(BENCHMARK_LINE), layer="below")
    _benchmark_legend(fig, wrap(benchmark_name(benchmark), 34))  # only on a phone: on two lines
    add_annotation(
        fig,
        xref="x",
        x=benchmark,
        yref="paper",
        y=1,
        yanchor="bottom",
        text=benchmark_text(benchmark).replace("<br>", " "),
        showarrow=False,
        font=dict(BENCHMARK_FONT),
    )


PERCENT_AXIS = {"ticksuffix": "%", "gridcolor": "#e9ecef", "zeroline": False, "dtick": 20}


def percent_axis(fig: dict) -> None:
    update_yaxes(fig, range=[0, 112], **PERCENT_AXIS)


def legend_below(fig: dict) -> None:
    """A phone's legend: under the plot, left-aligned, wrapping, where it takes no width from the bars."""
    update_layout(fig, legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "xanchor": "left"})


def chart(
    chart_id: str,
    fig: dict,
    *,
    label: str,
    summary: str,
    table: Table,
    narrow: dict | None = None,
) -> Chart:
    return Chart(
        id=chart_id,
        figure=fig,
        label=label,
        summary=summary,
        table=table,
        height=int(fig["layout"]["height"]),
        narrow=narrow,
        narrow_height=int(narrow["layout"]["height"]) if narrow is not None else None,
    )
