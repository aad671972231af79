"""A file says what its page says: the CSV of every demo assessment, read as a spreadsheet reads it, shows
the driver, category and overall percentages of that assessment's results page."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment

pytestmark = pytest.mark.django_db


def test_the_csv_of_every_demo_assessment_shows_the_percentages_of_its_results_page(client):
    call_command("demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="admin"))
    assessments = list(Assessment.objects.all())
    assert len(assessments) >= 7
    for assessment in assessments:
        page = client.get(reverse("assessments:results", args=[assessment.pk]))
        scores = page.context["results"].scores
        html = page.content.decode()
        response = client.get(reverse("assessments:export_assessment", args=[assessment.pk, "csv"]))
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        for driver in scores.drivers:
            in_file = {row["Driver score (%)"] for row in rows if row["Driver"] == driver.name}
            expected = "" if driver.score.rounded is None else str(driver.score.rounded)
            assert in_file == {expected}, (assessment, driver.name)
            assert driver.score.label in html
        overall = {row["Overall score (%)"] for row in rows}
        assert overall == {"" if scores.overall.rounded is None else str(scores.overall.rounded)}
        for category in scores.categories:
            in_file = {row["Category score (%)"] for row in rows if row["Category"] == category.name}
            assert in_file == {"" if category.score.rounded is None else str(category.score.rounded)}
