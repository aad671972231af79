"""Who took part, on the assessment page and the report (voted or attended, the groups present), and the
warning when best practices that call for the voice of the people served are answered without them."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import selectors
from assessments.models import Assessment, Participant, Response, Vote
from tests.factories import answer_all, make_assessment

pytestmark = pytest.mark.django_db

WARNING = (
    "call for the voice of the people served, and no service recipient, family member or community member"
)
REPORT_SENTENCE = "SI-1 and SI-5 call for the voice of the people served; none took part in this assessment."


def text(response) -> str:
    """The page's text, tags removed and white space squeezed: what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def took_part(cast, assessment, *people_served):
    """Fiona (facilitator) and Mark and Mei (members) linked, Mark with a vote; then `people_served`
    (name, group) by name."""
    item = assessment.version.best_practices.order_by("pk").first()
    Vote.objects.create(assessment=assessment, item=item, member=cast.member, answer="2")
    for user, group in (
        (cast.facilitator, "leadership"),
        (cast.member, "practitioner"),
        (cast.member2, "staff"),
    ):
        Participant.objects.create(
            assessment=assessment, name=user.username.title(), group=group, member=user
        )
    for name, group in people_served:
        Participant.objects.create(assessment=assessment, name=name, group=group)


def answer(assessment, user, *codes):
    for item in assessment.version.best_practices.filter(code__in=codes):
        Response.objects.create(assessment=assessment, item=item, score=1, recorded_by=user)


@pytest.fixture
def in_consensus(cast, content):
    return make_assessment(team=cast.team, version=content, by=cast.facilitator, status="consensus")


@pytest.fixture
def facilitator_client(client, cast):
    client.force_login(cast.facilitator)
    return client


# --- Voted or attended, and the groups ----------------------------------------------------------------


def test_a_linked_member_with_a_vote_voted_and_everyone_else_attended(cast, in_consensus):
    took_part(cast, in_consensus, ("Jordan Lee", "family"))
    participation = selectors.assessment_participation(assessment=in_consensus)
    assert {p.name: p.voted for p in participation.participants} == {
        "Fiona": False,  # facilitators lead and do not vote
        "Mark": True,
        "Mei": False,  # a member who did not vote
        "Jordan Lee": False,  # listed by name
    }
    assert participation.groups == ["Leadership", "Practitioner", "Staff", "Family member"]


def test_a_vote_in_another_assessment_does_not_count(cast, in_consensus):
    other = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="completed")
    Vote.objects.create(
        assessment=other, item=cast.version.best_practices.first(), member=cast.member2, answer="1"
    )
    Participant.objects.create(assessment=in_consensus, name="Mei", group="staff", member=cast.member2)
    assert [p.voted for p in selectors.assessment_participants(assessment=in_consensus)] == [False]


def test_the_report_tells_who_voted_who_attended_and_which_groups_took_part(client, cast, in_consensus):
    took_part(cast, in_consensus, ("Jordan Lee", "family"))
    client.force_login(cast.coach)
    page = text(client.get(reverse("assessments:report", args=[in_consensus.pk])))
    assert "Fiona (leadership) attended" in page
    assert "Mark (practitioner) voted" in page
    assert "Mei (staff) attended" in page
    assert "Jordan Lee (family member) attended" in page
    assert "Groups: Leadership, Practitioner, Staff, Family member" in page


def test_the_assessment_page_tells_who_voted_and_which_groups_took_part(client, cast, in_consensus):
    took_part(cast, in_consensus)
    client.force_login(cast.member)
    page = text(client.get(reverse("assessments:assessment_detail", args=[in_consensus.pk])))
    assert "Mark voted Practitioner" in page
    assert "Fiona attended Leadership" in page
    assert "Groups: Leadership, Practitioner, Staff" in page


# --- Missing voices -----------------------------------------------------------------------------------


def test_answered_items_that_call_for_the_people_served_are_missing_their_voice(cast, in_consensus):
    took_part(cast, in_consensus)
    answer(in_consensus, cast.facilitator, "FA-1", "SI-5", "SI-1")
    assert [item.code for item in selectors.missing_voices(assessment=in_consensus)] == ["SI-1", "SI-5"]


def test_an_item_not_answered_yet_is_not_missing_a_voice(cast, in_consensus):
    took_part(cast, in_consensus)
    answer(in_consensus, cast.facilitator, "FA-1", "SI-2")
    assert selectors.missing_voices(assessment=in_consensus) == []


@pytest.mark.parametrize("group", sorted(Participant.PEOPLE_SERVED))
def test_anyone_of_the_people_served_gives_the_voice(cast, in_consensus, group):
    took_part(cast, in_consensus, ("Jordan Lee", group))
    answer(in_consensus, cast.facilitator, "SI-1", "SI-5")
    assert selectors.missing_voices(assessment=in_consensus) == []


def test_the_people_served_at_another_assessment_do_not_count(cast, in_consensus, content):
    took_part(cast, in_consensus)
    answer(in_consensus, cast.facilitator, "SI-1")
    other = make_assessment(team=cast.other_team, version=content, by=cast.outsider)
    Participant.objects.create(assessment=other, name="Rosa Alvarez", group="family")
    assert [item.code for item in selectors.missing_voices(assessment=in_consensus)] == ["SI-1"]


