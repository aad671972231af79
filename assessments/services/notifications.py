"""E-mails to a team when one of its assessments opens for votes or is completed.

Only people who want them get them (Profile.assessment_emails; no profile yet means yes), with an active
account and an e-mail address. Each person gets a message of their own (no address list shows the others).
The messages go after the transaction commits, so a change that fails or rolls back mails nobody; and a
mail server that is down is logged (on_commit's robust mode) without turning a saved change into an error
page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import Assessment, Membership


def assessment_opened_notify(*, assessment: Assessment) -> None:
    """Asks the team's members (who vote; facilitators do not) to vote, once the start is committed."""
    transaction.on_commit(
        lambda: _send(
            assessment_id=assessment.pk,
            roles=[Membership.Role.MEMBER],
            template="assessment_opened",
            link=reverse("assessments:vote", kwargs={"assessment_id": assessment.pk}),
        ),
        robust=True,
    )


def assessment_completed_notify(*, assessment: Assessment) -> None:
    """Tells the team's members and facilitators that the results are ready, once completion is committed."""
    transaction.on_commit(
        lambda: _send(
            assessment_id=assessment.pk,
            roles=[Membership.Role.MEMBER, Membership.Role.FACILITATOR],
            template="assessment_completed",
            link=reverse("assessments:results", kwargs={"assessment_id": assessment.pk}),
        ),
        robust=True,
    )


def _recipients(*, team_id: int, roles: Iterable[str]):
    return (
        get_user_model()
        .objects.filter(memberships__team_id=team_id, memberships__role__in=roles, is_active=True)
        .exclude(email="")
        .filter(Q(profile__isnull=True) | Q(profile__assessment_emails=True))
        .distinct()
        .order_by("pk")
    )


def _send(*, assessment_id: int, roles: Iterable[str], template: str, link: str) -> None:
    # The assessment and its recipients are read in one transaction (one consistent view of the team,
    # and every service query stays inside a transaction); the mail server is talked to after it.
    with transaction.atomic():
        assessment = Assessment.objects.select_related("team").get(pk=assessment_id)
        context = {"assessment": assessment, "team": assessment.team, "url": f"{settings.SITE_URL}{link}"}
        messages = []
        for person in _recipients(team_id=assessment.team_id, roles=roles):
            context["person"] = person
            subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
            body = render_to_string(f"email/{template}_body.txt", context)
            messages.append(EmailMessage(subject, body, to=[person.email]))
    if messages:
        get_connection().send_messages(messages)
