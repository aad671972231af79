"""What to work on next, on the results page of a completed assessment.

Per driver: the items not in place and partly in place, those that fell since the team's previous
completed assessment (followed across content versions only through `drivers.lineage`: a split or merged
item is compared with the items it came from), the target the team set for this assessment beside the
score, the content's resourcing links (an item such as FA-1 resources the drivers whose codes it lists)
with a flag where the two disagree, and the actions made since the previous assessment with what happened
to their items.

A fixed number of queries, whatever the number of items, actions or teams (three more when the previous
assessment is on another content version, for the lineage between the two).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.actions.selectors.loop import ActionSince, Answer, actions_since, answer_label
from assessments.actions.selectors.targets import TargetCheck, targets_after, team_latest_completed
from assessments.models import Assessment, Response
from assessments.reports.formatting import in_words
from assessments.reports.selectors import Results
from assessments.scoring import DriverScore
from drivers import lineage, scale
from drivers.models import BestPractice, framework_order


def _answer(response: Response) -> Answer:
    return Answer(score=response.score, not_applicable=response.not_applicable)


@dataclass(frozen=True)
class Earlier:
    """An answer of the previous assessment to an item that this one's item continues or comes from."""

    code: str
    answer: Answer


@dataclass(frozen=True)
class ItemToWorkOn:
    item: BestPractice
    answer: Answer
    origin: str  # lineage.CONTINUES, SPLIT, MERGED or NEW; "" when there is no previous assessment
    earlier: tuple[Earlier, ...] = ()

    @property
    def fell(self) -> bool:
        """Below the answer of every item it continues or comes from (N/A compares with nothing)."""
        scores = [e.answer.score for e in self.earlier if not e.answer.not_applicable]
        if not scores or len(scores) < len(self.earlier) or self.answer.not_applicable:
            return False
        return self.answer.score < min(scores)

    @property
    def history(self) -> str:
        """Where the item was last time, when that differs: "was In place", "split from SI-2 (In place)",
        "new in this version"."""
        earlier = in_words(
            [_("%(code)s (%(answer)s)") % {"code": e.code, "answer": e.answer.label} for e in self.earlier]
        )
        if self.origin == lineage.CONTINUES and self.earlier:
            first = self.earlier[0]
            if first.code != self.item.code:
                return _("was %(code)s: %(answer)s") % {"code": first.code, "answer": first.answer.label}
            # The same answer as last time goes without saying.
            return "" if first.answer == self.answer else _("was %(answer)s") % {"answer": first.answer.label}
        if self.origin == lineage.SPLIT and self.earlier:
            return _("split from %(earlier)s") % {"earlier": earlier}
        if self.origin == lineage.MERGED and self.earlier:
            return _("merged from %(earlier)s") % {"earlier": earlier}
        if self.origin == lineage.NEW:
            return _("new in this version")
        return ""

    @property
    def change_text(self) -> str:
        """ "FA-3: In place → Partially in place", naming the earlier code(s) when it changed, split or
        merged."""
        names = {
            "code": self.item.code,
            "before": in_words([e.answer.label for e in self.earlier]),
            "now": self.answer.label,
            "earlier": in_words([e.code for e in self.earlier]),
        }
        if self.origin == lineage.SPLIT:
            return _("%(code)s (split from %(earlier)s): %(before)s → %(now)s") % names
        if self.origin == lineage.MERGED:
            return _("%(code)s (merged from %(earlier)s): %(before)s → %(now)s") % names
        if names["earlier"] != self.item.code:
            return _("%(code)s (was %(earlier)s): %(before)s → %(now)s") % names
        return _("%(code)s: %(before)s → %(now)s") % names


# The two ways a resourcing link and the resourced driver's score disagree.
IN_PLACE_BUT_BELOW = "in_place_but_below"
NOT_IN_PLACE_BUT_AT = "not_in_place_but_at"


@dataclass(frozen=True)
class Resourcing:
    """A content link: `item` (e.g. FA-1) resources `driver` (e.g. Selection)."""

    item: BestPractice
    answer: Answer | None
    driver: DriverScore
    benchmark: int

    @property
    def mismatch(self) -> str:
        """The resourced driver below the benchmark while its resourcing item is in place, or at or above
        it while the item is not in place (the shown percent against the benchmark, as scoring reads it)."""
        if self.answer is None or self.answer.not_applicable or self.driver.score.rounded is None:
            return ""
        at = self.driver.score.reaches(self.benchmark)
        if self.answer.score == scale.IN_PLACE and not at:
            return IN_PLACE_BUT_BELOW
        if self.answer.score == scale.NOT_IN_PLACE and at:
            return NOT_IN_PLACE_BUT_AT
        return ""

    @property
    def text(self) -> str:
        names = {
            "code": self.item.code,
            "answer": answer_label(self.answer),
            "driver": self.driver.name,
            "score": self.driver.score.label,
            "benchmark": self.benchmark,
        }
        if self.mismatch == IN_PLACE_BUT_BELOW:
            return (
                _(
                    "%(code)s is in place, but %(driver)s is at %(score)s, below the %(benchmark)d%% "
                    "benchmark: check that the resources reach it."
                )
                % names
            )
        if self.mismatch == NOT_IN_PLACE_BUT_AT:
            return (
                _(
                    "%(code)s is not in place, yet %(driver)s is at %(score)s, at or above the "
                    "%(benchmark)d%% benchmark: how is it resourced, and for how long?"
                )
                % names
            )
        return _("Resourced by %(code)s (%(answer)s).") % names


