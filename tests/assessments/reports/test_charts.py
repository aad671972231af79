"""Chart builders: plain data in, Plotly figure plus the same numbers as a table and a sentence out.

These tests use no database: chart code must not need one.
"""

import copy
import dataclasses
import datetime
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator

from assessments.reports.charts.base import PALETTE, Table
from assessments.reports.charts.portfolio import portfolio_heatmap
from assessments.reports.charts.progress import item_heatmap, progress_lines
from assessments.reports.charts.results import driver_profile
from assessments.reports.selectors import ItemCell, ItemHistory, Portfolio, Progress, TeamStanding
from assessments.scoring import AssessmentScores, CategoryScore, DriverScore, Score
from assessments.selectors import NextAssessment
from tests.plotly_figures import assert_plotly_figure

# The cadence does not change a chart: one team not yet due, one never assessed.
NOT_DUE = NextAssessment(
    interval_months=6,
    latest_held_on=datetime.date(2026, 1, 20),
    due_on=datetime.date(2026, 7, 20),
    today=datetime.date(2026, 2, 1),
)
NEVER = NextAssessment(interval_months=6, latest_held_on=None, due_on=None, today=datetime.date(2026, 2, 1))


def scores(day: int, points: dict[str, Score], assessment_id: int = 1) -> AssessmentScores:
    def driver(code: str, name: str, category: str) -> DriverScore:
        return DriverScore(code, code, name, category, category.title(), points[code])

    return AssessmentScores(
        assessment_id=assessment_id,
        held_on=datetime.date(2026, 1, day),
        status="completed",
        categories=(
            CategoryScore("competency", "Competency", (driver("SEL", "Selection", "competency"),)),
            CategoryScore(
                "organization",
                "Organization",
                (
                    driver("FA", "Facilitative administration", "organization"),
                    driver("SI", "Systems", "organization"),
                ),
            ),
        ),
    )


NOW = scores(
    20, {"SEL": Score(points=5, scored=3), "FA": Score(points=4, scored=2), "SI": Score(not_applicable=2)}
)
BEFORE = scores(
    10, {"SEL": Score(points=3, scored=3), "FA": Score(points=2, scored=2), "SI": Score(points=1, scored=2)}
)


def test_the_driver_profile_draws_one_bar_trace_per_category_with_values_as_labels():
    chart = driver_profile(NOW)
    bars = [t for t in chart.figure["data"] if t["type"] == "bar"]
    assert [b["name"] for b in bars] == ["Competency", "Organization"]
    assert bars[0]["y"] == [pytest.approx(83.333, abs=0.001)]
    assert bars[1]["text"] == ["100%", ""]
    assert bars[0]["marker"]["color"] != bars[1]["marker"]["color"]
    assert {b["marker"]["color"] for b in bars} <= set(PALETTE)


def test_the_driver_profile_draws_the_80_percent_benchmark_as_a_labelled_dashed_line():
    layout = driver_profile(NOW).figure["layout"]
    (line,) = layout["shapes"]
    assert (line["y0"], line["y1"], line["line"]["dash"]) == (80, 80, "dash")
    assert any("80%" in a["text"] and "benchmark" in a["text"] for a in layout["annotations"])


def test_a_driver_without_a_score_is_labelled_in_the_chart_not_drawn_as_zero():
    chart = driver_profile(NOW)
    organization = next(t for t in chart.figure["data"] if t.get("name") == "Organization")
    assert organization["y"][1] is None
    assert any("all N/A" in a["text"] for a in chart.figure["layout"]["annotations"])


def test_the_profile_table_has_the_same_numbers_and_the_change_since_last_time():
    table = driver_profile(NOW, BEFORE).table
    rows = {row[0]: row for row in table.rows}
    assert rows["Selection"] == ("Selection", "Competency", "83%", "5 of 6", "0", "+33 pts")
    assert rows["Systems"][2:5] == ("no score (all N/A)", "—", "2")
    assert rows["Systems"][5] == "—"
    assert rows["Overall"][2:4] == ("90%", "9 of 10")
    assert table.caption


def test_the_profile_summary_names_overall_strongest_weakest_and_the_benchmark_count():
    assert driver_profile(NOW).summary == (
        "Overall 90% (9 of 10 points); strongest driver Facilitative administration (100%), "
        "weakest Selection (83%); 2 of 3 drivers at or above the 80% benchmark."
    )


