"""The action plan as CSV and XLSX: what the plan page lists, one row per action, in the page's order, with
the notes in one cell; user text never runs as a formula; the same access as the plan page."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl.utils import get_column_letter

from assessments.actions.models import ProgressNote
from assessments.reports.plan_exports import HEADERS
from tests.assessments.actions.plan_data import completed, make_action
from tests.assessments.reports.test_exports import read_csv, read_xlsx
from tests.factories import make_completed_assessment

pytestmark = pytest.mark.django_db

PAST = timezone.localdate() - datetime.timedelta(days=3)


@pytest.fixture
def plan(cast):
    assessment = completed(cast)
    late = make_action(assessment, title="Write the coaching plan", owner=cast.member, due_on=PAST)
    ProgressNote.objects.create(action=late, text="Drafted.", written_on=datetime.date(2026, 4, 1))
    ProgressNote.objects.create(action=late, text="=SUM(A1:A9)", written_on=datetime.date(2026, 5, 1))
    make_action(
        assessment,
        driver_code="D21",
        codes=(),
        title="+Review the data monthly",
        status="dropped",
        dropped_reason="@no budget",
        due_on=datetime.date(2026, 9, 1),
    )
    make_action(assessment, codes=("D11-2", "D11-3"), title="Train the coaches", status="done", done_on=PAST)
    theirs = make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    make_action(theirs, title="Harbor's own action")
    return assessment


def url(cast, fmt):
    return reverse("assessments:export_plan", args=[cast.team.pk, fmt])


def test_the_csv_has_one_row_per_action_in_the_plan_s_order(client, cast, plan):
    client.force_login(cast.coach)
    response = client.get(url(cast, "csv"))
    assert response["Content-Disposition"] == 'attachment; filename="implhub-riverside-action-plan.csv"'
    header, *rows = read_csv(response)
    assert header == [str(h) for h in HEADERS]
    column = {name: n for n, name in enumerate(header)}
    assert [r[column["Action"]] for r in rows] == [
        "Write the coaching plan",
        "Train the coaches",
        "'+Review the data monthly",
    ]
    late, done, dropped = rows
    assert late[column["Driver"]] == "Driver 1.1" and late[column["Best practices"]] == "D11-2"
    assert late[column["Owner"]] == "Mark" and late[column["Owner without an account"]] == ""
    assert late[column["Status"]] == "Planned" and late[column["Overdue"]] == "yes"
    assert late[column["Due date"]] == PAST.isoformat()
    assert late[column["From the assessment of"]] == "2026-03-01"
    assert late[column["Progress notes"]] == "2026-04-01: Drafted.\n2026-05-01: =SUM(A1:A9)"
    assert done[column["Best practices"]] == "D11-2, D11-3" and done[column["Done on"]] == PAST.isoformat()
    assert done[column["Overdue"]] == "" and done[column["Owner without an account"]] == "Jo Park"
    assert dropped[column["Driver"]] == "Driver 2.1" and dropped[column["Best practices"]] == ""
    assert dropped[column["Why it was dropped"]] == "'@no budget"
    assert all(r[column["Team"]] == "Riverside" for r in rows)


def test_the_xlsx_has_the_same_rows_with_real_dates_and_text_never_a_formula(client, cast, plan):
    client.force_login(cast.member)
    response = client.get(url(cast, "xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="implhub-riverside-action-plan.xlsx"'
    sheets = read_xlsx(response)
    assert list(sheets) == ["Action plan"]
    header, *rows = sheets["Action plan"]
    column = {name: n for n, name in enumerate(header)}
    assert [r[column["Action"]] for r in rows] == [
        "Write the coaching plan",
        "Train the coaches",
        "+Review the data monthly",
    ]
    assert rows[0][column["Due date"]] == datetime.datetime.combine(PAST, datetime.time())
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(url(cast, "xlsx")).streaming_content)))
    sheet = workbook["Action plan"]
    last = get_column_letter(len(HEADERS))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{last}{len(rows) + 1}"
    assert {
        cell.data_type for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)
    } == {"s"}


def test_an_empty_plan_exports_its_headers(client, cast):
    client.force_login(cast.facilitator)
    assert read_csv(client.get(url(cast, "csv"))) == [[str(h) for h in HEADERS]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_has_the_plan_page_s_access(client, cast, plan, fmt):
    client.force_login(cast.outsider)
    assert client.get(url(cast, fmt)).status_code == 404
    client.force_login(cast.meeting_coach)
    assert client.get(url(cast, fmt)).status_code == 200


def test_an_unknown_format_gets_404(client, cast, plan):
    client.force_login(cast.facilitator)
    assert client.get(url(cast, "pdf")).status_code == 404


def test_the_export_says_what_happened_to_an_actions_items_at_the_next_assessment(client, cast, plan):
    make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        held_on=plan.held_on + datetime.timedelta(days=180),
        scores={"D11-2": 2, "D11-3": 0},
    )
    client.force_login(cast.facilitator)
    header, *rows = read_csv(client.get(url(cast, "csv")))
    column = {name: n for n, name in enumerate(header)}
    done = next(r for r in rows if r[column["Action"]] == "Train the coaches")
    assert done[column["Assessed again on"]] == (plan.held_on + datetime.timedelta(days=180)).isoformat()
    assert done[column["What happened"]].splitlines() == [
        "D11-2: Not in place → In place",
        "D11-3: Not applicable → Not in place",
    ]
