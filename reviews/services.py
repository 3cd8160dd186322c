"""The review workflow. Every change of an article's review state is one of these functions.

Each reads its row of the workflow table (`reviews.workflow`: who may act, from which
states, to which state), locks and re-reads the article row (`select_for_update`), checks
the rules a table can't hold (four eyes, claims, specialties, stale screens: `reviews.guards`;
who may act at all, account administrators included, is the table's `Transition.allows_user`),
writes one `ReviewEvent` and one article history row carrying the acting user and a reason,
and raises `TransitionError` (from `guards`) with a message for the person otherwise.
Nothing else (views, admin, signals, `save()`) changes `Article.status`.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles import revisions
from articles.models import Article, GlossaryApproval, GlossaryTerm, ReviewEvent
from articles.revisions import Revision
from articles.validators import clean_change_summary, validate_citation_keys

from . import guards, notifications, specialties, workflow
from .guards import ConflictError, TransitionError
from .workflow import BY_ACTION, Transition

__all__ = ["ConflictError", "TransitionError"]  # the refusals every service raises

Status = Article.Status
Action = ReviewEvent.Action


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


def _next_review_due(article: Article) -> datetime.date:
    """When an approval made today holds until: the topic's review interval from today. Both
    approving and confirming an article still current start the interval here."""
    return _add_months(timezone.localdate(), article.topic.review_interval_months)


# -- transitions ---------------------------------------------------------------------------


@transaction.atomic
def submit(article: Article, *, by, change_summary: str = "") -> Revision:
    """Draft → Submitted: freeze the working copy as the revision to review (the revision a
    save already recorded, if the text is unchanged), and record the submission with
    `change_summary`, the one line readers' review history shows once it is approved (empty:
    not a material change). Each submission keeps its own summary, so a revision sent back
    and submitted again unchanged may come with a new one. An approved article may be
    submitted again when a reference it cites has changed in the library."""
    try:
        change_summary = clean_change_summary(change_summary)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages)) from None
    transition, article = guards.begin("submit", article, by)
    guards.check_state(transition, article)
    if not transition.allows_state(article):
        raise TransitionError(
            "Nothing new to submit: the working copy is the approved revision. Edit the "
            "article first."
        )
    if not article.sections.exists():
        raise TransitionError("Add at least one section before submitting.")
    problems = []
    for where, text in revisions.Content(revisions.snapshot(article)).texts():
        try:
            validate_citation_keys(text)
        except ValidationError as error:
            problems += [f"{where}: {message}" for message in error.messages]
    if problems:
        raise TransitionError("Fix the citations before submitting. " + " ".join(problems))
    revision = revisions.record(article, by=by)
    article.submitted_revision = revision
    article.status = transition.target
    _save(article, by=by, reason=f"Submitted revision {revision.number} for review",
          fields=["submitted_revision", "status"])  # fmt: skip
    event = _event(
        article, Action.SUBMITTED, by=by, revision=revision, change_summary=change_summary
    )
    notifications.on_event(event)
    return revision


@transaction.atomic
def assign(article: Article, reviewer, *, by) -> ReviewEvent:
    """Submitted/Under review → Under review, with `reviewer` holding the review (chief
    editors). Under review this moves the review; the previous holder is told."""
    transition, article = guards.begin("assign", article, by)
    guards.check_state(transition, article)
    if not (reviewer.is_active and reviewer.has_perm("articles.review_article")):
        raise TransitionError(f"{reviewer} is not a member of the Medical Advisory Board.")
    if workflow.administers_accounts(reviewer):
        raise TransitionError(
            f"{reviewer} can’t review: account administrators take no part in reviews or approvals."
        )
    if article.status == Status.UNDER_REVIEW and article.assigned_reviewer_id == reviewer.pk:
        raise TransitionError(f"{guards.name_of(reviewer)} already holds this review.")
    objection = guards.four_eyes_objection(article, reviewer)
    if objection:
        raise TransitionError(f"{reviewer} can’t review this article. {objection}")
    if specialties.objection(article, reviewer):
        raise TransitionError(
            f"{guards.name_of(reviewer)} can’t approve this article: only a board member in "
            f"{article.topic.specialty.name} can approve articles in “{article.topic.name}”."
        )
    previous = article.assigned_reviewer
    article.assigned_reviewer = reviewer
    article.status = transition.target
    reason = f"Assigned to {reviewer} for review"
    if previous is not None and previous != reviewer:
        reason += f", instead of {previous}"
    _save(article, by=by, reason=reason, fields=["assigned_reviewer", "status"])
    event = _event(
        article, Action.ASSIGNED, by=by, assignee=reviewer, revision=article.submitted_revision
    )
    notifications.on_event(event)
    return event


@transaction.atomic
def start_review(article: Article, *, by) -> ReviewEvent:
    """Submitted → Under review: a board member claims the article."""
    transition, article = guards.begin("start_review", article, by)
    if article.status == Status.UNDER_REVIEW and article.assigned_reviewer_id == by.pk:
        raise TransitionError("You are already reviewing this article.")
    return _start(transition, article, by)


def _start(transition: Transition, article: Article, by) -> ReviewEvent:
    """Claim the locked, submitted `article` for `by`: start_review's rules and record."""
    objection = guards.claim_objection("start_review", article, by)
    if objection:
        raise TransitionError(objection)
    guards.check_state(transition, article)
    guards.four_eyes(article, by)
    article.assigned_reviewer = by
    article.status = transition.target
    _save(article, by=by, reason="Review started", fields=["assigned_reviewer", "status"])
    return _event(article, Action.REVIEW_STARTED, by=by, revision=article.submitted_revision)


