"""The demo's improvement cycle (`manage.py demo`): actions after the teams' earlier assessments whose effect
shows in the later ones, actions under way and overdue, targets, coach comments and a reply, and a coach's
queue with something in it."""

import datetime
import io

import pytest
from django.core.management import call_command

from assessments import selectors
from assessments.actions.models import ActionItem, Comment, ProgressNote, Target
from assessments.actions.reminders import reminder_digests
from assessments.models import Assessment, CoachAssignment, Membership, Response, Team
from assessments.scoring import assessment_scores
from drivers import lineage

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())
    return {team.name: team for team in Team.objects.all()}


def completed(team) -> list[Assessment]:
    return list(team.assessments.filter(status=Assessment.Status.COMPLETED).order_by("held_on", "pk"))


def answers(assessment) -> dict[str, int | None]:
    """Consensus scores by item lineage key: how items are matched across assessments."""
    return {
        lineage.item_key(r.item): r.score
        for r in Response.objects.filter(assessment=assessment).select_related("item")
    }


def test_actions_follow_each_earlier_assessment_some_done_some_overdue_one_dropped(demo):
    for name in ("Riverside Reading Team", "District Behavior Support Team"):
        team = demo[name]
        earlier = completed(team)[:-1]
        assert len(earlier) == 2
        for assessment in earlier:
            actions = list(assessment.actions.all())
            done = [a for a in actions if a.status == ActionItem.Status.DONE]
            assert len(done) >= 2, (name, assessment.held_on)
            for action in done:
                assert assessment.held_on < action.done_on <= TODAY
                assert action.notes.count() >= 2
        overdue = team.actions.filter(status__in=ActionItem.OPEN, due_on__lt=TODAY)
        assert overdue.count() >= 2  # one carried over from an earlier assessment, one since the latest
        assert team.actions.filter(status=ActionItem.Status.IN_PROGRESS, due_on__gte=TODAY).exists()
        assert team.actions.filter(status=ActionItem.Status.PLANNED).exists()
    (dropped,) = ActionItem.objects.filter(status=ActionItem.Status.DROPPED)
    assert dropped.dropped_reason and dropped.team.name == "Riverside Reading Team"
    assert ProgressNote.objects.filter(action__status=ActionItem.Status.IN_PROGRESS).exists()


def test_each_action_is_on_an_item_that_was_not_or_partly_in_place_and_owned_on_the_team(demo):
    actions = ActionItem.objects.select_related("assessment").prefetch_related("items")
    assert actions.count() >= 20
    for action in actions:
        scores = answers(action.assessment)
        (item,) = action.items.all()
        assert item.version_id == action.assessment.version_id and item.driver_id == action.driver_id
        assert scores[lineage.item_key(item)] in (0, 1), action
        assert action.due_on > action.assessment.held_on
        if action.owner_id:
            assert Membership.objects.filter(team=action.team, user=action.owner).exists()
        else:
            assert action.owner_name
    named = ActionItem.objects.filter(owner__isnull=True).values_list("owner_name", flat=True)
    assert "Jordan Lee" in named


def test_a_done_actions_items_score_higher_in_every_later_assessment(demo):
    done = ActionItem.objects.filter(status=ActionItem.Status.DONE).prefetch_related("items")
    assert done.count() >= 8
    for action in done:
        later = [a for a in completed(action.team) if a.held_on > action.assessment.held_on]
        assert later, action
        before = answers(action.assessment)
        for item in action.items.all():
            key = lineage.item_key(item)
            assert all(answers(a)[key] > before[key] for a in later), (action, key)


def test_the_loop_moves_the_drivers_the_team_worked_on(demo):
    """The earlier assessments' done actions raise their drivers: at least one driver of each team with done
    actions scores higher at the next assessment."""
    for name in ("Riverside Reading Team", "District Behavior Support Team"):
        first, second, *_rest = completed(demo[name])
        scores = assessment_scores(assessments=[first, second])
        driver_keys = {
            lineage.driver_key(a.driver) for a in first.actions.filter(status="done").select_related("driver")
        }
        moved = [
            key
            for key in driver_keys
            if scores[second.pk].counterpart_score(key).rounded
            > scores[first.pk].counterpart_score(key).rounded
        ]
        assert moved, name


def test_the_coach_commented_on_an_assessment_an_item_and_an_action_and_a_member_replied(demo):
    coach = CoachAssignment.objects.filter(team=demo["Riverside Reading Team"]).get().coach
    by_coach = Comment.objects.filter(author=coach)
    assert by_coach.filter(assessment__isnull=False, item__isnull=True, parent__isnull=True).exists()
    on_item = by_coach.get(item__isnull=False)
    assert on_item.item.version_id == on_item.assessment.version_id
    assert by_coach.filter(action__isnull=False).exists()
    reply = Comment.objects.get(parent__isnull=False)
    assert reply.parent.author == coach
    assert Membership.objects.filter(team=reply.team, user=reply.author, role="member").exists()


def test_riverside_has_targets_for_its_next_assessment_above_its_latest_scores(demo):
    team = demo["Riverside Reading Team"]
    latest = completed(team)[-1]
    targets = list(Target.objects.filter(team=team))
    assert len(targets) == 3 and all(t.set_after_id == latest.pk for t in targets)
    scores = assessment_scores(assessments=[latest])[latest.pk]
    driver_keys = {lineage.driver_key(d) for d in latest.version.drivers.all()}
    for target in targets:
        assert target.driver_key in driver_keys
        assert scores.counterpart_score(target.driver_key).rounded < target.percent <= 100


def test_the_coachs_queue_has_real_entries(demo):
    coached = Team.objects.filter(coach_assignments__coach__username="coach")
    assert ActionItem.objects.filter(team__in=coached, status__in=ActionItem.OPEN, due_on__lt=TODAY).exists()
    assert Assessment.objects.filter(team__in=coached, status=Assessment.Status.CONSENSUS).exists()
    idle_and_overdue = [
        team
        for team in coached
        if selectors.team_unfinished_assessment(team=team) is None
        and selectors.team_next_assessment(team=team).overdue
    ]
    assert [t.name for t in idle_and_overdue] == ["District Behavior Support Team"]


def test_the_demo_gives_the_daily_reminders_something_to_say(demo):
    digests, _already = reminder_digests(on=TODAY)
    kinds = {type(entry).__name__ for digest in digests for entry in digest.entries}
    assert kinds == {"VoteReminder", "ActionReminder", "AssessmentReminder"}


def test_running_the_demo_again_adds_nothing(demo):
    counts = (ActionItem.objects.count(), ProgressNote.objects.count(), Target.objects.count())
    comments = Comment.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert (ActionItem.objects.count(), ProgressNote.objects.count(), Target.objects.count()) == counts
    assert Comment.objects.count() == comments
