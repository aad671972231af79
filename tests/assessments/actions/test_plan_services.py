"""Writing the action plan: the rules of an action (items of the assessment's version and driver, an
assessment with results, a due date not before it, an owner from the team), its status and progress notes,
the history kept, and the e-mail to the owner."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.actions.models import ActionItem, ProgressNote
from assessments.actions.services.plan import (
    action_create,
    action_set_status,
    action_update,
    progress_note_add,
)
from assessments.models import Profile
from tests.assessments.actions.plan_data import HELD_ON, completed, driver, item, make_action
from tests.factories import TeamFactory, UserFactory, add_member, make_assessment, make_version

pytestmark = pytest.mark.django_db


def create(cast, assessment, **overrides):
    fields = {
        "team": cast.team,
        "assessment": assessment,
        "driver": driver(assessment.version, "D11"),
        "items": [item(assessment.version, "D11-2")],
        "title": "Write the coaching plan",
        "details": "",
        "owner": cast.member,
        "owner_name": "",
        "due_on": datetime.date(2026, 6, 30),
        "by": cast.facilitator,
    }
    return action_create(**(fields | overrides))


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_an_action_is_written_with_its_items_owner_and_due_date(cast):
    assessment = completed(cast)
    action = create(cast, assessment, items=[item(cast.version, "D11-2"), item(cast.version, "D11-3")])
    action.refresh_from_db()
    assert action.team == cast.team and action.assessment == assessment
    assert sorted(i.code for i in action.items.all()) == ["D11-2", "D11-3"]
    assert action.owner == cast.member and action.owner_name == ""
    assert action.status == ActionItem.Status.PLANNED and action.created_by == cast.facilitator
    # Recorded: the row, then its items (a change of the items is a record of its own).
    assert [r.history_type for r in action.history.order_by("history_date")] == ["+", "~"]
    assert sorted(i.bestpractice.code for i in action.history.first().items.all()) == ["D11-2", "D11-3"]


def test_an_action_may_name_the_driver_alone_and_a_person_without_an_account(cast):
    action = create(cast, completed(cast), items=[], owner=None, owner_name="  Jo Park, data lead ")
    assert list(action.items.all()) == [] and action.owner_name == "Jo Park, data lead"
    assert action.owner_label == "Jo Park, data lead"


def test_an_assessment_in_consensus_has_results_to_plan_from(cast):
    consensus = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="consensus")
    assert create(cast, consensus).assessment == consensus


def test_an_assessment_still_open_for_votes_is_refused(cast, open_assessment):
    errors = refusal(lambda: create(cast, open_assessment))
    assert errors["assessment"] == [
        "This assessment is still open for votes: plan actions once its results are in."
    ]
    assert not ActionItem.objects.exists()


def test_an_assessment_of_another_team_is_refused(cast):
    theirs = make_completed_assessment_of(cast.other_team, cast)
    errors = refusal(lambda: create(cast, theirs))
    assert errors["assessment"] == ["This assessment is not one of Riverside's."]
    assert not ActionItem.objects.exists()


def make_completed_assessment_of(team, cast):
    return make_assessment(team=team, version=cast.version, by=cast.outsider, status="completed")


def test_an_item_of_another_version_is_refused(cast):
    assessment = completed(cast)
    newer = make_version()  # the same codes, in version 2
    errors = refusal(lambda: create(cast, assessment, items=[item(newer, "D11-2")]))
    assert errors["items"] == ["D11-2 is not a best practice of this assessment's version."]
    assert not ActionItem.objects.exists()


def test_an_item_of_another_driver_is_refused(cast):
    errors = refusal(lambda: create(cast, completed(cast), items=[item(cast.version, "D21-1")]))
    assert errors["items"] == ["D21-1 is not a best practice of Driver 1.1."]
    assert not ActionItem.objects.exists()


def test_a_driver_of_another_version_is_refused(cast):
    newer = make_version()
    errors = refusal(lambda: create(cast, completed(cast), driver=driver(newer, "D11"), items=[]))
    assert errors["driver"] == ["Driver 1.1 is not a driver of this assessment's version."]


def test_a_due_date_before_the_assessment_is_refused_and_the_same_day_is_not(cast):
    assessment = completed(cast)
    errors = refusal(lambda: create(cast, assessment, due_on=HELD_ON - datetime.timedelta(days=1)))
    assert errors["due_on"] == [
        "The due date is before the assessment (1 March 2026); give a date on or after it."
    ]
    assert not ActionItem.objects.exists()
    assert create(cast, assessment, due_on=HELD_ON).due_on == HELD_ON


@pytest.mark.parametrize("who", ["outsider", "coach", "orgadmin", "meeting_coach"])
def test_an_owner_who_is_not_a_member_of_the_team_is_refused(cast, who):
    """Another organization's person, the team's coaches, and its organization's admin are not its members."""
    person = getattr(cast, who)
    errors = refusal(lambda: create(cast, completed(cast), owner=person))
    assert errors["owner"] == [
        f"{person.get_full_name() or person.username} is not a member of Riverside: choose one of its "
        "members, or name someone without an account."
    ]
    assert not ActionItem.objects.exists()


