"""CSV and XLSX files of assessments: what the results pages say, in a form a spreadsheet can filter.

The CSV is one flat table, one row per item per assessment, each row carrying the consensus answer and the
driver, category and overall scores the results page shows (exact to one decimal, and as the whole percent
the page shows), so a filter on any column keeps the scores beside the items. The XLSX holds the same
Items table and a Scores sheet with one row per driver, category and assessment.

Scores come from `assessments.scoring`, never computed here. Rows are written as they are read: the
assessments, their scores and their answers a batch of assessments at a time, so memory stays bounded.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Organization, Response, Team
from assessments.reports import xlsx_stream
from assessments.scoring import AssessmentScores, Score, assessment_scores
from drivers import scale
from drivers.models import BestPractice, Provenance, framework_order

CSV_ROWS = 500  # rows per piece of a streamed CSV
BATCH = 250  # assessments whose answers and scores are held at once (about 11,000 answers)
# A spreadsheet runs a cell that starts with one of these as a formula; user text must never do that.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# implhub's own items for five drivers are not the published DBPA items: every row says where it came from.
ITEM_SOURCES = {
    Provenance.SOURCE: _("Text from the published source (Active Implementation Hub)"),
    Provenance.IMPLHUB: _("Written for implhub (not a published DBPA item)"),
}

ASSESSMENT_HEADERS = (
    _("Assessment id"),
    _("Organization"),
    _("Team"),
    _("Program or practice"),
    _("Assessment date"),
    _("Stage of implementation"),
    _("Status"),
    _("Instrument"),
    # Each assessment is read against its own version's benchmark, so a file of several versions says which.
    _("Benchmark (%)"),
)
SCORE_HEADERS = (
    _("Driver score (exact %)"),
    _("Driver score (%)"),
    _("Category score (exact %)"),
    _("Category score (%)"),
    _("Overall score (exact %)"),
    _("Overall score (%)"),
)
HEADERS = (
    *ASSESSMENT_HEADERS,
    _("Category"),
    _("Driver"),
    _("Item code"),
    _("Best practice"),
    _("Item source"),
    _("Consensus score"),
    _("Not applicable"),
    _("Why it does not apply"),
    _("Evidence notes"),
    *SCORE_HEADERS,
)
SCORES_HEADERS = (
    *ASSESSMENT_HEADERS,
    _("Level"),
    _("Category"),
    _("Driver"),
    _("Points"),
    _("Possible points"),
    _("Items scored"),
    _("N/A items"),
    _("Unanswered items"),
    _("Score (exact %)"),
    _("Score (%)"),
    _("At or above the benchmark"),
)
COLUMN_WIDTHS = {  # characters, by header; others get 14
    _("Organization"): 24,
    _("Team"): 24,
    _("Program or practice"): 24,
    _("Instrument"): 26,
    _("Category"): 22,
    _("Driver"): 28,
    _("Best practice"): 60,
    _("Item source"): 30,
    _("Why it does not apply"): 40,
    _("Evidence notes"): 60,
}


def team_assessments(*, team: Team) -> QuerySet[Assessment]:
    """What a team's export holds: its whole history."""
    return Assessment.objects.filter(team_id=team.pk)


def organization_assessments(*, organization: Organization) -> QuerySet[Assessment]:
    """Every assessment of every team of an organization."""
    return Assessment.objects.filter(team__organization_id=organization.pk)


def scope_assessments(*, teams: QuerySet[Team]) -> QuerySet[Assessment]:
    """Every assessment of the teams a user may read (the portfolio's scope), as one subquery."""
    return Assessment.objects.filter(team_id__in=teams.values("pk"))


def single_assessment(*, assessment: Assessment) -> QuerySet[Assessment]:
    return Assessment.objects.filter(pk=assessment.pk)


def exact(score: Score) -> float | None:
    """A percent to one decimal, as a number: what a spreadsheet sums and charts."""
    return None if score.percent is None else round(score.percent, 1)


