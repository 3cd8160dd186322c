"""Every e-mail the site sends goes through here: `queue()` writes it in the caller's
transaction and, once that commits, tries to send it. Nothing the mail server does reaches
the caller: a failure is written on the message, which `manage.py send_outbox` retries with
growing pauses and, after `MAX_ATTEMPTS`, leaves in the admin as failed."""

import datetime
import logging
from collections.abc import Iterable
from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import Message

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# The pause after the first failed attempt; each further failure doubles it, up to the longest.
# Ten attempts span about six hours, long enough for a mail server's maintenance window.
FIRST_PAUSE = datetime.timedelta(minutes=1)
LONGEST_PAUSE = datetime.timedelta(hours=2)


def queue(subject: str, body: str, recipients: Iterable[str]) -> Message | None:
    """Record one message to `recipients` (blank and repeated addresses dropped) as part of
    the current transaction and send it once the transaction commits. Returns the message, or
    None when nobody is left to send it to."""
    addresses = list(dict.fromkeys(address for address in recipients if address))
    if not addresses:
        return None
    message = Message.objects.create(
        recipients=addresses,
        subject=" ".join(subject.split()),  # a header: never more than one line
        body=body,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(partial(_send_after_commit, message.pk), robust=True)
    return message


def pause_after(attempts: int) -> datetime.timedelta | None:
    """How long to wait after `attempts` failed attempts; None once it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return min(FIRST_PAUSE * 2 ** (attempts - 1), LONGEST_PAUSE)


def deliver(message_id: int, *, now: datetime.datetime | None = None, force: bool = False):
    """One attempt at sending message `message_id`, if it is due (any time, with `force`) and
    not sent. Returns True when it was sent, False when it failed, None when it was not tried
    (sent already, not due, or being tried by another process right now)."""
    message = _claim(message_id, now or timezone.now(), force=force)
    if message is None:
        return None
    try:
        EmailMessage(message.subject, message.body, to=message.recipients).send()
    except Exception as error:  # any backend, any failure: record it, never raise
        text = f"{type(error).__name__}: {error}"
        Message.objects.filter(pk=message.pk).update(last_error=text)
        logger.warning(
            "Message %s (%s) not sent, attempt %s of %s: %s",
            message.pk,
            message.subject,
            message.attempts,
            MAX_ATTEMPTS,
            text,
        )
        return False
    Message.objects.filter(pk=message.pk).update(sent_at=timezone.now(), next_attempt_at=None)
    return True


def _claim(message_id: int, now: datetime.datetime, *, force: bool) -> Message | None:
    """Count the attempt before making it, in a short transaction of its own: another sender
    (the cron job, a second app server, a retry from the admin) that reads the row after this
    sees it is not due, so a message is not sent twice. If this process dies while sending,
    the message is simply due again later."""
    with transaction.atomic():
        waiting = Message.objects.select_for_update().filter(pk=message_id, sent_at__isnull=True)
        if not force:
            waiting = waiting.filter(next_attempt_at__lte=now)
        message = waiting.first()
        if message is None:
            return None
        message.attempts += 1
        message.last_attempt_at = now
        pause = pause_after(message.attempts)
        message.next_attempt_at = now + pause if pause else None
        message.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
    return message


def _send_after_commit(message_id: int) -> None:
    """The first attempt, right after the commit that queued the message. A request must not
    fail on it, whatever happens (the database gone too): the cron job will try again."""
    try:
        deliver(message_id)
    except Exception:
        logger.exception("Message %s: first attempt failed; send_outbox will retry", message_id)


def send_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """One attempt at every message that is due, oldest first: {"sent": n, "failed": n}."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0}
    due = Message.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    for message_id in list(due):
        result = deliver(message_id, now=now)
        if result is not None:
            counts["sent" if result else "failed"] += 1
    return counts
