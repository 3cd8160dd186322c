from django.core.management.base import BaseCommand

from outbox import mail
from outbox.models import Message


class Command(BaseCommand):
    help = (
        "Try once more to send every queued e-mail whose next attempt is due. Run it every few "
        "minutes (cron or a systemd timer); a message that failed "
        f"{mail.MAX_ATTEMPTS} times is left in the admin as failed."
    )

    def handle(self, *args, **options):
        counts = mail.send_due()
        failed_for_good = Message.objects.failed().count()
        self.stdout.write(f"Sent {counts['sent']}, failed {counts['failed']}.")
        if failed_for_good:
            self.stderr.write(
                f"{failed_for_good} message(s) failed for good: see the admin, Outgoing mail, "
                "filter “Failed”, and retry them once the mail server works."
            )
