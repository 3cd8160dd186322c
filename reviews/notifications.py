"""Workflow e-mails and integrity alerts, queued in the outbox (`outbox.mail`): written with
the transition, sent once it commits (a rolled-back transition sends nothing), and retried
when the mail server is down — a transition never fails because of mail."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from outbox.mail import queue

from .roles import CHIEF_EDITORS


def _chief_editors():
    return get_user_model().objects.filter(groups__name=CHIEF_EDITORS, is_active=True)


def _recipients(event) -> list:
    """Who hears of `event`: the people who must act next, or whose work it concerns. A
    review that changes hands (reassigned, taken over) is news to whoever held it before."""
    from .workflow import holder_before

    article, Action = event.article, type(event).Action
    authors = list(article.authors.filter(is_active=True))
    match event.action:
        case Action.SUBMITTED:
            people = list(_chief_editors())
            if article.assigned_reviewer:
                people.append(article.assigned_reviewer)
        case Action.ASSIGNED | Action.TAKEN_OVER:
            people = [event.assignee]
            if event.action == Action.TAKEN_OVER:
                people += _chief_editors()
            previous = holder_before(event)
            if previous is not None and previous.is_active:
                people.append(previous)
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
    if event.action in (event.Action.ASSIGNED, event.Action.TAKEN_OVER):
        from .workflow import holder_before

        previous = holder_before(event)
        if previous and previous != event.assignee:
            name = previous.get_full_name() or previous.get_username()
            lines.append(f"It was held by {name}, who can no longer approve it or request changes.")
    if event.comment:
        label = "Reason" if event.action == event.Action.TAKEN_OVER else "Comment"
        lines += ["", f"{label}:", event.comment]
    lines += ["", f"Open the review: {review_url}"]
    return subject, "\n".join(lines)


def on_event(event) -> None:
    recipients = _recipients(event)
    if not recipients:
        return
    subject, body = _message(event)
    queue(subject, body, recipients)


def on_revision_tampered(sender, revision, found_hash, **kwargs) -> None:
    """`articles.signals.revision_tampered`: the chief editors hear at once that an approved
    text was changed outside the application (it is sent once per tampered revision)."""
    recipients = sorted({p.email for p in _chief_editors() if p.email})
    if not recipients:
        return
    article = revision.article
    revision_url = settings.SITE_URL + reverse("admin:articles_revision_change", args=[revision.pk])
    subject = f"[Vetted] Integrity alert: “{article.headline}”, revision {revision.number}"
    body = "\n".join(
        [
            f"The stored text of revision {revision.number} of “{article.headline}” is no "
            "longer what was saved and approved: its SHA-256 does not match.",
            f"Recorded: {revision.content_hash}",
            f"Found:    {found_hash}",
            "",
            "The public page no longer shows the article as medically reviewed. The database "
            "was changed outside the application: find out how before anything else. "
            "`manage.py verify_revisions` lists every revision affected.",
            "",
            f"The revision: {revision_url}",
            f"The article: {settings.SITE_URL}{article.get_absolute_url()}",
        ]
    )
    queue(subject, body, recipients)
