"""Who may open and change the action plan: everyone with a part in the team reads it; facilitators,
members and organization admins change it; coaches (a coach who runs the meetings too) and staff read and
are refused (403) with nothing changed; an outsider, and an action of another team, get 404."""

import datetime

import pytest
from django.urls import reverse

from assessments.access import Need
from assessments.actions.models import ActionItem, ProgressNote
from tests.assessments.actions.plan_data import completed, make_action
from tests.assessments.test_url_needs import needs
from tests.factories import make_completed_assessment

pytestmark = pytest.mark.django_db

ROLES = ["facilitator", "member", "orgadmin", "coach", "meeting_coach", "admin", "outsider"]
PLANNERS = {"facilitator", "member", "orgadmin"}


def expected(who: str, need: str) -> str:
    if who == "outsider":
        return "404"
    if need == "read" or who in PLANNERS:
        return "served"
    return "403"


def outcome(status: int) -> str:
    return {403: "403", 404: "404"}.get(status, "served")


@pytest.fixture
def action(cast):
    return make_action(completed(cast), owner=cast.member, due_on=datetime.date(2026, 6, 30))


def edit_form(action, cast):
    return {
        "title": "Changed",
        "items": ["D11-1"],
        "owner": cast.member2.pk,
        "owner_name": "",
        "due_on": "2026-07-31",
        "details": "",
    }


def requests(cast, action):
    """(need, method, url, data) of every page of the plan."""
    team, pk = cast.team.pk, action.pk
    return {
        "plan": ("read", "get", reverse("assessments:action_plan", args=[team]), None),
        "new (form)": (
            "plan",
            "get",
            reverse("assessments:action_new", args=[team]) + f"?assessment={action.assessment_id}&item=D11-2",
            None,
        ),
        "new (list)": ("plan", "get", reverse("assessments:action_new", args=[team]), None),
        "detail": ("read", "get", reverse("assessments:action_detail", args=[team, pk]), None),
        "export csv": ("read", "get", reverse("assessments:export_plan", args=[team, "csv"]), None),
        "export xlsx": ("read", "get", reverse("assessments:export_plan", args=[team, "xlsx"]), None),
        "edit": (
            "plan",
            "post",
            reverse("assessments:action_detail", args=[team, pk]),
            edit_form(action, cast),
        ),
        "status": ("plan", "post", reverse("assessments:action_status", args=[team, pk]), {"status": "done"}),
        "note": (
            "plan",
            "post",
            reverse("assessments:progress_note_add", args=[team, pk]),
            {"text": "Drafted.", "written_on": "2026-04-01"},
        ),
        "new (post)": (
            "plan",
            "post",
            reverse("assessments:action_new", args=[team]),
            {
                "assessment": action.assessment_id,
                "driver": "D11",
                "title": "Another",
                "owner": cast.member.pk,
                "due_on": "2026-06-30",
            },
        ),
    }


PAGES = ["plan", "new (form)", "new (list)", "detail", "export csv", "export xlsx"]
WRITES = ["edit", "status", "note", "new (post)"]


@pytest.mark.parametrize("page", PAGES + WRITES)
@pytest.mark.parametrize("who", ROLES)
def test_each_role_gets_what_its_part_allows(client, cast, action, page, who):
    need, method, url, data = requests(cast, action)[page]
    client.force_login(getattr(cast, who))
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert outcome(response.status_code) == expected(who, need)
    if method == "post" and who in PLANNERS:
        assert response.status_code == 302  # written, and sent back to a page


@pytest.mark.parametrize("page", WRITES)
@pytest.mark.parametrize("who", ["coach", "meeting_coach", "admin", "outsider"])
def test_a_refused_write_changes_nothing(client, cast, action, page, who):
    _need, _method, url, data = requests(cast, action)[page]
    written = action.history.count()
    client.force_login(getattr(cast, who))
    assert client.post(url, data).status_code in (403, 404)
    action.refresh_from_db()
    assert (action.title, action.status, action.owner) == ("Write the coaching plan", "planned", cast.member)
    assert list(action.items.values_list("code", flat=True)) == ["D11-2"]
    assert ActionItem.objects.count() == 1 and not ProgressNote.objects.exists()
    assert action.history.count() == written


@pytest.mark.parametrize("page", ["detail", "edit", "status", "note"])
def test_another_team_s_action_is_not_found_through_one_s_own_team(client, cast, page):
    """The action id is of Harbor's plan; fiona asks for it under Riverside, her own team: 404."""
    theirs = make_action(
        make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider),
        owner=cast.outsider,
    )
    _need, method, url, data = requests(cast, theirs)[page]
    client.force_login(cast.facilitator)
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Write the coaching plan" and theirs.status == "planned"
    assert not ProgressNote.objects.exists()


def test_an_outsider_cannot_reach_an_action_through_their_own_team(client, cast, action):
    client.force_login(cast.outsider)
    url = reverse("assessments:action_detail", args=[cast.other_team.pk, action.pk])
    assert client.get(url).status_code == 404
    status = reverse("assessments:action_status", args=[cast.other_team.pk, action.pk])
    assert client.post(status, {"status": "done"}).status_code == 404
    action.refresh_from_db()
    assert action.status == "planned"


def test_a_new_action_cannot_come_from_another_team_s_assessment(client, cast):
    theirs = make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    client.force_login(cast.facilitator)
    response = client.post(
        reverse("assessments:action_new", args=[cast.team.pk]),
        {
            "assessment": theirs.pk,
            "driver": "D11",
            "title": "Mine",
            "owner": cast.member.pk,
            "due_on": "2026-06-30",
        },
    )
    assert response.status_code == 400 and not ActionItem.objects.exists()


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, cast, action, page):
    _need, _method, url, _data = requests(cast, action)[page]
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_pages_declare_their_needs(cast):
    declared = needs()
    assert {
        name: declared[f"assessments:{name}"]
        for name in [
            "action_plan",
            "action_new",
            "action_detail",
            "action_status",
            "progress_note_add",
            "export_plan",
        ]
    } == {
        "action_plan": Need.READ,
        "action_new": Need.PLAN,
        "action_detail": Need.READ,  # its POST (an edit) asks for PLAN itself
        "action_status": Need.PLAN,
        "progress_note_add": Need.PLAN,
        "export_plan": Need.READ,
    }


def test_staff_read_actions_and_comments_with_their_history_in_the_admin_and_change_nothing(client, cast):
    action = make_action(completed(cast), owner=cast.member)
    client.force_login(cast.admin)
    change = reverse("admin:actions_actionitem_change", args=[action.pk])
    assert client.get(change).status_code == 200
    history = client.get(reverse("admin:actions_actionitem_history", args=[action.pk]))
    assert history.status_code == 200 and action.title in history.content.decode()
    client.post(change, {"title": "Changed in the admin"})
    action.refresh_from_db()
    assert action.title != "Changed in the admin"
    assert client.get(reverse("admin:actions_actionitem_add")).status_code == 403
    assert ActionItem.objects.count() == 1
