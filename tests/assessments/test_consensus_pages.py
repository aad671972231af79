"""Consensus in the browser: the board, saving answers, stale saves, meeting mode, completing."""

import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Response, Vote
from tests.factories import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def revealed(cast, open_assessment):
    items = {item.code: item for item in cast.version.best_practices.all()}
    # D11-1: members two points apart; D11-2: someone does not know; D11-3: agreement.
    for member, answers in (
        (cast.member, {"D11-1": "2", "D11-2": "1", "D11-3": "1"}),
        (cast.member2, {"D11-1": "0", "D11-2": "dk", "D11-3": "1"}),
    ):
        for code, answer in answers.items():
            Vote.objects.create(assessment=open_assessment, item=items[code], member=member, answer=answer)
    return services.assessment_reveal_votes(
        assessment=open_assessment, revealed_by=open_assessment.created_by
    )


@pytest.fixture
def facilitator_client(client, cast):
    client.force_login(cast.facilitator)
    return client


def save(client, assessment, code, htmx=True, **data):
    fields = {f"{code}-{key}": value for key, value in data.items()}
    fields.setdefault(f"{code}-revision", "0")
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("assessments:response_save", args=[assessment.pk, code]), fields, **extra)


def test_the_board_puts_disagreements_first_and_names_who_did_not_vote(facilitator_client, revealed):
    page = facilitator_client.get(reverse("assessments:consensus", args=[revealed.pk])).content.decode()
    assert page.index('id="item-D11-1"') < page.index('id="item-D11-3"')
    assert page.index('id="item-D11-2"') < page.index('id="item-D11-3"')
    assert "2 to discuss first" in page
    assert "Did not vote: Mark, Mei" in page  # on items nobody voted on, by name


def test_a_voter_without_a_name_is_named_by_username(facilitator_client, cast, revealed):
    cast.member.first_name = cast.member.last_name = ""
    cast.member.save()
    cast.member2.last_name = "Chen"
    cast.member2.save()
    page = facilitator_client.get(reverse("assessments:consensus", args=[revealed.pk])).content.decode()
    assert "Did not vote: mark, Mei Chen" in page


def test_a_consensus_answer_saves_with_evidence(facilitator_client, revealed):
    response = save(facilitator_client, revealed, "D11-1", score="1", evidence="Budget line 4.2")
    assert response.status_code == 200 and "Saved" in response.content.decode()
    saved = Response.objects.get()
    assert (saved.score, saved.evidence, saved.revision) == (1, "Budget line 4.2", 1)


def test_an_autosave_on_the_board_returns_the_item_with_the_time_and_the_next_revision(
    facilitator_client, revealed
):
    response = save(facilitator_client, revealed, "D11-1", score="1")
    body = response.content.decode()
    assert body.startswith('<article class="consensus-item') and 'id="item-D11-1"' in body
    assert re.search(r'class="save-state small saved" role="status">Saved \d\d:\d\d<', body)
    assert 'name="D11-1-revision" value="1"' in body  # the next autosave builds on this one
    assert 'data-autosave="/assessments/' in body and 'data-autosave-target="#item-D11-1"' in body


def meeting_save(client, assessment, code, next_code="D11-2", **data):
    fields = {f"{code}-{key}": value for key, value in data.items()}
    fields.update({"from": "meeting", "next_code": next_code})
    url = reverse("assessments:response_save", args=[assessment.pk, code])
    return client.post(url, fields, HTTP_HX_REQUEST="true")


def test_an_autosave_in_meeting_mode_returns_its_form_alone_with_the_next_revision(
    facilitator_client, revealed
):
    """Meeting mode replaces only its form: the autosave that follows must carry the fresh revision, or it
    would be refused as stale against the facilitator's own save."""
    for revision in (0, 1):
        response = meeting_save(facilitator_client, revealed, "D11-1", score="1", revision=str(revision))
        assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<form method="post"') and "<article" not in body
    assert 'name="D11-1-revision" value="2"' in body
    assert '<input type="hidden" name="from" value="meeting">' in body
    assert '<input type="hidden" name="next_code" value="D11-2">' in body
    assert 'data-autosave-then="#next-item"' in body and "Save and go to next" in body
    assert re.search(r"Saved \d\d:\d\d</span>", body)
    assert Response.objects.get().revision == 2


def test_a_stale_autosave_in_meeting_mode_keeps_the_entry_and_names_whose_answer_is_kept(
    facilitator_client, cast, revealed
):
    services.response_record(
        assessment=revealed, recorded_by=cast.member, item_code="D11-1", score=2, revision=0
    )
    response = meeting_save(facilitator_client, revealed, "D11-1", score="0", evidence="Ours", revision="0")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Mark saved this answer meanwhile (now: In place)" in body
    assert 'value="0" checked' in body and ">Ours</textarea>" in body
    assert 'name="D11-1-revision" value="1"' in body and 'name="from" value="meeting"' in body
    assert Response.objects.get().score == 2


