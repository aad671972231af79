"""CSV and XLSX files of assessments in long format: one row per item per assessment.

Rows come from one database query read in chunks, and are written out as they arrive, so memory stays
flat however long a team's history is: CSV streams straight to the client; XLSX is written by openpyxl in
write-only mode to a temporary file, which is then streamed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import FileResponse, StreamingHttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from assessments.models import Assessment, Response
from drivers.models import BestPractice

HEADERS = (
    "organization",
    "team",
    "program",
    "assessment date",
    "stage",
    "status",
    "version",
    "category",
    "driver",
    "item code",
    "statement",
    "consensus score",
    "N/A reason",
    "notes",
)
CHUNK = 2000
STAGES = dict(Assessment.Stage.choices)
STATUSES = dict(Assessment.Status.choices)
# A spreadsheet runs a cell that starts with one of these as a formula; user text must never do that.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_rows(*, assessments: QuerySet[Assessment]) -> Iterator[tuple]:
    """Every item of each assessment's version, with its consensus answer (blank while unanswered)."""
    answer = Response.objects.filter(
        assessment_id=OuterRef("version__assessments__pk"), item_id=OuterRef("pk")
    )
    rows = (
        BestPractice.objects.filter(version__assessments__in=assessments)
        .annotate(
            answer_score=Subquery(answer.values("score")[:1]),
            answer_na=Subquery(answer.values("not_applicable")[:1]),
            answer_na_reason=Subquery(answer.values("na_reason")[:1]),
            answer_evidence=Subquery(answer.values("evidence")[:1]),
        )
        .order_by(
            "version__assessments__held_on",
            "version__assessments__pk",
            "driver__category__order",
            "driver__order",
            "order",
        )
        .values_list(
            "version__assessments__team__organization__name",
            "version__assessments__team__name",
            "version__assessments__team__program",
            "version__assessments__held_on",
            "version__assessments__stage",
            "version__assessments__status",
            "version__framework__name",
            "version__number",
            "driver__category__name",
            "driver__name",
            "code",
            "statement",
            "answer_score",
            "answer_na",
            "answer_na_reason",
            "answer_evidence",
        )
    )
    for (
        org,
        team,
        program,
        held_on,
        stage,
        status,
        framework,
        number,
        *item,
        score,
        na,
        reason,
        notes,
    ) in rows.iterator(chunk_size=CHUNK):
        consensus = "N/A" if na else score
        yield (
            org,
            team,
            program,
            held_on,
            STAGES[stage],
            STATUSES[status],
            f"{framework} v{number}",
            *item,
            consensus,
            reason or "",
            notes or "",
        )


def _defused(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterable[tuple], *, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
        yield writer.writerow(HEADERS)
        for row in rows:
            yield writer.writerow([_defused(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: Iterable[tuple], *, filename: str) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("assessments")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    # A temporary file that outlives this function: the response streams it, then closes (deletes) it.
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


def _text_cell(sheet, value):
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would otherwise store text that starts with "=" as a formula
    return cell


def export_filename(*parts: object) -> str:
    return "-".join(slugify(str(p)) for p in ("implhub", *parts))


RESPONSES = {"csv": csv_response, "xlsx": xlsx_response}
