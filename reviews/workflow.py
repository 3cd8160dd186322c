"""The review workflow, written down once.

Each row says which action moves an article from which states to which, who may take it
and whether a comment is required. `reviews.services` enforces these rows (and adds the
rules no table can hold: four eyes, claims, stale screens); the review screen's form and
buttons, and the README's table (checked by a test), are read from here.

Separation of duties is here too (`administers_accounts`): whoever can create accounts or
grant roles could make themselves a reviewer, so they take no part in reviews or approvals.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from articles.models import Article, ReviewEvent

from .roles import ACCOUNT_ADMINISTRATION, REVIEWING

Status = Article.Status
ALL = tuple(Status)

ACCOUNT_ADMINS_CANT_REVIEW = (
    "Account administrators can't review: you can create accounts or grant roles (or are a "
    "superuser), and whoever can give out rights takes no part in reviews or approvals. "
    "Another board member must do it."
)


def administers_accounts(user) -> bool:
    """The separation-of-duties rule, in one place: a superuser, or anyone holding a
    permission to manage accounts, groups or permissions (`roles.ACCOUNT_ADMINISTRATION`),
    may not review or approve (articles or glossary definitions)."""
    return user.is_superuser or any(user.has_perm(p) for p in ACCOUNT_ADMINISTRATION)


def _has_something_new(article: Article) -> bool:
    """An approved article may be submitted again only when the library changed a reference
    it cites since approval (any other edit already made it a draft)."""
    if article.status != Status.APPROVED:
        return True
    return Article.objects.reference_updated_since_approval().filter(pk=article.pk).exists()


def _unchanged_since_approval(article: Article) -> bool:
    """An approved article whose working copy is still its approved revision (nothing in the
    library changed under it either): what "Confirm still current" re-approves as it is.
    The service also compares the working copy itself and checks the stored text's hash."""
    return article.status == Status.APPROVED and not _has_something_new(article)


def _is_public(article: Article) -> bool:
    return bool(article.approval_id) or article.is_in_review


@dataclass(frozen=True)
class Transition:
    action: str  # the service's name for it
    label: str  # its button
    sources: tuple[Status, ...]  # the states it may start from
    permissions: tuple[str, ...]  # any one of these lets a user take it
    target: Status | None  # the state it ends in (None: unchanged)
    comment: str  # "required", "optional" or "none"
    doing: str  # "You can't {doing} an article that is …"
    on_review_screen: bool = True
    primary: bool = False  # shown as the screen's main button
    applies: Callable[[Article], bool] | None = None  # a further condition on the article
    condition: str = ""  # `applies` and the services' further rules (claims), in words
    # A decision that may be taken on a submitted article nobody else holds: the service first
    # starts the review for the decider (under start_review's rules, recorded as its own
    # event), so the holder-to-be decides in one step and the log still shows the claim.
    starts_review: bool = False

    @property
    def comment_required(self) -> bool:
        return self.comment == "required"

    @property
    def reviewing(self) -> bool:
        """A review or approval: only the board's permissions allow it, and so account
        administrators may not take it (`administers_accounts`)."""
        return set(self.permissions) <= REVIEWING

    def allows_state(self, article: Article) -> bool:
        return article.status in self.sources and (self.applies is None or self.applies(article))

    def refusal(self, user) -> str | None:
        """Why `user` may never take this action (whatever the article), or None."""
        if not (user.is_active and any(user.has_perm(p) for p in self.permissions)):
            return (
                f"You may not {self.doing} articles: that needs the "
                f"“{' or '.join(self.permissions)}” permission."
            )
        if self.reviewing and administers_accounts(user):
            return ACCOUNT_ADMINS_CANT_REVIEW
        return None

    def allows_user(self, user) -> bool:
        """Who may act: the one place that says so."""
        return self.refusal(user) is None


DECIDER = (
    "only by the board member who holds the review; from Submitted, by whoever may start it, "
    "who starts it in the same step (both recorded)"
)

