"""The writes of a load run and the check that they are all in the database.

Every simulated person writes only its own answers (its votes; its items of a consensus meeting), one
request at a time, so the last write of an answer that got a success answer is what the database must hold
after the run. A write that was sent but not answered (a request cut at the end of the run, or one that
failed) may or may not have landed; the database may hold that value instead. Anything else is a lost
write: acknowledged to the person, and not there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Write:
    """One answer as a request writes it: a member's vote, or a consensus answer (`member` empty)."""

    assessment_id: int
    item_code: str
    member: str  # the voter's username; "" for the team's consensus answer
    value: tuple  # as stored: (answer, comment) of a vote, (score, evidence) of a consensus answer

    @property
    def key(self) -> tuple[int, str, str]:
        return self.assessment_id, self.item_code, self.member

    @property
    def is_vote(self) -> bool:
        return bool(self.member)


@dataclass(frozen=True)
class LostWrite:
    write: Write  # the last one acknowledged
    found: tuple | None  # what the database holds instead (None: no row)


class Ledger:
    """The writes of a run: the last one acknowledged of each answer, and the one sent after it, if any,
    that has no answer (yet)."""

    def __init__(self) -> None:
        self.acknowledged: dict[tuple, Write] = {}
        self.unanswered: dict[tuple, Write] = {}
        self.count = 0  # writes acknowledged, every one (an answer saved ten times counts ten)

    def sent(self, write: Write) -> None:
        self.unanswered[write.key] = write

    def answered(self, write: Write) -> None:
        """A success answer: the database holds `write` now."""
        self.unanswered.pop(write.key, None)
        self.acknowledged[write.key] = write
        self.count += 1


def lost_writes(ledger: Ledger) -> list[LostWrite]:
    """The acknowledged writes whose answer the database does not hold (read through the ORM, in a few
    queries whatever the number of writes)."""
    from assessments.models import Response, Vote

    votes = [w for w in ledger.acknowledged.values() if w.is_vote]
    answers = [w for w in ledger.acknowledged.values() if not w.is_vote]
    stored: dict[tuple, tuple] = {}
    if votes:
        rows = Vote.objects.filter(
            assessment_id__in={w.assessment_id for w in votes},
            member__username__in={w.member for w in votes},
        ).values_list("assessment_id", "item__code", "member__username", "answer", "comment")
        stored.update({(a, code, member): (answer, comment) for a, code, member, answer, comment in rows})
    if answers:
        rows = Response.objects.filter(assessment_id__in={w.assessment_id for w in answers}).values_list(
            "assessment_id", "item__code", "score", "evidence"
        )
        stored.update({(a, code, ""): (score, evidence) for a, code, score, evidence in rows})
    lost = []
    for key, write in ledger.acknowledged.items():
        found = stored.get(key)
        landed = ledger.unanswered.get(key)
        if found != write.value and (landed is None or found != landed.value):
            lost.append(LostWrite(write=write, found=found))
    return lost
