"""Exports of many teams at once: an organization's (its admins) and a portfolio's (a coach's teams)."""

import csv
import datetime
import io
from collections import Counter

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Response
from assessments.reports import exports
from assessments.reports.exports import HEADERS
from drivers.models import BestPractice
from tests.factories import TeamFactory, UserFactory, add_coach, make_assessment, make_completed_assessment

pytestmark = pytest.mark.django_db
TEAM, ASSESSMENT_ID, ITEM_CODE = HEADERS.index("Team"), 0, HEADERS.index("Item code")


def organization_url(organization, fmt):
    return reverse("assessments:export_organization", args=[organization.pk, fmt])


def portfolio_url(fmt):
    return reverse("assessments:export_portfolio", args=[fmt])


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


def xlsx_rows(response, sheet="Items") -> list[tuple]:
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook[sheet].iter_rows(values_only=True))[1:]


def teams_with_assessments(cast, n, organization=None):
    """`n` teams of the cast's organization (or another), each with one completed and one open assessment."""
    teams = [TeamFactory(organization=organization or cast.team.organization) for _ in range(n)]
    for team in teams:
        make_completed_assessment(
            team=team, version=cast.version, by=cast.facilitator, held_on=datetime.date(2025, 9, 1)
        )
        make_assessment(team=team, version=cast.version, by=cast.facilitator)
    return teams


def test_the_organization_export_has_one_row_per_item_per_assessment_of_its_teams_only(client, cast):
    teams = [cast.team, *teams_with_assessments(cast, 2)]
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    teams_with_assessments(cast, 1, organization=cast.other_team.organization)  # not in this export
    make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    client.force_login(cast.orgadmin)
    rows = csv_rows(client.get(organization_url(cast.team.organization, "csv")))
    items = BestPractice.objects.filter(version=cast.version).count()
    expected = {a.pk for t in teams for a in t.assessments.all()}
    assert Counter(int(r[ASSESSMENT_ID]) for r in rows) == dict.fromkeys(expected, items)
    assert {r[TEAM] for r in rows} == {t.name for t in teams}
    assert len({(r[ASSESSMENT_ID], r[ITEM_CODE]) for r in rows}) == len(rows)
    xlsx = xlsx_rows(client.get(organization_url(cast.team.organization, "xlsx")))
    assert [(str(r[ASSESSMENT_ID]), r[ITEM_CODE]) for r in xlsx] == [
        (r[ASSESSMENT_ID], r[ITEM_CODE]) for r in rows
    ]


def test_only_the_organization_admins_export_the_organization(client, cast):
    for who, status in [("coach", 403), ("facilitator", 403), ("outsider", 404), ("orgadmin", 200)]:
        client.force_login(getattr(cast, who))
        assert client.get(organization_url(cast.team.organization, "csv")).status_code == status, who
    client.force_login(cast.orgadmin)
    assert client.get(organization_url(cast.other_team.organization, "csv")).status_code == 404
    assert client.get(organization_url(cast.team.organization, "pdf")).status_code == 404


def test_a_coach_exports_only_the_teams_they_coach(client, cast):
    coached, not_coached = teams_with_assessments(cast, 2)
    add_coach(coached, cast.coach)
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    teams_with_assessments(cast, 1, organization=cast.other_team.organization)
    client.force_login(cast.coach)
    for fmt, read, team in [("csv", csv_rows, TEAM), ("xlsx", xlsx_rows, TEAM)]:
        rows = read(client.get(portfolio_url(fmt)))
        assert {r[team] for r in rows} == {cast.team.name, coached.name}, fmt
    assert not_coached.name not in {r[TEAM] for r in csv_rows(client.get(portfolio_url("csv")))}


def test_a_person_without_teams_gets_an_empty_portfolio_export(client, cast):
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    client.force_login(UserFactory(username="nobody"))
    assert csv_rows(client.get(portfolio_url("csv"))) == []


def test_cells_that_a_spreadsheet_would_run_are_defused_in_many_team_exports(client, cast):
    assessment = make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    Response.objects.filter(assessment=assessment).update(evidence="=1+2")
    cast.team.name = "@SUM(A1)"
    cast.team.save()
    client.force_login(cast.orgadmin)
    rows = csv_rows(client.get(organization_url(cast.team.organization, "csv")))
    assert {r[TEAM] for r in rows} == {"'@SUM(A1)"}
    assert {r[HEADERS.index("Evidence notes")] for r in rows} == {"'=1+2"}


def export_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        b"".join(response.streaming_content)  # the rows are read while the response is sent
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_queries_do_not_grow_with_the_teams(client, cast, fmt):
    make_completed_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    admin, coach = client, Client()
    admin.force_login(cast.orgadmin)
    coach.force_login(cast.coach)
    organization = export_queries(admin, organization_url(cast.team.organization, fmt))
    portfolio = export_queries(coach, portfolio_url(fmt))
    for team in teams_with_assessments(cast, 29):
        add_coach(team, cast.coach)
    assert export_queries(admin, organization_url(cast.team.organization, fmt)) == organization
    assert export_queries(coach, portfolio_url(fmt)) == portfolio


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_assessments_read_in_batches_come_once_each_oldest_first(client, cast, monkeypatch, fmt):
    monkeypatch.setattr(exports, "BATCH", 2)
    days = [datetime.date(2026, 1, d) for d in (5, 1, 5, 5, 3)]  # ties across a batch's edge
    made = [
        make_assessment(
            team=cast.team, version=cast.version, by=cast.facilitator, held_on=d, status="completed"
        )
        for d in days
    ]
    client.force_login(cast.orgadmin)
    read = csv_rows if fmt == "csv" else xlsx_rows
    rows = read(client.get(organization_url(cast.team.organization, fmt)))
    ids = list(dict.fromkeys(int(r[ASSESSMENT_ID]) for r in rows))
    assert ids == [a.pk for a in sorted(made, key=lambda a: (a.held_on, a.pk))]
    assert len(rows) == len(made) * BestPractice.objects.filter(version=cast.version).count()
