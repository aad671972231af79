"""Everything that changes a team or an assessment, one module per area. Views call these; each is one
transaction. The names are gathered here so that a caller writes `services.vote_record` whatever module
holds it."""

from assessments.services.accounts import account_deactivate, account_update
from assessments.services.common import person_name
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
from assessments.services.sign_in import sign_in_unlock
from assessments.services.teams import (
    coach_assign,
    coach_runs_meetings,
    coach_unassign,
    membership_add,
    membership_change_role,
    membership_remove,
    organization_member_remove,
    organization_role_change,
    team_create,
    team_update,
)
from assessments.services.upgrade import assessment_upgrade
from assessments.services.voting import vote_record, votes_record

__all__ = [
    "INVITATION_VALID_DAYS",
    "InvalidInvitation",
    "ParticipantEntry",
    "StaleResponse",
    "UnfinishedAssessment",
    "account_deactivate",
    "account_update",
    "assessment_complete",
    "assessment_reopen",
    "assessment_reveal_votes",
    "assessment_start",
    "assessment_upgrade",
    "coach_assign",
    "coach_runs_meetings",
    "coach_unassign",
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
    "organization_member_remove",
    "organization_role_change",
    "participants_replace",
    "person_name",
    "response_record",
    "sign_in_unlock",
    "team_create",
    "team_update",
    "vote_record",
    "votes_record",
]
