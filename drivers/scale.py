"""The instrument's rating scale, defined once: what members vote, what a consensus answer may be, and how
many points each is worth.

- A member votes 2 (in place), 1 (partially in place), 0 (not in place) or "don't know".
- The team's consensus answer is 2, 1 or 0, or not applicable (N/A), which needs a reason and leaves the
  denominator of every score.

Models (choices and check constraints), forms, scoring, charts, exports and the rubric of an item all read
these names. The module imports nothing from the database layer, so charts may use it.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

IN_PLACE, PARTIALLY_IN_PLACE, NOT_IN_PLACE = 2, 1, 0
SCORES = (IN_PLACE, PARTIALLY_IN_PLACE, NOT_IN_PLACE)  # best first, as every list of answers shows them
MAX_POINTS = IN_PLACE
SCORE_LABELS = {
    IN_PLACE: _("In place"),
    PARTIALLY_IN_PLACE: _("Partially in place"),
    NOT_IN_PLACE: _("Not in place"),
}

DONT_KNOW = "dk"  # a vote only: the member cannot judge the item
VOTES = (*(str(s) for s in SCORES), DONT_KNOW)  # how votes are stored
DONT_KNOW_LABEL = _("Don't know")

NOT_APPLICABLE = "na"  # a consensus answer only, always with a reason
NOT_APPLICABLE_LABEL = _("Not applicable")
NOT_APPLICABLE_SHORT = _("N/A")

# "In place (2)": a level with its points, where the points are not shown apart (consensus, rubric).
SCORE_LABELS_WITH_POINTS = {
    s: format_lazy(_("{label} ({points})"), label=SCORE_LABELS[s], points=s) for s in SCORES
}

VOTE_CHOICES = [*((str(s), SCORE_LABELS[s]) for s in SCORES), (DONT_KNOW, DONT_KNOW_LABEL)]
CONSENSUS_CHOICES = [
    *((str(s), SCORE_LABELS_WITH_POINTS[s]) for s in SCORES),
    (NOT_APPLICABLE, NOT_APPLICABLE_LABEL),
]


def consensus_value(score: int | None) -> str:
    """The form value of a stored consensus answer (score None is N/A)."""
    return NOT_APPLICABLE if score is None else str(score)


def consensus_score(value: str) -> int | None:
    """The stored score of a consensus form value; None for N/A."""
    return None if value == NOT_APPLICABLE else int(value)
