"""Everything that changes a team or an assessment, one module per area. Views call these; each is one
transaction. The names are gathered here so that a caller writes `services.vote_record` whatever module
holds it."""

from assessments.services.accounts import account_deactivate, account_update
from assessments.services.consensus import StaleResponse, response_record
from assessments.services.lifecycle import (
    ParticipantEntry,
    UnfinishedAssessment,
    assessment_complete,
    assessment_reopen,
    assessment_reveal_votes,
    assessment_start,
    participants_replace,
)
from assessments.services.teams import membership_add, membership_change_role, membership_remove
from assessments.services.voting import vote_record, votes_record

__all__ = [
    "ParticipantEntry",
    "StaleResponse",
    "UnfinishedAssessment",
    "account_deactivate",
    "account_update",
    "assessment_complete",
    "assessment_reopen",
    "assessment_reveal_votes",
    "assessment_start",
    "membership_add",
    "membership_change_role",
    "membership_remove",
    "participants_replace",
    "response_record",
    "vote_record",
    "votes_record",
]
