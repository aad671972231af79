"""Comparing two versions: what was added, removed, reworded and moved, as data and as a page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drivers import lineage
from drivers.compare import ADDED, REMOVED, SAME, version_compare, word_diff
from drivers.models import BestPractice, Driver, DriverCategory, ItemLineage
from drivers.services import version_create_draft, version_publish
from tests.factories import UserFactory, make_version

pytestmark = pytest.mark.django_db


def test_a_word_diff_keeps_the_common_words_and_names_the_removed_and_added_ones():
    assert word_diff(
        "Leaders secure money for training.", "Leaders secure time and money for  training."
    ) == [
        (SAME, "Leaders secure"),
        (ADDED, "time and"),
        (SAME, "money for training."),
    ]
    assert word_diff("Staff are chosen.", "Staff are selected.") == [
        (SAME, "Staff are"),
        (REMOVED, "chosen."),
        (ADDED, "selected."),
    ]
    assert word_diff("", "New.") == [(ADDED, "New.")]
    assert word_diff("Same.", "Same.") == [(SAME, "Same.")]


def item(version, code):
    return BestPractice.objects.get(version=version, code=code)


@pytest.fixture
def versions():
    """v1 (published) and v2, a draft from it with one change of each kind."""
    v1 = make_version()
    v2 = version_create_draft(version=v1)
    reworded = item(v2, "D11-1")
    reworded.statement = "Statement D11-1, said more clearly."
    reworded.save()
    item(v2, "D11-3").delete()
    moved = item(v2, "D12-2")
    moved.driver = Driver.objects.get(version=v2, code="D11")
    moved.order = 9
    moved.save()
    last = item(v2, "D21-1")
    last.order = 5  # D21-1 now comes after D21-2 and D21-3
    last.save()
    BestPractice.objects.create(
        driver=Driver.objects.get(version=v2, code="D22"), code="D22-4", order=4, statement="A new practice."
    )
    renamed = Driver.objects.get(version=v2, code="D12")
    renamed.name = "Driver 1.2, renamed"
    renamed.save()
    category = DriverCategory.objects.create(version=v2, slug="cat-3", name="Category 3", order=3)
    driver = Driver.objects.create(
        category=category, code="D31", slug="d31", name="Driver 3.1", definition="New.", order=1
    )
    BestPractice.objects.create(driver=driver, code="D31-1", order=1, statement="The new driver's practice.")
    return v1, v2


def test_each_kind_of_change_is_found(versions):
    v1, v2 = versions
    comparison = version_compare(before=v1, after=v2)
    assert [a.entry.slug for a in comparison.categories_added] == ["cat-3"]
    assert comparison.categories_removed == comparison.categories_changed == []
    assert [a.entry.code for a in comparison.drivers_added] == ["D31"]
    assert comparison.drivers_removed == []
    [renamed] = comparison.drivers_changed
    assert renamed.after.code == "D12" and not renamed.recoded
    assert [(t.label, t.tokens) for t in renamed.texts] == [
        ("name", [(SAME, "Driver"), (REMOVED, "1.2"), (ADDED, "1.2, renamed")])
    ]
    assert [a.entry.code for a in comparison.items_added] == ["D22-4", "D31-1"]
    assert [i.code for i in comparison.items_removed] == ["D11-3"]
    [reworded] = comparison.items_reworded
    assert reworded.after.code == "D11-1"
    assert [(t.label, t.tokens) for t in reworded.texts] == [
        ("statement", [(SAME, "Statement"), (REMOVED, "D11-1."), (ADDED, "D11-1, said more clearly.")])
    ]
    moves = {m.after.code: m.to_another_driver for m in comparison.items_moved}
    # D12-2 went to another driver; D21-1 changed place (not D21-2 and D21-3, whose order it changed).
    assert moves == {"D12-2": True, "D21-1": False}
    assert not comparison.is_empty


def test_an_item_removed_before_others_moves_none_of_them():
    v1 = make_version()
    v2 = version_create_draft(version=v1)
    item(v2, "D11-1").delete()
    comparison = version_compare(before=v1, after=v2)
    assert [i.code for i in comparison.items_removed] == ["D11-1"]
    assert comparison.items_moved == [] and comparison.items_reworded == []


def test_the_same_version_compared_with_itself_has_no_changes():
    v1 = make_version()
    assert version_compare(before=v1, after=v1).is_empty


def test_a_recoded_item_is_matched_by_its_lineage_key_and_shows_as_reworded(monkeypatch):
    # drivers.lineage owns what the key is; compare only asks it. Keyed by the lineage key here.
    monkeypatch.setattr(lineage, "item_key", lambda entry: entry.lineage_key)
    v1 = make_version()
    v2 = version_create_draft(version=v1)
    recoded = item(v2, "D11-2")
    recoded.code = "D11-9"
    recoded.lineage_key = "D11-2"  # as recording "continues D11-2" keeps it (drivers.lineage)
    recoded.save()
    ItemLineage.objects.create(item=recoded, previous=item(v1, "D11-2"))
    comparison = version_compare(before=v1, after=v2)
    assert comparison.items_added == comparison.items_removed == []
    [change] = comparison.items_reworded
    assert change.recoded and (change.before.code, change.after.code) == ("D11-2", "D11-9")


def test_an_added_item_shows_what_it_was_split_from():
    v1 = make_version()
    v2 = version_create_draft(version=v1)
    split = BestPractice.objects.create(
        driver=Driver.objects.get(version=v2, code="D11"), code="D11-4", order=4, statement="Half of D11-3."
    )
    ItemLineage.objects.create(item=split, previous=item(v1, "D11-3"), kind="split")
    [added] = version_compare(before=v1, after=v2).items_added
    assert added.entry.code == "D11-4"
    assert [code for _kind, code in added.origins] == ["D11-3"]


def test_the_comparison_runs_the_same_queries_whatever_the_size():
    def queries(**size):
        v1 = make_version(framework_slug=f"f{len(size)}-{size.get('items_per_driver', 0)}", **size)
        v2 = version_create_draft(version=v1)
        with CaptureQueriesContext(connection) as captured:
            version_compare(before=v1, after=v2)
        return len(captured)

    assert queries() == queries(drivers_per_category=6, items_per_driver=8) <= 4


# --- The page --------------------------------------------------------------------------------------


def compare_url(before, after):
    return reverse("drivers:compare", args=[after.framework.slug, before.number, after.number])


def test_the_page_shows_the_word_changes_marked_for_every_reader(client, versions):
    v1, v2 = versions
    version_publish(version=v2)
    client.force_login(UserFactory())
    page = client.get(compare_url(v1, v2)).content.decode()
    assert "what changed from v1 to v2" in page
    assert (
        'Statement <del><span class="visually-hidden">removed: </span>D11-1.</del> '
        '<ins><span class="visually-hidden">added: </span>D11-1, said more clearly.</ins>'
    ) in page
    for heading in ("Best practices added", "Best practices removed", "reworded or changed", "moved"):
        assert heading in page
    assert "2 best practices added" in page and "From Driver 1.2 to Driver 1.1" in page


def test_the_text_of_a_change_is_escaped(client):
    v1 = make_version(publish=False)
    v2 = version_create_draft(version=v1)
    entry = item(v2, "D11-1")
    entry.statement = "<script>alert(1)</script> Statement."
    entry.save()
    client.force_login(UserFactory(is_staff=True))
    page = client.get(compare_url(v1, v2)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_drafts_are_compared_for_staff_only(client):
    v1 = make_version()
    v2 = version_create_draft(version=v1)
    client.force_login(UserFactory())
    assert client.get(compare_url(v1, v2)).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert client.get(compare_url(v1, v2)).status_code == 200


def test_anonymous_users_are_sent_to_sign_in(client):
    v1 = make_version()
    response = client.get(compare_url(v1, v1))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_versions_of_another_framework_or_unknown_numbers_are_not_found(client):
    v1 = make_version()
    other = make_version(framework_slug="other")
    client.force_login(UserFactory())
    assert client.get(reverse("drivers:compare", args=["other", v1.number, 7])).status_code == 404
    assert client.get(compare_url(v1, other)).status_code == 200  # both are v1 of "other"


def test_the_version_page_links_to_the_comparison_with_the_version_before_it(client):
    v1 = make_version()
    v2 = version_publish(version=version_create_draft(version=v1))
    client.force_login(UserFactory())
    page = client.get(reverse("drivers:version_detail", args=[v2.framework.slug, 2])).content.decode()
    assert compare_url(v1, v2) in page and "Compare with v1" in page
    first = client.get(reverse("drivers:version_detail", args=[v1.framework.slug, 1])).content.decode()
    assert "Compare with" not in first
