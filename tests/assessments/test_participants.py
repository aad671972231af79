"""Who took part: participants linked to the team's members, from the start form to the saved rows."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Participant
from assessments.services import ParticipantEntry

pytestmark = pytest.mark.django_db

MANAGEMENT = {"participants-MIN_NUM_FORMS": "0", "participants-MAX_NUM_FORMS": "60"}


def rows(*rows, initial=0):
    """Form data of participant rows: (name, group, role, member id or "", removed)."""
    data = {
        "participants-TOTAL_FORMS": str(len(rows)),
        "participants-INITIAL_FORMS": str(initial),
        **MANAGEMENT,
    }
    for n, (name, group, role, member, removed) in enumerate(rows):
        data |= {
            f"participants-{n}-name": name,
            f"participants-{n}-group": group,
            f"participants-{n}-role": role,
            f"participants-{n}-member": member,
        }
        if removed:
            data[f"participants-{n}-DELETE"] = "on"
    return data


def start(client, cast, *participant_rows, initial=0):
    data = {"held_on": "2026-11-20", "stage": "installation", "version": cast.version.pk}
    url = reverse("assessments:assessment_start", args=[cast.team.pk])
    return client.post(url, data | rows(*participant_rows, initial=initial))


def saved(assessment):
    return list(assessment.participants.order_by("name").values_list("name", "group", "member"))


@pytest.fixture
def facilitator_client(client, cast):
    client.force_login(cast.facilitator)
    return client


# --- Services -----------------------------------------------------------------------------------------


def test_starting_records_which_participants_are_team_members(cast):
    assessment = services.assessment_start(
        team=cast.team,
        started_by=cast.facilitator,
        held_on="2026-11-20",
        stage="installation",
        version=cast.version,
        participants=[
            ParticipantEntry("Mark", "practitioner", member_id=cast.member.pk),
            ParticipantEntry("Jordan Lee", "family"),
        ],
    )
    assert saved(assessment) == [("Jordan Lee", "family", None), ("Mark", "practitioner", cast.member.pk)]


@pytest.mark.parametrize("who", ["outsider", "coach"])
def test_a_participant_linked_to_someone_outside_the_team_is_refused_and_nothing_is_started(cast, who):
    with pytest.raises(ValidationError, match="linked only to a member of Riverside"):
        services.assessment_start(
            team=cast.team,
            started_by=cast.facilitator,
            held_on="2026-11-20",
            stage="installation",
            version=cast.version,
            participants=[ParticipantEntry("Someone", "staff", member_id=getattr(cast, who).pk)],
        )
    assert not Assessment.objects.exists() and not Participant.objects.exists()


def test_replacing_participants_refuses_an_outsider_and_keeps_the_old_list(cast, open_assessment):
    Participant.objects.create(assessment=open_assessment, name="Kept", group="staff", member=cast.member)
    with pytest.raises(ValidationError, match="linked only to a member"):
        services.participants_replace(
            assessment=open_assessment,
            participants=[ParticipantEntry("Olu", "partner", member_id=cast.outsider.pk)],
        )
    assert saved(open_assessment) == [("Kept", "staff", cast.member.pk)]


def test_a_team_member_is_listed_once(cast, open_assessment):
    with pytest.raises(ValidationError, match="Each team member is listed once"):
        services.participants_replace(
            assessment=open_assessment,
            participants=[
                ParticipantEntry("Mark", "practitioner", member_id=cast.member.pk),
                ParticipantEntry("Mark R.", "staff", member_id=cast.member.pk),
            ],
        )
    assert not Participant.objects.exists()


# --- The start form -----------------------------------------------------------------------------------


def test_the_start_form_lists_every_team_member_for_a_group_to_be_chosen(facilitator_client, cast):
    response = facilitator_client.get(reverse("assessments:assessment_start", args=[cast.team.pk]))
    formset = response.context["participants"]
    assert [form.initial for form in formset.initial_forms] == [
        {"name": "Fiona", "member": cast.facilitator.pk},
        {"name": "Mark", "member": cast.member.pk},
        {"name": "Mei", "member": cast.member2.pk},
    ]
    assert len(formset.extra_forms) == 3  # for the people who are not members: families, partners...
    page = response.content.decode()
    assert f'name="participants-1-member" value="{cast.member.pk}"' in page
    assert 'name="participants-1-name" value="Mark" maxlength="200" readonly' in page
    assert "Olu" not in page and "Carmen" not in page


def test_starting_saves_the_members_with_their_groups_and_the_others_by_name(facilitator_client, cast):
    response = start(
        facilitator_client,
        cast,
        ("Fiona", "leadership", "Facilitator", cast.facilitator.pk, False),
        ("Mark", "practitioner", "", cast.member.pk, False),
        ("Mei", "", "", cast.member2.pk, True),  # not there: removed
        ("Jordan Lee", "family", "Parent", "", False),
        initial=3,
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessments:assessment_detail", args=[assessment.pk])
    assert saved(assessment) == [
        ("Fiona", "leadership", cast.facilitator.pk),
        ("Jordan Lee", "family", None),
        ("Mark", "practitioner", cast.member.pk),
    ]


def test_a_member_row_carries_the_members_own_name(facilitator_client, cast):
    start(facilitator_client, cast, ("Someone else", "practitioner", "", cast.member.pk, False), initial=1)
    assert saved(Assessment.objects.get()) == [("Mark", "practitioner", cast.member.pk)]


def test_a_member_row_needs_a_group(facilitator_client, cast):
    response = start(facilitator_client, cast, ("Mark", "", "", cast.member.pk, False), initial=1)
    assert "Choose the stakeholder group of Mark." in response.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "coach"])
def test_a_forged_member_is_an_error_and_nothing_is_saved(facilitator_client, cast, who):
    response = start(
        facilitator_client,
        cast,
        ("Fiona", "leadership", "", cast.facilitator.pk, False),
        ("Olu", "partner", "", getattr(cast, who).pk, False),
        initial=2,
    )
    assert response.status_code == 200
    assert "linked to someone who is not a member of the team" in response.content.decode()
    assert not Assessment.objects.exists() and not Participant.objects.exists()


def test_the_same_member_twice_is_an_error(facilitator_client, cast):
    response = start(
        facilitator_client,
        cast,
        ("Mark", "practitioner", "", cast.member.pk, False),
        ("Mark", "staff", "", cast.member.pk, False),
        initial=2,
    )
    assert "Each participant is listed once" in response.content.decode()
    assert not Assessment.objects.exists()


# --- Editing the list ---------------------------------------------------------------------------------


def test_editing_the_participants_keeps_the_links_to_members(facilitator_client, cast, open_assessment):
    Participant.objects.create(
        assessment=open_assessment, name="Mark", group="practitioner", member=cast.member
    )
    Participant.objects.create(assessment=open_assessment, name="Jordan Lee", group="recipient")
    url = reverse("assessments:participants", args=[open_assessment.pk])
    page = facilitator_client.get(url).content.decode()
    assert f'name="participants-0-member" value="{cast.member.pk}"' in page
    assert 'name="participants-1-member" id' in page  # Jordan's row: no member

    facilitator_client.post(
        url,
        rows(
            ("Mark", "practitioner", "Note-taker", cast.member.pk, False),
            ("Jordan Lee", "recipient", "", "", False),
            ("Dana Brooks", "community", "", "", False),
            initial=2,
        ),
    )
    assert saved(open_assessment) == [
        ("Dana Brooks", "community", None),
        ("Jordan Lee", "recipient", None),
        ("Mark", "practitioner", cast.member.pk),
    ]


def test_editing_refuses_a_forged_member(facilitator_client, cast, open_assessment):
    Participant.objects.create(assessment=open_assessment, name="Kept", group="staff")
    response = facilitator_client.post(
        reverse("assessments:participants", args=[open_assessment.pk]),
        rows(("Olu", "partner", "", cast.outsider.pk, False)),
    )
    assert response.status_code == 200
    assert "not a member of the team" in response.content.decode()
    assert saved(open_assessment) == [("Kept", "staff", None)]
