"""The cast of the assessment tests, after the demo: a facilitator and two members of one team, a coach of
it, a second coach who runs its meetings, an admin of its organization, and an outsider who facilitates a
team of another organization."""

from types import SimpleNamespace

import pytest

from assessments.models import OrganizationMembership
from tests.factories import TeamFactory, UserFactory, add_coach, add_member, make_assessment, make_version


@pytest.fixture
def cast(db):
    version = make_version()
    team = TeamFactory(name="Riverside")
    other_team = TeamFactory(name="Harbor")
    people = SimpleNamespace(
        version=version,
        team=team,
        other_team=other_team,
        facilitator=UserFactory(username="fiona"),
        member=UserFactory(username="mark"),
        member2=UserFactory(username="mei"),
        coach=UserFactory(username="carmen"),
        outsider=UserFactory(username="olu"),
        admin=UserFactory(username="ada", is_staff=True, is_superuser=True),
        orgadmin=UserFactory(username="orla"),
        meeting_coach=UserFactory(username="cody"),
    )
    add_member(team, people.facilitator, "facilitator")
    add_member(team, people.member)
    add_member(team, people.member2)
    add_coach(team, people.coach)
    add_member(other_team, people.outsider, "facilitator")
    OrganizationMembership.objects.create(
        organization=team.organization, user=people.orgadmin, role=OrganizationMembership.Role.ADMIN
    )
    add_coach(team, people.meeting_coach, runs_meetings=True)
    return people


@pytest.fixture
def open_assessment(cast):
    return make_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
