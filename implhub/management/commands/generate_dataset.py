"""Fills the configured database with a large, plausible dataset for benchmarks (implhub/dataset.py)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from drivers.selectors import latest_published_version
from implhub.dataset import DEFAULT_PASSWORD, KINDS, STAFF_USERNAME, NotEmpty, Scale, generate_dataset

CONTENT_FILE = Path(settings.BASE_DIR) / "fixtures" / "implementation_drivers_v1.json"
FRAMEWORK = "implementation-drivers"


class Command(BaseCommand):
    help = (
        "Fill the database with generated organizations, teams, people, assessments, votes, consensus "
        "answers, actions and comments, for benchmarks (never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=100)
        parser.add_argument("--teams-per-org", type=int, default=20)
        parser.add_argument("--assessments-per-team", type=int, default=8)
        parser.add_argument(
            "--members-per-team", type=int, default=6, help=_("everyone in a team, the facilitator included")
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help=_("every generated person's"))
        parser.add_argument(
            "--append", action="store_true", help=_("add to a database that has teams already")
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                _("generate_dataset creates people with a known password; it refuses to run in production.")
            )
        size = Scale(
            orgs=options["orgs"],
            teams_per_org=options["teams_per_org"],
            assessments_per_team=options["assessments_per_team"],
            members_per_team=options["members_per_team"],
            seed=options["seed"],
        )
        if min(size.orgs, size.teams_per_org, size.assessments_per_team) < 1 or size.members_per_team < 2:
            raise CommandError(
                _("Give at least one organization, team and assessment, and two people per team.")
            )
        version = latest_published_version(framework_slug=FRAMEWORK)
        if version is None:
            call_command("load_framework", str(CONTENT_FILE), stdout=self.stdout)
            version = latest_published_version(framework_slug=FRAMEWORK)
        started = time.monotonic()
        try:
            made = generate_dataset(
                size=size,
                version=version,
                password=options["password"],
                append=options["append"],
                progress=self.stdout.write if options["verbosity"] > 1 else None,
            )
        except NotEmpty:
            raise CommandError(_("The database has teams already; give --append to add to them.")) from None
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                _("Made in %(seconds).1f s on %(database)s (%(version)s):")
                % {"seconds": seconds, "database": connection.vendor, "version": version}
            )
        )
        for kind in KINDS:
            self.stdout.write(f"  {made[kind]:>10,}  {kind}")
        self.stdout.write(
            _(
                "Every generated person's password is %(password)s. Sign in as o001-admin (organization "
                "admin), o001t01-f (facilitator), o001t01-m1 (member), coach-0001 (coach) or %(staff)s "
                "(staff: every team). No history rows were written for the generated data."
            )
            % {"password": options["password"], "staff": STAFF_USERNAME}
        )
