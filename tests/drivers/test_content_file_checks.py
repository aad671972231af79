"""`drivers.content_file`: each check of a content file, with the message its author reads, and how a
checked document is written, refused, replaced and written out again."""

import copy
import dataclasses
import functools
import json
import operator

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save

from drivers.content_file import (
    ContentFileError,
    load_content,
    parse_content,
    read_content_file,
    version_document,
)
from drivers.models import BestPractice, Driver, DriverCategory, Framework, FrameworkVersion
from tests.drivers.test_load_framework import small_document, write
from tests.factories import CONTENT_FILE

SOURCE = "test.json"
ABSENT = object()
ORG, FA = "categories.0", "categories.0.drivers.0"
PATH = {"document": "", "framework": "framework.", "version": "version.", "category": f"{ORG}.",
        "driver": f"{FA}.", "best practice": f"{FA}.best_practices.0."}  # fmt: skip
ENTRY = {"document": "document", "framework": "framework", "version": "version", "category": "category 'org'",
         "driver": "driver 'FA'", "best practice": "best practice 'FA-1'"}  # fmt: skip
# A category, driver or best practice is named by its slug or code; without one, by its position.
NAMED_BY = {"category": "slug", "driver": "code", "best practice": "code"}
UNNAMED = {"category": "category #1", "driver": "category 'org', driver #1",
           "best practice": "driver 'FA', best practice #1"}  # fmt: skip


def entry_for(place, field, value):
    if NAMED_BY.get(place) != field:
        return ENTRY[place]
    named = value if place == "category" else isinstance(value, str) and value
    return f"{place} {value!r}" if named else UNNAMED[place]


def driver(code, order, items=1):
    practices = [
        {"code": f"{code}-{i}", "order": i, "statement": f"Do {code}-{i}.", "guidance": f"How to {code}-{i}."}
        for i in range(1, items + 1)
    ]
    return {"code": code, "slug": code.lower(), "name": f"Driver {code}", "order": order,
            "definition": f"What {code} is.", "goal": "", "best_practices": practices}  # fmt: skip


def category(slug, order, *drivers):
    return {"slug": slug, "name": slug.title(), "order": order, "description": "", "drivers": list(drivers)}


def rich_document(status="published"):
    """small_document plus a second driver (LD) in 'org' and a second category, 'people', with driver SE."""
    document = copy.deepcopy(small_document(status))
    document["version"].update(notes="First version.", attribution="From the source.")
    document["categories"][0]["drivers"].append(driver("LD", 2))
    document["categories"].append(category("people", 2, driver("SE", 1)))
    return document


def walk(document, path):
    keys = [int(key) if key.isdigit() else key for key in path.split(".") if key]
    return functools.reduce(operator.getitem, keys, document)


def edit(document, path, value):
    """A copy of `document` with the value at a dotted path set (ABSENT: removed; one past the end: added)."""
    document = copy.deepcopy(document)
    parents, _, last = path.rpartition(".")
    target, last = walk(document, parents), int(last) if last.isdigit() else last
    if value is ABSENT:
        target.pop(last, None) if isinstance(target, dict) else target.pop(last)
    elif isinstance(target, list) and last == len(target):
        target.append(value)
    else:
        target[last] = value
    return document


def changed(place, field, value, base=None):
    return edit(base or small_document(), PATH[place] + field, value)


def parse(document):
    return parse_content(document if isinstance(document, str) else json.dumps(document), source=SOURCE)


def message(document) -> str:
    with pytest.raises(ContentFileError) as excinfo:
        parse(document)
    error = excinfo.value
    assert (error.source, str(error)) == (SOURCE, f"{SOURCE}: {error.entry}: {error.problem}")
    return f"{error.entry}: {error.problem}"


def clean_at(document, place):
    return walk(parse(document), PATH[place])


# --- Fields: required, optional, unknown, of the wrong type -------------------------------------------

REQUIRED = {
    "document": ["framework", "version", "categories"],
    "framework": ["slug", "name"],
    "version": ["number", "status"],
    "category": ["slug", "name", "order", "drivers"],
    "driver": ["code", "slug", "name", "order", "definition", "best_practices"],
    "best practice": ["code", "order", "statement"],
}


