"""Outgoing mail in the admin: read-only, filtered by delivery, retried by those allowed."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from outbox.models import Message
from tests.factories import UserFactory, logged_in

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:outbox_message_changelist")


def staff_with(*codenames):
    """A staff member given outbox permissions directly (chief editors get them by role)."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="outbox", codename__in=codenames)
    )
    return user


@pytest.fixture
def messages_():
    now = timezone.now()
    earlier = now - datetime.timedelta(hours=1)
    common = {"recipients": ["chief@example.org"], "body": "Body."}
    return {
        "sent": Message.objects.create(
            subject="Delivered fine", sent_at=now, attempts=1, last_attempt_at=now, **common
        ),
        "waiting": Message.objects.create(
            subject="Waiting to retry",
            attempts=2,
            last_attempt_at=earlier,
            next_attempt_at=now + datetime.timedelta(minutes=2),
            last_error="SMTPServerDisconnected: Connection unexpectedly closed",
            **common,
        ),
        "failed": Message.objects.create(
            subject="Given up on",
            attempts=10,
            last_attempt_at=earlier,
            last_error="ConnectionRefusedError: [Errno 111] Connection refused",
            **common,
        ),
    }


def test_the_list_shows_undelivered_mail_with_its_error(messages_):
    client = logged_in(staff_with("view_message"))
    html = client.get(CHANGELIST, {"delivery": "undelivered"}).content.decode()
    assert "Waiting to retry" in html
    assert "Given up on" in html
    assert "Delivered fine" not in html
    assert "Connection unexpectedly closed" in html
    assert "Failed after 10 attempts" in html

    html = client.get(CHANGELIST, {"delivery": "failed"}).content.decode()
    assert "Given up on" in html
    assert "Waiting to retry" not in html

    html = client.get(CHANGELIST).content.decode()
    assert all(subject in html for subject in ("Delivered fine", "Waiting to retry", "Given up on"))


def test_without_the_view_permission_the_list_is_closed(messages_):
    assert logged_in(UserFactory(is_staff=True)).get(CHANGELIST).status_code == 403


def test_a_message_can_be_read_but_not_changed_added_or_deleted(messages_):
    client = logged_in(staff_with("view_message", "retry_message"))
    message = messages_["failed"]
    change = reverse("admin:outbox_message_change", args=[message.pk])
    response = client.get(change)
    assert response.status_code == 200
    assert "ConnectionRefusedError" in response.content.decode()
    assert client.post(change, {"subject": "Rewritten"}).status_code == 403
    assert client.get(reverse("admin:outbox_message_add")).status_code == 403
    delete = reverse("admin:outbox_message_delete", args=[message.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    message.refresh_from_db()
    assert message.subject == "Given up on"


def retry(client, *messages):
    return client.post(
        CHANGELIST,
        {"action": "retry_now", "_selected_action": [m.pk for m in messages]},
        follow=True,
    )


def test_retry_now_sends_the_selected_messages(messages_, mailoutbox):
    client = logged_in(staff_with("view_message", "retry_message"))
    assert "Retry now" in client.get(CHANGELIST).content.decode()
    response = retry(client, messages_["failed"], messages_["waiting"], messages_["sent"])
    assert "2 messages sent." in response.content.decode()
    assert sorted(m.subject for m in mailoutbox) == ["Given up on", "Waiting to retry"]
    assert not Message.objects.undelivered().exists()


def test_retry_now_reports_a_message_that_fails_again(messages_, settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_mail.BrokenBackend"
    client = logged_in(staff_with("view_message", "retry_message"))
    response = retry(client, messages_["failed"])
    assert "1 message could not be sent" in response.content.decode()
    failed = Message.objects.get(pk=messages_["failed"].pk)
    assert (failed.attempts, failed.next_attempt_at) == (11, None)  # still failed
    assert failed.last_error == "ConnectionRefusedError: the mail server is down"


def test_retry_now_needs_the_retry_permission(messages_, mailoutbox):
    client = logged_in(staff_with("view_message"))
    assert "Retry now" not in client.get(CHANGELIST).content.decode()
    retry(client, messages_["failed"])
    assert mailoutbox == []
    assert Message.objects.get(pk=messages_["failed"].pk).attempts == 10
