"""What makes a reader's stored article page stale (articles/page_cache.py): the receivers
apps.py wires to the changes a page shows. Each says which pages a change touches and hands
them to `page_cache.invalidate` (or `invalidate_all`), which moves their stamps, in the cache
and in the database, inside the writing transaction."""

import logging
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.dispatch import Signal

from . import stamps
from .board import BOARD_STAMP
from .models import Article, Listing, Page
from .page_cache import invalidate, invalidate_all
from .querysets import SEARCH_CONFIG

logger = logging.getLogger(__name__)


def _public_state(article: Article) -> tuple:
    """Everything of the article row itself that its public pages show."""
    return (
        article.slug,
        article.topic_id,
        article.status,
        article.approval_id,
        article.submitted_revision_id,
        article.next_review_due,
    )


def _state_key(pk) -> str:
    return f"vetted:page-state:{pk}"


def on_article_saved(sender, instance: Article, raw=False, **kwargs) -> None:
    """`post_save`: when the article's public state changed (or isn't known), its pages at
    the old and new slug are stale; once the change commits, the new ones are rendered."""
    if raw:
        return
    state = _public_state(instance)
    before = cache.get(_state_key(instance.pk))
    if before == state:
        return  # an edit of the working copy: readers still see the same page
    invalidate({instance.slug} | ({before[0]} if before else set()))

    def after_commit():
        cache.set(_state_key(instance.pk), state, timeout=None)
        if settings.ARTICLE_PAGE_PRERENDER:
            # The change is committed: a failed render must not fail the request that made
            # it (the first reader renders the page then).
            for _receiver, error in public_state_committed.send_robust(
                sender=Article, article_id=instance.pk
            ):
                if isinstance(error, Exception):
                    logger.error("Rendering article %s ahead failed", instance.pk, exc_info=error)

    transaction.on_commit(after_commit)


def on_article_deleted(sender, instance: Article, **kwargs) -> None:
    invalidate([instance.slug])
    cache.delete(_state_key(instance.pk))


# Sent once a change to an article's public state has committed, with `article_id`: the
# view that renders article pages (articles.views, which this module can't import) renders
# them then, before any reader asks.
public_state_committed = Signal()


def on_glossary_term_changed(sender, instance, **kwargs) -> None:
    """A glossary term's approved text (or its withdrawal) changes the lay readers' pages of
    the articles that use any of its spellings, before or after."""
    forms = set(instance.forms)
    if instance.approval_id:
        forms |= set(instance.approval.forms)
    for approval in instance.approvals.all() if instance.pk else ():
        forms |= set(approval.forms)
    slugs = _articles_mentioning(forms)
    if slugs is None:
        invalidate_all()
    else:
        invalidate(slugs)


def _articles_mentioning(forms: set[str]) -> list[str] | None:
    """The public articles whose text may contain one of `forms` (never fewer than do), or
    None if that can't be told. On PostgreSQL through the catalogue's full-text index
    (stemming only finds more); a form of stop words alone has no index terms."""
    forms = {form for form in forms if form.strip()}
    if not forms:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for form in forms:
                cursor.execute("SELECT numnode(phraseto_tsquery(%s, %s))", [SEARCH_CONFIG, form])
                if cursor.fetchone()[0] == 0:
                    return None
        match = reduce(
            or_,
            (Q(search=SearchQuery(f, search_type="phrase", config=SEARCH_CONFIG)) for f in forms),
        )
    else:
        match = reduce(or_, (Q(body__icontains=f) | Q(bottom_line__icontains=f) for f in forms))
    return list(Listing.objects.filter(match).values_list("slug", flat=True))


def on_reviewer_changed(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """A board member's profile or name is shown on the pages they approved, and their
    profile, name and account (active or not) on the board page."""
    if raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    user_id = getattr(instance, "user_id", instance.pk)
    invalidate(Listing.objects.filter(reviewer_id=user_id).values_list("slug", flat=True))
    on_board_changed()


def on_specialties_declared(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A board member's declared specialties are in their pages' structured data."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        on_reviewer_changed(sender, instance)
        return
    if pk_set is None:  # a specialty's members all cleared at once
        invalidate_all()
    else:  # from a specialty's side: `pk_set` holds the profiles
        profiles = Listing.objects.filter(reviewer__reviewer_profile__in=pk_set)
        invalidate(profiles.values_list("slug", flat=True))
    on_board_changed()


def on_board_changed(raw=False, **kwargs) -> None:
    """The board page lists its members' names, credentials and specialties (also a
    receiver: a specialty renamed or removed)."""
    if not raw:
        stamps.move(BOARD_STAMP)


def on_topic_changed(sender, instance, raw=False, **kwargs) -> None:
    """A topic's name is on its articles' pages (and in their structured data)."""
    if not raw:
        invalidate(Listing.objects.filter(topic=instance).values_list("slug", flat=True))


def on_page_changed(sender, instance: Page, **kwargs) -> None:
    """Every article page shows a disclaimer; other pages are only linked to."""
    if instance.slug in (Page.DISCLAIMER, Page.PLAIN_DISCLAIMER):
        invalidate_all()


def on_revision_tampered(sender, revision, **kwargs) -> None:
    """`signals.revision_tampered`: the page must drop its badge (and its history says so)."""
    invalidate(Article.objects.filter(pk=revision.article_id).values_list("slug", flat=True))
