"""The form of a team's driver targets: one optional whole percent per driver."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from assessments.actions.selectors.targets import TargetRow
from assessments.actions.services.targets import PERCENT_PROBLEM

ERRORS = {"invalid": PERCENT_PROBLEM, "min_value": PERCENT_PROBLEM, "max_value": PERCENT_PROBLEM}


class TargetsForm(forms.Form):
    """A number field per driver, named by its lineage key; empty clears the driver's target."""

    def __init__(self, *args, rows: list[TargetRow], **kwargs):
        super().__init__(*args, prefix="target", **kwargs)
        for row in rows:
            self.fields[row.key] = forms.IntegerField(
                label=row.name,
                required=False,
                min_value=0,
                max_value=100,
                initial=row.percent,
                error_messages=ERRORS,
            )

    def percents(self) -> dict[str, int | None]:
        return {key: self.cleaned_data[key] for key in self.fields}

    def refused(self, error: ValidationError) -> None:
        """Puts the service's refusal beside the fields it names, or above the form."""
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                self.add_error(key if key in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
