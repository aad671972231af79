"""The README's version 2 applied to the demo data: a demo team's trend lines stay continuous when its
newest assessment is on v2 (SEL-1 reworded under a new code, a Leadership driver added)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment, Team
from assessments.reports.selectors import team_progress
from assessments.scoring import assessment_scores
from drivers import services
from drivers.models import BestPractice, Driver, DriverCategory, FrameworkVersion
from tests.factories import make_completed_assessment

REWORDED = "SEL-10"


def leadership_version(v1: FrameworkVersion) -> FrameworkVersion:
    draft = services.version_create_draft(version=v1)
    item = draft.best_practices.get(code="SEL-1")
    item.code = REWORDED
    item.statement += " The criteria are reviewed with the people served."
    item.save()
    services.item_lineage_record(version=draft, kind="continues", old_codes=["SEL-1"], new_codes=[REWORDED])
    category = DriverCategory.objects.create(version=draft, order=3, name="Leadership", slug="leadership")
    driver = Driver.objects.create(
        version=draft, category=category, order=1, code="LEAD", name="Leadership", slug="leadership"
    )
    for order, statement in enumerate(("Technical leadership.", "Adaptive leadership."), start=1):
        BestPractice.objects.create(driver=driver, code=f"LEAD-{order}", order=order, statement=statement)
    return services.version_publish(version=draft)


@pytest.fixture
def team_on_two_versions(db):
    call_command("demo", stdout=io.StringIO())
    team = Team.objects.get(name="District Behavior Support Team")
    completed = team.assessments.filter(status=Assessment.Status.COMPLETED)
    latest = completed.latest("held_on")
    v2 = leadership_version(latest.version)
    facilitator = team.memberships.get(role="facilitator").user
    make_completed_assessment(
        team=team,
        version=v2,
        by=facilitator,
        held_on=latest.held_on + datetime.timedelta(days=1),
        scores={REWORDED: 2, "LEAD-1": 0, "LEAD-2": 1},
    )
    return team, v2


def test_every_item_of_v1_keeps_an_unbroken_line_into_v2(team_on_two_versions):
    team, _v2 = team_on_two_versions
    progress = team_progress(team=team)
    assert len(progress.assessments) >= 3
    assert progress.assessments[-1].version.number == 2
    rows = {row.code: row for row in progress.items}
    assert "SEL-1" not in rows  # the reworded item is one row, under the code the team uses now
    assert [cell.score for cell in rows[REWORDED].cells][-1] == 2
    for code, row in rows.items():
        if code.startswith("LEAD-"):
            assert all(cell is None for cell in row.cells[:-1]) and row.cells[-1] is not None
        else:
            assert None not in row.cells, f"{code}'s line breaks"


def test_every_driver_of_v1_has_a_score_in_every_assessment(team_on_two_versions):
    team, v2 = team_on_two_versions
    assessments = list(team.assessments.filter(status=Assessment.Status.COMPLETED).order_by("held_on"))
    scores = assessment_scores(assessments=assessments)
    newest = scores[assessments[-1].pk]
    assert assessments[-1].version_id == v2.pk
    for driver in newest.drivers:
        found = [scores[a.pk].counterpart_score(driver.key) is not None for a in assessments]
        if driver.code == "LEAD":
            assert found.count(True) == 1
        else:
            assert all(found), f"{driver.code}'s trend has a gap"


def test_the_progress_page_shows_both_versions_in_one_table(client, team_on_two_versions):
    team, _v2 = team_on_two_versions
    client.force_login(team.memberships.get(role="facilitator").user)
    html = client.get(reverse("assessments:team_progress", args=[team.pk])).content.decode()
    assert REWORDED in html and "LEAD-1" in html and "Leadership" in html
