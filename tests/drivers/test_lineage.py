"""`drivers.lineage`: the same best practice and driver across framework versions, in memory and in SQL."""

import pytest

from drivers import lineage
from drivers.models import BestPractice, Driver
from drivers.services import version_create_draft
from tests.factories import make_version

pytestmark = pytest.mark.django_db


def test_an_item_of_a_new_version_continues_the_item_with_its_code():
    first = make_version()
    second = version_create_draft(version=first)
    old = first.best_practices.get(code="D12-2")
    new = second.best_practices.get(code="D12-2")
    assert old.pk != new.pk
    assert lineage.item_key(old) == lineage.item_key(new) == "D12-2"
    assert lineage.item_key(old) != lineage.item_key(first.best_practices.get(code="D12-3"))


def test_the_database_keys_items_and_drivers_as_the_rows_in_memory_do():
    version = make_version()
    keyed = BestPractice.objects.filter(version=version).annotate(key=lineage.item_key_expression())
    assert all(item.key == lineage.item_key(item) for item in keyed)
    drivers = Driver.objects.filter(version=version).annotate(key=lineage.driver_key_expression())
    assert sorted(d.key for d in drivers) == sorted(lineage.driver_key(d) for d in drivers)
    through_item = BestPractice.objects.filter(version=version).annotate(
        key=lineage.driver_key_expression("driver")
    )
    assert {(i.driver_id, i.key) for i in through_item} == {(d.pk, d.code) for d in drivers}
