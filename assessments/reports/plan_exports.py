"""A team's action plan as CSV and XLSX: what the plan page lists, one row per action, in the page's order
(by driver, open actions first), with every progress note in one cell. Written through the helpers of
`exports` (formula neutralising, streaming CSV, write-only XLSX)."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from assessments.actions.selectors.plan import PlanRow, team_plan
from assessments.models import Team
from assessments.reports import exports

HEADERS = (
    _("Organization"),
    _("Team"),
    _("Driver"),
    _("Action"),
    _("Details"),
    _("Best practices"),
    _("Owner"),
    _("Owner without an account"),
    _("Due date"),
    _("Status"),
    _("Overdue"),
    _("Done on"),
    _("Why it was dropped"),
    _("From the assessment of"),
    _("Progress notes"),
    _("Planned on"),
    _("Assessed again on"),
    _("What happened"),
)
WIDTHS = {
    _("Action"): 48,
    _("Details"): 48,
    _("Best practices"): 20,
    _("Owner"): 22,
    _("Progress notes"): 60,
    _("What happened"): 48,
}


def _notes(row: PlanRow) -> str:
    return "\n".join(f"{note.written_on.isoformat()}: {note.text}" for note in row.notes)


def _what_happened(row: PlanRow) -> str:
    """The loop, as the action's page says it: each item's answer then and at the next assessment."""
    return "\n".join(row.outcome.lines) if row.outcome and row.outcome.later else ""


def plan_rows(*, team: Team) -> Iterator[tuple]:
    plan = team_plan(team=team)
    for group in plan.groups:
        for row in group.rows:
            action = row.action
            yield (
                team.organization.name,
                team.name,
                group.name,
                action.title,
                action.details,
                ", ".join(row.codes),
                action.owner_label if action.owner_id else "",
                action.owner_name,
                action.due_on,
                action.get_status_display(),
                gettext_now("yes") if row.overdue else "",
                action.done_on,
                action.dropped_reason,
                action.assessment.held_on,
                _notes(row),
                action.created_at.date(),
                row.outcome.later.held_on if row.outcome and row.outcome.later else None,
                _what_happened(row),
            )


def csv_response(*, team: Team, filename: str) -> StreamingHttpResponse:
    def rows() -> Iterator[tuple]:  # read once the download starts
        yield from plan_rows(team=team)

    return exports.table_csv_response(HEADERS, rows(), filename=filename)


def xlsx_response(*, team: Team, filename: str) -> StreamingHttpResponse:
    return exports.workbook_response(
        [(_("Action plan"), HEADERS, plan_rows(team=team))], filename=filename, widths=WIDTHS
    )


RESPONSES = {"csv": csv_response, "xlsx": xlsx_response}
