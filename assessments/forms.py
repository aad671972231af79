"""Small forms, one per action. Services enforce the rules; forms parse and give field-level messages."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    COMMENT_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    Assessment,
    Membership,
    Participant,
    Profile,
)
from assessments.services import ParticipantEntry
from drivers import scale
from drivers.models import FrameworkVersion


class AssessmentStartForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the meeting"),
        initial=datetime.date.today,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    stage = forms.ChoiceField(
        label=_("Stage of implementation"),
        choices=Assessment.Stage.choices,
        help_text=_("Where the team is with this program or practice today."),
    )
    version = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=FrameworkVersion.objects.none(),
        empty_label=None,
        help_text=_("The assessment keeps this version to the end, whatever changes in the content later."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versions = FrameworkVersion.objects.published().select_related("framework").order_by("-published_at")
        self.fields["version"].queryset = versions
        self.fields["version"].initial = versions.first()
        self.fields["version"].label_from_instance = lambda v: f"{v.framework.name} {v.label}"


class ParticipantForm(forms.Form):
    """One row of the participant list. Every row is optional; a row with a name needs a group."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=[("", _("Choose…")), *Participant.Group.choices], required=False
    )
    role = forms.CharField(label=_("Role in the meeting (optional)"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        name, group = (data.get("name") or "").strip(), data.get("group")
        if name and not group:
            self.add_error("group", gettext("Choose the stakeholder group of %(name)s.") % {"name": name})
        if (group or data.get("role")) and not name:
            self.add_error("name", gettext("Give the participant's name, or clear the row."))
        return data


class BaseParticipantFormSet(forms.BaseFormSet):
    def clean(self):
        names = [f.cleaned_data["name"].strip().lower() for f in self.forms if f.cleaned_data.get("name")]
        if len(names) != len(set(names)):
            raise forms.ValidationError(gettext("Each participant is listed once."))

    def entries(self) -> list[ParticipantEntry]:
        return [
            ParticipantEntry(
                name=f.cleaned_data["name"].strip(),
                group=f.cleaned_data["group"],
                role=f.cleaned_data.get("role", "").strip(),
            )
            for f in self.forms
            if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=3, can_delete=True, max_num=60, validate_max=True
)


class MemberAddForm(forms.Form):
    identifier = forms.CharField(label=_("Username or email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ResponseForm(forms.Form):
    score = forms.ChoiceField(
        label=_("Consensus score"), choices=scale.CONSENSUS_CHOICES, widget=forms.RadioSelect
    )
    na_reason = forms.CharField(
        label=_("Why it does not apply"), required=False, max_length=COMMENT_MAX_LENGTH
    )
    evidence = forms.CharField(
        label=_("Evidence notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("score") == scale.NOT_APPLICABLE and not (data.get("na_reason") or "").strip():
            self.add_error("na_reason", gettext("Say why this best practice does not apply."))
        return data

    @property
    def score_value(self) -> int | None:
        return scale.consensus_score(self.cleaned_data["score"])


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen it?"), max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form, taking a username or an e-mail (assessments/backends.py), and saying plainly
    when the right password belongs to a deactivated account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Enter a correct username or e-mail and password. The password is case-sensitive."
        ),
        "inactive": _(
            "This account has been deactivated. Ask your organization's admin if you need it again."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        identifier = self.fields["username"]
        identifier.label = _("Username or e-mail")
        # Room for an e-mail address, which may be longer than a username.
        identifier.max_length = 254
        identifier.widget.attrs["maxlength"] = 254
        identifier.widget.attrs["autocomplete"] = "username"


class AccountForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Where implhub writes to you, and how you can reset your password."),
    )
    assessment_emails = forms.BooleanField(
        label=capfirst(Profile._meta.get_field("assessment_emails").verbose_name), required=False
    )
