"""Each service is one transaction of its own, and a failure inside it leaves nothing behind.

These tests run without the transaction pytest-django wraps around ordinary tests, so they see what a
request sees: a service that locks rows (`select_for_update`) works only inside its own transaction, and a
write that fails halfway must not leave its first half in the database.
"""

import datetime

import pytest
from django.db import IntegrityError, connection

from assessments import services
from assessments.models import (
    Assessment,
    EarlierAnswer,
    Membership,
    Participant,
    Reopening,
    Response,
    Upgrade,
    Vote,
)
from assessments.services import ParticipantEntry
from tests.assessments.upgrade_content import make_second_version
from tests.factories import answer_all

pytestmark = pytest.mark.django_db(transaction=True)


def test_starting_an_assessment_with_a_bad_participant_list_leaves_no_assessment(cast):
    with pytest.raises(IntegrityError):
        services.assessment_start(
            team=cast.team,
            started_by=cast.facilitator,
            held_on=datetime.date(2026, 5, 4),
            stage="installation",
            version=cast.version,
            participants=[ParticipantEntry("Jordan", "staff"), ParticipantEntry("Jordan", "staff")],
        )
    assert not Assessment.objects.exists() and not Participant.objects.exists()


def test_replacing_participants_with_a_bad_list_keeps_the_old_one(cast, open_assessment):
    Participant.objects.create(assessment=open_assessment, name="Kept", group="staff")
    with pytest.raises(IntegrityError):
        services.participants_replace(
            assessment=open_assessment,
            participants=[ParticipantEntry("Jordan", "staff"), ParticipantEntry("Jordan", "staff")],
        )
    assert list(Participant.objects.values_list("name", flat=True)) == ["Kept"]


def test_the_whole_workflow_runs_outside_any_outer_transaction(cast, open_assessment):
    """Every step locks the assessment row, which needs a transaction: each service must open its own."""
    code = cast.version.best_practices.order_by("code").first().code
    services.vote_record(assessment=open_assessment, member=cast.member, item_code=code, answer="2")
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=open_assessment.created_by)
    services.response_record(
        assessment=open_assessment, recorded_by=cast.facilitator, item_code=code, score=2, revision=0
    )
    services.response_record(
        assessment=open_assessment, recorded_by=cast.facilitator, item_code=code, score=1, revision=1
    )
    Response.objects.filter(item__code=code).delete()
    answer_all(open_assessment, cast.facilitator)
    services.participants_replace(assessment=open_assessment, participants=[ParticipantEntry("A", "staff")])
    services.assessment_complete(assessment=open_assessment, completed_by=cast.facilitator)
    services.assessment_reopen(assessment=open_assessment, reopened_by=cast.facilitator, reason="Typo")
    assert Vote.objects.count() == 1 and Reopening.objects.count() == 1
    assert Assessment.objects.get().in_consensus


def test_member_changes_lock_the_teams_facilitators(cast):
    services.membership_add(team=cast.team, identifier="mark", role="facilitator")
    services.membership_add(team=cast.team, identifier="mei", role="facilitator")
    services.membership_change_role(membership=cast.team.memberships.get(user=cast.member), role="member")
    services.membership_remove(membership=cast.team.memberships.get(user=cast.member2))
    assert set(Membership.objects.filter(team=cast.team).values_list("user__username", "role")) == {
        ("fiona", "facilitator"),
        ("mark", "member"),
    }


def test_every_query_of_a_service_runs_inside_its_transaction(cast, open_assessment):
    """SQLite ignores row locks, so this watches the transaction itself: a service that lost its
    `@transaction.atomic` would run its first queries in autocommit."""
    outside = []

    def watch(execute, sql, params, many, context):
        if not context["connection"].in_atomic_block and not sql.startswith("BEGIN"):
            outside.append(sql)
        return execute(sql, params, many, context)

    def inside(service, **kwargs):  # the arguments are read before the watch starts
        with connection.execute_wrapper(watch):
            return service(**kwargs)

    code = cast.version.best_practices.order_by("code").first().code
    team, assessment = cast.team, open_assessment
    inside(services.vote_record, assessment=assessment, member=cast.member, item_code=code, answer="2")
    inside(services.votes_record, assessment=assessment, member=cast.member2, answers=[(code, "1", "")])
    inside(services.assessment_reveal_votes, assessment=assessment, revealed_by=assessment.created_by)
    inside(
        services.response_record, assessment=assessment, recorded_by=cast.facilitator, item_code=code, score=2
    )
    inside(
        services.participants_replace, assessment=assessment, participants=[ParticipantEntry("A", "staff")]
    )
    inside(services.membership_add, team=team, identifier="mark", role="facilitator")
    inside(services.membership_change_role, membership=team.memberships.get(user=cast.member), role="member")
    inside(services.membership_add, team=team, identifier="mei", role="facilitator")
    inside(services.membership_remove, membership=team.memberships.get(user=cast.member2))
    Response.objects.all().delete()
    answer_all(assessment, cast.facilitator)
    inside(services.assessment_complete, assessment=assessment, completed_by=cast.facilitator)
    inside(services.assessment_reopen, assessment=assessment, reopened_by=cast.facilitator, reason="Typo")
    inside(
        services.assessment_upgrade,
        assessment=assessment,
        to_version=make_second_version(cast.version),
        upgraded_by=cast.facilitator,
    )
    assert outside == []


def test_an_upgrade_that_fails_halfway_leaves_the_assessment_as_it_was(cast, open_assessment, monkeypatch):
    """Votes are moved and earlier answers recorded before the answers move: a failure there undoes all."""
    v2 = make_second_version(cast.version)
    for code in ("D11-1", "D12-1"):
        services.vote_record(assessment=open_assessment, member=cast.member, item_code=code, answer="2")
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)
    for code in ("D11-1", "D12-1"):
        services.response_record(
            assessment=open_assessment, recorded_by=cast.facilitator, item_code=code, score=1
        )
    before = sorted(Vote.objects.values_list("item_id", "wording_changed"))

    def fail(*args, **kwargs):
        raise IntegrityError("the database went away")

    monkeypatch.setattr(Response, "save", fail)
    with pytest.raises(IntegrityError):
        services.assessment_upgrade(assessment=open_assessment, to_version=v2, upgraded_by=cast.facilitator)
    assert Assessment.objects.get().version_id == cast.version.pk
    assert sorted(Vote.objects.values_list("item_id", "wording_changed")) == before
    assert not Upgrade.objects.exists() and not EarlierAnswer.objects.exists()
    assert Response.objects.filter(item__version=cast.version).count() == 2
