"""The content admin: drafts editable, published content read-only, publish and new-draft actions."""

import json

import pytest
from django.urls import reverse

from drivers.models import BestPractice, FrameworkVersion
from tests.factories import UserFactory, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="ada", is_staff=True, is_superuser=True))
    return client


def test_a_published_item_is_shown_read_only(admin_client):
    version = make_version()
    item = version.best_practices.first()
    url = reverse("admin:drivers_bestpractice_change", args=[item.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'name="statement"' not in response.content
    response = admin_client.post(url, {"statement": "Changed", "code": item.code, "order": item.order})
    assert response.status_code == 403
    assert BestPractice.objects.get(pk=item.pk).statement == item.statement


def test_a_published_item_cannot_be_deleted_in_the_admin(admin_client):
    item = make_version().best_practices.first()
    response = admin_client.post(
        reverse("admin:drivers_bestpractice_delete", args=[item.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert BestPractice.objects.filter(pk=item.pk).exists()


def test_a_draft_item_can_be_edited_in_the_admin(admin_client):
    draft = make_version(publish=False)
    item = draft.best_practices.first()
    url = reverse("admin:drivers_bestpractice_change", args=[item.pk])
    response = admin_client.post(
        url,
        {
            "driver": item.driver_id,
            "code": item.code,
            "order": item.order,
            "statement": "Clearer.",
            "guidance": "",
            "rubric_in_place": "",
            "rubric_partially_in_place": "",
            "rubric_not_in_place": "",
            "calls_for_people_served": "on",
            "provenance": "implhub",
            # The lineage inline, empty: the item comes from the earlier item of its code.
            "lineage-TOTAL_FORMS": "0",
            "lineage-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content
    item = BestPractice.objects.get(pk=item.pk)
    assert (item.statement, item.calls_for_people_served) == ("Clearer.", True)


def test_a_drafts_items_are_flagged_in_the_drivers_inline(admin_client):
    driver = make_version(publish=False).drivers.first()
    page = admin_client.get(reverse("admin:drivers_driver_change", args=[driver.pk])).content.decode()
    assert 'name="best_practices-0-calls_for_people_served"' in page


def run_action(client, action, version):
    return client.post(
        reverse("admin:drivers_frameworkversion_changelist"),
        {"action": action, "_selected_action": [version.pk]},
        follow=True,
    )


def test_the_publish_action_publishes_a_complete_draft(admin_client):
    draft = make_version(publish=False)
    response = run_action(admin_client, "publish", draft)
    assert "is published" in response.content.decode()
    assert FrameworkVersion.objects.get(pk=draft.pk).status == FrameworkVersion.Status.PUBLISHED


def test_the_publish_action_explains_why_a_draft_cannot_be_published(admin_client):
    draft = make_version(publish=False, items_per_driver=1)
    draft.best_practices.first().delete()
    response = run_action(admin_client, "publish", draft)
    assert "was not published" in response.content.decode()
    assert "has no best practices" in response.content.decode()
    assert FrameworkVersion.objects.get(pk=draft.pk).status == FrameworkVersion.Status.DRAFT


def test_the_new_draft_action_copies_the_version(admin_client):
    version = make_version()
    response = run_action(admin_client, "new_draft", version)
    assert response.status_code == 200
    draft = FrameworkVersion.objects.get(based_on=version)
    assert draft.best_practices.count() == version.best_practices.count()


def test_the_export_action_writes_a_content_file_that_loads_back(admin_client, tmp_path):
    version = make_version()
    response = admin_client.post(
        reverse("admin:drivers_frameworkversion_changelist"),
        {"action": "export_json", "_selected_action": [version.pk]},
        follow=True,
    )
    assert (
        response.redirect_chain[-1][0] == f"/content/{version.framework.slug}/v{version.number}/export.json"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["version"]["number"] == version.number
    assert sum(len(d["best_practices"]) for c in document["categories"] for d in c["drivers"]) == 12


def test_the_admin_is_closed_to_non_staff(client):
    client.force_login(UserFactory(username="member"))
    response = client.get(reverse("admin:drivers_bestpractice_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
