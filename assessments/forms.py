"""Small forms, one per action. Services enforce the rules; forms parse and give field-level messages."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import COMMENT_MAX_LENGTH, NOTES_MAX_LENGTH, Assessment, Membership, Participant
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
    """One row of the participant list. Every row is optional; a row with a name needs a group. A row
    linked to a team member (`member`, the user id, from the team's list) carries that member's name."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=[("", _("Choose…")), *Participant.Group.choices], required=False
    )
    role = forms.CharField(label=_("Role in the meeting (optional)"), max_length=100, required=False)
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, team_members: Mapping[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.team_members = team_members
        if self.is_member_row:
            # The name is the member's own; to leave them out, the facilitator removes the row.
            self.fields["name"].widget.attrs.update(readonly=True, **{"class": "bg-body-tertiary"})

    @property
    def is_member_row(self) -> bool:
        return self["member"].value() not in (None, "")

    def clean(self):
        data = super().clean()
        member = data.get("member")
        if member is not None:
            if member not in self.team_members:
                raise forms.ValidationError(
                    gettext("This row is linked to someone who is not a member of the team; remove the row.")
                )
            data["name"] = self.team_members[member]
        name, group = (data.get("name") or "").strip(), data.get("group")
        if name and not group:
            self.add_error("group", gettext("Choose the stakeholder group of %(name)s.") % {"name": name})
        if (group or data.get("role")) and not name:
            self.add_error("name", gettext("Give the participant's name, or clear the row."))
        return data


class BaseParticipantFormSet(forms.BaseFormSet):
    """The participant rows. `team_members` (user id -> name, from selectors.team_member_choices) are the
    people a row may be linked to; a row linked to anyone else is an error."""

    def __init__(self, *args, team_members: Mapping[int, str], **kwargs):
        super().__init__(*args, form_kwargs={"team_members": team_members}, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove")

    def clean(self):
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
        ]
        names = [row["name"].strip().lower() for row in kept]
        if len(names) != len(set(names)):
            raise forms.ValidationError(gettext("Each participant is listed once."))
        members = [row["member"] for row in kept if row.get("member") is not None]
        if len(members) != len(set(members)):
            raise forms.ValidationError(gettext("Each team member is listed once."))

    def entries(self) -> list[ParticipantEntry]:
        return [
            ParticipantEntry(
                name=f.cleaned_data["name"].strip(),
                group=f.cleaned_data["group"],
                role=f.cleaned_data.get("role", "").strip(),
                member_id=f.cleaned_data.get("member"),
            )
            for f in self.forms
            if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=3, can_delete=True, max_num=60, validate_max=True
)


def member_rows(team_members: Mapping[int, str]) -> list[dict]:
    """The first rows of a new participant list: one per team member, each for the facilitator to give a
    group or remove."""
    return [{"name": name, "member": user_id} for user_id, name in team_members.items()]


def saved_rows(participants: list[Participant]) -> list[dict]:
    """The rows of a saved participant list, links to members kept."""
    return [{"name": p.name, "group": p.group, "role": p.role, "member": p.member_id} for p in participants]


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
