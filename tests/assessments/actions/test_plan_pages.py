"""The action plan's pages through the real stack: the plan grouped by driver with its filters and empty
state, a new action from a link (pre-filled) with a clear message beside each bad field, an action's page
with its edit, status and progress notes, "Plan an action" on the results, driver and report pages, the
team page's summary, and the printed report's plan."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.actions.models import ActionItem, ProgressNote
from drivers.services import version_publish
from tests.assessments.actions.plan_data import completed, make_action
from tests.factories import make_completed_assessment, make_version

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=3)
FUTURE = TODAY + datetime.timedelta(days=30)


def plan_url(cast, **query):
    url = reverse("assessments:action_plan", args=[cast.team.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def new_url(cast, **query):
    url = reverse("assessments:action_new", args=[cast.team.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def detail_url(cast, action):
    return reverse("assessments:action_detail", args=[cast.team.pk, action.pk])


def text(response) -> str:
    """The page's main text, tags removed and blanks folded."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def titles(response) -> list[str]:
    return re.findall(r'class="h6 mb-1 action-title"><a [^>]+>([^<]+)</a>', response.content.decode())


# The plan page


def test_the_plan_groups_actions_by_driver_in_framework_order_and_marks_the_overdue(client, cast):
    assessment = completed(cast)
    make_action(assessment, driver_code="D21", codes=(), title="Data review routine", due_on=FUTURE)
    make_action(assessment, title="Write the coaching plan", due_on=PAST, owner=cast.member)
    make_action(assessment, title="Train the coaches", status="done", due_on=PAST, done_on=PAST)
    make_action(assessment, title="Observe sessions", due_on=FUTURE)
    client.force_login(cast.member)
    response = client.get(plan_url(cast))
    assert response.status_code == 200
    page = text(response)
    assert page.index("Driver 1.1") < page.index("Driver 2.1")
    # Open first, soonest due first; done last.
    assert titles(response) == [
        "Write the coaching plan",
        "Observe sessions",
        "Train the coaches",
        "Data review routine",
    ]
    html = response.content.decode()
    overdue = html[html.index("Write the coaching plan") : html.index("Observe sessions")]
    assert html.count('action-overdue">') == 1 and 'action-overdue">' in overdue
    assert "the driver as a whole" in page and "Owner Mark" in page and "Owner Jo Park" in page


def test_the_plan_filters_by_status_and_owner(client, cast):
    assessment = completed(cast)
    make_action(assessment, title="Write the coaching plan", due_on=PAST, owner=cast.member)
    make_action(assessment, title="Train the coaches", status="done", owner=cast.member2)
    make_action(assessment, title="Observe sessions", status="in_progress", due_on=FUTURE)
    make_action(assessment, title="Buy a projector", status="dropped", dropped_reason="No budget.")
    client.force_login(cast.member)
    assert titles(client.get(plan_url(cast, status="open"))) == [
        "Write the coaching plan",
        "Observe sessions",
    ]
    assert titles(client.get(plan_url(cast, status="overdue"))) == ["Write the coaching plan"]
    assert titles(client.get(plan_url(cast, status="dropped"))) == ["Buy a projector"]
    assert titles(client.get(plan_url(cast, owner=f"user-{cast.member2.pk}"))) == ["Train the coaches"]
    assert titles(client.get(plan_url(cast, owner="name-Jo%20Park", status="in_progress"))) == [
        "Observe sessions"
    ]
    filtered = client.get(plan_url(cast, status="done"))
    assert "1 of 4 actions shown." in text(filtered)
    # "My actions" is the member's own owner value; an unknown status shows everything.
    assert f'href="?owner=user-{cast.member.pk}"' in client.get(plan_url(cast)).content.decode()
    assert len(titles(client.get(plan_url(cast, status="finished")))) == 4
    nobody = client.get(plan_url(cast, owner="user-99999"))
    assert titles(nobody) == [] and "No action matches these filters." in text(nobody)


def test_actions_of_an_older_version_join_their_driver_under_the_newest_name(client, cast):
    first = completed(cast, held_on=datetime.date(2025, 9, 1))
    draft = make_version(publish=False)
    renamed = draft.drivers.get(code="D11")
    renamed.name = "Coaching"
    renamed.save()
    newer = version_publish(version=draft)
    second = completed(cast, version=newer)
    make_action(first, title="From the first", due_on=FUTURE)
    make_action(second, title="From the second", due_on=FUTURE)
    make_action(second, driver_code="D12", codes=(), title="Another driver", due_on=FUTURE)
    client.force_login(cast.member)
    response = client.get(plan_url(cast))
    groups = re.findall(
        r'<h2 class="h5 border-bottom pb-1" id="driver-\d+">([^<]+)</h2>', response.content.decode()
    )
    assert groups == ["Coaching", "Driver 1.2"]
    assert titles(response) == ["From the first", "From the second", "Another driver"]