def test_a_member_of_another_team_of_the_organization_is_refused(cast):
    neighbour = UserFactory(username="nina")
    add_member(TeamFactory(organization=cast.team.organization, name="Lakeside"), neighbour)
    errors = refusal(lambda: create(cast, completed(cast), owner=neighbour))
    assert "owner" in errors and not ActionItem.objects.exists()


def test_a_deactivated_member_cannot_be_given_an_action(cast):
    cast.member2.is_active = False
    cast.member2.save()
    errors = refusal(lambda: create(cast, completed(cast), owner=cast.member2))
    assert "owner" in errors


def test_the_facilitator_may_own_an_action(cast):
    assert create(cast, completed(cast), owner=cast.facilitator).owner == cast.facilitator


def test_an_owner_is_a_member_or_a_name_not_both_and_not_neither(cast):
    assessment = completed(cast)
    both = refusal(lambda: create(cast, assessment, owner=cast.member, owner_name="Jo Park"))
    assert both == {"owner_name": ["Choose a team member or name someone without an account, not both."]}
    neither = refusal(lambda: create(cast, assessment, owner=None, owner_name="   "))
    assert neither == {"owner": ["Say who owns the action: a team member, or someone without an account."]}
    assert not ActionItem.objects.exists()


def test_every_broken_rule_is_named_at_once(cast, open_assessment):
    errors = refusal(
        lambda: create(
            cast, open_assessment, owner=cast.coach, due_on=datetime.date(2020, 1, 1), title="x" * 301
        )
    )
    assert {"assessment", "owner", "due_on"} <= set(errors)


def test_a_title_is_needed_and_has_a_limit(cast):
    assessment = completed(cast)
    assert "title" in refusal(lambda: create(cast, assessment, title="   "))
    assert "title" in refusal(lambda: create(cast, assessment, title="x" * 301))
    assert not ActionItem.objects.exists()


# The owner's e-mail


