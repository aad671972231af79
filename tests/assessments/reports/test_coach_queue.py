"""The coach queue on the home page: what needs the coach across the teams they coach, in a fixed order,
each entry linked to where it is dealt with and marked seen one by one; members never see it."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.actions.models import ActionItem, Comment, Seen
from assessments.models import Assessment, CoachAssignment, Membership, Response, Team, Vote
from assessments.reports.queue import Kind, coach_queue
from assessments.services.scores import tallies_store
from drivers.services import version_publish
from tests.factories import (
    OrganizationFactory,
    TeamFactory,
    UserFactory,
    add_coach,
    make_assessment,
    make_completed_assessment,
    make_version,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HOME = reverse("home")


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def action(team, assessment, title, due_on, status="planned"):
    driver = assessment.version.drivers.order_by("code").first()
    return ActionItem.objects.create(
        team=team,
        assessment=assessment,
        driver=driver,
        title=title,
        due_on=due_on,
        status=status,
        dropped_reason="No longer needed." if status == "dropped" else "",
    )


def votes(assessment, item_code, *pairs):
    item = assessment.version.best_practices.get(code=item_code)
    Vote.objects.bulk_create(Vote(assessment=assessment, item=item, member=m, answer=a) for m, a in pairs)


@pytest.fixture
def world(cast):
    """Carmen coaches Riverside and four more teams of its organization; Harbor (another organization, not
    hers) has work of its own that must not reach her queue."""
    v = cast.version
    org = cast.team.organization
    before = make_completed_assessment(
        team=cast.team,
        version=v,
        by=cast.facilitator,
        held_on=days_ago(200),
        scores={"D11-1": 2, "D11-2": 2, "D11-3": 2, "D12-1": 2},
    )
    latest = make_completed_assessment(
        team=cast.team,
        version=v,
        by=cast.facilitator,
        held_on=days_ago(20),
        scores={"D11-1": 0, "D11-2": 0, "D11-3": 0, "D12-1": 2, "D21-1": 0},
    )
    # D12-1: a 2 and a 0 both times (apart); D12-2 only the last time; D22-1 a 2 and a 1 (not far apart).
    for a in (before, latest):
        votes(a, "D12-1", (cast.member, "2"), (cast.member2, "0"))
        votes(a, "D22-1", (cast.member, "2"), (cast.member2, "1"))
    votes(latest, "D12-2", (cast.member, "2"), (cast.member2, "0"))
    late = action(cast.team, before, "Write the coaching plan", days_ago(10))
    later = action(cast.team, before, "Train the interviewers", days_ago(3), status="in_progress")
    action(cast.team, before, "Done already", days_ago(30), status="done")
    action(cast.team, before, "Dropped", days_ago(30), status="dropped")
    action(cast.team, before, "Not yet due", TODAY)
    action(cast.team, before, "No date", None)

    hillside = TeamFactory(organization=org, name="Hillside")
    make_completed_assessment(team=hillside, version=v, by=cast.coach, held_on=days_ago(300))
    old_wait = make_assessment(
        team=hillside, version=v, by=cast.coach, status="consensus", held_on=days_ago(90)
    )
    lakeside = TeamFactory(organization=org, name="Lakeside")
    new_wait = make_assessment(
        team=lakeside, version=v, by=cast.coach, status="consensus", held_on=days_ago(40)
    )
    brookside = TeamFactory(organization=org, name="Brookside")
    make_completed_assessment(team=brookside, version=v, by=cast.coach, held_on=days_ago(250))
    newfield = TeamFactory(organization=org, name="Newfield")
    for team in (hillside, lakeside, brookside, newfield):
        add_coach(team, cast.coach)

    harbor_done = make_completed_assessment(
        team=cast.other_team, version=v, by=cast.outsider, held_on=days_ago(400)
    )
    action(cast.other_team, harbor_done, "Harbor's own", days_ago(50))

    mine = Comment.objects.create(
        team=cast.team, assessment=latest, author=cast.coach, body="Why did D11 fall?"
    )
    Comment.objects.create(team=cast.team, assessment=latest, author=cast.orgadmin, body="An admin's note.")
    question = Comment.objects.create(
        team=cast.team, assessment=latest, author=cast.member, body="Can we talk?"
    )
    answer = Comment.objects.create(
        team=cast.team, assessment=latest, author=cast.member2, body="We lost our trainer.", parent=mine
    )
    return SimpleNamespace(
        cast=cast,
        before=before,
        latest=latest,
        late=late,
        later=later,
        old_wait=old_wait,
        new_wait=new_wait,
        brookside=brookside,
        newfield=newfield,
        question=question,
        answer=answer,
    )


def describe(entry):
    detail = {
        Kind.OVERDUE: lambda e: e.action.title,
        Kind.CONSENSUS: lambda e: e.assessment.held_on,
        Kind.DUE: lambda e: e.due_on,
        Kind.FELL: lambda e: (e.driver.code, e.change),
        Kind.APART: lambda e: e.code,
        Kind.COMMENT: lambda e: e.comment.body,
    }[entry.kind](entry)
    return (str(entry.kind), entry.team.name, detail)


def test_the_queue_lists_every_kind_in_its_order(world):
    queue = coach_queue(user=world.cast.coach)
    brookside_due = world.brookside.next_assessment_due(days_ago(250))
    assert [describe(e) for e in queue.entries] == [
        ("overdue", "Riverside", "Write the coaching plan"),  # most overdue first
        ("overdue", "Riverside", "Train the interviewers"),
        ("consensus", "Hillside", days_ago(90)),  # oldest first
        ("consensus", "Lakeside", days_ago(40)),
        ("due", "Newfield", None),  # never assessed: its first assessment is due
        ("due", "Brookside", brookside_due),
        ("fell", "Riverside", ("D11", -100)),  # largest fall first
        ("fell", "Riverside", ("D21", -17)),
        ("apart", "Riverside", "D12-1"),
        ("comment", "Riverside", "Can we talk?"),
        ("comment", "Riverside", "We lost our trainer."),
    ]
    assert queue.teams == 5
    assert all(len(e.key) <= 80 for e in queue.entries)


def test_the_home_page_shows_the_queue_with_links_to_where_each_entry_is_dealt_with(client, world):
    client.force_login(world.cast.coach)
    html = client.get(HOME).content.decode()
    assert "Needs your attention" in html
    assert "Across the 5 teams you coach" in html
    latest = world.latest.pk
    for url in [
        reverse("assessments:consensus", args=[world.old_wait.pk]),
        reverse("assessments:team_detail", args=[world.newfield.pk]),
        reverse("assessments:driver_detail", args=[latest, "D11"]),
        reverse("assessments:driver_detail", args=[latest, "D12"]) + "#comments-D12-1",
        reverse("assessments:results", args=[latest]) + f"#comment-{world.question.pk}",
    ]:
        assert f'href="{url}"' in html, url
    assert "10 days overdue" in html and "100% to 0% (-100 pts)" in html
    assert "No assessment completed yet" in html and "Harbor" not in html
    assert html.count("Mark seen") == 11


def mark_seen(client, user, team, key):
    client.force_login(user)
    return client.post(reverse("assessments:mark_seen", args=[team.pk]), {"key": key, "next": HOME})


def test_marking_an_entry_seen_takes_it_off_and_a_changed_entry_comes_back(client, world):
    coach, team = world.cast.coach, world.cast.team
    key = f"overdue:{world.late.pk}:{world.late.due_on.isoformat()}"
    response = mark_seen(client, coach, team, key)
    assert response.status_code == 302 and response.url == HOME
    assert Seen.objects.filter(user=coach, key=key).exists()
    titles = [e.action.title for e in coach_queue(user=coach).entries if e.kind == Kind.OVERDUE]
    assert titles == ["Train the interviewers"]
    # A new due date that passes again is news again.
    world.late.due_on = days_ago(1)
    world.late.save()
    titles = [e.action.title for e in coach_queue(user=coach).entries if e.kind == Kind.OVERDUE]
    assert titles == ["Train the interviewers", "Write the coaching plan"]


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_of_entry_can_be_marked_seen(client, world, kind):
    coach = world.cast.coach
    entry = next(e for e in coach_queue(user=coach).entries if e.kind == kind)
    mark_seen(client, coach, entry.team, entry.key)
    assert entry.key not in {e.key for e in coach_queue(user=coach).entries}
    assert len(coach_queue(user=coach).entries) == 10


def test_a_comment_marked_seen_in_the_queue_is_seen_on_the_team_page_too(client, world):
    coach = world.cast.coach
    mark_seen(client, coach, world.cast.team, f"comment:{world.question.pk}")
    html = client.get(reverse("assessments:team_detail", args=[world.cast.team.pk])).content.decode()
    assert "New comments" in html and "Can we talk?" not in html and "We lost our trainer." in html


def test_an_entry_of_another_team_cannot_be_marked_through_a_team_of_ones_own(client, world):
    coach = world.cast.coach
    brookside_entry = next(e for e in coach_queue(user=coach).entries if e.team == world.brookside)
    mark_seen(client, coach, world.cast.team, brookside_entry.key)
    mark_seen(client, coach, world.cast.team, "overdue:999:2026-01-01")
    assert not Seen.objects.exists()


def test_a_coach_sees_only_the_teams_they_coach(client, world):
    colm = UserFactory(username="colm")
    add_coach(world.cast.other_team, colm)
    queue = coach_queue(user=colm)
    assert {e.team.name for e in queue.entries} == {"Harbor"}
    assert [describe(e) for e in queue.entries] == [
        ("overdue", "Harbor", "Harbor's own"),
        ("due", "Harbor", world.cast.other_team.next_assessment_due(days_ago(400))),
    ]
    assert "Harbor" not in {e.team.name for e in coach_queue(user=world.cast.coach).entries}


def test_a_meeting_coach_has_the_queue_of_the_team_they_coach(world):
    queue = coach_queue(user=world.cast.meeting_coach)
    assert {e.team.name for e in queue.entries} == {"Riverside"}
    # Cody sees the members' comments and the coach's, which are not his: only members' reach the queue.
    assert [e.comment.body for e in queue.entries if e.kind == Kind.COMMENT] == [
        "Can we talk?",
        "We lost our trainer.",
    ]


@pytest.mark.parametrize("who", ["member", "facilitator", "orgadmin", "admin"])
def test_people_who_coach_no_team_have_no_queue(client, world, who):
    user = getattr(world.cast, who)
    assert coach_queue(user=user) is None
    client.force_login(user)
    assert "Needs your attention" not in client.get(HOME).content.decode()


def test_a_member_cannot_mark_queue_entries(client, world):
    key = f"overdue:{world.late.pk}:{world.late.due_on.isoformat()}"
    mark_seen(client, world.cast.member, world.cast.team, key)
    assert not Seen.objects.exists()


def test_a_coach_with_nothing_waiting_is_told_so(client, cast):
    client.force_login(cast.coach)
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator, held_on=TODAY)
    html = client.get(HOME).content.decode()
    assert "Needs your attention" in html and "Nothing needs you in your teams right now." in html


def test_a_team_with_an_assessment_under_way_is_not_listed_as_due(cast):
    make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="open")
    assert [e for e in coach_queue(user=cast.coach).entries if e.kind == Kind.DUE] == []


def test_items_apart_are_matched_across_versions_by_lineage(cast):
    """The next version renames D12-1 to D12-9 (same lineage): still the same item, still apart."""
    newer = make_version(publish=False)
    newer.best_practices.filter(code="D12-1").update(code="D12-9")  # its lineage key stays D12-1
    newer = version_publish(version=newer)
    before = make_completed_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=days_ago(200)
    )
    latest = make_completed_assessment(
        team=cast.team, version=newer, by=cast.facilitator, held_on=days_ago(10)
    )
    votes(before, "D12-1", (cast.member, "0"), (cast.member2, "2"))
    votes(latest, "D12-9", (cast.member, "2"), (cast.member2, "0"))
    (entry,) = [e for e in coach_queue(user=cast.coach).entries if e.kind == Kind.APART]
    assert (entry.code, entry.key) == ("D12-9", f"apart:{latest.pk}:D12-1")


# The queue runs the same queries for 1 team as for 50 teams of 20 actions each


def coached_world(name, teams, cast):
    org = OrganizationFactory(name=name)
    coach = UserFactory(username=f"{name}-coach")
    member = UserFactory(username=f"{name}-member")
    rows = Team.objects.bulk_create(
        Team(organization=org, name=f"{name} {n}", program="Reading") for n in range(teams)
    )
    for team in rows:  # save(): each assignment makes the coach a member of the organization
        CoachAssignment(team=team, coach=coach).save()
    Membership.objects.bulk_create(Membership(team=t, user=member) for t in rows)
    items = list(cast.version.best_practices.all())
    completed = Assessment.objects.bulk_create(
        Assessment(
            team=t,
            version=cast.version,
            created_by=member,
            completed_by=member,
            status="completed",
            stage="installation",
            held_on=days_ago(400 - 200 * n),
        )
        for t in rows
        for n in range(2)
    )
    Response.objects.bulk_create(
        Response(
            assessment=a, item=i, score=2 if a.held_on == days_ago(400) else i.pk % 3, recorded_by=member
        )
        for a in completed
        for i in items
    )
    tallies_store(assessment_ids=[a.pk for a in completed])  # as completing does
    Vote.objects.bulk_create(
        Vote(assessment=a, item=i, member=m, answer=ans)
        for a in completed
        for i in items[:3]
        for m, ans in ((member, "2"), (coach, "0"))
    )
    Assessment.objects.bulk_create(
        Assessment(
            team=t,
            version=cast.version,
            created_by=member,
            status="consensus",
            stage="installation",
            held_on=days_ago(5),
        )
        for t in rows[: teams // 2 or 1]
    )
    driver = items[0].driver
    ActionItem.objects.bulk_create(
        ActionItem(team=a.team, assessment=a, driver=driver, title=f"Action {n}", due_on=days_ago(n + 1))
        for a in completed[::2]
        for n in range(20)
    )
    Comment.objects.bulk_create(
        Comment(team=a.team, assessment=a, author=member, body="A question.") for a in completed
    )
    return coach


def home_queries(client, coach):
    client.force_login(coach)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(captured.captured_queries), response.context["queue"]


def test_the_home_page_with_the_queue_runs_the_same_queries_for_1_team_or_50(client, cast):
    small, small_queue = home_queries(client, coached_world("small", 1, cast))
    large, large_queue = home_queries(client, coached_world("large", 50, cast))
    assert len(small_queue.entries) < 50 < 50 * 20 < len(large_queue.entries)
    assert {e.kind for e in large_queue.entries} == set(Kind)
    # Session and user (2), navigation (1), the team cards (4), the latest version (1), new comment counts
    # (1); the queue: coached teams (1), the portfolio's standings and waiting assessments (6), overdue
    # actions (1), votes far apart (1), seen marks (1), new comments (1).
    assert small == large == 20