@dataclass
class DriverNextSteps:
    score: DriverScore
    target: TargetCheck | None
    resourced_by: list[Resourcing] = field(default_factory=list)
    not_in_place: list[ItemToWorkOn] = field(default_factory=list)
    partly: list[ItemToWorkOn] = field(default_factory=list)
    actions: list[ActionSince] = field(default_factory=list)

    @property
    def to_work_on(self) -> int:
        return len(self.not_in_place) + len(self.partly)


@dataclass(frozen=True)
class NextSteps:
    assessment: Assessment
    previous: Assessment | None
    benchmark: int
    drivers: list[DriverNextSteps]
    fell: list[ItemToWorkOn]  # in framework order
    # Actions on drivers this assessment's version no longer has: (the driver's name then, its actions).
    other_actions: list[tuple[str, list[ActionSince]]]
    # Targets follow the team's latest completed assessment only (for the one after it).
    targets_editable: bool

    @property
    def mismatches(self) -> list[Resourcing]:
        return [r for d in self.drivers for r in d.resourced_by if r.mismatch]

    @property
    def has_actions(self) -> bool:
        return any(d.actions for d in self.drivers) or bool(self.other_actions)


def next_steps(*, results: Results) -> NextSteps | None:
    """What the team should look at after a completed assessment; None before it is completed."""
    assessment, previous = results.assessment, results.previous
    if not assessment.is_completed:
        return None
    responses = list(
        Response.objects.filter(assessment=assessment)
        .select_related("item__driver")
        .order_by(*framework_order("item"))
    )
    earlier = _earlier_answers(assessment, previous, [r.item for r in responses])
    targets = targets_after(assessment=previous)
    scores = results.scores
    drivers = {
        d.code: DriverNextSteps(
            score=d, target=TargetCheck(targets[d.key], d.score) if d.key in targets else None
        )
        for d in scores.drivers
    }
    fell = []
    for response in responses:
        item = response.item
        for code in item.resources:
            if code in drivers:
                drivers[code].resourced_by.append(
                    Resourcing(
                        item=item,
                        answer=_answer(response),
                        driver=drivers[code].score,
                        benchmark=scores.benchmark,
                    )
                )
        if response.not_applicable or response.score == scale.IN_PLACE:
            continue
        origin, before = earlier.get(item.pk, ("", ()))
        entry = ItemToWorkOn(item=item, answer=_answer(response), origin=origin, earlier=before)
        section = drivers[item.driver.code]
        (section.not_in_place if response.score == scale.NOT_IN_PLACE else section.partly).append(entry)
        if entry.fell:
            fell.append(entry)
    since = actions_since(assessment=assessment, previous=previous)
    for section in drivers.values():
        section.actions = since.pop(section.score.key, [])
    latest = team_latest_completed(team=assessment.team)
    return NextSteps(
        assessment=assessment,
        previous=previous,
        benchmark=scores.benchmark,
        drivers=list(drivers.values()),
        fell=fell,
        other_actions=[(group[0].action.driver.name, group) for group in since.values()],
        targets_editable=latest is not None and latest.pk == assessment.pk,
    )


def _earlier_answers(
    assessment: Assessment, previous: Assessment | None, items: list[BestPractice]
) -> dict[int, tuple[str, tuple[Earlier, ...]]]:
    """Each item's origin and the previous assessment's answers to the items it continues or comes from,
    by item id, through lineage (one query on one version, four across two)."""
    if previous is None:
        return {}
    before = list(Response.objects.filter(assessment=previous).select_related("item"))
    if previous.version_id == assessment.version_id:
        by_key = {lineage.item_key(r.item): r for r in before}
        return {
            item.pk: (lineage.CONTINUES, (Earlier(r.item.code, _answer(r)),))
            if (r := by_key.get(lineage.item_key(item)))
            else (lineage.NEW, ())
            for item in items
        }
    by_item = {r.item_id: r for r in before}
    origins = lineage.successors(previous.version, assessment.version).new
    found = {}
    for item in items:
        origin = origins[item.pk]
        answers = tuple(Earlier(p.code, _answer(by_item[p.pk])) for p in origin.previous if p.pk in by_item)
        found[item.pk] = (origin.origin, answers)
    return found
