"""sitemap.xml (django.contrib.sitemaps): an index of four sections, each URL with the date
its page last changed.

- `articles`: every article readers may see (approved ones, and pending ones while the site
  shows them), from the catalogue (`Listing`): one narrow, indexed table, read a page of
  `limit` rows at a time with `values_list`, so 100,000 articles cost what 10 do per page.
  Changed when its public revision was saved or, later, approved.
- `topics`: topic pages that list at least one public article; changed with their newest
  (one grouped pass over the catalogue).
- `board`: the board members' profile pages; changed with their profile or their newest
  approval.
- `pages`: home, the article list, the board page, and every site page (`Page.updated_at`).

The index and the pages of the `articles` section are kept in the shared cache for the
catalogue's generation (`remembered_index`, `remembered_section`): the next crawler gets the
bytes, and any change to what readers may see makes new ones at once.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db import models
from django.http import HttpResponse
from django.urls import reverse

from . import catalogue, stamps
from .models import Listing, Page, ReviewerProfile, SiteSettings


def _public_listings():
    settings = SiteSettings.load()
    return Listing.objects.public(show_unapproved=settings.show_unapproved_articles)


def _latest(*moments) -> datetime | None:
    found = [moment for moment in moments if moment is not None]
    return max(found) if found else None


def _changed(listings) -> datetime | None:
    """When the newest of `listings` last changed (saved or approved)."""
    found = listings.aggregate(
        published=models.Max("published_at"), reviewed=models.Max("reviewed_at")
    )
    return _latest(found["published"], found["reviewed"])


class ArticleSitemap(Sitemap):
    limit = 1_000  # URLs a sitemap page: 5,000 took 0.5 s of CPU to render (bench/load.py)

    def items(self):
        return _public_listings().order_by("pk").values_list("slug", "published_at", "reviewed_at")

    def location(self, item) -> str:
        return reverse("articles:detail", args=[item[0]])

    def lastmod(self, item) -> datetime:
        return _latest(item[1], item[2])

    def get_latest_lastmod(self) -> datetime | None:
        return _changed(_public_listings())


class TopicSitemap(Sitemap):
    @cached_property
    def _found(self) -> list[tuple]:
        """(slug, newest save, newest approval) of each topic with public articles: one
        grouped pass over the catalogue, read once for the index and the page."""
        return list(
            _public_listings()
            .order_by("topic__slug")
            .values("topic__slug")
            .annotate(published=models.Max("published_at"), reviewed=models.Max("reviewed_at"))
            .values_list("topic__slug", "published", "reviewed")
        )

    def items(self) -> list[tuple]:
        return self._found

    def location(self, item) -> str:
        return reverse("articles:topic", args=[item[0]])

    def lastmod(self, item) -> datetime:
        return _latest(item[1], item[2])


class BoardSitemap(Sitemap):
    @cached_property
    def _found(self) -> list[tuple]:
        """(slug, last edit, newest approval) of each active member's profile."""
        History = ReviewerProfile.history.model
        edited = (
            History.objects.filter(id=models.OuterRef("pk"))
            .order_by("-history_date")
            .values("history_date")[:1]
        )
        approved = (
            Listing.objects.approved()
            .filter(reviewer=models.OuterRef("user"))
            .order_by("-reviewed_at")
            .values("reviewed_at")[:1]
        )
        return list(
            ReviewerProfile.objects.filter(user__is_active=True)
            .annotate(edited=models.Subquery(edited), approved=models.Subquery(approved))
            .order_by("slug")
            .values_list("slug", "edited", "approved")
        )

    def items(self) -> list[tuple]:
        return self._found

    def location(self, item) -> str:
        return reverse("articles:profile", args=[item[0]])

    def lastmod(self, item) -> datetime | None:
        return _latest(item[1], item[2])


@dataclass(frozen=True)
class SitePage:
    location: str
    lastmod: datetime | None


class PageSitemap(Sitemap):
    """Pages that are not one object each: their dates come from what they show."""

    @cached_property
    def _found(self) -> list[SitePage]:
        catalogue = _changed(_public_listings())
        board = _latest(*(lastmod for _, *dates in BoardSitemap().items() for lastmod in dates))
        found = [
            SitePage(reverse("articles:home"), catalogue),
            SitePage(reverse("articles:list"), catalogue),
            SitePage(reverse("articles:board"), board),
        ]
        for slug, updated_at in Page.objects.order_by("slug").values_list("slug", "updated_at"):
            found.append(SitePage(reverse("articles:page", args=[slug]), updated_at))
        return found

    def items(self) -> list[SitePage]:
        return self._found

    def location(self, item: SitePage) -> str:
        return item.location

    def lastmod(self, item: SitePage) -> datetime | None:
        return item.lastmod


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "board": BoardSitemap,
}


KEPT_SECTIONS = ("articles",)  # the sections whose pages are kept, all read from the catalogue


def _remembered(request, what: str, view, **kwargs) -> HttpResponse:
    """`view`'s answer, kept in the shared cache under the release, the catalogue's
    generation (which moves with every listing), the site setting that decides which listings
    are public, the host and `what` (the page asked for). Only an answer that exists (200) is
    kept, so made-up page numbers fill nothing. Written here rather than with `cache_page`,
    which marks the response `max-age` (so no longer `public_page`) and keys it on the
    reader-type cookie too."""
    public = SiteSettings.load().show_unapproved_articles
    asked = f"{request.get_host()}\0{what}\0{public}"
    key = (
        f"vetted:sitemap:{stamps.release()}:{catalogue.generation()}:"
        f"{hashlib.sha256(asked.encode()).hexdigest()[:32]}"
    )
    kept = cache.get(key)
    if kept is None:
        response = view(request, **kwargs)
        response.render()
        if response.status_code != 200:
            return response
        kept = (response.content, dict(response.items()))
        cache.set(key, kept, timeout=catalogue.REMEMBERED_SECONDS)
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


def remembered_index(request, **kwargs):
    """sitemap.xml, kept (`_remembered`): its counts and dates read the whole catalogue (about
    150 ms of PostgreSQL at 100,000 articles). The articles' and topics' dates follow the
    catalogue at once; a profile's or a site page's, within `catalogue.REMEMBERED_SECONDS`."""
    return _remembered(request, "index", sitemap_views.index, **kwargs)


def remembered_section(request, section, **kwargs):
    """A section's page; those of `KEPT_SECTIONS` kept (`_remembered`): a page of 1,000
    articles takes about 80 ms to render."""
    if section not in KEPT_SECTIONS:
        return sitemap_views.sitemap(request, section=section, **kwargs)
    what = f"{section}\0{request.GET.get('p', '')}"
    return _remembered(request, what, sitemap_views.sitemap, section=section, **kwargs)
