"""Data migrations report data that breaks a new rule instead of changing it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import TeamFactory, UserFactory, make_version

BEFORE = [("assessments", "0001_initial")]
AFTER = [("assessments", "0002_one_unfinished_assessment")]


@pytest.mark.django_db(transaction=True)
def test_two_unfinished_assessments_of_a_team_stop_the_migration_and_change_nothing():
    executor = MigrationExecutor(connection)
    if not executor.loader.migrated_apps:
        pytest.skip("migrations are disabled in this run (--nomigrations)")
    version, team, user = make_version(), TeamFactory(name="Twice"), UserFactory()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("assessments", "Assessment")
    for day in (1, 2):
        old.objects.create(
            team_id=team.pk, version_id=version.pk, created_by_id=user.pk, stage="installation",
            status="open", held_on=datetime.date(2026, 5, day),
        )  # fmt: skip
    executor = MigrationExecutor(connection)
    with pytest.raises(RuntimeError, match=r"Twice \(team \d+\): 2\. Complete or delete the extra ones"):
        executor.migrate(AFTER)
    assert old.objects.filter(team_id=team.pk, status="open").count() == 2
    old.objects.filter(team_id=team.pk, held_on=datetime.date(2026, 5, 1)).update(status="completed")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    assert MigrationExecutor(connection).migration_plan(AFTER) == []
