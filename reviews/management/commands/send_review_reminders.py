"""Daily, from cron: e-mail each board member and chief editor one digest of the periodic
reviews coming due or overdue (`reviews.notifications.send_review_reminders`)."""

from django.core.management.base import BaseCommand, CommandError

from reviews.notifications import send_review_reminders

DEFAULT_DAYS = 30


class Command(BaseCommand):
    help = (
        "Queue reminder digests (through the outbox) of approved articles whose periodic "
        "review is overdue or falls due within --days days. Nobody is told twice about the "
        "same article at the same stage, so running it more than once a day is harmless."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Remind of reviews due within this many days (default {DEFAULT_DAYS}).",
        )

    def handle(self, *args, days, **options):
        if not 0 <= days <= 366:
            raise CommandError("--days must be between 0 and 366.")
        self.stdout.write(str(send_review_reminders(days=days)))