def test_completing_warns_of_the_missing_voices_and_still_completes(facilitator_client, cast, in_consensus):
    took_part(cast, in_consensus)
    answer_all(in_consensus, cast.facilitator)
    url = reverse("assessments:complete", args=[in_consensus.pk])
    response = facilitator_client.get(url)
    page = text(response)
    assert WARNING in page
    assert "SI-1 Leadership engages diverse and representative stakeholders" in page
    assert "SI-5 Leadership creates opportunities" in page and "SI-2" not in page
    assert 'href="{}"'.format(reverse("assessments:participants", args=[in_consensus.pk])) in (
        response.content.decode()
    )
    assert "Complete the assessment" in page

    facilitator_client.post(url)
    assert Assessment.objects.get(pk=in_consensus.pk).is_completed


def test_the_assessment_page_warns_near_the_complete_button(facilitator_client, cast, in_consensus):
    took_part(cast, in_consensus)
    answer(in_consensus, cast.facilitator, "SI-1")
    page = text(facilitator_client.get(reverse("assessments:assessment_detail", args=[in_consensus.pk])))
    assert "This best practice calls for the voice of the people served" in page
    assert page.index("Complete the assessment") < page.index("SI-1 Leadership engages")


def test_no_warning_while_no_flagged_item_is_answered(facilitator_client, cast, in_consensus):
    took_part(cast, in_consensus)
    answer(in_consensus, cast.facilitator, "FA-1")
    for name in ("complete", "assessment_detail"):
        page = text(facilitator_client.get(reverse(f"assessments:{name}", args=[in_consensus.pk])))
        assert "voice of the people served" not in page, name


def test_adding_a_family_member_to_the_participants_ends_the_warning(facilitator_client, cast, in_consensus):
    took_part(cast, in_consensus)
    answer_all(in_consensus, cast.facilitator)
    rows = [*in_consensus.participants.all(), Participant(name="Jordan Lee", group="family")]
    data = {
        "participants-TOTAL_FORMS": str(len(rows)),
        "participants-INITIAL_FORMS": "3",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "60",
    }
    for n, p in enumerate(rows):
        data |= {
            f"participants-{n}-name": p.name,
            f"participants-{n}-group": p.group,
            f"participants-{n}-role": "",
            f"participants-{n}-member": p.member_id or "",
        }
    facilitator_client.post(reverse("assessments:participants", args=[in_consensus.pk]), data)
    assert in_consensus.participants.filter(group="family").exists()
    for name in ("complete", "assessment_detail"):
        page = text(facilitator_client.get(reverse(f"assessments:{name}", args=[in_consensus.pk])))
        assert "voice of the people served" not in page, name


def test_the_report_of_a_completed_assessment_says_none_of_the_people_served_took_part(client, cast, content):
    completed = make_assessment(team=cast.team, version=content, by=cast.facilitator, status="completed")
    took_part(cast, completed)
    answer_all(completed, cast.facilitator)
    client.force_login(cast.coach)
    page = text(client.get(reverse("assessments:report", args=[completed.pk])))
    assert REPORT_SENTENCE in page


def test_the_report_names_one_item_in_the_singular(client, cast, content):
    completed = make_assessment(team=cast.team, version=content, by=cast.facilitator, status="completed")
    took_part(cast, completed)
    answer(completed, cast.facilitator, "SI-5")
    client.force_login(cast.coach)
    page = text(client.get(reverse("assessments:report", args=[completed.pk])))
    assert "SI-5 calls for the voice of the people served; none took part in this assessment." in page


def test_the_report_says_nothing_of_it_when_the_people_served_took_part_or_before_completion(
    client, cast, content, in_consensus
):
    completed = make_assessment(
        team=cast.team, version=content, by=cast.facilitator, status="completed", held_on="2025-09-01"
    )
    took_part(cast, completed, ("Amara Nwosu", "recipient"))
    answer_all(completed, cast.facilitator)
    took_part(cast, in_consensus)
    answer_all(in_consensus, cast.facilitator)
    client.force_login(cast.coach)
    for assessment in (completed, in_consensus):
        page = text(client.get(reverse("assessments:report", args=[assessment.pk])))
        assert "voice of the people served" not in page, assessment.status


# --- The demo -----------------------------------------------------------------------------------------


def test_the_demo_shows_both_a_meeting_without_the_people_served_and_meetings_with_them(db):
    call_command("demo", stdout=io.StringIO())
    missing = {
        (a.team.name, a.stage): [item.code for item in selectors.missing_voices(assessment=a)]
        for a in Assessment.objects.filter(status="completed").select_related("team")
    }
    assert missing.pop(("Riverside Reading Team", "exploration")) == ["SI-1", "SI-5"]
    assert missing and all(codes == [] for codes in missing.values())
    linked = Participant.objects.filter(member__isnull=False)
    assert set(linked.values_list("member__username", flat=True)) == {
        "facilitator",
        "member",
        "member2",
        "outsider",
        "visitor",
    }
