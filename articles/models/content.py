from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..querysets import ArticleQuerySet, QuestionQuerySet, TopicQuerySet
from ..validators import validate_citation_keys


class SchemaOrgSpecialty(models.TextChoices):
    """The members of schema.org's `MedicalSpecialty` enumeration: how a specialty is named
    in the structured data search engines read (the article's `specialty`)."""

    ANESTHESIA = "Anesthesia"
    CARDIOVASCULAR = "Cardiovascular"
    COMMUNITY_HEALTH = "CommunityHealth", "Community health"
    DENTISTRY = "Dentistry"
    DERMATOLOGY = "Dermatology"
    DIET_NUTRITION = "DietNutrition", "Diet and nutrition"
    EMERGENCY = "Emergency"
    ENDOCRINE = "Endocrine"
    GASTROENTEROLOGIC = "Gastroenterologic"
    GENETIC = "Genetic"
    GERIATRIC = "Geriatric"
    GYNECOLOGIC = "Gynecologic"
    HEMATOLOGIC = "Hematologic"
    INFECTIOUS = "Infectious"
    LABORATORY_SCIENCE = "LaboratoryScience", "Laboratory science"
    MIDWIFERY = "Midwifery"
    MUSCULOSKELETAL = "Musculoskeletal"
    NEUROLOGIC = "Neurologic"
    NURSING = "Nursing"
    OBSTETRIC = "Obstetric"
    ONCOLOGIC = "Oncologic"
    OPTOMETRIC = "Optometric"
    OTOLARYNGOLOGIC = "Otolaryngologic"
    PATHOLOGY = "Pathology"
    PEDIATRIC = "Pediatric"
    PHARMACY = "PharmacySpecialty", "Pharmacy"
    PHYSIOTHERAPY = "Physiotherapy"
    PLASTIC_SURGERY = "PlasticSurgery", "Plastic surgery"
    PODIATRIC = "Podiatric"
    PRIMARY_CARE = "PrimaryCare", "Primary care"
    PSYCHIATRIC = "Psychiatric"
    PUBLIC_HEALTH = "PublicHealth", "Public health"
    PULMONARY = "Pulmonary"
    RADIOGRAPHY = "Radiography"
    RENAL = "Renal"
    RESPIRATORY_THERAPY = "RespiratoryTherapy", "Respiratory therapy"
    RHEUMATOLOGIC = "Rheumatologic"
    SPEECH_PATHOLOGY = "SpeechPathology", "Speech pathology"
    SURGICAL = "Surgical"
    TOXICOLOGIC = "Toxicologic"
    UROLOGIC = "Urologic"


