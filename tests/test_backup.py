"""Backup and restore of an organization (implhub/backup.py): an organization exported, the database
emptied, the file imported: every row, every history row, every score and every history page as before.
Files that cannot be restored are refused with a clear message, and nothing is written."""

import datetime
import gzip
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments import services
from assessments.actions.models import ReminderDigest, Seen
from assessments.actions.selectors.comments import seen_key
from assessments.actions.services.comments import comment_add, reply_add
from assessments.actions.services.plan import action_create, action_set_status, progress_note_add
from assessments.actions.services.seen import seen_mark
from assessments.actions.services.targets import targets_set
from assessments.audit import assessment_history
from assessments.models import Assessment, Membership, Organization, OrganizationMembership, Team, Vote
from assessments.reports.queue import Kind
from assessments.scoring import assessment_scores
from drivers.content_file import ContentFileError
from drivers.models import BestPractice, Driver, FrameworkVersion
from drivers.services import version_publish
from implhub import backup
from tests.assessments.upgrade_content import make_second_version
from tests.factories import OrganizationFactory, TeamFactory, UserFactory, add_coach, add_member, make_version

User = get_user_model()
CONTENT = (FrameworkVersion, Driver, BestPractice)


def vote_all(assessment, member, answer, but=None):
    for item in assessment.version.best_practices.all():
        services.vote_record(
            assessment=assessment,
            member=member,
            item_code=item.code,
            answer=(but or {}).get(item.code, answer),
        )


def answer(assessment, by, code, score, **more):
    current = assessment.responses.filter(item__code=code).first()
    services.response_record(
        assessment=assessment,
        recorded_by=by,
        item_code=code,
        score=score,
        revision=current.revision if current else 0,
        **more,
    )


