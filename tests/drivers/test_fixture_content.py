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


def _seed_statements(text: str) -> dict[str, str]:
    """Numbered bold statements of a seed text: {'1': 'Leadership ...', ...}."""
    found = {}
    for match in re.finditer(r"^-?\s*(\d)\.\s+\*{0,2}(.+?)\*\*\s*$", text, re.MULTILINE):
        found[match.group(1)] = match.group(2).strip()
    return found


@pytest.mark.parametrize(
    ("prefix", "source"), [("FA", "facilitative_administration.txt"), ("SI", "systems_intervention.txt")]
)
def test_source_statements_match_the_seed_text(content, prefix, source):
    seed = (SOURCES / source).read_text(encoding="utf-8")
    statements = _seed_statements(seed)
    assert statements, "no numbered statements found in the seed"
    items = {item.code: item for item in BestPractice.objects.filter(driver__code=prefix)}
    assert set(items) == {f"{prefix}-{n}" for n in statements}
    for number, statement in statements.items():
        item = items[f"{prefix}-{number}"]
        assert item.statement == statement
        assert item.provenance == Provenance.SOURCE
        assert item.guidance.rstrip(".") in seed.replace("..", ".").replace("*", "")


def test_the_file_carries_the_attribution_of_the_source():
    document = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    attribution = document["version"]["attribution"]
    assert "Fixsen" in attribution and "Metz" in attribution and "Active Implementation Hub" in attribution
