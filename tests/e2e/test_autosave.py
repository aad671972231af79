"""Nothing typed in the meeting is lost, and the save status never lies: a vote comment saves while it is
typed, a consensus score saves before meeting mode moves on, a failed save is retried once and then says so
with the entry kept, a signed-out save says so, and leaving with something unsaved asks first."""

import re
from urllib.parse import parse_qs

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from assessments import services
from assessments.models import Response, Vote
from tests.e2e.conftest import login, shot, visit
from tests.factories import make_assessment

pytestmark = pytest.mark.e2e

SAVED = re.compile(r"^Saved \d\d:\d\d$")
NOT_SAVED_YET = "Not saved yet"

# Watches a status line: every text it shows, with the field's value at that moment and the value of that
# field in the last save the server accepted (200). `window.saveDelay` holds each answer back, so that a
# test can type while a save is under way. The watched element outlives the swaps of each save.
WATCH_STATUS = """({watched, field, name}) => {
    window.statusLog = [];
    window.accepted = null;
    window.saveDelay = 0;
    const post = window.fetch;
    window.fetch = async (url, options) => {
        const response = await post(url, options);
        await new Promise((resolve) => setTimeout(resolve, window.saveDelay));
        if (response.status === 200) window.accepted = options.body.get(name);
        return response;
    };
    const line = document.querySelector(watched);
    new MutationObserver(() => {
        const status = line.querySelector(".save-state");
        const value = document.querySelector(field).value;
        window.statusLog.push([status.textContent.trim(), value, window.accepted]);
    }).observe(line, {childList: true, subtree: true, characterData: true});
}"""


def watch_status(page, watched, field, name):
    page.evaluate(WATCH_STATUS, {"watched": watched, "field": field, "name": name})


def status_log(page):
    """The status texts seen, after checking the promise: "Saved" only beside what the server accepted."""
    log = page.evaluate("window.statusLog")
    lies = [
        (text, value, accepted) for text, value, accepted in log if SAVED.match(text) and value != accepted
    ]
    assert lies == [], f"'Saved' shown beside an entry the server had not accepted: {lies}"
    return log


@pytest.fixture
def assessment(cast):
    """An open assessment on which Marco has voted 1 on D11-1, without a comment yet."""
    assessment = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator)
    services.vote_record(assessment=assessment, member=cast.member, item_code="D11-1", answer="1")
    return assessment


@pytest.fixture
def revealed(assessment, cast):
    return services.assessment_reveal_votes(assessment=assessment, revealed_by=assessment.created_by)


def vote_sheet(page, assessment, name):
    login(page, "marco")
    page.goto(f"/assessments/{assessment.pk}/vote/")
    visit(page, name, screenshot=False)


def meeting(page, assessment, code, name):
    login(page, "fatima")
    page.goto(f"/assessments/{assessment.pk}/meeting/{code}/")
    visit(page, name, screenshot=False)


def saved_comments(page, calls):
    """Records the comment of each vote save the server accepted (200)."""

    def record(response):
        if "/vote/D11-1/" in response.url and response.status == 200:
            body = response.request.post_data or ""
            match = re.search(r'name="comment-D11-1"\r\n\r\n(.*?)\r\n--', body, re.S)
            calls.append(match.group(1) if match else None)

    page.on("response", record)


