"""Invitations by e-mail, through the services and the pages: sending one or a list, resending, withdrawing,
and accepting through the signed link, with an account or a new one. Every refusal changes nothing."""

import re
import time
from functools import partial
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import (
    CoachAssignment,
    Invitation,
    Membership,
    OrganizationMembership,
)
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60
NEWCOMER = "newcomer@example.org"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (the e-mails) as a real commit would; the test's own transaction
    never commits."""
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def invite(cast, committed):
    """Invites an address to Riverside as its facilitator would, e-mail sent."""

    def send(email=NEWCOMER, role="member", team=None):
        with committed():
            return services.invitation_send(
                team=team or cast.team, email=email, role=role, invited_by=cast.facilitator
            )

    return send


def link_of(message) -> str:
    """The path of the invitation link in an e-mail (the host is the inviting request's)."""
    found = re.search(rf"^{re.escape(settings.SITE_URL)}(/invitations/\S+/)$", message.body, re.MULTILINE)
    assert found, message.body
    return found.group(1)


def token_of(message) -> str:
    return link_of(message).split("/")[2]


def state():
    """What a refused request must leave as it was."""
    return {
        "invitations": list(Invitation.objects.values_list("pk", "email", "role", "key", "sent_at")),
        "used": list(Invitation.objects.values_list("pk", "accepted_at", "accepted_by", "withdrawn_at")),
        "memberships": list(Membership.objects.values_list("team_id", "user_id", "role")),
        "organizations": list(OrganizationMembership.objects.values_list("organization_id", "user_id")),
        "coaching": list(CoachAssignment.objects.values_list("team_id", "coach_id")),
        "users": get_user_model().objects.count(),
        "outbox": len(mail.outbox),
    }


def refusal(call) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value


# --- Sending one -----------------------------------------------------------------------------------------


def test_an_invitation_is_stored_lower_cased_and_emails_a_link_saying_who_where_and_as_what(
    cast, invite, mailoutbox
):
    invitation = invite(email="  NewComer@Example.ORG ", role="facilitator")
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        NEWCOMER,
        "facilitator",
        cast.facilitator,
    )
    [message] = mailoutbox
    assert message.to == [NEWCOMER]
    assert message.subject == "Fiona invites you to Riverside on implhub"
    assert f"Fiona invites you to join Riverside of {cast.team.organization.name} on implhub" in message.body
    assert "as Facilitator (leads)" in message.body
    assert "The link works once and expires in 7 days." in message.body
    assert services.invitation_from_token(token_of(message)) == invitation


def test_the_email_waits_for_the_commit(cast, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        services.invitation_send(team=cast.team, email=NEWCOMER, role="member", invited_by=cast.facilitator)
    assert len(waiting) == 1
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        (
            "NEWCOMER@example.org",
            "member",
            f"{NEWCOMER} already has a pending invitation to Riverside; resend it",
        ),
        ("other@example.org", "boss", "'boss' is not a role: use member, facilitator or coach."),
        ("bob@", "member", "'bob@' is not an e-mail address."),
        ("mark@example.org", "member", "mark@example.org is already a member of Riverside."),
        ("fiona@example.org", "member", "fiona@example.org is already a facilitator of Riverside."),
        ("fiona@example.org", "facilitator", "fiona@example.org is already a facilitator of Riverside."),
        ("carmen@example.org", "coach", "carmen@example.org already coaches Riverside."),
    ],
)
def test_a_refused_invitation_says_why_and_changes_nothing(cast, invite, email, role, message):
    invite()
    before = state()
    refused = refusal(lambda: invite(email=email, role=role))
    assert message in refused.messages[0]
    assert state() == before


def test_a_member_may_be_invited_to_facilitate_and_a_member_to_coach(cast, invite):
    assert invite(email="mark@example.org", role="facilitator").role == "facilitator"
    assert invite(email="mei@example.org", role="coach").role == "coach"


def test_an_address_invited_before_may_be_invited_again_once_that_invitation_is_withdrawn(cast, invite):
    services.invitation_withdraw(invitation=invite())
    assert invite().is_pending


# --- Sending a list --------------------------------------------------------------------------------------


