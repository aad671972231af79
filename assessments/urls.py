from django.urls import include, path

from assessments.views import (
    assessment,
    consensus,
    history,
    invitations,
    organizations,
    teams,
    upgrade,
    voting,
)

app_name = "assessments"
urlpatterns = [
    path("teams/<int:team_id>/", teams.team_detail, name="team_detail"),
    path("teams/<int:team_id>/members/", teams.team_members, name="team_members"),
    path("teams/<int:team_id>/cadence/", teams.team_cadence, name="team_cadence"),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/", teams.membership_update, name="membership_update"
    ),
    path("teams/<int:team_id>/coaches/<int:assignment_id>/", teams.coach_update, name="coach_update"),
    path("teams/<int:team_id>/leave/", teams.team_leave, name="team_leave"),
    path(
        "organizations/<int:organization_id>/", organizations.organization_detail, name="organization_detail"
    ),
    path(
        "organizations/<int:organization_id>/teams/<int:team_id>/",
        organizations.organization_team,
        name="organization_team",
    ),
    path(
        "organizations/<int:organization_id>/people/",
        organizations.organization_people,
        name="organization_people",
    ),
    path(
        "organizations/<int:organization_id>/people/<int:person_id>/",
        organizations.organization_person,
        name="organization_person",
    ),
    path("teams/<int:team_id>/assessments/new/", teams.assessment_start, name="assessment_start"),
    path("teams/<int:team_id>/invitations/", invitations.invitations, name="invitations"),
    path(
        "teams/<int:team_id>/invitations/<int:invitation_id>/",
        invitations.invitation_update,
        name="invitation_update",
    ),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("assessments/<int:assessment_id>/", assessment.assessment_detail, name="assessment_detail"),
    path("assessments/<int:assessment_id>/participants/", assessment.participants_edit, name="participants"),
    path("assessments/<int:assessment_id>/reveal/", assessment.reveal_votes, name="reveal"),
    path("assessments/<int:assessment_id>/complete/", assessment.complete, name="complete"),
    path("assessments/<int:assessment_id>/reopen/", assessment.reopen, name="reopen"),
    path("assessments/<int:assessment_id>/upgrade/", upgrade.upgrade, name="upgrade"),
    path("assessments/<int:assessment_id>/history/", history.assessment_history, name="history"),
    path("assessments/<int:assessment_id>/vote/", voting.vote_sheet, name="vote"),
    path("assessments/<int:assessment_id>/vote/<item:item_code>/", voting.vote_item, name="vote_item"),
    path("assessments/<int:assessment_id>/consensus/", consensus.consensus, name="consensus"),
    path(
        "assessments/<int:assessment_id>/responses/<item:item_code>/",
        consensus.response_save,
        name="response_save",
    ),
    path("assessments/<int:assessment_id>/meeting/", consensus.meeting, name="meeting"),
    path("assessments/<int:assessment_id>/meeting/<item:item_code>/", consensus.meeting, name="meeting_item"),
    path("", include("assessments.actions.urls")),
    path("", include("assessments.reports.urls")),
]
