"""The voting page, the consensus page, an autosave, the assessment page and the completion check run the same
number of queries for 45 items or 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Participant, Vote
from tests.factories import TeamFactory, UserFactory, add_member, make_assessment, make_version

pytestmark = pytest.mark.django_db


def build(version):
    """A team with a facilitator and two members who voted on every item, revealed and half answered."""
    team = TeamFactory()
    facilitator, member, member2 = UserFactory(), UserFactory(), UserFactory()
    add_member(team, facilitator, "facilitator")
    add_member(team, member)
    add_member(team, member2)
    assessment = make_assessment(team=team, version=version, by=facilitator)
    items = list(version.best_practices.all())
    Vote.objects.bulk_create(
        Vote(assessment=assessment, item=item, member=m, answer=answer, comment="why")
        for item in items
        for m, answer in ((member, "2"), (member2, "0"))
    )
    # Who took part grows with the items here, so the counts also hold whatever the number of participants.
    Participant.objects.bulk_create(
        [
            Participant(assessment=assessment, name=u.username, group="staff", member=u)
            for u in (member, member2)
        ]
        + [
            Participant(assessment=assessment, name=f"Guest {n}", group="partner")
            for n in range(len(items) // 10)
        ]
    )
    return assessment, facilitator, member, items


def count(client, method, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


def page_queries(client, version):
    assessment, facilitator, member, items = build(version)
    code = items[0].code
    client.force_login(member)
    vote_page = count(client, "get", reverse("assessments:vote", args=[assessment.pk]))
    autosave = count(
        client,
        "post",
        reverse("assessments:vote_item", args=[assessment.pk, code]),
        data={f"answer-{code}": "1"},
        HTTP_HX_REQUEST="true",
    )
    services.assessment_reveal_votes(assessment=assessment, revealed_by=assessment.created_by)
    for item in items[: len(items) // 2]:
        services.response_record(assessment=assessment, recorded_by=facilitator, item_code=item.code, score=1)
    client.force_login(facilitator)
    consensus_page = count(client, "get", reverse("assessments:consensus", args=[assessment.pk]))
    meeting_page = count(client, "get", reverse("assessments:meeting_item", args=[assessment.pk, code]))
    assessment_page = count(client, "get", reverse("assessments:assessment_detail", args=[assessment.pk]))
    complete_check = count(client, "get", reverse("assessments:complete", args=[assessment.pk]))
    response_save = count(
        client,
        "post",
        reverse("assessments:response_save", args=[assessment.pk, code]),
        data={f"{code}-score": "2", f"{code}-revision": "1"},
        HTTP_HX_REQUEST="true",
    )
    return {
        "vote page": vote_page,
        "autosave": autosave,
        "consensus page": consensus_page,
        "meeting page": meeting_page,
        "consensus save": response_save,
        "assessment page": assessment_page,
        "complete check": complete_check,
    }


def test_query_counts_do_not_grow_with_the_number_of_items(client, content):
    real = page_queries(client, content)  # the shipped 45-item framework
    large = page_queries(client, make_version(drivers_per_category=10, items_per_driver=10))  # 200 items
    assert real == large
    # Measured (SQLite and PostgreSQL alike): vote page 6, autosave 10, consensus page 8, meeting page 8,
    # consensus save 10; session, user, the access check (the assessment with the user's role in it), the
    # navigation's portfolio check, the assessment row lock and the savepoint pair of the service's
    # transaction (tests run inside a transaction) included. An autosave and a consensus save each read
    # the answer's row locked, then write it through the model (so an audit history sees every change).
    # The assessment page 11: the 4 of every page, participants with who voted, reopenings, vote progress
    # (votes, voters), answered and total counts, and the answered items missing the voice of the people
    # served (missing_voices); the completion check 12: the same and the items without an answer.
    # Since upgrades: the vote, consensus and meeting pages (7, 9, 9) and a consensus save (11) read the
    # earlier answers of items new since an upgrade (whether an item is new rides on the items query);
    # the assessment page (12) asks whether a newer published version exists, for a facilitator.
    # Since the workflow's history: an autosave (11) and a consensus save also write their history row.
    # Since the loop: the consensus page (10) and a consensus save (13) read the team's open actions on the
    # items (tests/perf/test_consensus_board_actions.py counts them with actions); so does the meeting page
    # (10), for the item on screen.
    ceilings = {
        "assessment page": 12,
        "complete check": 12,
        "vote page": 7,
        "autosave": 12,
        "consensus page": 10,
        "meeting page": 10,
        "consensus save": 13,
    }
    assert all(real[page] <= ceilings[page] for page in ceilings), sorted(real.items())
