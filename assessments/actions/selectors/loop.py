"""Closing the loop: what happened to the items of an action between the assessment it came from and a
later completed assessment, and which open actions stand on the items of an assessment being agreed.

Items are followed across content versions only through `drivers.lineage`: a reworded or recoded item
keeps its key (its answer is compared with the answer of the same lineage), a split item is followed into
its successors, a merged one into the item it joined, and a removed one is said to be gone. A driver-level
action compares the driver's score (`assessments.scoring`, the shown percents) between the two assessments.

Every function reads a fixed number of queries for any number of actions, items or teams, plus three for
each pair of content versions an action's items must be followed across (`lineage.successors`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, TextChoices, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.actions.models import ActionItem
from assessments.models import Assessment, Response
from assessments.scoring import Score, assessment_scores, change
from drivers import lineage, scale
from drivers.models import BestPractice, FrameworkVersion, framework_order

COMPLETED = Assessment.Status.COMPLETED
NOTHING = "—"


class Movement(TextChoices):
    """Where an item (or a driver, or a whole action) went between the two assessments."""

    UP = "up", gettext_lazy("moved up")
    SAME = "same", gettext_lazy("stayed the same")
    FELL = "fell", gettext_lazy("fell")
    MIXED = "mixed", gettext_lazy("some moved up, some fell")
    # N/A on one side, or the item left the framework: nothing to compare.
    UNCLEAR = "unclear", gettext_lazy("cannot be compared")
    NOT_YET = "not_yet", gettext_lazy("not yet assessed again")


def combined(movements: Iterable[Movement]) -> Movement:
    """One movement for several (the items of an action, the parts of a split item): up when something
    rose and nothing fell, mixed when both, the same when nothing comparable moved."""
    found = set(movements)
    if not found or found == {Movement.NOT_YET}:
        return Movement.NOT_YET
    rose, fell = found & {Movement.UP, Movement.MIXED}, found & {Movement.FELL, Movement.MIXED}
    if rose and fell:
        return Movement.MIXED
    if rose or fell:
        return Movement.UP if rose else Movement.FELL
    return Movement.SAME if Movement.SAME in found else Movement.UNCLEAR


@dataclass(frozen=True)
class Answer:
    """A consensus answer as the loop compares it: 2, 1 or 0 points, or not applicable."""

    score: int | None
    not_applicable: bool

    @property
    def label(self) -> str:
        return str(scale.NOT_APPLICABLE_LABEL if self.not_applicable else scale.SCORE_LABELS[self.score])


def answer_label(answer: Answer | None) -> str:
    return answer.label if answer else _("not answered")


def movement(before: Answer | None, after: Answer | None) -> Movement:
    if before is None or after is None or before.not_applicable or after.not_applicable:
        return Movement.UNCLEAR
    if after.score > before.score:
        return Movement.UP
    return Movement.FELL if after.score < before.score else Movement.SAME


@dataclass(frozen=True)
class Successor:
    """An item of the later assessment's version that carries an action's item on, with its answer."""

    code: str
    answer: Answer | None
    movement: Movement


@dataclass(frozen=True)
class ItemOutcome:
    code: str  # as the action's assessment wrote it
    before: Answer | None
    fate: str  # lineage.CONTINUES, SPLIT, MERGED or REMOVED; "" while not assessed again
    after: tuple[Successor, ...]
    movement: Movement

    @property
    def text(self) -> str:
        """ "FA-3: Not in place → Partially in place", and what became of a recoded, split or removed item."""
        names = {"code": self.code, "before": answer_label(self.before)}
        if self.movement == Movement.NOT_YET:
            return _("%(code)s: %(before)s (not yet assessed again)") % names
        if self.fate == lineage.REMOVED:
            return _("%(code)s: %(before)s → no longer in the framework") % names
        if self.fate == lineage.CONTINUES:
            successor = self.after[0]
            names["after"] = answer_label(successor.answer)
            if successor.code == self.code:
                return _("%(code)s: %(before)s → %(after)s") % names
            return _("%(code)s (now %(new)s): %(before)s → %(after)s") % {**names, "new": successor.code}
        names["after"] = ", ".join(
            _("%(code)s: %(answer)s") % {"code": s.code, "answer": answer_label(s.answer)} for s in self.after
        )
        if self.fate == lineage.MERGED:
            return _("%(code)s: %(before)s → merged into %(after)s") % names
        return _("%(code)s: %(before)s → split into %(after)s") % names


@dataclass(frozen=True)
class DriverOutcome:
    """A driver-level action: the driver's score then and in the later assessment."""

    code: str
    name: str
    before: Score
    after: Score | None  # None: not assessed again, or the driver is not in the later version
    gone: bool
    movement: Movement

    @property
    def change(self) -> int | None:
        return change(self.after, self.before)

    @property
    def text(self) -> str:
        names = {"code": self.code, "before": self.before.label}
        if self.movement == Movement.NOT_YET:
            return _("%(code)s: %(before)s (not yet assessed again)") % names
        if self.gone:
            return _("%(code)s: %(before)s → no longer in the framework") % names
        names["after"] = self.after.label
        points = self.change
        if points is None:
            return _("%(code)s: %(before)s → %(after)s") % names
        if points == 0:
            return _("%(code)s: %(before)s → %(after)s (±0 pts)") % names
        # Translators: a driver's score then and now with the change, e.g. "FA: 44% → 56% (+12 pts)".
        return _("%(code)s: %(before)s → %(after)s (%(change)+d pts)") % {**names, "change": points}


