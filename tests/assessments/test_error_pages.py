import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_missing_page_keeps_the_navigation_and_says_what_to_do(client):
    client.force_login(UserFactory())
    response = client.get("/teams/99999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "not yours to see" in page and reverse("home") in page and "Sign out" in page


def test_a_refused_action_explains_the_roles(client, cast, open_assessment):
    client.force_login(cast.coach)
    response = client.get(reverse("assessments:vote", args=[open_assessment.pk]))
    assert response.status_code == 403
    assert "Your role cannot do this" in response.content.decode()
