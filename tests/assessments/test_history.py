"""The history of an assessment through the real stack: every status change, participant, consensus answer
and (after the reveal only) vote, with who and when and from what to what."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Vote

pytestmark = pytest.mark.django_db


def history(client, assessment, item=""):
    url = reverse("assessments:history", args=[assessment.pk]) + (f"?item={item}" if item else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_consensus_answer_shows_each_change_with_who_and_from_what(client, cast, open_assessment):
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)
    first = services.response_record(
        assessment=open_assessment, recorded_by=cast.facilitator, item_code="D11-1", score=0
    )
    client.force_login(cast.facilitator)
    # Through the page, so the request's user is the one recorded.
    client.post(
        reverse("assessments:response_save", args=[open_assessment.pk, "D11-1"]),
        {"D11-1-score": "2", "D11-1-revision": first.revision, "D11-1-evidence": "Minutes of March"},
    )
    page = history(client, open_assessment)
    assert "Consensus on D11-1" in page
    assert "<del>Not in place</del> → <ins>In place</ins>" in page
    assert "Minutes of March" in page
    assert services.person_name(cast.facilitator) in page


def test_status_changes_are_listed(client, cast, open_assessment):
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)
    client.force_login(cast.coach)
    page = history(client, open_assessment)
    assert "<del>Open for votes</del> → <ins>Consensus</ins>" in page
    assert services.person_name(cast.facilitator) in page  # who revealed, named even outside a request


def test_votes_and_their_history_stay_private_until_the_reveal(client, cast, open_assessment):
    services.vote_record(assessment=open_assessment, member=cast.member, item_code="D11-1", answer="1")
    services.vote_record(assessment=open_assessment, member=cast.member, item_code="D11-1", answer="dk")
    client.force_login(cast.facilitator)
    before = history(client, open_assessment)
    assert "Vote of" not in before and "Don&#x27;t know" not in before
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)
    after = history(client, open_assessment)
    assert f"Vote of {services.person_name(cast.member)} on D11-1" in after
    assert "<del>Partially in place</del> → <ins>Don&#x27;t know</ins>" in after


def test_the_sheets_bulk_save_records_each_vote(cast, open_assessment):
    services.votes_record(
        assessment=open_assessment, member=cast.member, answers=[("D11-1", "2", ""), ("D11-2", "0", "")]
    )
    services.votes_record(assessment=open_assessment, member=cast.member, answers=[("D11-1", "1", "")])
    records = Vote.history.filter(assessment_id=open_assessment.pk).order_by("history_date")
    assert [(r.history_type, r.answer, r.history_user_id) for r in records] == [
        ("+", "2", cast.member.pk),
        ("+", "0", cast.member.pk),
        ("~", "1", cast.member.pk),
    ]


def test_one_items_history(client, cast, open_assessment):
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)
    for code in ("D11-1", "D11-2"):
        services.response_record(
            assessment=open_assessment, recorded_by=cast.facilitator, item_code=code, score=1
        )
    client.force_login(cast.facilitator)
    page = history(client, open_assessment, item="D11-2")
    assert "Consensus on D11-2" in page and "Consensus on D11-1" not in page
    board = client.get(reverse("assessments:consensus", args=[open_assessment.pk])).content.decode()
    assert f"/assessments/{open_assessment.pk}/history/?item=D11-2" in board


def test_members_are_pointed_to_the_results_not_the_history(client, cast, open_assessment):
    client.force_login(cast.member)
    assert client.get(reverse("assessments:history", args=[open_assessment.pk])).status_code == 403
    page = client.get(reverse("assessments:assessment_detail", args=[open_assessment.pk])).content.decode()
    assert "History: who changed what" not in page


def test_the_history_page_reads_a_long_history_in_the_same_queries(client, cast, open_assessment):
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)
    services.response_record(
        assessment=open_assessment, recorded_by=cast.facilitator, item_code="D11-1", score=1
    )
    client.force_login(cast.facilitator)
    url = reverse("assessments:history", args=[open_assessment.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for code in ("D11-2", "D11-3", "D12-1", "D12-2"):
        services.response_record(
            assessment=open_assessment, recorded_by=cast.facilitator, item_code=code, score=2
        )
    with CaptureQueriesContext(connection) as long:
        client.get(url)
    assert len(short) == len(long)
