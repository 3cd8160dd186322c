"""Workflow e-mails, sent through Django's mail API once the transaction has committed (a
rolled-back transition sends nothing)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from .roles import CHIEF_EDITORS


def _chief_editors():
    return get_user_model().objects.filter(groups__name=CHIEF_EDITORS, is_active=True)


def _recipients(event) -> list:
    """Who hears of `event`: the people who must act next, or whose work it concerns."""
    article, Action = event.article, type(event).Action
    authors = list(article.authors.filter(is_active=True))
    match event.action:
        case Action.SUBMITTED:
            people = list(_chief_editors())
            if article.assigned_reviewer:
                people.append(article.assigned_reviewer)
        case Action.ASSIGNED:
            people = [event.assignee]
        case Action.CHANGES_REQUESTED:
            people = authors + [event.revision.created_by]
        case Action.APPROVED:
            people = authors + list(_chief_editors())
        case _:
            people = []
    return sorted({p.email for p in people if p.email and p != event.actor})


def _message(event) -> tuple[str, str]:
    article = event.article
    actor = event.actor.get_full_name() or event.actor.get_username()
    review_url = settings.SITE_URL + reverse("admin:articles_article_review", args=[article.pk])
    subject = f"[Vetted] {event.get_action_display()}: {article.headline}"
    lines = [
        f"{actor} — {event.get_action_display().lower()}: “{article.headline}”"
        + (f" (revision {event.revision.number})." if event.revision else "."),
    ]
    if event.assignee:
        lines.append(f"Reviewer: {event.assignee.get_full_name() or event.assignee}.")
    if event.comment:
        lines += ["", "Comment:", event.comment]
    lines += ["", f"Open the review: {review_url}"]
    return subject, "\n".join(lines)


def on_event(event) -> None:
    recipients = _recipients(event)
    if not recipients:
        return
    subject, body = _message(event)
    transaction.on_commit(
        lambda: send_mass_mail([(subject, body, None, recipients)], fail_silently=False)
    )