@pytest.mark.parametrize("blank", [ABSENT, "", " \t", []], ids=["absent", "empty", "blank", "empty-list"])
@pytest.mark.parametrize(
    ("place", "field"), [(place, f) for place, fields in REQUIRED.items() for f in fields]
)
def test_a_missing_required_field_is_refused_by_name(place, field, blank):
    entry = entry_for(place, field, None if blank is ABSENT else blank)
    assert message(changed(place, field, blank)) == f"{entry}: missing {field}"


OPTIONAL = {
    "framework": ["description"],
    "version": ["notes", "attribution"],
    "category": ["description"],
    "driver": ["goal", "provenance"],
    "best practice": [
        "guidance",
        "provenance",
        "rubric_in_place",
        "rubric_partially_in_place",
        "rubric_not_in_place",
        "calls_for_people_served",
    ],
}
LEFT_OUT = {"provenance": "implhub", "calls_for_people_served": False}  # the others load as ""


def test_optional_fields_may_be_left_out_and_become_empty_false_or_implhub():
    document = small_document()
    for place, fields in OPTIONAL.items():
        for field in fields:
            document = changed(place, field, ABSENT, base=document)
    for place, fields in OPTIONAL.items():
        values = {field: clean_at(document, place)[field] for field in fields}
        assert values == {field: LEFT_OUT.get(field, "") for field in fields}


KNOWN = {
    "document": "framework, version, categories",
    "framework": "slug, name, description",
    "version": "number, status, based_on, notes, attribution, introduction, introduction_citation, benchmark",
    "category": "slug, name, order, description, drivers",
    "driver": "code, slug, name, order, definition, goal, provenance, lineage_key, lineage, best_practices",
    "best practice": "code, order, statement, guidance, provenance, "
    "rubric_in_place, rubric_partially_in_place, rubric_not_in_place, calls_for_people_served, "
    "editorial_note, resources, lineage_key, lineage",
}


@pytest.mark.parametrize("place", KNOWN)
def test_an_unknown_field_is_named_with_the_fields_that_are_known(place):
    document = changed(place, "zeta", "z", base=changed(place, "alpha", "a"))
    assert message(document) == f"{ENTRY[place]}: unknown field 'alpha' (a {place} has: {KNOWN[place]})"


TEXT = {
    "framework": ["slug", "name", "description"],
    "version": ["notes", "attribution"],
    "category": ["slug", "name", "description"],
    "driver": ["code", "slug", "name", "definition", "goal", "provenance"],
    "best practice": ["code", "statement", "guidance", "provenance", *OPTIONAL["best practice"][2:5]],
}


@pytest.mark.parametrize("value", [5, ["text"]], ids=["number", "list"])
@pytest.mark.parametrize(("place", "field"), [(place, f) for place, fields in TEXT.items() for f in fields])
def test_a_field_that_must_be_text_refuses_anything_else(place, field, value):
    assert message(changed(place, field, value)) == f"{entry_for(place, field, value)}: {field} must be text"


FLAG_OF_FA_1 = PATH["best practice"] + "calls_for_people_served"


@pytest.mark.parametrize("value", ["true", 1, 0, "yes", ["true"]])
def test_a_flag_must_be_true_or_false(value):
    expected = f"best practice 'FA-1': calls_for_people_served must be true or false, not {value!r}"
    assert message(changed("best practice", "calls_for_people_served", value)) == expected


@pytest.mark.parametrize("value", [True, False])
def test_a_flag_of_true_or_false_is_kept(value):
    document = changed("best practice", "calls_for_people_served", value)
    assert clean_at(document, "best practice")["calls_for_people_served"] is value


@pytest.mark.django_db
def test_a_flag_is_written_into_the_database_and_out_again():
    document = edit(rich_document(), FLAG_OF_FA_1, True)
    version = load(document).version
    flagged = version.best_practices.filter(calls_for_people_served=True)
    assert list(flagged.values_list("code", flat=True)) == ["FA-1"]
    exported = version_document(version)
    assert walk(exported, FLAG_OF_FA_1) is True
    assert walk(exported, f"{FA}.best_practices.1.calls_for_people_served") is False
    assert load(exported).outcome == "unchanged"


@pytest.mark.django_db
def test_a_published_version_loaded_again_with_another_flag_is_refused():
    load(rich_document())
    document = edit(rich_document(), FLAG_OF_FA_1, True)
    with pytest.raises(ContentFileError) as excinfo:
        load(document)
    assert excinfo.value.entry == "best practice 'FA-1'"