def test_a_pasted_list_invites_everyone_with_any_separator_and_member_by_default(cast, committed, mailoutbox):
    text = (
        "ann@example.org member\nBen@Example.org, Facilitator\n\n  cy@example.org;COACH  \ndee@example.org\n"
    )
    text += "eve@example.org\tcoach\r\n"
    with committed():
        sent = services.invitations_send_list(team=cast.team, text=text, invited_by=cast.facilitator)
    assert [(i.email, i.role) for i in sent] == [
        ("ann@example.org", "member"),
        ("ben@example.org", "facilitator"),
        ("cy@example.org", "coach"),
        ("dee@example.org", "member"),
        ("eve@example.org", "coach"),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(i.email for i in sent)


def test_one_wrong_line_refuses_the_whole_list_naming_every_wrong_line(cast, invite, committed):
    invite()
    before = state()
    text = "\n".join(
        [
            "ok@example.org",
            "bob@ member",
            "x@example.org boss",
            "OK@example.org coach",
            "mark@example.org",
            f"{NEWCOMER} coach",
            "a@example.org member extra",
            "",
        ]
    )
    with committed():
        refused = refusal(
            lambda: services.invitations_send_list(team=cast.team, text=text, invited_by=cast.facilitator)
        )
    assert refused.messages == [
        "Line 2: 'bob@' is not an e-mail address.",
        "Line 3: 'boss' is not a role: use member, facilitator or coach.",
        "Line 4: ok@example.org is already on line 1.",
        "Line 5: mark@example.org is already a member of Riverside.",
        f"Line 6: {NEWCOMER} already has a pending invitation to Riverside; resend it instead.",
        "Line 7: write an e-mail address and a role, found 'a@example.org member extra'.",
    ]
    assert state() == before


def test_an_empty_list_is_refused(cast):
    refused = refusal(
        lambda: services.invitations_send_list(team=cast.team, text=" \n\n", invited_by=cast.facilitator)
    )
    assert refused.messages == ["The list is empty: paste one e-mail address a line."]
    assert not Invitation.objects.exists()


# --- Resending, withdrawing ------------------------------------------------------------------------------


def test_a_resend_sends_a_new_link_and_the_older_one_stops_working(cast, invite, committed, mailoutbox):
    invitation = invite()
    first_sent = invitation.sent_at
    with committed():
        services.invitation_resend(invitation=invitation)
    old, new = (token_of(m) for m in mailoutbox)
    assert old != new
    with pytest.raises(services.InvalidInvitation) as refused:
        services.invitation_from_token(old)
    assert refused.value.reason == "superseded"
    assert refused.value.messages == [
        f"A newer invitation was sent to {NEWCOMER} after this one: use the link of the latest e-mail."
    ]
    assert services.invitation_from_token(new).pk == invitation.pk
    invitation.refresh_from_db()
    assert invitation.sent_at > first_sent


def test_a_withdrawn_invitation_stops_its_link_and_cannot_be_resent_or_withdrawn_again(
    cast, invite, committed, mailoutbox
):
    invitation = invite()
    services.invitation_withdraw(invitation=invitation)
    with pytest.raises(services.InvalidInvitation) as refused:
        services.invitation_from_token(token_of(mailoutbox[0]))
    assert (refused.value.reason, refused.value.gone) == ("withdrawn", True)
    before = state()
    with committed():
        for again in (
            lambda: services.invitation_resend(invitation=invitation),
            lambda: services.invitation_withdraw(invitation=invitation),
        ):
            assert refusal(again).messages == [f"The invitation of {NEWCOMER} was withdrawn."]
    assert state() == before


# --- The link --------------------------------------------------------------------------------------------


def test_a_link_works_for_seven_days(cast, invite, mailoutbox):
    invitation = invite()
    token = token_of(mailoutbox[0])
    now = time.time()
    with mock.patch("django.core.signing.time.time", return_value=now + 7 * DAY - 60):
        assert services.invitation_from_token(token) == invitation
    with (
        mock.patch("django.core.signing.time.time", return_value=now + 7 * DAY + 60),
        pytest.raises(services.InvalidInvitation) as refused,
    ):
        services.invitation_from_token(token)
    assert (refused.value.reason, refused.value.gone) == ("expired", True)
    assert refused.value.messages == [
        "This invitation expired: a link works for 7 days. Ask Fiona to send a new one."
    ]


@pytest.mark.parametrize("alter", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "nonsense"])
def test_an_altered_link_is_not_valid(cast, invite, mailoutbox, alter):
    invite()
    with pytest.raises(services.InvalidInvitation) as refused:
        services.invitation_from_token(alter(token_of(mailoutbox[0])))
    assert (refused.value.reason, refused.value.gone) == ("invalid", False)
    assert refused.value.messages[0].startswith("This invitation link is not valid")


# --- Accepting -------------------------------------------------------------------------------------------


