"""A whole version as a content file: downloaded from its page, imported in the admin (checked whole,
nothing written on error, published content never overwritten), and read back identically elsewhere."""

import copy
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from drivers.content_file import version_import, version_json
from drivers.models import (
    BestPractice,
    Driver,
    DriverCategory,
    DriverLineage,
    Framework,
    FrameworkVersion,
    ItemLineage,
)
from drivers.services import version_create_draft, version_publish
from tests.drivers.test_load_framework import small_document
from tests.factories import CONTENT_FILE, UserFactory, make_version

pytestmark = pytest.mark.django_db


def content_rows():
    """Every content row by what it is, not by its database id."""
    return (
        sorted(
            FrameworkVersion.objects.values_list(
                "framework__slug",
                "framework__name",
                "framework__description",
                "number",
                "status",
                "based_on__number",
                "notes",
                "attribution",
                "introduction",
                "introduction_citation",
                "benchmark",
            )
        ),
        sorted(DriverCategory.objects.values_list("version__number", *DriverCategory.CONTENT_FIELDS)),
        sorted(
            Driver.objects.values_list(
                "version__number", "category__slug", "lineage_key", *Driver.CONTENT_FIELDS
            )
        ),
        sorted(
            (
                (number, driver, key, *rest[:-1], tuple(rest[-1]))
                for number, driver, key, *rest in BestPractice.objects.values_list(
                    "version__number", "driver__code", "lineage_key", *BestPractice.CONTENT_FIELDS
                )
            ),
            key=repr,
        ),
        sorted(
            ItemLineage.objects.values_list(
                "item__version__number", "item__code", "previous__version__number", "previous__code", "kind"
            )
        ),
        sorted(
            DriverLineage.objects.values_list(
                "driver__version__number",
                "driver__code",
                "previous__version__number",
                "previous__code",
                "kind",
            )
        ),
    )


def second_version(v1):
    """v2 of the real content with everything a file must carry: a reworded item, a recoded item that
    continues one of v1,
    an item split from another, resourcing links, an editorial note, a driver's recorded lineage, an
    introduction with its citation and another benchmark."""
    v2 = version_create_draft(version=v1)
    v2.introduction = "Implementation drivers are **the engine** of change."
    v2.introduction_citation = "Fixsen et al., 2005"
    v2.benchmark = 75
    v2.notes = "Second version."
    v2.save()
    recoded = BestPractice.objects.get(version=v2, code="FA-1")
    recoded.code = "FA-1a"  # keeps the lineage key FA-1 it was copied with
    recoded.resources = ["SEL", "TRN", "COA"]
    recoded.editorial_note = "A typo of the source is corrected."
    recoded.save()
    ItemLineage.objects.create(item=recoded, previous=BestPractice.objects.get(version=v1, code="FA-1"))
    split = BestPractice.objects.create(
        driver=recoded.driver, code="FA-99", order=99, statement="The second half of FA-2.", guidance="How."
    )
    for half in (split, BestPractice.objects.get(version=v2, code="FA-2")):  # a split has two halves or more
        ItemLineage.objects.create(
            item=half, previous=BestPractice.objects.get(version=v1, code="FA-2"), kind="split"
        )
    DriverLineage.objects.create(
        driver=Driver.objects.get(version=v2, code="SI"), previous=Driver.objects.get(version=v1, code="SI")
    )
    reworded = BestPractice.objects.filter(version=v2, driver__code="SEL").order_by("order").first()
    reworded.statement = reworded.statement.replace("the", "each", 1) + " It is reviewed every year."
    reworded.save()
    return version_publish(version=v2)


@pytest.mark.django_db(transaction=True)
def test_versions_exported_and_imported_into_an_empty_database_read_back_identically():
    call_command("load_framework", str(CONTENT_FILE), verbosity=0)
    v1 = FrameworkVersion.objects.get(number=1)
    v2 = second_version(v1)
    files = [version_json(v1), version_json(v2)]
    rows = content_rows()
    assert json.loads(files[1])["version"]["based_on"] == 1

    call_command("flush", interactive=False, verbosity=0)
    assert FrameworkVersion.objects.count() == BestPractice.objects.count() == 0
    for number, text in enumerate(files, 1):
        result = version_import(text=text, source=f"v{number}.json")
        assert (result.outcome, result.version.number) == ("created", number)

    again = [version_json(FrameworkVersion.objects.get(number=n)) for n in (1, 2)]
    assert again == files  # byte for byte
    assert content_rows() == rows