@pytest.mark.parametrize(
    ("path", "value", "entry", "kind"),
    [
        ("framework", "Small", "framework", "framework"),
        ("version", 1, "version", "version"),
        ("categories.0", 5, "category #1", "category"),
        (f"{ORG}.drivers.0", ["FA"], "category 'org', driver #1", "driver"),
        (f"{FA}.best_practices.0", "FA-1", "driver 'FA', best practice #1", "best practice"),
    ],
)
def test_an_entry_that_is_not_an_object_is_refused(path, value, entry, kind):
    expected = f"{entry}: must be an object with the fields of a {kind}"
    assert message(edit(small_document(), path, value)) == expected
    assert message("[1, 2]") == "document: must be an object with the fields of a document"


@pytest.mark.parametrize("value", ["org", {"slug": "org"}], ids=["text", "object"])
def test_a_list_of_entries_must_be_a_list(value):
    assert message(changed("document", "categories", value)) == "categories: must be a list"
    assert message(changed("category", "drivers", value)) == "category 'org': drivers must be a list"
    assert message(changed("driver", "best_practices", value)) == "driver 'FA': best_practices must be a list"


# --- Values: slugs, codes, whole numbers, statuses, provenance ----------------------------------------


@pytest.mark.parametrize("slug", ["Small", "small framework", "small_framework"])
def test_a_framework_or_category_slug_holds_only_lowercase_letters_digits_and_dashes(slug):
    only = "may hold only a-z, 0-9 and -"
    assert message(changed("framework", "slug", slug)) == f"framework: slug {slug!r} {only}"
    assert message(changed("category", "slug", slug)) == f"category {slug!r}: slug {only}"


@pytest.mark.parametrize("code", ["fa", "1FA", "F-A", "ABCDEFGHIJKLM"])
def test_a_driver_code_must_be_capitals_and_digits_starting_with_a_letter(code):
    expected = "code must be capital letters and digits, starting with a letter (e.g. FA)"
    assert message(changed("driver", "code", code)) == f"driver {code!r}: {expected}"


WHOLE = [("version", "number"), ("category", "order"), ("driver", "order"), ("best practice", "order")]


@pytest.mark.parametrize("value", [0, -1, 1.5, "1", True])
@pytest.mark.parametrize(("place", "field"), WHOLE)
def test_an_order_or_version_number_must_be_a_whole_number_of_one_or_more(place, field, value):
    expected = f"{ENTRY[place]}: {field} must be a whole number of 1 or more, not {value!r}"
    assert message(changed(place, field, value)) == expected


ACCEPTED = [
    ("framework", "slug", "a-1"),
    ("category", "slug", "a-1"),
    *[("driver", "code", code) for code in ("F", "FA2", "ABCDEFGHIJKL")],
    *[(place, field, number) for place, field in WHOLE for number in (1, 3)],
    ("version", "status", "draft"),
    ("version", "status", "published"),
]


@pytest.mark.parametrize(("place", "field", "value"), ACCEPTED)
def test_a_good_value_is_accepted_as_it_is(place, field, value):
    if field == "code":  # the codes of the driver's best practices follow
        document = json.loads(json.dumps(small_document()).replace('"FA', f'"{value}'))
    else:
        document = changed(place, field, value)
    assert clean_at(document, place)[field] == value


@pytest.mark.parametrize("status", ["archived", "Published", 5])
def test_any_other_status_is_refused_with_the_allowed_ones(status):
    expected = f"version: status must be one of draft, published, retired, not {status!r}"
    assert message(changed("version", "status", status)) == expected


def test_provenance_is_implhub_unless_the_file_says_source():
    drivers = parse(rich_document())["categories"][0]["drivers"]
    assert [d["provenance"] for d in drivers] == ["source", "implhub"]
    assert [i["provenance"] for i in drivers[0]["best_practices"]] == ["source", "implhub"]


@pytest.mark.parametrize("place", ["driver", "best practice"])
def test_an_unknown_provenance_is_refused(place):
    expected = f"{ENTRY[place]}: provenance must be one of source, implhub, not 'internet'"
    assert message(changed(place, "provenance", "internet")) == expected