TRANSITIONS = (
    Transition(
        "submit", "Submit for review", (Status.DRAFT, Status.APPROVED),
        ("articles.submit_article",), Status.SUBMITTED, "none", "submit",
        applies=_has_something_new, primary=True,
        condition="from Approved only when a cited reference changed in the library",
    ),
    Transition(
        "assign", "Assign reviewer", Status.in_review(),
        ("articles.assign_reviewer",), Status.UNDER_REVIEW, "none", "assign a reviewer to",
        condition="under review: moves the review to another board member; its holder is told",
    ),
    Transition(
        "start_review", "Start review", (Status.SUBMITTED,),
        ("articles.review_article",), Status.UNDER_REVIEW, "none", "start reviewing",
        primary=True,
        condition="who starts it holds the review; not while it is assigned to another",
    ),
    Transition(
        "take_over", "Take over review", (Status.UNDER_REVIEW,),
        ("articles.review_article",), Status.UNDER_REVIEW, "required", "take over the review of",
        condition="by a board member other than its holder, who is told, as are chief editors",
    ),
    Transition(
        "approve", "Approve", (Status.SUBMITTED, Status.UNDER_REVIEW),
        ("articles.review_article",), Status.APPROVED, "optional", "approve",
        primary=True, starts_review=True, condition=DECIDER,
    ),
    Transition(
        "confirm_current", "Confirm still current", (Status.APPROVED,),
        ("articles.review_article",), Status.APPROVED, "optional", "confirm",
        applies=_unchanged_since_approval,
        condition="the periodic review: re-approves the same approved revision, unedited and "
        "intact, with a new review date; four eyes as for approving",
    ),
    Transition(
        "request_changes", "Request changes", (Status.SUBMITTED, Status.UNDER_REVIEW),
        ("articles.review_article",), Status.DRAFT, "required", "request changes to",
        starts_review=True, condition=DECIDER,
    ),
    Transition(
        "comment", "Add comment", ALL,
        ("articles.review_article", "articles.submit_article"), None, "required", "comment on",
    ),
    Transition(
        "unpublish", "Unpublish", ALL,
        ("articles.unpublish_article",), Status.DRAFT, "required", "unpublish",
        applies=_is_public, condition="only while readers can see the article",
    ),
    Transition(
        "edit", "Save (admin)", ALL,
        ("articles.change_article",), Status.DRAFT, "none", "edit",
        on_review_screen=False,
        condition="a draft again when the text differs from the revision in review or approved",
    ),
    Transition(
        "restore", "Restore (revisions screen)", ALL,
        ("articles.change_article",), Status.DRAFT, "none", "restore",
        on_review_screen=False,
    ),
)  # fmt: skip

BY_ACTION = {t.action: t for t in TRANSITIONS}


def available(article: Article, user) -> list[Transition]:
    """The review screen's actions for `user` now. The services still decide; this only
    leaves out what is impossible from here."""
    return [
        t
        for t in TRANSITIONS
        if t.on_review_screen and t.allows_user(user) and t.allows_state(article)
    ]


def as_markdown() -> str:
    """The table as the README shows it."""
    rows = [
        "| action | from | to | who (permission) | comment | when |",
        "|---|---|---|---|---|---|",
    ]
    for t in TRANSITIONS:
        sources = "any" if t.sources == ALL else ", ".join(s.label for s in t.sources)
        target = t.target.label if t.target else "unchanged"
        who = " or ".join(t.permissions) + (", not account administrators" * t.reviewing)
        rows.append(
            f"| {t.label} | {sources} | {target} | {who} | "
            f"{t.comment if t.comment != 'none' else '—'} | {t.condition or '—'} |"
        )
    return "\n".join(rows)


# -- the claim ------------------------------------------------------------------------------
# A board member holds an article's review (`Article.assigned_reviewer`) from the event that
# gave it to them (starting it, being assigned it, taking it over) until a decision or
# unpublishing ends it. The review log says who held it when.

CLAIMED_BY = {
    ReviewEvent.Action.REVIEW_STARTED: "actor",
    ReviewEvent.Action.ASSIGNED: "assignee",
    ReviewEvent.Action.TAKEN_OVER: "assignee",
}
CLAIM_ENDED_BY = (
    ReviewEvent.Action.APPROVED,
    ReviewEvent.Action.CHANGES_REQUESTED,
    ReviewEvent.Action.UNPUBLISHED,
)


def confirmations(events) -> set[int]:
    """The ids of the approvals among `events` (of one article, any order) that confirmed the
    approved revision still current (`services.confirm_current`) rather than approving a new
    one: stored as approvals, told apart by the approval before them (with no unpublishing
    in between) being of the same revision."""
    last, confirmed = None, set()
    for event in sorted(events, key=lambda e: (e.created_at, e.pk)):
        if event.action == ReviewEvent.Action.UNPUBLISHED:
            last = None
        elif event.action == ReviewEvent.Action.APPROVED:
            if last == event.revision_id:
                confirmed.add(event.pk)
            last = event.revision_id
    return confirmed