def test_a_comment_saves_while_it_is_typed_and_survives_a_reload_without_leaving_the_field(
    cast, assessment, page
):
    vote_sheet(page, assessment, "vote-sheet-autosave")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    status = page.locator("#status-D11-1")
    expect(status).to_have_text("Saved")  # the vote is stored; the comment is still empty
    page.locator("#comment-D11-1").click()
    watch_status(page, "#item-D11-1", "#comment-D11-1", "comment-D11-1")

    page.keyboard.type("We have the plan", delay=20)
    expect(status).to_have_text(NOT_SAVED_YET)  # from the first key, before any save
    expect(status).to_have_text(SAVED)  # 800 ms after the last key, still in the field
    page.keyboard.type(" but no", delay=20)
    expect(status).to_have_text(re.compile(f"^({NOT_SAVED_YET}|Saving…)$"))
    # The answer to the next save takes its time; " budget yet." is typed late enough that it still waits
    # for its own save (800 ms) when the answer for " but no" comes: that answer must not show "Saved".
    page.evaluate("window.saveDelay = 2000")
    expect(status).to_have_text("Saving…")
    page.wait_for_timeout(1300)
    page.keyboard.type(" budget yet.", delay=20)
    expect(status).to_have_text(NOT_SAVED_YET)
    page.evaluate("window.saveDelay = 0")
    expect(status).to_have_text(SAVED)
    assert page.evaluate("document.activeElement.id") == "comment-D11-1"  # never left the field
    shot(page, "vote-sheet-autosaved")

    log = status_log(page)
    assert [value for text, value, _ in log if SAVED.match(text)] == [
        "We have the plan",
        "We have the plan but no budget yet.",
    ]
    # Typing after a save turned "Saved" into "Not saved yet" at once, with the first new key.
    first_saved = next(i for i, (text, _, _) in enumerate(log) if SAVED.match(text))
    assert log[first_saved + 1][:2] == [NOT_SAVED_YET, "We have the plan "]

    page.reload()
    expect(page.locator("#comment-D11-1")).to_have_value("We have the plan but no budget yet.")
    assert dialogs == []  # everything was saved: leaving did not ask
    assert Vote.objects.get(member=cast.member, item__code="D11-1").comment == (
        "We have the plan but no budget yet."
    )


def test_a_comment_needs_an_answer_first_and_leaving_before_that_asks(cast, assessment, page):
    vote_sheet(page, assessment, "vote-sheet-needs-answer")
    page.locator("#comment-D11-2").fill("Nobody owns this.")
    status = page.locator("#status-D11-2")
    expect(status).to_have_text("Not saved yet: choose an answer, and the comment is saved with it.")
    page.locator("label[for=answer-D11-2-0]").click()
    expect(status).to_have_text(SAVED)
    vote = Vote.objects.get(member=cast.member, item__code="D11-2")
    assert (vote.answer, vote.comment) == ("0", "Nobody owns this.")