def test_accepting_with_an_account_joins_the_team_and_its_organization(cast, invite):
    nora = UserFactory(username="nora")
    invitation = invite(email="nora@example.org")
    membership = services.invitation_accept(invitation=invitation, user=nora)
    assert (membership.team, membership.user, membership.role) == (cast.team, nora, "member")
    assert OrganizationMembership.objects.filter(organization=cast.team.organization, user=nora).exists()
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.is_pending) == (nora, False)


def test_a_coach_invitation_makes_a_coach_of_the_team_and_a_member_of_its_organization(cast, invite):
    nora = UserFactory(username="nora")
    assignment = services.invitation_accept(
        invitation=invite(email="nora@example.org", role="coach"), user=nora
    )
    assert isinstance(assignment, CoachAssignment)
    assert (assignment.team, assignment.coach) == (cast.team, nora)
    assert not Membership.objects.filter(user=nora).exists()
    assert OrganizationMembership.objects.filter(organization=cast.team.organization, user=nora).exists()


def test_a_facilitator_invited_as_facilitator_makes_two_facilitators(cast, invite):
    nora = UserFactory(username="nora")
    services.invitation_accept(invitation=invite(email="nora@example.org", role="facilitator"), user=nora)
    facilitators = cast.team.memberships.filter(role="facilitator").values_list("user__username", flat=True)
    assert sorted(facilitators) == ["fiona", "nora"]


def test_an_invitation_to_facilitate_promotes_a_member_and_one_to_be_a_member_never_demotes(cast, invite):
    services.invitation_accept(
        invitation=invite(email="mark@example.org", role="facilitator"), user=cast.member
    )
    assert cast.team.memberships.get(user=cast.member).role == "facilitator"
    invitation = invite(email="someone@example.org", role="member")
    services.invitation_accept(invitation=invitation, user=cast.facilitator)
    assert cast.team.memberships.get(user=cast.facilitator).role == "facilitator"


def test_an_invitation_is_used_once(cast, invite):
    invitation = invite()
    nora, other = UserFactory(username="nora"), UserFactory(username="other")
    services.invitation_accept(invitation=invitation, user=nora)
    before = state()
    with pytest.raises(services.InvalidInvitation) as refused:
        services.invitation_accept(invitation=invitation, user=other)
    assert refused.value.reason == "used"
    assert state() == before


def test_staff_cannot_accept_an_invitation(cast, invite):
    invitation = invite()
    before = state()
    refused = refusal(lambda: services.invitation_accept(invitation=invitation, user=cast.admin))
    assert refused.messages == [
        "Site staff read every team and never join one: accept with a personal account instead."
    ]
    assert state() == before


def test_accepting_as_new_creates_the_account_named_by_the_address(cast, invite):
    invitation = invite(email="Nora.Lee@Example.org")
    user = services.invitation_accept_as_new(
        invitation=invitation, first_name=" Nora ", last_name="Lee", password="a long enough passphrase"
    )
    assert (user.username, user.email, user.get_full_name()) == ("nora.lee@example.org",) * 2 + ("Nora Lee",)
    assert user.check_password("a long enough passphrase")
    assert cast.team.memberships.get(user=user).role == "member"
    assert OrganizationMembership.objects.filter(organization=cast.team.organization, user=user).exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "This password is too short. It must contain at least 8 characters."),
        ("12345678901", "This password is entirely numeric."),
        ("newcomer1", "The password is too similar to the"),
    ],
)
def test_a_weak_password_is_refused_at_the_password_and_nothing_is_created(cast, invite, password, message):
    invitation = invite()
    before = state()
    refused = refusal(
        lambda: services.invitation_accept_as_new(
            invitation=invitation, first_name="New", last_name="Comer", password=password
        )
    )
    assert any(m.startswith(message) for m in refused.message_dict["password"])
    assert state() == before


def test_an_address_that_has_an_account_signs_in_instead(cast, invite):
    invitation = invite(email="Mark@Example.org", role="facilitator")
    before = state()
    refused = refusal(
        lambda: services.invitation_accept_as_new(
            invitation=invitation, first_name="Mark", last_name="M", password="a long enough passphrase"
        )
    )
    assert refused.messages == [
        "An account for mark@example.org exists already: sign in with it, then accept the invitation."
    ]
    assert state() == before


# --- The invitations page --------------------------------------------------------------------------------


def invitations_url(team):
    return reverse("assessments:invitations", args=[team.pk])


