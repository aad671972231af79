"""The assessment e-mails: who gets them, what they say, and that a failed change mails nobody."""

import datetime

import pytest
from django.db import transaction

from assessments import services
from assessments.models import Profile
from tests.factories import TeamFactory, UserFactory, add_member, answer_all


def start(cast):
    return services.assessment_start(
        team=cast.team,
        started_by=cast.facilitator,
        held_on=datetime.date(2026, 3, 1),
        stage="installation",
        version=cast.version,
        participants=[],
    )


def complete(assessment, by):
    services.assessment_reveal_votes(assessment=assessment, revealed_by=assessment.created_by)
    answer_all(assessment, by)
    return services.assessment_complete(assessment=assessment, completed_by=by)


def recipients(mailoutbox):
    return sorted(address for mail in mailoutbox for address in mail.to)


@pytest.fixture
def audience(cast):
    """Beyond the cast's team (facilitator fiona, members mark and mei, coach carmen): a member who opted
    out, a deactivated member, a member without an e-mail, and a member of another team."""
    for username, extra in [
        ("otto", {}),
        ("ines", {"is_active": False}),
        ("noel", {"email": ""}),
    ]:
        add_member(cast.team, UserFactory(username=username, **extra))
    Profile.objects.create(
        user=cast.team.memberships.get(user__username="otto").user, assessment_emails=False
    )
    Profile.objects.create(user=cast.member2, assessment_emails=True)
    add_member(TeamFactory(name="Elsewhere"), UserFactory(username="elle"))
    return cast


@pytest.mark.django_db
def test_opening_an_assessment_mails_the_members_who_want_it(
    audience, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://implhub.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        assessment = start(audience)
    assert recipients(mailoutbox) == ["mark@example.org", "mei@example.org"]
    mail = next(m for m in mailoutbox if m.to == ["mark@example.org"])
    assert mail.subject == "Riverside: an assessment is open for your votes"
    assert f"https://implhub.example.org/assessments/{assessment.pk}/vote/" in mail.body
    assert mail.body.startswith("Hello Mark,")
    assert "&#x27;" not in mail.body and "&amp;" not in mail.body


@pytest.mark.django_db
def test_completing_an_assessment_mails_members_and_facilitators_who_want_it(
    audience, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = start(audience)  # callbacks not run: the opening mails are not part of this test
    with django_capture_on_commit_callbacks(execute=True):
        complete(assessment, audience.facilitator)
    assert recipients(mailoutbox) == ["fiona@example.org", "mark@example.org", "mei@example.org"]
    assert {m.subject for m in mailoutbox} == {"Riverside: the assessment is completed"}
    assert all(f"/assessments/{assessment.pk}/results/" in m.body for m in mailoutbox)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)


@pytest.mark.django_db
def test_a_failing_service_mails_nobody(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assessment = start(cast)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.UnfinishedAssessment):
        start(cast)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="consensus"):
        services.assessment_complete(assessment=assessment, completed_by=cast.facilitator)
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_mail_goes_only_after_the_commit_and_not_after_a_rollback(cast, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        start(cast)
        assert mailoutbox == []  # not while the transaction is open
        raise RuntimeError("the request fails after the service")
    assert mailoutbox == []
    assert not cast.team.assessments.exists()

    start(cast)
    assert recipients(mailoutbox) == ["mark@example.org", "mei@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_does_not_undo_or_break_the_change(cast, mailoutbox, monkeypatch, caplog):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assessment = start(cast)
    assert cast.team.assessments.get() == assessment
    assert "no mail server" in caplog.text