def test_the_previous_assessment_is_drawn_as_ticks_beside_the_bars_named_by_its_date():
    chart = driver_profile(NOW, BEFORE)
    bars = [t for t in chart.figure["data"] if t["type"] == "bar"]
    current = [b for b in bars if b.get("legendgroup") != "previous"]
    ticks = [b for b in bars if b.get("legendgroup") == "previous"]
    assert [t["name"] for t in ticks] == ["Previous (10 Jan 2026)"] * 2  # one trace per category
    # A short bar centred on last time's 50% (3 of 6 points)...
    assert ticks[0]["base"][0] + ticks[0]["y"][0] / 2 == pytest.approx(50)
    assert ticks[0]["y"][0] < 3
    # ...standing beside this time's bar, clear of the value label centred over it.
    for bar, tick in zip(current, ticks, strict=True):
        assert bar["offset"] + bar["width"] <= tick["offset"]
        assert bar["textposition"] == "outside"
    # The legend names the ticks once, with a line for a swatch.
    (legend,) = [
        t for t in chart.figure["data"] if t.get("legendgroup") == "previous" and t["type"] == "scatter"
    ]
    assert (legend["name"], legend["mode"], legend["legendgroup"]) == (
        "Previous (10 Jan 2026)",
        "lines",
        "previous",
    )
    assert not any(t.get("showlegend", True) for t in ticks)


def test_the_driver_profile_has_horizontal_bars_for_a_phone_with_the_same_numbers():
    chart = driver_profile(NOW, BEFORE)
    narrow = chart.narrow
    bars = [t for t in narrow["data"] if t["type"] == "bar" and t.get("legendgroup") != "previous"]
    assert {b["orientation"] for b in bars} == {"h"}
    assert [name for b in bars for name in b["y"]] == [
        "Selection",
        "Facilitative<br>administration",
        "Systems",
    ]
    assert [b["text"] for b in bars] == [["83%"], ["100%", ""]]
    assert narrow["layout"]["yaxis"]["autorange"] == "reversed"  # framework order from the top
    (line,) = narrow["layout"]["shapes"]
    assert (line["x0"], line["x1"]) == (80, 80)  # the benchmark stands upright
    ticks = [t for t in narrow["data"] if t.get("legendgroup") == "previous" and t["type"] == "bar"]
    assert ticks[0]["base"][0] + ticks[0]["x"][0] / 2 == pytest.approx(50)
    assert chart.narrow_height > 0 and chart.narrow_data_id == "driver-profile-narrow-data"
    assert narrow["layout"]["legend"]["y"] < 0  # below the plot, taking no width


def test_the_check_of_every_drawn_chart_refuses_what_plotly_js_would_not_draw():
    bars = driver_profile(NOW).figure["data"][0]
    with pytest.raises(ValueError, match="colour"):
        assert_plotly_figure({"data": [{**bars, "colour": "red"}], "layout": {}})
    with pytest.raises(AssertionError):  # plotly takes it, but plotly.js knows no `marker_color`
        assert_plotly_figure({"data": [{**bars, "marker_color": "red"}], "layout": {}})


def test_a_drawn_figure_shares_nothing_with_the_next_one():
    drawn = driver_profile(NOW, BEFORE)
    as_drawn = copy.deepcopy((drawn.figure, drawn.narrow))
    for fig in (drawn.figure, drawn.narrow):
        layout = fig["layout"]
        layout["legend"]["y"] = -1
        layout["template"]["data"]["scatter"][0]["mode"] = "markers"
        layout["shapes"][0]["line"]["width"] = 9
        layout["annotations"][-1]["font"]["size"] = 30
        layout["yaxis"]["dtick"] = 5
        for trace in fig["data"]:
            if "line" in trace:
                trace["line"]["width"] = 9
    again = driver_profile(NOW, BEFORE)
    assert (again.figure, again.narrow) == as_drawn
    heatmap = item_heatmap(progress())
    heatmap.figure["data"][0]["colorscale"][0][1] = "#ff0000"
    assert item_heatmap(progress()).figure["data"][0]["colorscale"][0][1] != "#ff0000"


