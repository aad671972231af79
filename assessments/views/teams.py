"""The team page, its members, and starting an assessment."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments import selectors, services
from assessments.access import Need, TeamAccess, requires
from assessments.actions.selectors.comments import team_new_comments
from assessments.actions.selectors.plan import team_plan_summary
from assessments.forms import (
    AssessmentStartForm,
    CoachAddForm,
    MemberAddForm,
    ParticipantFormSet,
    RoleForm,
    RunsMeetingsForm,
    TeamIntervalForm,
    member_rows,
)


@requires(Need.READ)
def team_detail(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    team = access.team
    return render(
        request,
        "assessments/team_detail.html",
        {
            "access": access,
            "team": team,
            "assessments": selectors.team_assessments(team=team),
            "members": selectors.team_members(team=team),
            "coaches": selectors.team_coaches(team=team),
            "own_membership": selectors.own_membership(team=team, user=request.user),
            "plan_summary": team_plan_summary(team=team),
            "new_comments": team_new_comments(user=request.user, team=team),
            "next_assessment": selectors.team_next_assessment(team=team),
            "interval_form": TeamIntervalForm(
                initial={"assessment_interval_months": team.assessment_interval_months}
            ),
        },
    )


@requires(Need.MANAGE)
@require_http_methods(["GET", "POST"])
def team_cadence(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    """How often the team assesses. The team page posts its small form here; a refused interval comes
    back on this page with the message beside the field."""
    team = access.team
    form = TeamIntervalForm(
        request.POST if request.method == "POST" else None,
        initial={"assessment_interval_months": team.assessment_interval_months},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("assessment_interval_months", exc.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(team)s now assesses every %(months)d month.",
                    "%(team)s now assesses every %(months)d months.",
                    team.assessment_interval_months,
                )
                % {"team": team.name, "months": team.assessment_interval_months},
            )
            return redirect("assessments:team_detail", team_id=team.pk)
    return render(
        request,
        "assessments/team_cadence.html",
        {
            "access": access,
            "team": team,
            "form": form,
            "next_assessment": selectors.team_next_assessment(team=team),
        },
    )


@requires(Need.MANAGE)
def team_members(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    """The team's members and coaches: add people of the organization, change roles, remove; let a coach
    run the meetings. People from outside the organization are invited by e-mail."""
    adding_coach = request.POST.get("add") == "coach"
    form = MemberAddForm(request.POST if request.method == "POST" and not adding_coach else None)
    coach_form = CoachAddForm(request.POST if adding_coach else None, prefix="coach")
    if request.method == "POST" and adding_coach and coach_form.is_valid():
        try:
            assignment = services.coach_assign(team=access.team, **coach_form.cleaned_data)
        except ValidationError as exc:
            coach_form.add_error("identifier", exc)
        else:
            messages.success(
                request,
                _("%(user)s now coaches %(team)s.")
                % {"user": services.person_name(assignment.coach), "team": access.team.name},
            )
            return redirect("assessments:team_members", team_id=access.team.pk)
    elif request.method == "POST" and not adding_coach and form.is_valid():
        try:
            membership = services.membership_add(team=access.team, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("identifier", exc)
        else:
            if membership.is_facilitator:
                text = _("%(user)s is now a facilitator of %(team)s.")
            else:
                text = _("%(user)s is now a member of %(team)s.")
            messages.success(
                request, text % {"user": services.person_name(membership.user), "team": access.team.name}
            )
            return redirect("assessments:team_members", team_id=access.team.pk)
    return render(
        request,
        "assessments/team_members.html",
        {
            "access": access,
            "team": access.team,
            "form": form,
            "coach_form": coach_form,
            "members": selectors.team_members(team=access.team),
            "coaches": selectors.team_coaches(team=access.team),
            "has_facilitator": selectors.team_has_facilitator(team=access.team),
        },
    )


@requires(Need.MANAGE)
@require_POST
def coach_update(request: HttpRequest, access: TeamAccess, assignment_id: int) -> HttpResponse:
    """Lets a coach run the team's meetings or stops it, or ends the coaching."""
    assignment = selectors.team_coach(team=access.team, assignment_id=assignment_id)
    if assignment is None:
        raise Http404("No such coach of this team.")
    name = services.person_name(assignment.coach)
    if request.POST.get("action") == "remove":
        services.coach_unassign(assignment=assignment)
        messages.success(request, _("%(user)s no longer coaches the team.") % {"user": name})
    else:
        form = RunsMeetingsForm(request.POST)
        form.is_valid()  # a missing box is False: an unticked checkbox sends nothing
        services.coach_runs_meetings(assignment=assignment, runs_meetings=form.cleaned_data["runs_meetings"])
        if assignment.runs_meetings:
            text = _("%(user)s may now run the team's meetings.")
        else:
            text = _("%(user)s no longer runs the team's meetings.")
        messages.success(request, text % {"user": name})
    return redirect("assessments:team_members", team_id=access.team.pk)


@requires(Need.READ)
@require_http_methods(["GET", "POST"])
def team_leave(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    """A member leaves the team (GET asks first). Their votes and answers stay, with their name."""
    membership = selectors.own_membership(team=access.team, user=request.user)
    if membership is None:
        raise PermissionDenied("Only a member of the team can leave it.")
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("assessments:team_detail", team_id=access.team.pk)
        messages.success(request, _("You left %(team)s.") % {"team": access.team.name})
        return redirect("home")
    return render(
        request,
        "assessments/team_leave.html",
        {"access": access, "team": access.team, "membership": membership},
    )


@requires(Need.MANAGE)
@require_POST
def membership_update(request: HttpRequest, access: TeamAccess, membership_id: int) -> HttpResponse:
    membership = selectors.team_membership(team=access.team, membership_id=membership_id)
    if membership is None:
        raise Http404("No such member of this team.")
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(membership=membership)
            messages.success(
                request,
                _("%(user)s was removed from the team.") % {"user": services.person_name(membership.user)},
            )
        else:
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose member or facilitator."))
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
            if membership.is_facilitator:
                text = _("%(user)s is now a facilitator.")
            else:
                text = _("%(user)s is now a member.")
            messages.success(request, text % {"user": services.person_name(membership.user)})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessments:team_members", team_id=access.team.pk)


@requires(Need.FACILITATE)
def assessment_start(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    team = access.team
    unfinished = selectors.team_unfinished_assessment(team=team)
    form = AssessmentStartForm(request.POST or None, initial={"stage": selectors.team_last_stage(team=team)})
    team_members = selectors.team_member_choices(team=team)
    participants = ParticipantFormSet(
        request.POST or None,
        initial=member_rows(team_members),
        prefix="participants",
        team_members=team_members,
    )
    if request.method == "POST" and form.is_valid() and participants.is_valid():
        try:
            assessment = services.assessment_start(
                team=team,
                started_by=request.user,
                participants=participants.entries(),
                **form.cleaned_data,
            )
        except services.UnfinishedAssessment as exc:
            unfinished = exc.unfinished  # the notice above the form says it, with a link
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The assessment is open: members can vote now."))
            return redirect("assessments:assessment_detail", assessment_id=assessment.pk)
    return render(
        request,
        "assessments/assessment_start.html",
        {
            "access": access,
            "team": team,
            "form": form,
            "participants": participants,
            "unfinished": unfinished,
        },
        status=409 if request.method == "POST" and unfinished else 200,
    )
