"""Faults that are not the user's: an unreachable database gets 503 with a retry hint (pages and the
health check), any other unexpected error a plain 500 page; neither needs the database to render."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    return client


def test_a_page_whose_database_is_unreachable_says_so_with_503_and_a_retry_hint(signed_in):
    with mock.patch("implhub.views.home_team_cards", side_effect=OperationalError("server closed")):
        response = signed_in.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "cannot reach its database" in page and "Nothing you saved before this is lost" in page


def test_any_other_unexpected_error_is_a_plain_500_page(signed_in):
    with mock.patch("implhub.views.home_team_cards", side_effect=RuntimeError("a bug")):
        response = signed_in.get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "a bug" not in response.content.decode()


def test_the_health_check_reports_an_unreachable_database(client):
    broken = mock.Mock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("implhub.views.connection", broken):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}
    assert client.get(reverse("health")).json() == {"status": "ok"}
