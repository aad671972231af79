"""The assessment workflow's rules, through the service functions."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import Assessment, Reopening, Response, Vote
from assessments.services import ParticipantEntry, StaleResponse
from tests.factories import answer_all, make_version

pytestmark = pytest.mark.django_db


def codes(version):
    return list(version.best_practices.order_by("code").values_list("code", flat=True))


def test_starting_pins_the_version_and_records_participants(cast):
    assessment = services.assessment_start(
        team=cast.team,
        started_by=cast.facilitator,
        held_on=datetime.date(2026, 5, 4),
        stage="installation",
        version=cast.version,
        participants=[
            ParticipantEntry("Jordan", "recipient", "Parent"),
            ParticipantEntry("Fiona", "leadership"),
        ],
    )
    assert assessment.version == cast.version and assessment.status == Assessment.Status.OPEN
    assert list(assessment.participants.values_list("name", "group")) == [
        ("Jordan", "recipient"),
        ("Fiona", "leadership"),
    ]


def test_an_assessment_cannot_start_on_a_draft_version(cast):
    draft = make_version(publish=False, framework_slug="drafts")
    with pytest.raises(ValidationError, match="published framework version"):
        services.assessment_start(
            team=cast.team,
            started_by=cast.facilitator,
            held_on=datetime.date.today(),
            stage="installation",
            version=draft,
            participants=[],
        )
    assert not Assessment.objects.exists()


def test_voting_twice_on_an_item_keeps_one_vote(cast, open_assessment):
    code = codes(cast.version)[0]
    for answer in ("1", "2"):
        services.vote_record(assessment=open_assessment, member=cast.member, item_code=code, answer=answer)
    assert list(Vote.objects.values_list("answer", flat=True)) == ["2"]


@pytest.mark.parametrize(
    ("answer", "code", "message"),
    [
        ("3", None, "is not an answer"),
        ("", None, "is not an answer"),
        ("2", "XX-1", "is not a best practice of this assessment's version"),
    ],
)
def test_bad_votes_are_refused_and_change_nothing(cast, open_assessment, answer, code, message):
    with pytest.raises(ValidationError, match=message):
        services.vote_record(
            assessment=open_assessment,
            member=cast.member,
            item_code=code or codes(cast.version)[0],
            answer=answer,
        )
    assert not Vote.objects.exists()


def test_an_item_of_another_version_is_refused(cast, open_assessment):
    other = make_version(framework_slug="other", drivers_per_category=3)
    foreign = other.best_practices.exclude(code__in=codes(cast.version)).first()
    with pytest.raises(ValidationError, match="is not a best practice of this assessment's version"):
        services.vote_record(
            assessment=open_assessment, member=cast.member, item_code=foreign.code, answer="2"
        )
    assert not Vote.objects.exists()


def test_a_comment_over_the_limit_is_refused(cast, open_assessment):
    with pytest.raises(ValidationError, match="limit is 1000"):
        services.vote_record(
            assessment=open_assessment,
            member=cast.member,
            item_code=codes(cast.version)[0],
            answer="2",
            comment="x" * 1001,
        )
    assert not Vote.objects.exists()


def test_votes_close_when_revealed(cast, open_assessment):
    services.assessment_reveal_votes(assessment=open_assessment)
    with pytest.raises(ValidationError, match="Voting has closed"):
        services.vote_record(
            assessment=open_assessment, member=cast.member, item_code=codes(cast.version)[0], answer="2"
        )


@pytest.fixture
def consensus(open_assessment):
    return services.assessment_reveal_votes(assessment=open_assessment)


def record(assessment, user, code, score, revision=0, **kwargs):
    return services.response_record(
        assessment=assessment, recorded_by=user, item_code=code, score=score, revision=revision, **kwargs
    )


def test_a_consensus_answer_is_saved_and_its_revision_moves_on(cast, consensus):
    code = codes(cast.version)[0]
    first = record(consensus, cast.facilitator, code, 1, evidence="Minutes of March")
    assert (first.score, first.revision, first.evidence) == (1, 1, "Minutes of March")
    second = record(consensus, cast.facilitator, code, 2, revision=1)
    assert (second.score, second.revision) == (2, 2)
    assert Response.objects.count() == 1


def test_a_stale_save_is_refused_and_shows_the_current_answer(cast, consensus):
    code = codes(cast.version)[0]
    record(consensus, cast.facilitator, code, 1)
    record(consensus, cast.facilitator, code, 2, revision=1)
    with pytest.raises(StaleResponse) as excinfo:
        record(consensus, cast.facilitator, code, 0, revision=1)
    assert excinfo.value.current.score == 2
    assert Response.objects.get().score == 2


def test_two_first_saves_of_one_item_keep_the_first(cast, consensus):
    code = codes(cast.version)[0]
    record(consensus, cast.facilitator, code, 1)
    with pytest.raises(StaleResponse):
        record(consensus, cast.facilitator, code, 0, revision=0)
    assert Response.objects.get().score == 1


def test_not_applicable_needs_a_reason(cast, consensus):
    with pytest.raises(ValidationError, match="needs a reason"):
        record(consensus, cast.facilitator, codes(cast.version)[0], None, na_reason="  ")
    assert not Response.objects.exists()
    response = record(consensus, cast.facilitator, codes(cast.version)[0], None, na_reason="No partners yet")
    assert response.not_applicable and response.score is None


@pytest.mark.parametrize(
    ("score", "kwargs", "message"),
    [
        (3, {}, "is not a score"),
        (-1, {}, "is not a score"),
        (1, {"evidence": "x" * 4001}, "limit is 4000"),
    ],
)
def test_bad_consensus_answers_are_refused(cast, consensus, score, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        record(consensus, cast.facilitator, codes(cast.version)[0], score, **kwargs)
    assert not Response.objects.exists()


def test_consensus_cannot_be_recorded_before_votes_are_revealed(cast, open_assessment):
    with pytest.raises(ValidationError, match="Reveal the votes"):
        record(open_assessment, cast.facilitator, codes(cast.version)[0], 2)


def test_completing_needs_every_item_answered(cast, consensus):
    record(consensus, cast.facilitator, codes(cast.version)[0], 2)
    with pytest.raises(ValidationError, match="11 best practices have no consensus answer yet"):
        services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    assert Assessment.objects.get(pk=consensus.pk).status == Assessment.Status.CONSENSUS


def test_completing_locks_the_answers(cast, consensus):
    answer_all(consensus, cast.facilitator)
    services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    consensus.refresh_from_db()
    assert consensus.is_completed and consensus.completed_by == cast.facilitator
    with pytest.raises(ValidationError, match="completed; reopen it"):
        record(consensus, cast.facilitator, codes(cast.version)[0], 2, revision=1)
    assert set(Response.objects.values_list("score", flat=True)) == {1}


def test_reopening_needs_a_reason_and_is_recorded(cast, consensus):
    answer_all(consensus, cast.facilitator)
    services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    with pytest.raises(ValidationError, match="Say why"):
        services.assessment_reopen(assessment=consensus, reopened_by=cast.facilitator, reason=" ")
    services.assessment_reopen(
        assessment=consensus, reopened_by=cast.facilitator, reason="FA-2 evidence was wrong"
    )
    consensus.refresh_from_db()
    assert consensus.in_consensus and consensus.completed_at is None
    assert Reopening.objects.get().reason == "FA-2 evidence was wrong"


def test_the_last_facilitator_cannot_be_removed_or_demoted(cast):
    membership = cast.team.memberships.get(user=cast.facilitator)
    with pytest.raises(ValidationError, match="at least one facilitator"):
        services.membership_remove(membership=membership)
    with pytest.raises(ValidationError, match="at least one facilitator"):
        services.membership_change_role(membership=membership, role="member")
    assert cast.team.memberships.get(user=cast.facilitator).role == "facilitator"


def test_members_are_added_by_username_or_email(cast):
    membership = services.membership_add(team=cast.other_team, identifier="MARK@example.org", role="member")
    assert membership.user == cast.member
    with pytest.raises(ValidationError, match="No user has the username or email"):
        services.membership_add(team=cast.other_team, identifier="nobody", role="member")