@dataclass(frozen=True)
class ActionOutcome:
    action_id: int
    source: Assessment  # the assessment the action came from
    later: Assessment | None  # the completed assessment it is compared with; None: none yet
    items: tuple[ItemOutcome, ...]  # in framework order; empty for a driver-level action
    driver: DriverOutcome | None  # only for a driver-level action

    @property
    def movement(self) -> Movement:
        if self.driver is not None:
            return self.driver.movement
        return combined(i.movement for i in self.items)

    @property
    def lines(self) -> list[str]:
        return [self.driver.text] if self.driver is not None else [i.text for i in self.items]


def _is_after(later: Assessment, earlier: Assessment) -> bool:
    """Later in the team's order of assessments (date, then creation), as "previous" reads it."""
    return (later.held_on, later.pk) > (earlier.held_on, earlier.pk)


def _latest_completed(team_ids: set[int]) -> dict[int, Assessment]:
    rows = (
        Assessment.objects.filter(team_id__in=team_ids, status=COMPLETED)
        .select_related("version")
        .annotate(
            recency=Window(
                RowNumber(), partition_by=[F("team_id")], order_by=[F("held_on").desc(), F("pk").desc()]
            )
        )
        .filter(recency=1)
    )
    return {a.team_id: a for a in rows}


def carried_into(items: Iterable[BestPractice], version: FrameworkVersion) -> dict[int, lineage.OldFate]:
    """What each of `items` (of any versions of `version`'s framework, each with its `version` loaded)
    became in `version`, by item id: itself when it is of that version, else its fate by lineage."""
    by_version: dict[int, list[BestPractice]] = defaultdict(list)
    for item in items:
        by_version[item.version_id].append(item)
    fates = {}
    for version_id, group in by_version.items():
        if version_id == version.pk:
            fates.update({i.pk: lineage.OldFate(i, lineage.CONTINUES, [i]) for i in group})
            continue
        if group[0].version.framework_id != version.framework_id:
            # Another instrument: lineage keys are only comparable within one framework.
            fates.update({i.pk: lineage.OldFate(i, lineage.REMOVED) for i in group})
            continue
        found = lineage.successors(group[0].version, version)
        fates.update({i.pk: found.old[i.pk] for i in group})
    return fates


# What the loop reads of each action, with it.
OUTCOME_FIELDS = ("assessment__version", "driver")


