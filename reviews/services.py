"""The review workflow. Every change of an article's review state is one of these functions.

Each checks who may act and from which state, locks the article row (`select_for_update`),
re-reads it, writes one `ReviewEvent` and one article history row carrying the acting user
and a reason, and raises `TransitionError` with a message for the person otherwise. Nothing
else (views, admin, signals, `save()`) changes `Article.status`.
"""

import calendar
import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ReaderType, Section, Variant
from articles.validators import validate_citation_keys

from . import notifications
from .models import ReviewEvent, Revision

Status = Article.Status
Action = ReviewEvent.Action
IN_REVIEW = (Status.SUBMITTED, Status.UNDER_REVIEW)


class TransitionError(Exception):
    """A workflow step that may not happen now; the message says why, for the user."""


class ConflictError(TransitionError):
    """Someone else changed the article first (another approval, a newer revision)."""


# -- revisions ---------------------------------------------------------------------------


def snapshot(article: Article) -> dict:
    """The whole working copy as plain data: what a revision freezes. Reader-type variants are
    keyed by the reader type's slug; the keys are left out when there are none, so an article
    without variants hashes as it always did."""
    variants = list(article.variants.select_related("reader_type"))
    content = {
        "question": article.question.text,
        "headline": article.headline,
        "bottom_line": article.bottom_line,
        "sections": [],
    }
    bottom_line_variants = {v.reader_type.slug: v.text for v in variants if not v.section_id}
    if bottom_line_variants:
        content["bottom_line_variants"] = bottom_line_variants
    for s in article.sections.order_by("position"):
        section = {"position": s.position, "heading": s.heading, "kind": s.kind, "body": s.body}
        own = {
            v.reader_type.slug: {"heading": v.heading, "body": v.text}
            for v in variants
            if v.section_id == s.pk
        }
        if own:
            section["variants"] = own
        content["sections"].append(section)
    return content


def record_revision(article: Article, *, by: AbstractBaseUser) -> Revision:
    """Freeze the working copy, unless it is identical to the latest revision."""
    content = snapshot(article)
    digest = Revision.hash_of(content)
    latest = article.revisions.order_by("-number").first()
    if latest and latest.content_hash == digest:
        return latest
    return Revision.objects.create(
        article=article,
        number=(latest.number + 1) if latest else 1,
        content=content,
        content_hash=digest,
        created_by=by,
    )


# -- guards --------------------------------------------------------------------------------


def _require(user, permission: str, doing: str) -> None:
    if not (user.is_active and user.has_perm(permission)):
        raise TransitionError(f"You may not {doing}: that needs the “{permission}” permission.")


def _locked(article: Article) -> Article:
    return (
        Article.objects.select_for_update().select_related("question", "topic").get(pk=article.pk)
    )


def four_eyes_objection(article: Article, user) -> str | None:
    """Why `user` may not review `article`, or None. Nobody reviews what they wrote or edited
    since the last approval — not a chief editor, not a superuser."""
    if article.authors.filter(pk=user.pk).exists():
        return "You are an author of this article; another board member must review it."
    since = article.approval.revision.number if article.approval_id else 0
    if article.revisions.filter(number__gt=since, created_by=user).exists():
        return (
            "You edited this article since its last approval; another board member must review it."
        )
    return None


def _four_eyes(article: Article, user) -> None:
    objection = four_eyes_objection(article, user)
    if objection:
        raise TransitionError(objection)


def _state(article: Article, allowed: tuple, doing: str) -> None:
    if article.status not in allowed:
        raise TransitionError(
            f"You can’t {doing} an article that is {article.get_status_display().lower()}."
        )


def _current_revision(article: Article, seen_revision_id: int | None) -> None:
    if seen_revision_id is not None and seen_revision_id != article.submitted_revision_id:
        raise ConflictError(
            f"The article changed while you were reviewing it: revision "
            f"{article.submitted_revision.number if article.submitted_revision else '—'} is "
            "now the one under review. Look at the new revision before deciding."
        )


def _save(article: Article, *, by, reason: str, fields: list[str]) -> None:
    article._history_user = by
    article._change_reason = reason
    article.save(update_fields=[*fields, "updated_at"])


def _event(article: Article, action: str, *, by, **fields) -> ReviewEvent:
    event = ReviewEvent(article=article, action=action, actor=by, **fields)
    event._history_user = by
    event.save()
    return event


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# -- transitions ---------------------------------------------------------------------------


