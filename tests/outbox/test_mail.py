"""The outbox: a message is written with the caller's transaction, sent once it commits, and
a mail server that fails is recorded and retried, never raised."""

import datetime

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from outbox import mail
from outbox.models import Message

pytestmark = pytest.mark.django_db

BROKEN = "tests.outbox.test_mail.BrokenBackend"


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


class ObservingBackend(BaseEmailBackend):
    """Sends nothing; calls `observe` (a test sets it) while the mail server is being asked."""

    observe = staticmethod(lambda: None)

    def send_messages(self, email_messages):
        type(self).observe()
        return len(email_messages)


def queued(callbacks, subject="Hello", body="Body.", recipients=("a@example.org",)):
    with callbacks(execute=True):
        message = mail.queue(subject, body, recipients)
    message.refresh_from_db()
    return message


def test_a_queued_message_is_sent_once_the_transaction_commits(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = mail.queue("Hello", "Body.", ["a@example.org", "b@example.org"])
        assert Message.objects.filter(pk=message.pk, sent_at=None).exists()
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert (message.attempts, message.next_attempt_at, message.last_error) == (1, None, "")
    assert [(m.subject, m.body, m.to) for m in mailoutbox] == [
        ("Hello", "Body.", ["a@example.org", "b@example.org"])
    ]


def test_a_rolled_back_transaction_leaves_no_message_and_sends_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    def failing_transition():
        with transaction.atomic():
            mail.queue("Hello", "Body.", ["a@example.org"])
            raise RuntimeError("the transition failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_transition()
    assert not Message.objects.exists()
    assert mailoutbox == []


def test_addresses_are_cleaned_and_nobody_to_send_to_queues_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    message = queued(
        django_capture_on_commit_callbacks,
        subject="Two\nlines",
        recipients=["b@example.org", "", "a@example.org", "b@example.org"],
    )
    assert message.recipients == ["b@example.org", "a@example.org"]
    assert message.subject == "Two lines"
    assert mail.queue("Hello", "Body.", ["", None]) is None
    assert Message.objects.count() == 1


def test_a_failing_mail_server_is_recorded_never_raised(
    django_capture_on_commit_callbacks, settings, mailoutbox, caplog
):
    settings.EMAIL_BACKEND = BROKEN
    before = timezone.now()
    message = queued(django_capture_on_commit_callbacks)
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error == "ConnectionRefusedError: the mail server is down"
    assert before <= message.last_attempt_at <= timezone.now()
    assert message.next_attempt_at == message.last_attempt_at + mail.FIRST_PAUSE
    assert Message.objects.undelivered().get() == message
    assert not Message.objects.failed().exists()
    assert "not sent, attempt 1 of 10" in caplog.text


def test_even_a_database_error_in_the_first_attempt_is_not_raised(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("no database")

    monkeypatch.setattr(mail, "deliver", broken)
    message = queued(django_capture_on_commit_callbacks)
    assert message.attempts == 0  # due now: send_outbox will take it
    assert "first attempt failed" in caplog.text


def test_pauses_double_up_to_the_longest_then_it_gives_up():
    pauses = [mail.pause_after(n) for n in range(1, mail.MAX_ATTEMPTS + 1)]
    minutes = [p.total_seconds() / 60 if p else None for p in pauses]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 120, 120, None]


def test_retries_back_off_and_then_the_message_is_left_as_failed(
    django_capture_on_commit_callbacks, settings, mailoutbox
):
    settings.EMAIL_BACKEND = BROKEN
    message = queued(django_capture_on_commit_callbacks)
    now = message.next_attempt_at
    assert mail.send_due(now - datetime.timedelta(seconds=1)) == {"sent": 0, "failed": 0}
    for attempt in range(2, mail.MAX_ATTEMPTS + 1):
        assert mail.send_due(now) == {"sent": 0, "failed": 1}
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.last_attempt_at == now
        if attempt < mail.MAX_ATTEMPTS:
            assert message.next_attempt_at == now + mail.pause_after(attempt)
            now = message.next_attempt_at
    assert message.next_attempt_at is None
    assert list(Message.objects.failed()) == [message]
    assert message.status == "Failed after 10 attempts"
    far_future = now + datetime.timedelta(days=365)
    assert mail.send_due(far_future) == {"sent": 0, "failed": 0}  # nobody retries it but a person

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail.deliver(message.pk, force=True) is True
    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at) == (11, None)
    assert message.sent_at is not None
    assert len(mailoutbox) == 1


def test_a_message_is_sent_once_however_many_senders_try(
    django_capture_on_commit_callbacks, settings, mailoutbox
):
    settings.EMAIL_BACKEND = BROKEN
    message = queued(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    due = message.next_attempt_at
    assert mail.deliver(message.pk, now=due) is True
    assert mail.deliver(message.pk, now=due) is None  # sent already
    assert mail.deliver(message.pk, force=True) is None
    assert len(mailoutbox) == 1


def test_an_attempt_is_counted_before_it_is_made(
    django_capture_on_commit_callbacks, settings, monkeypatch
):
    """Another sender reading the row while the mail server is being asked finds it not due,
    so a slow attempt is not repeated alongside."""
    settings.EMAIL_BACKEND = BROKEN
    message = queued(django_capture_on_commit_callbacks)
    seen = {}

    def observe():
        row = Message.objects.get(pk=message.pk)
        seen.update(attempts=row.attempts, next=row.next_attempt_at)
        seen["due"] = Message.objects.due(message.next_attempt_at).exists()

    monkeypatch.setattr(ObservingBackend, "observe", staticmethod(observe))
    settings.EMAIL_BACKEND = "tests.outbox.test_mail.ObservingBackend"
    assert mail.deliver(message.pk, now=message.next_attempt_at) is True
    assert seen == {
        "attempts": 2,
        "next": message.next_attempt_at + mail.pause_after(2),
        "due": False,
    }


def test_send_outbox_sends_what_failed_before(
    django_capture_on_commit_callbacks, settings, mailoutbox, capsys
):
    settings.EMAIL_BACKEND = BROKEN
    waiting = queued(django_capture_on_commit_callbacks, subject="Waiting")
    Message.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_outbox")
    waiting.refresh_from_db()
    assert waiting.sent_at is not None
    assert [m.subject for m in mailoutbox] == ["Waiting"]
    assert "Sent 1, failed 0." in capsys.readouterr().out


def test_send_outbox_names_the_messages_it_gave_up_on(
    django_capture_on_commit_callbacks, settings, capsys
):
    settings.EMAIL_BACKEND = BROKEN
    message = queued(django_capture_on_commit_callbacks)
    Message.objects.filter(pk=message.pk).update(
        attempts=mail.MAX_ATTEMPTS - 1, next_attempt_at=timezone.now()
    )
    call_command("send_outbox")
    out, err = capsys.readouterr()
    assert "Sent 0, failed 1." in out
    assert "1 message(s) failed for good" in err
    assert Message.objects.failed().count() == 1


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"recipients": []}, "outbox_message_has_recipients"),
        (
            {"sent_at": timezone.now(), "attempts": 1, "last_attempt_at": timezone.now(),
             "next_attempt_at": timezone.now()},
            "outbox_message_sent_is_not_due",
        ),
        ({"sent_at": timezone.now()}, "outbox_message_sent_after_an_attempt"),
        ({"attempts": 1}, "outbox_message_attempts_have_a_time"),
        ({"last_attempt_at": timezone.now()}, "outbox_message_attempts_have_a_time"),
    ],
)  # fmt: skip
def test_the_database_refuses_an_impossible_message(fields, constraint):
    values = {"recipients": ["a@example.org"], "subject": "S", "body": "B"} | fields
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Message.objects.create(**values)


def test_a_possible_message_is_accepted():
    now = timezone.now()
    Message.objects.create(
        recipients=["a@example.org"], subject="S", body="B", sent_at=now, attempts=1,
        last_attempt_at=now,
    )  # fmt: skip
    assert Message.objects.count() == 1