@pytest.fixture
def riverside(transactional_db):
    """One organization with something of every kind and a history of changes: a completed assessment
    (votes changed, answers, reopened and completed again), an unfinished one moved to version 2 of the
    content, an action with items, a note, a target, comments and a reply, a pending and a withdrawn
    invitation (sent by site staff), a member who left the team, a coach who now runs the meetings, a
    profile, a Seen mark and a reminder digest."""
    v1 = make_version()
    team = TeamFactory(name="Riverside Readers", organization=OrganizationFactory(name="Riverside District"))
    fiona, mark, mei, carmen, orla = (
        UserFactory(username=n) for n in ("fiona", "mark", "mei", "carmen", "orla")
    )
    ada = UserFactory(username="ada", is_staff=True, is_superuser=True)
    add_member(team, fiona, "facilitator")
    add_member(team, mark)
    mei_membership = add_member(team, mei)
    coaching = add_coach(team, carmen)
    OrganizationMembership.objects.create(organization=team.organization, user=orla, role="admin")

    participants = [
        services.ParticipantEntry(name="Fiona", group="practitioner", member_id=fiona.pk),
        services.ParticipantEntry(name="Pat Parent", group="family"),
    ]
    first = services.assessment_start(
        team=team, started_by=fiona, held_on=datetime.date(2026, 1, 15), stage="installation",
        version=v1, participants=participants,
    )  # fmt: skip
    vote_all(first, mark, "2", but={"D11-1": "0"})
    vote_all(first, mei, "1")
    services.vote_record(
        assessment=first, member=mark, item_code="D11-1", answer="1", comment="On reflection"
    )
    services.assessment_reveal_votes(assessment=first, revealed_by=fiona)
    for number, item in enumerate(v1.best_practices.order_by("code")):
        if item.code == "D22-3":
            answer(first, fiona, item.code, None, na_reason="No such service here")
        else:
            answer(first, fiona, item.code, number % 3, evidence=f"Minutes {number}")
    services.assessment_complete(assessment=first, completed_by=fiona)
    services.assessment_reopen(assessment=first, reopened_by=fiona, reason="A late report")
    answer(first, fiona, "D11-1", 2, evidence="The late report")
    services.assessment_complete(assessment=first, completed_by=fiona)
    first.refresh_from_db()

    d11 = Driver.objects.get(version=v1, code="D11")
    action = action_create(
        team=team, assessment=first, driver=d11, items=d11.best_practices.filter(code__in=["D11-2", "D11-3"]),
        title="Write the selection criteria", owner=mark, due_on=datetime.date(2026, 3, 1), by=fiona,
    )  # fmt: skip
    progress_note_add(action=action, text="First draft shared", written_on=datetime.date(2026, 2, 1), by=mark)
    action_set_status(action=action, status="done", by=mark)
    targets_set(team=team, after=first, percents={"D11": 80}, by=fiona)
    comment = comment_add(author=carmen, body="Strong evidence here.", assessment=first, item_code="D11-1")
    reply_add(author=fiona, parent=comment, body="Thank you.")
    comment_add(author=carmen, body="Well done.", action=action)
    seen_mark(user=fiona, key=seen_key(comment.pk))

    v2 = make_second_version(v1, publish=False)
    v2 = version_publish(version=v2)
    second = services.assessment_start(
        team=team, started_by=fiona, held_on=datetime.date(2026, 7, 1), stage="initial", version=v1,
        participants=participants,
    )  # fmt: skip
    vote_all(second, mark, "1")
    services.assessment_reveal_votes(assessment=second, revealed_by=fiona)
    answer(second, fiona, "D12-1", 2, evidence="Half the sites")
    answer(second, fiona, "D21-1", 0)
    services.assessment_upgrade(assessment=second, to_version=v2, upgraded_by=fiona)
    second.refresh_from_db()

    services.invitation_send(team=team, email="nia@example.org", role="member", invited_by=ada)
    withdrawn = services.invitation_send(team=team, email="sam@example.org", role="coach", invited_by=ada)
    services.invitation_withdraw(invitation=withdrawn)
    services.membership_remove(membership=mei_membership)
    services.coach_runs_meetings(assignment=coaching, runs_meetings=True)
    services.account_update(
        user=mark, first_name="Mark", last_name="Moss", email="mark@example.org", assessment_emails=False
    )
    seen_mark(user=carmen, key=f"{Kind.CONSENSUS}:{second.pk}:{second.revealed_at.isoformat()}")
    ReminderDigest.objects.create(
        user=mark, sent_on=datetime.date(2026, 7, 2), entries=[{"kind": "vote", "assessment": second.pk}]
    )
    return team.organization


def export(organization, path, **options):
    out = io.StringIO()
    target = {"organization": organization.pk} if organization else {"all": True}
    call_command("export_organization", **target, output=str(path), stdout=out, **options)
    return out.getvalue()


def restore(path):
    out = io.StringIO()
    call_command("import_organization", str(path), stdout=out)
    return out.getvalue()


def empty_database():
    """What `manage.py migrate` gives: no rows of implhub (content included), the schema in place. Some
    content of another framework is loaded first, so that the file's content gets other ids than it had."""
    call_command("flush", interactive=False, verbosity=0)
    make_version(framework_slug="another-framework")


def every_row():
    """Every row of every table a backup holds, in id order, with content named by its natural key (its
    ids differ after a restore) and the password of each user."""
    named = {}
    for model in CONTENT:
        for obj in model.objects.select_related(*(["framework"] if model is FrameworkVersion else [])):
            named[model, obj.pk] = str(obj) if model is FrameworkVersion else f"{obj.version} {obj.code}"
    rows = {}
    for label, model in backup.MODELS.items():
        content = {
            f.attname: f.related_model for f in model._meta.concrete_fields if f.related_model in CONTENT
        }
        rows[label] = [
            {name: named.get((content[name], v), v) if name in content else v for name, v in row.items()}
            for row in model._default_manager.order_by("pk").values()
        ]
    return rows


def without_rights(user):
    return {
        name: value for name, value in user.items() if name not in {"is_staff", "is_superuser", "password"}
    }


def what_pages_read():
    """Every assessment's scores and history page, as plain data."""
    assessments = list(Assessment.objects.select_related("version").order_by("pk"))
    return {
        "scores": assessment_scores(assessments=assessments),
        "history": {a.pk: assessment_history(assessment=a) for a in assessments},
    }


