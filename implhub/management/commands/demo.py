"""Demo set-up for `make run`: the framework content, users to sign in with, their teams' assessments and
improvement cycle (action plans, targets, comments). Safe to run again."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.actions.demo import demo_plans
from assessments.demo import demo_teams
from drivers.selectors import latest_published_version

CONTENT_FILES = sorted((Path(settings.BASE_DIR) / "fixtures").glob("implementation_drivers_v*.json"))

# Demo only: these passwords are printed by `make run` and refused in production mode.
DEMO_PASSWORD = "implhub-demo"
DEMO_ADMIN = "admin"


class Command(BaseCommand):
    help = "Load the framework content and demo users (never in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                _("The demo command creates users with known passwords; it refuses to run in production.")
            )
        call_command("load_framework", *map(str, CONTENT_FILES), stdout=self.stdout)
        with transaction.atomic():
            self._admin()
            version = latest_published_version(framework_slug="implementation-drivers")
            users = demo_teams(version=version, password=DEMO_PASSWORD)
            demo_plans()
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
            )
        )
        # One line per login: the username in a column of its own, then what the user is.
        for user in users:
            self.stdout.write(f"  {user.username:<12} {user.description}")
        admin = _("site staff and content admin (Django admin at /admin/), sees every team")
        self.stdout.write(f"  {DEMO_ADMIN:<12} {admin}")
        if settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
            self.stdout.write(
                _(
                    "E-mails (invitations, password resets) are printed in this server's log, links "
                    "included; set EMAIL_HOST to send them (README, E-mail)."
                )
            )

    def _admin(self) -> None:
        user, _created = get_user_model().objects.get_or_create(
            username=DEMO_ADMIN,
            defaults={"first_name": "Ada", "last_name": "Admin", "email": "admin@example.org"},
        )
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
