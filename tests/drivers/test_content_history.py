"""The history of the content: every change to a draft, and every publish, retire and new draft, is kept
with who and when, and shown in the admin. A version that assessments use is not deleted; the admin says
why."""

import pytest
from django.urls import reverse

from drivers.models import BestPractice, FrameworkVersion
from drivers.services import version_create_draft, version_publish, version_retire
from tests.factories import TeamFactory, UserFactory, make_assessment, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(client):
    user = UserFactory(username="ada", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def act(client, action, version):
    return client.post(
        reverse("admin:drivers_frameworkversion_changelist"),
        {"action": action, "_selected_action": [version.pk]},
    )


def test_editing_a_draft_item_in_the_admin_records_who_changed_what(client, ada):
    item = make_version(publish=False).best_practices.first()
    response = client.post(
        reverse("admin:drivers_bestpractice_change", args=[item.pk]),
        {
            "driver": item.driver_id,
            "code": item.code,
            "order": item.order,
            "statement": "Clearer.",
            "guidance": "",
            "provenance": "implhub",
            "editorial_note": "",
            "resources": "[]",
            "lineage-TOTAL_FORMS": "0",
            "lineage-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content
    change = item.history.latest()
    assert (change.history_type, change.history_user, change.statement) == ("~", ada, "Clearer.")
    page = client.get(reverse("admin:drivers_bestpractice_history", args=[item.pk])).content.decode()
    assert "ada" in page


def test_publishing_and_retiring_in_the_admin_are_recorded_with_who_and_when(client, ada):
    draft = make_version(publish=False)
    act(client, "publish", draft)
    published = draft.history.latest()
    assert (published.status, published.history_user) == ("published", ada)
    act(client, "retire", draft)
    retired = draft.history.latest()
    assert (retired.status, retired.history_user) == ("retired", ada)
    assert retired.history_date >= published.history_date
    page = client.get(reverse("admin:drivers_frameworkversion_history", args=[draft.pk])).content.decode()
    assert page.count("ada") >= 2


def test_a_new_draft_starts_the_history_of_every_copied_row_in_its_authors_name(client, ada):
    version = make_version()
    act(client, "new_draft", version)
    draft = FrameworkVersion.objects.get(number=2)
    assert draft.history.get().history_user == ada
    history = BestPractice.history.filter(version_id=draft.pk)
    assert history.count() == draft.best_practices.count() == 12
    assert {(h.history_type, h.history_user) for h in history} == {("+", ada)}


def test_services_called_outside_a_request_name_their_author():
    editor = UserFactory(username="editor")
    version = version_publish(version=make_version(publish=False), by=editor)
    assert version.history.latest().history_user == editor
    draft = version_create_draft(version=version, by=editor)
    assert {h.history_user for h in draft.categories.first().history.all()} == {editor}
    version_retire(version=version, by=editor)
    assert (version.history.latest().status, version.history.latest().history_user) == ("retired", editor)


# --- Deleting a version -------------------------------------------------------------------------------


def test_a_published_version_that_assessments_use_is_not_deleted_and_the_admin_says_why(client, ada):
    version = make_version()
    make_assessment(team=TeamFactory(), version=version, by=ada)
    response = client.get(reverse("admin:drivers_frameworkversion_delete", args=[version.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:drivers_frameworkversion_change", args=[version.pk]
    )
    assert "cannot be deleted: past assessments and reports rely on it" in response.content.decode()
    client.post(reverse("admin:drivers_frameworkversion_delete", args=[version.pk]), {"post": "yes"})
    assert FrameworkVersion.objects.filter(pk=version.pk).exists()


def test_a_draft_that_an_assessment_uses_is_not_deleted_and_the_admin_names_the_assessment(client, ada):
    draft = make_version(publish=False)
    assessment = make_assessment(team=TeamFactory(name="Riverside"), version=draft, by=ada)
    response = client.post(
        reverse("admin:drivers_frameworkversion_delete", args=[draft.pk]), {"post": "yes"}, follow=True
    )
    page = response.content.decode()
    assert "cannot be deleted while these use it" in page and str(assessment) in page
    assert FrameworkVersion.objects.filter(pk=draft.pk).exists()


def test_a_draft_nothing_uses_is_deleted(client, ada):
    draft = make_version(publish=False)
    response = client.post(reverse("admin:drivers_frameworkversion_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()
    assert draft.history.latest().history_type == "-"  # the deletion too is on record