@pytest.mark.parametrize(("code", "prefix"), [("XX-2", "XX"), ("AB-2", "AB"), ("FA2", "FA2"), ("fa-2", "fa")])
def test_a_best_practice_code_must_start_with_its_drivers_code(code, prefix):
    expected = f"best practice {code!r}: unknown driver {prefix!r}: the code of a best practice of driver FA "
    assert message(changed("best practice", "code", code)) == expected + "must start with 'FA-'"


@pytest.mark.parametrize("code", ["FA", "FA-", "FA--1", "FA- 1"])
def test_a_best_practice_code_needs_its_number_after_the_drivers_code(code):
    expected = f"best practice {code!r}: code must be FA- and the item's number or letters, e.g. FA-1"
    assert message(changed("best practice", "code", code)) == expected


def test_surrounding_whitespace_is_stripped():
    document = edit(changed("framework", "name", "  Small framework \n"), f"{FA}.code", " FA ")
    document = changed("best practice", "statement", "\tLeadership secures resources. ", base=document)
    assert clean_at(document, "framework")["name"] == "Small framework"
    assert clean_at(document, "driver")["code"] == "FA"
    assert clean_at(document, "best practice")["statement"] == "Leadership secures resources."


# --- Duplicates and entry naming ----------------------------------------------------------------------

ITEMS, LD, PEOPLE = f"{FA}.best_practices", f"{ORG}.drivers.1", "categories.1"
ITEM2 = f"{ITEMS}.1"
DUPLICATES = {
    "category slug": ("categories.1.slug", "org", "category 'org': duplicate category slug 'org'"),
    "category order": ("categories.1.order", 1, "category 'people': duplicate category order 1"),
    "driver code": ("categories.1.drivers.0.code", "LD", "driver 'LD': duplicate driver code 'LD'"),
    "driver order": (f"{ORG}.drivers.1.order", 1, "driver 'LD': duplicate driver order in its category 1"),
    "item code": (f"{ITEM2}.code", "FA-1", "best practice 'FA-1': duplicate best-practice code 'FA-1'"),
    "item order": (
        f"{ITEM2}.order",
        1,
        "best practice 'FA-2': duplicate best-practice order in its driver 1",
    ),
}


@pytest.mark.parametrize("case", DUPLICATES)
def test_a_duplicate_is_refused(case):
    path, value, expected = DUPLICATES[case]
    assert message(edit(rich_document(), path, value)) == expected


def test_the_same_driver_order_in_two_categories_and_item_order_in_two_drivers_is_fine():
    clean = parse(rich_document())
    assert [c["drivers"][0]["order"] for c in clean["categories"]] == [1, 1]
    assert [d["best_practices"][0]["order"] for d in clean["categories"][0]["drivers"]] == [1, 1]


NAMING = {
    "category #2": ("categories.1.slug", ABSENT, "category #2: missing slug"),
    "people's driver #1": (f"{PEOPLE}.drivers.0.code", ABSENT, "category 'people', driver #1: missing code"),
    "driver #2": (f"{ORG}.drivers.1.code", "", "category 'org', driver #2: missing code"),
    "driver coded by a number": (f"{ORG}.drivers.1.code", 7, "category 'org', driver #2: code must be text"),
    "best practice #3": (f"{ITEMS}.2", {"order": 3}, "driver 'FA', best practice #3: missing code"),
    "best practice #2": (f"{ITEM2}.code", "", "driver 'FA', best practice #2: missing code"),
    "practice coded by a number": (f"{ITEM2}.code", 7, "driver 'FA', best practice #2: code must be text"),
    "code of blanks": (f"{LD}.code", " ", "driver ' ': missing code"),
    "slug of blanks": (f"{PEOPLE}.slug", "\t", "category '\\t': missing slug"),
    "of driver 2": (f"{LD}.best_practices.0.code", ABSENT, "driver 'LD', best practice #1: missing code"),
}


@pytest.mark.parametrize("case", NAMING)
def test_an_entry_is_named_by_its_slug_or_code_and_otherwise_by_its_position(case):
    path, value, expected = NAMING[case]
    assert message(edit(rich_document(), path, value)) == expected


# --- Reading the file ---------------------------------------------------------------------------------


