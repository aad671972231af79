"""The shipped content file: what `make run` loads and every assessment starts from."""

import json
import re

import pytest

from drivers.models import BestPractice, Driver, DriverCategory, Provenance
from tests.factories import CONTENT_FILE

SOURCES = CONTENT_FILE.parent / "sources"

pytestmark = pytest.mark.django_db


def test_it_has_two_categories_and_seven_drivers(content):
    assert list(DriverCategory.objects.filter(version=content).values_list("name", flat=True)) == [
        "Competency drivers",
        "Organization drivers",
    ]
    assert list(Driver.objects.filter(version=content).values_list("code", flat=True)) == [
        "SEL",
        "TRN",
        "COA",
        "FID",
        "DSDS",
        "FA",
        "SI",
    ]


def test_every_driver_has_items_and_every_item_statement_and_guidance(content):
    for driver in Driver.objects.filter(version=content):
        items = list(driver.best_practices.all())
        assert items, driver.code
        for item in items:
            assert item.statement.strip() and item.guidance.strip(), item.code
            assert item.code.startswith(f"{driver.code}-")


def test_codes_are_unique(content):
    codes = list(BestPractice.objects.filter(version=content).values_list("code", flat=True))
    assert len(codes) == len(set(codes))


def test_the_items_that_name_service_recipients_call_for_the_voice_of_the_people_served(content):
    flagged = BestPractice.objects.filter(version=content, calls_for_people_served=True).order_by("code")
    assert list(flagged.values_list("code", flat=True)) == ["SI-1", "SI-5"]


def test_facilitative_administration_has_the_nine_source_items(content):
    codes = list(BestPractice.objects.filter(driver__code="FA").values_list("code", flat=True))
    assert codes == [f"FA-{n}" for n in range(1, 10)]


def test_systems_intervention_keeps_the_source_numbering_without_item_four(content):
    codes = list(BestPractice.objects.filter(driver__code="SI").values_list("code", flat=True))
    assert codes == ["SI-1", "SI-2", "SI-3", "SI-5"]


def test_drivers_written_for_implhub_have_five_to_eight_items_and_say_so(content):
    for driver in Driver.objects.exclude(code__in=["FA", "SI"]):
        items = list(driver.best_practices.all())
        assert 5 <= len(items) <= 8, driver.code
        assert driver.provenance == Provenance.IMPLHUB
        assert {item.provenance for item in items} == {Provenance.IMPLHUB}


# --- The source text, character for character ------------------------------------------------------------

SEEDS = {"FA": "facilitative_administration.txt", "SI": "systems_intervention.txt"}

# Every deliberate change to the source's wording, and only these: (code, field, the source's text, the
# content's text). Each corrected item carries an editorial note that tells readers so.
EDITORIAL_CORRECTIONS = [
    ("SI-1", "guidance", "the need for the program or practice", "the need for the program or practice."),
    ("SI-3", "guidance", "regarding the program or practice..", "regarding the program or practice."),
]

# The page footer of the source's PDF, which the text extraction put between SI-1 and its explanation.
PAGE_FURNITURE = ("The Active Implementation Hub, AI Modules", "THE ACTIVE IMPLEMENTATION HUB |")
# A numbered best practice: "1. **Statement.**" (SI) or "- 1. Statement.**" (FA, whose opening marker the
# extraction lost). The bold is the source's heading style for every statement, not emphasis in the text.
STATEMENT_LINE = re.compile(r"^(?:- )?(\d+)\. (?:\*\*)?(.+?)\*\*$")
INTRODUCTION_START = "Implementation drivers refer to the key infrastructure elements"


def seed_items(text: str) -> dict[str, dict[str, str]]:
    """{number: {"statement": ..., "guidance": ...}} of a seed text: each numbered statement and the first
    line of text after it (its explanation), exactly as the source writes them."""
    lines = text.splitlines()
    found = {}
    for n, line in enumerate(lines):
        match = STATEMENT_LINE.match(line)
        if match is None:
            continue
        explanation = next(
            later for later in lines[n + 1 :] if later.strip() and not later.startswith(PAGE_FURNITURE)
        )
        found[match.group(1)] = {"statement": match.group(2), "guidance": explanation}
    return found


