"""What every chart shares: the `Chart` a page renders, its data `Table`, the palette and the layout.

Charts take the plain data of `assessments.scoring` and `assessments.reports.selectors` and never touch
the database (import-linter keeps models and `django.db` out of this package). A `Chart` carries
everything a page needs (figure JSON, accessible name, summary, table), so the numbers a screen reader or a
printout gets are the numbers drawn. One module per page draws that page's figures.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go
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


def layout(fig: go.Figure, *, height: int, margin: dict, **extra) -> go.Figure:
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


def _benchmark_legend(fig: go.Figure, name: str) -> None:
    fig.add_scatter(x=[None], y=[None], mode="lines", line=BENCHMARK_LINE, name=name, hoverinfo="skip")


def benchmark_line(fig: go.Figure, benchmark: int, *, narrow: bool = False) -> None:
    """The benchmark line, named in the legend; on a wide chart also labelled in the right margin where no
    bar or value label can cover it (on a phone a side margin is too dear, and a label on the plot would
    cover lines)."""
    # Below the bars, so a value label near the line stays readable over it.
    fig.add_hline(y=benchmark, line=BENCHMARK_LINE, layer="below")
    if narrow:
        # A phone's legend is narrower than the name: on two lines it stays whole.
        _benchmark_legend(fig, wrap(benchmark_name(benchmark), 34))
        return
    _benchmark_legend(fig, benchmark_name(benchmark))
    fig.add_annotation(
        xref="paper",
        x=1,
        xanchor="left",
        yref="y",
        y=benchmark,
        text=benchmark_text(benchmark),
        showarrow=False,
        align="left",
        font=BENCHMARK_FONT,
    )


def benchmark_steps(fig: go.Figure, dates: list[str], benchmarks: list[int], *, narrow: bool = False) -> None:
    """The benchmark over time when the assessments' versions set different ones: a step at each
    assessment whose version's benchmark differs. One benchmark throughout is a plain `benchmark_line`."""
    if not benchmarks:
        return
    if len(set(benchmarks)) == 1:
        benchmark_line(fig, benchmarks[0], narrow=narrow)
        return
    fig.add_scatter(
        x=dates,
        y=benchmarks,
        mode="lines",
        line={**BENCHMARK_LINE, "shape": "hv"},
        name=wrap(
            _("Working benchmark of the capacity assessments (each version's own)"), 34 if narrow else 80
        ),
        hoverinfo="skip",
    )


def benchmark_column(fig: go.Figure, benchmark: int) -> None:
    """The benchmark of a horizontal bar chart: a vertical line, labelled above the plot and in the legend."""
    fig.add_vline(x=benchmark, line=BENCHMARK_LINE, layer="below")
    _benchmark_legend(fig, wrap(benchmark_name(benchmark), 34))  # only on a phone: on two lines
    fig.add_annotation(
        xref="x",
        x=benchmark,
        yref="paper",
        y=1,
        yanchor="bottom",
        text=benchmark_text(benchmark).replace("<br>", " "),
        showarrow=False,
        font=BENCHMARK_FONT,
    )


PERCENT_AXIS = {"ticksuffix": "%", "gridcolor": "#e9ecef", "zeroline": False, "dtick": 20}


def percent_axis(fig: go.Figure) -> None:
    fig.update_yaxes(range=[0, 112], **PERCENT_AXIS)


def legend_below(fig: go.Figure) -> None:
    """A phone's legend: under the plot, left-aligned, wrapping, where it takes no width from the bars."""
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "xanchor": "left"})


def chart(
    chart_id: str,
    fig: go.Figure,
    *,
    label: str,
    summary: str,
    table: Table,
    narrow: go.Figure | None = None,
) -> Chart:
    return Chart(
        id=chart_id,
        figure=_json(fig),
        label=label,
        summary=summary,
        table=table,
        height=int(fig.layout.height),
        narrow=_json(narrow) if narrow is not None else None,
        narrow_height=int(narrow.layout.height) if narrow is not None else None,
    )


def _json(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False))
