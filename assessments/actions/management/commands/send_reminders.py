"""`manage.py send_reminders`: the daily reminder digests, for a scheduler (cron) to run once a day."""

import argparse
import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.actions.reminders import reminders_send


def day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(value)r is not a date as YYYY-MM-DD.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "E-mail each person at most one digest a day: votes they have not finished, actions they own due "
        "within a week or overdue, and (to facilitators) their team's next assessment when due. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=day,
            help=_("The day to remind for, as YYYY-MM-DD (default: today); for catching up."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Say what would be sent; send and record nothing.")
        )

    def handle(self, *args, **options):
        run = reminders_send(on=options["date"] or timezone.localdate(), dry_run=options["dry_run"])
        values = {
            "date": run.on.isoformat(),
            "sent": run.sent,
            "entries": run.entries,
            "already": run.already,
        }
        if run.dry_run:
            text = ngettext(
                "Dry run for %(date)s: %(sent)d digest would be sent (%(entries)d entries); ",
                "Dry run for %(date)s: %(sent)d digests would be sent (%(entries)d entries); ",
                run.sent,
            )
        else:
            text = ngettext(
                "Reminders for %(date)s: %(sent)d digest sent (%(entries)d entries); ",
                "Reminders for %(date)s: %(sent)d digests sent (%(entries)d entries); ",
                run.sent,
            )
        text += ngettext(
            "%(already)d person already had that day's.",
            "%(already)d people already had that day's.",
            run.already,
        )
        if run.dry_run:
            text += " " + _("Nothing was sent or recorded.")
        self.stdout.write(text % values)
