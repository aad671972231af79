"""Data migrations report data that breaks a new rule instead of changing it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import TeamFactory, UserFactory, make_version

BEFORE = [("assessments", "0001_initial")]
AFTER = [("assessments", "0002_one_unfinished_assessment")]
BEFORE_PEOPLE = [("assessments", "0002_one_unfinished_assessment")]
PEOPLE = [("assessments", "0003_people")]


@pytest.fixture
def executor():
    """A migration executor; the database is migrated forward again afterwards, whatever the test did."""
    executor = MigrationExecutor(connection)
    if not executor.loader.migrated_apps:
        pytest.skip("migrations are disabled in this run (--nomigrations)")
    yield executor
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_two_unfinished_assessments_of_a_team_stop_the_migration_and_change_nothing(executor):
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


@pytest.mark.django_db(transaction=True)
def test_members_facilitators_and_coaches_get_the_organization_memberships_they_imply(executor):
    version, team, other = make_version(), TeamFactory(name="North"), TeamFactory(name="South")
    fiona, mark, carmen, nobody = (UserFactory() for _ in range(4))
    executor.migrate(BEFORE_PEOPLE)
    old = executor.loader.project_state(BEFORE_PEOPLE).apps
    old.get_model("assessments", "Membership").objects.create(
        team_id=team.pk, user_id=fiona.pk, role="facilitator"
    )
    old.get_model("assessments", "Membership").objects.create(team_id=team.pk, user_id=mark.pk, role="member")
    old.get_model("assessments", "CoachAssignment").objects.create(team_id=team.pk, coach_id=carmen.pk)
    old.get_model("assessments", "CoachAssignment").objects.create(team_id=other.pk, coach_id=carmen.pk)
    assessment = old.get_model("assessments", "Assessment").objects.create(
        team_id=team.pk, version_id=version.pk, created_by_id=fiona.pk, stage="installation",
        status="consensus", held_on=datetime.date(2026, 5, 1),
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(PEOPLE)
    new = executor.loader.project_state(PEOPLE).apps
    pairs = set(
        new.get_model("assessments", "OrganizationMembership").objects.values_list(
            "organization_id", "user_id", "role"
        )
    )
    assert pairs == {
        (team.organization_id, fiona.pk, "member"),
        (team.organization_id, mark.pk, "member"),
        (team.organization_id, carmen.pk, "member"),
        (other.organization_id, carmen.pk, "member"),
    }
    assert nobody.pk not in {user for _, user, _ in pairs}
    migrated = new.get_model("assessments", "Assessment").objects.get(pk=assessment.pk)
    assert (migrated.administered_by_id, migrated.administered_as) == (fiona.pk, "facilitator")
