from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def refuse_teams_with_two_unfinished(apps, schema_editor):
    """The new rule allows one unfinished assessment per team. Data that breaks it is reported, not changed:
    which assessment to keep is the team's decision."""
    Assessment = apps.get_model("assessments", "Assessment")
    teams = (
        Assessment.objects.exclude(status="completed")
        .values("team_id", "team__name")
        .annotate(unfinished=Count("id"))
        .filter(unfinished__gt=1)
        .order_by("team__name")
    )
    if teams:
        listed = "; ".join(f"{t['team__name']} (team {t['team_id']}): {t['unfinished']}" for t in teams)
        raise RuntimeError(
            "A team may have only one unfinished (open or consensus) assessment, but these have more: "
            f"{listed}. Complete or delete the extra ones, then migrate again. Nothing was changed."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("drivers", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="revealed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(refuse_teams_with_two_unfinished, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "completed"), _negated=True),
                fields=("team",),
                name="one_unfinished_assessment_per_team",
            ),
        ),
    ]
