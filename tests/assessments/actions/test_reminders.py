"""`manage.py send_reminders`: one digest a day at most, listing unfinished votes, actions due or overdue,
and (to facilitators) the team's assessment when due; recorded, so a second run the same day sends nothing."""

import datetime
import io

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.actions.models import ActionItem, ReminderDigest
from assessments.actions.reminders import reminder_digests
from assessments.models import Profile, Vote
from tests.factories import (
    TeamFactory,
    UserFactory,
    add_member,
    make_assessment,
    make_completed_assessment,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 10)


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().strip()


def remind(on=ON) -> str:
    return run("--date", on.isoformat())


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def body_of(user) -> str:
    (message,) = mails_to(user)
    return message.body


def vote(assessment, member, count):
    items = assessment.version.best_practices.order_by("code")[:count]
    Vote.objects.bulk_create(Vote(assessment=assessment, item=i, member=member, answer="1") for i in items)


def action(cast, *, owner=None, due_on=None, status=ActionItem.Status.IN_PROGRESS, team=None, **extra):
    team = team or cast.team
    source = team.assessments.filter(status="completed").first() or make_completed_assessment(
        team=team, version=cast.version, by=cast.facilitator, held_on=ON - datetime.timedelta(days=100)
    )
    item = cast.version.best_practices.order_by("code").first()
    created = ActionItem.objects.create(
        team=team,
        assessment=source,
        title=extra.pop("title", "Write the coaching plan"),
        driver=item.driver,
        owner=owner,
        due_on=due_on,
        status=status,
        **extra,
    )
    created.items.add(item)
    return created


@pytest.fixture(autouse=True)
def harbor_assessed(cast):
    """Harbor completed an assessment on the day, so its facilitator has nothing to hear unless a test
    says otherwise."""
    return make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider, held_on=ON)


@pytest.fixture
def voting(cast):
    """Riverside is voting (so its facilitator has no assessment to be reminded of): mark has answered
    every item, mei 5 of 12."""
    assessment = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, held_on=ON)
    vote(assessment, cast.member, 12)
    vote(assessment, cast.member2, 5)
    return assessment


# --- What is listed ---------------------------------------------------------------------------------


def test_a_member_who_has_not_finished_voting_is_reminded_with_a_link_to_the_sheet(cast, voting, settings):
    settings.SITE_URL = "https://implhub.example.org"
    assert remind() == "Reminders for 2026-03-10: 1 digest sent (1 entries); 0 people already had that day's."
    assert [m.to for m in mail.outbox] == [[cast.member2.email]]
    (message,) = mail.outbox
    assert message.subject == "Your implhub reminders for 10 March 2026"
    assert "Riverside, assessment of 10 March 2026: you have answered 5 of 12 best practices." in message.body
    assert f"https://implhub.example.org/assessments/{voting.pk}/vote/" in message.body
    assert "https://implhub.example.org/account/" in message.body
    digest = ReminderDigest.objects.get()
    assert (digest.user, digest.sent_on) == (cast.member2, ON)
    assert digest.entries == [{"kind": "vote", "assessment": voting.pk, "answered": 5, "total": 12}]


def test_votes_on_an_assessment_past_voting_are_not_reminded(cast, voting):
    voting.status = "consensus"
    voting.save()
    remind()
    assert mail.outbox == []


def test_actions_due_within_a_week_or_overdue_are_reminded_to_their_owner(cast):
    overdue = action(cast, owner=cast.member, due_on=ON - datetime.timedelta(days=3), title="Overdue")
    soon = action(
        cast, owner=cast.member, due_on=ON + datetime.timedelta(days=7), title="Soon", status="planned"
    )
    for kind, extra in [
        ("later", {"owner": cast.member, "due_on": ON + datetime.timedelta(days=8)}),
        ("done", {"owner": cast.member, "due_on": ON, "status": "done", "done_on": ON}),
        (
            "dropped",
            {"owner": cast.member, "due_on": ON, "status": "dropped", "dropped_reason": "No budget."},
        ),
        ("no date", {"owner": cast.member}),
        ("no account", {"owner_name": "Jordan Lee", "due_on": ON}),
    ]:
        action(cast, title=kind, **extra)
    remind()
    body = body_of(cast.member)
    assert '"Overdue" (Riverside): overdue, it was due on 7 March 2026.' in body
    assert '"Soon" (Riverside): due on 17 March 2026.' in body
    for kind in ("later", "done", "dropped", "no date", "no account"):
        assert f'"{kind}"' not in body
    assert ReminderDigest.objects.get(user=cast.member).entries == [
        {"kind": "action", "action": overdue.pk, "due_on": "2026-03-07"},
        {"kind": "action", "action": soon.pk, "due_on": "2026-03-17"},
    ]
    assert len(mail.outbox) == 1