def is_confirmation(event: ReviewEvent) -> bool:
    """Whether the approval `event` confirmed the revision already approved (as above)."""
    if event.action != ReviewEvent.Action.APPROVED:
        return False
    before = (
        ReviewEvent.objects.filter(
            article_id=event.article_id,
            action__in=[ReviewEvent.Action.APPROVED, ReviewEvent.Action.UNPUBLISHED],
            pk__lt=event.pk,
        )
        .order_by("-pk")
        .values_list("action", "revision_id")
        .first()
    )
    return before == (ReviewEvent.Action.APPROVED, event.revision_id)


def holder_by(event: ReviewEvent):
    """The board member `event` (one of `CLAIMED_BY`) gave the review to."""
    return getattr(event, CLAIMED_BY[event.action])


def claim_event(article: Article, *, before: ReviewEvent | None = None) -> ReviewEvent | None:
    """The event by which the review's holder got it — now, or just before the event
    `before` — or None when nobody held it then."""
    events = article.review_events.filter(action__in=[*CLAIMED_BY, *CLAIM_ENDED_BY])
    if before is not None:
        events = events.filter(pk__lt=before.pk)
    last = events.select_related("actor", "assignee").order_by("-pk").first()
    return last if last is not None and last.action in CLAIMED_BY else None


def holder_before(event: ReviewEvent):
    """Who held the review of `event.article` just before `event`, or None."""
    claim = claim_event(event.article, before=event)
    return holder_by(claim) if claim else None


# -- the state in words -------------------------------------------------------------------
# A draft the board sent back is stored as a plain draft (the log says why), but "Draft" on
# its own tells the editor nothing is expected of anyone: lists, the queue, the edit form and
# the review screen say "Changes requested" instead. Read from the log, in the query.

Action = ReviewEvent.Action
CHANGES_REQUESTED = Action.CHANGES_REQUESTED  # as a state: a draft whose last step it was
DECISIONS = (Action.APPROVED, Action.CHANGES_REQUESTED, Action.UNPUBLISHED)
STATES = [
    (Status.DRAFT.value, "Draft"),
    (CHANGES_REQUESTED.value, "Changes requested"),
    *[(s.value, s.label) for s in Status if s != Status.DRAFT],
]


def _latest(actions=None, exclude=(Action.COMMENTED,)):
    events = ReviewEvent.objects.filter(article=OuterRef("pk")).exclude(action__in=exclude)
    if actions is not None:
        events = events.filter(action__in=actions)
    return Subquery(events.order_by("-created_at", "-pk").values("action")[:1])


def with_last_step(queryset: QuerySet) -> QuerySet:
    """Each article with `last_step`, its log's latest step other than a comment: one
    correlated subquery, so a list of any length stays one query."""
    return queryset.annotate(last_step=_latest())


def with_last_decision(queryset: QuerySet) -> QuerySet:
    """Each article with `last_decision`: the board's latest decision on it, if any."""
    return queryset.annotate(last_decision=_latest(DECISIONS, exclude=()))


def with_review_due(queryset: QuerySet) -> QuerySet:
    """Articles awaiting review with `submitted_on`, the date (in the current time zone) their
    submitted revision was saved, and `review_late`: whether their review, due
    REVIEW_TURNAROUND_DAYS after that date (`review_due`), is past due today. The database
    reads both with the row: the review queue draws a hundred, and converting each one's
    time in Python cost more than drawing the rest of the row."""
    last_on_time = timezone.localdate() - datetime.timedelta(days=settings.REVIEW_TURNAROUND_DAYS)
    return queryset.annotate(submitted_on=TruncDate("submitted_revision__created_at")).annotate(
        review_late=ExpressionWrapper(Q(submitted_on__lt=last_on_time), BooleanField())
    )


def review_due(submitted_on: datetime.date) -> datetime.date:
    return submitted_on + datetime.timedelta(days=settings.REVIEW_TURNAROUND_DAYS)


def sent_back(status: str, last_step: str | None) -> bool:
    return status == Status.DRAFT and last_step == CHANGES_REQUESTED


def state_label(status: str, last_step: str | None) -> str:
    """The article's place in the workflow as people should read it."""
    return "Changes requested" if sent_back(status, last_step) else Status(status).label


def in_state(queryset: QuerySet, state: str) -> QuerySet:
    """Articles in one of `STATES`; a draft sent back is not a plain draft."""
    if state not in dict(STATES):
        return queryset
    if state == CHANGES_REQUESTED:
        return with_last_step(queryset).filter(status=Status.DRAFT, last_step=CHANGES_REQUESTED)
    if state == Status.DRAFT:
        # NULL (never submitted) is a plain draft: `exclude` alone would drop it.
        return with_last_step(queryset).filter(
            Q(last_step__isnull=True) | ~Q(last_step=CHANGES_REQUESTED), status=Status.DRAFT
        )
    return queryset.filter(status=state)
