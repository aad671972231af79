"""The action plan's forms say what is wrong beside the field: an item not of the driver in the version, a
due date that is not a date or is before the assessment, an owner from outside the team, a dropped action
without a reason, a note dated in the future."""

import datetime

import pytest
from django.utils import timezone

from assessments.actions.forms import ActionForm, PlanFilterForm, ProgressNoteForm, StatusForm
from assessments.actions.selectors.plan import OwnerChoice, driver_items, team_owner_candidates
from tests.assessments.actions.plan_data import completed, driver

pytestmark = pytest.mark.django_db


def action_form(cast, assessment, **data):
    fields = {
        "title": "Write the coaching plan",
        "items": ["D11-2"],
        "owner": cast.member.pk,
        "due_on": "2026-06-30",
    }
    return ActionForm(
        fields | data,
        assessment=assessment,
        items=driver_items(driver=driver(assessment.version, "D11")),
        owners=team_owner_candidates(team=cast.team),
    )


def test_a_good_action_form_gives_items_owner_and_date(cast):
    form = action_form(cast, completed(cast), items=["D11-2", "D11-3"], owner_name="  ")
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert [i.code for i in data["items"]] == ["D11-2", "D11-3"]
    assert data["owner"] == cast.member and data["due_on"] == datetime.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"items": ["D21-1"]},
            "items",
            "D21-1 is not a best practice of this driver in the assessment's version.",
        ),
        (
            {"items": ["Q-1"]},
            "items",
            "Q-1 is not a best practice of this driver in the assessment's version.",
        ),
        ({"due_on": "soon"}, "due_on", "Enter a date, for example 2026-05-31."),
        ({"due_on": ""}, "due_on", "This field is required."),
        (
            {"due_on": "2026-02-28"},
            "due_on",
            "The due date is before the assessment (1 March 2026); give a date on or after it.",
        ),
        ({"owner": "abc"}, "owner", "That person is not a member of this team"),
        ({"owner": "", "owner_name": ""}, "owner", "Say who owns the action"),
        (
            {"owner_name": "Jo"},
            "owner_name",
            "Choose a team member or name someone without an account, not both.",
        ),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_each_bad_field_gets_its_message(cast, data, field, message):
    form = action_form(cast, completed(cast), **data)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_an_owner_from_another_team_is_not_a_choice(cast):
    form = action_form(cast, completed(cast), owner=cast.outsider.pk)
    assert not form.is_valid() and "owner" in form.errors
    assert (
        cast.outsider not in form.fields["owner"].queryset and cast.coach not in form.fields["owner"].queryset
    )


def test_the_status_form_needs_a_reason_to_drop():
    assert StatusForm({"status": "done"}).is_valid()
    form = StatusForm({"status": "dropped", "dropped_reason": " "})
    assert not form.is_valid() and form.errors["dropped_reason"] == ["Say why the action is dropped."]
    assert not StatusForm({"status": "finished"}).is_valid()


def test_the_note_form_takes_today_or_earlier():
    today = timezone.localdate()
    assert ProgressNoteForm({"text": "Done.", "written_on": today.isoformat()}).is_valid()
    future = ProgressNoteForm(
        {"text": "Soon.", "written_on": (today + datetime.timedelta(days=1)).isoformat()}
    )
    assert future.errors["written_on"] == ["A note tells what happened: date it today or earlier."]
    assert ProgressNoteForm({"text": "Soon.", "written_on": "31/12"}).errors["written_on"] == [
        "Enter a date, for example 2026-05-31."
    ]


def test_the_filter_form_keeps_what_it_knows():
    assert PlanFilterForm({"status": "overdue", "owner": "user-3"}).filters() == {
        "status": "overdue",
        "owner": "user-3",
    }
    assert PlanFilterForm({"status": "finished", "owner": "name-Jo"}).filters() == {
        "status": "",
        "owner": "name-Jo",
    }
    form = PlanFilterForm({}).show_owners([OwnerChoice("user-3", "Mark")])
    assert form.fields["owner"].widget.choices == [("", "Anyone"), ("user-3", "Mark")]
