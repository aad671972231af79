"""Storing a completed assessment's driver tallies, and removing them when it is reopened.

Every writer that makes an assessment completed calls `tallies_store` in the same transaction: the
completing service, and the writers of many rows at once (the demo, the dataset generator, a restored
backup, the migration that introduced the tallies), so that `scoring` can trust a completed assessment to
have them."""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction

from assessments.models import DriverTally
from assessments.scoring import answer_tallies

BATCH_SIZE = 1000


@transaction.atomic
def tallies_store(*, assessment_ids: Collection[int]) -> int:
    """Sums the consensus answers of the assessments per driver and stores the sums, replacing any stored
    before; returns how many rows were written. The assessments' answers must be final."""
    DriverTally.objects.filter(assessment__in=assessment_ids).delete()
    rows = [
        DriverTally(
            assessment_id=row["assessment_id"],
            driver_id=row["driver_id"],
            points=row["points"],
            scored=row["scored"],
            not_applicable=row["na"],
        )
        for row in answer_tallies(assessment_ids)
    ]
    DriverTally.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def tallies_forget(*, assessment_id: int) -> None:
    """A reopened assessment's answers may change again: its scores are summed from them until it is
    completed again."""
    DriverTally.objects.filter(assessment_id=assessment_id).delete()