def test_a_retired_version_reads_back_as_retired(django_user_model):
    version = make_version()
    version.status = FrameworkVersion.Status.RETIRED
    version.save()
    text = version_json(version)
    document = json.loads(text)
    document["framework"]["slug"] = "elsewhere"
    imported = version_import(text=json.dumps(document), source="retired.json").version
    assert imported.status == "retired" and imported.published_at is not None
    assert version_json(imported) == text.replace('"test-framework"', '"elsewhere"')


def test_the_file_leaves_out_the_lineage_of_entries_that_simply_continue_their_code(content):
    document = json.loads(version_json(content))
    item = document["categories"][0]["drivers"][0]["best_practices"][0]
    assert "lineage_key" not in item and "lineage" not in item
    assert item["resources"] == [] and item["editorial_note"] == ""
    assert document["version"]["benchmark"] == 80 and document["version"]["based_on"] is None


# --- Downloading from the version page --------------------------------------------------------------


def export_url(version):
    return reverse("drivers:version_export", args=[version.framework.slug, version.number])


def test_every_reader_downloads_a_published_version_as_a_file(client, content):
    client.force_login(UserFactory())
    response = client.get(export_url(content))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="implementation-drivers_v1.json"'
    assert response.content.decode() == version_json(content)
    page = client.get(reverse("drivers:version_detail", args=[content.framework.slug, 1])).content.decode()
    assert export_url(content) in page and "Download as JSON" in page


def test_a_draft_is_downloaded_by_staff_only(client):
    draft = make_version(publish=False)
    client.force_login(UserFactory())
    assert client.get(export_url(draft)).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert client.get(export_url(draft)).status_code == 200


def test_anonymous_users_are_sent_to_sign_in(client, content):
    response = client.get(export_url(content))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Importing in the admin ---------------------------------------------------------------------------

IMPORT_URL = "/admin/drivers/frameworkversion/import/"


