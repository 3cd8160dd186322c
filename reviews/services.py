"""The review workflow. Every change of an article's review state is one of these functions.

Each reads its row of the workflow table (`reviews.workflow`: who may act, from which
states, to which state), adds the rules a table can't hold (four eyes, claims, stale
screens; who may act at all, account administrators included, is the table's
`Transition.allows_user`), locks the article row (`select_for_update`),
re-reads it, writes one `ReviewEvent` and one article history row carrying the acting user
and a reason, and raises `TransitionError` with a message for the person otherwise. Nothing
else (views, admin, signals, `save()`) changes `Article.status`.
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

from . import notifications, specialties, workflow
from .workflow import BY_ACTION, Transition

Status = Article.Status
Action = ReviewEvent.Action


class TransitionError(Exception):
    """A workflow step that may not happen now; the message says why, for the user."""


class ConflictError(TransitionError):
    """Someone else changed the article first (another approval, a newer revision)."""


# -- guards --------------------------------------------------------------------------------


def _require(user, permission: str, doing: str) -> None:
    if not (user.is_active and user.has_perm(permission)):
        raise TransitionError(f"You may not {doing}: that needs the “{permission}” permission.")


def _begin(action: str, article: Article, by) -> tuple[Transition, Article]:
    """Check the workflow table's permission for `action` (and that no account administrator
    reviews), then lock and re-read the row."""
    transition = BY_ACTION[action]
    refusal = transition.refusal(by)
    if refusal:
        raise TransitionError(refusal)
    return transition, _locked(article)


def _locked(article: Article) -> Article:
    return (
        Article.objects.select_for_update()
        .select_related("question", "topic__specialty")
        .get(pk=article.pk)
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


def _specialty(article: Article, user, *, confirmed: bool) -> bool:
    """An approval's specialty rule (`reviews.specialties`): refused outside the specialty
    where the topic requires a match, else allowed outside it only when `confirmed`. Returns
    whether the approval is outside `user`'s specialties, for the log."""
    objection = specialties.objection(article, user)
    if objection:
        raise TransitionError(objection)
    if not specialties.needs_confirmation(article, user):
        return False
    if not confirmed:
        raise TransitionError(specialties.unconfirmed(article))
    return True


# -- the claim: decisions belong to the board member who holds the review ---------------------


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _at(moment) -> str:
    return f"{timezone.localtime(moment):%B %-d, %Y at %H:%M}"


def _since(article: Article) -> str:
    claim = workflow.claim_event(article)
    if claim is None or workflow.holder_by(claim).pk != article.assigned_reviewer_id:
        return ""
    return f" (since {_at(claim.created_at)})"


def claim_objection(action: str, article: Article, user) -> str | None:
    """Why the review's claim keeps `user` from `action` on `article` now, or None. Only the
    board member who holds the review approves or requests changes; another takes it over
    first, giving a reason; an article assigned to someone is theirs to start."""
    holder = article.assigned_reviewer
    mine = holder is not None and holder.pk == user.pk
    under_review = article.status == Status.UNDER_REVIEW
    if article.status == Status.SUBMITTED and BY_ACTION[action].starts_review:
        action = "start_review"  # the decision starts the review first, under its rules
    if action in ("approve", "request_changes") and under_review and not mine:
        if holder is None:
            return "Nobody holds this review. Take it over, giving your reason, before deciding."
        return (
            f"{_name(holder)} holds this review{_since(article)}: only they can approve it or "
            "request changes. To decide yourself, take the review over and give your reason; "
            f"{_name(holder)} and the chief editors will be told."
        )
    if action == "take_over" and under_review and mine:
        return "You already hold this review."
    if action == "start_review" and holder is not None and not mine:
        if under_review:
            return (
                f"This article is already under review by {_name(holder)}{_since(article)}. "
                "To review it yourself, take the review over and give your reason."
            )
        if article.status == Status.SUBMITTED:
            return (
                f"This article is assigned to {_name(holder)}{_since(article)}; a chief editor "
                "can assign it to someone else."
            )
    return None