def action_outcomes(
    *, actions: Iterable[ActionItem], until: Assessment | None = None
) -> dict[int, ActionOutcome]:
    """What happened to each action's items (or driver), by action id: compared with `until` (a completed
    assessment of the actions' team, e.g. the one whose results are read), or else with each team's
    latest completed assessment. An action compared with an assessment not after its own is not yet
    assessed again."""
    ids = [a.pk for a in actions]
    if not ids:
        return {}
    return _outcomes(ActionItem.objects.filter(pk__in=ids).select_related(*OUTCOME_FIELDS), until)


def _outcomes(rows: Iterable[ActionItem], until: Assessment | None) -> dict[int, ActionOutcome]:
    rows = list(rows)
    ids = [r.pk for r in rows]
    links = ActionItem.items.through.objects.filter(actionitem_id__in=ids).select_related(
        "bestpractice__version"
    )
    items_of: dict[int, list[BestPractice]] = defaultdict(list)
    for link in links.order_by(*framework_order("bestpractice")):
        items_of[link.actionitem_id].append(link.bestpractice)
    latest = {} if until is not None else _latest_completed({r.team_id for r in rows})
    later_of = {}
    for row in rows:
        later = until if until is not None else latest.get(row.team_id)
        later_of[row.pk] = later if later is not None and _is_after(later, row.assessment) else None

    # Each item followed into the version of the assessment it is compared with.
    fates: dict[tuple[int, int], lineage.OldFate] = {}
    by_later: dict[int, tuple[Assessment, list[BestPractice]]] = {}
    for row in rows:
        if later_of[row.pk] is not None and items_of[row.pk]:
            later = later_of[row.pk]
            by_later.setdefault(later.version_id, (later, []))[1].extend(items_of[row.pk])
    for version_id, (later, items) in by_later.items():
        fates.update({(version_id, pk): fate for pk, fate in carried_into(items, later.version).items()})

    answers = _answers(rows, items_of, later_of, fates)
    scores = _driver_scores(rows, items_of, later_of)
    outcomes = {}
    for row in rows:
        later = later_of[row.pk]
        if items_of[row.pk]:
            items = tuple(
                _item_outcome(item, row.assessment, later, fates, answers) for item in items_of[row.pk]
            )
            driver = None
        else:
            items, driver = (), _driver_outcome(row, later, scores)
        outcomes[row.pk] = ActionOutcome(
            action_id=row.pk, source=row.assessment, later=later, items=items, driver=driver
        )
    return outcomes


def _answers(rows, items_of, later_of, fates) -> dict[tuple[int, str], Answer]:
    """The consensus answers the comparison needs, by (assessment id, item lineage key): one query."""
    keys, assessment_ids = set(), set()
    for row in rows:
        assessment_ids.add(row.assessment_id)
        keys |= {lineage.item_key(i) for i in items_of[row.pk]}
        if later_of[row.pk] is not None:
            assessment_ids.add(later_of[row.pk].pk)
    for fate in fates.values():
        keys |= {lineage.item_key(s) for s in fate.successors}
    if not keys:
        return {}
    return {
        (r["assessment_id"], r["key"]): Answer(score=r["score"], not_applicable=r["not_applicable"])
        for r in Response.objects.filter(assessment_id__in=assessment_ids)
        .annotate(key=lineage.item_key_expression("item"))
        .filter(key__in=keys)
        .values("assessment_id", "key", "score", "not_applicable")
    }


def _item_outcome(item, source, later, fates, answers) -> ItemOutcome:
    before = answers.get((source.pk, lineage.item_key(item)))
    if later is None:
        return ItemOutcome(code=item.code, before=before, fate="", after=(), movement=Movement.NOT_YET)
    fate = fates[(later.version_id, item.pk)]
    after = tuple(
        Successor(
            code=s.code,
            answer=(now := answers.get((later.pk, lineage.item_key(s)))),
            movement=movement(before, now),
        )
        for s in fate.successors
    )
    return ItemOutcome(
        code=item.code,
        before=before,
        fate=fate.fate,
        after=after,
        movement=combined(s.movement for s in after) if after else Movement.UNCLEAR,
    )


