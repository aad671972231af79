"""`make plans` (bench/plans.py) on PostgreSQL: a page is explained query by query through a session that
writes nothing, and a sequential scan of a table past LARGE rows is named."""

import io

import pytest
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from bench.plans import LARGE, SIGNED_COOKIES, explained, measured

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN (ANALYZE, FORMAT JSON) is PostgreSQL's")


def test_a_page_is_explained_query_by_query_and_its_visit_writes_nothing(postgresql):
    call_command("generate_dataset", orgs=1, teams_per_org=3, assessments_per_team=2, stdout=io.StringIO())
    coach = get_user_model().objects.get(username="coach-0001")
    with override_settings(SESSION_ENGINE=SIGNED_COOKIES):
        page = measured("coach's home", "coach", reverse("home"), coach, sizes={})

    assert len(page.queries) > 5  # the queue's queries, each with its plan
    for query in page.queries:
        assert query.sql.startswith("SELECT")
        assert "Execution Time" in query.plan
        assert query.ms >= 0 and query.costliest
    coach.refresh_from_db()
    assert coach.last_login is None
    assert not Session.objects.exists()
    assert not AccessLog.objects.exists()


def test_a_sequential_scan_is_named_only_for_a_large_table(postgresql):
    whole_table = 'SELECT COUNT(*) FROM "assessments_vote"'
    with connection.cursor() as cursor:
        large = explained(cursor, whole_table, {"assessments_vote": LARGE + 1})
        small = explained(cursor, whole_table, {"assessments_vote": LARGE})
    assert large.big_scans == [f"assessments_vote ({LARGE + 1:,} rows)"]
    assert small.big_scans == []
