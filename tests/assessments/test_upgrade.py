"""Moving an unfinished assessment to a newer version of the content: the preview, the move, its refusals,
who may, and the flags the team sees afterwards."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import selectors, services
from assessments.models import EarlierAnswer, Response, Upgrade, Vote
from drivers.services import version_create_draft, version_publish
from tests.assessments.upgrade_content import make_second_version
from tests.factories import TeamFactory, make_assessment, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def v2(cast):
    return make_second_version(cast.version)


def vote(assessment, member, code, answer="2"):
    return services.vote_record(assessment=assessment, member=member, item_code=code, answer=answer)


def answer(assessment, by, code, score=1, evidence=""):
    return services.response_record(
        assessment=assessment,
        recorded_by=by,
        item_code=code,
        score=score,
        evidence=evidence,
        revision=getattr(
            Response.objects.filter(assessment=assessment, item__code=code).first(), "revision", 0
        ),
    )


@pytest.fixture
def voted(cast, open_assessment):
    for code in ("D11-1", "D11-2", "D11-3", "D12-1", "D22-3"):
        vote(open_assessment, cast.member, code)
    vote(open_assessment, cast.member2, "D11-1", "0")
    return open_assessment


@pytest.fixture
def in_consensus(cast, voted):
    services.assessment_reveal_votes(assessment=voted, revealed_by=cast.facilitator)
    answer(voted, cast.facilitator, "D11-1", 2, "Minutes of May")
    answer(voted, cast.facilitator, "D11-3", 1)
    answer(voted, cast.facilitator, "D12-1", 1, "Half the sites")
    answer(voted, cast.facilitator, "D21-1", 0)
    answer(voted, cast.facilitator, "D21-2", 2)
    answer(voted, cast.facilitator, "D22-3", 2)
    return voted


def codes(rows):
    return sorted(row.item.code for row in rows)


def state(assessment):
    """Everything an upgrade could change, to show that a refused one changed nothing."""
    assessment.refresh_from_db()
    return (
        assessment.version_id,
        sorted(Vote.objects.values_list("item_id", "member_id", "answer", "wording_changed")),
        sorted(Response.objects.values_list("item_id", "score", "revision", "wording_changed")),
        Upgrade.objects.count(),
        EarlierAnswer.objects.count(),
    )


# The preview


def test_the_preview_lists_what_carries_over_what_is_new_and_what_goes(cast, voted, v2):
    preview = selectors.upgrade_preview(assessment=voted, to_version=v2)
    assert [(c.old.code, c.new.code) for c in preview.reworded] == [("D11-1", "D11-1")]
    assert ("D11-2", "D11-5", False) in [(c.old.code, c.new.code, c.wording_changed) for c in preview.carried]
    assert {(n.item.code, n.origin, n.previous_codes) for n in preview.new} == {
        ("D12-1", "split", "D12-1"),
        ("D12-4", "split", "D12-1"),
        ("D21-1", "merged", "D21-1, D21-2"),
        ("D22-4", "new", ""),
    }
    assert {(g.old.code, g.fate, g.successor_codes) for g in preview.gone} == {
        ("D12-1", "split", "D12-1, D12-4"),
        ("D21-1", "merged", "D21-1"),
        ("D21-2", "merged", "D21-1"),
        ("D22-3", "removed", ""),
    }
    assert (preview.votes_moving, preview.votes_dropped) == (4, 2)


def test_the_preview_page_shows_the_move_and_a_button(client, cast, voted, v2):
    client.force_login(cast.facilitator)
    page = client.get(reverse("assessments:upgrade", args=[voted.pk])).content.decode()
    assert "Move the assessment to v2" in page
    assert "Split into D12-1, D12-4." in page and "Merged from D21-1, D21-2" in page and "Removed." in page
    assert "Was D11-1: Statement D11-1." in page
    assert "2 votes dropped." not in page and "1 vote dropped." in page


def test_the_preview_offers_each_newer_version_and_defaults_to_the_latest(client, cast, voted, v2):
    v3 = version_publish(version=version_create_draft(version=v2))
    client.force_login(cast.facilitator)
    page = client.get(reverse("assessments:upgrade", args=[voted.pk])).content.decode()
    assert 'name="to" value="3"' in page and '<option value="2"' in page
    page = client.get(reverse("assessments:upgrade", args=[voted.pk]), {"to": "2"}).content.decode()
    assert 'name="to" value="2"' in page
    assert v3.number == 3


def test_facilitators_of_an_unfinished_assessment_are_told_of_a_newer_version(client, cast, voted, v2):
    url = reverse("assessments:assessment_detail", args=[voted.pk])
    client.force_login(cast.facilitator)
    assert "A newer version of the content (v2) is published." in client.get(url).content.decode()
    client.force_login(cast.member)
    assert "A newer version of the content" not in client.get(url).content.decode()


def test_no_notice_without_a_newer_published_version(client, cast, voted):
    make_second_version(cast.version, publish=False)
    client.force_login(cast.facilitator)
    page = client.get(reverse("assessments:assessment_detail", args=[voted.pk])).content.decode()
    assert "A newer version of the content" not in page


# The move


def test_an_open_assessment_moves_with_its_votes_flagged_where_the_wording_changed(cast, voted, v2):
    upgrade = services.assessment_upgrade(assessment=voted, to_version=v2, upgraded_by=cast.facilitator)
    voted.refresh_from_db()
    assert voted.version == v2
    assert (upgrade.from_version, upgrade.to_version, upgrade.upgraded_by) == (
        cast.version,
        v2,
        cast.facilitator,
    )
    mark = {(v.item.code, v.answer, v.wording_changed) for v in Vote.objects.filter(member=cast.member)}
    assert mark == {("D11-1", "2", True), ("D11-5", "2", False), ("D11-3", "2", False)}
    assert Vote.objects.get(member=cast.member2).wording_changed
    assert set(Vote.objects.values_list("item__version", flat=True)) == {v2.pk}


def test_a_consensus_assessment_moves_its_answers_and_keeps_earlier_ones_for_new_items(
    cast, in_consensus, v2
):
    services.assessment_upgrade(assessment=in_consensus, to_version=v2, upgraded_by=cast.facilitator)
    answers = {r.item.code: r for r in Response.objects.select_related("item")}
    assert sorted(answers) == ["D11-1", "D11-3"]  # the split, merged and removed items' answers are gone
    assert answers["D11-1"].wording_changed and answers["D11-1"].evidence == "Minutes of May"
    assert not answers["D11-3"].wording_changed
    assert answers["D11-1"].item.version == v2
    earlier = {(e.item.code, e.previous.code, e.score, e.evidence) for e in EarlierAnswer.objects.all()}
    assert earlier == {
        ("D12-1", "D12-1", 1, "Half the sites"),
        ("D12-4", "D12-1", 1, "Half the sites"),
        ("D21-1", "D21-1", 0, ""),
        ("D21-1", "D21-2", 2, ""),
    }
    unanswered = {item.code for item in selectors.unanswered_items(assessment=in_consensus)}
    assert {"D12-1", "D12-4", "D21-1", "D22-4"} <= unanswered


def test_a_new_vote_and_a_saved_answer_clear_the_wording_flag(cast, in_consensus, v2):
    services.assessment_upgrade(assessment=in_consensus, to_version=v2, upgraded_by=cast.facilitator)
    answer(in_consensus, cast.facilitator, "D11-1", 2, "Checked against the new wording")
    assert not Response.objects.get(item__code="D11-1").wording_changed


def test_a_members_new_vote_clears_the_flag_of_that_vote(cast, voted, v2):
    services.assessment_upgrade(assessment=voted, to_version=v2, upgraded_by=cast.facilitator)
    vote(voted, cast.member, "D11-1", "1")
    assert not Vote.objects.get(member=cast.member, item__code="D11-1").wording_changed
    assert Vote.objects.get(member=cast.member2, item__code="D11-1").wording_changed


def test_the_consensus_board_flags_reworded_new_and_earlier_answers(client, cast, in_consensus, v2):
    services.assessment_upgrade(assessment=in_consensus, to_version=v2, upgraded_by=cast.facilitator)
    client.force_login(cast.facilitator)
    page = client.get(reverse("assessments:consensus", args=[in_consensus.pk])).content.decode()
    assert page.count("Wording changed: check the answer") == 1
    assert page.count("New in v2") == 4  # D12-1, D12-4, D21-1 and D22-4
    assert "Before the upgrade, D12-1 had: Partially in place — Half the sites" in page
    assert "Before the upgrade, D21-2 had: In place" in page


def test_the_vote_sheet_flags_a_reworded_vote_and_new_items(client, cast, voted, v2):
    services.assessment_upgrade(assessment=voted, to_version=v2, upgraded_by=cast.facilitator)
    client.force_login(cast.member)
    page = client.get(reverse("assessments:vote", args=[voted.pk])).content.decode()
    assert page.count("Wording changed: check the answer") == 1 and page.count("New in v2") == 4


def test_posting_moves_the_assessment_and_says_so(client, cast, voted, v2):
    client.force_login(cast.facilitator)
    response = client.post(reverse("assessments:upgrade", args=[voted.pk]), {"to": "2"}, follow=True)
    assert "The assessment now uses v2." in response.content.decode()
    voted.refresh_from_db()
    assert voted.version == v2


# Refusals: a clear message, nothing changed


def test_a_completed_assessment_is_never_upgraded(client, cast, v2):
    completed = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="completed")
    before = state(completed)
    with pytest.raises(ValidationError, match="A completed assessment keeps the version"):
        services.assessment_upgrade(assessment=completed, to_version=v2, upgraded_by=cast.facilitator)
    client.force_login(cast.facilitator)
    page = client.get(reverse("assessments:upgrade", args=[completed.pk])).content.decode()
    assert (
        "Completed assessments are never moved to a newer version" in page
        and "Move the assessment" not in page
    )
    response = client.post(reverse("assessments:upgrade", args=[completed.pk]), {"to": "2"}, follow=True)
    assert "A completed assessment keeps the version" in response.content.decode()
    assert state(completed) == before
    detail = client.get(reverse("assessments:assessment_detail", args=[completed.pk])).content.decode()
    assert "A newer version of the content" not in detail


@pytest.mark.parametrize("target", ["unpublished", "older", "same", "other framework"])
def test_only_a_newer_published_version_of_the_same_framework_is_a_target(cast, voted, target):
    v2 = make_second_version(cast.version, publish=target != "unpublished")
    if target in ("older", "same"):
        voted.version = v2
        voted.save()
    to_version = {
        "unpublished": v2,
        "older": cast.version,
        "same": v2,
        "other framework": make_version(framework_slug="another"),
    }[target]
    before = state(voted)
    with pytest.raises(ValidationError) as refused:
        services.assessment_upgrade(assessment=voted, to_version=to_version, upgraded_by=cast.facilitator)
    message = " ".join(refused.value.messages)
    assert {
        "unpublished": "is not published",
        "older": "is not newer",
        "same": "is not newer",
        "other framework": "is not a version of Test framework",
    }[target] in message
    assert state(voted) == before


def test_posting_without_a_newer_version_changes_nothing(client, cast, voted):
    before = state(voted)
    client.force_login(cast.facilitator)
    response = client.post(reverse("assessments:upgrade", args=[voted.pk]), follow=True)
    assert "There is no newer published version" in response.content.decode()
    assert state(voted) == before


# Who may


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("coach", 403), ("outsider", 404)])
def test_only_those_who_facilitate_may_preview_or_move(client, cast, voted, v2, who, status):
    before = state(voted)
    client.force_login(getattr(cast, who))
    url = reverse("assessments:upgrade", args=[voted.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"to": "2"}).status_code == status
    assert state(voted) == before


def test_the_preview_runs_the_same_queries_for_a_small_or_large_version(cast, django_assert_num_queries):
    for size in (2, 8):
        first = make_version(framework_slug=f"size-{size}", drivers_per_category=size)
        second = make_second_version(first)
        assessment = make_assessment(team=TeamFactory(), version=first, by=cast.facilitator)
        with django_assert_num_queries(5):  # old items, new items, split and merge rows, votes, answers
            selectors.upgrade_preview(assessment=assessment, to_version=second)
