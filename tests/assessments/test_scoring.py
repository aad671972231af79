"""Scores against hand-computed examples: percent of possible points over items; N/A is left out."""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from assessments.models import Assessment, Response
from assessments.scoring import Score, assessment_scores, change, whole
from tests.factories import TeamFactory, UserFactory, answer_all, make_assessment, make_version

# cast.version: categories 1 and 2, drivers D11, D12 (category 1) and D21, D22 (category 2), 3 items each.
EXAMPLE = {
    "D11-1": 2, "D11-2": 2, "D11-3": 1,  # 5 of 6 points: 83.3%
    "D12-1": 0, "D12-2": 1, "D12-3": None,  # N/A leaves the denominator: 1 of 4 points: 25%
    "D21-1": None, "D21-2": None, "D21-3": None,  # all N/A: no score
    "D22-1": 2, "D22-2": 0, "D22-3": 0,  # 2 of 6 points: 33.3%
}  # fmt: skip


@pytest.fixture
def scored(cast):
    assessment = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, status="completed"
    )
    answer_all(assessment, cast.facilitator, EXAMPLE)
    return assessment_scores(assessments=[assessment])[assessment.pk]


def test_a_driver_scores_its_points_as_a_percent_of_possible_points(scored):
    driver = scored.driver("D11").score
    assert (driver.points, driver.possible) == (5, 6)
    assert driver.percent == pytest.approx(83.333, abs=0.001)
    assert driver.label == "83%"


def test_not_applicable_items_leave_the_denominator(scored):
    driver = scored.driver("D12").score
    assert (driver.points, driver.scored, driver.not_applicable, driver.possible) == (1, 2, 1, 4)
    assert driver.percent == 25


def test_a_driver_with_all_items_not_applicable_has_no_score_and_no_division_error(scored):
    driver = scored.driver("D21").score
    assert driver.percent is None
    assert driver.possible == 0
    assert driver.label == "no score (all N/A)"


def test_a_category_scores_over_its_items_not_as_an_average_of_driver_percents(scored):
    first, second = scored.categories
    # Category 1: (5 + 1) of (6 + 4) points = 60%; the average of 83.3% and 25% would be 54.2%.
    assert (first.score.points, first.score.possible, first.score.percent) == (6, 10, 60)
    # Category 2: the all-N/A driver adds nothing; 2 of 6 points.
    assert second.score.percent == pytest.approx(33.333, abs=0.001)


def test_the_overall_score_is_points_over_possible_points_of_all_items(scored):
    overall = scored.overall
    assert (overall.points, overall.possible, overall.not_applicable) == (8, 16, 4)
    assert overall.percent == 50


def test_a_driver_with_one_item_scores_that_item(db):
    version = make_version(categories=1, drivers_per_category=1, items_per_driver=1, framework_slug="one")
    user = UserFactory()
    assessment = make_assessment(team=TeamFactory(), version=version, by=user, status="completed")
    answer_all(assessment, user, {"D11-1": 1})
    scores = assessment_scores(assessments=[assessment])[assessment.pk]
    assert scores.driver("D11").score.percent == 50
    assert scores.overall.percent == 50


def test_unanswered_items_are_left_out_and_counted_separately(cast, open_assessment):
    items = {i.code: i for i in cast.version.best_practices.all()}
    Response.objects.bulk_create(
        Response(assessment=open_assessment, item=items[code], score=score, recorded_by=cast.facilitator)
        for code, score in [("D11-1", 2), ("D11-2", 0)]
    )
    scores = assessment_scores(assessments=[open_assessment])[open_assessment.pk]
    assert not scores.is_official
    d11 = scores.driver("D11").score
    assert (d11.points, d11.possible, d11.unanswered, d11.percent) == (2, 4, 1, 50)
    assert scores.driver("D12").score.label == "no score (not answered)"
    assert scores.overall.unanswered == 10


def test_scores_of_many_assessments_of_different_versions_take_two_queries(cast, django_assert_num_queries):
    newer = make_version(items_per_driver=2)
    old = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="completed")
    new = make_assessment(team=cast.team, version=newer, by=cast.facilitator, status="completed")
    answer_all(old, cast.facilitator, {"D11-1": 2, "D11-2": 2, "D11-3": 2})
    answer_all(new, cast.facilitator, {"D11-1": 0, "D11-2": 2})
    with django_assert_num_queries(2):
        scores = assessment_scores(assessments=[old, new])
    # Every other item is answered 1 by answer_all: old 3 x 2 + 9 x 1 = 15 of 24; new 0 + 2 + 6 = 8 of 16.
    assert (scores[old.pk].overall.points, scores[old.pk].overall.possible) == (15, 24)
    assert (scores[new.pk].overall.points, scores[new.pk].overall.possible) == (8, 16)
    assert scores[old.pk].driver("D11").score.percent == 100
    assert scores[new.pk].driver("D11").score.percent == 50