def test_the_owner_is_told_by_e_mail_once_the_action_is_saved(
    cast, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://implhub.example.org"
    assessment = completed(cast)
    with django_capture_on_commit_callbacks(execute=True):
        action = create(cast, assessment)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["mark@example.org"]
    assert mail.subject == "Riverside: an action is yours"
    assert "Fiona has made you the owner of an action in the action plan of Riverside" in mail.body
    assert "Write the coaching plan" in mail.body and "D11-2" in mail.body and "30 June 2026" in mail.body
    assert f"https://implhub.example.org/teams/{cast.team.pk}/actions/{action.pk}/" in mail.body


def test_the_assignment_mail_goes_whatever_the_e_mail_settings_say(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=cast.member, assessment_emails=False, reminder_emails=False)
    with django_capture_on_commit_callbacks(execute=True):
        create(cast, completed(cast))
    assert [m.to for m in mailoutbox] == [["mark@example.org"]]


def test_no_mail_for_a_named_owner_one_s_own_action_or_a_refused_one(
    cast, open_assessment, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = completed(cast, held_on=datetime.date(2025, 9, 1))
    with django_capture_on_commit_callbacks(execute=True):
        create(cast, assessment, owner=None, owner_name="Jo Park")
        create(cast, assessment, owner=cast.member, by=cast.member)
        with pytest.raises(ValidationError):
            create(cast, open_assessment)
    assert mailoutbox == []


def test_a_new_owner_is_told_and_an_unchanged_one_is_not(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = completed(cast)
    action = make_action(assessment, owner=cast.member)
    update = {
        "action": action,
        "items": [item(cast.version, "D11-2")],
        "title": "Write the coaching plan",
        "due_on": datetime.date(2026, 6, 30),
        "by": cast.facilitator,
    }
    with django_capture_on_commit_callbacks(execute=True):
        action_update(**update, owner=cast.member)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        action_update(**update, owner=cast.member2)
    assert [m.to for m in mailoutbox] == [["mei@example.org"]]


def test_an_owner_without_an_e_mail_address_gets_none(cast, mailoutbox, django_capture_on_commit_callbacks):
    cast.member.email = ""
    cast.member.save()
    with django_capture_on_commit_callbacks(execute=True):
        create(cast, completed(cast))
    assert mailoutbox == []


# Editing


def test_an_action_is_edited_and_its_history_kept(cast):
    action = create(cast, completed(cast))
    action_update(
        action=action,
        items=[item(cast.version, "D11-1"), item(cast.version, "D11-3")],
        title="Write and share the coaching plan",
        details="With the coaches.",
        owner=None,
        owner_name="Jo Park",
        due_on=datetime.date(2026, 9, 1),
        by=cast.facilitator,
    )
    action.refresh_from_db()
    assert action.title == "Write and share the coaching plan" and action.details == "With the coaches."
    assert action.owner is None and action.owner_name == "Jo Park"
    assert sorted(i.code for i in action.items.all()) == ["D11-1", "D11-3"]
    records = list(action.history.all())  # newest first; a change of the items is a record of its own
    assert records[0].title == "Write and share the coaching plan"
    assert records[-1].title == "Write the coaching plan"
    assert sorted(i.bestpractice.code for i in records[0].items.all()) == ["D11-1", "D11-3"]
    before = next(r for r in records if r.title == "Write the coaching plan" and r.items.exists())
    assert [i.bestpractice.code for i in before.items.all()] == ["D11-2"]


def test_a_refused_edit_changes_nothing(cast):
    action = create(cast, completed(cast))
    written = action.history.count()
    with pytest.raises(ValidationError) as caught:
        action_update(
            action=action,
            items=[item(cast.version, "D21-1")],
            title="Changed",
            owner=cast.outsider,
            due_on=datetime.date(2026, 1, 1),
            by=cast.facilitator,
        )
    assert set(caught.value.message_dict) == {"items", "owner", "due_on"}
    action.refresh_from_db()
    assert action.title == "Write the coaching plan" and action.owner == cast.member
    assert [i.code for i in action.items.all()] == ["D11-2"]
    assert action.history.count() == written


# Status


def test_done_records_the_day_and_leaving_done_clears_it(cast):
    action = make_action(completed(cast))
    written = action.history.count()
    done = action_set_status(action=action, status="done", by=cast.member)
    assert done.status == "done" and done.done_on == timezone.localdate()
    again = action_set_status(action=action, status="in_progress", by=cast.member)
    assert again.status == "in_progress" and again.done_on is None
    assert action.history.count() == written + 2


def test_dropped_needs_a_reason_and_a_refusal_changes_nothing(cast):
    action = make_action(completed(cast))
    written = action.history.count()
    with pytest.raises(ValidationError) as caught:
        action_set_status(action=action, status="dropped", dropped_reason="  ", by=cast.member)
    assert caught.value.message_dict == {"dropped_reason": ["Say why the action is dropped."]}
    action.refresh_from_db()
    assert action.status == "planned" and action.history.count() == written
    dropped = action_set_status(
        action=action, status="dropped", dropped_reason="Funding ended.", by=cast.member
    )
    assert dropped.dropped_reason == "Funding ended."
    assert action_set_status(action=action, status="planned", by=cast.member).dropped_reason == ""


def test_an_unknown_status_is_refused(cast):
    action = make_action(completed(cast))
    with pytest.raises(ValidationError) as caught:
        action_set_status(action=action, status="finished", by=cast.member)
    assert "status" in caught.value.message_dict


# Progress notes


def test_a_progress_note_is_added_with_its_date_and_author(cast):
    action = make_action(completed(cast))
    note = progress_note_add(
        action=action,
        text=" Drafted with the coaches. ",
        written_on=datetime.date(2026, 4, 2),
        by=cast.member,
    )
    assert (note.text, note.written_on, note.author) == (
        "Drafted with the coaches.",
        datetime.date(2026, 4, 2),
        cast.member,
    )
    assert note.history.count() == 1


def test_a_note_dated_in_the_future_or_empty_is_refused(cast):
    action = make_action(completed(cast))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        progress_note_add(action=action, text="Soon.", written_on=tomorrow, by=cast.member)
    assert caught.value.message_dict == {
        "written_on": ["A note tells what happened: date it today or earlier."]
    }
    with pytest.raises(ValidationError) as caught:
        progress_note_add(action=action, text="  ", written_on=timezone.localdate(), by=cast.member)
    assert "text" in caught.value.message_dict
    assert not ProgressNote.objects.exists()


# Transactions


@pytest.mark.django_db(transaction=True)
def test_each_write_is_a_transaction_of_its_own(cast):
    """The services lock the action row, which needs a transaction: each opens its own."""
    action = create(cast, completed(cast))
    action_update(
        action=action,
        items=[],
        title="Changed",
        owner=cast.member,
        due_on=datetime.date(2026, 7, 1),
        by=cast.facilitator,
    )
    action_set_status(action=action, status="done", by=cast.member)
    progress_note_add(action=action, text="Done.", written_on=timezone.localdate(), by=cast.member)
    action.refresh_from_db()
    assert (action.title, action.status, action.notes.count()) == ("Changed", "done", 1)


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_action_is_saved_leaves_nothing(cast, monkeypatch):
    import assessments.actions.services.plan as plan

    def broken(**kwargs):
        raise RuntimeError("the mail queue is broken")

    monkeypatch.setattr(plan, "_owner_notify", broken)
    with pytest.raises(RuntimeError):
        create(cast, completed(cast))
    assert not ActionItem.objects.exists() and not ActionItem.items.through.objects.exists()