def _driver_scores(rows, items_of, later_of) -> dict:
    """Scores of the assessments that driver-level actions compare (two queries, none without any)."""
    compared = [r for r in rows if not items_of[r.pk]]
    assessments = {r.assessment_id: r.assessment for r in compared}
    assessments.update({later_of[r.pk].pk: later_of[r.pk] for r in compared if later_of[r.pk] is not None})
    return assessment_scores(assessments=assessments.values())


def _driver_outcome(row: ActionItem, later: Assessment | None, scores: dict) -> DriverOutcome:
    key = lineage.driver_key(row.driver)
    before = scores[row.assessment_id].counterpart_score(key) or Score()
    if later is None:
        return DriverOutcome(row.driver.code, row.driver.name, before, None, False, Movement.NOT_YET)
    after = scores[later.pk].counterpart_score(key)
    if after is None:
        return DriverOutcome(row.driver.code, row.driver.name, before, None, True, Movement.UNCLEAR)
    points = change(after, before)
    if points is None:
        moved = Movement.UNCLEAR
    else:
        moved = Movement.UP if points > 0 else Movement.FELL if points < 0 else Movement.SAME
    return DriverOutcome(row.driver.code, row.driver.name, before, after, False, moved)


@dataclass(frozen=True)
class ActionSince:
    action: ActionItem
    outcome: ActionOutcome


def actions_since(*, assessment: Assessment, previous: Assessment | None) -> dict[str, list[ActionSince]]:
    """For the results of `assessment`: the team's actions made since its previous completed assessment
    (`previous`), by the lineage key of their driver, each with what happened to its items by
    `assessment`. Those are the actions that came from `previous`, and those created between the two
    assessments' dates from any earlier assessment of the team."""
    if previous is None:
        return {}
    before_this = Q(assessment__held_on__lt=assessment.held_on) | Q(
        assessment__held_on=assessment.held_on, assessment_id__lt=assessment.pk
    )
    actions = list(
        ActionItem.objects.filter(team_id=assessment.team_id)
        .filter(
            Q(assessment=previous)
            | (
                before_this
                & Q(created_at__date__gte=previous.held_on, created_at__date__lte=assessment.held_on)
            )
        )
        .select_related("owner", *OUTCOME_FIELDS)
        .order_by("driver__lineage_key", "due_on", "pk")
    )
    outcomes = _outcomes(actions, until=assessment) if actions else {}
    grouped: dict[str, list[ActionSince]] = defaultdict(list)
    for action in actions:
        grouped[lineage.driver_key(action.driver)].append(ActionSince(action, outcomes[action.pk]))
    return dict(grouped)


@dataclass(frozen=True)
class OpenAction:
    action: ActionItem
    overdue: bool


def open_actions_by_item(
    *, assessment: Assessment, today: datetime.date | None = None
) -> dict[int, list[OpenAction]]:
    """The team's open actions (planned or in progress) on each item of `assessment`, by item id, those past
    their due date marked: an action on an item of an earlier version shows on the item that carries it on
    (the same lineage, or the parts of a split, or the item it merged into). Soonest due first."""
    today = today or timezone.localdate()
    links = list(
        ActionItem.items.through.objects.filter(
            actionitem__team_id=assessment.team_id, actionitem__status__in=ActionItem.OPEN
        ).select_related("actionitem__owner", "bestpractice__version")
    )
    fates = carried_into({link.bestpractice for link in links}, assessment.version)
    found: dict[int, dict[int, ActionItem]] = defaultdict(dict)
    for link in links:
        for successor in fates[link.bestpractice_id].successors:
            found[successor.pk][link.actionitem_id] = link.actionitem
    return {
        item_id: [
            OpenAction(action, action.overdue_on(today))
            for action in sorted(actions.values(), key=lambda a: (a.due_on is None, a.due_on, a.pk))
        ]
        for item_id, actions in found.items()
    }
