"""Reads of driver targets: what a team aims for at its next assessment, and how each target fared.

A target is set after a completed assessment (`set_after`) for the one after it, per driver lineage key,
so it still names the same driver when the next assessment is on a newer content version. Whether a
score reaches its target is scoring's own comparison (`Score.reaches`): the shown percent against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.actions.models import Target
from assessments.models import Assessment, Team
from assessments.scoring import Score, assessment_scores

COMPLETED = Assessment.Status.COMPLETED


def targets_after(*, assessment: Assessment | None) -> dict[str, int]:
    """The targets set after `assessment` (for the one after it), by driver lineage key."""
    if assessment is None:
        return {}
    return dict(Target.objects.filter(set_after=assessment).values_list("driver_key", "percent"))


def team_latest_completed(*, team: Team) -> Assessment | None:
    return team.assessments.filter(status=COMPLETED).order_by("-held_on", "-pk").first()


@dataclass(frozen=True)
class TargetCheck:
    """A driver's score beside the target it was aimed at: "target 80%: reached" or "12 points short"."""

    percent: int
    score: Score

    @property
    def reached(self) -> bool:
        return self.score.reaches(self.percent)

    @property
    def short(self) -> int | None:
        """Points between the shown score and the target; None when reached or the driver has no score."""
        if self.reached or self.score.rounded is None:
            return None
        return self.percent - self.score.rounded

    @property
    def text(self) -> str:
        names = {"target": self.percent}
        if self.reached:
            return _("target %(target)d%%: reached") % names
        if self.short is None:
            return _("target %(target)d%%: no score to compare") % names
        return ngettext(
            "target %(target)d%%: %(short)d point short",
            "target %(target)d%%: %(short)d points short",
            self.short,
        ) % {**names, "short": self.short}


@dataclass(frozen=True)
class TargetRow:
    """One driver of the targets form: its score in the assessment the targets follow, and the target."""

    key: str
    code: str
    name: str
    category: str
    score: Score
    percent: int | None


@dataclass(frozen=True)
class TargetsPage:
    assessment: Assessment  # the targets follow it
    latest: Assessment | None  # the team's latest completed assessment: targets are set after it only
    rows: list[TargetRow]

    @property
    def settable(self) -> bool:
        return self.latest is not None and self.latest.pk == self.assessment.pk


def targets_page(*, assessment: Assessment) -> TargetsPage:
    """The drivers of `assessment`'s version with their scores there and the targets set after it."""
    latest = team_latest_completed(team=assessment.team)
    targets = targets_after(assessment=assessment)
    scores = assessment_scores(assessments=[assessment])[assessment.pk]
    rows = [
        TargetRow(
            key=d.key,
            code=d.code,
            name=d.name,
            category=d.category_name,
            score=d.score,
            percent=targets.get(d.key),
        )
        for d in scores.drivers
    ]
    return TargetsPage(assessment=assessment, latest=latest, rows=rows)


@dataclass(frozen=True)
class TargetsOverTime:
    aimed: list[dict[str, int]]  # per assessment (in the order given): the targets it was aimed at, by key
    upcoming: dict[str, int]  # set after the last one, for the next assessment


def targets_over_time(*, assessments: list[Assessment]) -> TargetsOverTime:
    """For a team's completed assessments in order: the targets each one was aimed at (set after the one
    before it), and those set for the next assessment. One query."""
    by_after: dict[int, dict[str, int]] = {}
    for row in Target.objects.filter(set_after__in=assessments).values(
        "set_after_id", "driver_key", "percent"
    ):
        by_after.setdefault(row["set_after_id"], {})[row["driver_key"]] = row["percent"]
    previous = [None, *assessments[:-1]]
    return TargetsOverTime(
        aimed=[by_after.get(p.pk, {}) if p else {} for p in previous],
        upcoming=by_after.get(assessments[-1].pk, {}) if assessments else {},
    )