def test_no_assessments_need_no_queries(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert assessment_scores(assessments=[]) == {}


def test_change_is_in_percentage_points_and_none_without_both_scores():
    assert change(Score(points=3, scored=2), Score(points=1, scored=2)) == 50
    assert change(Score(points=3, scored=2), Score(not_applicable=2)) is None
    assert change(Score(points=3, scored=2), None) is None


@pytest.mark.parametrize(("points", "scored", "shown"), [(5, 4, 63), (1, 4, 13), (3, 4, 38), (2, 3, 33)])
def test_percents_are_shown_rounded_half_up_as_people_round(points, scored, shown):
    assert Score(points=points, scored=scored).rounded == shown


def test_changes_round_half_away_from_zero():
    assert (whole(-2.5), whole(2.5), whole(-2.4)) == (-3, 3, -2)


def provisional(cast, answers):
    """An assessment in consensus with consensus answers for some items only (`answers`: code -> score)."""
    assessment = make_assessment(
        team=cast.team, version=cast.version, by=cast.facilitator, status="consensus"
    )
    items = {i.code: i for i in cast.version.best_practices.all()}
    Response.objects.bulk_create(
        Response(
            assessment=assessment,
            item=items[code],
            score=score,
            not_applicable=score is None,
            na_reason="Does not apply." if score is None else "",
            recorded_by=cast.facilitator,
        )
        for code, score in answers.items()
    )
    return assessment_scores(assessments=[assessment])[assessment.pk]


def test_a_category_counts_the_not_applicable_and_unanswered_items_of_its_drivers(cast):
    scores = provisional(cast, {"D11-1": 2, "D11-2": None, "D12-1": 1, "D12-2": None, "D21-1": 0})
    first, second = scores.categories
    assert (first.slug, first.name, [d.code for d in first.drivers]) == (
        "cat-1",
        "Category 1",
        ["D11", "D12"],
    )
    assert (first.score.points, first.score.scored, first.score.not_applicable, first.score.unanswered) == (
        3,
        2,
        2,
        2,
    )
    assert (
        second.score.points,
        second.score.scored,
        second.score.not_applicable,
        second.score.unanswered,
    ) == (
        0,
        1,
        0,
        5,
    )
    assert (scores.overall.scored, scores.overall.not_applicable, scores.overall.unanswered) == (3, 2, 7)


def test_provisional_scores_count_the_answers_so_far(cast):
    scores = provisional(cast, {"D11-1": 2, "D11-2": 1, "D22-3": 0})
    assert not scores.is_official and scores.status == "consensus"
    assert (scores.overall.points, scores.overall.possible, scores.overall.percent) == (3, 6, 50)
    assert scores.driver("D11").score.label == "75%"
    assert scores.driver("D22").score.label == "0%"
    assert scores.driver("D12").score.label == "no score (not answered)"


def test_a_driver_mixing_not_applicable_and_unanswered_items_is_not_answered_yet(cast):
    scores = provisional(cast, {"D11-1": None, "D11-2": None})
    assert scores.driver("D11").score.label == "no score (not answered)"
    Assessment.objects.all().delete()  # one unfinished assessment per team
    scores = provisional(cast, {"D11-1": None, "D11-2": None, "D11-3": None})
    assert scores.driver("D11").score.label == "no score (all N/A)"


def test_scores_carry_the_assessment_and_the_drivers_in_framework_order(cast):
    assessment = make_assessment(
        team=cast.team,
        version=cast.version,
        by=cast.facilitator,
        status="completed",
        held_on=date(2026, 4, 2),
    )
    answer_all(assessment, cast.facilitator)
    scores = assessment_scores(assessments=[assessment])[assessment.pk]
    assert (scores.assessment_id, scores.held_on, scores.is_official) == (
        assessment.pk,
        date(2026, 4, 2),
        True,
    )
    assert [(d.code, d.name, d.category_slug, d.category_name) for d in scores.drivers] == [
        ("D11", "Driver 1.1", "cat-1", "Category 1"),
        ("D12", "Driver 1.2", "cat-1", "Category 1"),
        ("D21", "Driver 2.1", "cat-2", "Category 2"),
        ("D22", "Driver 2.2", "cat-2", "Category 2"),
    ]
    assert scores.driver("D99") is None


def test_scores_of_an_assessment_ignore_another_assessments_answers(cast):
    one = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="completed")
    two = make_assessment(team=cast.team, version=cast.version, by=cast.facilitator, status="completed")
    answer_all(one, cast.facilitator, dict.fromkeys(("D11-1", "D11-2", "D11-3"), 2))
    answer_all(two, cast.facilitator, dict.fromkeys(("D11-1", "D11-2", "D11-3"), 0))
    scores = assessment_scores(assessments=[one, two])
    assert scores[one.pk].driver("D11").score.percent == 100
    assert scores[two.pk].driver("D11").score.percent == 0


