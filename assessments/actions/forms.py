"""Forms of the action plan: an action, its status, a progress note, and the plan's filters. They parse and
say what is wrong beside the field; the services hold the rules (and say the same when called otherwise)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.actions.models import ActionItem, ProgressNote
from assessments.actions.selectors.plan import OPEN, OVERDUE, OwnerChoice
from assessments.models import Assessment
from drivers import formatting
from drivers.models import BestPractice

NOT_A_DATE = _("Enter a date, for example 2026-05-31.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        # ISO dates: what a date picker sends and shows.
        super().__init__(format="%Y-%m-%d", **kwargs)


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item: BestPractice) -> str:
        return f"{item.code} {formatting.plain(item.statement)}"


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Shows a service's refusal beside the fields it names; what names no field of the form, above it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class ActionSourceForm(forms.Form):
    """Where a new action comes from, as a link names it (`?assessment=12&item=FA-3` or `&driver=FA`) and
    as the action form carries it along."""

    assessment = forms.IntegerField(min_value=1)
    item = forms.CharField(max_length=16, required=False)
    driver = forms.CharField(max_length=12, required=False)


class ActionForm(forms.Form):
    """What an action is. `items` are the driver's best practices in the assessment's version, `owners` the
    team's facilitators and members."""

    title = forms.CharField(label=_("What will be done"), max_length=300)
    items = ItemChoiceField(
        label=_("Best practices it strengthens"),
        queryset=BestPractice.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for an action on the driver as a whole."),
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a best practice of this driver in the assessment's version."
            ),
        },
    )
    owner = OwnerField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Choose a team member…"),
        help_text=_("A facilitator or member of the team; they are told by e-mail."),
        error_messages={
            "invalid_choice": _(
                "That person is not a member of this team: choose one of its members, or name someone "
                "without an account."
            ),
        },
    )
    owner_name = forms.CharField(
        label=_("Or someone without an account"),
        max_length=200,
        required=False,
        help_text=_("Their name and role, e.g. “Jo Park, district data lead”. They get no e-mail."),
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput(), error_messages={"invalid": NOT_A_DATE})
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How, with whom, and what “done” looks like."),
    )

    def __init__(
        self, *args, assessment: Assessment, items: QuerySet[BestPractice], owners: QuerySet, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["items"].queryset = items
        self.fields["owner"].queryset = owners

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if due_on < self.assessment.held_on:
            raise forms.ValidationError(
                gettext("The due date is before the assessment (%(date)s); give a date on or after it.")
                % {"date": date_format(self.assessment.held_on, "j F Y")}
            )
        return due_on

    def clean(self):
        data = super().clean()
        owner, name = data.get("owner"), (data.get("owner_name") or "").strip()
        if owner is not None and name:
            self.add_error(
                "owner_name", gettext("Choose a team member or name someone without an account, not both.")
            )
        elif owner is None and not name and "owner" not in self.errors:
            self.add_error(
                "owner", gettext("Say who owns the action: a team member, or someone without an account.")
            )
        return data

    @staticmethod
    def initial_of(action: ActionItem, codes: list[str]) -> dict:
        """The form's first values when editing `action` (whose items have `codes`)."""
        return {
            "title": action.title,
            "details": action.details,
            "items": codes,
            "owner": action.owner_id,
            "owner_name": action.owner_name,
            "due_on": action.due_on,
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("The action is"), choices=ActionItem.Status.choices)
    dropped_reason = forms.CharField(
        label=_("Why it is dropped"),
        max_length=500,
        required=False,
        help_text=_("Needed when the action is dropped."),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == ActionItem.Status.DROPPED and not (data.get("dropped_reason") or "").strip():
            self.add_error("dropped_reason", gettext("Say why the action is dropped."))
        return data


class ProgressNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Progress note"),
        max_length=ProgressNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    written_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=DateInput(),
        error_messages={"invalid": NOT_A_DATE},
    )

    def clean_written_on(self) -> datetime.date:
        written_on = self.cleaned_data["written_on"]
        if written_on > timezone.localdate():
            raise forms.ValidationError(gettext("A note tells what happened: date it today or earlier."))
        return written_on


class PlanFilterForm(forms.Form):
    """The plan's filters, read from the query string; a status it does not know shows everything, an owner
    it does not know shows nothing."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            (OPEN, _("Open (planned or in progress)")),
            (OVERDUE, _("Overdue")),
            *ActionItem.Status.choices,
        ],
    )
    # The owners are known once the plan is read (`show_owners`): the team's people and the named owners.
    owner = forms.CharField(label=_("Owner"), required=False, widget=forms.Select)

    def filters(self) -> dict[str, str]:
        self.is_valid()  # a field with a value it does not know is left out of cleaned_data
        return {"status": self.cleaned_data.get("status", ""), "owner": self.cleaned_data.get("owner", "")}

    def show_owners(self, owners: list[OwnerChoice]) -> PlanFilterForm:
        self.fields["owner"].widget.choices = [("", _("Anyone")), *((o.value, o.label) for o in owners)]
        return self