class Specialty(models.Model):
    """A clinical specialty. Each topic belongs to one; board members declare theirs on their
    profile. The review queue puts a member's specialties first, a submission is announced to
    the members of its topic's specialty, and approving outside one's specialties takes a
    confirmation that the review log records (or is refused where the topic requires a
    match: `reviews.specialties`)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    schema_org = models.CharField(
        "schema.org specialty",
        max_length=40,
        blank=True,
        choices=SchemaOrgSpecialty.choices,
        help_text="The nearest member of schema.org’s MedicalSpecialty list, named in the "
        "structured data of this specialty’s articles. Leave it empty when none fits.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"), name="specialty_name_unique_ci"
            ),
            models.CheckConstraint(
                condition=models.Q(schema_org__in=["", *SchemaOrgSpecialty.values]),
                name="specialty_schema_org_valid",
            ),
        ]

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A subject area; every article belongs to one, and every topic to a specialty."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text="One or two sentences for readers.")
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        related_name="topics",
        help_text="Whose field the topic's articles are: the board members of this specialty "
        "see them first in the review queue and are told of each submission.",
    )
    requires_specialty_match = models.BooleanField(
        "only this specialty approves",
        default=False,
        help_text="Only board members who declared the topic’s specialty may approve its "
        "articles or confirm them still current. Off: anyone on the board may, confirming "
        "first when it is outside their specialties (recorded). Chief editors set this.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=12,
        help_text="How long an approval holds before the article is due for review again.",
    )

    objects = TopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [
            (
                "require_specialty_match",
                "Can require that only a topic's specialty approves its articles",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_interval_months__gte=1, review_interval_months__lte=60),
                name="topic_review_interval_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})


class QuestionSource(models.TextChoices):
    EDITORIAL = "editorial", "Editorial"
    READER = "reader", "Reader follow-up"


class QuestionStatus(models.TextChoices):
    NEW = "new", "New — awaiting triage"
    ACCEPTED = "accepted", "Accepted — to be answered"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"


class ReaderType(models.Model):
    """An answer to "Which best describes you?". Professional types read the default text."""

    label = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=40, unique=True, help_text="Used in addresses: ?reader=patient."
    )
    description = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_professional = models.BooleanField(
        default=False,
        help_text="Professionals get the professional disclaimer and no glossary marks.",
    )

    class Meta:
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class Question(models.Model):
    """A clinical question: written by an editor, or sent by a reader and waiting in triage."""

    Source = QuestionSource
    Status = QuestionStatus
    MIN_LENGTH = 15
    MAX_LENGTH = 2000

    text = models.TextField(
        validators=[MinLengthValidator(MIN_LENGTH), MaxLengthValidator(MAX_LENGTH)],
        help_text="The clinical question as it was asked, in full.",
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.EDITORIAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    follow_up_to = models.ForeignKey(
        "Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_questions",
        help_text="The article the reader was reading when they asked.",
    )
    asker_email = models.EmailField(
        blank=True,
        help_text="Given by the reader, optionally, for a reply. Never published.",
    )
    answer = models.ForeignKey(
        "Article",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_questions",
        limit_choices_to={"approval__isnull": False},
        help_text="The article that answers a reader's question; the reader is e-mailed a "
        "link when the question is marked answered.",
    )
    answer_sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the asker was sent the answer."
    )
    triage_note = models.TextField(blank=True, help_text="Staff only.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Editors' triage lists by status, newest first: without it, "New" read all
            # 100,000 questions of a large catalogue to find none (bench/admin_pages.py).
            models.Index(fields=["status", "-created_at", "-id"], name="question_status_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=QuestionSource.values),
                name="question_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=QuestionStatus.values),
                name="question_status_valid",
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class ArticleStatus(models.TextChoices):
    """Where the working copy stands in review. The transitions between these states are
    written down once, in `reviews.workflow`."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    APPROVED = "approved", "Approved"

    @classmethod
    def in_review(cls) -> tuple["ArticleStatus", ...]:
        """The states in which a revision waits for the board's decision."""
        return (cls.SUBMITTED, cls.UNDER_REVIEW)


