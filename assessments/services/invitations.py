"""Invitations by e-mail: sending (one, or a pasted list), resending, withdrawing, and accepting through the
signed link, with an account the person has or one they create on the way.

The link carries a token signed with the site's key: the invitation's id and its `key`. The signature's
timestamp makes it expire (INVITATION_VALID_FOR), the key makes a resend retire the older link, and
`accepted_at` makes it single use. Each refusal of a link says which of these it was, so the page can say
what to do next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import (
    INVITATION_VALID_FOR,
    CoachAssignment,
    Invitation,
    Membership,
    Team,
    invitation_key,
)
from assessments.services.common import person_name

TOKEN_SALT = "implhub.invitation"
# For the pages and e-mails that say how long a link works.
INVITATION_VALID_DAYS = INVITATION_VALID_FOR.days
# The words a pasted list may use for a role: the stored values of Invitation.Role.
ROLE_WORDS = tuple(Invitation.Role.values)
# Between the e-mail and the role of a pasted line: commas, semicolons, tabs or spaces, any number.
LIST_SEPARATORS = re.compile(r"[,;\s]+")


class InvalidInvitation(ValidationError):
    """A link that cannot be used, and why. `gone` tells a link that was good once (expired, used,
    withdrawn) from one that never was or no longer is the current one (altered, superseded)."""

    def __init__(self, message: str, *, reason: str, gone: bool):
        super().__init__(message, code=reason)
        self.reason = reason
        self.gone = gone


# --- Sending -------------------------------------------------------------------------------------------


@transaction.atomic
def invitation_send(*, team: Team, email: str, role: str, invited_by: AbstractBaseUser) -> Invitation:
    """Invites `email` to the team in `role` and e-mails the link once the invitation is committed."""
    email = _normalised(email)
    problem = _refusal(team=team, email=email, role=role)
    if problem:
        raise ValidationError(problem)
    return _invite(team=team, email=email, role=role, invited_by=invited_by)


@dataclass(frozen=True)
class _ListLine:
    number: int
    email: str
    role: str


@transaction.atomic
def invitations_send_list(*, team: Team, text: str, invited_by: AbstractBaseUser) -> list[Invitation]:
    """Invites everyone of a pasted list, one "e-mail role" a line (the role may be left out: member).
    Every line is checked before anything is sent: one wrong line refuses the whole list, and the error
    names each wrong line with its number and what is wrong."""
    lines, problems = _parse_list(text)
    first_line_of: dict[str, int] = {}
    for line in lines:
        if line.email in first_line_of:
            problem = _("%(email)s is already on line %(first)d.") % {
                "email": line.email,
                "first": first_line_of[line.email],
            }
        else:
            first_line_of[line.email] = line.number
            problem = _refusal(team=team, email=line.email, role=line.role)
        if problem:
            problems.append((line.number, problem))
    if problems:
        raise ValidationError(
            [_("Line %(number)d: %(problem)s") % {"number": n, "problem": p} for n, p in sorted(problems)]
        )
    if not lines:
        raise ValidationError(_("The list is empty: paste one e-mail address a line."))
    return [_invite(team=team, email=line.email, role=line.role, invited_by=invited_by) for line in lines]


def _parse_list(text: str) -> tuple[list[_ListLine], list[tuple[int, str]]]:
    """The well-formed lines of a pasted list, and (line number, problem) for the others."""
    lines, problems = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        words = [word for word in LIST_SEPARATORS.split(raw.strip()) if word]
        if not words:
            continue
        if len(words) > 2:
            problems.append(
                (
                    number,
                    _("write an e-mail address and a role, found %(line)s.") % {"line": repr(raw.strip())},
                )
            )
            continue
        email = _normalised(words[0])
        role = words[1].lower() if len(words) == 2 else Invitation.Role.MEMBER
        if not _is_email(email):
            problems.append((number, _not_an_email(words[0])))
        elif role not in ROLE_WORDS:
            problems.append((number, _not_a_role(words[1])))
        else:
            lines.append(_ListLine(number=number, email=email, role=role))
    return lines, problems


def _refusal(*, team: Team, email: str, role: str) -> str | None:
    """Why `email` cannot be invited to the team in `role`, or None. The one check of both senders."""
    if not _is_email(email):
        return _not_an_email(email)
    if role not in ROLE_WORDS:
        return _not_a_role(role)
    if team.invitations.filter(email=email, accepted_at__isnull=True, withdrawn_at__isnull=True).exists():
        return _("%(email)s already has a pending invitation to %(team)s; resend it instead.") % {
            "email": email,
            "team": team.name,
        }
    people = get_user_model().objects.filter(email__iexact=email)
    if role == Invitation.Role.COACH:
        if CoachAssignment.objects.filter(team=team, coach__in=people).exists():
            return _("%(email)s already coaches %(team)s.") % {"email": email, "team": team.name}
        return None
    current = set(Membership.objects.filter(team=team, user__in=people).values_list("role", flat=True))
    # Accepting never demotes: inviting a facilitator as a member would change nothing either.
    if Membership.Role.FACILITATOR in current:
        return _("%(email)s is already a facilitator of %(team)s.") % {"email": email, "team": team.name}
    if current and role == Invitation.Role.MEMBER:
        return _("%(email)s is already a member of %(team)s.") % {"email": email, "team": team.name}
    return None


def _invite(*, team: Team, email: str, role: str, invited_by: AbstractBaseUser) -> Invitation:
    invitation = Invitation(team=team, email=email, role=role, invited_by=invited_by)
    invitation.full_clean()
    invitation.save()
    _email_after_commit(invitation)
    return invitation


# --- Resending and withdrawing ---------------------------------------------------------------------------


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Sends a pending invitation again with a new link: the key is renewed, so the older link stops working,
    and the 7 days start again."""
    locked = _locked_pending(invitation)
    locked.key = invitation_key()
    locked.sent_at = timezone.now()
    locked.save(update_fields=["key", "sent_at"])
    _email_after_commit(locked)
    return locked


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation) -> Invitation:
    """Withdraws a pending invitation: its link stops working."""
    locked = _locked_pending(invitation)
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    return locked


