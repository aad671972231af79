"""The load run's parts that decide its verdict (bench/mix.py, bench/writes.py), without locust or servers:
the simulated people's requests answer as the run expects through the real views, no two people write the
same answer, and the write check reports a write that was acknowledged but is not in the database."""

import datetime
import itertools

import pytest
from django.test import Client

from assessments.models import Assessment, Response, Vote
from bench import mix
from bench.writes import Ledger, Write, lost_writes
from implhub.dataset import DEFAULT_PASSWORD, Scale, generate_dataset

TINY = Scale(orgs=2, teams_per_org=3, assessments_per_team=2, members_per_team=4)


@pytest.fixture
def dataset(content):
    generate_dataset(size=TINY, version=content, today=datetime.date(2026, 11, 20))


def _send(client: Client, request: mix.Request) -> int:
    headers = {"HX-Request": "true"} if request.htmx else {}
    if request.method == "POST":
        response = client.post(request.path, request.form or {}, headers=headers)
    else:
        response = client.get(request.path, headers=headers)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def _first_round(part: mix.Part) -> list[mix.Request]:
    """The part's requests up to the first that repeats its opening one."""
    plan = part.plan()
    first = next(plan)
    return [first, *itertools.takewhile(lambda r: r.path != first.path, plan)]


@pytest.mark.django_db
def test_every_person_of_the_mix_signs_in_and_gets_the_answers_the_run_expects(dataset):
    cast = mix.cast(users=12, token="test run")
    assert {part.kind for part in cast} == set(mix.SHARES)
    ledger, sent = Ledger(), set()
    for part in cast:
        client = Client()
        requests = [*part.sign_in(DEFAULT_PASSWORD), *(part.next() for _n in range(3))]
        for request in requests:
            assert _send(client, request) == request.expect, (part.username, request.name, request.path)
            sent.add(request.name)
            if request.write is not None:
                ledger.answered(request.write)
            part.answered(request)
    assert sent == set(mix.REQUEST_TYPES)
    assert ledger.count == 2 * sum(p.kind in (mix.VOTER, mix.FACILITATOR) for p in cast)
    assert lost_writes(ledger) == []


@pytest.mark.django_db
def test_a_facilitator_saves_an_answer_again_with_the_revision_it_saved_last(dataset):
    facilitator = next(p for p in mix.cast(users=6, token="test run") if p.kind == mix.FACILITATOR)
    before = dict(facilitator.revisions)
    client = Client()
    for request in facilitator.sign_in(DEFAULT_PASSWORD):
        _send(client, request)
    for _n in range(len(before) + 3):  # the board and each item, then the board and the first item again
        request = facilitator.next()
        assert _send(client, request) == request.expect, request.path  # a stale revision gets 409
        facilitator.answered(request)
    first = next(iter(before))
    saved = Response.objects.get(assessment_id=facilitator.assessment_id, item__code=first)
    assert saved.revision == before[first] + 2 == facilitator.revisions[first]


@pytest.mark.django_db
def test_no_two_people_write_the_same_answer_even_when_the_dataset_is_short_of_people(dataset):
    cast = mix.cast(users=40, token="test run")  # 16 voters for 6 members voting; 8 facilitators for 2
    writers = [p for p in cast if p.kind in (mix.VOTER, mix.FACILITATOR)]
    keys = [{r.write.key for r in _first_round(p) if r.write} for p in writers]
    assert all(keys)
    assert sum(len(k) for k in keys) == len(set().union(*keys))


@pytest.mark.parametrize("users", [1, 5, 6, 7, 20, 50, 333])
def test_the_mix_has_as_many_people_as_asked_and_one_of_each_kind_from_six(users):
    counts = mix.shares(users)
    assert sum(counts.values()) == users
    assert all(counts[kind] for kind in mix.SHARES) == (users >= len(mix.SHARES))


@pytest.mark.django_db
def test_a_write_acknowledged_but_not_in_the_database_is_a_lost_write(dataset):
    vote = Vote.objects.select_related("item", "member").first()
    answer = Response.objects.filter(assessment__status="consensus").select_related("item").first()
    stored = Write(vote.assessment_id, vote.item.code, vote.member.username, (vote.answer, vote.comment))
    changed = Write(answer.assessment_id, answer.item.code, "", (answer.score, "not what was saved"))
    never = Write(
        Assessment.objects.filter(status="open").first().pk, "NO-SUCH-ITEM", vote.member.username, ("2", "")
    )
    ledger = Ledger()
    for write in (stored, changed, never):
        ledger.sent(write)
        ledger.answered(write)

    lost = lost_writes(ledger)

    assert {(w.write, w.found) for w in lost} == {(changed, (answer.score, answer.evidence)), (never, None)}


@pytest.mark.django_db
def test_a_later_write_without_an_answer_may_have_landed_and_is_not_a_lost_write(dataset):
    vote = Vote.objects.select_related("item", "member").first()
    key = (vote.assessment_id, vote.item.code, vote.member.username)
    ledger = Ledger()
    ledger.answered(Write(*key, ("dk", "the last one acknowledged")))
    ledger.sent(Write(*key, (vote.answer, vote.comment)))  # cut off at the end of the run, yet saved

    assert lost_writes(ledger) == []

    ledger.sent(Write(*key, ("dk", "sent, not saved")))
    assert [w.write.value for w in lost_writes(ledger)] == [("dk", "the last one acknowledged")]