class Article(models.Model):
    """The answer to one question: headline, bottom line and ordered sections, with citations.

    The article's own fields, sections and variants are the *working copy* editors change.
    What readers see is a frozen `Revision`: the approved one (`approval.revision`), or, for
    an article never approved, the one submitted for review. `status` is the working copy's
    place in the workflow and only changes through `reviews.services`.
    """

    Status = ArticleStatus

    question = models.OneToOneField(
        Question,
        on_delete=models.PROTECT,
        related_name="article",
        help_text="The clinical question this article answers.",
    )
    headline = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The article's address.")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles")
    bottom_line = models.TextField(
        validators=[validate_citation_keys],
        help_text="The answer in two or three sentences, shown in bold at the top. "
        "Markdown; cite with [@key] or [@key1; @key2].",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="assigned_articles",
    )
    submitted_revision = models.ForeignKey(
        "Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The frozen content submitted for review.",
    )
    approval = models.ForeignKey(
        "ReviewEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The approval readers see: its revision, reviewer and date.",
    )
    next_review_due = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every edit; detects stale forms."
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="authored_articles", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last updated", auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[authors])

    class Meta:
        ordering = ["-updated_at"]
        permissions = [
            ("submit_article", "Can submit articles for review"),
            ("review_article", "Can review articles (Medical Advisory Board)"),
            ("assign_reviewer", "Can assign reviewers to articles"),
            ("unpublish_article", "Can unpublish articles"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ArticleStatus.values),
                name="article_status_valid",
            ),
            # Approved means the working copy is exactly the approved revision.
            models.CheckConstraint(
                condition=~models.Q(status=ArticleStatus.APPROVED)
                | models.Q(approval__isnull=False),
                name="article_approved_has_approval",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ArticleStatus.DRAFT)
                | models.Q(submitted_revision__isnull=False),
                name="article_in_review_has_revision",
            ),
        ]
        indexes = [
            # `overdue()`: the "Review overdue" work list counts from this alone (90 ms -> 4
            # ms at 100,000 articles, half of them approved long ago).
            models.Index(
                fields=["next_review_due"],
                condition=models.Q(approval__isnull=False),
                name="article_review_due",
            ),
            # The review queue: which articles in review are a member's or nobody's, in order
            # of submission, with their topic (the member's specialties first), answered
            # from the index alone (reviews.admin.ReviewQueueAdmin; 45 -> 2.5 ms for a page
            # of 9,000 in review at 100,000 articles). INCLUDE is PostgreSQL's.
            models.Index(
                fields=["assigned_reviewer", "submitted_revision"],
                include=["topic", "id"],
                condition=models.Q(status__in=ArticleStatus.in_review()),
                name="article_review_queue",
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def public_revision(self):
        """The revision readers see, if any: approved first, else the one under review.
        Whether a never-approved one is public at all is the site setting's call."""
        if self.approval_id:
            return self.approval.revision
        if self.is_in_review:
            return self.submitted_revision
        return None

    @property
    def is_in_review(self) -> bool:
        return self.status in self.Status.in_review()

    @property
    def revision_in_focus(self):
        """The revision a review is about: the one under review, else the latest saved."""
        if self.is_in_review:
            return self.submitted_revision
        return self.revisions.order_by("-number").first()

    @property
    def public_status(self) -> str:
        """The workflow step of `public_revision`, for the tracker and the badge."""
        return self.Status.APPROVED if self.approval_id else self.status

    @property
    def is_review_overdue(self) -> bool:
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())


class SectionKind(models.TextChoices):
    STANDARD = "standard", "Standard"
    ALGORITHM = "algorithm", "Algorithm (numbered steps)"
    PITFALLS = "pitfalls", "Critical pitfalls"
    KEY_POINTS = "key_points", "Key points"


class Section(models.Model):
    """One part of an article's body, in order; `kind` lets the page style it."""

    Kind = SectionKind
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(help_text="Sections are shown in this order.")
    heading = models.CharField(max_length=200)
    body = models.TextField(
        validators=[validate_citation_keys],
        help_text="Markdown: paragraphs, - bullets, 1. numbered steps, tables, ### sub-headings. "
        "Cite with [@key] or [@key1; @key2]. Give each table a heading in every column and a "
        "caption: a line starting “Table:” right before it (Table: Doses by kidney function).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STANDARD)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            # Deferred so a single save can swap two positions (PostgreSQL); see settings.
            models.UniqueConstraint(
                fields=["article", "position"],
                name="section_position_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SectionKind.values),
                name="section_kind_valid",
            ),
        ]

    def __str__(self):
        return self.heading


class Variant(models.Model):
    """Alternative text of the bottom line (no section) or of one section, for one reader type.
    Part of the revision reviewers approve, like any other text."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="variants")
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="variants",
        help_text="Leave empty for the bottom line.",
    )
    reader_type = models.ForeignKey(ReaderType, on_delete=models.PROTECT, related_name="+")
    heading = models.CharField(
        max_length=200, blank=True, help_text="Sections only; empty keeps the default heading."
    )
    text = models.TextField(
        validators=[validate_citation_keys],
        help_text="Markdown, cited like the default text: [@key].",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "section__position", "reader_type__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reader_type"],
                condition=models.Q(section__isnull=True),
                name="variant_one_bottom_line_per_reader_type",
            ),
            models.UniqueConstraint(
                fields=["section", "reader_type"], name="variant_one_per_section_and_reader_type"
            ),
            models.CheckConstraint(
                condition=models.Q(section__isnull=False) | models.Q(heading=""),
                name="variant_heading_only_for_sections",
            ),
        ]

    def __str__(self):
        part = f"section {self.section.position}" if self.section_id else "bottom line"
        return f"{self.reader_type} — {part}"


class Page(models.Model):
    """A site page staff maintain in the admin: the editorial policy, the disclaimer, …"""

    EDITORIAL_POLICY = "editorial-policy"
    DISCLAIMER = "disclaimer"  # for professionals, and readers who made no choice
    PLAIN_DISCLAIMER = "disclaimer-plain"  # for patients, caregivers, students

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    updated_at = models.DateTimeField("last updated", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:page", kwargs={"slug": self.slug})
