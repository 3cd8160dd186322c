"""The review workflow, written down once.

Each row says which action moves an article from which states to which, who may take it
and whether a comment is required. `reviews.services` enforces these rows (and adds the
rules no table can hold: four eyes, claims, stale screens); the review screen's form and
buttons, and the README's table (checked by a test), are read from here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from articles.models import Article

Status = Article.Status
ALL = tuple(Status)


def _has_something_new(article: Article) -> bool:
    """An approved article may be submitted again only when the library changed a reference
    it cites since approval (any other edit already made it a draft)."""
    if article.status != Status.APPROVED:
        return True
    return Article.objects.reference_updated_since_approval().filter(pk=article.pk).exists()


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
    condition: str = ""  # `applies`, in words

    @property
    def comment_required(self) -> bool:
        return self.comment == "required"

    def allows_state(self, article: Article) -> bool:
        return article.status in self.sources and (self.applies is None or self.applies(article))

    def allows_user(self, user) -> bool:
        return user.is_active and any(user.has_perm(p) for p in self.permissions)


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
    ),
    Transition(
        "start_review", "Start review", (Status.SUBMITTED,),
        ("articles.review_article",), Status.UNDER_REVIEW, "none", "start reviewing",
        primary=True,
    ),
    Transition(
        "approve", "Approve", (Status.UNDER_REVIEW,),
        ("articles.review_article",), Status.APPROVED, "optional", "approve",
        primary=True,
    ),
    Transition(
        "request_changes", "Request changes", Status.in_review(),
        ("articles.review_article",), Status.DRAFT, "required", "request changes to",
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
        rows.append(
            f"| {t.label} | {sources} | {target} | {' or '.join(t.permissions)} | "
            f"{t.comment if t.comment != 'none' else '—'} | {t.condition or '—'} |"
        )
    return "\n".join(rows)
