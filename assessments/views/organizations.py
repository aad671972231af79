"""An organization's own pages, for its admins: its teams (made, renamed, given a level and a first
facilitator here) and its people. Django's admin stays for site staff and content admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.access import Need, OrganizationAccess, requires
from assessments.forms import OrganizationRoleForm, TeamCreateForm, TeamEditForm


@requires(Need.ORGANIZE)
def organization_detail(request: HttpRequest, access: OrganizationAccess) -> HttpResponse:
    """The organization's teams, and a form for a new one."""
    organization = access.organization
    form = TeamCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                organization=organization,
                created_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("%(team)s is set up.") % {"team": team.name})
            return redirect("assessments:organization_detail", organization_id=organization.pk)
    return render(
        request,
        "assessments/organization_detail.html",
        {
            "access": access,
            "organization": organization,
            "teams": selectors.organization_teams(organization=organization),
            "form": form,
        },
    )


@requires(Need.ORGANIZE)
def organization_team(request: HttpRequest, access: OrganizationAccess, team_id: int) -> HttpResponse:
    """Renaming a team, its program, its level and how often it assesses."""
    team = selectors.organization_team(organization=access.organization, team_id=team_id)
    if team is None:
        raise Http404("No such team in this organization.")
    initial = {
        "name": team.name,
        "program": team.program,
        "level": team.level,
        "assessment_interval_months": team.assessment_interval_months,
    }
    form = TeamEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("%(team)s is saved.") % {"team": team.name})
            return redirect("assessments:organization_detail", organization_id=access.organization.pk)
    return render(
        request,
        "assessments/organization_team.html",
        {"access": access, "organization": access.organization, "team": team, "form": form},
    )


@requires(Need.ORGANIZE)
def organization_people(request: HttpRequest, access: OrganizationAccess) -> HttpResponse:
    return render(
        request,
        "assessments/organization_people.html",
        {
            "access": access,
            "organization": access.organization,
            "people": selectors.organization_people(organization=access.organization),
        },
    )


@requires(Need.ORGANIZE)
@require_POST
def organization_person(request: HttpRequest, access: OrganizationAccess, person_id: int) -> HttpResponse:
    """Makes a person an organization admin or a member, opens their sign-in again after too many wrong
    passwords, or removes them from the organization."""
    membership = selectors.organization_membership(organization=access.organization, membership_id=person_id)
    if membership is None:
        raise Http404("No such person in this organization.")
    name = services.person_name(membership.user)
    try:
        if request.POST.get("action") == "unlock":
            services.sign_in_unlock(user=membership.user)
            messages.success(request, _("%(name)s can sign in again.") % {"name": name})
        elif request.POST.get("action") == "remove":
            services.organization_member_remove(membership=membership)
            messages.success(
                request,
                _("%(name)s was removed from %(organization)s and its teams; their votes and answers stay.")
                % {"name": name, "organization": access.organization.name},
            )
        else:
            form = OrganizationRoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose admin or member."))
            services.organization_role_change(membership=membership, role=form.cleaned_data["role"])
            if membership.is_admin:
                text = _("%(name)s is now an admin of %(organization)s.")
            else:
                text = _("%(name)s is now a member of %(organization)s.")
            messages.success(request, text % {"name": name, "organization": access.organization.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessments:organization_people", organization_id=access.organization.pk)


def _form_errors(form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: at its field where the model names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
