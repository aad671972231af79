from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from drivers.content_file import ContentFileError, load_content, read_content_file


class Command(BaseCommand):
    help = (
        "Load framework content from JSON files. Checks each whole file first; writes nothing on a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", help="content files, e.g. fixtures/implementation_drivers_v1.json"
        )

    def handle(self, *args, files, **options):
        for path in files:
            try:
                result = load_content(read_content_file(path), source=path)
            except ContentFileError as exc:
                raise CommandError(str(exc)) from None
            reports = {
                "created": _("%(path)s: %(version)s created."),
                "replaced": _("%(path)s: %(version)s replaced."),
                "unchanged": _("%(path)s: %(version)s unchanged."),
            }
            self.stdout.write(reports[result.outcome] % {"path": path, "version": result.version})
