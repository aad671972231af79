"""The team page, its members, and starting an assessment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.access import Need, TeamAccess, requires
from assessments.forms import AssessmentStartForm, MemberAddForm, ParticipantFormSet, RoleForm, member_rows


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
        },
    )


@requires(Need.FACILITATE)
def team_members(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(team=access.team, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("identifier", exc)
        else:
            if membership.is_facilitator:
                text = _("%(user)s is now a facilitator of %(team)s.")
            else:
                text = _("%(user)s is now a member of %(team)s.")
            messages.success(request, text % {"user": _name(membership.user), "team": access.team.name})
            return redirect("assessments:team_members", team_id=access.team.pk)
    return render(
        request,
        "assessments/team_members.html",
        {
            "access": access,
            "team": access.team,
            "form": form,
            "members": selectors.team_members(team=access.team),
        },
    )


@requires(Need.FACILITATE)
@require_POST
def membership_update(request: HttpRequest, access: TeamAccess, membership_id: int) -> HttpResponse:
    membership = selectors.team_membership(team=access.team, membership_id=membership_id)
    if membership is None:
        raise Http404("No such member of this team.")
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(membership=membership)
            messages.success(
                request, _("%(user)s was removed from the team.") % {"user": _name(membership.user)}
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
            messages.success(request, text % {"user": _name(membership.user)})
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


def _name(user) -> str:
    """How pages name a person: the full name, or the username when no name is set."""
    return user.get_full_name() or user.get_username()
