"""The assessment workflow's rules, through the service functions."""

import datetime
from dataclasses import FrozenInstanceError

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import services
from assessments.models import (
    Assessment,
    Membership,
    OrganizationMembership,
    Participant,
    Reopening,
    Response,
    Vote,
)
from assessments.services import ParticipantEntry, StaleResponse
from drivers.services import version_retire
from tests.factories import (
    TeamFactory,
    UserFactory,
    add_member,
    answer_all,
    make_assessment,
    make_completed_assessment,
    make_version,
)

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


@pytest.mark.parametrize(
    "unpublished",
    [
        lambda: make_version(publish=False, framework_slug="drafts"),
        lambda: version_retire(version=make_version()),
    ],
    ids=["draft", "retired"],
)
def test_an_assessment_starts_only_on_a_published_version(cast, unpublished):
    with pytest.raises(ValidationError, match="published framework version"):
        services.assessment_start(
            team=cast.team,
            started_by=cast.facilitator,
            held_on=datetime.date.today(),
            stage="installation",
            version=unpublished(),
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
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=open_assessment.created_by)
    with pytest.raises(ValidationError, match="Voting has closed"):
        services.vote_record(
            assessment=open_assessment, member=cast.member, item_code=codes(cast.version)[0], answer="2"
        )


@pytest.fixture
def consensus(open_assessment):
    return services.assessment_reveal_votes(
        assessment=open_assessment, revealed_by=open_assessment.created_by
    )


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


def test_members_of_the_organization_are_added_by_username_or_email(cast):
    sister = TeamFactory(name="Sister", organization=cast.team.organization)
    membership = services.membership_add(team=sister, identifier="MARK@example.org", role="member")
    assert membership.user == cast.member
    with pytest.raises(ValidationError, match="Invite them by e-mail instead"):
        services.membership_add(team=sister, identifier="nobody", role="member")


# Consensus saves touch exactly one answer of one assessment.


def test_a_consensus_save_changes_only_its_own_item(cast, consensus):
    first, second, third = codes(cast.version)[:3]
    for code, score in ((first, 0), (second, 0), (third, 0)):
        record(consensus, cast.facilitator, code, score)
    record(consensus, cast.facilitator, second, 2, revision=1, evidence="Budget line")
    stored = {r.item.code: (r.score, r.revision, r.evidence) for r in Response.objects.select_related("item")}
    assert stored == {first: (0, 1, ""), second: (2, 2, "Budget line"), third: (0, 1, "")}


def test_a_consensus_save_changes_only_its_own_assessment(cast, consensus):
    other = make_assessment(team=cast.other_team, version=cast.version, by=cast.outsider, status="consensus")
    code = codes(cast.version)[0]
    record(consensus, cast.facilitator, code, 0)
    record(other, cast.facilitator, code, 0)
    record(consensus, cast.facilitator, code, 2, revision=1)
    assert Response.objects.get(assessment=other).score == 0
    assert (Response.objects.get(assessment=consensus).score, other.responses.get().revision) == (2, 1)


def test_a_consensus_save_records_who_and_returns_the_stored_row(cast, consensus):
    code = codes(cast.version)[0]
    record(consensus, cast.member, code, 1, evidence="  Minutes  ")
    saved = record(consensus, cast.facilitator, code, None, revision=1, na_reason="  No partners  ")
    assert (saved.recorded_by, saved.not_applicable, saved.score) == (cast.facilitator, True, None)
    assert (saved.na_reason, saved.evidence, saved.item.code) == ("No partners", "", code)
    assert Response.objects.get().na_reason == "No partners"


def test_a_scored_answer_drops_an_earlier_na_reason(cast, consensus):
    code = codes(cast.version)[0]
    record(consensus, cast.facilitator, code, None, na_reason="No partners")
    saved = record(consensus, cast.facilitator, code, 0, revision=1, na_reason="ignored")
    assert (saved.score, saved.not_applicable, saved.na_reason) == (0, False, "")