def _start_if_submitted(transition: Transition, article: Article, by) -> None:
    """A decision on a submitted article (`Transition.starts_review`) starts the review for
    the decider first, in the same transaction, so both steps are in the log."""
    if transition.starts_review and article.status == Status.SUBMITTED:
        _start(BY_ACTION["start_review"], article, by)


@transaction.atomic
def take_over(
    article: Article, *, by, reason: str, seen_holder_id: int | None = None
) -> ReviewEvent:
    """Under review → Under review, held by `by` from now on: a board member takes over the
    review another holds, saying why (four eyes still apply). The previous holder can no
    longer decide; they and the chief editors are told. `seen_holder_id` is the holder the
    taker saw: if the review changed hands since, that is a conflict."""
    if BY_ACTION["take_over"].allows_user(by) and not reason.strip():
        raise TransitionError("Say why you are taking over this review: a reason is required.")
    transition, article = guards.begin("take_over", article, by)
    if article.status != Status.UNDER_REVIEW:
        raise guards.nothing_to_take_over(article, by)
    if seen_holder_id is not None and seen_holder_id != article.assigned_reviewer_id:
        claim = workflow.claim_event(article)
        moved = guards.moved(claim) if claim and claim.action != Action.REVIEW_STARTED else ""
        raise ConflictError(
            "The review changed hands while you were looking"
            + (f": {moved}" if moved else "")
            + ". Look at who holds it now before taking it over."
        )
    objection = guards.claim_objection("take_over", article, by)
    if objection:
        raise TransitionError(objection)
    guards.four_eyes(article, by)
    previous = article.assigned_reviewer
    article.assigned_reviewer = by
    article.status = transition.target
    _save(article, by=by,
          reason=f"Review taken over from {previous or 'nobody'}: {reason.strip()}",
          fields=["assigned_reviewer", "status"])  # fmt: skip
    event = _event(
        article,
        Action.TAKEN_OVER,
        by=by,
        assignee=by,
        revision=article.submitted_revision,
        comment=reason.strip(),
    )
    notifications.on_event(event)
    return event


