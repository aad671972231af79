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

from assessments.scoring import BENCHMARK

# Okabe-Ito: distinguishable with the common colour-vision deficiencies (yellow left out: too pale on white).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
# Lines also differ by marker and dash, so they stay apart in greyscale print.
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross")
DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "solid", "dot")
ITEM_COLOURS = [[0, "#deebf7"], [0.5, "#6baed6"], [1, "#08306b"]]  # Blues: 0, 1, 2 points
PERCENT_COLOURS = "Blues"
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

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"


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


def benchmark_line(fig: go.Figure) -> None:
    """The 80% line, labelled in the right margin where no bar or value label can cover it."""
    # Below the bars, so a value label near 80% stays readable over the line.
    fig.add_hline(y=BENCHMARK, line={"dash": "dash", "color": "#495057", "width": 1.5}, layer="below")
    fig.add_annotation(
        xref="paper",
        x=1,
        xanchor="left",
        yref="y",
        y=BENCHMARK,
        # Translators: the label of the benchmark line on a chart; <br> breaks the line.
        text=_("%(benchmark)d%%<br>benchmark") % {"benchmark": BENCHMARK},
        showarrow=False,
        align="left",
        font={"size": 12, "color": "#495057"},
    )


def percent_axis(fig: go.Figure) -> None:
    fig.update_yaxes(range=[0, 112], ticksuffix="%", gridcolor="#e9ecef", zeroline=False, dtick=20)


def chart(chart_id: str, fig: go.Figure, *, label: str, summary: str, table: Table) -> Chart:
    return Chart(
        id=chart_id,
        figure=json.loads(pio.to_json(fig, validate=False)),
        label=label,
        summary=summary,
        table=table,
        height=int(fig.layout.height),
    )
