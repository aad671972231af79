import pytest
from django.core.exceptions import ValidationError

from drivers.models import BestPractice, Driver, FrameworkVersion
from drivers.services import version_publish
from tests.factories import make_version

pytestmark = pytest.mark.django_db


def test_publishing_a_complete_draft_locks_it():
    draft = make_version(publish=False)
    version = version_publish(version=draft)
    assert version.status == FrameworkVersion.Status.PUBLISHED
    assert version.published_at is not None


def test_a_driver_without_items_blocks_publishing():
    draft = make_version(publish=False)
    empty = Driver.objects.create(
        category=draft.categories.first(), code="EMPTY", slug="empty", name="Empty", definition="d", order=99
    )
    with pytest.raises(ValidationError) as excinfo:
        version_publish(version=draft)
    assert "Driver EMPTY (Empty) has no best practices." in excinfo.value.messages
    empty.refresh_from_db()
    assert FrameworkVersion.objects.get(pk=draft.pk).status == FrameworkVersion.Status.DRAFT


def test_a_version_with_no_drivers_cannot_be_published():
    draft = make_version(publish=False)
    BestPractice.objects.filter(version=draft).delete()
    Driver.objects.filter(version=draft).delete()
    with pytest.raises(ValidationError, match="no drivers"):
        version_publish(version=draft)


def test_publishing_twice_is_refused():
    version = make_version()
    with pytest.raises(ValidationError, match="is not a draft"):
        version_publish(version=version)
