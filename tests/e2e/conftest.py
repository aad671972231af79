"""Browser journeys: Playwright (sync API) driving Debian's Chromium against Django's live server.

Set-up happens in fixtures through the ORM (users, a team, a small published version, an assessment in the
state a journey starts from); the journeys themselves only use the browser. The helpers below sign in
(`login`), check a page with axe-core (`axe_check`) and take screenshots at two sizes (`shot`).
"""

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).parent
AXE_JS = HERE / "vendor" / "axe.min.js"
ARTIFACTS = HERE / "artifacts"
PASSWORD = "pw"  # tests.factories.UserFactory's password
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

# Every axe run of the session, by page name: written to artifacts/axe-results.json at the end.
AXE_RESULTS: dict[str, dict] = {}


@pytest.fixture(scope="module")
def _async_unsafe_while_playwright_runs():
    """Playwright's sync API keeps an asyncio loop running in the main thread, so Django refuses the ORM
    calls of fixtures and end-of-test checks unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set here, for
    as long as a browser is open, and removed afterwards: other tests (and `check --deploy`, which rightly
    rejects the variable) never see it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_async_unsafe_while_playwright_runs):
    """One Chromium per test module (closed with it, so the tests after the browser tests run without
    Playwright's event loop and without the async switch)."""
    if not CHROMIUM.exists():
        message = f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium`."
        if os.environ.get("CI"):
            pytest.fail(f"{message} CI must run the browser tests.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    (ARTIFACTS / "axe-results.json").write_text(json.dumps(AXE_RESULTS, indent=2, sort_keys=True))


# Chromium's console message when the Content-Security-Policy blocks a script, a style or a request.
CSP_REFUSAL = "Content Security Policy"


@pytest.fixture
def new_context(browser, live_server):
    """Opens a browser context (its own cookies: one signed-in person) on the live server."""
    contexts = []
    refused: list[str] = []  # what the Content-Security-Policy blocked, on any page of the journey

    def watch(page):
        def note(message):
            if CSP_REFUSAL in message.text:
                refused.append(f"{page.url}: {message.text}")

        page.on("console", note)

    def open_context(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("reduced_motion", "reduce")  # no transitions: axe measures settled colours
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        context.e2e_javascript = options.get("java_script_enabled", True)
        context.e2e_base_url = live_server.url
        context.on("page", watch)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    # Every journey proves the pages it walks work under the policy: plotly, htmx and the admin included.
    assert not refused, "The Content-Security-Policy refused something:\n" + "\n".join(refused[:10])


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def login(page, username: str, password: str = PASSWORD) -> None:
    """Signs in through the login form and lands on the home page."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def axe_check(page, name: str) -> dict:
    """Runs axe-core (WCAG 2.0/2.1 A and AA) on the page; fails on any serious or critical violation.

    axe needs timers, which do not run in a page with JavaScript off: such a page is checked as the same
    person (the same cookies) loading the same address in a JavaScript-enabled tab, which gets the same
    server-rendered HTML. With E2E_AXE_SURVEY=1 the violations are printed and recorded but do not fail
    (to survey every page at once).
    """
    if getattr(page.context, "e2e_javascript", True):
        results = _axe_run(page)
    else:
        twin = page.context.browser.new_context(
            base_url=page.context.e2e_base_url,
            viewport=page.viewport_size,
            storage_state=page.context.storage_state(),
        )
        try:
            twin_page = twin.new_page()
            twin_page.goto(page.url)
            results = _axe_run(twin_page)
        finally:
            twin.close()
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "helpUrl": v["helpUrl"],
            "targets": [", ".join(map(str, node["target"])) for node in v["nodes"]],
            "summaries": [node.get("failureSummary", "").replace("\n", " ") for node in v["nodes"]],
        }
        for v in results["violations"]
    ]
    AXE_RESULTS[name] = {"url": page.url, "violations": violations}
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe: {len(blocking)} serious/critical violations on {name} ({page.url}):"]
        for v in blocking:
            lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for target, summary in zip(v["targets"], v["summaries"], strict=True):
                lines.append(f"      at {target}: {summary}")
        if not os.environ.get("E2E_AXE_SURVEY"):
            pytest.fail("\n".join(lines), pytrace=False)
        print("\n".join(lines))
    return AXE_RESULTS[name]


def _axe_run(page) -> dict:
    page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        "options => axe.run(document, options)",
        # No preload: axe would copy the stylesheets into <style> elements of its own, which the
        # Content-Security-Policy refuses (and the journey would report axe, not the page).
        {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"], "preload": False},
    )


def shot(page, name: str) -> None:
    """Saves the whole page at desktop (1366x768) and phone (390x844) width into tests/e2e/artifacts/.

    Scrolled to the top first, so sticky bars are drawn where they start. A page wider than the phone
    (horizontal scrolling) shows as a phone screenshot wider than 390 pixels.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    original = page.viewport_size
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        if page.locator("[data-chart]").count():
            page.wait_for_timeout(500)  # plotly.js refits its charts a moment after the resize
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=ARTIFACTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(original)


def visit(page, name: str, *, screenshot: bool = True) -> None:
    """What every page of a journey gets: an accessibility check and, for the main pages, screenshots.
    It waits for the page to finish loading: right after a click, the document may still be the old one."""
    page.wait_for_load_state("load")
    axe_check(page, name)
    if screenshot:
        shot(page, name)


def tab_to(page, selector: str, *, limit: int = 60) -> None:
    """Presses Tab until the element matching `selector` has the focus (keyboard only, no clicks)."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector} within {limit} presses.", pytrace=False)


@pytest.fixture
def cast(transactional_db):
    """The people of the journeys: one team of Northfield (a facilitator, two members, a coach), an outsider
    facilitating a team of another organization, a content admin; a small published version (4 items)."""
    from tests.factories import (
        OrganizationFactory,
        TeamFactory,
        UserFactory,
        add_coach,
        add_member,
        make_version,
    )

    version = make_version(drivers_per_category=1, items_per_driver=2)
    northfield = OrganizationFactory(name="Northfield Schools")
    harbor = OrganizationFactory(name="Harbor Family Services")
    people = SimpleNamespace(
        version=version,
        team=TeamFactory(organization=northfield, name="Riverside Reading Team"),
        other_team=TeamFactory(organization=harbor, name="Harbor Home Visiting Team"),
        facilitator=UserFactory(username="fatima", first_name="Fatima", last_name="Okafor"),
        member=UserFactory(username="marco", first_name="Marco", last_name="Rossi"),
        member2=UserFactory(username="mei", first_name="Mei", last_name="Chen"),
        coach=UserFactory(username="carmen", first_name="Carmen", last_name="Diaz"),
        outsider=UserFactory(username="olu", first_name="Olu", last_name="Adeyemi"),
        admin=UserFactory(username="ada", first_name="Ada", is_staff=True, is_superuser=True),
    )
    add_member(people.team, people.facilitator, "facilitator")
    add_member(people.team, people.member)
    add_member(people.team, people.member2)
    add_coach(people.team, people.coach)
    add_member(people.other_team, people.outsider, "facilitator")
    people.items = list(version.best_practices.order_by("driver__category__order", "driver__order", "order"))
    return people


@pytest.fixture
def demo(transactional_db):
    """The demo data of `make run` (`manage.py demo`: the real framework, three teams with histories, an open
    assessment with votes), plus an assessment of the District Behavior Support Team in consensus with the
    first twelve items answered: pages measured with real content, long names and all."""
    import datetime
    import io
    import random

    from django.core.management import call_command

    from assessments import services
    from assessments.models import Assessment, Team
    from implhub.management.commands.demo import DEMO_PASSWORD

    call_command("demo", stdout=io.StringIO())
    teams = {team.name: team for team in Team.objects.all()}
    behaviour = teams["District Behavior Support Team"]
    completed = behaviour.assessments.filter(status=Assessment.Status.COMPLETED).latest("held_on")
    facilitator = behaviour.memberships.get(role="facilitator").user
    member = behaviour.memberships.get(role="member").user
    in_consensus = services.assessment_start(
        team=behaviour,
        started_by=facilitator,
        held_on=completed.held_on + datetime.timedelta(days=60),
        stage="full",
        version=completed.version,
        participants=[],
    )
    rng = random.Random(3)
    items = list(
        completed.version.best_practices.order_by("driver__category__order", "driver__order", "order")
    )
    for item in items:
        comment = "Seen in the last audit of the coaching logs." if rng.random() < 0.2 else ""
        answer = rng.choice(["2", "1", "0", "dk"])
        services.vote_record(
            assessment=in_consensus, member=member, item_code=item.code, answer=answer, comment=comment
        )
    services.assessment_reveal_votes(assessment=in_consensus, revealed_by=in_consensus.created_by)
    for item in items[:12]:
        services.response_record(
            assessment=in_consensus,
            recorded_by=facilitator,
            item_code=item.code,
            score=rng.choice([0, 1, 2]),
            evidence="Minutes of the October team meeting.",
        )
    reading = teams["Riverside Reading Team"]
    return SimpleNamespace(
        password=DEMO_PASSWORD,
        reading=reading,
        behaviour=behaviour,
        harbor=teams["Harbor Home Visiting Team"],
        completed=completed,
        in_consensus=in_consensus,
        open=reading.assessments.get(status=Assessment.Status.OPEN),
        items=items,
    )
