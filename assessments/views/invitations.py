"""Inviting people to a team by e-mail, and accepting an invitation through the link of the e-mail."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.access import Need, TeamAccess, requires
from assessments.forms import InvitationForm, InvitationListForm, NewAccountForm


@requires(Need.MANAGE)
def invitations(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    """The team's pending invitations, and the forms to invite one person or a pasted list."""
    team = access.team
    posted = request.POST if request.method == "POST" else None
    sending_list = posted is not None and posted.get("send") == "list"
    one = InvitationForm(None if sending_list else posted, prefix="one")
    many = InvitationListForm(posted if sending_list else None, prefix="list")
    try:
        if not sending_list and one.is_valid():
            invitation = services.invitation_send(team=team, invited_by=request.user, **one.cleaned_data)
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("assessments:invitations", team_id=team.pk)
        if sending_list and many.is_valid():
            sent = services.invitations_send_list(
                team=team,
                text=many.cleaned_data["text"],
                invited_by=request.user,
            )
            text = ngettext(
                "%(count)d invitation sent: %(emails)s.", "%(count)d invitations sent: %(emails)s.", len(sent)
            )
            messages.success(request, text % {"count": len(sent), "emails": ", ".join(i.email for i in sent)})
            return redirect("assessments:invitations", team_id=team.pk)
    except ValidationError as exc:
        if sending_list:
            many.add_error("text", exc)
        else:
            one.add_error("email", exc)
    return render(
        request,
        "assessments/invitations.html",
        {
            "access": access,
            "team": team,
            "one": one,
            "many": many,
            "invitations": selectors.team_pending_invitations(team=team),
            "valid_days": services.INVITATION_VALID_DAYS,
        },
    )


@requires(Need.MANAGE)
@require_POST
def invitation_update(request: HttpRequest, access: TeamAccess, invitation_id: int) -> HttpResponse:
    """Resends (a new link; the older one stops working) or withdraws a pending invitation."""
    invitation = selectors.invitation_for_team(team=access.team, invitation_id=invitation_id)
    if invitation is None:
        raise Http404("No such invitation to this team.")
    action = request.POST.get("action")
    try:
        if action == "resend":
            services.invitation_resend(invitation=invitation)
            text = _("Invitation sent again to %(email)s; the link of the earlier e-mail no longer works.")
        elif action == "withdraw":
            services.invitation_withdraw(invitation=invitation)
            text = _("The invitation of %(email)s was withdrawn; its link no longer works.")
        else:
            raise ValidationError(_("Choose Resend or Withdraw."))
        messages.success(request, text % {"email": invitation.email})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessments:invitations", team_id=access.team.pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page of the e-mail's link: public, the signed link is the credential. A signed-in person joins
    with their account; anyone else creates one here (or signs in first and comes back)."""
    try:
        invitation = services.invitation_from_token(token)
    except services.InvalidInvitation as exc:
        return _unusable(request, exc)
    user = request.user
    form = None if user.is_authenticated else NewAccountForm(request.POST or None)
    problem = None
    if request.method == "POST":
        try:
            if user.is_authenticated:
                services.invitation_accept(invitation=invitation, user=user)
                return _joined(request, invitation)
            if form.is_valid():
                user = services.invitation_accept_as_new(
                    invitation=invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password"],
                )
                # The account was just made: signed in through the backend that knows accounts, since
                # the first one listed (django-axes) only throttles.
                login(request, user, backend="assessments.backends.UsernameOrEmailBackend")
                return _joined(request, invitation)
        except services.InvalidInvitation as exc:
            return _unusable(request, exc)  # used or withdrawn since the page was opened
        except ValidationError as exc:
            if form is None:
                problem = " ".join(exc.messages)
            else:
                form.add_error(None, exc)
    return render(
        request,
        "assessments/invitation_accept.html",
        {
            "invitation": invitation,
            "team": invitation.team,
            "inviter": services.person_name(invitation.invited_by),
            "form": form,
            "problem": problem,
        },
    )


def _joined(request: HttpRequest, invitation) -> HttpResponse:
    text = _("Welcome to %(team)s: you joined as %(role)s.")
    messages.success(request, text % {"team": invitation.team.name, "role": invitation.get_role_display()})
    return redirect("assessments:team_detail", team_id=invitation.team_id)


def _unusable(request: HttpRequest, refusal: "services.InvalidInvitation") -> HttpResponse:
    """410 Gone for a link that worked once (expired, used, withdrawn); 404 for one that never did or was
    replaced by a newer one."""
    return render(
        request,
        "assessments/invitation_unusable.html",
        {"problem": refusal.message, "reason": refusal.reason},
        status=410 if refusal.gone else 404,
    )