@transaction.atomic
def approve(
    article: Article,
    *,
    by,
    comment: str = "",
    seen_revision_id: int | None = None,
    outside_specialty: bool = False,
) -> ReviewEvent:
    """Under review → Approved: a signature on exactly the submitted revision. Outside the
    approver's specialties it takes `outside_specialty` (their confirmation), recorded on the
    approval; where the topic requires a match, it is refused (`reviews.specialties`)."""
    transition, article = guards.begin("approve", article, by)
    if article.status == Status.APPROVED:
        approval = article.approval
        raise ConflictError(
            f"Already approved by {approval.actor.get_full_name() or approval.actor} on "
            f"{timezone.localtime(approval.created_at):%B %-d, %Y at %H:%M}."
        )
    if article.is_in_review:  # resubmitted since the reviewer looked: say so first
        guards.check_current_revision(article, seen_revision_id)
    guards.check_state(transition, article)
    guards.four_eyes(article, by)
    _start_if_submitted(transition, article, by)
    guards.holds("approve", article, by, "approval")
    outside = guards.outside_specialty(article, by, confirmed=outside_specialty)
    revision = article.submitted_revision
    event = _event(article, Action.APPROVED, by=by, revision=revision, comment=comment.strip(),
                   outside_specialty=outside)  # fmt: skip
    article.approval = event
    article.status = transition.target
    article.assigned_reviewer = None  # a decision ends the claim; the next revision is open
    article.next_review_due = _next_review_due(article)
    _save(article, by=by, reason=f"Approved revision {revision.number}",
          fields=["approval", "status", "assigned_reviewer", "next_review_due"])  # fmt: skip
    notifications.on_event(event)
    return event


@transaction.atomic
def confirm_current(
    article: Article,
    *,
    by,
    comment: str = "",
    seen_approval_id: int | None = None,
    outside_specialty: bool = False,
) -> ReviewEvent:
    """Approved → Approved, the periodic review: a board member re-approves the approved
    revision as it stands, without an edit. It is recorded as a new approval of the same
    revision (so readers' review history, "Medically reviewed by … on …", the catalogue and
    the cached pages all show the new reviewer and date) and starts a new review interval.
    `seen_approval_id` is the approval the board member looked at: a confirmation or
    approval that came in since is a conflict. Specialties count as for approving."""
    transition, article = guards.begin("confirm_current", article, by)
    guards.confirmable(article, seen_approval_id)
    objection = guards.confirm_objection(article, by)
    if objection:
        raise TransitionError(objection)
    outside = guards.outside_specialty(article, by, confirmed=outside_specialty)
    revision = article.approval.revision
    event = _event(article, Action.APPROVED, by=by, revision=revision, comment=comment.strip(),
                   outside_specialty=outside)  # fmt: skip
    article.approval = event
    article.status = transition.target
    article.next_review_due = _next_review_due(article)
    _save(article, by=by, reason=f"Confirmed revision {revision.number} still current",
          fields=["approval", "status", "next_review_due"])  # fmt: skip
    notifications.on_event(event)
    return event


@transaction.atomic
def request_changes(
    article: Article, *, by, comment: str, seen_revision_id: int | None = None
) -> ReviewEvent:
    """Under review → Draft, with the reviewer's comment for the editor: a decision of the
    board member who holds the review."""
    if BY_ACTION["request_changes"].allows_user(by) and not comment.strip():
        raise TransitionError("Say what needs to change: a comment is required.")
    transition, article = guards.begin("request_changes", article, by)
    guards.check_state(transition, article)
    guards.check_current_revision(article, seen_revision_id)
    guards.four_eyes(article, by)
    _start_if_submitted(transition, article, by)
    guards.holds("request_changes", article, by, "request for changes")
    article.status = transition.target
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
    if not BY_ACTION["comment"].allows_user(by):
        raise TransitionError("Only editors and board members comment on reviews.")
    if not comment.strip():
        raise TransitionError("The comment is empty.")
    transition, article = guards.begin("comment", article, by)
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
    if BY_ACTION["unpublish"].allows_user(by) and not comment.strip():
        raise TransitionError("Give the reason for unpublishing.")
    transition, article = guards.begin("unpublish", article, by)
    if not transition.allows_state(article):
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
    article.status = transition.target
    _save(article, by=by, reason=f"Unpublished: {comment.strip()}",
          fields=["approval", "submitted_revision", "assigned_reviewer", "next_review_due",
                  "status"])  # fmt: skip
    return event


