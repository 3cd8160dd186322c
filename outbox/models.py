from django.db import models
from django.db.models import Q


class MessageQuerySet(models.QuerySet):
    def undelivered(self):
        """Not sent (yet): waiting for a retry, or given up."""
        return self.filter(sent_at__isnull=True)

    def failed(self):
        """Given up on: every attempt failed and none is planned. Only a person retries it."""
        return self.filter(sent_at__isnull=True, next_attempt_at__isnull=True)

    def due(self, now):
        """Waiting for an attempt whose time has come."""
        return self.filter(sent_at__isnull=True, next_attempt_at__lte=now)


class Message(models.Model):
    """One e-mail on its way out. The row is written in the transaction that caused it, so
    what was saved is never without its mail and a rolled-back change sends nothing. Sending
    happens after the commit (`outbox.mail`), and a mail server that is down or refuses is
    recorded here and retried instead of failing the request."""

    recipients = models.JSONField(help_text="The addresses it goes to, all in one message.")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the next attempt is due; empty once sent or given up.",
    )
    last_error = models.TextField(blank=True, help_text="What the mail server said last time.")

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("retry_message", "Can retry sending a message now")]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True),
                name="outbox_message_waiting",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recipients=[]), name="outbox_message_has_recipients"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(next_attempt_at__isnull=True),
                name="outbox_message_sent_is_not_due",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(attempts__gt=0),
                name="outbox_message_sent_after_an_attempt",
            ),
            models.CheckConstraint(
                condition=Q(attempts=0, last_attempt_at__isnull=True)
                | Q(attempts__gt=0, last_attempt_at__isnull=False),
                name="outbox_message_attempts_have_a_time",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def status(self) -> str:
        if self.sent_at:
            return "Sent"
        if self.next_attempt_at is None:
            return f"Failed after {self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if self.attempts:
            return "Waiting to retry"
        return "Queued"