def marks_first_vote_history():
    return list(
        Vote.history.filter(member__username="mark", item__code="D11-1", assessment__held_on="2026-01-15")
        .order_by("history_date")
        .values_list("answer", "comment", "history_type")
    )


def table_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_an_organization_comes_back_whole_in_an_empty_database(riverside, tmp_path):
    rows, pages, vote_history = every_row(), what_pages_read(), marks_first_vote_history()
    path = tmp_path / "riverside.json.gz"
    said = export(riverside, path)
    assert "Wrote" in said and "Riverside District" in said

    empty_database()
    said = restore(path)

    assert "Restored" in said and "Riverside District" in said
    assert marks_first_vote_history() == vote_history
    assert [(answer, change) for answer, _comment, change in vote_history] == [("0", "+"), ("1", "~")]
    restored = every_row()
    users, restored_users = rows["auth.user"], restored.pop("auth.user")
    assert restored == {label: model_rows for label, model_rows in rows.items() if label != "auth.user"}
    assert [without_rights(user) for user in restored_users] == [without_rights(user) for user in users]
    assert what_pages_read() == pages
    counts = {label: len(model_rows) for label, model_rows in rows.items()}
    assert counts["assessments.historicalvote"] > counts["assessments.vote"] > 0
    assert all(counts.values()), [label for label, n in counts.items() if not n]
    # Its people sign in with their passwords; site staff comes along as an author, without staff rights.
    assert User.objects.get(username="mark").check_password("pw")
    ada = User.objects.get(username="ada")
    assert not ada.is_staff and not ada.is_superuser and not ada.has_usable_password()


def test_a_restored_organization_exports_to_the_same_file(riverside, tmp_path):
    export(riverside, tmp_path / "first.json")
    empty_database()
    restore(tmp_path / "first.json")
    export(Organization.objects.get(), tmp_path / "second.json")

    first, second = (json.loads((tmp_path / name).read_text()) for name in ("first.json", "second.json"))
    assert first["rows"] == second["rows"]
    assert first["content"] == second["content"]
    assert first["contains"] == second["contains"]


def test_new_rows_after_a_restore_take_ids_past_the_restored_ones(riverside, tmp_path):
    export(riverside, tmp_path / "riverside.json")
    empty_database()
    restore(tmp_path / "riverside.json")

    team = Team.objects.get()
    # Mei's membership was deleted before the export; its history keeps its id.
    named = max(Membership.history.values_list("id", flat=True))
    assert named > Membership.objects.latest("pk").pk
    latest_record = Membership.history.latest().pk
    newcomer = UserFactory(username="newcomer")
    OrganizationMembership.objects.create(organization=team.organization, user=newcomer)
    membership = add_member(team, newcomer)
    assert membership.pk > named
    assert [record.pk > latest_record for record in membership.history.all()] == [True]


def test_the_demo_organization_comes_back_with_the_same_scores_and_history(transactional_db, tmp_path):
    call_command("demo", stdout=io.StringIO())
    northfield = Organization.objects.get(name="Northfield Schools")
    assessments = list(Assessment.objects.filter(team__organization=northfield).select_related("version"))
    scores = assessment_scores(assessments=assessments)
    history = {a.pk: assessment_history(assessment=a) for a in assessments}
    export(northfield, tmp_path / "northfield.json.gz")
    header = json.loads(gzip.decompress((tmp_path / "northfield.json.gz").read_bytes()))["contains"]

    call_command("flush", interactive=False, verbosity=0)
    restore(tmp_path / "northfield.json.gz")

    assert {label: model._default_manager.count() for label, model in backup.MODELS.items()} == header["rows"]
    assert header["rows"]["assessments.vote"] > 400 and header["rows"]["actions.historicalactionitem"] > 0
    restored = list(Assessment.objects.select_related("version"))
    assert assessment_scores(assessments=restored) == scores
    assert {a.pk: assessment_history(assessment=a) for a in restored} == history