def progress() -> Progress:
    assessments = [SimpleNamespace(held_on=s.held_on) for s in (BEFORE, NOW)]
    return Progress(
        assessments=assessments,
        scores=[BEFORE, NOW],
        items=[
            ItemHistory("SEL-1", "Role description.", "Selection", (ItemCell(1, False), ItemCell(2, False))),
            ItemHistory("SI-5", "Stakeholders.", "Systems", (ItemCell(None, True), None)),
        ],
    )


def test_progress_draws_one_line_per_driver_over_the_dates():
    chart = progress_lines(progress())
    lines = chart.figure["data"]
    assert [line["name"] for line in lines] == [
        "Selection",
        "Facilitative administration",
        "Systems",
        "80%: working benchmark of the capacity assessments",
    ]
    assert lines[0]["x"] == ["2026-01-10", "2026-01-20"]
    assert lines[2]["y"] == [25, None]  # 1 of 4 points, then all N/A
    assert len({line["marker"]["symbol"] for line in lines[:3]}) == 3  # told apart without colour too
    assert chart.table.rows[-1] == ("Overall", "43%", "90%")  # 6 of 14, then 9 of 10
    assert chart.summary == (
        "From Jan 2026 to Jan 2026 the overall score went from 43% to 90%; 2 drivers rose and 0 fell."
    )


def test_the_item_heatmap_shows_numbers_in_cells_and_marks_not_applicable_and_missing_items():
    chart = item_heatmap(progress())
    heatmap = chart.figure["data"][0]
    assert heatmap["z"] == [[1, 2], [None, None]]
    assert heatmap["text"] == [["1", "2"], ["N/A", "—"]]
    assert heatmap["texttemplate"] == "%{text}"
    assert chart.table.rows[1] == ("SI-5 Stakeholders.", "Systems", "N/A", "—")
    assert chart.summary == "1 of 2 items were in place at the latest assessment, against 0 at the first."


def test_the_portfolio_heatmap_has_a_row_per_assessed_team_and_a_column_per_driver():
    team = SimpleNamespace(name="Riverside")
    never = SimpleNamespace(name="Harbor")
    portfolio = Portfolio(
        standings=[
            TeamStanding(team=team, latest=NOW, previous=BEFORE, next_assessment=NOT_DUE),
            TeamStanding(team=never, latest=None, previous=None, next_assessment=NEVER),
        ],
        drivers=[("SEL", "Selection"), ("FA", "Facilitative administration"), ("SI", "Systems")],
        waiting=[],
        page=Paginator([], 50).page(1),
    )
    chart = portfolio_heatmap(portfolio)
    heatmap = chart.figure["data"][0]
    assert heatmap["text"] == [["83%", "100%", "N/A"]]
    assert (heatmap["zmin"], heatmap["zmax"]) == (0, 100)
    assert chart.table.rows == [("Riverside", "20 Jan 2026", "90%", "83%", "100%", "N/A")]
    assert chart.summary.startswith("1 of 2 teams has a completed assessment; 1 is at or above the 80%")
    assert chart.summary.endswith("the weakest driver across teams is Selection (83%).")


def test_every_chart_has_an_accessible_name_and_a_data_id_for_its_json():
    chart = driver_profile(NOW)
    assert chart.label.startswith("Bar chart of driver scores")
    assert chart.data_id == "driver-profile-data"


def test_a_chart_table_gives_each_value_with_its_column_name_for_the_stacked_phone_layout():
    table = Table(
        caption="Scores",
        headers=("Team", "Overall", "Selection"),
        rows=[("Riverside", "90%", "83%"), ("Harbor", "70%", "—")],
        links=("/teams/1/", None),
    )
    first, second = table.body
    assert (first.name, first.link, first.cells) == (
        "Riverside",
        "/teams/1/",
        [("Overall", "90%"), ("Selection", "83%")],
    )
    assert (second.name, second.link) == ("Harbor", None)
    assert [row.link for row in Table("c", ("a", "b"), [("x", "1")]).body] == [None]  # no links: none