def test_the_last_item_in_meeting_mode_has_nowhere_to_go_after_saving(facilitator_client, revealed):
    body = meeting_save(facilitator_client, revealed, "D11-1", next_code="", score="1").content.decode()
    assert "data-autosave-then" not in body and "Save and go to next" not in body and ">Save</button>" in body


def test_a_plain_post_redirects_back_to_the_item(facilitator_client, revealed):
    response = save(facilitator_client, revealed, "D11-1", htmx=False, score="2")
    assert response.status_code == 302 and response["Location"].endswith("#item-D11-1")


def test_a_stale_save_is_refused_with_the_current_answer_and_keeps_the_entry(
    facilitator_client, cast, revealed
):
    save(facilitator_client, revealed, "D11-1", score="2")
    response = save(facilitator_client, revealed, "D11-1", score="0", evidence="My notes", revision="0")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Fiona saved this answer meanwhile (now: In place)" in body  # named as pages name people
    assert 'value="0" checked' in body and "My notes" in body  # the editor's entry is not thrown away
    assert 'name="D11-1-revision" value="1"' in body  # saving again is a deliberate overwrite
    assert Response.objects.get().score == 2


def test_na_without_a_reason_is_refused(facilitator_client, revealed):
    response = save(facilitator_client, revealed, "D11-1", score="na", na_reason="")
    assert response.status_code == 422
    assert "Say why this best practice does not apply" in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"score": "5"}, "Select a valid choice"),
        ({"score": "1", "evidence": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_bad_answers_are_refused_with_a_message(facilitator_client, revealed, data, message):
    response = save(facilitator_client, revealed, "D11-1", **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Response.objects.exists()


def test_an_item_outside_the_version_is_404(facilitator_client, revealed):
    assert save(facilitator_client, revealed, "ZZ-1", score="1").status_code == 404


def test_completing_with_items_missing_says_which(facilitator_client, revealed):
    response = facilitator_client.post(reverse("assessments:complete", args=[revealed.pk]), follow=True)
    assert "12 best practices have no consensus answer yet: D11-1, D11-2" in response.content.decode()
    assert Assessment.objects.get(pk=revealed.pk).status == Assessment.Status.CONSENSUS


def test_completing_then_writing_is_refused(facilitator_client, cast, revealed):
    answer_all(revealed, cast.facilitator)
    facilitator_client.post(reverse("assessments:complete", args=[revealed.pk]))
    assert Assessment.objects.get(pk=revealed.pk).is_completed
    response = save(facilitator_client, revealed, "D11-1", score="0", revision="1")
    assert response.status_code == 422 and "reopen it" in response.content.decode()
    assert Response.objects.get(item__code="D11-1").score == 1


def test_reopening_shows_who_when_and_why(facilitator_client, cast, revealed):
    answer_all(revealed, cast.facilitator)
    facilitator_client.post(reverse("assessments:complete", args=[revealed.pk]))
    response = facilitator_client.post(
        reverse("assessments:reopen", args=[revealed.pk]),
        {"reason": "Evidence for FA-2 was wrong"},
        follow=True,
    )
    page = response.content.decode()
    assert "Evidence for FA-2 was wrong" in page and "fiona" in page.lower()
    assert Assessment.objects.get(pk=revealed.pk).in_consensus


def test_reopening_without_a_reason_changes_nothing(facilitator_client, cast, revealed):
    answer_all(revealed, cast.facilitator)
    facilitator_client.post(reverse("assessments:complete", args=[revealed.pk]))
    response = facilitator_client.post(
        reverse("assessments:reopen", args=[revealed.pk]), {"reason": ""}, follow=True
    )
    assert "Say why the assessment is reopened" in response.content.decode()
    assert Assessment.objects.get(pk=revealed.pk).is_completed


def test_meeting_mode_starts_at_the_first_unanswered_item_and_moves_on_after_a_save(
    facilitator_client, revealed
):
    response = facilitator_client.get(reverse("assessments:meeting", args=[revealed.pk]))
    assert response["Location"].endswith("/meeting/D11-1/")
    page = facilitator_client.get(response["Location"]).content.decode()
    assert 'id="next-item"' in page and "item 1 of 12" in page
    response = facilitator_client.post(
        reverse("assessments:response_save", args=[revealed.pk, "D11-1"]),
        {"D11-1-score": "2", "D11-1-revision": "0", "from": "meeting", "next_code": "D11-2"},
    )
    assert response["Location"].endswith("/meeting/D11-2/")


def test_the_team_can_skip_voting_and_record_consensus_directly(facilitator_client, cast, open_assessment):
    facilitator_client.post(reverse("assessments:reveal", args=[open_assessment.pk]))
    assert save(facilitator_client, open_assessment, "D11-1", score="2").status_code == 200