def _moved(claim: ReviewEvent) -> str:
    """How the review reached its holder, for the one who lost it."""
    if claim.action == Action.TAKEN_OVER:
        return (
            f"{_name(claim.actor)} took over this review on {_at(claim.created_at)} "
            f"(reason: “{claim.comment}”)"
        )
    return (
        f"{_name(claim.actor)} assigned this review to {_name(claim.assignee)} on "
        f"{_at(claim.created_at)}"
    )


def _holds(action: str, article: Article, by, decision: str) -> None:
    """A decision by the review's holder only. Someone who held it until another took it over
    or a chief editor reassigned it is told so, as a conflict: they acted on a stale screen."""
    objection = claim_objection(action, article, by)
    if objection is None:
        return
    claim = workflow.claim_event(article)
    if (
        claim is not None
        and claim.action in (Action.TAKEN_OVER, Action.ASSIGNED)
        and workflow.holder_before(claim) == by
    ):
        raise ConflictError(
            f"{_moved(claim)}. You no longer hold it, so your {decision} was not recorded."
        )
    raise TransitionError(objection)


def _nothing_to_take_over(article: Article, by) -> TransitionError:
    """The refusal of a take-over of an article that is not under review, saying why: a
    decision that came first is a conflict."""
    if article.status == Status.APPROVED and article.approval_id:
        approval = article.approval
        return ConflictError(
            f"Already approved by {_name(approval.actor)} on {_at(approval.created_at)}: "
            "there is no review left to take over."
        )
    last = article.review_events.select_related("actor").order_by("-pk").first()
    if article.status == Status.DRAFT and last and last.action == Action.CHANGES_REQUESTED:
        return ConflictError(
            f"{_name(last.actor)} requested changes on {_at(last.created_at)}: the article is "
            "a draft again, so there is no review left to take over."
        )
    if article.status == Status.SUBMITTED:
        holder = article.assigned_reviewer
        return TransitionError(
            "Nobody is reviewing this article yet, so there is no review to take over: "
            + (
                f"it is assigned to {_name(holder)}; a chief editor can assign it to someone else."
                if holder is not None and holder.pk != by.pk
                else "start the review instead."
            )
        )
    return TransitionError(
        f"You can’t take over the review of an article that is "
        f"{article.get_status_display().lower()}."
    )


