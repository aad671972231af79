"""CSV and XLSX exports: long format, streamed, and under the same access rules as the pages."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from assessments.models import Response
from assessments.reports.exports import HEADERS
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


def read_xlsx(response) -> list[tuple]:
    assert isinstance(response, FileResponse)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


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


def test_the_csv_of_one_assessment_has_one_row_per_item_in_long_format(client, cast, assessments):
    client.force_login(cast.facilitator)
    response = client.get(assessment_url(assessments[0], "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="implhub-riverside-2025-09-01.csv"' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert tuple(header) == HEADERS
    assert len(rows) == 12
    first = dict(zip(header, rows[0], strict=True))
    assert first["organization"] == cast.team.organization.name
    assert (first["team"], first["program"], first["assessment date"]) == (
        "Riverside",
        "Structured literacy",
        "2025-09-01",
    )
    assert (first["stage"], first["status"], first["version"]) == (
        "Exploration",
        "Completed",
        "Test framework v1",
    )
    assert (first["category"], first["driver"], first["item code"]) == ("Category 1", "Driver 1.1", "D11-1")
    assert (first["statement"], first["consensus score"]) == ("Statement D11-1.", "2")
    na = dict(zip(header, rows[5], strict=True))
    assert (na["item code"], na["consensus score"], na["N/A reason"]) == (
        "D12-3",
        "N/A",
        "Does not apply here.",
    )


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(client, cast, assessments):
    client.force_login(cast.facilitator)
    header, *rows = read_csv(client.get(assessment_url(assessments[0], "csv")))
    assert rows[0][header.index("notes")] == '\'=HYPERLINK("http://x")'
    xlsx_rows = read_xlsx(client.get(assessment_url(assessments[0], "xlsx")))
    assert xlsx_rows[1][HEADERS.index("notes")] == '=HYPERLINK("http://x")'  # stored as text, not a formula


def test_the_xlsx_has_the_same_rows_as_the_csv(client, cast, assessments):
    client.force_login(cast.coach)
    rows = read_xlsx(client.get(assessment_url(assessments[0], "xlsx")))
    assert rows[0] == HEADERS
    assert len(rows) == 13
    assert rows[1][HEADERS.index("consensus score")] == 2
    assert rows[1][HEADERS.index("assessment date")] == datetime.datetime(2025, 9, 1)


def test_the_team_export_holds_every_assessment_oldest_first_with_unanswered_items_blank(
    client, cast, assessments
):
    client.force_login(cast.member)
    response = client.get(team_url(cast.team, "csv"))
    assert 'filename="implhub-riverside-history.csv"' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert len(rows) == 24
    dates = [row[header.index("assessment date")] for row in rows]
    assert dates == ["2025-09-01"] * 12 + ["2026-03-01"] * 12
    assert {row[header.index("consensus score")] for row in rows[12:]} == {""}
    assert {row[header.index("status")] for row in rows[12:]} == {"Open for votes"}
