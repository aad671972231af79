"""A completed assessment's scores are stored per driver when it is completed and forgotten when it is
reopened; pages, the portfolio and exports read them instead of summing every answer again."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, DriverTally, Response
from assessments.scoring import answer_tallies, assessment_scores
from tests.factories import TeamFactory, UserFactory, answer_all, make_assessment, make_version

EXAMPLE = {"D11-1": 2, "D11-2": 2, "D11-3": 1, "D12-1": 0, "D12-2": 1, "D12-3": None}  # others answer 1


def stored(assessment):
    return {
        (t.driver.code, t.points, t.scored, t.not_applicable)
        for t in DriverTally.objects.filter(assessment=assessment).select_related("driver")
    }


@pytest.fixture
def in_consensus(cast):
    assessment = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, status="consensus"
    )
    answer_all(assessment, cast.facilitator, EXAMPLE)
    return assessment


def test_completing_stores_each_drivers_points_scored_and_not_applicable_items(cast, in_consensus):
    assert not DriverTally.objects.exists()
    services.assessment_complete(assessment=in_consensus, completed_by=cast.facilitator)
    assert stored(in_consensus) == {
        ("D11", 5, 3, 0),
        ("D12", 1, 2, 1),
        ("D21", 3, 3, 0),
        ("D22", 3, 3, 0),
    }


def test_a_completed_assessment_is_scored_from_its_stored_tallies_not_its_answers(cast, in_consensus):
    services.assessment_complete(assessment=in_consensus, completed_by=cast.facilitator)
    # Nothing may change a completed assessment's answers; doing it behind the services' back shows which
    # numbers the pages read.
    Response.objects.filter(assessment=in_consensus, item__code="D11-3").update(score=2)
    scores = assessment_scores(assessments=[Assessment.objects.get(pk=in_consensus.pk)])[in_consensus.pk]
    assert (scores.driver("D11").score.points, scores.driver("D11").score.unanswered) == (5, 0)
    assert scores.overall.points == 5 + 1 + 3 + 3


def test_reopening_forgets_the_tallies_and_completing_again_stores_the_new_answers(
    client, cast, in_consensus
):
    services.assessment_complete(assessment=in_consensus, completed_by=cast.facilitator)
    services.assessment_reopen(assessment=in_consensus, reopened_by=cast.facilitator, reason="A recount.")
    assert not DriverTally.objects.filter(assessment=in_consensus).exists()
    response = Response.objects.get(assessment=in_consensus, item__code="D12-1")
    services.response_record(
        assessment=in_consensus,
        item_code="D12-1",
        score=2,
        evidence="Checked again.",
        na_reason="",
        revision=response.revision,
        recorded_by=cast.facilitator,
    )
    # While reopened the results page sums the answers: the new answer shows at once.
    client.force_login(cast.facilitator)
    page = client.get(reverse("assessments:results", args=[in_consensus.pk]))
    d12 = page.context["results"].scores.driver("D12").score
    assert (d12.points, d12.scored) == (3, 2)
    services.assessment_complete(assessment=in_consensus, completed_by=cast.facilitator)
    assert ("D12", 3, 2, 1) in stored(in_consensus)
    assert DriverTally.objects.filter(assessment=in_consensus).count() == 4


def test_stored_and_summed_scores_read_in_one_query(cast, in_consensus, django_assert_num_queries):
    completed = make_assessment(
        team=cast.other_team, version=cast.version, by=cast.facilitator, status="completed"
    )
    answer_all(completed, cast.facilitator, {"D11-1": 0})
    with django_assert_num_queries(2):  # the drivers of the versions; the stored and summed tallies
        scores = assessment_scores(assessments=[in_consensus, completed])
    assert scores[in_consensus.pk].driver("D11").score.points == 5
    assert scores[completed.pk].driver("D11").score.points == 2
    assert scores[completed.pk].overall.points == 2 + 3 + 3 + 3


def test_every_completed_demo_assessment_has_tallies_equal_to_its_answers(db):
    call_command("demo", stdout=io.StringIO())
    completed = list(Assessment.objects.filter(status="completed").values_list("pk", flat=True))
    assert len(completed) >= 6
    summed = {
        (r["assessment_id"], r["driver_id"], r["points"], r["scored"], r["na"])
        for r in answer_tallies(completed)
    }
    tallies = set(
        DriverTally.objects.values_list("assessment_id", "driver_id", "points", "scored", "not_applicable")
    )
    assert tallies == summed


@pytest.mark.django_db(transaction=True)
def test_the_migration_stores_the_tallies_of_assessments_completed_before_it():
    executor = MigrationExecutor(connection)
    if not executor.loader.migrated_apps:
        pytest.skip("migrations are disabled in this run (--nomigrations)")
    before, after = [("assessments", "0006_workflow_history")], [("assessments", "0007_driver_tallies")]
    version, team, user = make_version(), TeamFactory(), UserFactory()
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        make = old.get_model("assessments", "Assessment").objects.create
        done, going = (
            make(
                team_id=team.pk, version_id=version.pk, created_by_id=user.pk, stage="installation",
                status=status, held_on=datetime.date(2026, 5, day),
            )
            for status, day in (("completed", 1), ("consensus", 2))
        )  # fmt: skip
        old_response = old.get_model("assessments", "Response")
        for assessment in (done, going):
            old_response.objects.bulk_create(
                old_response(
                    assessment_id=assessment.pk,
                    item_id=item.pk,
                    score=0 if item.code.endswith("-1") else 2,
                    recorded_by_id=user.pk,
                )
                for item in version.best_practices.all()
            )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        tallies = executor.loader.project_state(after).apps.get_model("assessments", "DriverTally")
        rows = set(tallies.objects.values_list("assessment_id", "points", "scored", "not_applicable"))
        assert rows == {(done.pk, 4, 3, 0)}
        assert tallies.objects.count() == 4
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
