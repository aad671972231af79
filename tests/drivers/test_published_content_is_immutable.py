"""Published content is the record past assessments point at: nothing in the ORM may change it."""

import pytest

from drivers.models import BestPractice, Driver, DriverCategory, FrameworkVersion, PublishedContentError
from drivers.services import version_create_draft, version_retire
from tests.factories import make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return make_version()


def test_saving_a_changed_item_is_refused(published):
    item = published.best_practices.first()
    item.statement = "Rewritten"
    with pytest.raises(PublishedContentError):
        item.save()
    assert BestPractice.objects.get(pk=item.pk).statement != "Rewritten"


@pytest.mark.parametrize("model", [BestPractice, Driver, DriverCategory])
def test_deleting_content_of_a_published_version_is_refused(published, model):
    row = model.objects.filter(version=published).first()
    with pytest.raises(PublishedContentError):
        row.delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_deleting_the_version_is_refused_and_nothing_under_it_goes(published):
    count = BestPractice.objects.filter(version=published).count()
    with pytest.raises(PublishedContentError):
        published.delete()
    assert BestPractice.objects.filter(version=published).count() == count


def test_bulk_queryset_delete_is_refused(published):
    with pytest.raises(PublishedContentError):
        BestPractice.objects.filter(version=published).delete()
    assert BestPractice.objects.filter(version=published).exists()


def test_bulk_queryset_update_is_refused(published):
    with pytest.raises(PublishedContentError):
        BestPractice.objects.filter(version=published).update(statement="x")
    assert not BestPractice.objects.filter(statement="x").exists()


def test_adding_an_item_to_a_published_driver_is_refused(published):
    driver = published.drivers.first()
    with pytest.raises(PublishedContentError):
        BestPractice.objects.create(driver=driver, code=f"{driver.code}-99", order=99, statement="New")


def test_a_published_version_cannot_go_back_to_draft(published):
    published.status = FrameworkVersion.Status.DRAFT
    with pytest.raises(PublishedContentError):
        published.save()
    with pytest.raises(PublishedContentError):
        FrameworkVersion.objects.filter(pk=published.pk).update(status="draft")
    published.refresh_from_db()
    assert published.status == FrameworkVersion.Status.PUBLISHED


def test_a_published_version_can_be_retired_but_stays_locked(published):
    version_retire(version=published)
    published.refresh_from_db()
    assert published.status == FrameworkVersion.Status.RETIRED
    with pytest.raises(PublishedContentError):
        published.best_practices.first().delete()


def test_draft_content_can_be_edited_and_deleted():
    draft = make_version(publish=False)
    item = draft.best_practices.first()
    item.statement = "Clearer wording"
    item.save()
    assert BestPractice.objects.get(pk=item.pk).statement == "Clearer wording"
    draft.delete()
    assert not BestPractice.objects.filter(pk=item.pk).exists()


def test_a_new_draft_copies_the_whole_tree_with_the_same_codes(published):
    draft = version_create_draft(version=published)
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert draft.number == published.number + 1
    assert draft.based_on == published

    def tree(version):
        return list(
            BestPractice.objects.filter(version=version)
            .order_by("driver__category__order", "driver__order", "order")
            .values_list("driver__category__slug", "driver__code", "code", "order", "statement")
        )

    assert tree(draft) == tree(published)
    assert draft.drivers.count() == published.drivers.count()
    assert draft.categories.count() == published.categories.count()


def test_a_new_draft_copies_which_items_call_for_the_voice_of_the_people_served(content):
    draft = version_create_draft(version=content)
    flagged = draft.best_practices.filter(calls_for_people_served=True).order_by("code")
    assert list(flagged.values_list("code", flat=True)) == ["SI-1", "SI-5"]


def test_editing_the_new_draft_leaves_the_published_version_alone(published):
    draft = version_create_draft(version=published)
    item = draft.best_practices.order_by("code").first()
    item.statement = "Edited in the draft"
    item.save()
    original = published.best_practices.get(code=item.code)
    assert original.statement != "Edited in the draft"
