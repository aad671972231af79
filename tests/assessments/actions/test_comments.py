"""Coach feedback: threads on an assessment, its items and its actions; replies one level deep; edits by the
author within the window; nobody deletes; the team sees what is new to each person."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.actions.models import ActionItem, Comment, Seen
from assessments.actions.selectors.comments import seen_key
from assessments.models import Membership, OrganizationMembership
from tests.factories import TeamFactory, UserFactory, add_coach, add_member, make_completed_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(cast):
    return make_completed_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=datetime.date(2026, 3, 1)
    )


def post_comment(client, user, assessment, body="Good evidence for the coaching plan.", item="", next_url=""):
    client.force_login(user)
    data = {"body": body, "item": item}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("assessments:assessment_comment", args=[assessment.pk]), data)


def an_action(team, assessment, title="Write the coaching plan"):
    driver = assessment.version.drivers.order_by("code").first()
    return ActionItem.objects.create(team=team, assessment=assessment, driver=driver, title=title)


def a_comment(author, assessment, body="Why did D11 fall?", **kwargs):
    return Comment.objects.create(
        team=assessment.team, assessment=assessment, author=author, body=body, **kwargs
    )


# Starting a thread


def test_a_coach_comments_on_the_assessment_and_lands_back_at_the_comment(client, cast, completed):
    results = reverse("assessments:results", args=[completed.pk])
    response = post_comment(client, cast.coach, completed, next_url=results + "#comments")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"{results}#comment-{comment.pk}"
    assert (comment.team, comment.assessment, comment.item, comment.author) == (
        cast.team,
        completed,
        None,
        cast.coach,
    )
    page = client.get(results).content.decode()
    assert "Good evidence for the coaching plan." in page
    assert 'id="comment-' in page and "Carmen" in page


def test_a_facilitator_comments_on_an_item_and_the_driver_page_shows_its_thread(client, cast, completed):
    driver_page = reverse("assessments:driver_detail", args=[completed.pk, "D11"])
    response = post_comment(client, cast.facilitator, completed, body="Minutes show it.", item="D11-2")
    comment = Comment.objects.get()
    assert comment.item.code == "D11-2" and comment.item.version_id == completed.version_id
    assert response.url == f"{driver_page}#comment-{comment.pk}"  # without `next`: the item's page
    page = client.get(driver_page).content.decode()
    assert '<details class="item-comments border-top py-2" id="comments-D11-2" open>' in page
    assert "Minutes show it." in page
    # The results page says where the item threads are.
    results = client.get(reverse("assessments:results", args=[completed.pk])).content.decode()
    assert f'href="{driver_page}#comments-D11-2"' in results


@pytest.mark.parametrize("who", ["meeting_coach", "facilitator", "coach"])
def test_facilitators_and_coaches_start_threads(client, cast, completed, who):
    assert post_comment(client, getattr(cast, who), completed).status_code == 302
    assert Comment.objects.count() == 1


def test_an_organization_admin_standing_in_for_a_missing_facilitator_may_comment(client, cast):
    team = TeamFactory(organization=cast.team.organization, name="Lakeside")
    add_member(team, UserFactory(username="lena"))
    assessment = make_completed_assessment(team=team, version=cast.version, by=cast.orgadmin)
    assert post_comment(client, cast.orgadmin, assessment).status_code == 302
    assert Comment.objects.get().team == team


@pytest.mark.parametrize("who", ["member", "orgadmin", "admin"])
def test_members_admins_and_staff_do_not_start_threads(client, cast, completed, who):
    assert post_comment(client, getattr(cast, who), completed).status_code == 403
    assert not Comment.objects.exists()


def test_members_see_no_form_to_start_a_thread_but_may_reply(client, cast, completed):
    a_comment(cast.coach, completed)
    client.force_login(cast.member)
    page = client.get(reverse("assessments:results", args=[completed.pk])).content.decode()
    assert "Post comment" not in page
    assert "Post reply" in page


def test_a_comment_on_an_assessment_of_another_organization_is_not_found(client, cast):
    theirs = make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    assert post_comment(client, cast.coach, theirs).status_code == 404
    assert not Comment.objects.exists()


# Bad input: a clear message beside the field, the text kept, nothing saved


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write the comment first: it is empty."),
        ("   \n ", "Write the comment first: it is empty."),
        ("x" * 4001, "Ensure this value has at most 4000 characters (it has 4001)."),
        ("Nul\x00here", "Null characters are not allowed."),
    ],
)
def test_a_bad_comment_is_refused_with_a_message_and_changes_nothing(client, cast, completed, body, message):
    response = post_comment(client, cast.coach, completed, body=body)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'id="id_body"' in html and "is-invalid" in html
    assert "Your comment was not posted" in html
    assert not Comment.objects.exists()


def test_the_service_refuses_what_the_form_would_have_caught(cast, completed):
    from django.core.exceptions import ValidationError

    from assessments.actions.services.comments import comment_add

    for body in ["", "  ", "x" * 4001, "a\x00b"]:
        with pytest.raises(ValidationError) as raised:
            comment_add(author=cast.coach, assessment=completed, body=body)
        assert "body" in raised.value.message_dict
    assert not Comment.objects.exists()


def test_an_item_not_in_the_assessments_version_is_refused_beside_the_item_field(client, cast, completed):
    response = post_comment(client, cast.coach, completed, body="Kept text.", item="FA-3")
    assert response.status_code == 422
    html = response.content.decode()
    assert "&#x27;FA-3&#x27; is not a best practice of this assessment&#x27;s version." in html
    assert 'name="item"' in html and "Kept text." in html
    assert not Comment.objects.exists()


def test_a_next_address_off_the_site_is_ignored(client, cast, completed):
    response = post_comment(client, cast.coach, completed, next_url="https://elsewhere.example/")
    assert response.url.startswith(reverse("assessments:results", args=[completed.pk]))


# Actions


def test_a_coach_comments_on_an_action(client, cast, completed):
    action = an_action(cast.team, completed)
    client.force_login(cast.coach)
    url = reverse("assessments:action_comment", args=[cast.team.pk, action.pk])
    response = client.post(url, {"body": "Who owns this?", "item": "D11-1"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.action, comment.assessment, comment.item, comment.team) == (action, None, None, cast.team)


def test_an_action_of_another_team_is_not_found_through_this_team(client, cast, completed):
    theirs = make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    action = an_action(cast.other_team, theirs)
    client.force_login(cast.coach)
    assert (
        client.post(
            reverse("assessments:action_comment", args=[cast.team.pk, action.pk]), {"body": "Hi"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("assessments:action_comment", args=[cast.other_team.pk, action.pk]), {"body": "Hi"}
        ).status_code
        == 404
    )
    assert not Comment.objects.exists()


def test_a_member_cannot_start_a_thread_on_an_action(client, cast, completed):
    action = an_action(cast.team, completed)
    client.force_login(cast.member)
    response = client.post(
        reverse("assessments:action_comment", args=[cast.team.pk, action.pk]), {"body": "Hi"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_an_actions_threads_are_read_with_its_replies(cast, completed, django_assert_num_queries):
    from assessments.actions.selectors.comments import action_threads

    action = an_action(cast.team, completed)
    first = Comment.objects.create(team=cast.team, action=action, author=cast.coach, body="Owner?")
    Comment.objects.create(team=cast.team, action=action, author=cast.member, body="Me.", parent=first)
    with django_assert_num_queries(1):
        (thread,) = action_threads(action=action, viewer=cast.member)
    assert thread.post.comment == first and [p.comment.body for p in thread.replies] == ["Me."]
    assert [p.editable for p in thread.replies] == [True]  # the member's own reply, just written


# Replies


def reply(client, user, team, parent, body="We will check the minutes."):
    client.force_login(user)
    return client.post(reverse("assessments:comment_reply", args=[team.pk, parent.pk]), {"body": body})


@pytest.mark.parametrize("who", ["member", "facilitator", "coach", "orgadmin", "meeting_coach"])
def test_everyone_with_a_say_replies_and_the_reply_shares_the_threads_subject(client, cast, completed, who):
    item = completed.version.best_practices.get(code="D12-1")
    parent = a_comment(cast.coach, completed, item=item)
    assert reply(client, getattr(cast, who), cast.team, parent).status_code == 302
    answer = Comment.objects.get(parent=parent)
    assert (answer.assessment, answer.item, answer.team, answer.author) == (
        completed,
        item,
        cast.team,
        getattr(cast, who),
    )


def test_staff_do_not_reply(client, cast, completed):
    parent = a_comment(cast.coach, completed)
    assert reply(client, cast.admin, cast.team, parent).status_code == 403
    assert Comment.objects.count() == 1


def test_a_reply_to_a_reply_is_refused(client, cast, completed):
    parent = a_comment(cast.coach, completed)
    answer = a_comment(cast.member, completed, parent=parent)
    response = reply(client, cast.facilitator, cast.team, answer)
    assert response.status_code == 422
    assert (
        "Answer the comment that starts the thread: a reply cannot be answered." in response.content.decode()
    )
    assert Comment.objects.count() == 2


def test_an_empty_reply_is_refused(client, cast, completed):
    parent = a_comment(cast.coach, completed)
    response = reply(client, cast.member, cast.team, parent, body=" ")
    assert response.status_code == 422
    assert "Write the comment first: it is empty." in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_comment_of_another_team_is_not_found_through_this_team(client, cast):
    theirs = make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    parent = a_comment(cast.outsider, theirs)
    assert reply(client, cast.member, cast.team, parent).status_code == 404
    assert reply(client, cast.member, cast.other_team, parent).status_code == 404
    assert Comment.objects.count() == 1


# Edits


def edit_url(comment, next_url=""):
    url = reverse("assessments:comment_edit", args=[comment.team_id, comment.pk])
    return f"{url}?next={next_url}" if next_url else url


def test_the_author_edits_within_the_window_and_the_comment_says_edited(client, cast, completed):
    comment = a_comment(cast.coach, completed)
    client.force_login(cast.coach)
    results = reverse("assessments:results", args=[completed.pk])
    page = client.get(results).content.decode()
    assert f'href="{edit_url(comment)}?next=' in page
    assert client.get(edit_url(comment)).status_code == 200
    response = client.post(edit_url(comment), {"body": "Why did D11 fall so far?", "next": results})
    assert response.status_code == 302 and response.url == f"{results}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body == "Why did D11 fall so far?" and comment.edited_at is not None
    assert comment.history.count() == 2  # the first wording is kept
    assert "edited</span>" in client.get(results).content.decode()


def test_saving_the_same_words_is_no_edit(client, cast, completed):
    comment = a_comment(cast.coach, completed)
    client.force_login(cast.coach)
    client.post(edit_url(comment), {"body": comment.body})
    comment.refresh_from_db()
    assert comment.edited_at is None


def test_after_the_window_the_comment_stays_as_it_was_read(client, cast, completed):
    comment = a_comment(cast.coach, completed)
    late = timezone.now() - datetime.timedelta(minutes=Comment.EDIT_WINDOW_MINUTES + 1)
    Comment.objects.filter(pk=comment.pk).update(created_at=late)
    client.force_login(cast.coach)
    results = reverse("assessments:results", args=[completed.pk])
    assert edit_url(comment) not in client.get(results).content.decode()
    response = client.get(edit_url(comment))
    assert response.status_code == 302
    response = client.post(edit_url(comment), {"body": "Changed later."})
    assert response.status_code == 422
    assert "This comment can no longer be edited" in response.content.decode()
    assert "Changed later." in response.content.decode()  # the text typed is kept on the page
    comment.refresh_from_db()
    assert comment.body == "Why did D11 fall?" and comment.edited_at is None


@pytest.mark.parametrize("who", ["member", "facilitator", "meeting_coach", "orgadmin"])
def test_nobody_edits_someone_elses_comment(client, cast, completed, who):
    comment = a_comment(cast.coach, completed)
    client.force_login(getattr(cast, who))
    assert client.get(edit_url(comment)).status_code == 403
    assert client.post(edit_url(comment), {"body": "Rewritten."}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Why did D11 fall?"
    page = client.get(reverse("assessments:results", args=[completed.pk])).content.decode()
    assert edit_url(comment) not in page


def test_an_empty_edit_is_refused_and_the_comment_unchanged(client, cast, completed):
    comment = a_comment(cast.coach, completed)
    client.force_login(cast.coach)
    response = client.post(edit_url(comment), {"body": ""})
    assert response.status_code == 422
    comment.refresh_from_db()
    assert comment.body == "Why did D11 fall?"


def test_there_is_no_way_to_delete_a_comment(client, cast, completed):
    comment = a_comment(cast.coach, completed)
    client.force_login(cast.coach)
    client.delete(edit_url(comment))
    assert Comment.objects.filter(pk=comment.pk).exists()


# What is new to a person


def test_the_team_page_lists_comments_new_to_the_person_and_mark_seen_takes_one_off(client, cast, completed):
    theirs = a_comment(cast.coach, completed, body="Please look at D11.")
    a_comment(cast.member, completed, body="My own words.")  # one's own comment is not news
    other = make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    a_comment(cast.outsider, other, body="Another team's business.")
    client.force_login(cast.member)
    team_page = reverse("assessments:team_detail", args=[cast.team.pk])
    html = client.get(team_page).content.decode()
    assert "New comments" in html and "Please look at D11." in html
    assert "My own words." not in html and "Another team" not in html
    results = reverse("assessments:results", args=[completed.pk])
    assert f'href="{results}#comment-{theirs.pk}"' in html
    response = client.post(
        reverse("assessments:mark_seen", args=[cast.team.pk]), {"key": seen_key(theirs.pk), "next": team_page}
    )
    assert response.status_code == 302 and response.url == team_page
    assert Seen.objects.filter(user=cast.member, key=f"comment:{theirs.pk}").exists()
    assert "New comments" not in client.get(team_page).content.decode()


def test_a_key_that_is_not_on_the_persons_list_is_not_marked(client, cast, completed):
    other = make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    theirs = a_comment(cast.outsider, other)
    mine = a_comment(cast.member, completed)
    client.force_login(cast.member)
    url = reverse("assessments:mark_seen", args=[cast.team.pk])
    for key in [seen_key(theirs.pk), seen_key(mine.pk), "anything:at:all", "x" * 500, ""]:
        assert client.post(url, {"key": key}).status_code == 302
    assert not Seen.objects.exists()
    assert (
        client.post(
            reverse("assessments:mark_seen", args=[cast.other_team.pk]), {"key": seen_key(theirs.pk)}
        ).status_code
        == 404
    )
    assert not Seen.objects.exists()


def test_comments_from_before_the_person_joined_are_not_new_to_them(client, cast, completed):
    a_comment(cast.coach, completed, body="Old news.")
    newcomer = UserFactory(username="nia")
    OrganizationMembership.objects.create(
        organization=cast.team.organization,
        user=newcomer,
        joined_at=timezone.now() + datetime.timedelta(seconds=1),
    )
    Membership.objects.create(team=cast.team, user=newcomer)
    client.force_login(newcomer)
    assert (
        "Old news."
        not in client.get(reverse("assessments:team_detail", args=[cast.team.pk])).content.decode()
    )


def test_the_home_page_counts_new_comments_per_team(client, cast, completed):
    a_comment(cast.coach, completed)
    a_comment(cast.facilitator, completed)
    client.force_login(cast.member)
    html = client.get(reverse("home")).content.decode()
    team_page = reverse("assessments:team_detail", args=[cast.team.pk])
    assert f'<a href="{team_page}#new-comments">2 new comments</a>' in html


def test_the_home_page_counts_new_comments_in_the_teams_one_coaches(client, cast, completed):
    a_comment(cast.member, completed)
    client.force_login(cast.coach)
    html = client.get(reverse("home")).content.decode()
    team_page = reverse("assessments:team_detail", args=[cast.team.pk])
    assert f'<a href="{team_page}#new-comments">1 new comment</a>' in html


def test_staff_reading_a_team_have_no_new_comments(client, cast, completed):
    a_comment(cast.coach, completed)
    client.force_login(cast.admin)
    assert (
        "New comments"
        not in client.get(reverse("assessments:team_detail", args=[cast.team.pk])).content.decode()
    )


# Queries do not grow with comments or teams


def many_comments(cast, assessment, n):
    items = list(assessment.version.best_practices.all())
    for i in range(n):
        parent = Comment.objects.create(
            team=cast.team,
            assessment=assessment,
            author=cast.coach,
            body=f"Comment {i}",
            item=items[i % len(items)] if i % 2 else None,
        )
        Comment.objects.create(
            team=cast.team,
            assessment=assessment,
            author=cast.member,
            body=f"Reply {i}",
            item=parent.item,
            parent=parent,
        )


@pytest.mark.parametrize("page", ["results", "driver_detail", "team_detail", "home"])
def test_pages_with_comments_run_the_same_queries_for_few_or_many(client, cast, completed, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = {
        "results": reverse("assessments:results", args=[completed.pk]),
        "driver_detail": reverse("assessments:driver_detail", args=[completed.pk, "D11"]),
        "team_detail": reverse("assessments:team_detail", args=[cast.team.pk]),
        "home": reverse("home"),
    }
    client.force_login(cast.facilitator)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(urls[page]).status_code == 200
        return len(captured.captured_queries)

    many_comments(cast, completed, 1)
    few = count()
    many_comments(cast, completed, 30)
    for n in range(5):  # and more teams with comments, for the home page's counts
        team = TeamFactory(organization=cast.team.organization, name=f"Extra {n}")
        add_member(team, cast.facilitator, "facilitator")
        add_coach(team, cast.coach)
        other = make_completed_assessment(team=team, version=cast.version, by=cast.facilitator)
        a_comment(cast.coach, other)
    assert count() == few


def test_the_action_comments_partial_renders_threads_and_forms_for_the_action_page(rf, cast, completed):
    """The action plan's page includes actions/partials/action_comments.html: its context, as documented."""
    from django.template.loader import render_to_string

    from assessments.access import team_for_user
    from assessments.actions.selectors.comments import action_threads

    action = an_action(cast.team, completed)
    first = Comment.objects.create(team=cast.team, action=action, author=cast.coach, body="Owner?")
    request = rf.get("/somewhere/")
    request.user = cast.coach
    html = render_to_string(
        "actions/partials/action_comments.html",
        {
            "action": action,
            "action_comments": action_threads(action=action, viewer=cast.coach),
            "team": cast.team,
            "access": team_for_user(cast.coach, cast.team.pk),
        },
        request=request,
    )
    assert f'action="{reverse("assessments:action_comment", args=[cast.team.pk, action.pk])}"' in html
    assert f'action="{reverse("assessments:comment_reply", args=[cast.team.pk, first.pk])}"' in html
    assert "Owner?" in html and "Comment on this action" in html
