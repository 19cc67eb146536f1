import datetime

from django.core.management.base import BaseCommand, CommandError

from governance.core.services.alerts import daily_sweep


class Command(BaseCommand):
    help = "Run the daily sweep now: open reporting periods, raise alerts, send emails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Sweep as if today were this date (YYYY-MM-DD); for catching up.",
        )

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError("Give the date as YYYY-MM-DD, like 2027-04-01.") from error
        self.stdout.write(str(daily_sweep(today=today)))