def _locked_pending(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.select_for_update()
        .select_related("team__organization", "invited_by")
        .get(pk=invitation.pk)
    )
    if locked.accepted_at is not None:
        raise ValidationError(_("%(email)s has already accepted this invitation.") % {"email": locked.email})
    if locked.withdrawn_at is not None:
        raise ValidationError(_("The invitation of %(email)s was withdrawn.") % {"email": locked.email})
    return locked


# --- The link -------------------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    """The signed part of the invitation's link; it names the current key, and signing stamps the time."""
    return signing.dumps({"i": invitation.pk, "k": invitation.key}, salt=TOKEN_SALT)


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link stands for, or InvalidInvitation saying why the link cannot be used."""
    expired = False
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=INVITATION_VALID_FOR)
    except signing.SignatureExpired:
        # The signature is sound, only old: read it anyway, to name the invitation and who can renew it.
        expired = True
        payload = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise _not_valid() from None
    try:
        pk, key = int(payload["i"]), str(payload["k"])
    except (KeyError, TypeError, ValueError):
        raise _not_valid() from None
    invitation = Invitation.objects.select_related("team__organization", "invited_by").filter(pk=pk).first()
    if invitation is None:
        raise _not_valid()
    _check_usable(invitation, key=key)
    if expired:
        raise InvalidInvitation(
            ngettext(
                "This invitation expired: a link works for %(days)d day. Ask %(inviter)s to send a new one.",
                "This invitation expired: a link works for %(days)d days. Ask %(inviter)s to send a new one.",
                INVITATION_VALID_DAYS,
            )
            % {"days": INVITATION_VALID_DAYS, "inviter": person_name(invitation.invited_by)},
            reason="expired",
            gone=True,
        )
    return invitation


def _check_usable(invitation: Invitation, *, key: str) -> None:
    """Refuses an invitation that was used or withdrawn, or a link with a key a resend has replaced."""
    if invitation.accepted_at is not None:
        raise InvalidInvitation(
            _("This invitation has already been used: a link works once. Sign in to reach the team."),
            reason="used",
            gone=True,
        )
    if invitation.withdrawn_at is not None:
        raise InvalidInvitation(
            _("This invitation was withdrawn. Ask %(inviter)s if you should still join %(team)s.")
            % {"inviter": person_name(invitation.invited_by), "team": invitation.team.name},
            reason="withdrawn",
            gone=True,
        )
    if invitation.key != key:
        raise InvalidInvitation(
            _("A newer invitation was sent to %(email)s after this one: use the link of the latest e-mail.")
            % {"email": invitation.email},
            reason="superseded",
            gone=False,
        )


def _not_valid() -> InvalidInvitation:
    return InvalidInvitation(
        _(
            "This invitation link is not valid: it may have been cut or changed when it was copied. "
            "Open it again from the e-mail, or ask the person who invited you to send a new one."
        ),
        reason="invalid",
        gone=False,
    )


# --- Accepting ------------------------------------------------------------------------------------------


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: AbstractBaseUser) -> Membership | CoachAssignment:
    """Puts `user` in the team in the invited role and marks the invitation used.

    The invitation row is locked and checked again, so of two clicks on Join one succeeds and the other is
    refused. A person already in the team keeps the higher role: an invitation never demotes."""
    if user.is_staff or user.is_superuser:
        raise ValidationError(
            _("Site staff read every team and never join one: accept with a personal account instead.")
        )
    locked = Invitation.objects.select_for_update().select_related("team__organization").get(pk=invitation.pk)
    _check_usable(locked, key=invitation.key)
    team = locked.team
    if locked.role == Invitation.Role.COACH:
        joined, _created = CoachAssignment.objects.get_or_create(team=team, coach=user)
    else:
        joined = Membership.objects.filter(team=team, user=user).first()
        if joined is None:
            joined = Membership.objects.create(team=team, user=user, role=locked.role)
        elif locked.role == Invitation.Role.FACILITATOR and not joined.is_facilitator:
            joined.role = Membership.Role.FACILITATOR
            joined.save(update_fields=["role"])
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return joined


@transaction.atomic
def invitation_accept_as_new(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> AbstractBaseUser:
    """Creates the invited person's account (username and e-mail: the invited address) and accepts the
    invitation with it. Someone who has an account already signs in and accepts with that one. Password
    rules refused are reported on `password` (the name of the argument)."""
    user_model = get_user_model()
    email = _normalised(invitation.email)
    if user_model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError(
            _("An account for %(email)s exists already: sign in with it, then accept the invitation.")
            % {"email": email}
        )
    user = user_model(username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip())
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from None
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as exc:
        if "username" in exc.message_dict:
            # An e-mail address may hold characters a username may not ('!', '#', ...).
            raise ValidationError(
                _("%(email)s cannot name an account here: ask %(inviter)s to invite another address.")
                % {"email": email, "inviter": person_name(invitation.invited_by)}
            ) from None
        raise ValidationError(exc.messages) from None
    user.save()
    invitation_accept(invitation=invitation, user=user)
    return user


# --- The e-mail -----------------------------------------------------------------------------------------


def _email_after_commit(invitation: Invitation) -> None:
    """Writes the e-mail now and sends it once the transaction commits: a rolled-back invitation sends
    nothing, and a slow mail server holds no lock."""
    context = {
        "inviter": person_name(invitation.invited_by),
        "team": invitation.team.name,
        "organization": invitation.team.organization.name,
        "role": invitation.get_role_display(),
        "link": settings.SITE_URL
        + reverse("assessments:invitation_accept", kwargs={"token": invitation_token(invitation)}),
        "days": INVITATION_VALID_DAYS,
    }
    subject = " ".join(render_to_string("email/invitation_subject.txt", context).split())
    body = render_to_string("email/invitation_body.txt", context)
    # robust: a mail server that is down is logged and does not turn a saved invitation into an error page;
    # the invitations page offers Resend.
    transaction.on_commit(
        partial(send_mail, subject, body, from_email=None, recipient_list=[invitation.email]), robust=True
    )


def _normalised(email: str) -> str:
    return email.strip().lower()


def _is_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _not_an_email(text: str) -> str:
    return _("%(text)s is not an e-mail address.") % {"text": repr(text)}


def _not_a_role(text: str) -> str:
    return _("%(text)s is not a role: use member, facilitator or coach.") % {"text": repr(text)}