def test_everything_comes_back_with_staff_rights(riverside, tmp_path):
    TeamFactory(name="Harbor", organization=OrganizationFactory(name="Harbor"))
    # A draft, even half written, is not carried: no assessment uses one.
    draft = make_version(publish=False, framework_slug="work-in-progress")
    BestPractice.objects.filter(version=draft).update(guidance="")
    rows = every_row()
    said = export(None, tmp_path / "all.json")
    assert "Riverside District, Harbor" in said and "test-framework v1, test-framework v2." in said
    empty_database()
    restore(tmp_path / "all.json")

    assert every_row() == rows
    assert User.objects.get(username="ada").is_superuser


def test_the_file_starts_with_a_header_of_format_schema_and_contents(riverside, tmp_path):
    export(riverside, tmp_path / "riverside.json")
    text = (tmp_path / "riverside.json").read_text()
    document = json.loads(text)

    assert text.startswith('{"format": "implhub-backup", "format_version": 1')
    assert document["schema"] == backup.schema_state()
    assert "assessments" in document["schema"] and "actions" in document["schema"]
    assert document["implhub_version"] and datetime.datetime.fromisoformat(document["exported_at"])
    assert document["contains"]["organizations"] == ["Riverside District"]
    assert document["contains"]["content_versions"] == ["test-framework v1", "test-framework v2"]
    assert [c["version"]["number"] for c in document["content"]] == [1, 2]


def test_an_organizations_file_holds_nothing_of_another_organization(riverside, tmp_path):
    harbor = TeamFactory(name="Harbor", organization=OrganizationFactory(name="Harbor"))
    olu = UserFactory(username="olu")
    add_member(harbor, olu, "facilitator")
    mark = User.objects.get(username="mark")
    Seen.objects.create(user=mark, key=f"{Kind.DUE}:{harbor.pk}:first")
    digest = ReminderDigest.objects.get(user=mark)
    digest.entries += [{"kind": "assessment_due", "team": harbor.pk, "due_on": None}]
    digest.save()

    export(riverside, tmp_path / "riverside.json")
    rows = json.loads((tmp_path / "riverside.json").read_text())["rows"]

    def of(label):
        return [row for row in rows if row["model"] == label]

    assert [row["fields"]["name"] for row in of("assessments.organization")] == ["Riverside District"]
    assert {row["fields"]["name"] for row in of("assessments.team")} == {"Riverside Readers"}
    assert "olu" not in {row["fields"]["username"] for row in of("auth.user")}
    assert [row["fields"]["key"].split(":")[0] for row in of("actions.seen")] == ["comment", "consensus"]
    assert [entry["kind"] for entry in of("actions.reminderdigest")[0]["fields"]["entries"]] == ["vote"]
    users = {row["fields"]["username"]: row["fields"] for row in of("auth.user")}
    assert users["mark"]["password"] == mark.password
    assert not users["ada"]["is_staff"] and not users["ada"]["password"].startswith("pbkdf2")


def test_every_model_of_the_organization_apps_is_in_a_backup():
    models = [*apps.get_app_config("assessments").get_models(), *apps.get_app_config("actions").get_models()]
    models += [model.items.through for model in models if model._meta.label == "actions.ActionItem"]
    derived = {model._meta.label_lower for model in backup.DERIVED}
    assert {model._meta.label_lower for model in models} - derived <= set(backup.MODELS)
    assert not derived & set(backup.MODELS)
    assert set(backup.SEEN_KINDS) == set(Kind)


# Files that are refused: a clear message, and nothing written.


@pytest.fixture
def exported(riverside, tmp_path):
    """The organization's file, and an emptied database."""
    path = tmp_path / "riverside.json"
    export(riverside, path)
    empty_database()
    return path


def edited(path, change):
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    return path


def refused(path, match):
    before = table_counts()
    with pytest.raises(CommandError, match=match):
        restore(path)
    assert table_counts() == before


def test_a_file_from_a_newer_schema_is_refused(exported):
    edited(exported, lambda d: d["schema"].update(assessments="0099_from_the_future"))
    refused(
        exported, r"newer schema .* assessments 0099_from_the_future are not applied here. Upgrade implhub"
    )