def test_the_stale_answer_names_who_kept_theirs(cast, consensus):
    code = codes(cast.version)[0]
    record(consensus, cast.member, code, 1)
    with pytest.raises(StaleResponse) as excinfo:
        record(consensus, cast.facilitator, code, 2, revision=5)
    assert excinfo.value.current.recorded_by == cast.member
    assert str(excinfo.value) == f"{code} was changed by mark meanwhile."


@pytest.mark.parametrize(("field", "limit"), [("na_reason", 1000), ("evidence", 4000)])
def test_notes_at_the_limit_are_kept(cast, consensus, field, limit):
    score = None if field == "na_reason" else 1
    saved = record(consensus, cast.facilitator, codes(cast.version)[0], score, **{field: "x" * limit})
    assert len(getattr(saved, field)) == limit


def test_an_na_reason_over_the_limit_is_refused(cast, consensus):
    with pytest.raises(ValidationError, match="The reason is 1001 characters long; the limit is 1000"):
        record(consensus, cast.facilitator, codes(cast.version)[0], None, na_reason="x" * 1001)
    assert not Response.objects.exists()


def test_a_consensus_answer_of_an_unknown_item_is_refused(cast, consensus):
    with pytest.raises(ValidationError, match="'XX-9' is not a best practice of this assessment's version"):
        record(consensus, cast.facilitator, "XX-9", 2)
    assert not Response.objects.exists()


# Completion, reveal and reopening: each only from the status it belongs to.


def test_completing_counts_only_this_assessments_version_and_answers(cast, consensus):
    bigger = make_version(framework_slug="bigger", drivers_per_category=3)
    other = make_assessment(team=cast.other_team, version=bigger, by=cast.outsider, status="consensus")
    answer_all(other, cast.facilitator)
    partial = codes(cast.version)[:-1]
    for code in partial:
        record(consensus, cast.facilitator, code, 2)
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    missing = codes(cast.version)[-1]
    assert excinfo.value.messages == [f"1 best practices have no consensus answer yet: {missing}."]
    record(consensus, cast.facilitator, missing, 1)
    completed = services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    assert completed.is_completed
    other.refresh_from_db()
    assert other.in_consensus


def test_completing_lists_the_first_eight_missing_items_in_framework_order(cast, consensus):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    assert excinfo.value.messages == [
        "12 best practices have no consensus answer yet: D11-1, D11-2, D11-3, D12-1, D12-2, D12-3, D21-1, "
        "D21-2 and 4 more."
    ]


def test_exactly_eight_missing_items_are_all_listed(cast, consensus):
    for code in codes(cast.version)[:4]:
        record(consensus, cast.facilitator, code, 2)
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    assert excinfo.value.messages == [
        "8 best practices have no consensus answer yet: "
        "D12-2, D12-3, D21-1, D21-2, D21-3, D22-1, D22-2, D22-3."
    ]


def test_completing_records_who_and_when(cast, consensus):
    answer_all(consensus, cast.facilitator)
    before = timezone.now()
    services.assessment_complete(assessment=consensus, completed_by=cast.member2)
    stored = Assessment.objects.get(pk=consensus.pk)
    assert stored.status == Assessment.Status.COMPLETED and stored.completed_by == cast.member2
    assert before <= stored.completed_at <= timezone.now()


def test_an_open_assessment_cannot_be_completed(cast, open_assessment):
    answer_all(open_assessment, cast.facilitator)
    with pytest.raises(ValidationError, match="Record the consensus answers before completing"):
        services.assessment_complete(assessment=open_assessment, completed_by=cast.facilitator)
    assert Assessment.objects.get(pk=open_assessment.pk).status == Assessment.Status.OPEN


def test_a_completed_assessment_cannot_be_completed_again(cast, consensus):
    answer_all(consensus, cast.facilitator)
    first = services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    with pytest.raises(ValidationError, match="already completed"):
        services.assessment_complete(assessment=consensus, completed_by=cast.member)
    stored = Assessment.objects.get(pk=consensus.pk)
    assert (stored.completed_by, stored.completed_at) == (cast.facilitator, first.completed_at)