def test_an_owner_who_left_the_team_is_not_reminded_of_its_actions(cast):
    leaver = UserFactory(username="leaver")
    membership = add_member(cast.team, leaver)
    action(cast, owner=leaver, due_on=ON)
    membership.delete()
    remind()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("held_on", "expected"),
    [
        (
            datetime.date(2025, 9, 17),
            "the next assessment is due on 17 March 2026 (the team assesses every 6 months).",
        ),
        (
            datetime.date(2025, 8, 21),
            "the next assessment was due on 21 February 2026 (the team assesses every 6 months).",
        ),
    ],
)
def test_a_facilitator_is_reminded_of_the_teams_assessment_due_within_a_week_or_overdue(
    cast, held_on, expected
):
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator, held_on=held_on)
    remind()
    assert f"Riverside: {expected}" in body_of(cast.facilitator)
    (entry,) = ReminderDigest.objects.get(user=cast.facilitator).entries
    assert entry == {
        "kind": "assessment_due",
        "team": cast.team.pk,
        "due_on": cast.team.next_assessment_due(held_on).isoformat(),
    }
    assert mails_to(cast.outsider) == [] and mails_to(cast.member) == []


def test_the_reminder_follows_the_teams_own_interval(cast):
    make_completed_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=datetime.date(2026, 1, 12)
    )
    remind()
    assert mails_to(cast.facilitator) == []  # due on 12 July
    cast.team.assessment_interval_months = 2
    cast.team.save()
    remind(ON + datetime.timedelta(days=1))
    assert "Riverside: the next assessment is due on 12 March 2026 (the team assesses every 2 months)." in (
        body_of(cast.facilitator)
    )


def test_a_team_never_assessed_reminds_its_facilitator_that_the_first_is_due(cast):
    remind()
    assert "Riverside has no completed assessment yet: the first one is due now." in body_of(cast.facilitator)


def test_a_team_running_an_assessment_is_not_reminded_that_one_is_due(cast, voting):
    remind()
    assert mails_to(cast.facilitator) == []


def test_each_person_gets_one_digest_listing_everything(cast, voting):
    hillside = TeamFactory(name="Hillside", organization=cast.team.organization)
    add_member(hillside, cast.member2, "facilitator")  # mei also leads Hillside, never assessed
    action(cast, owner=cast.member2, due_on=ON, title="Share the screener data")
    remind()
    body = body_of(cast.member2)
    assert body.index("Votes to finish") < body.index("Your actions due soon") < body.index("Assessments due")
    assert "you have answered 5 of 12" in body and '"Share the screener data"' in body
    assert "Hillside has no completed assessment yet" in body
    assert [e["kind"] for e in ReminderDigest.objects.get(user=cast.member2).entries] == [
        "vote",
        "action",
        "assessment_due",
    ]


# --- Once a day, and only to those who want it -------------------------------------------------------


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(cast, voting):
    remind()
    assert len(mail.outbox) == 1
    assert (
        remind() == "Reminders for 2026-03-10: 0 digests sent (0 entries); 1 person already had that day's."
    )
    assert len(mail.outbox) == 1 and ReminderDigest.objects.count() == 1
    remind(ON + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2
    assert list(ReminderDigest.objects.order_by("sent_on").values_list("sent_on", flat=True)) == [
        ON,
        ON + datetime.timedelta(days=1),
    ]


def test_nothing_to_say_sends_nothing(cast):
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator, held_on=ON)
    assert (
        remind() == "Reminders for 2026-03-10: 0 digests sent (0 entries); 0 people already had that day's."
    )
    assert mail.outbox == [] and not ReminderDigest.objects.exists()


