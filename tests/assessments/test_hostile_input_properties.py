"""Random payloads against every form that writes what a team records: votes (autosave and the whole sheet),
consensus answers, actions (new, edit, status, progress notes), comments, targets and invitations, each
posted by someone allowed to. Whatever is posted (NUL and control characters, any unicode, huge values,
numbers out of range, missing or unknown fields, several values for one field), the answer is never a 5xx;
a 4xx changes nothing; anything else either changes nothing or leaves rows that are valid (they pass the
model's validation and constraints, and hold no NUL character). Run on PostgreSQL too: that is where a NUL
used to give 500s."""

from datetime import date
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessments import services
from assessments.actions.models import ActionItem, Comment
from assessments.models import Invitation
from assessments.services.invitations import invitation_token
from drivers import scale
from tests.assessments.test_url_needs import PEOPLE, every_url, expected, url_for
from tests.database_state import changed_tables, database_state, undone
from tests.factories import make_completed_assessment

pytestmark = pytest.mark.django_db

# Each example runs undone (a savepoint rolled back after it), so the fixtures, built once per test rather
# than per example, give every example the same database: the reuse the health check warns about is safe.
EXAMPLES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

hostile = st.one_of(
    st.text(),  # any unicode, NUL and control characters included
    st.text(st.characters(max_codepoint=0x1F)),  # control characters only
    st.sampled_from(["a\x00b", "\x00", "", " ", "\u202e", "\ufeff", "😀" * 40, "<script>", "=1+1"]),
    st.integers(-(10**30), 10**30).map(str),  # numbers out of every range
    st.sampled_from(["-1", "3", "1.5", "nan", "inf", "1e309", "2026-02-30", "0000-00-00", "9999-12-31"]),
    # Over every field's length, and over the size of a request Django reads.
    st.sampled_from([1_001, 20_001, 100_000, 3_000_000]).map(lambda n: "x" * n),
)


def form(valid, **fields):
    """A posted form, as a browser sends it (URL-encoded): either a valid one with one field changed (left
    out, or given a likely, hostile or several values), so that writes happen and what they store is
    checked; or anything: each named field missing or with any of those values, unknown fields besides."""

    def value(likely):
        one = st.one_of(likely, hostile)
        return st.one_of(one, st.lists(one, min_size=2, max_size=3))

    def changed(key, new):
        payload = {k: v for k, v in valid.items() if k != key}
        return payload if new is None else {**payload, key: new}

    one_change = st.one_of(
        *(st.builds(changed, st.just(key), st.none() | value(likely)) for key, likely in fields.items())
    )
    anything = st.builds(
        lambda extra, named: {**extra, **named},
        st.dictionaries(st.text(max_size=30), hostile, max_size=2),
        st.fixed_dictionaries({}, optional={key: value(likely) for key, likely in fields.items()}),
    )
    return st.one_of(one_change, anything)


def codes(version):
    return list(version.best_practices.order_by("code").values_list("code", flat=True))


texts = st.text(max_size=80)
dates = st.dates(date(2000, 1, 1), date(2100, 1, 1)).map(date.isoformat)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# Signed in once per test: each example gives the client its cookies back (`undone`).
@pytest.fixture
def member(cast):
    return signed_in(cast.member)


@pytest.fixture
def facilitator(cast):
    return signed_in(cast.facilitator)


@pytest.fixture
def coach(cast):
    return signed_in(cast.coach)


def post(client, url, payload, *, htmx=False):
    """Posts the payload and checks the properties; the database is as before afterwards."""
    before = database_state()
    with undone(client):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        body = urlencode(payload, doseq=True)
        response = client.post(url, body, content_type="application/x-www-form-urlencoded", **headers)
        after = database_state()
        assert response.status_code < 500
        if response.status_code >= 400:
            assert after == before, (response.status_code, changed_tables(before, after))
        assert_valid(before, after)
    # How often each outcome came up (pytest --hypothesis-show-statistics): the payloads must reach writes.
    event(f"{response.status_code}, {'written' if after != before else 'nothing written'}")
    return response


MODELS = {model._meta.db_table: model for model in apps.get_models()}