@pytest.mark.parametrize("status", ["consensus", "completed"])
def test_only_an_open_assessment_can_be_revealed(cast, status):
    assessment = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status=status)
    with pytest.raises(ValidationError, match="Votes are already revealed"):
        services.assessment_reveal_votes(assessment=assessment, revealed_by=assessment.created_by)
    assert Assessment.objects.get(pk=assessment.pk).status == status


def test_revealing_moves_the_assessment_to_consensus(cast, open_assessment):
    revealed = services.assessment_reveal_votes(
        assessment=open_assessment, revealed_by=open_assessment.created_by
    )
    assert revealed.in_consensus
    assert Assessment.objects.get(pk=open_assessment.pk).status == Assessment.Status.CONSENSUS


@pytest.mark.parametrize("status", ["open", "consensus"])
def test_only_a_completed_assessment_can_be_reopened(cast, status):
    assessment = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status=status)
    with pytest.raises(ValidationError, match="Only a completed assessment can be reopened"):
        services.assessment_reopen(assessment=assessment, reopened_by=cast.facilitator, reason="Why not")
    assert Assessment.objects.get(pk=assessment.pk).status == status
    assert not Reopening.objects.exists()


def test_reopening_clears_who_completed_and_keeps_who_reopened(cast, consensus):
    answer_all(consensus, cast.facilitator)
    services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    services.assessment_reopen(assessment=consensus, reopened_by=cast.member, reason="  FA-2 evidence  ")
    stored = Assessment.objects.get(pk=consensus.pk)
    assert (stored.status, stored.completed_by, stored.completed_at) == ("consensus", None, None)
    reopening = Reopening.objects.get()
    assert (reopening.reopened_by, reopening.reason, reopening.assessment) == (
        cast.member,
        "FA-2 evidence",
        stored,
    )


def test_a_reopening_reason_over_the_limit_is_refused(cast, consensus):
    answer_all(consensus, cast.facilitator)
    services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    with pytest.raises(ValidationError, match="The reason is 4001 characters long; the limit is 4000"):
        services.assessment_reopen(assessment=consensus, reopened_by=cast.facilitator, reason="x" * 4001)
    assert Assessment.objects.get(pk=consensus.pk).is_completed and not Reopening.objects.exists()


# Participants


def test_participants_are_replaced_by_the_new_list(cast, open_assessment):
    Participant.objects.create(assessment=open_assessment, name="Old", group="staff")
    services.participants_replace(
        assessment=open_assessment,
        participants=[
            ParticipantEntry("Jordan", "recipient", "Parent"),
            ParticipantEntry("Fiona", "leadership"),
        ],
    )
    assert list(open_assessment.participants.values_list("name", "group", "role")) == [
        ("Jordan", "recipient", "Parent"),
        ("Fiona", "leadership", ""),
    ]


def test_participants_of_another_assessment_are_untouched(cast, open_assessment):
    other = make_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    Participant.objects.create(assessment=other, name="Kept", group="staff")
    services.participants_replace(assessment=open_assessment, participants=[])
    assert list(other.participants.values_list("name", flat=True)) == ["Kept"]


def test_participants_of_a_completed_assessment_cannot_change(cast):
    completed = make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    Participant.objects.create(assessment=completed, name="Kept", group="staff")
    with pytest.raises(ValidationError, match="completed; reopen it to change who took part"):
        services.participants_replace(assessment=completed, participants=[ParticipantEntry("New", "staff")])
    assert list(completed.participants.values_list("name", flat=True)) == ["Kept"]


@pytest.mark.parametrize("status", ["open", "consensus"])
def test_participants_can_change_until_completion(cast, status):
    assessment = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status=status)
    services.participants_replace(assessment=assessment, participants=[ParticipantEntry("New", "staff")])
    assert list(assessment.participants.values_list("name", flat=True)) == ["New"]


# Members


def test_a_member_is_added_by_username_with_the_role_given(cast):
    sister = TeamFactory(name="Sister", organization=cast.team.organization)
    membership = services.membership_add(team=sister, identifier="  Mei ", role="facilitator")
    assert (membership.user, membership.role, membership.team) == (cast.member2, "facilitator", sister)
    assert Membership.objects.get(team=sister, user=cast.member2).role == "facilitator"


