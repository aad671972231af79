"""Setting a team's driver targets for its next assessment."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.actions.models import Target
from assessments.actions.selectors.targets import team_latest_completed
from assessments.models import Assessment, Team
from drivers import lineage
from drivers.models import Driver

PERCENT_PROBLEM = gettext_lazy("Enter a whole percent from 0 to 100, or leave it empty for no target.")


def _is_percent(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100


@transaction.atomic
def targets_set(
    *, team: Team, after: Assessment, percents: dict[str, int | None], by: AbstractBaseUser
) -> dict[str, int]:
    """Sets (a percent) or clears (None) the team's target per driver lineage key for the assessment after
    `after`, which must be the team's latest completed assessment. Drivers left out of `percents` keep
    their target. Refused as a whole (ValidationError, by driver key where it is one driver's value) on
    any problem. Returns the targets now set after `after`, by key."""
    if after.team_id != team.pk:
        raise ValidationError(_("Targets are set after an assessment of the same team."))
    # Locked: a reopening meanwhile would make the targets follow an assessment that is not completed.
    after = Assessment.objects.select_for_update().get(pk=after.pk)
    if after.status != Assessment.Status.COMPLETED:
        raise ValidationError(
            _("Targets are set after a completed assessment; this one is not completed yet.")
        )
    latest = team_latest_completed(team=team)
    if latest.pk != after.pk:
        raise ValidationError(
            _("Targets are set for the next assessment, after the team's latest completed one (%(date)s).")
            % {"date": date_format(latest.held_on, "j M Y")}
        )
    keys = {lineage.driver_key(d) for d in Driver.objects.filter(version_id=after.version_id)}
    problems = {
        key: [PERCENT_PROBLEM]
        for key, value in percents.items()
        if value is not None and not _is_percent(value)
    }
    unknown = sorted(set(percents) - keys)
    if unknown:
        raise ValidationError(
            _("%(keys)s is not a driver of this assessment's version.") % {"keys": ", ".join(unknown)}
        )
    if problems:
        raise ValidationError(problems)
    existing = {
        t.driver_key: t for t in Target.objects.select_for_update().filter(team=team, set_after=after)
    }
    for key, percent in percents.items():
        target = existing.get(key)
        if percent is None:
            if target is not None:
                target.delete()
        elif target is None:
            Target(team=team, set_after=after, driver_key=key, percent=percent, set_by=by).save()
        elif target.percent != percent:
            target.percent, target.set_by = percent, by
            target.save()
    return dict(Target.objects.filter(team=team, set_after=after).values_list("driver_key", "percent"))