def assert_valid(before, after):
    """Whatever was written holds no NUL and passes its model's validation and constraints (so a vote's
    answer is one of the scale's, a consensus answer's score and N/A agree, a target is a percent, ...)."""
    for table in changed_tables(before, after):
        assert not any("\x00" in v for row in after[table] for v in row if isinstance(v, str)), table
        model = MODELS.get(table)
        if model is not None and not model.__name__.startswith("Historical"):
            for row in model._default_manager.all():
                row.full_clean()


# Votes -------------------------------------------------------------------------------------------------


def vote_fields(code):
    return {f"answer-{code}": st.sampled_from(scale.VOTES), f"comment-{code}": texts}


@EXAMPLES
@given(data=st.data(), htmx=st.booleans())
def test_a_vote_autosave_of_anything(cast, member, open_assessment, data, htmx):
    code = codes(cast.version)[0]
    valid = {f"answer-{code}": "2", f"comment-{code}": "We do this every week."}
    payload = data.draw(form(valid, **vote_fields(code)), "payload")
    url = reverse("assessments:vote_item", args=[open_assessment.pk, code])
    post(member, url, payload, htmx=htmx)


@EXAMPLES
@given(data=st.data())
def test_a_vote_sheet_of_anything(cast, member, open_assessment, data):
    sheet = codes(cast.version)[:3]
    valid = {f"answer-{code}": "1" for code in sheet}
    fields = {}
    for code in [*sheet, "ZZ-9"]:  # and an item the assessment does not have
        fields |= vote_fields(code)
    payload = data.draw(form(valid, **fields), "payload")
    post(member, reverse("assessments:vote", args=[open_assessment.pk]), payload)


# Consensus ---------------------------------------------------------------------------------------------


@pytest.fixture
def revealed(cast, open_assessment):
    return services.assessment_reveal_votes(assessment=open_assessment, revealed_by=cast.facilitator)


@EXAMPLES
@given(data=st.data(), htmx=st.booleans())
def test_a_consensus_answer_of_anything(cast, facilitator, revealed, data, htmx):
    all_codes = codes(cast.version)
    code = all_codes[0]
    valid = {f"{code}-score": "2", f"{code}-revision": "0", "from": "meeting", "next_code": all_codes[1]}
    fields = {
        f"{code}-score": st.sampled_from([value for value, _label in scale.CONSENSUS_CHOICES]),
        f"{code}-na_reason": texts,
        f"{code}-evidence": texts,
        f"{code}-revision": st.integers(0, 3).map(str),
        "from": st.just("meeting"),
        "next_code": st.sampled_from(all_codes),
    }
    payload = data.draw(form(valid, **fields), "payload")
    url = reverse("assessments:response_save", args=[revealed.pk, code])
    post(facilitator, url, payload, htmx=htmx)


# Actions -----------------------------------------------------------------------------------------------


@pytest.fixture
def completed(cast):
    return make_completed_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, held_on=date(2025, 9, 1)
    )


@pytest.fixture
def action(cast, completed):
    return ActionItem.objects.create(
        team=cast.team,
        assessment=completed,
        driver=cast.version.drivers.order_by("code").first(),
        title="Write the coaching plan",
        owner=cast.member,
        due_on=date(2026, 1, 31),
        created_by=cast.member,
    )


def first_driver(cast):
    return cast.version.drivers.order_by("code").first()


def action_payload(cast):
    """A valid action of the first driver, and the likely values of its fields."""
    driver_items = list(first_driver(cast).best_practices.order_by("code").values_list("code", flat=True))
    valid = {
        "title": "Train the new coaches",
        "items": driver_items[:1],
        "owner": str(cast.member.pk),
        "due_on": "2026-01-31",
        "details": "Two sessions.",
    }
    fields = {
        "title": texts,
        "items": st.lists(st.sampled_from(codes(cast.version)), max_size=3),
        "owner": st.sampled_from([cast.member.pk, cast.outsider.pk, cast.coach.pk]).map(str),
        "owner_name": texts,
        "due_on": dates,
        "details": texts,
    }
    return valid, fields


