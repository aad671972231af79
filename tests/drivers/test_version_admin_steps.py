"""The version's admin page carries publish, new draft, retire, export and preview as buttons."""

import pytest
from django.urls import reverse

from drivers.models import FrameworkVersion
from drivers.services import version_create_draft
from tests.factories import UserFactory, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="ada", is_staff=True, is_superuser=True))
    return client


def step(version, name):
    return reverse("admin:drivers_frameworkversion_step", args=[version.pk, name])


def test_a_drafts_page_offers_publish_export_and_preview(staff_client):
    draft = version_create_draft(version=make_version())
    page = staff_client.get(
        reverse("admin:drivers_frameworkversion_change", args=[draft.pk])
    ).content.decode()
    assert step(draft, "publish") in page and step(draft, "export_json") in page
    assert step(draft, "retire") not in page and step(draft, "new_draft") not in page
    assert "Preview as teams will see it" in page
    assert reverse("drivers:version_detail", args=[draft.framework.slug, draft.number]) in page


def test_publishing_from_the_page_publishes_the_draft(staff_client):
    draft = version_create_draft(version=make_version())
    response = staff_client.post(step(draft, "publish"), follow=True)
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PUBLISHED
    assert "is published" in response.content.decode()


def test_a_published_versions_page_offers_a_new_draft_and_retire(staff_client):
    version = make_version()
    response = staff_client.post(step(version, "new_draft"))
    draft = version.framework.versions.get(status="draft", based_on=version)
    # The admin lands on the new draft, which is what they edit next.
    assert response.url == reverse("admin:drivers_frameworkversion_change", args=[draft.pk])
    staff_client.post(step(version, "retire"))
    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.RETIRED


def test_export_from_the_page_downloads_the_content_file(staff_client):
    version = make_version()
    response = staff_client.post(step(version, "export_json"), follow=True)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json()["version"]["number"] == version.number


def test_a_publish_that_would_fail_says_why_and_changes_nothing(staff_client):
    draft = version_create_draft(version=make_version())
    draft.best_practices.filter(driver=draft.drivers.first()).delete()
    response = staff_client.post(step(draft, "publish"), follow=True)
    assert "has no best practices" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.parametrize("method", ["get", "put"])
def test_steps_are_posted(staff_client, method):
    version = make_version()
    assert getattr(staff_client, method)(step(version, "retire")).status_code == 405
    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.PUBLISHED


def test_an_unknown_step_or_version_changes_nothing(staff_client):
    version = make_version()
    assert staff_client.post(step(version, "delete")).status_code == 405
    assert (
        staff_client.post(reverse("admin:drivers_frameworkversion_step", args=[99999, "retire"])).status_code
        == 404
    )


def test_the_steps_are_for_staff_only(client):
    version = make_version()
    client.force_login(UserFactory(username="mark"))
    response = client.post(step(version, "retire"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.PUBLISHED


def test_a_draft_with_an_empty_category_or_a_blank_statement_is_not_published(staff_client):
    from drivers.models import DriverCategory

    draft = version_create_draft(version=make_version())
    DriverCategory.objects.create(version=draft, slug="leadership", name="Leadership", order=99)
    item = draft.best_practices.order_by("code").first()
    item.statement = "   "
    item.save()
    response = staff_client.post(step(draft, "publish"), follow=True)
    page = response.content.decode()
    assert "Category Leadership has no drivers." in page
    assert f"Best practice {item.code} has no statement." in page
    draft.refresh_from_db()
    assert draft.is_draft
