"""A content admin edits a best practice of a draft version in the Django admin, publishes the draft, and
finds the new text in the content browser."""

import pytest
from playwright.sync_api import expect

from drivers.models import BestPractice, FrameworkVersion
from tests.e2e.conftest import login, visit
from tests.factories import make_version

pytestmark = pytest.mark.e2e

NEW_TEXT = "The team reviews its selection data every quarter and acts on it."


@pytest.fixture
def draft(cast):
    return make_version(drivers_per_category=1, items_per_driver=2, publish=False)  # Test framework v2


def test_an_admin_edits_a_draft_item_publishes_it_and_the_content_browser_shows_the_new_text(
    cast, draft, page
):
    login(page, "ada")
    page.get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    visit(page, "admin-index", screenshot=False)

    page.get_by_role("link", name="Best practices").click()
    page.locator("#searchbar").fill("D11-1")
    page.get_by_role("button", name="Search").click()
    row = page.locator("#result_list tbody tr").filter(has_text="v2")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="D11-1").click()
    expect(page.get_by_label("Statement")).to_be_visible()
    visit(page, "admin-item-change", screenshot=False)
    page.get_by_label("Statement").fill(NEW_TEXT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="Home").first.click()
    page.get_by_role("link", name="Framework versions").click()
    expect(page.get_by_role("heading", name="Select framework version to change")).to_be_visible()
    visit(page, "admin-version-list", screenshot=False)
    version_row = page.locator("#result_list tbody tr").filter(has_text="draft")
    version_row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Publish the selected drafts")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Test framework v2 is published.")

    page.get_by_role("link", name="View site").click()
    page.get_by_role("link", name="Framework", exact=True).click()
    page.get_by_role("link", name="Test framework v2").click()
    item = page.locator("#item-D11-1")
    expect(item).to_contain_text(NEW_TEXT)
    visit(page, "content-browser")
    page.go_back()
    page.get_by_role("link", name="Test framework v1").click()
    expect(page.locator("#item-D11-1")).to_contain_text("Statement D11-1.")  # the published v1 is unchanged

    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PUBLISHED
    assert BestPractice.objects.get(version=draft, code="D11-1").statement == NEW_TEXT
    assert BestPractice.objects.get(version=cast.version, code="D11-1").statement == "Statement D11-1."