def test_people_who_turned_reminders_off_get_none(cast, voting):
    Profile.objects.create(user=cast.member2, reminder_emails=False)
    remind()
    assert mail.outbox == [] and not ReminderDigest.objects.exists()


def test_assessment_emails_off_does_not_stop_reminders(cast, voting):
    Profile.objects.create(user=cast.member2, assessment_emails=False)
    remind()
    assert len(mails_to(cast.member2)) == 1


def test_deactivated_accounts_get_none(cast, voting):
    cast.member2.is_active = False
    cast.member2.save()
    remind()
    assert mail.outbox == [] and not ReminderDigest.objects.exists()


def test_people_without_an_email_address_get_none(cast, voting):
    cast.member2.email = ""
    cast.member2.save()
    remind()
    assert mail.outbox == [] and not ReminderDigest.objects.exists()


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server is down.")


def test_a_digest_the_mail_server_refuses_is_not_recorded_so_the_next_run_sends_it(cast, voting, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with pytest.raises(ConnectionRefusedError):
        remind()
    assert not ReminderDigest.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    remind()
    assert len(mail.outbox) == 1 and ReminderDigest.objects.count() == 1


# --- Options ----------------------------------------------------------------------------------------


def test_a_dry_run_says_what_it_would_send_and_sends_and_records_nothing(cast, voting):
    action(cast, owner=cast.member2, due_on=ON, title="Share the screener data")
    assert run("--dry-run", "--date", "2026-03-10") == (
        "Dry run for 2026-03-10: 1 digest would be sent (2 entries); 0 people already had that day's. "
        "Nothing was sent or recorded."
    )
    assert mail.outbox == [] and not ReminderDigest.objects.exists()


def test_the_date_option_reminds_as_on_that_day(cast):
    action(cast, owner=cast.member, due_on=datetime.date(2026, 4, 1))
    remind(datetime.date(2026, 3, 24))
    assert mail.outbox == []
    remind(datetime.date(2026, 3, 25))
    assert '"Write the coaching plan" (Riverside): due on 1 April 2026.' in body_of(cast.member)
    assert ReminderDigest.objects.get(user=cast.member).sent_on == datetime.date(2026, 3, 25)


def test_without_a_date_it_reminds_for_today(cast, voting):
    run()
    assert ReminderDigest.objects.get(user=cast.member2).sent_on == datetime.date.today()


@pytest.mark.parametrize("value", ["10/03/2026", "2026-02-30", "tomorrow"])
def test_a_date_that_is_not_a_date_is_refused(cast, value):
    with pytest.raises(CommandError, match="is not a date as YYYY-MM-DD"):
        run("--date", value)
    assert not ReminderDigest.objects.exists()


# --- Cost -------------------------------------------------------------------------------------------


def add_teams(cast, count: int) -> None:
    """`count` more teams, each voting with an unfinished member, an overdue action, and an overdue team."""
    for n in range(count):
        team = TeamFactory(name=f"Team {n}", organization=cast.team.organization)
        facilitator, member = UserFactory(username=f"lead{n}"), UserFactory(username=f"voter{n}")
        add_member(team, facilitator, "facilitator")
        add_member(team, member)
        make_completed_assessment(
            team=team, version=cast.version, by=facilitator, held_on=ON - datetime.timedelta(days=400)
        )
        for k in range(3):
            action(cast, team=team, owner=member, due_on=ON - datetime.timedelta(days=k))
        second = TeamFactory(name=f"Second team {n}", organization=cast.team.organization)
        add_member(second, member)
        add_member(second, facilitator, "facilitator")
        vote(make_assessment(team=second, version=cast.version, by=facilitator, held_on=ON), member, 3)


def queries_to_decide(cast) -> int:
    with CaptureQueriesContext(connection) as captured:
        digests, _already = reminder_digests(on=ON)
        assert digests
    return len(captured.captured_queries)


def test_deciding_who_gets_what_takes_the_same_queries_for_1_team_or_30(cast, voting):
    action(cast, owner=cast.member, due_on=ON)
    small = queries_to_decide(cast)
    add_teams(cast, 30)
    assert queries_to_decide(cast) == small
    digests, _already = reminder_digests(on=ON)
    assert len(digests) == 2 + 30 * 2
