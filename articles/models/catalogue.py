from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from ..querysets import ListingQuerySet
from ..revisions import Revision
from .content import Article, ArticleStatus, Topic


class Listing(models.Model):
    """What the public catalogue knows of one article readers may see: its public revision's
    text as plain words, and the facts the list filters and sorts on. Written only by
    `articles.catalogue.refresh` whenever the article's public revision or state changes, so
    the list, search, home and topic pages read one narrow table however large the catalogue
    — and never a draft."""

    Status = ArticleStatus

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="listing"
    )
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="listings")
    slug = models.SlugField(max_length=200, help_text="The article's, for its address.")
    status = models.CharField(max_length=20, choices=ArticleStatus.choices)
    # Every list sorts approved articles first (False before True). A stored column, not an
    # expression in the index, so a deep page's ids and a list's count come from the index
    # alone (index-only scans) instead of visiting 100,000 rows.
    pending = models.GeneratedField(
        expression=models.Case(
            models.When(status=ArticleStatus.APPROVED, then=models.Value(False)),
            default=models.Value(True),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    headline = models.CharField(max_length=200)
    question = models.TextField()
    bottom_line = models.TextField()
    body = models.TextField(help_text="Section headings and texts, without markup.")
    published_at = models.DateTimeField(help_text="When the public revision was saved.")
    reviewed_at = models.DateTimeField(null=True, help_text="When it was approved.")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # PostgreSQL only (weighted, English stemming; GIN-indexed by migration 0014); empty on
    # SQLite, which searches the text columns instead.
    search = SearchVectorField(null=True, editable=False)
    # PostgreSQL only: headline and question (A) and bottom line (B) alone, a tenth of
    # `search`'s size and kept in the row, for ranking a search that matches very many articles
    # (`ListingQuerySet.sorted`): `ts_rank` over `search` would read every match's 4 KB of
    # TOAST. Written with `search`.
    rank_vector = SearchVectorField(null=True, editable=False)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["pending", "-published_at", "-article"],
                name="listing_pending_newest",
            ),
            models.Index(
                fields=["pending", "-reviewed_at", "-article"],
                name="listing_pending_reviewed",
            ),
            models.Index(fields=["topic", "-published_at"], name="listing_topic_newest"),
            models.Index(fields=["status", "-published_at"], name="listing_status_newest"),
            # A board member's latest approval (sitemap, profile pages): one index probe each,
            # not a walk through everyone's approvals (1.3 s for the sitemap at 100,000).
            models.Index(fields=["reviewer", "-reviewed_at"], name="listing_reviewer_reviewed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ArticleStatus.values) & ~models.Q(status="draft"),
                name="listing_status_public",
            ),
            # Approved exactly when reviewed.
            models.CheckConstraint(
                condition=models.Q(status=ArticleStatus.APPROVED, reviewed_at__isnull=False)
                | (~models.Q(status=ArticleStatus.APPROVED) & models.Q(reviewed_at__isnull=True)),
                name="listing_reviewed_when_approved",
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_approved(self) -> bool:
        return self.status == ArticleStatus.APPROVED


class ListingFacet(models.Model):
    """A fact about a listed article the list filters on that may have many values: a type of
    reference its public revision cites (`reference:guideline`), a reader type it has its own
    version for (`reader:patient`)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "listing"], name="listing_facet_unique"),
        ]

    def __str__(self):
        return self.facet
