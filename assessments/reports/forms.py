"""Forms of the read side: filters of the report pages, validated like any input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Organization, Team


class PortfolioFilter(forms.Form):
    """A GET form: a value that is not valid is ignored (and said so beside its field), the rest apply."""

    organization = forms.TypedChoiceField(
        label=_("Organization"), coerce=int, required=False, empty_value=None
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *Team.Level.choices], required=False
    )
    below = forms.BooleanField(label=_("Below the benchmark"), required=False)
    due = forms.BooleanField(label=_("Past their next assessment date"), required=False)

    def __init__(self, *args, organizations: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [
            ("", _("All organizations")),
            *((org.pk, org.name) for org in organizations),
        ]
