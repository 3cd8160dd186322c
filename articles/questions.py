"""Readers' questions after triage: answering one with an approved article, and telling the
reader who asked. The rule lives here, once; the admin's change form and its "Mark as
answered" action both go through `mark_answered`."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from outbox.mail import queue

from .models import Article, Question

EMAIL_SUBJECT = "An answer to your question on Vetted"


class AnswerError(Exception):
    """The question can't be answered with that article; the message says why, for editors."""


@dataclass(frozen=True)
class Answered:
    question: Question
    emailed: bool  # an e-mail to the asker was queued by this call
    already_emailed: bool  # the asker had been sent an answer before: none was sent again


def mark_answered(question: Question, article: Article, *, by) -> Answered:
    """Mark `question` answered by `article`, which must be publicly approved (readers see its
    approved revision), recording `by` in the question's history. If the asker left an e-mail
    address and was never sent an answer, one e-mail with a link to the article is queued in
    the same transaction (sent once it commits). `answer_sent_at` is set with it, under the
    row lock, so marking the question again — or two editors doing it at once — never sends
    a second one. Raises AnswerError, changing nothing, when the article is not approved."""
    with transaction.atomic():
        # On PostgreSQL the row lock makes a concurrent call wait and then read this one's
        # answer_sent_at; on SQLite the IMMEDIATE transaction does the same (settings).
        locked = Question.objects.select_for_update().get(pk=question.pk)
        answer = (
            Article.objects.select_related("approval__revision")
            .filter(pk=article.pk, approval__isnull=False)
            .first()
        )
        if answer is None:
            raise AnswerError(not_approved(article))
        already_emailed = locked.answer_sent_at is not None
        emailed = bool(locked.asker_email) and not already_emailed
        changed = locked.status != Question.Status.ANSWERED or locked.answer_id != answer.pk
        locked.status = Question.Status.ANSWERED
        locked.answer = answer
        if emailed:
            queue(EMAIL_SUBJECT, _email_body(locked, answer), [locked.asker_email])
            locked.answer_sent_at = timezone.now()
        if changed or emailed:
            locked._history_user = by
            locked.save(update_fields=["status", "answer", "answer_sent_at"])
    for field in ("status", "answer", "answer_sent_at"):
        setattr(question, field, getattr(locked, field))
    return Answered(question=question, emailed=emailed, already_emailed=already_emailed)


def not_approved(article: Article) -> str:
    return (
        f"“{article}” has no approved revision, so it can't answer a reader's question yet. "
        "Choose an article the Medical Advisory Board has approved."
    )


def _email_body(question: Question, article: Article) -> str:
    # The same base as every other link we e-mail (reviews.notifications): SITE_URL.
    return render_to_string(
        "articles/email/question_answered.txt",
        {
            "question": question,
            "headline": article.approval.revision.headline,
            "url": settings.SITE_URL + article.get_absolute_url(),
        },
    )