def expected_content(prefix: str) -> dict[str, dict[str, str]]:
    """What the content file should hold for a source driver's items: the seed text with the editorial
    corrections applied (each must apply exactly once)."""
    items = {
        f"{prefix}-{number}": fields
        for number, fields in seed_items((SOURCES / SEEDS[prefix]).read_text(encoding="utf-8")).items()
    }
    for code, field, source_text, content_text in EDITORIAL_CORRECTIONS:
        if code in items:
            assert items[code][field].count(source_text) == 1, (code, source_text)
            items[code][field] = items[code][field].replace(source_text, content_text)
    return items


def differences(items: dict[str, BestPractice], expected: dict[str, dict[str, str]]) -> list[str]:
    """Every way the stored items differ from the expected text: "SI-3 guidance: ...", one per field."""
    found = [f"{code}: missing" for code in sorted(set(expected) - set(items))]
    found += [f"{code}: not in the source" for code in sorted(set(items) - set(expected))]
    for code in sorted(set(items) & set(expected)):
        for field, text in expected[code].items():
            stored = getattr(items[code], field)
            if stored != text:
                at = next(
                    (i for i, (a, b) in enumerate(zip(stored, text, strict=False)) if a != b),
                    min(len(stored), len(text)),
                )
                shown, wanted = stored[at : at + 20], text[at : at + 20]
                found.append(f"{code} {field}: differs at character {at}: {shown!r} != {wanted!r}")
    return found


def source_items(prefix: str) -> dict[str, BestPractice]:
    return {item.code: item for item in BestPractice.objects.filter(driver__code=prefix)}


@pytest.mark.parametrize("prefix", SEEDS)
def test_each_statement_and_explanation_is_the_source_text_character_for_character(content, prefix):
    expected = expected_content(prefix)
    assert expected, "no numbered statements found in the seed"
    assert differences(source_items(prefix), expected) == []
    assert {item.provenance for item in source_items(prefix).values()} == {Provenance.SOURCE}


def test_a_one_character_change_to_a_statement_is_reported(content):
    items = source_items("FA")
    items["FA-4"].statement = items["FA-4"].statement.replace("refines", "refine", 1)  # in memory only
    assert differences(items, expected_content("FA")) == [
        "FA-4 statement: differs at character 33: ' internal policies o' != 's internal policies '"
    ]


def test_a_lost_emphasis_marker_is_reported(content):
    items = source_items("FA")
    items["FA-6"].guidance = items["FA-6"].guidance.replace("*and*", "and")
    assert [d.split(":")[0] for d in differences(items, expected_content("FA"))] == ["FA-6 guidance"]


def test_the_source_emphasis_is_kept_with_the_formatting_markers(content):
    assert "consumers *and* receive" in BestPractice.objects.get(code="FA-6").guidance


def test_exactly_the_corrected_items_carry_an_editorial_note(content):
    noted = dict(BestPractice.objects.exclude(editorial_note="").values_list("code", "editorial_note"))
    assert set(noted) == {code for code, *_rest in EDITORIAL_CORRECTIONS}
    assert noted["SI-3"] == "The source ends this sentence with two full stops; one is kept here."


@pytest.mark.parametrize("prefix", SEEDS)
def test_the_source_drivers_definitions_are_paragraphs_of_the_source(content, prefix):
    seed = (SOURCES / SEEDS[prefix]).read_text(encoding="utf-8").splitlines()
    driver = Driver.objects.get(code=prefix)
    for paragraph in driver.definition.split("\n\n"):
        assert paragraph in seed
    assert driver.goal in driver.definition


@pytest.mark.parametrize("source", SEEDS.values())
def test_the_introduction_is_the_sources_defining_paragraph_with_its_citation(content, source):
    lines = (SOURCES / source).read_text(encoding="utf-8").splitlines()
    paragraph = next(line for line in lines if line.startswith(INTRODUCTION_START))
    assert content.introduction == paragraph
    assert content.introduction.endswith("(Fixsen et al., 2005).")
    assert "Metz & Bartley, 2012" in content.introduction_citation
    assert "Active Implementation Hub" in content.introduction_citation


def test_the_version_reads_against_the_working_benchmark_of_80_percent(content):
    assert content.benchmark == 80


def test_the_file_carries_the_attribution_of_the_source():
    document = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    attribution = document["version"]["attribution"]
    assert "Fixsen" in attribution and "Metz" in attribution and "Active Implementation Hub" in attribution
