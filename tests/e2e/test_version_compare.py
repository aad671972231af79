"""A reader compares two versions of the real content: the changes read at a desk and on a phone (no
sideways scrolling, every word change named for screen readers), and the version page offers its file."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from drivers.models import BestPractice, FrameworkVersion
from tests.drivers.test_content_exchange import second_version
from tests.e2e.conftest import DESKTOP, login, visit
from tests.e2e.test_reflow import check_reflow
from tests.factories import CONTENT_FILE, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_versions(transactional_db):
    call_command("load_framework", str(CONTENT_FILE), verbosity=0)
    v1 = FrameworkVersion.objects.get(number=1)
    v2 = second_version(v1)
    UserFactory(username="reader")
    return v1, v2


def test_a_reader_compares_v2_with_v1_at_a_desk_and_on_a_phone(two_versions, new_context):
    _v1, v2 = two_versions
    reworded = BestPractice.objects.filter(version=v2, driver__code="SEL").order_by("order").first()
    page = new_context(viewport=DESKTOP).new_page()
    login(page, "reader")
    page.goto(f"/content/{v2.framework.slug}/v2/")
    expect(page.get_by_role("link", name="Download as JSON")).to_be_visible()
    page.get_by_role("link", name="Compare with v1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("what changed from v1 to v2")
    change = page.locator("section[aria-labelledby=items-reworded] li").filter(has_text=reworded.code)
    expect(change.locator("ins").last).to_contain_text("It is reviewed every year.")
    visit(page, "version-compare")
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        check_reflow(page, "version-compare", width)
