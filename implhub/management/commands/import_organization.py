from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from implhub.backup import BackupError
from implhub.management.commands.export_organization import describe
from implhub.restore import import_backup


class Command(BaseCommand):
    help = (
        "Restore a file of export_organization into this database (migrated; it must not hold the file's "
        "organizations, people or rows). One transaction: on any problem nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by export_organization")

    def handle(self, *args, file, **options):
        try:
            summary = import_backup(path=file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored from %(path)s: %(what)s") % {"path": file, "what": describe(summary)}
            )
        )
        if summary.older_schema:
            self.stdout.write(
                _(
                    "The file was written with an older schema (%(apps)s): fields added since took their "
                    "defaults."
                )
                % {"apps": "; ".join(summary.older_schema)}
            )