def _state(transition: Transition, article: Article) -> None:
    """The workflow table's starting states for `transition`."""
    if article.status not in transition.sources:
        raise TransitionError(
            f"You can’t {transition.doing} an article that is "
            f"{article.get_status_display().lower()}."
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
    transition, article = _begin("submit", article, by)
    _state(transition, article)
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
    transition, article = _begin("assign", article, by)
    _state(transition, article)
    if not (reviewer.is_active and reviewer.has_perm("articles.review_article")):
        raise TransitionError(f"{reviewer} is not a member of the Medical Advisory Board.")
    if workflow.administers_accounts(reviewer):
        raise TransitionError(
            f"{reviewer} can’t review: account administrators take no part in reviews or approvals."
        )
    if article.status == Status.UNDER_REVIEW and article.assigned_reviewer_id == reviewer.pk:
        raise TransitionError(f"{_name(reviewer)} already holds this review.")
    objection = four_eyes_objection(article, reviewer)
    if objection:
        raise TransitionError(f"{reviewer} can’t review this article. {objection}")
    if specialties.objection(article, reviewer):
        raise TransitionError(
            f"{_name(reviewer)} can’t approve this article: only a board member in "
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
    transition, article = _begin("start_review", article, by)
    if article.status == Status.UNDER_REVIEW and article.assigned_reviewer_id == by.pk:
        raise TransitionError("You are already reviewing this article.")
    return _start(transition, article, by)


def _start(transition: Transition, article: Article, by) -> ReviewEvent:
    """Claim the locked, submitted `article` for `by`: start_review's rules and record."""
    objection = claim_objection("start_review", article, by)
    if objection:
        raise TransitionError(objection)
    _state(transition, article)
    _four_eyes(article, by)
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
    transition, article = _begin("take_over", article, by)
    if article.status != Status.UNDER_REVIEW:
        raise _nothing_to_take_over(article, by)
    if seen_holder_id is not None and seen_holder_id != article.assigned_reviewer_id:
        claim = workflow.claim_event(article)
        moved = _moved(claim) if claim and claim.action != Action.REVIEW_STARTED else ""
        raise ConflictError(
            "The review changed hands while you were looking"
            + (f": {moved}" if moved else "")
            + ". Look at who holds it now before taking it over."
        )
    objection = claim_objection("take_over", article, by)
    if objection:
        raise TransitionError(objection)
    _four_eyes(article, by)
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
    transition, article = _begin("approve", article, by)
    if article.status == Status.APPROVED:
        approval = article.approval
        raise ConflictError(
            f"Already approved by {approval.actor.get_full_name() or approval.actor} on "
            f"{timezone.localtime(approval.created_at):%B %-d, %Y at %H:%M}."
        )
    if article.is_in_review:  # resubmitted since the reviewer looked: say so first
        _current_revision(article, seen_revision_id)
    _state(transition, article)
    _four_eyes(article, by)
    _start_if_submitted(transition, article, by)
    _holds("approve", article, by, "approval")
    outside = _specialty(article, by, confirmed=outside_specialty)
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


def confirm_objection(article: Article, user) -> str | None:
    """Why `user` may not confirm `article`'s approved revision still current, or None: the
    four eyes of the approval that revision had — no author, and no one who saved any of the
    revisions it was approved over (since the approval of an earlier text)."""
    if article.authors.filter(pk=user.pk).exists():
        return "You are an author of this article; another board member must confirm it."
    approved = article.approval.revision
    earlier = (
        ReviewEvent.objects.filter(article=article, action=Action.APPROVED)
        .exclude(revision=approved)
        .filter(revision__number__lt=approved.number)
        .order_by("-revision__number")
        .values_list("revision__number", flat=True)
        .first()
    )
    edited = article.revisions.filter(
        number__gt=earlier or 0, number__lte=approved.number, created_by=user
    )
    if edited.exists():
        return (
            f"You edited the text approved as revision {approved.number}; another board "
            "member must confirm it."
        )
    return None


def _confirmable(article: Article, seen_approval_id: int | None) -> None:
    """The locked `article` may be confirmed as it stands: still the approval the board
    member looked at, approved, its stored text intact and the working copy that text."""
    approval = article.approval if article.approval_id else None
    if seen_approval_id is not None and seen_approval_id != article.approval_id:
        if approval is not None and article.status == Status.APPROVED:
            raise ConflictError(
                f"{_name(approval.actor)} confirmed or approved this article on "
                f"{_at(approval.created_at)}, after you opened it: your confirmation was not "
                "recorded. Its next review is due "
                f"{article.next_review_due:%B %-d, %Y}."
            )
        raise ConflictError(
            "The article changed while you were looking (it is now "
            f"{article.get_status_display().lower()}): your confirmation was not recorded."
        )
    if article.status != Status.APPROVED or approval is None:
        raise TransitionError(
            f"You can’t confirm an article that is {article.get_status_display().lower()}: "
            "only an approved article, unchanged since, is confirmed still current."
        )
    revision = approval.revision
    if not revisions.is_intact(revision):
        raise TransitionError(
            f"The stored text of revision {revision.number} no longer matches what was "
            "approved, so it can’t be confirmed: tell the chief editors (`manage.py "
            "verify_revisions` lists every revision affected)."
        )
    if revisions.hash_of(revisions.snapshot(article)) != revision.content_hash:
        raise TransitionError(
            f"The working copy differs from the approved revision {revision.number} (an edit, "
            "or a cited reference changed in the library): submit it for review instead."
        )


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
    transition, article = _begin("confirm_current", article, by)
    _confirmable(article, seen_approval_id)
    objection = confirm_objection(article, by)
    if objection:
        raise TransitionError(objection)
    outside = _specialty(article, by, confirmed=outside_specialty)
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
    transition, article = _begin("request_changes", article, by)
    _state(transition, article)
    _current_revision(article, seen_revision_id)
    _four_eyes(article, by)
    _start_if_submitted(transition, article, by)
    _holds("request_changes", article, by, "request for changes")
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
    transition, article = _begin("comment", article, by)
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
    transition, article = _begin("unpublish", article, by)
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
    transition, article = _begin("edit", article, by)
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
    transition, article = _begin("restore", article, by)
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
    _require(by, "articles.approve_glossaryterm", "approve glossary definitions")
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