def test_the_item_heatmap_names_each_item_by_its_statement_on_hover_and_in_the_table():
    long = "The organization has a written role description that sets out expectations and accountability."
    data = progress()
    data.items[0] = ItemHistory("SEL-1", long, "Selection", (ItemCell(1, False), ItemCell(2, False)))
    chart = item_heatmap(data)
    hover = chart.figure["data"][0]["customdata"][0][0]
    assert hover.replace("<br>", " ") == long  # whole, wrapped into lines
    assert chart.table.headers[0] == "Best practice"
    assert chart.table.rows[0][0] == f"SEL-1 {long}"
    # On a phone the dates stand upright on two lines and the key lies under the cells.
    narrow = chart.narrow
    assert narrow["layout"]["xaxis"]["ticktext"] == ["10 Jan<br>2026", "20 Jan<br>2026"]
    assert narrow["data"][0]["colorbar"]["orientation"] == "h"


def test_progress_lines_on_a_phone_name_the_benchmark_in_the_legend_instead_of_a_side_margin():
    chart = progress_lines(progress())
    assert chart.figure["layout"]["margin"]["r"] >= 90
    assert any("benchmark" in a["text"] for a in chart.figure["layout"]["annotations"])
    narrow = chart.narrow
    assert narrow["layout"]["margin"]["r"] < 30
    assert "annotations" not in narrow["layout"] or not narrow["layout"]["annotations"]
    assert narrow["data"][-1]["name"] == "80%: working benchmark of the<br>capacity assessments"
    assert narrow["data"][-1]["line"]["dash"] == "dash"
    assert narrow["layout"]["legend"]["y"] < 0


def portfolio_of_two() -> Portfolio:
    return Portfolio(
        standings=[
            TeamStanding(
                team=SimpleNamespace(pk=7, name="Riverside"),
                latest=NOW,
                previous=BEFORE,
                next_assessment=NOT_DUE,
            ),
            TeamStanding(
                team=SimpleNamespace(pk=9, name="Harbor"),
                latest=BEFORE,
                previous=None,
                next_assessment=NOT_DUE,
            ),
        ],
        drivers=[("SEL", "Selection"), ("FA", "Facilitative administration"), ("SI", "Systems")],
        waiting=[],
        page=Paginator([], 50).page(1),
    )


def test_the_portfolio_heatmap_colours_diverge_at_the_80_percent_benchmark_and_its_key_marks_it():
    heatmap = portfolio_heatmap(portfolio_of_two()).figure["data"][0]
    stops = {round(stop * 100): colour for stop, colour in heatmap["colorscale"]}
    assert stops[80] == "#f7f7f7"  # the palest colour is the benchmark
    assert stops[0] != stops[100]  # one hue below it, another above
    colorbar = heatmap["colorbar"]
    labels = dict(zip(colorbar["tickvals"], colorbar["ticktext"], strict=True))
    assert labels[80] == "80% benchmark"
    assert labels[100] == "100%"


def test_the_portfolio_table_links_each_team_to_its_page():
    chart = portfolio_heatmap(portfolio_of_two(), team_url=lambda team: f"/teams/{team.pk}/")
    assert [(row.name, row.link) for row in chart.table.body] == [
        ("Riverside", "/teams/7/"),
        ("Harbor", "/teams/9/"),
    ]
    assert [row.link for row in portfolio_heatmap(portfolio_of_two()).table.body] == [None, None]


def test_the_portfolio_heatmap_for_a_phone_puts_drivers_down_the_side_and_teams_across():
    chart = portfolio_heatmap(portfolio_of_two())
    wide, narrow = chart.figure["data"][0], chart.narrow["data"][0]
    assert wide["y"] == ["Riverside", "Harbor"]
    assert narrow["x"] == ["Riverside", "Harbor"]
    assert narrow["y"] == ["Selection", "Facilitative<br>administration", "Systems"]
    assert narrow["text"] == [["83%", "50%"], ["100%", "50%"], ["N/A", "25%"]]  # wide's cells turned
    assert narrow["colorbar"]["orientation"] == "h"
    assert narrow["colorbar"]["ticktext"][-1] == "80%<br>benchmark"


# --- The benchmark of each version --------------------------------------------------------------------