@transaction.atomic
def submit(article: Article, *, by) -> Revision:
    """Draft → Submitted: freeze the working copy as the revision to review."""
    _require(by, "articles.submit_article", "submit articles for review")
    article = _locked(article)
    _state(article, (Status.DRAFT,), "submit")
    sections = list(article.sections.all())
    if not sections:
        raise TransitionError("Add at least one section before submitting.")
    problems = []
    for where, text in [("Bottom line", article.bottom_line)] + [
        (f"Section {s.position} “{s.heading}”", s.body) for s in sections
    ]:
        try:
            validate_citation_keys(text)
        except ValidationError as error:
            problems += [f"{where}: {message}" for message in error.messages]
    if problems:
        raise TransitionError("Fix the citations before submitting. " + " ".join(problems))
    revision = record_revision(article, by=by)
    article.submitted_revision = revision
    article.status = Status.SUBMITTED
    _save(article, by=by, reason=f"Submitted revision {revision.number} for review",
          fields=["submitted_revision", "status"])  # fmt: skip
    event = _event(article, Action.SUBMITTED, by=by, revision=revision)
    notifications.on_event(event)
    return revision


@transaction.atomic
def assign(article: Article, reviewer, *, by) -> ReviewEvent:
    """Submitted/Under review → Under review, with `reviewer` named (chief editors)."""
    _require(by, "articles.assign_reviewer", "assign reviewers")
    article = _locked(article)
    _state(article, IN_REVIEW, "assign a reviewer to")
    if not (reviewer.is_active and reviewer.has_perm("articles.review_article")):
        raise TransitionError(f"{reviewer} is not a member of the Medical Advisory Board.")
    objection = four_eyes_objection(article, reviewer)
    if objection:
        raise TransitionError(f"{reviewer} can’t review this article. {objection}")
    article.assigned_reviewer = reviewer
    article.status = Status.UNDER_REVIEW
    _save(article, by=by, reason=f"Assigned to {reviewer} for review",
          fields=["assigned_reviewer", "status"])  # fmt: skip
    event = _event(
        article, Action.ASSIGNED, by=by, assignee=reviewer, revision=article.submitted_revision
    )
    notifications.on_event(event)
    return event


@transaction.atomic
def start_review(article: Article, *, by) -> ReviewEvent:
    """Submitted → Under review: a board member claims the article."""
    _require(by, "articles.review_article", "review articles")
    article = _locked(article)
    if article.status == Status.UNDER_REVIEW and article.assigned_reviewer_id == by.pk:
        raise TransitionError("You are already reviewing this article.")
    _state(article, (Status.SUBMITTED,), "start reviewing")
    if article.assigned_reviewer_id and article.assigned_reviewer_id != by.pk:
        raise TransitionError(f"This article is assigned to {article.assigned_reviewer}.")
    _four_eyes(article, by)
    article.assigned_reviewer = by
    article.status = Status.UNDER_REVIEW
    _save(article, by=by, reason="Review started", fields=["assigned_reviewer", "status"])
    return _event(article, Action.REVIEW_STARTED, by=by, revision=article.submitted_revision)


@transaction.atomic
def approve(
    article: Article, *, by, comment: str = "", seen_revision_id: int | None = None
) -> ReviewEvent:
    """Under review → Approved: a signature on exactly the submitted revision."""
    _require(by, "articles.review_article", "approve articles")
    article = _locked(article)
    if article.status == Status.APPROVED:
        approval = article.approval
        raise ConflictError(
            f"Already approved by {approval.actor.get_full_name() or approval.actor} on "
            f"{timezone.localtime(approval.created_at):%B %-d, %Y at %H:%M}."
        )
    if article.status in IN_REVIEW:  # resubmitted since the reviewer looked: say so first
        _current_revision(article, seen_revision_id)
    _state(article, (Status.UNDER_REVIEW,), "approve")
    _four_eyes(article, by)
    revision = article.submitted_revision
    event = _event(article, Action.APPROVED, by=by, revision=revision, comment=comment.strip())
    article.approval = event
    article.status = Status.APPROVED
    article.assigned_reviewer = None  # a decision ends the claim; the next revision is open
    article.next_review_due = _add_months(
        timezone.localdate(), article.topic.review_interval_months
    )
    _save(article, by=by, reason=f"Approved revision {revision.number}",
          fields=["approval", "status", "assigned_reviewer", "next_review_due"])  # fmt: skip
    notifications.on_event(event)
    return event


@transaction.atomic
def request_changes(
    article: Article, *, by, comment: str, seen_revision_id: int | None = None
) -> ReviewEvent:
    """Submitted/Under review → Draft, with the reviewer's comment for the editor."""
    _require(by, "articles.review_article", "request changes")
    if not comment.strip():
        raise TransitionError("Say what needs to change: a comment is required.")
    article = _locked(article)
    _state(article, IN_REVIEW, "request changes to")
    _current_revision(article, seen_revision_id)
    _four_eyes(article, by)
    article.status = Status.DRAFT
    article.assigned_reviewer = None  # a decision ends the claim; any board member may pick up
    _save(article, by=by, reason="Changes requested", fields=["status", "assigned_reviewer"])
    event = _event(
        article,
        Action.CHANGES_REQUESTED,
        by=by,
        revision=article.submitted_revision,
        comment=comment.strip(),
    )
    notifications.on_event(event)
    return event


