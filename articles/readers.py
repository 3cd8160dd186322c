"""The one path from a request to the rendered answer.

1. `chosen_reader_type` resolves who is reading: `?reader=<slug>` wins over the cookie, so
   every variant has a shareable address; anything unknown means no choice, which gets the
   default (professional) text.
2. `render_revision` renders a revision for that reader type — the public page, the staff
   preview and the review screen all call it. A saved revision's rendering is cached per
   (revision, reader type, content generation); an unsaved one (a preview) never is.
3. `show_article` picks the revision a request may see and hands the template one object,
   `ShownArticle`, that answers every question the page asks (approved? which step?).
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django.http import Http404
from django.utils.safestring import SafeString

from . import signals, stamps
from .glossary import Glossary
from .models import Article, GlossaryTerm, Page, ReaderType, ReviewEvent
from .rendering import RenderedArticle, render_article, render_markdown
from .revisions import Revision, is_intact, snapshot

COOKIE = "vetted_reader"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
_GENERATION_KEY = "vetted:content-generation"


def requested_reader(request) -> str:
    """The reader type's slug as the request names it (known or not)."""
    if "reader" in request.GET:
        return request.GET["reader"]
    return request.COOKIES.get(COOKIE, "")


def chosen_reader_type(request, reader_types) -> ReaderType | None:
    return {t.slug: t for t in reader_types}.get(requested_reader(request))


@dataclass(frozen=True)
class ReaderView:
    """The parts of an article page that depend on the reader type."""

    rendered: RenderedArticle
    disclaimer_title: str
    disclaimer_html: SafeString


def approved_glossary() -> list:
    """The glossary texts the board approved, as approved (a pending edit is not shown)."""
    return [
        t.approval for t in GlossaryTerm.objects.exclude(approval=None).select_related("approval")
    ]


def render_revision(revision: Revision, reader: ReaderType | None) -> ReaderView:
    """`revision` as a reader of type `reader` sees it: their variants, the references as the
    revision froze them, approved glossary marks for lay readers, and their disclaimer."""
    if revision.pk is None:
        return _render(revision, reader)
    slug = reader.slug if reader else "-"
    # The release too: a deploy may render the same revision differently (and the cached
    # object is a pickle of this code's classes).
    key = f"vetted:article:{stamps.release()}:{revision.pk}:{slug}:{content_generation()}"
    view = cache.get(key)
    if view is None:
        view = _render(revision, reader)
        cache.set(key, view, timeout=None)
    return view


def _render(revision: Revision, reader: ReaderType | None) -> ReaderView:
    """Costs the same queries for every reader type: the glossary (small; loaded for all to
    keep it so) and the disclaimer."""
    slug = reader.slug if reader else None
    lay = reader is not None and not reader.is_professional
    glossary = approved_glossary()
    shown = revision.shown
    rendered = render_article(
        shown.bottom_line_for(slug),
        shown.sections_for(slug),
        shown.references,
        Glossary(glossary) if lay else None,
    )
    disclaimer = Page.objects.filter(slug=Page.PLAIN_DISCLAIMER if lay else Page.DISCLAIMER).first()
    return ReaderView(
        rendered,
        disclaimer.title if disclaimer else "",
        render_markdown(disclaimer.body) if disclaimer else SafeString(""),
    )


REVIEW_HISTORY_LENGTH = 20  # the newest approvals readers' review history lists


@dataclass(frozen=True)
class HistoryEntry:
    """One approval in readers' review history."""

    approval: ReviewEvent
    intact: bool  # the revision is still what was approved; if not, never shown as approved
    first: bool  # the article's first approval
    shown: bool  # the approval of the text on this page
    confirms: bool = False  # a periodic review: no submission since the approval before

    @property
    def summary(self) -> str:
        """The editor's public summary the approved submission came with, or what an empty
        one means; a periodic review that changed nothing says so."""
        if self.confirms:
            return "Confirmed still current: no change"
        if self.approval.submitted_summary:
            return self.approval.submitted_summary
        return "First review" if self.first else "No material change"


@dataclass(frozen=True)
class ReviewHistory:
    entries: list[HistoryEntry]
    complete: bool  # False: older approvals than these are left out


@dataclass(frozen=True)
class ShownArticle:
    """Everything an article page shows, decided once: the revision, for whom, rendered, and
    under which review state."""

    article: Article
    revision: Revision
    reader: ReaderType | None
    view: ReaderView
    status: str  # the workflow step of what is shown, for the tracker
    approval: ReviewEvent | None  # set only when the shown revision is the approved one
    preview: bool = False

    @property
    def is_approved(self) -> bool:
        """The Approved badge and "Medically reviewed by": only over the approved revision."""
        return self.approval is not None

    @property
    def updated_at(self):
        return self.article.updated_at if self.preview else self.revision.created_at

    @property
    def public_revision(self) -> Revision | None:
        return self.article.public_revision

    @cached_property
    def review_history(self) -> ReviewHistory | None:
        """Every approval of the article, newest first (the latest `REVIEW_HISTORY_LENGTH`),
        in one query; None for a preview of the working copy. An approved revision whose
        stored text fails its hash check is reported and not presented as approved."""
        if self.preview:
            return None
        found = list(ReviewEvent.objects.approvals_of(self.article)[: REVIEW_HISTORY_LENGTH + 1])
        approvals, complete = found[:REVIEW_HISTORY_LENGTH], len(found) <= REVIEW_HISTORY_LENGTH
        checked = {}  # revision id -> intact; show_article checked the shown approval's
        if self.approval is not None:
            checked[self.approval.revision_id] = True
        for approval in approvals:
            revision = approval.revision
            if revision.pk not in checked:
                checked[revision.pk] = is_intact(revision)
                if not checked[revision.pk] and revision.pk != self.revision.pk:
                    signals.report_tampered(revision)  # the shown one was reported already
        last = len(approvals) - 1
        entries = [
            HistoryEntry(
                approval,
                intact=checked[approval.revision_id],
                first=complete and i == last,
                shown=self.approval is not None and approval.pk == self.approval.pk,
                confirms=i < last
                and approval.submission_id is not None
                and approval.submission_id == approvals[i + 1].submission_id,
            )
            for i, approval in enumerate(approvals)
        ]
        return ReviewHistory(entries, complete)


def show_article(article: Article, reader: ReaderType | None, *, preview: bool) -> ShownArticle:
    """What a request sees of `article`: its public revision, or with `preview` (staff only;
    the caller checks) the working copy frozen as a revision would be, never as approved."""
    if preview:
        working = Revision(article=article, content=snapshot(article))
        view = render_revision(working, reader)
        return ShownArticle(article, working, reader, view, article.status, None, preview=True)
    revision = article.public_revision
    if revision is None:
        raise Http404("No public revision")
    approval = article.approval if article.approval_id else None
    status = article.public_status
    if approval and not is_intact(revision):
        # The stored text is not what the reviewer signed: never show it as approved, and
        # say so (logged; chief editors alerted once).
        signals.report_tampered(revision)
        approval, status = None, Article.Status.UNDER_REVIEW
    view = render_revision(revision, reader)
    return ShownArticle(article, revision, reader, view, status, approval)


def content_generation() -> int:
    """A stamp (articles/stamps.py) that moves whenever anything every article shows does."""
    return stamps.read(_GENERATION_KEY)[_GENERATION_KEY]


def bump_content_generation(**kwargs) -> None:
    """Signal receiver: something every rendered article may show has changed."""
    stamps.move(_GENERATION_KEY)
