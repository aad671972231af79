"""The README's worked example, end to end in the browser: a content admin authors version 2 with a
Leadership driver in the Django admin, previews the draft as teams will see it, compares it with v1,
publishes it; the facilitator of an assessment in consensus previews the upgrade and moves it to v2, and
the new Leadership items wait on the consensus board."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, visit

pytestmark = pytest.mark.e2e

TECHNICAL = "Leaders solve the problems that have a known answer quickly, with clear decisions and resources."
ADAPTIVE = "Leaders bring people together to work through problems that have no agreed answer yet."


def add_inline_row(page, prefix: str, values: dict[str, str]) -> None:
    """Clicks the inline's "Add another" link and fills the new row's fields (`prefix-N-field`)."""
    group = page.locator(f"#{prefix}-group")
    group.get_by_role("button", name=re.compile("Add another")).click()
    total = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())
    for field, value in values.items():
        control = page.locator(f"#id_{prefix}-{total - 1}-{field}")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


def save_and_continue(page) -> None:
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("successfully")


def test_an_admin_authors_v2_with_leadership_and_a_facilitator_moves_an_open_assessment_to_it(
    new_context, demo
):
    from assessments.models import Membership
    from drivers.models import FrameworkVersion

    v1 = demo.in_consensus.version
    admin = new_context().new_page()
    login(admin, "admin", demo.password)

    # Author: a new draft from v1, opened at once, with a Leadership category, driver and two items.
    admin.goto(f"/admin/drivers/frameworkversion/{v1.pk}/change/")
    admin.get_by_role("button", name="New draft from this version").click()
    expect(admin.get_by_role("heading", name=re.compile(r"v2 \(draft\)"))).to_be_visible()
    add_inline_row(admin, "categories", {"order": "3", "name": "Leadership", "slug": "leadership"})
    save_and_continue(admin)
    admin.locator("#categories-group tr").filter(has=admin.locator("input[value=Leadership]")).get_by_role(
        "link", name="Change"
    ).click()
    expect(admin.get_by_role("heading", name=re.compile("Leadership"))).to_be_visible()
    add_inline_row(
        admin,
        "drivers",
        {
            "order": "1",
            "code": "LEAD",
            "name": "Leadership",
            "slug": "leadership",
            "definition": "Technical and adaptive leadership of the implementation.",
        },
    )
    save_and_continue(admin)
    admin.locator("#drivers-group").get_by_role("link", name="Change").first.click()
    expect(admin.locator("#id_code")).to_have_value("LEAD")
    add_inline_row(admin, "best_practices", {"order": "1", "code": "LEAD-1", "statement": TECHNICAL})
    add_inline_row(admin, "best_practices", {"order": "2", "code": "LEAD-2", "statement": ADAPTIVE})
    save_and_continue(admin)
    visit(admin, "admin-driver-with-items", screenshot=False)

    # Preview the draft as teams will see it, and compare it with v1.
    v2 = FrameworkVersion.objects.get(based_on=v1)
    admin.goto(f"/admin/drivers/frameworkversion/{v2.pk}/change/")
    with admin.context.expect_page() as opened:
        admin.get_by_role("link", name="Preview as teams will see it").click()
    preview = opened.value
    expect(preview.locator("#item-LEAD-1")).to_contain_text(TECHNICAL)
    preview.get_by_role("link", name="Compare with v1").click()
    added = preview.locator("section[aria-labelledby=items-added]")
    expect(added).to_contain_text("LEAD-1")
    expect(added).to_contain_text("LEAD-2")
    expect(preview.locator("body")).to_contain_text("Leadership")
    visit(preview, "compare-leadership", screenshot=False)
    preview.close()

    # Publish from the version's page.
    admin.get_by_role("button", name="Publish").click()
    expect(admin.locator(".messagelist")).to_contain_text("v2 is published")

    # The facilitator of the open assessment is told, previews the upgrade and moves it.
    facilitator = Membership.objects.filter(team=demo.behaviour, role="facilitator").first().user
    page = new_context().new_page()
    login(page, facilitator.username, demo.password)
    page.goto(f"/assessments/{demo.in_consensus.pk}/")
    page.get_by_role("link", name="Preview the upgrade").click()
    new_items = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile("New in v2")))
    expect(new_items).to_contain_text("LEAD-1")
    expect(new_items).to_contain_text("LEAD-2")
    page.get_by_role("button", name="Move the assessment to v2").click()
    expect(page.get_by_text("The assessment now uses v2.")).to_be_visible()
    page.goto(f"/assessments/{demo.in_consensus.pk}/consensus/?order=driver")
    expect(page.locator("#item-LEAD-1").get_by_text("New in v2")).to_be_visible()
    visit(page, "consensus-with-leadership", screenshot=False)

    demo.in_consensus.refresh_from_db()
    assert demo.in_consensus.version == v2
    assert v2.best_practices.filter(driver__code="LEAD").count() == 2
