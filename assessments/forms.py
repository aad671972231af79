"""Small forms, one per action. Services enforce the rules; forms parse and give field-level messages."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    COMMENT_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    Assessment,
    Invitation,
    Membership,
    OrganizationMembership,
    Participant,
    Profile,
    Team,
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
    identifier = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        help_text=_("Of someone already in the organization; invite anyone else by e-mail."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class CoachAddForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or e-mail of the coach"),
        max_length=254,
        help_text=_("Of someone already in the organization; invite a coach from outside by e-mail."),
    )
    runs_meetings = forms.BooleanField(
        label=_("Runs the team's meetings"),
        required=False,
        help_text=_("Reveals the votes, records the consensus, completes and reopens; does not vote."),
    )


class RunsMeetingsForm(forms.Form):
    runs_meetings = forms.BooleanField(required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)
    program = forms.CharField(
        label=_("Program or practice"),
        max_length=200,
        help_text=_("What the team is putting into use, e.g. a reading curriculum or a home visiting model."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Team.Level.choices, initial=Team.Level.SITE)


def interval_field() -> forms.IntegerField:
    """How often the team assesses, with one clear message for whatever is not 1 to 36 whole months."""
    model_field = Team._meta.get_field("assessment_interval_months")
    message = _("Enter a whole number of months from 1 to 36.")
    return forms.IntegerField(
        label=capfirst(model_field.verbose_name),
        min_value=1,
        max_value=36,
        help_text=model_field.help_text,
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
    )


class TeamIntervalForm(forms.Form):
    assessment_interval_months = interval_field()


class TeamEditForm(TeamForm):
    """An organization's admin renames a team, and sets its level and how often it assesses."""

    assessment_interval_months = interval_field()


class TeamCreateForm(TeamForm):
    first_facilitator = forms.CharField(
        label=_("First facilitator (optional)"),
        max_length=254,
        required=False,
        help_text=_(
            "The username or e-mail of someone in the organization, or the e-mail of someone to invite. "
            "Until a facilitator joins, you stand in as the team's facilitator."
        ),
    )


class OrganizationRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganizationMembership.Role.choices)


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


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Invitation.Role.choices, initial=Invitation.Role.MEMBER)


class InvitationListForm(forms.Form):
    # Parsed and checked line by line by services.invitations_send_list, which names each wrong line.
    text = forms.CharField(
        label=_("One person a line: e-mail and role"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "Write an e-mail address and a role on each line: member, facilitator or coach (member when left "
            "out), separated by a space, tab, comma or semicolon. For example: “lee@example.org coach”. "
            "Nothing is sent unless every line is right."
        ),
    )


class NewAccountForm(forms.Form):
    """The account of an invited person. The password rules are checked by the service, whose errors name
    the `password` field, so they show at it."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: the rules are the configured validators, in the language of the request.
        self.fields["password"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", gettext("The two passwords differ: type the same one twice."))
        return data


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
    reminder_emails = forms.BooleanField(
        label=capfirst(Profile._meta.get_field("reminder_emails").verbose_name), required=False
    )
