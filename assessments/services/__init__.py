"""Everything that changes a team or an assessment, one module per area. Views call these; each is one
transaction. The names are gathered here so that a caller writes `services.vote_record` whatever module
holds it."""

from assessments.services.consensus import StaleResponse, response_record
from assessments.services.invitations import (
    INVITATION_VALID_DAYS,
    InvalidInvitation,
    invitation_accept,
    invitation_accept_as_new,
    invitation_from_token,
    invitation_resend,
    invitation_send,
    invitation_token,
    invitation_withdraw,
    invitations_send_list,
    person_name,
)
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
    "INVITATION_VALID_DAYS",
    "InvalidInvitation",
    "ParticipantEntry",
    "StaleResponse",
    "UnfinishedAssessment",
    "assessment_complete",
    "assessment_reopen",
    "assessment_reveal_votes",
    "assessment_start",
    "invitation_accept",
    "invitation_accept_as_new",
    "invitation_from_token",
    "invitation_resend",
    "invitation_send",
    "invitation_token",
    "invitation_withdraw",
    "invitations_send_list",
    "membership_add",
    "membership_change_role",
    "membership_remove",
    "participants_replace",
    "person_name",
    "response_record",
    "vote_record",
    "votes_record",
]
