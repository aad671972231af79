"""Closing the loop: what happened to an action's items between the assessment it came from and a later
completed one, matched across content versions only through lineage; the actions since the previous
assessment; the open actions on the items of the next consensus board."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.actions.models import ActionItem
from assessments.actions.selectors.loop import Movement, action_outcomes, actions_since, open_actions_by_item
from tests.assessments.actions.loop_data import act, completed
from tests.assessments.upgrade_content import make_second_version
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db


def outcome_of(action, **kwargs):
    return action_outcomes(actions=[action], **kwargs)[action.pk]


def test_an_item_not_in_place_then_partly_in_place_moved_up(cast):
    first = completed(cast, cast.version, (2025, 9), {"D11-1": 0})
    action = act(first, "D11-1")
    later = completed(cast, cast.version, (2026, 3), {"D11-1": 1})
    outcome = outcome_of(action)
    assert outcome.later == later
    assert outcome.lines == ["D11-1: Not in place → Partially in place"]
    assert outcome.movement == Movement.UP


def test_items_that_fell_or_stayed_say_so_and_the_action_reads_as_mixed_or_fell(cast):
    first = completed(cast, cast.version, (2025, 9), {"D11-1": 2, "D11-2": 1, "D11-3": 0})
    both = act(first, "D11-1", "D11-3")
    same = act(first, "D11-2")
    completed(cast, cast.version, (2026, 3), {"D11-1": 1, "D11-2": 1, "D11-3": 2})
    outcomes = action_outcomes(actions=[both, same])
    assert [i.movement for i in outcomes[both.pk].items] == [Movement.FELL, Movement.UP]
    assert outcomes[both.pk].movement == Movement.MIXED
    assert outcomes[same.pk].lines == ["D11-2: Partially in place → Partially in place"]
    assert outcomes[same.pk].movement == Movement.SAME


def test_an_action_without_a_later_completed_assessment_is_not_yet_assessed_again(cast):
    first = completed(cast, cast.version, (2025, 9), {"D11-1": 0})
    make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=datetime.date(2026, 3, 1)
    )
    outcome = outcome_of(act(first, "D11-1"))
    assert outcome.later is None
    assert outcome.movement == Movement.NOT_YET
    assert outcome.lines == ["D11-1: Not in place (not yet assessed again)"]


def test_the_loop_compares_with_the_teams_latest_completed_assessment(cast):
    first = completed(cast, cast.version, (2025, 3), {"D11-1": 0})
    completed(cast, cast.version, (2025, 9), {"D11-1": 1})
    latest = completed(cast, cast.version, (2026, 3), {"D11-1": 2})
    outcome = outcome_of(act(first, "D11-1"))
    assert outcome.later == latest
    assert outcome.lines == ["D11-1: Not in place → In place"]


def test_an_na_answer_cannot_be_compared(cast):
    first = completed(cast, cast.version, (2025, 9), {"D11-1": 0})
    action = act(first, "D11-1")
    completed(cast, cast.version, (2026, 3), {"D11-1": None})
    outcome = outcome_of(action)
    assert outcome.movement == Movement.UNCLEAR
    assert outcome.lines == ["D11-1: Not in place → Not applicable"]


@pytest.fixture
def across_versions(cast):
    """An assessment on v1 with actions on items that v2 rewords, recodes, splits, merges and removes; the
    next assessment is on v2."""
    first = completed(
        cast,
        cast.version,
        (2025, 9),
        {"D11-1": 0, "D11-2": 0, "D12-1": 1, "D21-2": 0, "D22-3": 0},
    )
    second = make_second_version(cast.version)
    actions = {code: act(first, code) for code in ("D11-1", "D11-2", "D12-1", "D21-2", "D22-3")}
    later = completed(
        cast,
        second,
        (2026, 3),
        {"D11-1": 1, "D11-5": 2, "D12-1": 2, "D12-4": 0, "D21-1": 1},
    )
    return first, later, actions


def test_a_reworded_item_keeps_its_history_into_the_new_version(across_versions):
    _first, _later, actions = across_versions
    assert outcome_of(actions["D11-1"]).lines == ["D11-1: Not in place → Partially in place"]


def test_a_recoded_item_is_followed_to_its_new_code(across_versions):
    _first, _later, actions = across_versions
    outcome = outcome_of(actions["D11-2"])
    assert outcome.lines == ["D11-2 (now D11-5): Not in place → In place"]
    assert outcome.movement == Movement.UP


def test_a_split_item_shows_its_successors(across_versions):
    _first, _later, actions = across_versions
    outcome = outcome_of(actions["D12-1"])
    assert outcome.lines == ["D12-1: Partially in place → split into D12-1: In place, D12-4: Not in place"]
    assert [s.movement for s in outcome.items[0].after] == [Movement.UP, Movement.FELL]
    assert outcome.movement == Movement.MIXED


def test_a_merged_item_shows_the_item_it_joined(across_versions):
    _first, _later, actions = across_versions
    assert outcome_of(actions["D21-2"]).lines == [
        "D21-2: Not in place → merged into D21-1: Partially in place"
    ]


def test_a_removed_item_is_said_to_be_gone(across_versions):
    _first, _later, actions = across_versions
    outcome = outcome_of(actions["D22-3"])
    assert outcome.lines == ["D22-3: Not in place → no longer in the framework"]
    assert outcome.movement == Movement.UNCLEAR


def test_a_driver_level_action_shows_the_change_of_the_drivers_score(cast):
    first = completed(cast, cast.version, (2025, 9), {"D11-1": 0, "D11-2": 0, "D11-3": 1})
    action = act(first, driver="D11")
    completed(cast, cast.version, (2026, 3), {"D11-1": 2, "D11-2": 2, "D11-3": 1})
    outcome = outcome_of(action)
    assert outcome.items == ()
    assert outcome.lines == ["D11: 17% → 83% (+66 pts)"]  # 1 of 6, then 5 of 6: the shown percents
    assert outcome.movement == Movement.UP


def test_outcomes_are_read_in_the_same_number_of_queries_for_one_action_or_many(cast):
    def measure(actions):
        with CaptureQueriesContext(connection) as queries:
            action_outcomes(actions=actions)
        return len(queries)

    first = completed(cast, cast.version, (2025, 9), {})
    other = completed(cast, cast.version, (2025, 9), {}, team=cast.other_team)
    one = [act(first, "D11-1"), act(first, driver="D12")]
    completed(cast, cast.version, (2026, 3), {})
    small = measure(one)
    many = one + [act(a, "D11-2", "D21-3") for a in (first, other) for _n in range(20)]
    many += [act(a, driver="D22") for a in (first, other) for _n in range(20)]
    assert measure(many) == small
    # actions, their items, the teams' latest completed assessments, answers, driver scores (2)
    assert small == 6


def test_actions_since_the_previous_assessment_are_grouped_by_driver(cast):
    oldest = completed(cast, cast.version, (2025, 3), {"D11-1": 0})
    previous = completed(cast, cast.version, (2025, 9), {"D11-1": 0, "D21-1": 1})
    from_previous = act(previous, "D11-1", title="Write the role description")
    created = {
        datetime.date(2025, 12, 1): act(oldest, "D21-1", title="Planned between the two"),
        datetime.date(2025, 4, 1): act(oldest, "D11-1", title="Reviewed at the previous assessment"),
        datetime.date(2026, 6, 1): act(oldest, "D12-1", title="Planned after this one"),
    }
    for day, action in created.items():
        at = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        ActionItem.objects.filter(pk=action.pk).update(created_at=at)
    this = completed(cast, cast.version, (2026, 3), {"D11-1": 1, "D21-1": 2})
    act(this, "D11-1", title="For next time")
    other = completed(cast, cast.version, (2025, 9), {}, team=cast.other_team)
    act(other, "D11-1", title="Another team's")
    since = actions_since(assessment=this, previous=previous)
    assert {key: [e.action for e in entries] for key, entries in since.items()} == {
        "D11": [from_previous],
        "D21": [created[datetime.date(2025, 12, 1)]],
    }
    assert since["D11"][0].outcome.lines == ["D11-1: Not in place → Partially in place"]
    assert since["D21"][0].outcome.lines == ["D21-1: Partially in place → In place"]
    assert actions_since(assessment=previous, previous=None) == {}


def test_the_open_actions_of_an_earlier_version_show_on_the_items_that_carry_them_on(across_versions, cast):
    first, later, actions = across_versions
    ActionItem.objects.filter(pk=actions["D11-1"].pk).update(status="done")
    act(first, "D11-1", status="in_progress", title="Still going")
    act(first, "D11-1", status="dropped", title="Dropped")
    next_one = make_assessment(
        team=cast.team, version=later.version, by=cast.facilitator, held_on=datetime.date(2026, 9, 1)
    )
    board = open_actions_by_item(assessment=next_one)
    by_code = {
        item.code: [o.action.title for o in board.get(item.pk, [])]
        for item in later.version.best_practices.all()
    }
    assert by_code["D11-1"] == ["Still going"]
    assert by_code["D11-5"] == ["Work on D11-2"]
    assert by_code["D12-1"] == by_code["D12-4"] == ["Work on D12-1"]
    assert by_code["D21-1"] == ["Work on D21-2"]
    assert by_code["D12-2"] == [] and by_code["D22-4"] == []
    other = completed(cast, later.version, (2026, 3), {}, team=cast.other_team)
    act(other, "D12-2")
    assert (
        open_actions_by_item(assessment=next_one).get(later.version.best_practices.get(code="D12-2").pk)
        is None
    )


def test_the_outcome_partial_renders_the_lines_and_the_movement(cast):
    first = completed(cast, cast.version, (2025, 9), {"D11-1": 0, "D11-2": 2})
    action = act(first, "D11-1", "D11-2")
    completed(cast, cast.version, (2026, 3), {"D11-1": 1, "D11-2": 0})
    html = render_to_string("actions/partials/outcome.html", {"outcome": outcome_of(action)})
    assert "some moved up, some fell" in html
    assert "D11-1: Not in place → Partially in place" in html
    assert "D11-2: In place → Not in place" in html
    assert "from the assessment of 1 Sep 2025 to the one of 1 Mar 2026" in html


@pytest.fixture
def board(cast):
    first = completed(cast, cast.version, (2025, 9), {"D11-1": 0})
    act(
        first,
        "D11-1",
        title="Write the role description",
        owner=cast.member,
        due_on=datetime.date(2026, 5, 1),
    )
    act(first, "D11-1", title="Finished already", status="done")
    assessment = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=datetime.date(2026, 3, 1)
    )
    assessment.status = "consensus"
    assessment.save()
    return assessment


def test_the_consensus_board_shows_the_open_actions_on_each_item(client, cast, board):
    client.force_login(cast.coach)
    page = client.get(reverse("assessments:consensus", args=[board.pk])).content.decode()
    item = page[page.index('id="item-D11-1"') : page.index('id="item-D11-2"')]
    assert "Open action on this item" in item
    assert "Write the role description" in item and "Mark" in item and "due 1 May 2026" in item
    assert "Finished already" not in page
    assert page.count("open-actions") == 1


def test_saving_an_answer_on_the_board_keeps_the_items_open_actions(client, cast, board):
    client.force_login(cast.facilitator)
    response = client.post(
        reverse("assessments:response_save", args=[board.pk, "D11-1"]),
        {"D11-1-score": "1", "D11-1-revision": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Write the role description" in response.content.decode()


def test_meeting_mode_shows_the_open_actions_on_the_item_on_screen_only(client, cast, board):
    client.force_login(cast.facilitator)
    on_item = client.get(reverse("assessments:meeting_item", args=[board.pk, "D11-1"])).content.decode()
    assert "Open action on this item" in on_item
    assert "Write the role description" in on_item and "due 1 May 2026" in on_item
    assert "Finished already" not in on_item
    other = client.get(reverse("assessments:meeting_item", args=[board.pk, "D11-2"])).content.decode()
    assert "open-actions" not in other and "Write the role description" not in other


def test_an_open_action_past_its_due_date_is_marked_overdue_on_the_board(client, cast, board):
    item = cast.version.best_practices.get(code="D11-1").pk
    on_the_day = open_actions_by_item(assessment=board, today=datetime.date(2026, 5, 1))[item]
    after = open_actions_by_item(assessment=board, today=datetime.date(2026, 5, 2))[item]
    assert [(o.action.title, o.overdue) for o in on_the_day] == [("Write the role description", False)]
    assert [(o.action.title, o.overdue) for o in after] == [("Write the role description", True)]
    # The pages read today's date: the action was due on 1 May 2026.
    client.force_login(cast.facilitator)
    for url in (
        reverse("assessments:consensus", args=[board.pk]),
        reverse("assessments:meeting_item", args=[board.pk, "D11-1"]),
    ):
        page = client.get(url).content.decode()
        box = page[page.index('class="open-actions') :]
        box = box[: box.index("</div>")]
        assert "due 1 May 2026 · Planned · <strong>overdue</strong>" in " ".join(box.split())