@transaction.atomic
def record_edit(article: Article, *, by) -> Revision:
    """After someone saved the working copy (article, sections, variants or its question):
    freeze it as a revision, and if it no longer matches the revision under review or
    approved, it becomes a draft that needs review. The approved revision stays public until
    a new one is approved. Every path that writes the working copy ends here."""
    transition, article = guards.begin("edit", article, by)
    revision = revisions.record(article, by=by)
    pinned = {
        Status.SUBMITTED: article.submitted_revision_id,
        Status.UNDER_REVIEW: article.submitted_revision_id,
        Status.APPROVED: article.approval.revision_id if article.approval_id else None,
    }.get(article.status)
    if article.status != Status.DRAFT and revision.pk != pinned:
        was = Status(article.status)
        article.status = transition.target
        if was in Status.in_review():
            reason = (
                f"Edited while {was.label.lower()}: withdrawn from review as revision "
                f"{revision.number}"
            )
        else:
            reason = f"Edited after approval: revision {revision.number} is a new draft"
        _save(article, by=by, reason=reason, fields=["status"])
        if was in Status.in_review():
            _event(article, Action.WITHDRAWN, by=by, revision=revision)
    return revision


@transaction.atomic
def restore(article: Article, revision: Revision, *, by) -> Revision:
    """Copy an older revision back into the working copy, as a new draft to be reviewed."""
    if not BY_ACTION["restore"].allows_user(by):
        raise TransitionError(
            "You may not restore revisions: that needs the “articles.change_article” permission."
        )
    if revision.article_id != article.pk:
        raise TransitionError("That revision belongs to another article.")
    transition, article = guards.begin("restore", article, by)
    revisions.restore_working_copy(
        article, revision.content, by=by, reason=f"Restored revision {revision.number}"
    )
    article.status = transition.target
    article.version += 1
    _save(article, by=by, reason=f"Restored revision {revision.number} as a new draft",
          fields=["headline", "bottom_line", "status", "version"])  # fmt: skip
    restored = revisions.record(article, by=by)
    _event(
        article,
        Action.RESTORED,
        by=by,
        revision=restored,
        comment=f"Restored the text of revision {revision.number}.",
    )
    return restored


# -- glossary ------------------------------------------------------------------------------


def glossary_objection(term: GlossaryTerm, user) -> str | None:
    """Why `user` may not approve `term` now, or None: four eyes, as for articles — nobody
    approves a definition they wrote or changed since its last approval."""
    rows = term.history.all()
    if term.approval_id:
        # The row the approval itself wrote is the first to carry it; edits come after.
        approved = rows.filter(approval_id=term.approval_id).order_by("history_id").first()
        if approved:
            rows = rows.filter(history_id__gt=approved.history_id)
    if rows.filter(history_user=user).exists():
        return "You wrote or changed this definition; another board member must approve it."
    return None


@transaction.atomic
def approve_glossary_term(term: GlossaryTerm, *, by) -> GlossaryApproval:
    """A board member approves the term's exact text; from now on readers see that text.
    Until then a new term is not shown, and an edited one shows its last approved text."""
    guards.require(by, "articles.approve_glossaryterm", "approve glossary definitions")
    if workflow.administers_accounts(by):
        raise TransitionError(workflow.ACCOUNT_ADMINS_CANT_REVIEW)
    term = (
        GlossaryTerm.objects.select_for_update(of=("self",))
        .select_related("approval")
        .get(pk=term.pk)
    )
    if not term.is_pending:
        approval = term.approval
        raise ConflictError(
            f"“{term}” is already approved as it stands, by "
            f"{approval.approved_by.get_full_name() or approval.approved_by} on "
            f"{timezone.localtime(approval.approved_at):%B %-d, %Y}."
        )
    objection = glossary_objection(term, by)
    if objection:
        raise TransitionError(objection)
    approval = GlossaryApproval.objects.create(glossary_term=term, approved_by=by, **term.frozen())
    term.approval = approval
    term._history_user, term._change_reason = by, "Definition approved"
    term.save(update_fields=["approval", "updated_at"])
    return approval
