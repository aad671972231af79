"""Status changes that ask first and say what the facilitator should know; one assessment under way per
team; the vote sheet after the reveal."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Reopening, Vote
from tests.factories import answer_all, make_assessment, make_completed_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(client, cast):
    client.force_login(cast.facilitator)
    return client


def test_revealing_asks_first_and_names_who_has_not_finished(facilitator, cast, open_assessment):
    codes = list(cast.version.best_practices.values_list("code", flat=True))
    for code in codes:
        services.vote_record(assessment=open_assessment, member=cast.member, item_code=code, answer="1")
    services.vote_record(assessment=open_assessment, member=cast.member2, item_code=codes[0], answer="2")
    page = facilitator.get(reverse("assessments:reveal", args=[open_assessment.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Reveal the votes?" in text
    assert "Mei has 11 items left" in text and "Mark has" not in text
    open_assessment.refresh_from_db()
    assert open_assessment.is_open  # asking changed nothing


def test_revealing_when_everyone_has_voted_says_so(facilitator, cast, open_assessment):
    for member in (cast.member, cast.member2):
        for code in cast.version.best_practices.values_list("code", flat=True):
            services.vote_record(assessment=open_assessment, member=member, item_code=code, answer="1")
    text = facilitator.get(reverse("assessments:reveal", args=[open_assessment.pk])).content.decode()
    assert "All 2 members have voted on every best practice." in text


def test_revealing_records_when_voting_closed(facilitator, cast, open_assessment):
    response = facilitator.post(reverse("assessments:reveal", args=[open_assessment.pk]))
    assert response.status_code == 302
    open_assessment.refresh_from_db()
    assert open_assessment.in_consensus and open_assessment.revealed_at is not None


def test_completing_asks_first_and_lists_what_is_missing(facilitator, cast):
    assessment = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, status="consensus"
    )
    services.response_record(assessment=assessment, recorded_by=cast.facilitator, item_code="D11-1", score=2)
    text = facilitator.get(reverse("assessments:complete", args=[assessment.pk])).content.decode()
    assert "1 of 12 best practices have a consensus answer." in text
    assert "D11-2" in text and "Statement D22-3." in text
    assert '<button class="btn btn-success">' not in text  # nothing to confirm while items are missing
    assert Assessment.objects.get(pk=assessment.pk).in_consensus


def test_completing_confirms_when_every_item_is_answered(facilitator, cast):
    assessment = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, status="consensus"
    )
    answer_all(assessment, cast.facilitator)
    text = facilitator.get(reverse("assessments:complete", args=[assessment.pk])).content.decode()
    assert (
        "12 of 12 best practices have a consensus answer." in text and "Completing locks every answer" in text
    )
    facilitator.post(reverse("assessments:complete", args=[assessment.pk]))
    assert Assessment.objects.get(pk=assessment.pk).is_completed


def test_reopening_asks_first_with_the_reason(facilitator, cast):
    completed = make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    text = facilitator.get(reverse("assessments:reopen", args=[completed.pk])).content.decode()
    assert "Reopen the assessment?" in text and 'name="reason"' in text
    assert Assessment.objects.get(pk=completed.pk).is_completed
    facilitator.post(reverse("assessments:reopen", args=[completed.pk]), {"reason": "Wrong evidence on FA-2"})
    assert Reopening.objects.get().reason == "Wrong evidence on FA-2"


@pytest.mark.parametrize("who", ["member", "coach", "admin"])
@pytest.mark.parametrize("action", ["reveal", "complete", "reopen"])
def test_only_the_facilitator_is_asked(client, cast, open_assessment, who, action):
    client.force_login(getattr(cast, who))
    assert client.get(reverse(f"assessments:{action}", args=[open_assessment.pk])).status_code == 403


# One assessment under way per team


def test_a_team_cannot_start_a_second_assessment_while_one_is_under_way(facilitator, cast, open_assessment):
    url = reverse("assessments:assessment_start", args=[cast.team.pk])
    page = facilitator.get(url)
    link = reverse("assessments:assessment_detail", args=[open_assessment.pk])
    assert "already has an assessment under way" in page.content.decode() and link in page.content.decode()
    response = facilitator.post(
        url,
        {
            "held_on": "2026-06-01",
            "stage": "installation",
            "version": cast.version.pk,
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 409 and link in response.content.decode()
    assert Assessment.objects.filter(team=cast.team).count() == 1


def test_the_database_holds_one_unfinished_assessment_per_team(cast, open_assessment):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="consensus")
    make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="completed")
    assert Assessment.objects.filter(team=cast.team).count() == 2


def test_a_completed_assessment_cannot_be_reopened_while_another_is_under_way(cast, open_assessment):
    completed = make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    with pytest.raises(services.UnfinishedAssessment):
        services.assessment_reopen(assessment=completed, reopened_by=cast.facilitator, reason="Typo")
    assert Assessment.objects.get(pk=completed.pk).is_completed and not Reopening.objects.exists()


def test_the_start_form_offers_the_teams_last_stage(facilitator, cast):
    make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        stage="full",
        held_on=datetime.date(2026, 1, 5),
    )
    make_completed_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        stage="initial",
        held_on=datetime.date(2026, 5, 5),
    )
    page = facilitator.get(reverse("assessments:assessment_start", args=[cast.team.pk])).content.decode()
    assert '<option value="initial" selected>' in page


# The vote sheet after the reveal


def test_after_the_reveal_the_vote_sheet_is_read_only_and_says_when_voting_closed(
    client, cast, open_assessment
):
    services.vote_record(
        assessment=open_assessment, member=cast.member, item_code="D11-1", answer="2", comment="Budget"
    )
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=open_assessment.created_by)
    client.force_login(cast.member)
    page = client.get(reverse("assessments:vote", args=[open_assessment.pk])).content.decode()
    assert "Voting closed on" in page and reverse("assessments:consensus", args=[open_assessment.pk]) in page
    assert 'type="radio"' not in page and "Save all" not in page and "<textarea" not in page
    assert "In place" in page and "Budget" in page and "You did not vote on this best practice." in page


def test_a_plain_post_after_the_reveal_saves_nothing_and_says_why(client, cast, open_assessment):
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=open_assessment.created_by)
    client.force_login(cast.member)
    response = client.post(
        reverse("assessments:vote", args=[open_assessment.pk]), {"answer-D11-1": "2"}, follow=True
    )
    assert "Voting has closed" in response.content.decode()
    assert not Vote.objects.exists()