def test_a_score_chosen_in_meeting_mode_is_saved_before_the_arrow_keys_move_on(cast, revealed, page):
    meeting(page, revealed, "D11-1", "meeting-autosave")
    page.get_by_text("Partially in place (1)").click()
    expect(page.locator("#id_D11-1-score_1")).to_be_focused()  # → on a chosen score moves, not changes it
    page.keyboard.press("ArrowRight")  # at once: the save is still under way
    expect(page).to_have_url(re.compile(r"/meeting/D11-2/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement D11-2.")
    expect(page.get_by_text("item 2 of 4 · 1 answered")).to_be_visible()
    assert Response.objects.get(assessment=revealed, item__code="D11-1").score == 1

    page.get_by_text("Not in place (0)").click()
    page.keyboard.press("ArrowUp")  # ↑ and ↓ change the score
    expect(page.locator(".response-form input:checked")).to_have_value("1")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/meeting/D11-1/$"))
    expect(page.locator(".response-form input:checked")).to_have_value("1")
    assert Response.objects.get(assessment=revealed, item__code="D11-2").score == 1


def test_save_and_go_to_next_waits_for_the_autosave_and_builds_on_its_revision(cast, revealed, page):
    meeting(page, revealed, "D11-1", "meeting-save-and-next")
    conflicts: list[int] = []
    page.on("response", lambda r: conflicts.append(r.status) if r.status == 409 else None)
    page.get_by_text("In place (2)", exact=True).click()
    page.get_by_label("Evidence notes").fill("The plan is signed.")  # typed, not yet due for saving
    page.get_by_role("button", name="Save and go to next").click()  # while the score is being saved
    expect(page).to_have_url(re.compile(r"/meeting/D11-2/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement D11-2.")
    answer = Response.objects.get(assessment=revealed, item__code="D11-1")
    # Two saves, the second on the revision the first returned: no conflict with oneself.
    assert (answer.score, answer.evidence, answer.revision) == (2, "The plan is signed.", 2)
    assert conflicts == []


def test_meeting_mode_autosaves_typing_with_the_fresh_revision_and_keeps_what_is_typed_during_a_save(
    cast, revealed, page
):
    """Each save replaces meeting mode's form with the server's copy (it carries the next revision); what
    is typed while a save is under way stays in the field, with the focus and the caret."""
    meeting(page, revealed, "D11-1", "meeting-typing")
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if "/responses/" in r.url else None)
    watch_status(page, "article.meeting-item", "#id_D11-1-evidence", "D11-1-evidence")
    status = page.locator(".response-form .save-state")
    page.evaluate("window.saveDelay = 1500")
    page.get_by_text("Partially in place (1)").click()
    expect(status).to_have_text("Saving…")
    evidence = page.get_by_label("Evidence notes")
    evidence.click()
    page.keyboard.type("Two of five", delay=10)  # while the score is being saved
    expect(status).to_have_text(NOT_SAVED_YET)
    page.evaluate("window.saveDelay = 0")
    page.keyboard.type(" staff trained.", delay=10)  # the form is swapped meanwhile: typing goes on
    expect(status).to_have_text(SAVED)
    expect(evidence).to_have_value("Two of five staff trained.")
    expect(evidence).to_be_focused()
    page.keyboard.type(" The plan is written.", delay=10)
    expect(status).to_have_text(re.compile(f"^({NOT_SAVED_YET}|Saving…)$"))
    expect(status).to_have_text(SAVED)
    shot(page, "meeting-autosaved")
    status_log(page)
    answer = Response.objects.get(assessment=revealed, item__code="D11-1")
    assert answer.score == 1 and answer.evidence == "Two of five staff trained. The plan is written."
    assert set(statuses) == {200} and answer.revision == len(statuses)  # each save on the one before


def test_a_failed_save_is_retried_once_then_says_so_keeps_the_entry_and_leaving_asks(cast, assessment, page):
    vote_sheet(page, assessment, "vote-sheet-failed-save")
    attempts: list[str] = []

    def unreachable(route):
        attempts.append(route.request.url)
        route.abort("connectionrefused")

    page.route("**/vote/D11-2/", unreachable)
    page.locator("label[for=answer-D11-2-2]").click()
    page.locator("#comment-D11-2").fill("Written down last week.")
    page.locator("#comment-D11-2").blur()
    status = page.locator("#status-D11-2")
    expect(status).to_have_text(re.compile(r"^Not saved: the server could not be reached \(tried twice\)\."))
    expect(status).to_have_class(re.compile(r"\btext-danger\b"))
    expect(page.locator("#answer-D11-2-2")).to_be_checked()
    expect(page.locator("#comment-D11-2")).to_have_value("Written down last week.")
    assert len(attempts) % 2 == 0 and 2 <= len(attempts) <= 4  # each save tried twice, never more
    shot(page, "vote-sheet-not-saved")
    visit(page, "vote-sheet-not-saved", screenshot=False)  # the message, checked for contrast too

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Home").click()  # leaving
    expect(page.locator("#comment-D11-2")).to_have_value(
        "Written down last week."
    )  # the browser asked; we stayed
    assert dialogs == ["beforeunload"]
    assert not Vote.objects.filter(item__code="D11-2").exists()

    page.unroute("**/vote/D11-2/")
    page.locator("#comment-D11-2").press("End")
    page.keyboard.type(" Signed.")  # a change tries again
    expect(status).to_have_text(SAVED)
    vote = Vote.objects.get(member=cast.member, item__code="D11-2")
    assert (vote.answer, vote.comment) == ("2", "Written down last week. Signed.")


def test_a_server_error_is_retried_once_then_named(cast, assessment, page):
    vote_sheet(page, assessment, "vote-sheet-server-error")
    attempts: list[str] = []

    def failing(route):
        attempts.append(route.request.url)
        route.fulfill(status=500, body="Server Error")

    page.route("**/vote/D11-2/", failing)
    page.locator("label[for=answer-D11-2-1]").click()
    status = page.locator("#status-D11-2")
    expect(status).to_have_text(re.compile(r"^Not saved: the server failed \(error 500, tried twice\)\."))
    assert len(attempts) == 2
    expect(page.locator("#answer-D11-2-1")).to_be_checked()


def test_meeting_mode_stays_on_the_item_when_its_score_cannot_be_saved(cast, revealed, page):
    meeting(page, revealed, "D11-1", "meeting-failed-save")
    page.route("**/responses/D11-1/", lambda route: route.abort("connectionrefused"))
    page.get_by_text("Partially in place (1)").click()
    page.keyboard.press("ArrowRight")
    status = page.locator(".response-form .save-state")
    expect(status).to_have_text(re.compile(r"^Not saved: the server could not be reached"))
    expect(page).to_have_url(re.compile(r"/meeting/D11-1/$"))
    expect(page.locator(".response-form input:checked")).to_have_value("1")
    shot(page, "meeting-not-saved")
    visit(page, "meeting-not-saved", screenshot=False)

    page.get_by_role("button", name="Save and go to next").click()  # tries again, fails again: stays
    expect(status).to_have_text(re.compile(r"^Not saved: the server could not be reached"))
    expect(page).to_have_url(re.compile(r"/meeting/D11-1/$"))
    assert not Response.objects.exists()

    page.unroute("**/responses/D11-1/")
    page.get_by_role("button", name="Save and go to next").click()
    expect(page).to_have_url(re.compile(r"/meeting/D11-2/$"))
    assert Response.objects.get(item__code="D11-1").score == 1


def test_a_signed_out_save_says_so_with_a_sign_in_link_and_saves_after_signing_in_again(
    cast, assessment, page
):
    vote_sheet(page, assessment, "vote-sheet-signed-out")
    Session.objects.all().delete()  # the session expires while the page is open
    page.locator("#comment-D11-1").fill("Checked with the director.")
    page.locator("#comment-D11-1").blur()
    status = page.locator("#status-D11-1")
    expect(status).to_contain_text("Signed out: not saved.")
    link = status.get_by_role("link", name="Sign in again")
    href = link.get_attribute("href")
    assert href.startswith("/login/?next=")
    assert parse_qs(href.split("?", 1)[1])["next"] == [f"/assessments/{assessment.pk}/vote/"]
    expect(page.locator("#comment-D11-1")).to_have_value("Checked with the director.")
    assert Vote.objects.get(item__code="D11-1").comment == ""
    visit(page, "vote-sheet-signed-out-message")

    with page.context.expect_page() as opened:
        link.click()  # a new tab: the entry stays on this one
    sign_in = opened.value
    sign_in.get_by_label("Username").fill("marco")
    sign_in.get_by_label("Password").fill("pw")
    sign_in.get_by_role("button", name="Sign in").click()
    expect(sign_in).to_have_url(re.compile(f"/assessments/{assessment.pk}/vote/$"))
    sign_in.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")  # back on this tab
    expect(status).to_have_text(SAVED)
    assert Vote.objects.get(item__code="D11-1").comment == "Checked with the director."


def test_a_conflicting_autosave_keeps_the_entry_and_only_the_save_button_replaces_the_other_answer(
    cast, revealed, page
):
    login(page, "fatima")
    page.goto(f"/assessments/{revealed.pk}/consensus/")
    visit(page, "consensus-autosave", screenshot=False)
    item = page.locator("#item-D11-1")
    status = item.locator(".save-state")
    item.get_by_text("Partially in place (1)").click()
    expect(status).to_have_text(SAVED)
    item.get_by_label("Evidence notes").click()
    page.keyboard.type("Two trained.", delay=10)
    expect(status).to_have_text(SAVED)  # typed evidence saves without leaving the field
    assert Response.objects.get(item__code="D11-1").evidence == "Two trained."

    # Meanwhile Mei records another answer (from another screen).
    services.response_record(
        assessment=revealed, recorded_by=cast.member2, item_code="D11-1", score=2, revision=2
    )
    page.keyboard.type(" And a plan.", delay=10)
    expect(status).to_contain_text("Mei Chen saved this answer meanwhile (now: In place)")
    expect(item.get_by_label("Evidence notes")).to_have_value("Two trained. And a plan.")
    expect(item.locator("input:checked")).to_have_value("1")
    page.keyboard.type(" Signed.", delay=10)  # more typing does not overwrite Mei's answer by itself,
    page.keyboard.press("Tab")  # nor does leaving the field
    page.wait_for_timeout(1500)
    expect(status).to_contain_text("Mei Chen saved this answer meanwhile")
    assert Response.objects.get(item__code="D11-1").recorded_by == cast.member2
    visit(page, "consensus-autosave-conflict")

    item.get_by_role("button", name="Save").click()  # a choice: replace Mei's answer
    expect(status).to_have_text(SAVED)
    answer = Response.objects.get(item__code="D11-1")
    assert (answer.score, answer.evidence, answer.recorded_by) == (
        1,
        "Two trained. And a plan. Signed.",
        cast.facilitator,
    )
