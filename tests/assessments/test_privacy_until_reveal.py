"""Until the votes are revealed nothing a person can see depends on their values: the board's order, its
counts, colours and partials, meeting mode and the exports read the same whatever the others voted."""

import re

import pytest
from django.urls import reverse

from assessments import services

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def seen_by(client, assessment) -> dict[str, str]:
    """What a member can read of an open assessment, with the per-render CSRF tokens masked."""
    pages = {
        "board": reverse("assessments:consensus", args=[assessment.pk]),
        "board by driver": reverse("assessments:consensus", args=[assessment.pk]) + "?order=driver",
        "meeting": reverse("assessments:meeting_item", args=[assessment.pk, "D11-1"]),
        "assessment": reverse("assessments:assessment_detail", args=[assessment.pk]),
        "csv": reverse("assessments:export_assessment", args=[assessment.pk, "csv"]),
    }
    return {name: TOKEN.sub("", body(client.get(url))) for name, url in pages.items()}


def body(response) -> str:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def vote(assessment, member, answers):
    services.votes_record(
        assessment=assessment, member=member, answers=[(code, answer, "") for code, answer in answers.items()]
    )


def test_another_members_vote_values_change_nothing_anyone_sees(client, cast, open_assessment):
    vote(open_assessment, cast.member2, {"D11-1": "1", "D11-2": "1", "D12-1": "1"})
    vote(open_assessment, cast.member, {"D11-1": "1"})
    client.force_login(cast.member)
    agreeing = seen_by(client, open_assessment)
    # The same items voted, now far apart and with a Don't know: what a sorted board used to give away.
    vote(open_assessment, cast.member2, {"D11-1": "0", "D11-2": "dk", "D12-1": "2"})
    apart = seen_by(client, open_assessment)
    for name in agreeing:
        assert agreeing[name] == apart[name], f"the {name} depends on the votes before the reveal"


def test_after_the_reveal_the_board_puts_disagreements_first(client, cast, open_assessment):
    vote(open_assessment, cast.member, {"D11-1": "1", "D12-1": "2"})
    vote(open_assessment, cast.member2, {"D11-1": "1", "D12-1": "0"})
    services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)
    client.force_login(cast.member)
    page = client.get(reverse("assessments:consensus", args=[open_assessment.pk])).content.decode()
    assert page.index('id="item-D12-1"') < page.index('id="item-D11-1"')