def test_adding_an_existing_member_changes_their_role(cast):
    services.membership_add(team=cast.team, identifier="mark", role="facilitator")
    assert cast.team.memberships.get(user=cast.member).role == "facilitator"
    assert cast.team.memberships.filter(user=cast.member).count() == 1


def test_an_identifier_matching_two_people_is_refused(cast):
    for person in (UserFactory(username="sam", email="shared@example.org"),
                   UserFactory(username="shared@example.org", email="other@example.org")):  # fmt: skip
        OrganizationMembership.objects.create(organization=cast.team.organization, user=person)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(team=cast.team, identifier="shared@example.org", role="member")
    assert excinfo.value.messages == [
        f"'shared@example.org' is not a member of {cast.team.organization.name} whom you can add here. "
        "Invite them by e-mail instead."
    ]
    assert cast.team.memberships.count() == 3


def test_an_unknown_person_gets_a_message_naming_what_was_typed(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(team=cast.team, identifier="nobody", role="member")
    assert excinfo.value.messages == [
        f"'nobody' is not a member of {cast.team.organization.name} whom you can add here. "
        "Invite them by e-mail instead."
    ]


def test_a_facilitator_can_step_down_when_another_remains(cast):
    services.membership_add(team=cast.team, identifier="mark", role="facilitator")
    fiona = cast.team.memberships.get(user=cast.facilitator)
    services.membership_change_role(membership=fiona, role="member")
    assert cast.team.memberships.get(user=cast.facilitator).role == "member"
    services.membership_remove(membership=cast.team.memberships.get(user=cast.facilitator))
    assert not cast.team.memberships.filter(user=cast.facilitator).exists()


def test_another_teams_facilitator_does_not_count(cast):
    add_member(cast.other_team, cast.member, "facilitator")
    fiona = cast.team.memberships.get(user=cast.facilitator)
    with pytest.raises(ValidationError, match="A team needs at least one facilitator"):
        services.membership_remove(membership=fiona)
    assert cast.team.memberships.filter(user=cast.facilitator).exists()


def test_members_are_removed_and_promoted_freely(cast):
    mark = cast.team.memberships.get(user=cast.member)
    services.membership_change_role(membership=mark, role="facilitator")
    assert cast.team.memberships.get(user=cast.member).role == "facilitator"
    services.membership_remove(membership=cast.team.memberships.get(user=cast.member2))
    assert set(cast.team.memberships.values_list("user__username", flat=True)) == {"fiona", "mark"}


def test_a_role_outside_the_choices_is_refused(cast):
    mark = cast.team.memberships.get(user=cast.member)
    with pytest.raises(ValidationError):
        services.membership_change_role(membership=mark, role="owner")
    assert cast.team.memberships.get(user=cast.member).role == "member"


# Votes


def test_a_vote_keeps_its_comment_trimmed_and_belongs_to_its_member_and_assessment(cast, open_assessment):
    other = make_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    code = codes(cast.version)[0]
    services.vote_record(assessment=other, member=cast.member, item_code=code, answer="0")
    services.vote_record(assessment=open_assessment, member=cast.member2, item_code=code, answer="1")
    vote = services.vote_record(
        assessment=open_assessment, member=cast.member, item_code=code, answer="dk", comment="  Ask HR "
    )
    assert (vote.answer, vote.comment, vote.item.code) == ("dk", "Ask HR", code)
    stored = set(Vote.objects.values_list("assessment_id", "member__username", "answer"))
    assert stored == {
        (other.pk, "mark", "0"),
        (open_assessment.pk, "mei", "1"),
        (open_assessment.pk, "mark", "dk"),
    }


def test_a_comment_at_the_limit_is_kept(cast, open_assessment):
    vote = services.vote_record(
        assessment=open_assessment,
        member=cast.member,
        item_code=codes(cast.version)[0],
        answer="2",
        comment="x" * 1000,
    )
    assert len(vote.comment) == 1000


def test_a_completed_assessment_takes_no_votes(cast):
    completed = make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    with pytest.raises(ValidationError, match="Voting has closed"):
        services.vote_record(assessment=completed, member=cast.member, item_code="D11-1", answer="2")
    assert not Vote.objects.exists()


def test_nine_missing_items_name_eight_and_one_more(cast, consensus):
    for code in codes(cast.version)[:3]:
        record(consensus, cast.facilitator, code, 2)
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_complete(assessment=consensus, completed_by=cast.facilitator)
    assert excinfo.value.messages[0].endswith("D21-3, D22-1, D22-2 and 1 more.")


def test_a_negative_revision_is_refused(cast, consensus):
    with pytest.raises(ValidationError, match="not a revision"):
        record(consensus, cast.facilitator, codes(cast.version)[0], 2, revision=-1)
    assert not Response.objects.exists()


def test_the_last_facilitator_may_keep_their_role(cast):
    fiona = cast.team.memberships.get(user=cast.facilitator)
    services.membership_change_role(membership=fiona, role="facilitator")
    assert cast.team.memberships.get(user=cast.facilitator).role == "facilitator"


def test_a_long_list_of_missing_items_counts_the_rest(cast):
    version = make_version(framework_slug="large", items_per_driver=4)  # 16 items
    assessment = make_assessment(team=cast.team, version=version, by=cast.facilitator, status="consensus")
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_complete(assessment=assessment, completed_by=cast.facilitator)
    assert excinfo.value.messages[0].startswith("16 best practices have no consensus answer yet: D11-1, ")
    assert excinfo.value.messages[0].endswith(", D12-4 and 8 more.")


def test_a_person_whose_username_is_their_email_is_found_by_it(cast):
    sam = UserFactory(username="sam@example.org", email="sam@example.org")
    OrganizationMembership.objects.create(organization=cast.team.organization, user=sam)
    membership = services.membership_add(team=cast.team, identifier="sam@example.org", role="member")
    assert membership.user.username == "sam@example.org"


def test_a_first_save_that_claims_a_revision_is_refused(cast, consensus):
    with pytest.raises(ValidationError, match="no longer what you loaded"):
        record(consensus, cast.facilitator, codes(cast.version)[0], 2, revision=3)
    assert not Response.objects.exists()


def test_a_participant_entry_is_a_value():
    entry = ParticipantEntry("Jordan", "recipient")
    with pytest.raises(FrozenInstanceError):
        entry.name = "Sam"
    assert entry == ParticipantEntry("Jordan", "recipient", "")


def test_a_whole_sheet_saves_new_and_changed_votes_and_leaves_the_rest(cast, open_assessment):
    for code, answer in (("D11-1", "0"), ("D11-2", "1"), ("D12-1", "2")):
        services.vote_record(assessment=open_assessment, member=cast.member, item_code=code, answer=answer)
    untouched = Vote.objects.get(item__code="D11-2").updated_at
    services.votes_record(
        assessment=open_assessment,
        member=cast.member,
        answers=[("D11-1", "2", " Plan "), ("D11-2", "1", ""), ("D12-1", "0", ""), ("D11-3", "dk", "")],
    )
    stored = dict(Vote.objects.values_list("item__code", "answer"))
    assert stored == {"D11-1": "2", "D11-2": "1", "D12-1": "0", "D11-3": "dk"}  # up, same, down, new
    assert Vote.objects.get(item__code="D11-1").comment == "Plan"
    assert Vote.objects.get(item__code="D11-2").updated_at == untouched  # an unchanged vote is not rewritten


def test_a_whole_sheet_with_one_bad_answer_saves_nothing_and_names_each_bad_item(cast, open_assessment):
    with pytest.raises(ValidationError) as excinfo:
        services.votes_record(
            assessment=open_assessment,
            member=cast.member,
            answers=[("D11-1", "2", ""), ("D11-2", "7", ""), ("XX-1", "1", ""), ("D11-3", "1", "x" * 1001)],
        )
    assert excinfo.value.message_dict == {
        "D11-2": ["'7' is not an answer; choose 2, 1, 0 or don't know."],
        "XX-1": ["'XX-1' is not a best practice of this assessment's version."],
        "D11-3": ["The comment is 1001 characters long; the limit is 1000."],
    }
    assert not Vote.objects.exists()
