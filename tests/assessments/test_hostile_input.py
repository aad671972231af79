"""Input no form offers (NUL characters, malformed codes, out-of-range numbers, a next item that is not
the assessment's) gets a 4xx and a clear message, never a 500, and changes nothing it should not."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.actions.models import Comment
from assessments.models import Response, Vote
from tests.factories import make_completed_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.member)
    return client


@pytest.fixture
def facilitator(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.facilitator)
    return client


def test_a_nul_in_a_vote_comment_is_refused_by_name_and_nothing_is_saved(member, open_assessment):
    url = reverse("assessments:vote_item", args=[open_assessment.pk, "D11-1"])
    response = member.post(url, {"answer-D11-1": "2", "comment-D11-1": "a\x00b"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "NUL character" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_nul_in_the_whole_vote_sheet_refuses_the_sheet(member, open_assessment):
    url = reverse("assessments:vote", args=[open_assessment.pk])
    response = member.post(url, {"answer-D11-1": "2", "comment-D11-1": "a\x00b", "answer-D11-2": "1"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_nul_in_evidence_is_refused_and_nothing_is_saved(facilitator, cast, open_assessment):
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)
    url = reverse("assessments:response_save", args=[open_assessment.pk, "D11-1"])
    response = facilitator.post(
        url, {"D11-1-score": "2", "D11-1-revision": "0", "D11-1-evidence": "x\x00y"}, HTTP_HX_REQUEST="true"
    )
    assert 400 <= response.status_code < 500
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/assessments/{pk}/results/%00/",
        "/assessments/{pk}/results/FA%2F1/",
        "/assessments/{pk}/meeting/a%00b/",
        "/assessments/{pk}/results/" + "X" * 13 + "/",
    ],
)
def test_a_malformed_code_in_a_url_is_404(facilitator, open_assessment, path):
    assert facilitator.get(path.format(pk=open_assessment.pk)).status_code == 404


def test_a_malformed_code_posted_to_is_404_and_saves_nothing(member, open_assessment):
    response = member.post(f"/assessments/{open_assessment.pk}/vote/a%00b/", {"answer-a\x00b": "2"})
    assert response.status_code == 404
    assert not Vote.objects.exists()


def test_an_organization_number_out_of_range_is_ignored_not_a_500(client, cast):
    client.force_login(cast.coach)
    response = client.get(reverse("assessments:portfolio"), {"organization": "9" * 30})
    assert response.status_code == 200


@pytest.mark.parametrize("next_code", ["a/b", "ZZ-99", "\x00"])
def test_meeting_mode_with_a_next_item_not_of_the_assessment_saves_and_stays(
    facilitator, cast, open_assessment, next_code
):
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)
    response = facilitator.post(
        reverse("assessments:response_save", args=[open_assessment.pk, "D11-1"]),
        {"D11-1-score": "2", "D11-1-revision": "0", "from": "meeting", "next_code": next_code},
    )
    assert response.status_code == 302 and response["Location"].endswith("/meeting/D11-1/")
    assert Response.objects.get(assessment=open_assessment, item__code="D11-1").score == 2


@pytest.mark.parametrize("next_url", ["0", "comments#new", "results", "a\x00b"])
def test_a_next_address_that_is_not_a_path_is_ignored_not_a_500_after_the_comment_was_saved(
    member, cast, next_url
):
    """`redirect` takes a word without a slash or a dot for the name of a view: the reply was saved, then
    the page failed. Found by test_hostile_input_properties.py."""
    completed = make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    comment = Comment.objects.create(
        team=cast.team, assessment=completed, author=cast.coach, body="How did it go?"
    )
    url = reverse("assessments:comment_reply", args=[cast.team.pk, comment.pk])
    response = member.post(url, {"body": "Well.", "next": next_url})
    reply = Comment.objects.get(parent=comment)
    results = reverse("assessments:results", args=[comment.assessment_id])
    assert response.status_code == 302 and response["Location"] == f"{results}#comment-{reply.pk}"
    seen = member.post(reverse("assessments:mark_seen", args=[cast.team.pk]), {"key": "x", "next": next_url})
    assert seen.status_code == 302 and seen["Location"] == reverse(
        "assessments:team_detail", args=[cast.team.pk]
    )