@EXAMPLES
@given(data=st.data())
def test_a_new_action_of_anything(cast, member, completed, data):
    valid, fields = action_payload(cast)
    valid |= {"assessment": str(completed.pk), "driver": first_driver(cast).code}
    fields |= {
        "assessment": st.just(str(completed.pk)),
        "driver": st.just(first_driver(cast).code),
        "item": st.sampled_from(codes(cast.version)),
    }
    payload = data.draw(form(valid, **fields), "payload")
    post(member, reverse("assessments:action_new", args=[cast.team.pk]), payload)


@EXAMPLES
@given(data=st.data())
def test_an_action_edited_to_anything(cast, member, action, data):
    valid, fields = action_payload(cast)
    payload = data.draw(form(valid, **fields), "payload")
    url = reverse("assessments:action_detail", args=[cast.team.pk, action.pk])
    post(member, url, payload)


@EXAMPLES
@given(data=st.data())
def test_an_action_status_of_anything(cast, member, action, data):
    fields = {"status": st.sampled_from(ActionItem.Status.values), "dropped_reason": texts}
    payload = data.draw(form({"status": "dropped", "dropped_reason": "No budget."}, **fields), "payload")
    url = reverse("assessments:action_status", args=[cast.team.pk, action.pk])
    post(member, url, payload)


@EXAMPLES
@given(data=st.data())
def test_a_progress_note_of_anything(cast, member, action, data):
    valid = {"text": "The first session took place.", "written_on": "2025-10-01"}
    payload = data.draw(form(valid, text=texts, written_on=dates), "payload")
    url = reverse("assessments:progress_note_add", args=[cast.team.pk, action.pk])
    post(member, url, payload)


# Comments ----------------------------------------------------------------------------------------------

a_comment = {"body": "Good evidence for the coaching plan."}
comment_fields = {"body": texts, "next": st.sampled_from(["/", "//evil.example/", "/teams/1/#x", "0"])}


@EXAMPLES
@given(data=st.data())
def test_a_comment_on_an_assessment_of_anything(cast, coach, completed, data):
    fields = {"item": st.sampled_from(codes(cast.version)), **comment_fields}
    payload = data.draw(form(a_comment, **fields), "payload")
    url = reverse("assessments:assessment_comment", args=[completed.pk])
    post(coach, url, payload)


@EXAMPLES
@given(data=st.data())
def test_a_comment_on_an_action_of_anything(cast, coach, action, data):
    payload = data.draw(form(a_comment, **comment_fields), "payload")
    url = reverse("assessments:action_comment", args=[cast.team.pk, action.pk])
    post(coach, url, payload)


@pytest.fixture
def comment(cast, completed):
    return Comment.objects.create(team=cast.team, assessment=completed, author=cast.coach, body="How?")


@EXAMPLES
@given(data=st.data())
def test_a_reply_of_anything(cast, member, comment, data):
    payload = data.draw(form(a_comment, **comment_fields), "payload")
    url = reverse("assessments:comment_reply", args=[cast.team.pk, comment.pk])
    post(member, url, payload)


@EXAMPLES
@given(data=st.data())
def test_a_comment_edited_to_anything(cast, coach, comment, data):
    payload = data.draw(form(a_comment, **comment_fields), "payload")
    url = reverse("assessments:comment_edit", args=[cast.team.pk, comment.pk])
    post(coach, url, payload)


# Targets -----------------------------------------------------------------------------------------------


@EXAMPLES
@given(data=st.data())
def test_targets_of_anything(cast, member, completed, data):
    fields = {
        f"target-{key}": st.integers(-5, 105).map(str)
        for key in cast.version.drivers.order_by("code").values_list("lineage_key", flat=True)
    }
    payload = data.draw(form(dict.fromkeys(fields, "80"), **fields), "payload")
    post(member, reverse("assessments:targets", args=[completed.pk]), payload)


# Invitations -------------------------------------------------------------------------------------------

emails = st.one_of(st.emails(), st.sampled_from(["new@example.org", "mark@example.org", "a@b"]))
roles = st.sampled_from(Invitation.Role.values)


