"""`drivers.lineage`: the same best practice and driver across framework versions, in memory and in SQL."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.reports.selectors import team_progress
from drivers import lineage, services
from drivers.models import BestPractice, Driver, ItemLineage
from drivers.services import version_create_draft
from tests.factories import TeamFactory, UserFactory, add_member, make_completed_assessment, make_version

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


# Recorded lineage: continue, split and merge, the keys they give, and the mappings refused.


def draft_of(version):
    return version_create_draft(version=version)


def item(version, code):
    return BestPractice.objects.get(version=version, code=code)


def recode(version, old_code, new_code, statement=None):
    row = item(version, old_code)
    row.code = new_code
    if statement:
        row.statement = statement
    row.save()
    return row


def add_item(version, driver_code, code, order):
    return BestPractice.objects.create(
        driver=Driver.objects.get(version=version, code=driver_code), code=code, order=order, statement=code
    )


def keys(version):
    return dict(BestPractice.objects.filter(version=version).values_list("code", "lineage_key"))


@pytest.fixture
def v1():
    return make_version()


@pytest.fixture
def v2(v1):
    """A draft of v1 in which D11-1 is reworded and recoded D11-7, D12-1 is split into D12-1 and D12-4,
    D21-1 and D21-2 are merged into D21-1, D22-3 is gone and D22-4 is new."""
    draft = draft_of(v1)
    recode(draft, "D11-1", "D11-7", statement="Reworded statement.")
    add_item(draft, "D12", "D12-4", 4)
    item(draft, "D21-2").delete()
    item(draft, "D22-3").delete()
    add_item(draft, "D22", "D22-4", 4)
    services.item_lineage_record(version=draft, kind="continues", old_codes=["D11-1"], new_codes=["D11-7"])
    services.item_lineage_record(
        version=draft, kind="split", old_codes=["D12-1"], new_codes=["D12-1", "D12-4"]
    )
    services.item_lineage_record(
        version=draft, kind="merged", old_codes=["D21-1", "D21-2"], new_codes=["D21-1"]
    )
    return draft


def test_a_reworded_item_with_a_new_code_keeps_the_key_of_the_item_it_continues(v2):
    assert keys(v2)["D11-7"] == "D11-1"
    assert keys(v2)["D11-2"] == "D11-2"  # unmapped items keep the key of the item of their code


def test_a_split_or_merge_starts_new_lineages_whose_keys_avoid_the_earlier_ones(v2):
    assert keys(v2)["D12-1"] == "D12-1~2"  # "D12-1" is the lineage of the item that was split
    assert keys(v2)["D12-4"] == "D12-4"
    assert keys(v2)["D21-1"] == "D21-1~2"
    assert keys(v2)["D22-4"] == "D22-4"  # a new item with an unused code: its code
    assert len(set(keys(v2).values())) == len(keys(v2))


def test_split_and_merged_items_say_where_they_came_from(v1, v2):
    [split] = lineage.origins(item(v2, "D12-4"))
    assert (split.kind, split.codes) == ("split", "D12-1")
    [merged] = lineage.origins(item(v2, "D21-1"))
    assert (merged.kind, merged.codes) == ("merged", "D21-1, D21-2")
    assert [o.kind for o in lineage.origins(item(v2, "D11-7"))] == ["continues"]
    assert lineage.origins(item(v2, "D11-2")) == []


def test_successors_give_each_old_item_its_fate_and_each_new_item_its_origin(
    v1, v2, django_assert_num_queries
):
    with django_assert_num_queries(3):
        fates = lineage.successors(v1, v2)
    old = {f.item.code: f for f in fates.old.values()}
    new = {o.item.code: o for o in fates.new.values()}
    assert (old["D11-1"].fate, [i.code for i in old["D11-1"].successors]) == ("continues", ["D11-7"])
    assert old["D11-1"].wording_changed and not old["D11-2"].wording_changed
    assert (old["D12-1"].fate, sorted(i.code for i in old["D12-1"].successors)) == (
        "split",
        ["D12-1", "D12-4"],
    )
    assert (old["D21-2"].fate, [i.code for i in old["D21-2"].successors]) == ("merged", ["D21-1"])
    assert old["D22-3"].fate == "removed"
    assert (new["D12-4"].origin, [p.code for p in new["D12-4"].previous]) == ("split", ["D12-1"])
    assert (new["D21-1"].origin, [p.code for p in new["D21-1"].previous]) == ("merged", ["D21-1", "D21-2"])
    assert new["D22-4"].origin == "new" and new["D11-7"].origin == "continues"


def test_successors_follow_a_split_across_several_versions(v1, v2):
    services.version_publish(version=v2)
    v3 = draft_of(v2)
    recode(v3, "D12-4", "D12-9")
    services.item_lineage_record(version=v3, kind="continues", old_codes=["D12-4"], new_codes=["D12-9"])
    new = {o.item.code: o for o in lineage.successors(v1, v3).new.values()}
    assert (new["D12-9"].origin, [p.code for p in new["D12-9"].previous]) == ("split", ["D12-1"])


def test_removing_a_split_removes_all_of_it_and_the_keys_follow_the_default_again(v2):
    services.item_lineage_remove(version=v2, code="D12-4")
    assert not ItemLineage.objects.filter(item__version=v2, kind="split").exists()
    assert keys(v2)["D12-1"] == "D12-1" and keys(v2)["D12-4"] == "D12-4"


def test_a_recoded_driver_continues_its_earlier_driver(v1):
    draft = draft_of(v1)
    driver = Driver.objects.get(version=draft, code="D11")
    driver.code = "D19"
    driver.save()
    services.driver_lineage_record(version=draft, kind="continues", old_codes=["D11"], new_codes=["D19"])
    assert Driver.objects.get(version=draft, code="D19").lineage_key == "D11"


@pytest.mark.parametrize(
    ("kind", "old", "new", "named"),
    [
        ("continues", ["D11-9"], ["D11-1"], "D11-9 is not a code of the earlier version"),
        ("continues", ["D11-1"], ["X-1"], "X-1 is not a code of this version"),
        ("continues", ["D11-1"], ["D11-1", "D11-2"], "exactly one earlier code to one new code"),
        ("split", ["D11-1"], ["D11-2"], "two or more new codes"),
        ("merged", ["D11-1"], ["D11-2"], "two or more earlier codes"),
        ("renamed", ["D11-1"], ["D11-2"], "'renamed' is not a kind of mapping"),
        ("continues", ["D12-2"], ["D12-1"], "D12-1 is mapped more than once"),  # an item mapped twice
        ("continues", ["D12-1"], ["D12-3"], "D12-1 is mapped more than once"),  # an old code, not as a split
    ],
)
def test_a_bad_mapping_is_refused_by_name_and_changes_nothing(v2, kind, old, new, named):
    before = (set(ItemLineage.objects.values_list("pk", "kind")), keys(v2))
    with pytest.raises(ValidationError) as refused:
        services.item_lineage_record(version=v2, kind=kind, old_codes=old, new_codes=new)
    assert named in " ".join(refused.value.messages)
    assert (set(ItemLineage.objects.values_list("pk", "kind")), keys(v2)) == before


def test_the_lineage_of_a_published_version_cannot_change(v1):
    with pytest.raises(ValidationError, match="not a draft"):
        services.item_lineage_record(version=v1, kind="continues", old_codes=["D11-1"], new_codes=["D11-1"])


def test_publishing_refuses_mappings_that_break_the_rules_however_they_were_written(v2):
    # As the Django admin could write them, one row at a time: D11-2 continued twice.
    for code in ("D11-2", "D11-3"):
        ItemLineage(item=item(v2, code), previous=item(v2.based_on, "D11-2"), kind="continues").save()
    with pytest.raises(ValidationError) as refused:
        services.version_publish(version=v2)
    assert "D11-2 is mapped more than once (to D11-2, D11-3)" in " ".join(refused.value.messages)
    v2.refresh_from_db()
    assert v2.is_draft


def test_publishing_fixes_the_keys_of_items_recoded_without_a_mapping(v1):
    draft = draft_of(v1)
    recode(draft, "D11-1", "D11-8")  # recoded in place: without a mapping it is a new best practice
    services.version_publish(version=draft)
    assert keys(draft)["D11-8"] == "D11-8"


def test_a_reworded_and_recoded_item_keeps_its_trend(v1, v2):
    team = TeamFactory()
    facilitator = UserFactory()
    add_member(team, facilitator, "facilitator")
    make_completed_assessment(
        team=team, version=v1, by=facilitator, held_on=datetime.date(2025, 9, 1), scores={"D11-1": 0}
    )
    services.version_publish(version=v2)
    make_completed_assessment(
        team=team, version=v2, by=facilitator, held_on=datetime.date(2026, 3, 1), scores={"D11-7": 2}
    )
    rows = [row for row in team_progress(team=team).items if row.code in ("D11-1", "D11-7")]
    assert [(row.code, [c.label for c in row.cells]) for row in rows] == [("D11-7", ["0", "2"])]


def test_the_content_page_shows_where_an_item_came_from(client, v1, v2):
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("drivers:version_detail", args=[v2.framework.slug, v2.number])).content.decode()
    assert "Split from D12-1" in html and "Merged from D21-1, D21-2" in html and "Continues D11-1" in html