def test_the_driver_profile_draws_the_benchmark_of_the_assessments_version_and_names_it():
    seventy = dataclasses.replace(NOW, benchmark=70)
    chart = driver_profile(seventy)
    layout = chart.figure["layout"]
    (line,) = [s for s in layout["shapes"] if s["type"] == "line"]
    assert (line["y0"], line["y1"]) == (70, 70)
    assert any(a["text"] == "70%<br>benchmark" for a in layout["annotations"])
    names = [t.get("name") for t in chart.figure["data"]]
    assert "70%: working benchmark of the capacity assessments" in names
    assert "70% working benchmark of the capacity assessments" in chart.label
    assert "at or above the 70% benchmark" in chart.summary
    narrow = chart.narrow["layout"]
    assert [(s["x0"], s["x1"]) for s in narrow["shapes"] if s["type"] == "line"] == [(70, 70)]


def test_a_score_shown_as_80_percent_counts_at_the_80_percent_benchmark():
    # 43 of 54 points is 79.6%: shown as 80%, and so never counted below the benchmark.
    at = scores(20, {"SEL": Score(points=43, scored=27), "FA": Score(points=1, scored=2), "SI": Score()})
    assert at.drivers[0].score.label == "80%"
    assert "1 of 3 drivers at or above the 80% benchmark" in driver_profile(at).summary


def test_the_change_column_is_the_difference_of_the_percents_shown_beside_it():
    # Coaching-like: 5 of 6 (83.3%, shown 83%) then 4 of 6 (66.7%, shown 67%): -16 pts, not the exact -16.7.
    before = scores(10, {"SEL": Score(points=5, scored=3), "FA": Score(points=2, scored=2), "SI": Score()})
    now = scores(20, {"SEL": Score(points=4, scored=3), "FA": Score(points=2, scored=2), "SI": Score()})
    rows = {row[0]: row for row in driver_profile(now, before).table.rows}
    assert rows["Selection"][2] == "67%"
    assert rows["Selection"][-1] == "-16 pts"


def test_progress_over_versions_with_different_benchmarks_draws_each_versions_line():
    data = progress()
    data.scores[0] = dataclasses.replace(data.scores[0], benchmark=70)
    chart = progress_lines(data)
    (steps,) = [t for t in chart.figure["data"] if "benchmark" in t["name"]]
    assert steps["x"] == ["2026-01-10", "2026-01-20"]
    assert steps["y"] == [70, 80]
    assert steps["line"]["shape"] == "hv" and steps["line"]["dash"] == "dash"
    assert "each version's own" in steps["name"]


def standing(name: str, percent_points: int, benchmark: int) -> TeamStanding:
    latest = dataclasses.replace(
        scores(20, {"SEL": Score(points=percent_points, scored=50), "FA": Score(), "SI": Score()}),
        benchmark=benchmark,
    )
    return TeamStanding(
        team=SimpleNamespace(name=name), latest=latest, previous=None, next_assessment=NOT_DUE
    )


def test_the_portfolio_reads_each_team_against_its_own_versions_benchmark():
    # Both teams at 75%: at or above a benchmark of 70, below one of 80.
    portfolio = Portfolio(
        standings=[standing("Riverside", 75, 80), standing("Harbor", 75, 70)],
        drivers=[("SEL", "Selection"), ("FA", "Facilitative administration"), ("SI", "Systems")],
        waiting=[],
        page=Paginator([], 50).page(1),
    )
    chart = portfolio_heatmap(portfolio)
    assert "1 is at or above its version's benchmark overall" in chart.summary
    cells = chart.figure["data"][0]
    assert [row[0] for row in cells["text"]] == ["75%", "75%"]
    below, above = (row[0] for row in cells["z"])
    assert below < 50 < above  # the key turns at each team's own benchmark
    assert "each team's benchmark" in cells["colorbar"]["ticktext"]


def test_a_portfolio_on_one_benchmark_keys_its_colours_to_that_benchmark():
    portfolio = Portfolio(
        standings=[standing("Riverside", 75, 70), standing("Harbor", 30, 70)],
        drivers=[("SEL", "Selection"), ("FA", "Facilitative administration"), ("SI", "Systems")],
        waiting=[],
        page=Paginator([], 50).page(1),
    )
    chart = portfolio_heatmap(portfolio)
    cells = chart.figure["data"][0]
    assert [row[0] for row in cells["z"]] == [75, 30]
    assert "70% benchmark" in cells["colorbar"]["ticktext"]
    assert "1 is at or above the 70% benchmark overall" in chart.summary
