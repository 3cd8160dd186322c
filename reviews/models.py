import hashlib
import json
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles.models import Article


@dataclass(frozen=True)
class SectionSnapshot:
    """One section as frozen in a revision; quacks like `articles.Section` for rendering."""

    position: int
    heading: str
    kind: str
    body: str
    variants: dict = field(default_factory=dict)  # reader-type slug -> {"heading", "body"}

    def for_reader(self, slug: str | None) -> "SectionSnapshot":
        """This section as a reader of type `slug` sees it (the default where no variant)."""
        variant = self.variants.get(slug) if slug else None
        if not variant:
            return self
        return replace(self, heading=variant["heading"] or self.heading, body=variant["body"])


class Revision(models.Model):
    """A frozen copy of a whole article (question, headline, bottom line, sections) as it was
    saved. Reviewers approve a revision, never the live rows, so the Approved badge can only
    sit on text a reviewer saw."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
        ]

    def __str__(self):
        return f"{self.content.get('headline', self.article_id)} — revision {self.number}"

    @staticmethod
    def hash_of(content: dict) -> str:
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def question(self) -> str:
        return self.content["question"]

    @property
    def headline(self) -> str:
        return self.content["headline"]

    @property
    def bottom_line(self) -> str:
        return self.content["bottom_line"]

    @property
    def sections(self) -> list[SectionSnapshot]:
        return [SectionSnapshot(**section) for section in self.content["sections"]]

    def bottom_line_for(self, slug: str | None) -> str:
        return self.content.get("bottom_line_variants", {}).get(slug) or self.bottom_line

    def sections_for(self, slug: str | None) -> list[SectionSnapshot]:
        return [section.for_reader(slug) for section in self.sections]

    @property
    def reader_types_with_variants(self) -> set[str]:
        slugs = set(self.content.get("bottom_line_variants", {}))
        for section in self.content["sections"]:
            slugs |= set(section.get("variants", {}))
        return slugs


class ReviewEventAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for review"
    ASSIGNED = "assigned", "Reviewer assigned"
    REVIEW_STARTED = "review_started", "Review started"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    COMMENTED = "commented", "Comment"
    WITHDRAWN = "withdrawn", "Withdrawn from review by an edit"
    UNPUBLISHED = "unpublished", "Unpublished"
    RESTORED = "restored", "Older revision restored"


class ReviewEvent(models.Model):
    """One step of an article's review, in order: who did what, on which revision, and why.
    Append-only: the admin shows these but never changes or deletes them."""

    Action = ReviewEventAction

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="review_events")
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="review_events"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_events"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_assignments",
    )
    section_position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a comment on one section of the revision."
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=ReviewEventAction.values),
                name="review_event_action_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    action__in=[
                        ReviewEventAction.CHANGES_REQUESTED,
                        ReviewEventAction.COMMENTED,
                        ReviewEventAction.UNPUBLISHED,
                    ]
                )
                | ~models.Q(comment=""),
                name="review_event_comment_required",
            ),
            models.CheckConstraint(
                condition=~models.Q(action=ReviewEventAction.ASSIGNED)
                | models.Q(assignee__isnull=False),
                name="review_event_assignment_has_assignee",
            ),
            models.CheckConstraint(
                condition=~models.Q(action=ReviewEventAction.APPROVED)
                | models.Q(revision__isnull=False),
                name="review_event_approval_has_revision",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} by {self.actor} on {self.created_at:%Y-%m-%d}"


class ReviewerProfile(models.Model):
    """A Medical Advisory Board member's public profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewer_profile"
    )
    slug = models.SlugField(max_length=100, unique=True)
    display_name = models.CharField(max_length=150, help_text="As readers see it: “Ana Ruiz”.")
    credentials = models.CharField(max_length=100, help_text="E.g. “MD, PhD”.")
    specialty = models.CharField(max_length=150)
    bio = models.TextField(blank=True, help_text="A few sentences, in the third person.")
    disclosures = models.TextField(
        help_text="Conflicts of interest, or “None declared”. Shown on the public profile."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return f"{self.display_name}, {self.credentials}"

    def get_absolute_url(self):
        return reverse("reviews:profile", kwargs={"slug": self.slug})


class SiteSettings(models.Model):
    """Site-wide editorial switches; exactly one row (pk=1), edited by chief editors."""

    show_unapproved_articles = models.BooleanField(
        "show articles pending review",
        default=True,
        help_text="Show never-approved articles that are submitted or under review to readers, "
        "with the caution banner. Off: readers only see approved articles.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_single")
        ]

    def __str__(self):
        return "Site settings"

    @classmethod
    def load(cls) -> "SiteSettings":
        return cls.objects.get_or_create(pk=1)[0]


class ReviewQueueItem(Article):
    """The Medical Advisory Board's queue in the admin: a view of articles, no new table."""

    class Meta:
        proxy = True
        verbose_name = "article to review"
        verbose_name_plural = "review queue"