def test_a_file_from_an_older_schema_is_restored_with_a_note(exported):
    edited(exported, lambda d: d["schema"].update(assessments="0001_initial"))
    said = restore(exported)
    assert "older schema (assessments 0001_initial (here " in said
    assert Organization.objects.filter(name="Riverside District").exists()


def test_a_truncated_file_is_refused(exported):
    exported.write_text(exported.read_text()[: len(exported.read_text()) // 2])
    refused(exported, r"is not a whole backup file \(truncated or damaged\?\)")


def test_a_truncated_gzip_file_is_refused(exported, tmp_path):
    path = tmp_path / "riverside.json.gz"
    path.write_bytes(gzip.compress(exported.read_bytes())[:-100])
    refused(path, r"is not a whole backup file \(truncated or damaged\?\)")


def test_a_file_of_another_format_version_is_refused(exported):
    edited(exported, lambda d: d.update(format_version=2))
    refused(exported, "has backup format version 2; this implhub reads version 1")


def test_a_file_that_is_not_a_backup_is_refused(exported):
    exported.write_text(json.dumps({"framework": {"slug": "x"}}))
    refused(exported, "is not an implhub backup file")


def test_a_file_missing_a_row_its_header_lists_is_refused(exported):
    edited(exported, lambda d: d["rows"].pop())
    refused(exported, "damaged: its rows are not those its header lists")


def test_an_organization_already_here_is_refused(exported):
    restore(exported)
    refused(exported, "already has the organization Riverside District; nothing was imported")


def test_a_username_already_here_is_refused(exported):
    UserFactory(username="mark")
    refused(exported, "already has the users mark; nothing was imported")


def test_a_row_id_already_taken_is_refused(exported):
    team_id = next(
        r["pk"] for r in json.loads(exported.read_text())["rows"] if r["model"] == "assessments.team"
    )
    TeamFactory(
        pk=team_id, name="Someone else's", organization=OrganizationFactory(pk=10_000, name="Elsewhere")
    )
    refused(exported, r"already holds assessments.Team rows with the file's ids \(\d+\)")


def test_content_that_differs_from_the_files_is_refused(exported):
    here = make_version(publish=False)  # test-framework v1 again, with other words
    BestPractice.objects.filter(version=here, code="D11-1").update(statement="Other words")
    version_publish(version=here)
    refused(exported, r"differs from Test framework v1 \(published\), which is published and cannot change")


def test_a_row_this_schema_cannot_take_writes_nothing_not_even_the_content(exported):
    def a_field_of_no_model(document):
        next(r for r in document["rows"] if r["model"] == "assessments.vote")["fields"]["colour"] = "red"

    edited(exported, a_field_of_no_model)
    refused(exported, "cannot be restored .* nothing was imported")
    assert not FrameworkVersion.objects.filter(framework__slug="test-framework").exists()


def test_an_export_whose_content_the_import_would_refuse_is_refused(transactional_db, tmp_path, monkeypatch):
    """A guard for a content rule the database does not hold (none is known today): the export checks its
    content as the import will, and refuses rather than write a file that cannot be restored."""
    v1 = make_version()
    team = TeamFactory()
    fiona = UserFactory(username="fiona")
    add_member(team, fiona, "facilitator")
    services.assessment_start(
        team=team, started_by=fiona, held_on=datetime.date(2026, 1, 15), stage="installation", version=v1,
        participants=[],
    )  # fmt: skip

    def refuse(text, source):
        raise ContentFileError(source, "best practice 'D11-1'", "a rule the database does not hold")

    monkeypatch.setattr(backup, "parse_content", refuse)
    refusal = r"Test framework v1 \(published\) cannot be written as a content file"
    with pytest.raises(CommandError, match=refusal):
        export(team.organization, tmp_path / "x.json")
    assert not list(tmp_path.iterdir())


def test_an_unknown_organization_is_refused(riverside, tmp_path):
    with pytest.raises(CommandError, match="There is no organization with id 999999"):
        call_command("export_organization", organization=999999, output=str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()