@pytest.fixture
def ada(client):
    user = UserFactory(username="ada", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def small_v1():
    call_command_document(small_document())
    return FrameworkVersion.objects.get(framework__slug="small", number=1)


def call_command_document(document):
    return version_import(text=json.dumps(document), source="small.json")


def second_document(**version):
    """v2 of the small framework, based on v1."""
    document = copy.deepcopy(small_document("draft"))
    document["version"].update({"number": 2, "based_on": 1, **version})
    return document


def items_of(document):
    return document["categories"][0]["drivers"][0]["best_practices"]


def upload(client, content, *, name="content.json", replace_draft=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (
        content
        if isinstance(content, bytes)
        else (content if isinstance(content, str) else json.dumps(content))
    )
    file = SimpleUploadedFile(name, data.encode("utf-8") if isinstance(data, str) else data)
    return client.post(IMPORT_URL, {"file": file, **({"replace_draft": "on"} if replace_draft else {})})


def snapshot():
    models = (Framework, FrameworkVersion, DriverCategory, Driver, BestPractice, ItemLineage, DriverLineage)
    return [list(model.objects.order_by("pk").values()) for model in models]


def test_the_changelist_offers_the_import_and_staff_import_a_version(client, ada, small_v1):
    assert IMPORT_URL in client.get(reverse("admin:drivers_frameworkversion_changelist")).content.decode()
    assert client.get(IMPORT_URL).status_code == 200
    document = second_document()
    items_of(document)[0].update(resources=["FA"], lineage=[{"kind": "continues", "previous": "FA-1"}])
    response = upload(client, document)
    assert response.status_code == 302
    version = FrameworkVersion.objects.get(number=2)
    assert response["Location"] == reverse("admin:drivers_frameworkversion_change", args=[version.pk])
    assert (version.status, version.based_on, version.best_practices.count()) == ("draft", small_v1, 2)
    link = ItemLineage.objects.get()
    assert (link.item.code, link.previous, link.kind) == (
        "FA-1",
        small_v1.best_practices.get(code="FA-1"),
        "continues",
    )
    assert version.best_practices.get(code="FA-1").resources == ["FA"]
    # Who imported it is in the history of every row written.
    assert version.history.latest().history_user == ada
    assert {h.history_user for h in BestPractice.history.filter(version_id=version.pk)} == {ada}


def test_the_import_is_for_staff_who_may_add_versions(client, small_v1):
    client.force_login(UserFactory(username="member"))
    assert client.get(IMPORT_URL).status_code == 302  # to the admin's sign-in
    client.force_login(UserFactory(username="clerk", is_staff=True))
    before = snapshot()
    assert upload(client, second_document()).status_code == 403
    assert snapshot() == before


def _with(document, change):
    document = copy.deepcopy(document)
    change(document)
    return document


def _driver(document):
    return document["categories"][0]["drivers"][0]


GOOD = json.dumps(second_document(), indent=2)
BAD_FILES = {
    "not JSON": ("{framework", "content.json: file: is not valid JSON (line 1, column 2"),
    "partial file": (GOOD[: len(GOOD) // 2], "content.json: file: is not valid JSON"),
    "not an object": ("[1, 2]", "document: must be an object with the fields of a document"),
    "missing version": (_with(second_document(), lambda d: d.pop("version")), "document: missing version"),
    "driver without best practices": (
        _with(second_document(), lambda d: _driver(d).update(best_practices=[])),
        "driver &#x27;FA&#x27;: missing best_practices",
    ),
    "unknown field": (
        _with(second_document(), lambda d: items_of(d)[0].update(statment="typo")),
        "best practice &#x27;FA-1&#x27;: unknown field &#x27;statment&#x27;",
    ),
    "benchmark of 0": (
        second_document(benchmark=0),
        "version: benchmark must be a whole percent from 1 to 100, not 0",
    ),
    "benchmark as text": (
        second_document(benchmark="80"),
        "version: benchmark must be a whole percent from 1 to 100, not &#x27;80&#x27;",
    ),
    "resources naming an unknown driver": (
        _with(second_document(), lambda d: items_of(d)[1].update(resources=["FA", "XX"])),
        "best practice &#x27;FA-2&#x27;: resources names &#x27;XX&#x27;, "
        "which is not a driver of this version",
    ),
    "lineage naming an unknown previous code": (
        _with(
            second_document(),
            lambda d: items_of(d)[1].update(lineage=[{"kind": "split", "previous": "FA-9"}]),
        ),
        "best practice &#x27;FA-2&#x27;: lineage names &#x27;FA-9&#x27;, which is not in Small framework v1",
    ),
    "driver lineage naming an unknown previous code": (
        _with(
            second_document(), lambda d: _driver(d).update(lineage=[{"kind": "continues", "previous": "LD"}])
        ),
        "driver &#x27;FA&#x27;: lineage names &#x27;LD&#x27;, which is not in Small framework v1",
    ),
    "an unknown kind of lineage": (
        _with(
            second_document(),
            lambda d: items_of(d)[0].update(lineage=[{"kind": "copied", "previous": "FA-1"}]),
        ),
        "best practice &#x27;FA-1&#x27;, lineage #1: kind must be one of continues, split, merged",
    ),
    "lineage without based_on": (
        _with(
            second_document(based_on=None),
            lambda d: items_of(d)[0].update(lineage=[{"kind": "continues", "previous": "FA-1"}]),
        ),
        "best practice &#x27;FA-1&#x27;: a lineage needs the version&#x27;s based_on",
    ),
    "based on a version not in the database": (
        second_document(based_on=7),
        "version: based_on names v7, which is not in the database; load that version first",
    ),
    "overwrite of a published version": (
        small_document(),
        "version: Small framework v1 (published) already exists; importing the file would overwrite "
        "published content.",
    ),
    "not UTF-8": (b"\xff\xfe{}", "content.json is not UTF-8 text."),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_naming_the_entry_and_nothing_is_written(client, ada, small_v1, case):
    content, expected = BAD_FILES[case]
    before = snapshot()
    response = upload(client, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file was not imported." in page
    assert expected in page
    assert snapshot() == before


def test_a_draft_of_the_same_number_is_replaced_only_when_asked(client, ada, small_v1):
    assert upload(client, second_document(notes="First go.")).status_code == 302
    before = snapshot()
    response = upload(client, second_document(notes="Second go."))
    assert "already exists; choose to replace the draft" in response.content.decode()
    assert snapshot() == before
    assert upload(client, second_document(notes="Second go."), replace_draft=True).status_code == 302
    assert FrameworkVersion.objects.get(number=2).notes == "Second go."


def test_a_published_version_is_refused_even_when_replacing_drafts(client, ada, small_v1):
    before = snapshot()
    response = upload(client, small_document(), replace_draft=True)
    assert "would overwrite published content" in response.content.decode()
    assert snapshot() == before
