"""Workflow e-mails and integrity alerts, queued in the outbox (`outbox.mail`): written with
the transition, sent once it commits (a rolled-back transition sends nothing), and retried
when the mail server is down — a transition never fails because of mail. Also the daily
digests of periodic reviews coming due (`send_review_reminders`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.models.review import ReviewReminder
from outbox.mail import queue

from . import specialties
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
            # The chief editors, whoever holds the review, and the board members of the
            # article's specialty, who may pick it up.
            people = [*_chief_editors(), *specialties.members_for(article)]
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
    from .workflow import is_confirmation

    what = event.get_action_display()
    if is_confirmation(event):
        what = "Confirmed still current"
    subject = f"[Vetted] {what}: {article.headline}"
    lines = [
        f"{actor} — {what.lower()}: “{article.headline}”"
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
    if event.action == event.Action.SUBMITTED:
        lines.append(f"Topic: {article.topic.name} ({article.topic.specialty.name}).")
    if event.outside_specialty:
        lines.append(
            f"Approved outside {actor}’s declared specialties: the article is in "
            f"{article.topic.specialty.name}. They confirmed it, and the review log records it."
        )
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


def on_specialties_changed(profile, before, after, *, by) -> None:
    """A board member's declared specialties changed (they decide which articles the member
    may approve where a topic requires a match): the chief editors hear who changed what."""
    recipients = sorted({p.email for p in _chief_editors() if p.email and p != by})
    if not recipients:
        return

    def names(declared) -> str:
        return ", ".join(sorted(s.name for s in declared)) or "none"

    url = settings.SITE_URL + reverse("admin:articles_reviewerprofile_history", args=[profile.pk])
    who = by.get_full_name() or by.get_username()
    subject = f"[Vetted] Specialties changed: {profile.display_name}"
    body = "\n".join(
        [
            f"{who} changed the specialties declared on {profile.display_name}’s board profile.",
            f"Before: {names(before)}.",
            f"Now: {names(after)}.",
            "",
            "Where a topic requires its specialty, only its declared members may approve.",
            f"The profile’s history: {url}",
        ]
    )
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


# -- periodic review reminders (manage.py send_review_reminders) ---------------------------

REMINDER_LIST_LENGTH = 100  # articles a digest lists; it counts the rest, all recorded
Stage = ReviewReminder.Stage


@dataclass
class ReminderRun:
    """What one run did, for its one-line summary."""

    days: int
    digests: int = 0
    overdue: int = 0  # articles in any digest as overdue
    due: int = 0  # articles in any digest as coming due
    already: int = 0  # (article, person) pairs reminded at this stage before

    def __str__(self) -> str:
        return (
            f"Review reminders: {self.digests} digest{'s' * (self.digests != 1)} queued, "
            f"covering {self.overdue} overdue article{'s' * (self.overdue != 1)} and {self.due} "
            f"due within {self.days} days; {self.already} reminder"
            f"{'s' * (self.already != 1)} already sent before, not repeated."
        )


def _reviewers_now(users) -> set[int]:
    """Of `users`, who may still confirm an approval: active, on the board, not an account
    administrator (the workflow table's rule)."""
    from .workflow import BY_ACTION

    confirm = BY_ACTION["confirm_current"]
    return {user.pk for user in users if confirm.allows_user(user)}


def _line(article, stage, today) -> str:
    due = article.next_review_due
    if stage == Stage.OVERDUE:
        late = (today - due).days
        when = f"overdue by {late} day{'s' * (late != 1)} (due {due:%B %-d, %Y})"
    else:
        left = (due - today).days
        when = f"due {due:%B %-d, %Y}" + (
            " (today)" if left == 0 else f" (in {left} day{'s' * (left != 1)})"
        )
    approval = article.approval
    by = approval.actor.get_full_name() or approval.actor.get_username()
    url = settings.SITE_URL + reverse("admin:articles_article_review", args=[article.pk])
    return (
        f"- “{article.headline}”: {when}; last reviewed by {by} on "
        f"{timezone.localtime(approval.created_at):%B %-d, %Y}.\n  {url}"
    )


def _digest(person, items, listed, *, today, days, more: int) -> tuple[str, str]:
    """The subject counts every item; the body lists the first `listed` (overdue first)."""
    counts = [
        f"{n} {what}"
        for n, what in [
            (sum(stage == Stage.OVERDUE for _, stage in items), "overdue"),
            (sum(stage == Stage.DUE for _, stage in items), f"due within {days} days"),
        ]
        if n
    ]
    overdue = [a for a, stage in listed if stage == Stage.OVERDUE]
    due = [a for a, stage in listed if stage == Stage.DUE]
    subject = f"[Vetted] Periodic reviews: {', '.join(counts)}"
    lines = [
        f"Hello {person.get_full_name() or person.get_username()},",
        "",
        "These approved articles are due for their periodic review. On each one's review "
        "screen a board member either confirms the approved text still current (no edit "
        "needed; readers then see it reviewed that day) or the editors revise it and submit "
        "it for review.",
    ]
    if overdue:
        lines += ["", "Overdue:", *(_line(a, Stage.OVERDUE, today) for a in overdue)]
    if due:
        lines += ["", f"Due within {days} days:", *(_line(a, Stage.DUE, today) for a in due)]
    if more:
        overdue_list = reverse("admin:articles_article_changelist") + "?work=overdue"
        lines += [
            "",
            f"And {more} more not listed here: the overdue ones are in the admin's "
            f"“Review overdue” list, {settings.SITE_URL}{overdue_list}",
        ]
    lines += [
        "",
        "You hear of each article once when its review comes due and once more if it becomes "
        "overdue; confirming or approving it starts a new interval.",
    ]
    return subject, "\n".join(lines)


def send_review_reminders(*, days: int, today: datetime.date | None = None) -> ReminderRun:
    """Queue one digest per person of the approved articles whose review falls due within
    `days` days or is overdue (overdue first): to the board member who gave each article's
    current approval, if they still may review, and to every chief editor. Each (article,
    person, due date, stage) is mailed once, recorded in `ReviewReminder` with the mail, so
    cron may run this as often as it likes."""
    today = today or timezone.localdate()
    run = ReminderRun(days=days)
    due = Article.objects.filter(
        approval__isnull=False, next_review_due__lte=today + datetime.timedelta(days=days)
    )
    articles = list(due.select_related("approval__actor").order_by("next_review_due", "pk"))
    if not articles:
        return run
    chiefs = list(_chief_editors().distinct())
    approvers = {a.approval.actor_id: a.approval.actor for a in articles}
    may_review = _reviewers_now(approvers.values())
    sent = set(
        # A join, not a list of ids: thousands of overdue articles make no huge IN (…).
        ReviewReminder.objects.filter(
            article__in=due, due_date=models.F("article__next_review_due")
        ).values_list("article_id", "recipient_id", "stage")
    )
    people, lists, listed_keys = {}, defaultdict(list), set()
    for article in articles:
        stage = Stage.OVERDUE if article.next_review_due < today else Stage.DUE
        approver = article.approval.actor
        for person in chiefs + [approver] * (approver.pk in may_review):
            key = (article.pk, person.pk, stage)
            if not person.email or key in listed_keys:
                continue  # a chief editor who gave the approval hears once
            if key in sent:
                run.already += 1
                continue
            listed_keys.add(key)
            people[person.pk] = person
            lists[person.pk].append((article, stage))
    mentioned = {Stage.OVERDUE: set(), Stage.DUE: set()}
    for pk, items in lists.items():
        items.sort(key=lambda item: (item[1] != Stage.OVERDUE, item[0].next_review_due))
        listed, more = items[:REMINDER_LIST_LENGTH], max(len(items) - REMINDER_LIST_LENGTH, 0)
        subject, body = _digest(people[pk], items, listed, today=today, days=days, more=more)
        try:
            with transaction.atomic():
                ReviewReminder.objects.bulk_create(
                    ReviewReminder(
                        article=article, recipient_id=pk, due_date=article.next_review_due,
                        stage=stage,
                    )
                    for article, stage in items
                )  # fmt: skip
                queue(subject, body, [people[pk].email])
        except IntegrityError:
            continue  # another run reminded them of these at the same moment: it mailed
        run.digests += 1
        for article, stage in items:
            mentioned[stage].add(article.pk)
    run.overdue, run.due = len(mentioned[Stage.OVERDUE]), len(mentioned[Stage.DUE])
    return run
