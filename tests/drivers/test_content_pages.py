"""The content browser: signed-in users read the framework; anonymous users are sent to sign in."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, make_version

pytestmark = pytest.mark.django_db


def version_url(version):
    return reverse("drivers:version_detail", args=[version.framework.slug, version.number])


@pytest.mark.parametrize("name", ["home", "drivers:framework_list"])
def test_anonymous_users_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_users_cannot_read_a_version(client, content):
    response = client.get(version_url(content))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_signed_in_user_sees_all_seven_drivers_and_their_items(client, content):
    client.force_login(UserFactory())
    response = client.get(version_url(content))
    assert response.status_code == 200
    page = response.content.decode()
    for name in [
        "Selection",
        "Training",
        "Coaching",
        "Fidelity assessment",
        "Decision-support data system",
        "Facilitative administration",
        "Systems intervention",
    ]:
        assert name in page
    assert "Leadership secures resources to support the development of staff competency" in page
    assert "SI-5" in page and "SI-4" not in page
    assert "Fixsen" in page  # the attribution of the source text


def test_the_items_that_call_for_the_people_served_say_so(client, content):
    client.force_login(UserFactory())
    page = client.get(version_url(content)).content.decode()
    badge = "Calls for the voice of the people served"
    assert page.count(badge) == 2
    si1 = page[page.index('id="item-SI-1"') : page.index('id="item-SI-2"')]
    assert badge in si1


def test_the_framework_list_links_to_published_versions(client, content):
    client.force_login(UserFactory())
    response = client.get(reverse("drivers:framework_list"))
    assert version_url(content) in response.content.decode()


def test_drafts_are_hidden_from_users_but_shown_to_admins(client):
    draft = make_version(publish=False)
    client.force_login(UserFactory())
    assert client.get(version_url(draft)).status_code == 404
    assert version_url(draft) not in client.get(reverse("drivers:framework_list")).content.decode()
    client.force_login(UserFactory(username="ada", is_staff=True))
    assert client.get(version_url(draft)).status_code == 200


def test_provenance_is_shown_to_admins_only(client, content):
    client.force_login(UserFactory())
    assert "Written for implhub" not in client.get(version_url(content)).content.decode()
    client.force_login(UserFactory(username="ada", is_staff=True))
    assert "Written for implhub" in client.get(version_url(content)).content.decode()


def test_an_unknown_version_is_404(client, content):
    client.force_login(UserFactory())
    assert (
        client.get(reverse("drivers:version_detail", args=["implementation-drivers", 99])).status_code == 404
    )


def test_the_version_page_runs_the_same_queries_whatever_its_size(client, django_assert_max_num_queries):
    client.force_login(UserFactory())
    small = make_version(items_per_driver=1, framework_slug="small")
    large = make_version(drivers_per_category=10, items_per_driver=10, framework_slug="large")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        client.get(version_url(small))
    with CaptureQueriesContext(connection) as large_queries:
        client.get(version_url(large))
    # 10: the version to compare with, and the recorded origins of the items ("split from SI-2").
    assert len(large_queries) == len(small_queries) <= 10


def test_login_page_signs_a_user_in(client):
    UserFactory(username="maria", password="a-long-password-1")
    response = client.post(reverse("login"), {"username": "maria", "password": "a-long-password-1"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_health_answers_without_sign_in(client, db):
    assert client.get(reverse("health")).json() == {"status": "ok"}