def shown(score: Score) -> int | None:
    """The whole percent the results page shows."""
    return score.rounded


@dataclass(frozen=True)
class _Item:
    pk: int
    # The cells of the item itself, between the assessment's and the scores'.
    cells: tuple
    driver_code: str
    category_slug: str


class Export:
    """The assessments of one file, oldest first. Each sheet reads them `BATCH` at a time (by their own
    ids, with their scores and answers), so memory stays the same however many there are, and the
    number of queries grows only with the number of batches."""

    def __init__(self, assessments: QuerySet[Assessment]):
        self.assessments = assessments.select_related("team__organization", "version__framework").order_by(
            "held_on", "pk"
        )

        # A file of one batch (a team's history) is read once for both sheets of an XLSX.
        self._whole: tuple[list[Assessment], dict[int, AssessmentScores]] | None = None

    def batches(self) -> Iterator[tuple[list[Assessment], dict[int, AssessmentScores]]]:
        if self._whole is not None:
            yield self._whole
            return
        batch = list(self.assessments[:BATCH])
        first = True
        while batch:
            scored = batch, assessment_scores(assessments=batch)
            if first and len(batch) < BATCH:
                self._whole = scored
            first = False
            yield scored
            if len(batch) < BATCH:
                return
            last = batch[-1]  # the next batch starts after it (keyset: no OFFSET to scan past)
            batch = list(
                self.assessments.filter(
                    Q(held_on__gt=last.held_on) | Q(held_on=last.held_on, pk__gt=last.pk)
                )[:BATCH]
            )


def export_of(assessments: QuerySet[Assessment]) -> Export:
    return Export(assessments)


def item_rows(export: Export) -> Iterator[tuple]:
    """The Items table: every item of each assessment's version, oldest assessment first, with its
    consensus answer (blank while unanswered) and the scores of its driver, category and assessment."""
    items = None
    for batch, scores in export.batches():
        if items is None:  # the items of every version of the file, read once the first batch is there
            items = _items_of_versions(export.assessments.values("version_id"))
        # Filtered by the batch's own ids: the index on (assessment, item) serves it, no join.
        answers: dict[int, dict[int, tuple]] = {a.pk: {} for a in batch}
        for assessment_id, item_id, *answer in Response.objects.filter(
            assessment_id__in=[a.pk for a in batch]
        ).values_list("assessment_id", "item_id", "score", "not_applicable", "na_reason", "evidence"):
            answers[assessment_id][item_id] = answer
        for assessment in batch:
            yield from _assessment_rows(
                assessment, scores[assessment.pk], items[assessment.version_id], answers[assessment.pk]
            )


def _items_of_versions(version_ids: QuerySet) -> dict[int, list[_Item]]:
    items: dict[int, list[_Item]] = defaultdict(list)
    for pk, version_id, code, statement, provenance, driver_code, driver, category_slug, category in (
        BestPractice.objects.filter(version_id__in=version_ids)
        .order_by("version_id", *framework_order())
        .values_list(
            "pk",
            "version_id",
            "code",
            "statement",
            "provenance",
            "driver__code",
            "driver__name",
            "driver__category__slug",
            "driver__category__name",
        )
    ):
        source = str(ITEM_SOURCES.get(provenance, provenance))
        items[version_id].append(
            _Item(pk, (category, driver, code, statement, source), driver_code, category_slug)
        )
    return items


def _assessment_cells(assessment: Assessment) -> tuple:
    team = assessment.team
    return (
        assessment.pk,
        team.organization.name,
        team.name,
        team.program,
        assessment.held_on,
        assessment.get_stage_display(),
        assessment.get_status_display(),
        f"{assessment.version.framework.name} {assessment.version.label}",
        assessment.version.benchmark,
    )


