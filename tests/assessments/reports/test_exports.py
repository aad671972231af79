"""CSV and XLSX exports: long format, streamed, and under the same access rules as the pages."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from assessments.models import Response
from assessments.reports.exports import HEADERS, SCORE_HEADERS
from tests.factories import make_assessment, make_completed_assessment


@pytest.fixture
def assessments(cast):
    first = make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        held_on=datetime.date(2025, 9, 1),
        stage="exploration",
        scores={"D11-1": 2, "D12-3": None},
    )
    Response.objects.filter(assessment=first, item__code="D11-1").update(evidence='=HYPERLINK("http://x")')
    second = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=datetime.date(2026, 3, 1)
    )
    return first, second


def assessment_url(assessment, fmt):
    return reverse("assessments:export_assessment", args=[assessment.pk, fmt])


def team_url(team, fmt):
    return reverse("assessments:export_team", args=[team.pk, fmt])


def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response) -> dict[str, list[tuple]]:
    assert isinstance(response, StreamingHttpResponse)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("who", ["facilitator", "member", "coach", "admin"])
def test_team_members_their_coach_and_staff_may_export(client, cast, assessments, fmt, who):
    client.force_login(getattr(cast, who))
    assert client.get(assessment_url(assessments[0], fmt)).status_code == 200
    assert client.get(team_url(cast.team, fmt)).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_obey_the_access_rules(client, cast, assessments, fmt):
    response = client.get(assessment_url(assessments[0], fmt))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(cast.outsider)
    assert client.get(assessment_url(assessments[0], fmt)).status_code == 404
    assert client.get(team_url(cast.team, fmt)).status_code == 404


def test_an_unknown_format_gets_404(client, cast, assessments):
    client.force_login(cast.facilitator)
    assert client.get(assessment_url(assessments[0], "pdf")).status_code == 404


HEAD = [str(h) for h in HEADERS]


def test_the_csv_of_one_assessment_has_one_row_per_item_in_long_format(client, cast, assessments):
    client.force_login(cast.facilitator)
    response = client.get(assessment_url(assessments[0], "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="implhub-riverside-2025-09-01.csv"' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == HEAD
    assert len(rows) == 12
    first = dict(zip(header, rows[0], strict=True))
    assert (first["Assessment id"], first["Organization"]) == (
        str(assessments[0].pk),
        cast.team.organization.name,
    )
    assert (first["Team"], first["Program or practice"], first["Assessment date"]) == (
        "Riverside",
        "Structured literacy",
        "2025-09-01",
    )
    assert (first["Stage of implementation"], first["Status"], first["Instrument"]) == (
        "Exploration",
        "Completed",
        "Test framework v1",
    )
    assert (first["Category"], first["Driver"], first["Item code"]) == ("Category 1", "Driver 1.1", "D11-1")
    assert (first["Best practice"], first["Consensus score"], first["Not applicable"]) == (
        "Statement D11-1.",
        "2",
        "",
    )
    assert first["Item source"] == "Written for implhub (not a published DBPA item)"
    na = dict(zip(header, rows[5], strict=True))
    assert (na["Item code"], na["Consensus score"], na["Not applicable"], na["Why it does not apply"]) == (
        "D12-3",
        "",
        "N/A",
        "Does not apply here.",
    )


def test_every_row_carries_its_driver_category_and_overall_scores(client, cast, assessments):
    # D11: 2 + 1 + 1 = 4 of 6 (66.7%); D12: 1 + 1, N/A = 2 of 4 (50%); category 1: 6 of 10 (60%);
    # overall: 4 + 2 + 6 x 1 = 12 of 22 points (54.5%, shown 55%).
    client.force_login(cast.facilitator)
    header, *rows = read_csv(client.get(assessment_url(assessments[0], "csv")))
    by_code = {row[header.index("Item code")]: dict(zip(header, row, strict=True)) for row in rows}
    scores = [str(h) for h in SCORE_HEADERS]
    assert [by_code["D11-2"][h] for h in scores] == ["66.7", "67", "60.0", "60", "54.5", "55"]
    assert [by_code["D12-3"][h] for h in scores] == ["50.0", "50", "60.0", "60", "54.5", "55"]
    assert [by_code["D22-1"][h] for h in scores] == ["50.0", "50", "50.0", "50", "54.5", "55"]


def test_an_unanswered_assessment_has_blank_scores(client, cast, assessments):
    client.force_login(cast.facilitator)
    header, *rows = read_csv(client.get(assessment_url(assessments[1], "csv")))
    assert {row[header.index(str(SCORE_HEADERS[0]))] for row in rows} == {""}
    assert {row[header.index("Consensus score")] for row in rows} == {""}


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(client, cast, assessments):
    client.force_login(cast.facilitator)
    header, *rows = read_csv(client.get(assessment_url(assessments[0], "csv")))
    assert rows[0][header.index("Evidence notes")] == '\'=HYPERLINK("http://x")'
    items = read_xlsx(client.get(assessment_url(assessments[0], "xlsx")))["Items"]
    assert items[1][HEAD.index("Evidence notes")] == '=HYPERLINK("http://x")'  # stored as text, not a formula


def test_the_xlsx_has_the_rows_of_the_csv_as_real_numbers_and_dates(client, cast, assessments):
    client.force_login(cast.coach)
    items = read_xlsx(client.get(assessment_url(assessments[0], "xlsx")))["Items"]
    assert list(items[0]) == HEAD
    assert len(items) == 13
    first = dict(zip(HEAD, items[1], strict=True))
    assert (first["Consensus score"], first["Driver score (exact %)"], first["Driver score (%)"]) == (
        2,
        66.7,
        67,
    )
    assert first["Assessment date"] == datetime.datetime(2025, 9, 1)


def test_the_xlsx_has_a_scores_sheet_and_sheets_ready_to_filter(client, cast, assessments):
    client.force_login(cast.facilitator)
    response = client.get(assessment_url(assessments[0], "xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Scores", "Items"]
    scores = workbook["Scores"]
    assert (scores.freeze_panes, scores.auto_filter.ref) == ("A2", "A1:T8")
    assert workbook["Items"].auto_filter.ref == "A1:X13"
    assert workbook["Items"].column_dimensions["M"].width == 60  # the best practice's statement
    header, *rows = scores.iter_rows(values_only=True)
    level = header.index("Level")
    assert {r[header.index("Benchmark (%)")] for r in rows} == {80}
    assert [(r[level], r[level + 2], r[-3], r[-2], r[-1]) for r in rows] == [
        ("driver", "Driver 1.1", 66.7, 67, "no"),
        ("driver", "Driver 1.2", 50.0, 50, "no"),
        ("category", None, 60.0, 60, "no"),
        ("driver", "Driver 2.1", 50.0, 50, "no"),
        ("driver", "Driver 2.2", 50.0, 50, "no"),
        ("category", None, 50.0, 50, "no"),
        ("overall", None, 54.5, 55, "no"),
    ]


def test_the_team_export_holds_every_assessment_oldest_first_with_unanswered_items_blank(
    client, cast, assessments
):
    client.force_login(cast.member)
    response = client.get(team_url(cast.team, "csv"))
    assert 'filename="implhub-riverside-history.csv"' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert len(rows) == 24
    dates = [row[header.index("Assessment date")] for row in rows]
    assert dates == ["2025-09-01"] * 12 + ["2026-03-01"] * 12
    assert {row[header.index("Consensus score")] for row in rows[12:]} == {""}
    assert {row[header.index("Status")] for row in rows[12:]} == {"Open for votes"}
