"""Voting in the browser: the whole sheet as a plain form, and one answer at a time by autosave (htmx)."""

import pytest
from django.urls import reverse

from assessments.models import Vote
from tests.factories import add_member, make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, cast):
    client.force_login(cast.member)
    return client


def item_codes(cast):
    return list(
        cast.version.best_practices.order_by("driver__category__order", "driver__order", "order").values_list(
            "code", flat=True
        )
    )


def test_the_sheet_shows_every_item_grouped_by_driver_with_progress(member_client, cast, open_assessment):
    page = member_client.get(reverse("assessments:vote", args=[open_assessment.pk])).content.decode()
    for code in item_codes(cast):
        assert f'name="answer-{code}"' in page
    assert "0 of 12" in page
    assert page.count("<fieldset") == 12 and page.count("<legend") == 12


def test_a_plain_post_saves_every_answer_given(member_client, cast, open_assessment):
    codes = item_codes(cast)
    data = {f"answer-{code}": "2" for code in codes[:5]} | {f"comment-{codes[0]}": "Seen in March minutes"}
    response = member_client.post(reverse("assessments:vote", args=[open_assessment.pk]), data, follow=True)
    assert "Your votes are saved" in response.content.decode()
    assert "5 of 12" in response.content.decode()
    assert Vote.objects.filter(member=cast.member).count() == 5
    assert Vote.objects.get(item__code=codes[0]).comment == "Seen in March minutes"


def test_a_plain_post_with_a_bad_answer_saves_none_and_keeps_every_choice_on_screen(
    member_client, cast, open_assessment
):
    codes = item_codes(cast)
    response = member_client.post(
        reverse("assessments:vote", args=[open_assessment.pk]),
        {f"answer-{codes[0]}": "2", f"comment-{codes[0]}": "Budget set", f"answer-{codes[1]}": "7"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "&#x27;7&#x27; is not an answer" in page
    assert "1 answers could not be saved, so none was saved" in page
    assert not Vote.objects.exists()
    # What the member chose and typed is still on the page, marked as not saved.
    assert f'id="answer-{codes[0]}-2" value="2" checked' in page
    assert ">Budget set</textarea>" in page
    assert f'<span id="status-{codes[0]}" class="save-state" role="status">Not saved</span>' in page


def test_a_whole_sheet_of_45_answers_saves_in_a_bounded_number_of_queries(
    client, cast, content, django_assert_max_num_queries
):
    assessment = make_assessment(team=cast.other_team, version=content, by=cast.outsider)
    member = cast.member
    add_member(cast.other_team, member)
    client.force_login(member)
    codes = list(content.best_practices.values_list("code", flat=True))
    data = {f"answer-{code}": "1" for code in codes} | {f"comment-{code}": f"Why {code}" for code in codes}
    with django_assert_max_num_queries(60):
        response = client.post(reverse("assessments:vote", args=[assessment.pk]), data)
    assert response.status_code == 302
    assert Vote.objects.filter(assessment=assessment, member=member).count() == len(codes) == 45
    data |= {f"answer-{codes[0]}": "2"}
    with django_assert_max_num_queries(60):
        client.post(reverse("assessments:vote", args=[assessment.pk]), data)
    assert Vote.objects.get(assessment=assessment, member=member, item__code=codes[0]).answer == "2"


def test_posting_the_same_sheet_twice_leaves_one_vote_per_item(member_client, cast, open_assessment):
    data = {f"answer-{code}": "1" for code in item_codes(cast)}
    url = reverse("assessments:vote", args=[open_assessment.pk])
    member_client.post(url, data)
    member_client.post(url, data)
    assert Vote.objects.count() == 12


def test_autosave_answers_with_the_saved_state_and_progress(member_client, cast, open_assessment):
    code = item_codes(cast)[0]
    response = member_client.post(
        reverse("assessments:vote_item", args=[open_assessment.pk, code]),
        {f"answer-{code}": "dk"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="status-{code}"' in body and "Saved" in body
    assert 'id="vote-progress" hx-swap-oob="true">1 of 12' in body
    assert 'aria-valuenow="1"' in body and 'class="progress-bar bar-2"' in body  # the bar moves along
    assert f'id="driver-progress-{code.split("-")[0]}" hx-swap-oob="true">1/3' in body
    assert Vote.objects.get().answer == "dk"


def test_autosave_of_a_bad_answer_says_so_and_saves_nothing(member_client, cast, open_assessment):
    code = item_codes(cast)[0]
    response = member_client.post(
        reverse("assessments:vote_item", args=[open_assessment.pk, code]),
        {f"answer-{code}": "5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Not saved" in response.content.decode()
    assert not Vote.objects.exists()


def test_an_unknown_item_is_refused(member_client, open_assessment):
    response = member_client.post(
        reverse("assessments:vote_item", args=[open_assessment.pk, "ZZ-9"]),
        {"answer-ZZ-9": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "is not a best practice of this assessment" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_members_votes_are_not_shown_to_others_before_the_reveal(client, cast, open_assessment):
    code = item_codes(cast)[0]
    Vote.objects.create(
        assessment=open_assessment,
        item=cast.version.best_practices.get(code=code),
        member=cast.member,
        answer="0",
        comment="secret-comment",
    )
    for who in (cast.facilitator, cast.member2, cast.coach):
        client.force_login(who)
        page = client.get(reverse("assessments:consensus", args=[open_assessment.pk])).content.decode()
        assert "secret-comment" not in page and "Who voted what" not in page
    client.force_login(cast.member2)
    page = client.get(reverse("assessments:vote", args=[open_assessment.pk])).content.decode()
    assert "secret-comment" not in page and "checked" not in page
