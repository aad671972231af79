"""A facilitator moves an assessment in consensus to a newer version of the real content: told on the
assessment page, reads the preview, moves it, and finds the reworded, new and split items flagged on the
consensus board. Both pages read on a phone without scrolling sideways."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, visit

pytestmark = pytest.mark.e2e

WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def second_version(first):
    """v2 of the real framework: SEL-1 reworded, SI-2 split into SI-2 and SI-6, FA-9 removed."""
    from drivers import services
    from drivers.models import BestPractice, Driver

    draft = services.version_create_draft(version=first)
    reworded = draft.best_practices.get(code="SEL-1")
    reworded.statement += " (including the expectations of the people served)"
    reworded.save()
    BestPractice.objects.create(
        driver=Driver.objects.get(version=draft, code="SI"),
        code="SI-6",
        order=5,
        statement="Leadership reports the barriers the team cannot remove itself to the people who can, "
        "and follows each report until it is answered.",
    )
    draft.best_practices.get(code="FA-9").delete()
    services.item_lineage_record(version=draft, kind="split", old_codes=["SI-2"], new_codes=["SI-2", "SI-6"])
    return services.version_publish(version=draft)


def test_a_facilitator_previews_and_moves_an_assessment_to_a_newer_version(new_context, demo):
    from assessments.models import Membership

    v2 = second_version(demo.in_consensus.version)
    facilitator = Membership.objects.filter(team=demo.behaviour, role="facilitator").first().user
    page = new_context().new_page()
    login(page, facilitator.username, demo.password)
    page.goto(f"/assessments/{demo.in_consensus.pk}/")
    page.get_by_role("link", name="Preview the upgrade").click()
    expect(page.get_by_role("heading", name=re.compile("New in v2"))).to_be_visible()
    visit(page, "upgrade-preview")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        scroll, window = page.evaluate(WIDTH)
        assert scroll <= window, f"the preview scrolls sideways at {width}px"
    page.get_by_role("button", name="Move the assessment to v2").click()
    expect(page.get_by_text("The assessment now uses v2.")).to_be_visible()
    page.goto(f"/assessments/{demo.in_consensus.pk}/consensus/?order=driver")
    expect(page.get_by_text("Wording changed: check the answer").first).to_be_visible()
    expect(page.locator("#item-SI-6").get_by_text("New in v2")).to_be_visible()
    visit(page, "consensus-after-upgrade")
    page.set_viewport_size({"width": 390, "height": 844})
    scroll, window = page.evaluate(WIDTH)
    assert scroll <= window, "the board scrolls sideways on a phone"
    demo.in_consensus.refresh_from_db()
    assert demo.in_consensus.version == v2
