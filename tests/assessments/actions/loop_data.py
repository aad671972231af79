"""Test data of the loop: actions made through the ORM (their services belong to the action plan), and a
team's history of completed assessments."""

import datetime

from assessments.actions.models import ActionItem
from drivers.models import BestPractice, Driver
from tests.factories import make_completed_assessment


def act(assessment, *codes, driver=None, status="planned", title=None, owner=None, due_on=None, **fields):
    """An action of the assessment's team on items of its version (by code), or on a driver (by code)."""
    items = list(BestPractice.objects.filter(version_id=assessment.version_id, code__in=codes))
    assert len(items) == len(codes), codes
    driver = Driver.objects.get(version_id=assessment.version_id, code=driver) if driver else items[0].driver
    action = ActionItem.objects.create(
        team=assessment.team,
        assessment=assessment,
        title=title or f"Work on {', '.join(codes) or driver.code}",
        driver=driver,
        owner=owner,
        due_on=due_on,
        status=status,
        dropped_reason="No longer needed." if status == "dropped" else "",
        created_by=assessment.created_by,
        **fields,
    )
    action.items.set(items)
    return action


def completed(cast, version, month, scores, team=None):
    """A completed assessment of the cast's team (or `team`) held on the 1st of `month` (yyyy, m)."""
    return make_completed_assessment(
        team=team or cast.team,
        version=version,
        by=cast.facilitator,
        held_on=datetime.date(*month, 1),
        scores=scores,
    )
