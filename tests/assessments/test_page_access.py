"""Who may open each workflow page: 404 outside one's teams, 403 for a role that may not act."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, Response, Vote
from tests.assessments.test_url_needs import needs, url_for

pytestmark = pytest.mark.django_db

READ = {"facilitator": 200, "member": 200, "coach": 200, "admin": 200, "outsider": 404}
FACILITATE = {"facilitator": 200, "member": 403, "coach": 403, "admin": 403, "outsider": 404}
VOTE = {"facilitator": 403, "member": 200, "coach": 403, "admin": 403, "outsider": 404}


def page_urls(cast, assessment):
    code = cast.version.best_practices.order_by("code").first().code
    return {
        "team_detail": (reverse("assessments:team_detail", args=[cast.team.pk]), READ),
        "team_members": (reverse("assessments:team_members", args=[cast.team.pk]), FACILITATE),
        "assessment_start": (reverse("assessments:assessment_start", args=[cast.team.pk]), FACILITATE),
        "assessment_detail": (reverse("assessments:assessment_detail", args=[assessment.pk]), READ),
        "participants": (reverse("assessments:participants", args=[assessment.pk]), FACILITATE),
        "vote": (reverse("assessments:vote", args=[assessment.pk]), VOTE),
        "consensus": (reverse("assessments:consensus", args=[assessment.pk]), READ),
        "meeting_item": (reverse("assessments:meeting_item", args=[assessment.pk, code]), READ),
    }


PAGES = [
    "team_detail",
    "team_members",
    "assessment_start",
    "assessment_detail",
    "participants",
    "vote",
    "consensus",
    "meeting_item",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["facilitator", "member", "coach", "admin", "outsider"])
def test_who_may_open_the_page(client, cast, open_assessment, page, who):
    url, expected = page_urls(cast, open_assessment)[page]
    client.force_login(getattr(cast, who))
    assert client.get(url).status_code == expected[who]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, cast, open_assessment, page):
    url, _ = page_urls(cast, open_assessment)[page]
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def declared_urls(cast, assessment):
    return {name: url_for(name, cast, assessment) for name in needs()}


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_signed_out_htmx_request_gets_401_instead_of_the_sign_in_page(
    client, cast, open_assessment, method
):
    """An autosave after the session expired: a redirect would be followed silently and the page would take
    the sign-in form for a saved answer. Every declared URL answers 401, says so and saves nothing."""
    for name, url in declared_urls(cast, open_assessment).items():
        response = getattr(client, method)(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 401, name
        assert response["HX-Trigger"] == "signed-out"
        assert response.content.decode() == "Signed out: not saved. Sign in again, then save once more."
        assert "Location" not in response


def test_a_signed_out_autosave_keeps_nothing_and_a_plain_post_still_goes_to_sign_in(
    client, cast, open_assessment
):
    code = cast.version.best_practices.order_by("code").first().code
    vote = reverse("assessments:vote_item", args=[open_assessment.pk, code])
    answer = reverse("assessments:response_save", args=[open_assessment.pk, code])
    assert client.post(vote, {f"answer-{code}": "2"}, HTTP_HX_REQUEST="true").status_code == 401
    assert (
        client.post(
            answer, {f"{code}-score": "2", f"{code}-revision": "0"}, HTTP_HX_REQUEST="true"
        ).status_code
        == 401
    )
    plain = client.post(vote, {f"answer-{code}": "2"})
    assert plain.status_code == 302 and plain["Location"] == f"{reverse('login')}?next={vote}"
    assert not Vote.objects.exists() and not Response.objects.exists()


def test_a_signed_in_htmx_request_is_served_as_before(client, cast, open_assessment):
    code = cast.version.best_practices.order_by("code").first().code
    client.force_login(cast.member)
    url = reverse("assessments:vote_item", args=[open_assessment.pk, code])
    assert client.post(url, {f"answer-{code}": "2"}, HTTP_HX_REQUEST="true").status_code == 200
    client.force_login(cast.coach)
    assert client.post(url, {f"answer-{code}": "1"}, HTTP_HX_REQUEST="true").status_code == 403
    assert Vote.objects.get().answer == "2"


def test_an_unknown_team_or_assessment_is_404(client, cast):
    client.force_login(cast.facilitator)
    assert client.get(reverse("assessments:team_detail", args=[9999])).status_code == 404
    assert client.get(reverse("assessments:assessment_detail", args=[9999])).status_code == 404


def writes(cast, assessment):
    code = cast.version.best_practices.order_by("code").first().code
    membership = cast.team.memberships.get(user=cast.member)
    return {
        "reveal": (reverse("assessments:reveal", args=[assessment.pk]), {}),
        "complete": (reverse("assessments:complete", args=[assessment.pk]), {}),
        "reopen": (reverse("assessments:reopen", args=[assessment.pk]), {"reason": "x"}),
        "response": (
            reverse("assessments:response_save", args=[assessment.pk, code]),
            {f"{code}-score": "2", f"{code}-revision": "0"},
        ),
        "membership": (
            reverse("assessments:membership_update", args=[cast.team.pk, membership.pk]),
            {"action": "remove"},
        ),
        "add_member": (
            reverse("assessments:team_members", args=[cast.team.pk]),
            {"identifier": "olu", "role": "member"},
        ),
    }


@pytest.mark.parametrize("action", ["reveal", "complete", "reopen", "response", "membership", "add_member"])
@pytest.mark.parametrize(
    ("who", "expected"), [("coach", 403), ("member", 403), ("admin", 403), ("outsider", 404)]
)
def test_only_the_facilitator_may_change_the_assessment_or_team(
    client, cast, open_assessment, action, who, expected
):
    url, data = writes(cast, open_assessment)[action]
    client.force_login(getattr(cast, who))
    assert client.post(url, data).status_code == expected
    open_assessment.refresh_from_db()
    assert open_assessment.status == Assessment.Status.OPEN
    assert not Response.objects.exists()
    assert cast.team.memberships.count() == 3


@pytest.mark.parametrize(("who", "expected"), [("coach", 403), ("facilitator", 403), ("outsider", 404)])
def test_only_members_may_vote(client, cast, open_assessment, who, expected):
    code = cast.version.best_practices.order_by("code").first().code
    client.force_login(getattr(cast, who))
    url = reverse("assessments:vote_item", args=[open_assessment.pk, code])
    assert client.post(url, {f"answer-{code}": "2"}).status_code == expected
    assert not Vote.objects.exists()


def test_a_coach_sees_no_edit_controls(client, cast, open_assessment):
    open_assessment.status = Assessment.Status.CONSENSUS
    open_assessment.save()
    client.force_login(cast.coach)
    page = client.get(reverse("assessments:consensus", args=[open_assessment.pk])).content.decode()
    assert "response-form" not in page and "Complete the assessment" not in page
    page = client.get(reverse("assessments:team_detail", args=[cast.team.pk])).content.decode()
    assert "Start an assessment" not in page and "Manage members" not in page