UNREADABLE = {
    "missing": (None, "cannot be read ([Errno 2] No such file or directory: "),
    "latin-1": (
        b"\xff\xfe" + '{"name": "caf\xe9"}'.encode("latin-1"),
        "cannot be read ('utf-8' codec can't decode",
    ),
    "not JSON": (b'{\n  "framework": \n}', "is not valid JSON (line 3, column 1: Expecting value)"),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_a_missing_non_utf8_or_invalid_json_file_is_refused_as_a_whole(tmp_path, case):
    content, problem = UNREADABLE[case]
    path = tmp_path / "content.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ContentFileError) as excinfo:
        read_content_file(path)
    assert (excinfo.value.source, excinfo.value.entry) == (str(path), "file")
    assert excinfo.value.problem.startswith(problem)


def test_a_good_file_reads_as_its_normalised_document(tmp_path):
    assert read_content_file(write(tmp_path, rich_document())) == parse(rich_document())


@pytest.mark.django_db
@pytest.mark.parametrize("function", [parse_content, load_content])
def test_the_source_is_always_given_by_name(function):
    with pytest.raises(TypeError, match="positional argument"):
        function(json.dumps(small_document()), SOURCE)


# --- Writing into the database ------------------------------------------------------------------------


def load(document):
    return load_content(parse(document), source=SOURCE)


def snapshot():
    models = (Framework, FrameworkVersion, DriverCategory, Driver, BestPractice)
    return [list(model.objects.order_by("pk").values()) for model in models]


def tree(version):
    return (
        list(version.categories.order_by("order").values_list("slug", flat=True)),
        list(version.drivers.order_by("code").values_list("code", flat=True)),
        list(version.best_practices.order_by("code").values_list("code", flat=True)),
    )


RICH_TREE = (["org", "people"], ["FA", "LD", "SE"], ["FA-1", "FA-2", "LD-1", "SE-1"])


@pytest.mark.django_db
def test_the_first_load_creates_and_the_same_file_again_leaves_a_published_version_unchanged():
    first = load(rich_document())
    assert (first.outcome, first.version.status, tree(first.version)) == ("created", "published", RICH_TREE)
    before = snapshot()
    again = load(rich_document())
    assert (again.outcome, again.version.pk) == ("unchanged", first.version.pk)
    assert snapshot() == before
    with pytest.raises(dataclasses.FrozenInstanceError):
        again.outcome = "replaced"


MOVED = [dict(item, order=3 - item["order"]) for item in walk(small_document(), ITEMS)]
PUBLISHED_CHANGES = {
    "reworded statement": (f"{ITEM2}.statement", "Reworded.", "best practice 'FA-2'"),
    "added item": (f"{ITEMS}.2", driver("FA", 1, items=3)["best_practices"][2], "best practice 'FA-3'"),
    "removed item": (ITEM2, ABSENT, "driver 'FA', best practice 'FA-2' (missing from the file)"),
    "moved items": (ITEMS, MOVED, "best practice 'FA-1'"),
    "driver name": (f"{FA}.name", "Renamed", "driver 'FA'"),
    "driver definition": (f"{FA}.definition", "Redefined.", "driver 'FA'"),
    "driver provenance": (f"{FA}.provenance", "implhub", "driver 'FA'"),
    "driver goal": (f"{ORG}.drivers.1.goal", "A goal.", "driver 'LD'"),
    "category name": (f"{ORG}.name", "Organisation", "category 'org'"),
    "category description": ("categories.1.description", "Described.", "category 'people'"),
    "added category": ("categories.2", category("more", 3, driver("MO", 1)), "categories"),
    "removed category": ("categories.1", ABSENT, "categories"),
    "added driver": (f"{ORG}.drivers.2", driver("ZZ", 3), "category 'org', drivers"),
    "removed driver": (f"{ORG}.drivers.1", ABSENT, "category 'org', drivers"),
    "notes": ("version.notes", "", "version notes"),
    "attribution": ("version.attribution", "From the source. Revised.", "version attribution"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", PUBLISHED_CHANGES)
def test_a_published_version_refuses_any_change_and_keeps_what_it_holds(case):
    load(rich_document())
    before = snapshot()
    path, value, entry = PUBLISHED_CHANGES[case]
    with pytest.raises(ContentFileError) as excinfo:
        load(edit(rich_document(), path, value))
    assert (excinfo.value.source, excinfo.value.entry) == (SOURCE, entry)
    assert excinfo.value.problem == (
        "differs from Small framework v1 (published), which is published and cannot change; "
        "give the file a new version number instead"
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_a_draft_loaded_again_is_replaced_by_exactly_the_new_content_and_may_then_be_published():
    first = load(rich_document("draft"))
    document = edit(small_document("draft"), "version.notes", "Second go.")
    document = edit(document, "categories", [category("team", 1, driver("TM", 1, items=2))])
    second = load(document)
    assert (second.outcome, second.version.pk) == ("replaced", first.version.pk)
    assert tree(second.version) == (["team"], ["TM"], ["TM-1", "TM-2"])
    assert (DriverCategory.objects.count(), Driver.objects.count(), BestPractice.objects.count()) == (1, 1, 2)
    assert FrameworkVersion.objects.values_list("notes", "status").get() == ("Second go.", "draft")
    third = load(edit(document, "version.status", "published"))
    assert (third.outcome, third.version.status) == ("replaced", "published")
    assert third.version.pk == first.version.pk


@pytest.mark.django_db
def test_a_draft_updates_the_framework_name_and_description_when_either_changes():
    for name, description in [("Small", ""), ("A", ""), ("Z", ""), ("Z", "About."), ("Z", ""), ("Y", "")]:
        document = edit(small_document("draft"), "framework.name", name)
        load(edit(document, "framework.description", description))
        assert Framework.objects.values_list("name", "description").get() == (name, description)


@pytest.mark.django_db
def test_an_unchanged_framework_is_not_saved_again():
    saves = []

    def record(sender, instance, **kwargs):
        saves.append(instance.name)

    document = edit(small_document("draft"), "framework.description", "Small things.")
    post_save.connect(record, sender=Framework)
    try:
        load(document)
        load(document)
    finally:
        post_save.disconnect(record, sender=Framework)
    assert saves == ["Small framework"]  # created once, never rewritten


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["other", "small"], ids=["two frameworks", "two versions"])
def test_two_versions_loaded_side_by_side_each_hold_only_their_own_content(slug):
    small = load(rich_document()).version
    document = edit(edit(small_document("draft"), "framework.slug", slug), "version.number", 2)
    categories = [category("team", 1, driver("TM", 1, items=3)), category("org", 2, driver("FA", 1))]
    document = edit(document, "categories", categories)
    other = load(document).version
    assert small.pk != other.pk and (other.framework.slug, other.number) == (slug, 2)
    assert Framework.objects.count() == (2 if slug == "other" else 1)
    assert tree(small) == RICH_TREE
    assert tree(other) == (["team", "org"], ["FA", "TM"], ["FA-1", "TM-1", "TM-2", "TM-3"])
    before = version_document(small)
    assert load(edit(document, "categories.1", ABSENT)).outcome == "replaced"
    assert tree(FrameworkVersion.objects.get(pk=other.pk)) == (["team"], ["TM"], ["TM-1", "TM-2", "TM-3"])
    assert version_document(FrameworkVersion.objects.get(pk=small.pk)) == before


@pytest.mark.django_db
def test_a_failure_while_writing_leaves_nothing_behind():
    document = edit(parse(small_document()), f"{FA}.best_practices", [])  # not checked: publishing refuses it
    with pytest.raises(ValidationError, match="has no best practices"):
        load_content(document, source=SOURCE)
    assert snapshot() == [[], [], [], [], []]


# --- Writing out: version_document --------------------------------------------------------------------


def test_the_real_content_written_out_reads_back_as_the_file_and_loads_unchanged(content):
    exported = version_document(content)
    assert parse(exported) == read_content_file(CONTENT_FILE)
    assert load_content(parse(exported), source="export.json").outcome == "unchanged"


@pytest.mark.django_db
def test_a_small_version_written_out_reads_back_as_the_file_and_loads_unchanged():
    exported = version_document(load(rich_document()).version)
    assert parse(exported) == parse(rich_document())
    before = snapshot()
    assert load(exported).outcome == "unchanged"
    assert snapshot() == before


@pytest.mark.django_db
def test_the_export_lists_categories_drivers_and_items_by_their_order():
    document = rich_document("draft")
    for path in (ITEMS, f"{ORG}.drivers", "categories"):
        walk(document, path).reverse()  # the file lists each level from its last order to its first
    exported = version_document(load(document).version)
    assert [c["slug"] for c in exported["categories"]] == ["org", "people"]
    assert [d["code"] for d in walk(exported, f"{ORG}.drivers")] == ["FA", "LD"]
    assert [i["code"] for i in walk(exported, ITEMS)] == ["FA-1", "FA-2"]