def test_scores_add_up_field_by_field():
    total = Score(points=3, scored=2, not_applicable=1, unanswered=4) + Score(
        points=1, scored=3, not_applicable=2, unanswered=5
    )
    assert total == Score(points=4, scored=5, not_applicable=3, unanswered=9)
    assert total.possible == 10 and total.percent == 40


def test_change_subtracts_the_earlier_percent():
    assert change(Score(points=1, scored=2), Score(points=3, scored=2)) == -50
    assert change(Score(not_applicable=1), Score(points=1, scored=1)) is None
    assert change(None, Score(points=1, scored=1)) is None


@pytest.mark.parametrize(("value", "shown"), [(0.5, 1), (0.49, 0), (99.5, 100), (-0.5, -1), (0, 0), (7.0, 7)])
def test_whole_rounds_halves_away_from_zero_and_keeps_whole_numbers(value, shown):
    assert whole(value) == shown


def test_scores_are_values_no_page_can_change(scored):
    driver = scored.driver("D11")
    category = scored.categories[0]
    for value, field in ((driver.score, "points"), (driver, "name"), (category, "name"), (scored, "status")):
        with pytest.raises(FrozenInstanceError):
            setattr(value, field, "changed")
    assert len({driver.score, Score(points=5, scored=3)}) == 1  # equal values are one value


def test_a_driver_is_found_by_a_lineage_key_equal_to_its_own(scored):
    key = "".join(["D", "1", "1"])  # equal to the stored key, but another string object
    assert scored.counterpart(key).name == "Driver 1.1"
    assert scored.counterpart_percent(key) == pytest.approx(83.333, abs=0.001)
    assert scored.counterpart("D99") is None and scored.counterpart_score("D99") is None


# --- One rule for rounding, and each version's benchmark ----------------------------------------------


@pytest.mark.parametrize(
    ("points", "scored", "shown"), [(43, 27, 80), (5, 4, 63), (1, 6, 8), (159, 200, 40), (0, 1, 0)]
)
def test_a_percent_is_rounded_half_up_once_from_the_exact_fraction(points, scored, shown):
    assert Score(points=points, scored=scored).rounded == shown


def test_a_score_shown_as_80_percent_is_at_the_benchmark_of_80():
    score = Score(points=43, scored=27)  # 79.63%
    assert score.percent < 80
    assert (score.label, score.reaches(80), score.reaches(81)) == ("80%", True, False)
    assert not Score(not_applicable=3).reaches(0)  # no score reaches nothing


def test_a_change_is_the_difference_of_the_shown_percents():
    assert change(Score(points=4, scored=3), Score(points=5, scored=3)) == 67 - 83
    assert change(Score(points=5, scored=3), Score(points=1, scored=3)) == 83 - 17


@pytest.mark.django_db
def test_each_assessment_is_read_against_its_own_versions_benchmark():
    from drivers.services import version_publish

    by = UserFactory()
    seventy = make_version(publish=False, framework_slug="seventy")
    seventy.benchmark = 70
    seventy.save()
    seventy = version_publish(version=seventy)
    on_eighty = make_assessment(team=TeamFactory(), version=make_version(), by=by)
    on_seventy = make_assessment(team=TeamFactory(), version=seventy, by=by)
    scores = assessment_scores(assessments=[on_eighty, on_seventy])
    assert (scores[on_eighty.pk].benchmark, scores[on_seventy.pk].benchmark) == (80, 70)
