from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from implhub.backup import BackupError, Summary, export_backup


class Command(BaseCommand):
    help = (
        "Write one organization (or all of them) to a file: its people, teams, assessments, actions and "
        "their history, with the content versions they use (JSON; gzip when the name ends in .gz). "
        "import_organization restores it. docs/backup.md says when to use which backup."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--organization", type=int, metavar="ID", help="the organization's id")
        which.add_argument(
            "--all",
            action="store_true",
            help="every organization, every user and every published content version",
        )
        parser.add_argument("--output", required=True, metavar="FILE", help="e.g. northfield.json.gz")

    def handle(self, *args, organization, all, output, **options):
        try:
            summary = export_backup(path=output, organization_id=None if all else organization)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(_("Wrote %(path)s: %(what)s") % {"path": output, "what": describe(summary)})
        )


def describe(summary: Summary) -> str:
    return _(
        "%(organizations)s; %(people)d people, %(rows)d rows (%(history)d of them history); "
        "content: %(versions)s."
    ) % {
        "organizations": ", ".join(summary.organizations) or _("no organization"),
        "people": summary.people,
        "rows": summary.rows,
        "history": summary.history_rows,
        "versions": ", ".join(summary.versions) or _("none"),
    }