@EXAMPLES
@given(data=st.data())
def test_an_invitation_of_anything(cast, facilitator, data):
    """One person, or a pasted list."""
    line = st.builds(lambda e, r, sep: f"{e}{sep}{r}", emails, roles, st.sampled_from([" ", ",", "\t", ";"]))
    one = {"one-email": emails, "one-role": roles}
    many = {"send": st.just("list"), "list-text": st.lists(line, max_size=4).map("\n".join)}
    payload = data.draw(
        form({"one-email": "lee@example.org", "one-role": "coach"}, **one, **many)
        | form({"send": "list", "list-text": "lee@example.org coach\nkim@example.org"}, **one, **many),
        "payload",
    )
    post(facilitator, reverse("assessments:invitations", args=[cast.team.pk]), payload)


@pytest.fixture
def invitation(cast):
    return services.invitation_send(
        team=cast.team, invited_by=cast.facilitator, email="new@example.org", role="member"
    )


@EXAMPLES
@given(data=st.data())
def test_an_invitation_resent_or_withdrawn_by_anything(cast, facilitator, invitation, data):
    payload = data.draw(
        form({"action": "withdraw"}, action=st.sampled_from(["resend", "withdraw"])), "payload"
    )
    url = reverse("assessments:invitation_update", args=[cast.team.pk, invitation.pk])
    post(facilitator, url, payload)


@EXAMPLES
@given(data=st.data())
def test_an_invitation_accepted_with_anything(cast, invitation, data):
    """By someone without an account, who makes one."""
    password = st.sampled_from(["correct horse battery", "pw", "12345678"])
    fields = {"first_name": texts, "last_name": texts, "password": password, "password_again": password}
    valid = {
        "first_name": "Nia",
        "last_name": "Lee",
        "password": "correct horse battery",
        "password_again": "correct horse battery",
    }
    payload = data.draw(form(valid, **fields), "payload")
    url = reverse("assessments:invitation_accept", args=[invitation_token(invitation)])
    post(Client(), url, payload)


# Codes in the address ----------------------------------------------------------------------------------


@EXAMPLES
@given(segment=st.one_of(hostile.filter(lambda s: len(s) < 5_000), st.sampled_from(["..", ".", "D11-1"])))
def test_any_code_in_the_address_is_never_a_server_error(revealed, facilitator, member, segment):
    """The item and driver codes of the addresses, whatever they are: 404 for what is not a code of the
    assessment, and nothing written."""
    code = quote(segment, safe="")
    base = f"/assessments/{revealed.pk}"
    for client, path in [
        (facilitator, f"{base}/results/{code}/"),
        (facilitator, f"{base}/meeting/{code}/"),
        (facilitator, f"{base}/responses/{code}/"),
        (member, f"{base}/vote/{code}/"),
    ]:
        assert client.get(path).status_code < 500
        post(client, path, {f"answer-{segment}": "2", f"{segment}-score": "2", f"{segment}-revision": "0"})


# Query strings -----------------------------------------------------------------------------------------

# Every page someone may open, with the first of the matrix's people who gets it.
PAGES = {
    name: next(who for who in PEOPLE if expected(name)["GET"][who] == "200")
    for name in every_url()
    if "200" in expected(name)["GET"].values()
}
# What the pages read from their query string, and what they might be given besides.
QUERY_KEYS = ["item", "next", "order", "to", "organization", "status", "owner", "assessment", "driver", "x"]


@EXAMPLES
@given(data=st.data())
def test_any_query_string_on_any_page_is_never_a_server_error(cast, open_assessment, data):
    name = data.draw(st.sampled_from(sorted(PAGES)), "page")
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_KEYS), hostile, max_size=3), "query")
    client = Client()
    if PAGES[name] != "anonymous":
        client.force_login(cast.admin if PAGES[name] == "staff" else getattr(cast, PAGES[name]))
    with undone(client):  # the objects the address names are made for it, then undone
        url = url_for(name, cast, open_assessment)
        before = database_state()
        assert client.get(f"{url}?{urlencode(query)}").status_code < 500
        assert database_state() == before
