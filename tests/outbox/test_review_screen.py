"""A mail server that can't be reached never turns a saved transition into an error: the
review screen's actions commit, and their e-mails wait in the outbox for `send_outbox`.

Transactional: the e-mails are tried after the real commit, inside the request, as in
production."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from outbox.models import Message
from reviews import roles
from tests.factories import ArticleFactory, SectionFactory, logged_in, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp_unreachable(settings):
    """Production's SMTP backend, pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return settings


def act(user, article, **data):
    url = reverse("admin:articles_article_review", args=[article.pk])
    response = logged_in(user).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == url
    article.refresh_from_db()
    return article


def test_submit_and_approve_succeed_while_the_mail_server_is_down(smtp_unreachable, mailoutbox):
    author = user_with_role(roles.EDITORS, username="author")
    reviewer = user_with_role(roles.MEDICAL_ADVISORY_BOARD, username="reviewer")
    user_with_role(roles.CHIEF_EDITORS, username="chief")
    article = ArticleFactory()
    SectionFactory(article=article)
    article.authors.add(author)
    before = set(Message.objects.values_list("pk", flat=True))  # e.g. role announcements

    article = act(author, article, action="submit")
    assert article.status == Article.Status.SUBMITTED
    submitted = Message.objects.exclude(pk__in=before).get()
    assert submitted.recipients == ["chief@example.org"]
    assert "Submitted for review" in submitted.subject
    assert (submitted.sent_at, submitted.attempts) == (None, 1)
    assert "ConnectionRefusedError" in submitted.last_error

    seen = str(article.submitted_revision_id)
    article = act(reviewer, article, action="start_review", seen_revision=seen)
    # The reviewer declared no specialty (so the submission was not announced to them) and
    # confirms approving outside it, as the review screen asks.
    article = act(
        reviewer, article, action="approve", comment="Sound.", seen_revision=seen,
        outside_specialty="on",
    )  # fmt: skip
    assert article.status == Article.Status.APPROVED
    assert article.approval.actor == reviewer
    approved = Message.objects.exclude(pk__in=before | {submitted.pk}).get()
    assert approved.recipients == ["author@example.org", "chief@example.org"]
    assert "Approved" in approved.subject
    assert approved.sent_at is None
    assert "ConnectionRefusedError" in approved.last_error
    assert Message.objects.undelivered().exclude(pk__in=before).count() == 2
    assert mailoutbox == []

    # Later the mail server is back, and the timer's next run finds both messages due.
    smtp_unreachable.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_outbox")
    assert mailoutbox == []  # not due yet: the first pause is a minute
    Message.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("send_outbox")
    assert not Message.objects.undelivered().exists()
    sent = {(m.subject, tuple(m.to)) for m in mailoutbox}
    assert (submitted.subject, ("chief@example.org",)) in sent
    assert (approved.subject, ("author@example.org", "chief@example.org")) in sent
