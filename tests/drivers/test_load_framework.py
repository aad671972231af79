"""`load_framework`: idempotent, checks the whole file first, names the bad entry, writes nothing."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from drivers.models import BestPractice, Driver, DriverCategory, Framework, FrameworkVersion
from tests.factories import CONTENT_FILE

pytestmark = pytest.mark.django_db


def small_document(status="published"):
    return {
        "framework": {"slug": "small", "name": "Small framework", "description": ""},
        "version": {"number": 1, "status": status, "notes": "", "attribution": ""},
        "categories": [
            {
                "slug": "org",
                "name": "Organization",
                "order": 1,
                "description": "",
                "drivers": [
                    {
                        "code": "FA",
                        "slug": "fa",
                        "name": "Facilitative administration",
                        "order": 1,
                        "definition": "Leaders make the work easier.",
                        "provenance": "source",
                        "best_practices": [
                            {
                                "code": "FA-1",
                                "order": 1,
                                "statement": "Leadership secures resources.",
                                "guidance": "Money and time.",
                                "provenance": "source",
                            },
                            {
                                "code": "FA-2",
                                "order": 2,
                                "statement": "Leadership supports fidelity.",
                                "guidance": "Consistently.",
                            },
                        ],
                    }
                ],
            }
        ],
    }


def write(tmp_path, document, name="content.json"):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return str(path)


def database_state():
    return (
        list(Framework.objects.values_list("slug", "name")),
        list(FrameworkVersion.objects.values_list("framework__slug", "number", "status", "notes")),
        list(DriverCategory.objects.values_list("version_id", "slug", "name")),
        list(Driver.objects.values_list("version_id", "code", "name", "definition")),
        list(BestPractice.objects.order_by("id").values_list("version_id", "code", "statement", "guidance")),
    )


def load(path):
    call_command("load_framework", path, verbosity=0, stdout=io.StringIO())


def test_the_shipped_file_loads_and_loading_it_again_changes_nothing():
    load(str(CONTENT_FILE))
    before = database_state()
    load(str(CONTENT_FILE))
    assert database_state() == before
    assert FrameworkVersion.objects.get().status == FrameworkVersion.Status.PUBLISHED


def test_a_draft_file_replaces_the_drafts_content(tmp_path):
    document = small_document(status="draft")
    load(write(tmp_path, document))
    document["categories"][0]["drivers"][0]["best_practices"][0]["statement"] = "Reworded."
    load(write(tmp_path, document))
    assert BestPractice.objects.get(code="FA-1").statement == "Reworded."
    assert BestPractice.objects.count() == 2


def bad(document, mutate):
    document = copy.deepcopy(document)
    mutate(document)
    return document


def _items(d):
    return d["categories"][0]["drivers"][0]["best_practices"]


BAD_INPUTS = {
    "malformed JSON": ('{"framework": {', "file: is not valid JSON (line 1"),
    "unknown driver": (
        bad(small_document(), lambda d: _items(d)[1].update(code="XX-2")),
        "best practice 'XX-2': unknown driver 'XX'",
    ),
    "duplicate code": (
        bad(small_document(), lambda d: _items(d)[1].update(code="FA-1")),
        "best practice 'FA-1': duplicate best-practice code 'FA-1'",
    ),
    "missing statement": (
        bad(small_document(), lambda d: _items(d)[1].pop("statement")),
        "best practice 'FA-2': missing statement",
    ),
    "blank statement": (
        bad(small_document(), lambda d: _items(d)[0].update(statement="   ")),
        "best practice 'FA-1': missing statement",
    ),
    "unknown field": (
        bad(small_document(), lambda d: _items(d)[0].update(statment="typo")),
        "best practice 'FA-1': unknown field 'statment'",
    ),
    "bad order": (
        bad(small_document(), lambda d: _items(d)[0].update(order="first")),
        "best practice 'FA-1': order must be a whole number",
    ),
    "bad status": (
        bad(small_document(), lambda d: d["version"].update(status="archived")),
        "version: status must be one of draft, published, retired",
    ),
    "bad provenance": (
        bad(small_document(), lambda d: _items(d)[0].update(provenance="internet")),
        "best practice 'FA-1': provenance must be one of",
    ),
    "not an object": ("[1, 2]", "document: must be an object"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_names_file_and_entry_and_writes_nothing(tmp_path, case):
    load(str(CONTENT_FILE))
    before = database_state()
    document, expected = BAD_INPUTS[case]
    path = write(tmp_path, document, name="bad.json")
    with pytest.raises(CommandError) as excinfo:
        load(path)
    assert str(excinfo.value).startswith(f"{path}: ")
    assert expected in str(excinfo.value)
    assert database_state() == before


def test_a_change_to_a_published_version_is_refused_and_writes_nothing(tmp_path):
    load(write(tmp_path, small_document()))
    before = database_state()
    changed = bad(small_document(), lambda d: _items(d)[1].update(statement="Quietly reworded."))
    path = write(tmp_path, changed, name="changed.json")
    with pytest.raises(CommandError) as excinfo:
        load(path)
    message = str(excinfo.value)
    assert "best practice 'FA-2'" in message and "cannot change" in message
    assert database_state() == before


def test_a_problem_late_in_the_file_leaves_no_partial_write(tmp_path):
    document = small_document()
    document["categories"].append(bad(document["categories"][0], lambda c: c.update(slug="second", order=2)))
    # The second category repeats the codes of the first: found only after the first was read.
    path = write(tmp_path, document)
    with pytest.raises(CommandError, match="duplicate driver code 'FA'"):
        load(path)
    assert database_state() == ([], [], [], [], [])


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        load(str(tmp_path / "nope.json"))