def test_the_empty_plan_says_what_to_do(client, cast):
    assessment = completed(cast)
    client.force_login(cast.facilitator)
    page = text(client.get(plan_url(cast)))
    assert "No action yet" in page
    assert "Open the results of the assessment of 1 Mar 2026" in page
    assert "Choose “Plan an action” beside a best practice that is not fully in place." in page
    assert reverse("assessments:results", args=[assessment.pk]) in client.get(plan_url(cast)).content.decode()
    client.force_login(cast.coach)
    coach_page = client.get(plan_url(cast))
    assert "The team's facilitators and members write the plan" in text(coach_page)
    assert "New action" not in text(coach_page)


def test_a_team_without_results_is_told_its_first_assessment_comes_first(client, cast):
    client.force_login(cast.facilitator)
    assert "the team has none yet" in text(client.get(plan_url(cast)))


def test_coaches_read_the_plan_without_its_controls(client, cast):
    make_action(completed(cast), due_on=FUTURE)
    client.force_login(cast.coach)
    response = client.get(plan_url(cast))
    assert "Write the coaching plan" in text(response)
    assert reverse("assessments:action_new", args=[cast.team.pk]) not in response.content.decode()
    assert "Download CSV" in text(response)


# A new action


def test_a_link_from_an_item_fills_in_the_form(client, cast):
    assessment = completed(cast)
    client.force_login(cast.facilitator)
    response = client.get(new_url(cast, assessment=assessment.pk, item="D11-2"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "On Driver 1.1 , after the assessment of 1 Mar 2026" in text(response)
    assert re.search(r'value="D11-2"\s+id="id_items_1" checked', html)
    assert re.findall(r'name="items" value="([^"]+)"', html) == ["D11-1", "D11-2", "D11-3"]
    assert f'<option value="{cast.member.pk}">Mark</option>' in html
    assert f'value="{cast.coach.pk}"' not in html and f'value="{cast.outsider.pk}"' not in html


def test_a_link_from_a_driver_ticks_nothing(client, cast):
    assessment = completed(cast)
    client.force_login(cast.member)
    html = client.get(new_url(cast, assessment=assessment.pk, driver="D21")).content.decode()
    assert re.findall(r'name="items" value="([^"]+)"', html) == ["D21-1", "D21-2", "D21-3"]
    assert " checked" not in html


def test_without_a_link_the_page_lists_where_an_action_starts(client, cast, open_assessment):
    assessment = completed(cast, held_on=datetime.date(2025, 9, 1))
    client.force_login(cast.member)
    response = client.get(new_url(cast))
    assert "After the assessment of 1 Sep 2025" in text(response)
    assert f"?assessment={assessment.pk}&amp;driver=D11" in response.content.decode()
    assert f"?assessment={open_assessment.pk}" not in response.content.decode()  # no results yet


@pytest.mark.parametrize(
    "query",
    [
        {"item": "D11-2"},  # the open assessment has no results
        {"item": "ZZ-9"},
        {"driver": "ZZ"},
        {"assessment": "abc", "item": "D11-2"},
    ],
)
def test_a_link_that_names_nothing_plannable_says_so(client, cast, open_assessment, query):
    client.force_login(cast.member)
    query.setdefault("assessment", open_assessment.pk if query.get("item") == "D11-2" else completed(cast).pk)
    response = client.get(new_url(cast, **query))
    assert response.status_code == 200
    assert "The link does not name an assessment of this team with results" in text(response)


def test_a_link_to_another_team_s_assessment_plans_nothing_there(client, cast):
    theirs = make_completed_assessment(team=cast.other_team, version=cast.version, by=cast.outsider)
    client.force_login(cast.facilitator)
    response = client.get(new_url(cast, assessment=theirs.pk, item="D11-2"))
    assert "The link does not name an assessment" in text(response)
    posted = client.post(new_url(cast), new_action(theirs, cast))
    assert posted.status_code == 400 and not ActionItem.objects.exists()


def new_action(assessment, cast, **overrides):
    return {
        "assessment": assessment.pk,
        "driver": "D11",
        "title": "Write the coaching plan",
        "items": ["D11-2"],
        "owner": cast.member.pk,
        "owner_name": "",
        "due_on": "2026-06-30",
        "details": "",
    } | overrides


def test_a_new_action_lands_on_the_plan_and_tells_its_owner(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = completed(cast)
    client.force_login(cast.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new_url(cast), new_action(assessment, cast, items=["D11-2", "D11-3"]))
    action = ActionItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{plan_url(cast)}#action-{action.pk}"
    assert sorted(action.items.values_list("code", flat=True)) == ["D11-2", "D11-3"]
    assert action.owner == cast.member and action.due_on == datetime.date(2026, 6, 30)
    assert [m.to for m in mailoutbox] == [["mark@example.org"]]
    assert "The action is in the plan." in text(client.get(response["Location"]))


def assert_refused_beside(response, field: str, message: str):
    """The form comes back with `message` beside `field`, and nothing is written."""
    assert response.status_code == 200
    html = response.content.decode()
    block = html[html.index(f'id="div_id_{field}"') :]
    block = block[: block.index('<div id="div_id_', 10)] if '<div id="div_id_' in block[10:] else block
    assert message in " ".join(re.sub(r"<[^>]+>", " ", block).replace("&#x27;", "'").split()), block
    assert not ActionItem.objects.exists()


def test_an_item_of_another_version_is_refused_beside_the_items(client, cast):
    assessment = completed(cast)
    newer = make_version(publish=False)
    newer_item = newer.best_practices.get(code="D11-1")
    newer_item.code = "D11-9"
    newer_item.save()
    client.force_login(cast.facilitator)
    response = client.post(new_url(cast), new_action(assessment, cast, items=["D11-9"]))
    assert_refused_beside(
        response, "items", "D11-9 is not a best practice of this driver in the assessment's version."
    )


def test_an_item_of_another_driver_is_refused_beside_the_items(client, cast):
    client.force_login(cast.facilitator)
    response = client.post(new_url(cast), new_action(completed(cast), cast, items=["D21-1"]))
    assert_refused_beside(response, "items", "D21-1 is not a best practice of this driver")


@pytest.mark.parametrize("due_on", ["next week", "2026-02-30", "31/12/2026"])
def test_a_due_date_that_is_not_a_date_is_refused_beside_it(client, cast, due_on):
    client.force_login(cast.facilitator)
    response = client.post(new_url(cast), new_action(completed(cast), cast, due_on=due_on))
    assert_refused_beside(response, "due_on", "Enter a date, for example 2026-05-31.")


def test_a_due_date_before_the_assessment_is_refused_beside_it(client, cast):
    client.force_login(cast.facilitator)
    response = client.post(new_url(cast), new_action(completed(cast), cast, due_on="2026-02-28"))
    assert_refused_beside(
        response,
        "due_on",
        "The due date is before the assessment (1 March 2026); give a date on or after it.",
    )


@pytest.mark.parametrize("who", ["outsider", "coach", "orgadmin"])
def test_an_owner_from_outside_the_team_is_refused_beside_the_owner(client, cast, who):
    client.force_login(cast.facilitator)
    response = client.post(new_url(cast), new_action(completed(cast), cast, owner=getattr(cast, who).pk))
    assert_refused_beside(response, "owner", "That person is not a member of this team")


def test_an_owner_is_one_person_named_one_way(client, cast):
    assessment = completed(cast)
    client.force_login(cast.facilitator)
    both = client.post(new_url(cast), new_action(assessment, cast, owner_name="Jo Park"))
    assert_refused_beside(
        both, "owner_name", "Choose a team member or name someone without an account, not both."
    )
    neither = client.post(new_url(cast), new_action(assessment, cast, owner=""))
    assert_refused_beside(
        neither, "owner", "Say who owns the action: a team member, or someone without an account."
    )


def test_a_named_owner_without_an_account_is_kept(client, cast, mailoutbox):
    client.force_login(cast.member)
    client.post(new_url(cast), new_action(completed(cast), cast, owner="", owner_name="Jo Park, data lead"))
    assert ActionItem.objects.get().owner_name == "Jo Park, data lead" and mailoutbox == []


def test_a_service_refusal_shows_beside_the_field_too(client, cast):
    """A member deactivated after the form was drawn is still in no list of owners."""
    assessment = completed(cast)
    cast.member2.is_active = False
    cast.member2.save()
    client.force_login(cast.facilitator)
    response = client.post(new_url(cast), new_action(assessment, cast, owner=cast.member2.pk))
    assert_refused_beside(response, "owner", "That person is not a member of this team")


# An action's page


def test_the_action_page_shows_what_where_who_when_and_its_notes(client, cast):
    action = make_action(completed(cast), owner=cast.member, due_on=PAST, details="With the coaches.")
    ProgressNote.objects.create(action=action, text="Drafted.", written_on=PAST, author=cast.member)
    client.force_login(cast.coach)
    page = text(client.get(detail_url(cast, action)))
    assert "Write the coaching plan" in page and "Overdue" in page
    assert "D11-2 Statement D11-2." in page and "With the coaches." in page
    assert "the assessment of 1 Mar 2026" in page and "Owner Mark" in page
    assert "Drafted." in page


def test_an_action_is_edited_from_its_page(client, cast, mailoutbox, django_capture_on_commit_callbacks):
    action = make_action(completed(cast), owner=cast.member, due_on=FUTURE)
    client.force_login(cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(cast, action),
            new_action(
                action.assessment,
                cast,
                title="Write and share the plan",
                items=["D11-1"],
                owner=cast.member2.pk,
            ),
        )
    assert response.status_code == 302 and response["Location"] == detail_url(cast, action)
    action.refresh_from_db()
    assert action.title == "Write and share the plan" and action.owner == cast.member2
    assert list(action.items.values_list("code", flat=True)) == ["D11-1"]
    assert [m.to for m in mailoutbox] == [["mei@example.org"]]


def test_a_bad_edit_opens_the_form_with_its_message_and_changes_nothing(client, cast):
    action = make_action(completed(cast), owner=cast.member, due_on=FUTURE)
    written = action.history.count()
    client.force_login(cast.member)
    response = client.post(detail_url(cast, action), new_action(action.assessment, cast, due_on="2020-01-01"))
    assert response.status_code == 200
    assert '<details class="card card-body action-edit" open>' in response.content.decode()
    assert "The due date is before the assessment" in text(response)
    action.refresh_from_db()
    assert action.due_on == FUTURE and action.history.count() == written


def test_marking_an_action_done_records_the_day(client, cast):
    action = make_action(completed(cast), owner=cast.member)
    client.force_login(cast.member)
    url = reverse("assessments:action_status", args=[cast.team.pk, action.pk])
    response = client.post(url, {"status": "done"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == TODAY
    assert "The action is now “Done”." in text(client.get(detail_url(cast, action)))


def test_dropping_without_a_reason_is_refused_beside_the_reason(client, cast):
    action = make_action(completed(cast), owner=cast.member)
    written = action.history.count()
    client.force_login(cast.member)
    url = reverse("assessments:action_status", args=[cast.team.pk, action.pk])
    response = client.post(url, {"status": "dropped", "dropped_reason": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    reason = html[html.index('id="div_id_dropped_reason"') :][:800]
    assert "Say why the action is dropped." in reason
    action.refresh_from_db()
    assert action.status == "planned" and action.history.count() == written
    client.post(url, {"status": "dropped", "dropped_reason": "The funding ended."})
    action.refresh_from_db()
    assert action.status == "dropped" and action.dropped_reason == "The funding ended."


def test_a_progress_note_is_added_and_a_bad_one_refused_beside_its_field(client, cast):
    action = make_action(completed(cast), owner=cast.member)
    client.force_login(cast.member)
    url = reverse("assessments:progress_note_add", args=[cast.team.pk, action.pk])
    future = client.post(url, {"text": "Soon.", "written_on": FUTURE.isoformat()})
    assert "A note tells what happened: date it today or earlier." in text(future)
    not_a_date = client.post(url, {"text": "Soon.", "written_on": "yesterday"})
    assert "Enter a date, for example 2026-05-31." in text(not_a_date)
    assert not ProgressNote.objects.exists()
    response = client.post(url, {"text": "Drafted with the coaches.", "written_on": PAST.isoformat()})
    assert response.status_code == 302
    note = ProgressNote.objects.get()
    assert (note.text, note.written_on, note.author) == ("Drafted with the coaches.", PAST, cast.member)


def test_coaches_see_no_edit_controls_on_an_action(client, cast):
    action = make_action(completed(cast), owner=cast.member)
    for who in ("coach", "meeting_coach"):
        client.force_login(getattr(cast, who))
        html = client.get(detail_url(cast, action)).content.decode()
        main = html.split("<main", 1)[1]
        # The only form a coach gets is the one to comment on the action.
        forms = re.findall(r'<form [^>]*action="([^"]+)"', main)
        assert forms == [reverse("assessments:action_comment", args=[cast.team.pk, action.pk])]
        assert "Edit the action" not in html and "Change the status" not in html


# "Plan an action" where the results are read


def plan_buttons(response) -> list[str]:
    return re.findall(r'plan-button" href="[^"]*(?:item|driver)=([^"&]+)"', response.content.decode())


def test_the_results_offer_to_plan_on_every_item_not_fully_in_place(client, cast):
    assessment = completed(
        cast, scores={"D11-1": 2, "D11-2": 0, "D11-3": None, "D12-1": 2, "D12-2": 2, "D12-3": 2}
    )
    client.force_login(cast.facilitator)
    response = client.get(reverse("assessments:results", args=[assessment.pk]))
    # D11-1 is in place and D11-3 does not apply; the rest are partially (1) or not (0) in place.
    assert plan_buttons(response) == ["D11-2", "D21-1", "D21-2", "D21-3", "D22-1", "D22-2", "D22-3"]


def test_the_results_of_a_team_with_everything_in_place_say_there_is_nothing_to_plan(client, cast):
    assessment = completed(cast, scores={i.code: 2 for i in cast.version.best_practices.all()})
    client.force_login(cast.member)
    response = client.get(reverse("assessments:results", args=[assessment.pk]))
    assert plan_buttons(response) == []
    assert "Every item is in place or not applicable" in text(response)


def test_the_driver_page_and_the_report_offer_it_too_and_the_report_hides_it_on_paper(client, cast):
    assessment = completed(cast)
    client.force_login(cast.member)
    driver = client.get(reverse("assessments:driver_detail", args=[assessment.pk, "D11"]))
    assert plan_buttons(driver) == ["D11", "D11-2"]  # the driver as a whole, and its item not in place
    report = client.get(reverse("assessments:report", args=[assessment.pk]))
    assert "D11-2" in plan_buttons(report) and "D11-1" not in plan_buttons(report)
    assert all("d-print-none" in a for a in re.findall(r"<a [^>]*plan-button[^>]*>", report.content.decode()))


@pytest.mark.parametrize("who", ["coach", "meeting_coach", "admin"])
def test_those_who_do_not_plan_get_no_plan_buttons(client, cast, who):
    assessment = completed(cast)
    client.force_login(getattr(cast, who))
    for name, args in [("results", []), ("driver_detail", ["D11"]), ("report", [])]:
        response = client.get(reverse(f"assessments:{name}", args=[assessment.pk, *args]))
        assert plan_buttons(response) == [], name


def test_an_assessment_open_for_votes_offers_no_plan_button(client, cast, open_assessment):
    client.force_login(cast.facilitator)
    assert plan_buttons(client.get(reverse("assessments:report", args=[open_assessment.pk]))) == []


def test_the_report_lists_the_actions_of_that_assessment_only(client, cast):
    first = completed(cast, held_on=datetime.date(2025, 9, 1))
    second = completed(cast)
    make_action(first, title="From the first", owner=cast.member, due_on=datetime.date(2025, 12, 1))
    make_action(second, title="From the second", status="dropped", dropped_reason="No budget.")
    client.force_login(cast.coach)
    page = text(client.get(reverse("assessments:report", args=[first.pk])))
    plan = page[page.index("Action plan The actions planned") :]
    assert "From the first" in plan and "Mark" in plan and "1 Dec 2025" in plan
    assert "From the second" not in plan
    later = text(client.get(reverse("assessments:report", args=[second.pk])))
    assert "Dropped: No budget." in later
    empty = completed(cast, held_on=datetime.date(2026, 9, 1))
    assert "No action has been planned from this assessment yet." in text(
        client.get(reverse("assessments:report", args=[empty.pk]))
    )


def test_the_team_page_sums_up_the_plan(client, cast):
    assessment = completed(cast)
    make_action(assessment, due_on=PAST)
    make_action(assessment, due_on=FUTURE, status="in_progress")
    make_action(assessment, due_on=PAST, status="done")
    client.force_login(cast.coach)
    response = client.get(reverse("assessments:team_detail", args=[cast.team.pk]))
    assert "Action plan 2 open actions, 1 overdue Open the action plan" in text(response)
    assert plan_url(cast) in response.content.decode()


def test_the_team_page_of_a_team_without_actions_says_so(client, cast):
    client.force_login(cast.member)
    assert "No action planned yet." in text(
        client.get(reverse("assessments:team_detail", args=[cast.team.pk]))
    )