@transaction.atomic
def add_comment(article: Article, *, by, comment: str, section_position=None) -> ReviewEvent:
    """A note on the article (or one section of it) that changes no state."""
    if not (by.has_perm("articles.review_article") or by.has_perm("articles.submit_article")):
        raise TransitionError("Only editors and board members comment on reviews.")
    if not comment.strip():
        raise TransitionError("The comment is empty.")
    article = _locked(article)
    revision = article.revision_in_focus
    if section_position is not None and not (
        revision and any(s.position == section_position for s in revision.sections)
    ):
        raise TransitionError(f"There is no section {section_position} in this revision.")
    return _event(
        article,
        Action.COMMENTED,
        by=by,
        revision=revision,
        comment=comment.strip(),
        section_position=section_position,
    )


@transaction.atomic
def unpublish(article: Article, *, by, comment: str) -> ReviewEvent:
    """Take an article off the public site (chief editors). Its history stays."""
    _require(by, "articles.unpublish_article", "unpublish articles")
    if not comment.strip():
        raise TransitionError("Give the reason for unpublishing.")
    article = _locked(article)
    if not (article.approval_id or article.status in IN_REVIEW):
        raise TransitionError("This article is not published.")
    event = _event(
        article,
        Action.UNPUBLISHED,
        by=by,
        revision=article.approval.revision if article.approval_id else article.submitted_revision,
        comment=comment.strip(),
    )
    article.approval = None
    article.submitted_revision = None
    article.assigned_reviewer = None
    article.next_review_due = None
    article.status = Status.DRAFT
    _save(article, by=by, reason=f"Unpublished: {comment.strip()}",
          fields=["approval", "submitted_revision", "assigned_reviewer", "next_review_due",
                  "status"])  # fmt: skip
    return event


@transaction.atomic
def record_edit(article: Article, *, by) -> Revision:
    """After an editor saved the working copy: freeze it as a revision, and if it no longer
    matches the revision under review or approved, it becomes a draft that needs review.
    The approved revision stays public until a new one is approved."""
    article = _locked(article)
    revision = record_revision(article, by=by)
    pinned = {
        Status.SUBMITTED: article.submitted_revision_id,
        Status.UNDER_REVIEW: article.submitted_revision_id,
        Status.APPROVED: article.approval.revision_id if article.approval_id else None,
    }.get(article.status)
    if article.status != Status.DRAFT and revision.pk != pinned:
        was = Status(article.status)
        article.status = Status.DRAFT
        if was in IN_REVIEW:
            reason = (
                f"Edited while {was.label.lower()}: withdrawn from review as revision "
                f"{revision.number}"
            )
        else:
            reason = f"Edited after approval: revision {revision.number} is a new draft"
        _save(article, by=by, reason=reason, fields=["status"])
        if was in IN_REVIEW:
            _event(article, Action.WITHDRAWN, by=by, revision=revision)
    return revision


@transaction.atomic
def restore(article: Article, revision: Revision, *, by) -> Revision:
    """Copy an older revision back into the working copy, as a new draft to be reviewed."""
    _require(by, "articles.change_article", "restore revisions")
    if revision.article_id != article.pk:
        raise TransitionError("That revision belongs to another article.")
    article = _locked(article)
    content = revision.content
    question = article.question
    question.text = content["question"]
    question.save(update_fields=["text"])
    article.headline = content["headline"]
    article.bottom_line = content["bottom_line"]
    reason = f"Restored revision {revision.number}"
    for section in article.sections.all():  # its variants go with it
        section._history_user, section._change_reason = by, reason
        section.delete()
    for variant in article.variants.all():  # the bottom line's
        variant._history_user, variant._change_reason = by, reason
        variant.delete()
    reader_types = {t.slug: t for t in ReaderType.objects.all()}

    def add_variant(slug, **fields):
        if slug in reader_types:  # a reader type deleted since then has nobody to show it to
            variant = Variant(article=article, reader_type=reader_types[slug], **fields)
            variant._history_user, variant._change_reason = by, reason
            variant.save()

    for slug, text in content.get("bottom_line_variants", {}).items():
        add_variant(slug, text=text)
    for data in content["sections"]:
        data = dict(data)
        section_variants = data.pop("variants", {})
        section = Section(article=article, **data)
        section._history_user, section._change_reason = by, reason
        section.save()
        for slug, variant in section_variants.items():
            add_variant(slug, section=section, heading=variant["heading"], text=variant["body"])
    article.status = Status.DRAFT
    article.version += 1
    _save(article, by=by, reason=f"Restored revision {revision.number} as a new draft",
          fields=["headline", "bottom_line", "status", "version"])  # fmt: skip
    restored = record_revision(article, by=by)
    _event(
        article,
        Action.RESTORED,
        by=by,
        revision=restored,
        comment=f"Restored the text of revision {revision.number}.",
    )
    return restored