def _assessment_rows(
    assessment: Assessment, scores: AssessmentScores, items: list[_Item], answers: dict
) -> Iterator[tuple]:
    # Everything but the answer is the same for every item of a driver: built once per assessment.
    head = _assessment_cells(assessment)
    overall = (exact(scores.overall), shown(scores.overall))
    categories = {c.slug: (exact(c.score), shown(c.score)) for c in scores.categories}
    drivers = {d.code: (exact(d.score), shown(d.score)) for d in scores.drivers}
    not_applicable_mark = str(scale.NOT_APPLICABLE_SHORT)
    unanswered = (None, False, "", "")
    for item in items:
        score, not_applicable, reason, evidence = answers.get(item.pk, unanswered)
        yield (
            *head,
            *item.cells,
            score,
            not_applicable_mark if not_applicable else "",
            reason,
            evidence,
            *drivers[item.driver_code],
            *categories[item.category_slug],
            *overall,
        )


def score_rows(export: Export) -> Iterator[tuple]:
    """The Scores table: each driver, each category and the whole of every assessment."""
    for batch, scores in export.batches():
        for assessment in batch:
            yield from _assessment_score_rows(assessment, scores[assessment.pk])


def _assessment_score_rows(assessment: Assessment, result: AssessmentScores) -> Iterator[tuple]:
    head = _assessment_cells(assessment)
    for category in result.categories:
        for driver in category.drivers:
            cells = _score_cells(driver.score, result.benchmark)
            yield (*head, str(_("driver")), category.name, driver.name, *cells)
        yield (
            *head,
            str(_("category")),
            category.name,
            "",
            *_score_cells(category.score, result.benchmark),
        )
    yield (*head, str(_("overall")), "", "", *_score_cells(result.overall, result.benchmark))


def _score_cells(score: Score, benchmark: int) -> tuple:
    return (
        score.points,
        score.possible,
        score.scored,
        score.not_applicable,
        score.unanswered,
        exact(score),
        shown(score),
        "" if score.rounded is None else str(_("yes") if score.reaches(benchmark) else _("no")),
    )


def _defused(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _defused(value)


def table_csv_response(headers: tuple, rows: Iterable[tuple], *, filename: str) -> StreamingHttpResponse:
    """One table as a CSV download, written as `rows` are read (no user text becomes a formula), sent in
    pieces of CSV_ROWS rows: a piece per row would cost more in the server than the rows themselves."""

    def pieces() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
        writer.writerow([str(h) for h in headers])
        for n, row in enumerate(rows, 1):
            writer.writerow(["" if v is None else _csv_value(v) for v in row])
            if n % CSV_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(pieces(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def csv_response(assessments: QuerySet[Assessment], *, filename: str) -> StreamingHttpResponse:
    def rows() -> Iterator[tuple]:  # read once the download starts
        yield from item_rows(export_of(assessments))

    return table_csv_response(HEADERS, rows(), filename=filename)


def workbook_response(
    sheets: Iterable[tuple], *, filename: str, widths: dict | None = None
) -> StreamingHttpResponse:
    """An XLSX download of (title, headers, rows) sheets, sent as it is written (see xlsx_stream);
    `widths` adds column widths by header."""
    widths = COLUMN_WIDTHS | (widths or {})
    parts = (
        (str(title), [widths.get(h, 14) for h in headers], _with_header(headers, rows))
        for title, headers, rows in sheets
    )
    response = StreamingHttpResponse(xlsx_stream.workbook(parts), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _with_header(headers: tuple, rows: Iterable[tuple]) -> Iterator[tuple]:
    yield tuple(str(h) for h in headers)
    yield from rows


def xlsx_response(assessments: QuerySet[Assessment], *, filename: str) -> StreamingHttpResponse:
    export = export_of(assessments)
    return workbook_response(
        [(_("Scores"), SCORES_HEADERS, score_rows(export)), (_("Items"), HEADERS, item_rows(export))],
        filename=filename,
    )


def export_filename(*parts: object) -> str:
    return "-".join(slugify(str(p)) for p in ("implhub", *parts))


RESPONSES = {"csv": csv_response, "xlsx": xlsx_response}
