"""Test data. Content versions of any size, built in a handful of queries."""

from pathlib import Path

import factory
from django.conf import settings
from django.contrib.auth import get_user_model

from drivers.models import BestPractice, Driver, DriverCategory, Framework, FrameworkVersion
from drivers.services import version_publish

CONTENT_FILE = Path(settings.BASE_DIR) / "fixtures" / "implementation_drivers_v1.json"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    password = factory.django.Password("pw")


def make_version(
    *,
    drivers_per_category: int = 2,
    items_per_driver: int = 3,
    categories: int = 2,
    publish: bool = True,
    framework_slug: str = "test-framework",
) -> FrameworkVersion:
    framework, _ = Framework.objects.get_or_create(slug=framework_slug, defaults={"name": "Test framework"})
    number = framework.versions.count() + 1
    version = FrameworkVersion.objects.create(framework=framework, number=number)
    cats = DriverCategory.objects.bulk_create(
        DriverCategory(version=version, slug=f"cat-{c}", name=f"Category {c}", order=c)
        for c in range(1, categories + 1)
    )
    drivers = Driver.objects.bulk_create(
        Driver(
            version=version,
            category=cat,
            code=f"D{c}{d}",
            lineage_key=f"D{c}{d}",  # bulk_create skips save(), which starts each lineage
            slug=f"driver-{c}-{d}",
            name=f"Driver {c}.{d}",
            definition=f"Definition of driver {c}.{d}.",
            order=d,
        )
        for c, cat in enumerate(cats, 1)
        for d in range(1, drivers_per_category + 1)
    )
    BestPractice.objects.bulk_create(
        BestPractice(
            version=version,
            driver=driver,
            code=f"{driver.code}-{i}",
            lineage_key=f"{driver.code}-{i}",
            order=i,
            statement=f"Statement {driver.code}-{i}.",
            guidance=f"Guidance for {driver.code}-{i}.",
        )
        for driver in drivers
        for i in range(1, items_per_driver + 1)
    )
    return version_publish(version=version) if publish else version


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Organization"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organization {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Team"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    program = "Structured literacy"


def add_member(team, user, role="member"):
    from assessments.models import Membership

    return Membership.objects.create(team=team, user=user, role=role)


def add_coach(team, user, runs_meetings=False):
    from assessments.models import CoachAssignment

    return CoachAssignment.objects.create(team=team, coach=user, runs_meetings=runs_meetings)


def make_assessment(*, team, version, by, status="open", held_on=None, stage="installation"):
    """An assessment in any status; completed ones are given no answers (use answer_all)."""
    import datetime

    from assessments.models import Assessment

    return Assessment.objects.create(
        team=team,
        version=version,
        created_by=by,
        status=status,
        stage=stage,
        held_on=held_on or datetime.date(2026, 3, 1),
        completed_by=by if status == "completed" else None,
    )


def make_completed_assessment(*, team, version, by, held_on=None, stage="installation", scores=None):
    """A completed assessment with a consensus answer for every item (see answer_all for `scores`)."""
    assessment = make_assessment(
        team=team, version=version, by=by, status="completed", held_on=held_on, stage=stage
    )
    answer_all(assessment, by, scores)
    return assessment


def answer_all(assessment, by, scores=None):
    """Consensus answers for every item: `scores` maps item code to 2/1/0/None (N/A); others get 1."""
    from assessments.models import Response

    scores = scores or {}
    Response.objects.bulk_create(
        Response(
            assessment=assessment,
            item=item,
            score=scores.get(item.code, 1),
            not_applicable=scores.get(item.code, 1) is None,
            na_reason="Does not apply here." if scores.get(item.code, 1) is None else "",
            recorded_by=by,
        )
        for item in BestPractice.objects.filter(version_id=assessment.version_id)
    )
    if assessment.status == "completed":  # as completing does: its scores are stored with it
        from assessments.services.scores import tallies_store

        tallies_store(assessment_ids=[assessment.pk])
