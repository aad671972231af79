"""Nothing lost when two people save at once (PostgreSQL: real concurrent connections and row locks)."""

import threading

import pytest
from django.db import connection, connections, transaction

from assessments import services
from assessments.models import Assessment, Response
from tests.factories import answer_all

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (CI runs it)"),
]


def in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as exc:  # the test inspects what each side got
            results[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_editors_of_one_answer_one_wins_and_the_other_is_told(cast, open_assessment):
    assessment = services.assessment_reveal_votes(
        assessment=open_assessment, revealed_by=open_assessment.created_by
    )
    services.response_record(assessment=assessment, recorded_by=cast.facilitator, item_code="D11-1", score=1)
    barrier = threading.Barrier(2)
    results = {}

    def editor(score):
        def save():
            barrier.wait()
            return services.response_record(
                assessment=assessment,
                recorded_by=cast.facilitator,
                item_code="D11-1",
                score=score,
                revision=1,
            )

        return save

    threads = [in_thread(editor(score), results, score) for score in (0, 2)]
    for thread in threads:
        thread.join(10)
    outcomes = sorted(type(result).__name__ for result in results.values())
    assert outcomes == ["Response", "StaleResponse"]
    winner = next(score for score, result in results.items() if isinstance(result, Response))
    stored = Response.objects.get(item__code="D11-1")
    assert (stored.score, stored.revision) == (winner, 2)


def test_completing_waits_for_a_save_in_flight_and_includes_it(cast, open_assessment):
    assessment = services.assessment_reveal_votes(
        assessment=open_assessment, revealed_by=open_assessment.created_by
    )
    answer_all(assessment, cast.facilitator)
    Response.objects.filter(item__code="D22-3").delete()
    saving, results = threading.Event(), {}

    def slow_save():
        with transaction.atomic():
            response = services.response_record(
                assessment=assessment, recorded_by=cast.facilitator, item_code="D22-3", score=2
            )
            saving.set()
            threading.Event().wait(0.5)  # the save is still uncommitted while completion starts
            return response

    def complete():
        saving.wait(5)
        return services.assessment_complete(assessment=assessment, completed_by=cast.facilitator)

    threads = [in_thread(slow_save, results, "save"), in_thread(complete, results, "complete")]
    for thread in threads:
        thread.join(10)
    assert isinstance(results["save"], Response), results["save"]
    assert isinstance(results["complete"], Assessment), results["complete"]
    assessment.refresh_from_db()
    assert assessment.is_completed
    assert Response.objects.filter(assessment=assessment).count() == 12


def test_a_save_after_completion_started_is_refused_not_half_applied(cast, open_assessment):
    assessment = services.assessment_reveal_votes(
        assessment=open_assessment, revealed_by=open_assessment.created_by
    )
    answer_all(assessment, cast.facilitator)
    completing, results = threading.Event(), {}

    def slow_complete():
        with transaction.atomic():
            done = services.assessment_complete(assessment=assessment, completed_by=cast.facilitator)
            completing.set()
            threading.Event().wait(0.5)
            return done

    def late_save():
        completing.wait(5)
        return services.response_record(
            assessment=assessment, recorded_by=cast.facilitator, item_code="D11-1", score=2, revision=1
        )

    threads = [in_thread(slow_complete, results, "complete"), in_thread(late_save, results, "save")]
    for thread in threads:
        thread.join(10)
    assert isinstance(results["complete"], Assessment)
    assert "completed; reopen it" in str(results["save"])
    assert Response.objects.get(assessment=assessment, item__code="D11-1").score == 1