def test_the_page_lists_pending_invitations_with_who_sent_them_and_until_when(client, cast, invite):
    invitation = invite()
    services.invitation_withdraw(invitation=invite(email="gone@example.org"))
    client.force_login(cast.facilitator)
    page = client.get(invitations_url(cast.team)).content.decode()
    assert NEWCOMER in page and "gone@example.org" not in page
    assert "Invited by Fiona, sent" in page
    assert f"expires {invitation.expires_at:%-d %b %Y}" in page
    assert reverse("assessments:invitation_update", args=[cast.team.pk, invitation.pk]) in page
    assert 'name="list-text"' in page and 'name="one-email"' in page


def test_a_facilitator_invites_one_person_from_the_page(client, cast, committed, mailoutbox):
    client.force_login(cast.facilitator)
    with committed():
        response = client.post(
            invitations_url(cast.team),
            {"one-email": NEWCOMER, "one-role": "coach", "send": "one"},
            follow=True,
        )
    assert f"Invitation sent to {NEWCOMER}." in response.content.decode()
    assert Invitation.objects.get().role == "coach"
    assert mailoutbox[0].body.count(f"{settings.SITE_URL}/invitations/") == 1


def test_a_list_from_the_page_is_all_or_nothing_and_the_text_stays_in_the_box(
    client, cast, committed, invite
):
    invite()
    client.force_login(cast.facilitator)
    before = state()
    text = "ann@example.org\nbob@ member"
    with committed():
        response = client.post(invitations_url(cast.team), {"list-text": text, "send": "list"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 2: &#x27;bob@&#x27; is not an e-mail address." in page
    assert 'id="id_list-text">\nann@example.org\nbob@ member</textarea>' in page  # kept as typed
    assert state() == before
    with committed():
        response = client.post(
            invitations_url(cast.team),
            {"list-text": "ann@example.org\nbob@example.org coach", "send": "list"},
        )
    assert response.status_code == 302
    assert Invitation.objects.count() == 3


def test_an_organization_admin_invites_into_the_organizations_teams(client, cast, committed):
    boss = UserFactory(username="boss")
    OrganizationMembership.objects.create(organization=cast.team.organization, user=boss, role="admin")
    client.force_login(boss)
    with committed():
        client.post(invitations_url(cast.team), {"one-email": NEWCOMER, "one-role": "member", "send": "one"})
    assert Invitation.objects.get().invited_by == boss


@pytest.mark.parametrize(
    ("who", "status"), [("member", 403), ("coach", 403), ("admin", 403), ("outsider", 404)]
)
def test_only_the_teams_managers_invite(client, cast, committed, who, status):
    client.force_login(getattr(cast, who))
    before = state()
    with committed():
        assert client.get(invitations_url(cast.team)).status_code == status
        posted = client.post(invitations_url(cast.team), {"one-email": NEWCOMER, "one-role": "member"})
        listed = client.post(invitations_url(cast.team), {"list-text": NEWCOMER, "send": "list"})
    assert (posted.status_code, listed.status_code) == (status, status)
    assert state() == before


def test_a_facilitator_of_another_organization_cannot_invite_into_riverside(client, cast, committed):
    client.force_login(cast.outsider)
    with committed():
        response = client.post(invitations_url(cast.team), {"one-email": NEWCOMER, "one-role": "member"})
    assert response.status_code == 404
    assert not Invitation.objects.exists() and mail.outbox == []


def test_resend_and_withdraw_from_the_page(client, cast, invite, committed, mailoutbox):
    invitation = invite()
    client.force_login(cast.facilitator)
    url = reverse("assessments:invitation_update", args=[cast.team.pk, invitation.pk])
    with committed():
        response = client.post(url, {"action": "resend"}, follow=True)
    assert "Invitation sent again to newcomer@example.org" in response.content.decode()
    assert len(mailoutbox) == 2
    response = client.post(url, {"action": "withdraw"}, follow=True)
    assert "The invitation of newcomer@example.org was withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    response = client.post(url, {"action": "resend"}, follow=True)
    assert "The invitation of newcomer@example.org was withdrawn." in response.content.decode()
    assert len(mailoutbox) == 2


def test_an_invitation_of_another_team_is_not_found_from_this_one(client, cast, committed, invite):
    harbor_invitation = invite(team=cast.other_team)
    own_team = TeamFactory(organization=cast.team.organization, name="Lakeside")
    Membership.objects.create(team=own_team, user=cast.facilitator, role="facilitator")
    client.force_login(cast.facilitator)
    before = state()
    for team in (cast.team, own_team):
        url = reverse("assessments:invitation_update", args=[team.pk, harbor_invitation.pk])
        with committed():
            assert client.post(url, {"action": "withdraw"}).status_code == 404
            assert client.post(url, {"action": "resend"}).status_code == 404
    assert state() == before


# --- The page of the link --------------------------------------------------------------------------------


def test_the_link_shows_the_invitation_and_offers_an_account_or_signing_in(client, cast, invite, mailoutbox):
    invite(role="facilitator")
    link = link_of(mailoutbox[0])
    page = client.get(link).content.decode()
    assert "Fiona invites you to join <strong>Riverside</strong>" in page
    assert cast.team.organization.name in page and "as Facilitator (leads)" in page
    assert f'href="{reverse("login")}?next={link.replace(":", "%3A")}"' in page
    assert 'name="password_again"' in page


def test_a_new_person_creates_an_account_is_signed_in_and_lands_on_the_team(client, cast, invite, mailoutbox):
    invite()
    link = link_of(mailoutbox[0])
    data = {"first_name": "Nora", "last_name": "Lee", "password": "a long passphrase", "password_again": ""}
    before = state()
    assert client.post(link, data).status_code == 200  # the password twice, or nothing happens
    assert state() == before
    response = client.post(link, data | {"password_again": "a long passphrase"}, follow=True)
    assert response.redirect_chain == [(reverse("assessments:team_detail", args=[cast.team.pk]), 302)]
    assert "Welcome to Riverside: you joined as Member (votes)." in response.content.decode()
    user = get_user_model().objects.get(username=NEWCOMER)
    assert response.context["user"] == user
    assert cast.team.memberships.get(user=user).role == "member"


def test_a_weak_password_is_shown_at_its_field(client, cast, invite, mailoutbox):
    invite()
    before = state()
    data = {"first_name": "Nora", "last_name": "Lee", "password": "12345678", "password_again": "12345678"}
    response = client.post(link_of(mailoutbox[0]), data)
    assert response.status_code == 200
    assert "This password is entirely numeric." in str(response.context["form"].errors["password"])
    assert state() == before


def test_a_signed_in_person_joins_with_one_click_and_the_link_is_then_used(client, cast, invite, mailoutbox):
    nora = UserFactory(username="nora")
    invite(email="nora@example.org", role="coach")
    link = link_of(mailoutbox[0])
    client.force_login(nora)
    assert "Join Riverside</button>" in client.get(link).content.decode()
    response = client.post(link)
    assert response["Location"] == reverse("assessments:team_detail", args=[cast.team.pk])
    assert CoachAssignment.objects.filter(team=cast.team, coach=nora).exists()
    before = state()
    again = client.post(link)
    assert again.status_code == 410
    assert "This invitation has already been used" in again.content.decode()
    assert state() == before


def test_staff_see_why_they_cannot_join_and_a_post_changes_nothing(client, cast, invite, mailoutbox):
    invite()
    link = link_of(mailoutbox[0])
    client.force_login(cast.admin)
    page = client.get(link).content.decode()
    assert "Join Riverside</button>" not in page and "Site staff read every team" in page
    before = state()
    assert "Site staff read every team" in client.post(link).content.decode()
    assert state() == before


def test_unusable_links_say_why_with_gone_or_not_found(client, cast, invite, committed, mailoutbox):
    withdrawn = invite(email="gone@example.org")
    services.invitation_withdraw(invitation=withdrawn)
    resent = invite(email="again@example.org")
    with committed():
        services.invitation_resend(invitation=resent)
    expiring = invite(email="late@example.org")
    gone_link, superseded_link, _, expiring_link = (link_of(m) for m in mailoutbox)
    assert expiring.email in mailoutbox[3].to
    expected = {
        gone_link: (410, "This invitation was withdrawn. Ask Fiona if you should still join Riverside."),
        superseded_link: (404, "A newer invitation was sent to again@example.org after this one"),
        "/invitations/forged:token/": (404, "This invitation link is not valid"),
    }
    for link, (status, message) in expected.items():
        response = client.get(link)
        assert (response.status_code, message in response.content.decode()) == (status, True), link
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 8 * DAY):
        response = client.post(expiring_link, {"first_name": "Late"})
    assert response.status_code == 410
    assert "This invitation expired: a link works for 7 days. Ask Fiona to send a new one." in (
        response.content.decode()
    )
    assert not get_user_model().objects.filter(email="late@example.org").exists()


def test_the_page_runs_as_many_queries_for_twenty_invitations_as_for_one(client, cast):
    client.force_login(cast.facilitator)

    def queries_with(count):
        Invitation.objects.all().delete()
        Invitation.objects.bulk_create(
            Invitation(team=cast.team, email=f"person{n}@example.org", invited_by=cast.facilitator)
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(invitations_url(cast.team)).content.decode()
        assert page.count("@example.org</strong>") == count
        return len(queries)

    assert queries_with(1) == queries_with(20)
