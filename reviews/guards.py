"""Why a workflow step may not happen now, written once: the refusals the services raise
(`TransitionError`, `ConflictError` for someone else acting first) and the checks behind them
— the workflow table's permission and starting states, four eyes, the claim on a review,
specialties, a stale screen, and the periodic review's conditions. `reviews.services` calls
them inside its transactions, on the locked article row; the review screen asks the
`*_objection` functions which actions to offer, and why not."""

from django.utils import timezone

from articles import revisions
from articles.models import Article, ReviewEvent

from . import specialties, workflow
from .workflow import BY_ACTION, Transition

Status = Article.Status
Action = ReviewEvent.Action


class TransitionError(Exception):
    """A workflow step that may not happen now; the message says why, for the user."""


class ConflictError(TransitionError):
    """Someone else changed the article first (another approval, a newer revision)."""


# -- the workflow table, four eyes and specialties ------------------------------------------


def require(user, permission: str, doing: str) -> None:
    if not (user.is_active and user.has_perm(permission)):
        raise TransitionError(f"You may not {doing}: that needs the “{permission}” permission.")


def begin(action: str, article: Article, by) -> tuple[Transition, Article]:
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


def four_eyes(article: Article, user) -> None:
    objection = four_eyes_objection(article, user)
    if objection:
        raise TransitionError(objection)


def outside_specialty(article: Article, user, *, confirmed: bool) -> bool:
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


def name_of(user) -> str:
    return user.get_full_name() or user.get_username()


def at(moment) -> str:
    return f"{timezone.localtime(moment):%B %-d, %Y at %H:%M}"


def _since(article: Article) -> str:
    claim = workflow.claim_event(article)
    if claim is None or workflow.holder_by(claim).pk != article.assigned_reviewer_id:
        return ""
    return f" (since {at(claim.created_at)})"


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
            f"{name_of(holder)} holds this review{_since(article)}: only they can approve it or "
            "request changes. To decide yourself, take the review over and give your reason; "
            f"{name_of(holder)} and the chief editors will be told."
        )
    if action == "take_over" and under_review and mine:
        return "You already hold this review."
    if action == "start_review" and holder is not None and not mine:
        if under_review:
            return (
                f"This article is already under review by {name_of(holder)}{_since(article)}. "
                "To review it yourself, take the review over and give your reason."
            )
        if article.status == Status.SUBMITTED:
            return (
                f"This article is assigned to {name_of(holder)}{_since(article)}; a chief editor "
                "can assign it to someone else."
            )
    return None


def moved(claim: ReviewEvent) -> str:
    """How the review reached its holder, for the one who lost it."""
    if claim.action == Action.TAKEN_OVER:
        return (
            f"{name_of(claim.actor)} took over this review on {at(claim.created_at)} "
            f"(reason: “{claim.comment}”)"
        )
    return (
        f"{name_of(claim.actor)} assigned this review to {name_of(claim.assignee)} on "
        f"{at(claim.created_at)}"
    )


def holds(action: str, article: Article, by, decision: str) -> None:
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
            f"{moved(claim)}. You no longer hold it, so your {decision} was not recorded."
        )
    raise TransitionError(objection)


def nothing_to_take_over(article: Article, by) -> TransitionError:
    """The refusal of a take-over of an article that is not under review, saying why: a
    decision that came first is a conflict."""
    if article.status == Status.APPROVED and article.approval_id:
        approval = article.approval
        return ConflictError(
            f"Already approved by {name_of(approval.actor)} on {at(approval.created_at)}: "
            "there is no review left to take over."
        )
    last = article.review_events.select_related("actor").order_by("-pk").first()
    if article.status == Status.DRAFT and last and last.action == Action.CHANGES_REQUESTED:
        return ConflictError(
            f"{name_of(last.actor)} requested changes on {at(last.created_at)}: the article is "
            "a draft again, so there is no review left to take over."
        )
    if article.status == Status.SUBMITTED:
        holder = article.assigned_reviewer
        return TransitionError(
            "Nobody is reviewing this article yet, so there is no review to take over: "
            + (
                f"it is assigned to {name_of(holder)}; a chief editor can assign it to someone "
                "else."
                if holder is not None and holder.pk != by.pk
                else "start the review instead."
            )
        )
    return TransitionError(
        f"You can’t take over the review of an article that is "
        f"{article.get_status_display().lower()}."
    )


# -- starting states and stale screens ----------------------------------------------------


def check_state(transition: Transition, article: Article) -> None:
    """The workflow table's starting states for `transition`."""
    if article.status not in transition.sources:
        raise TransitionError(
            f"You can’t {transition.doing} an article that is "
            f"{article.get_status_display().lower()}."
        )


def check_current_revision(article: Article, seen_revision_id: int | None) -> None:
    if seen_revision_id is not None and seen_revision_id != article.submitted_revision_id:
        raise ConflictError(
            f"The article changed while you were reviewing it: revision "
            f"{article.submitted_revision.number if article.submitted_revision else '—'} is "
            "now the one under review. Look at the new revision before deciding."
        )


# -- the periodic review (confirm still current) -------------------------------------------


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


def confirmable(article: Article, seen_approval_id: int | None) -> None:
    """The locked `article` may be confirmed as it stands: still the approval the board
    member looked at, approved, its stored text intact and the working copy that text."""
    approval = article.approval if article.approval_id else None
    if seen_approval_id is not None and seen_approval_id != article.approval_id:
        if approval is not None and article.status == Status.APPROVED:
            raise ConflictError(
                f"{name_of(approval.actor)} confirmed or approved this article on "
                f"{at(approval.created_at)}, after you opened it: your confirmation was not "
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
