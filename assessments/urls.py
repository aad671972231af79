from django.urls import include, path

from assessments.views import assessment, consensus, invitations, teams, voting

app_name = "assessments"
urlpatterns = [
    path("teams/<int:team_id>/", teams.team_detail, name="team_detail"),
    path("teams/<int:team_id>/members/", teams.team_members, name="team_members"),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/", teams.membership_update, name="membership_update"
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
    path("assessments/<int:assessment_id>/vote/", voting.vote_sheet, name="vote"),
    path("assessments/<int:assessment_id>/vote/<str:item_code>/", voting.vote_item, name="vote_item"),
    path("assessments/<int:assessment_id>/consensus/", consensus.consensus, name="consensus"),
    path(
        "assessments/<int:assessment_id>/responses/<str:item_code>/",
        consensus.response_save,
        name="response_save",
    ),
    path("assessments/<int:assessment_id>/meeting/", consensus.meeting, name="meeting"),
    path("assessments/<int:assessment_id>/meeting/<str:item_code>/", consensus.meeting, name="meeting_item"),
    path("", include("assessments.reports.urls")),
]
