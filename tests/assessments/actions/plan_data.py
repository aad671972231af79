"""Data of the action-plan tests: a completed assessment of the cast's team and actions after it."""

import datetime

from assessments.actions.models import ActionItem
from tests.factories import make_completed_assessment

HELD_ON = datetime.date(2026, 3, 1)


def completed(cast, *, held_on=HELD_ON, scores=None, version=None):
    """A completed assessment of the cast's team: D11-1 in place, D11-2 not in place, D11-3 N/A, others
    partially in place (1)."""
    return make_completed_assessment(
        team=cast.team,
        version=version or cast.version,
        by=cast.facilitator,
        held_on=held_on,
        scores=scores if scores is not None else {"D11-1": 2, "D11-2": 0, "D11-3": None},
    )


def item(version, code):
    return version.best_practices.get(code=code)


def driver(version, code):
    return version.drivers.get(code=code)


def make_action(assessment, *, driver_code="D11", codes=("D11-2",), by=None, **fields):
    """An action written straight to the database (no rule checked, no mail): data for reading tests."""
    version = assessment.version
    fields.setdefault("title", "Write the coaching plan")
    if "owner" not in fields and "owner_name" not in fields:
        fields["owner_name"] = "Jo Park"
    action = ActionItem.objects.create(
        team=assessment.team,
        assessment=assessment,
        driver=driver(version, driver_code),
        created_by=by,
        **fields,
    )
    action.items.set(version.best_practices.filter(code__in=codes))
    return action
