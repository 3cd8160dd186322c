from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from .citations import KEY_PATTERN

citation_key_validator = RegexValidator(
    rf"^{KEY_PATTERN}\Z",
    "A key starts with a letter, digit or underscore and may hold letters, digits and "
    "the punctuation : . # $ %% & + ? < > ~ / - inside, e.g. nccn-rectal-2025.",
)


class ReferenceKind(models.TextChoices):
    GUIDELINE = "guideline", "Guideline"
    RESEARCH = "research", "Research"
    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
    REVIEW = "review", "Review"
    TEXTBOOK = "textbook", "Textbook"
    OTHER = "other", "Other"


class Reference(models.Model):
    """One entry in the shared reference library; articles cite it by its key."""

    Kind = ReferenceKind

    key = models.CharField(
        max_length=80,
        unique=True,
        validators=[citation_key_validator],
        help_text="How editors cite this reference: [@key]. Short and stable, "
        "e.g. nccn-rectal-2025. Changing it breaks articles that cite the old key.",
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.RESEARCH)
    title = models.CharField(max_length=500)
    authors = models.CharField(
        max_length=500,
        blank=True,
        help_text="As printed, e.g. “Smith J, Lee K, et al.”",
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Journal, publisher or issuing body."
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[RegexValidator(r"^10\.\S+/\S+\Z", "A DOI looks like 10.1056/NEJMoa1511939.")],
        help_text="Without the https://doi.org/ prefix.",
    )
    pmid = models.CharField(
        "PMID",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{1,10}\Z", "A PubMed ID is digits only.")],
    )
    url = models.URLField("URL", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ReferenceKind.values),
                name="reference_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1800, year__lte=2100),
                name="reference_year_plausible",
            ),
            models.UniqueConstraint(Lower("key"), name="reference_key_unique_ci"),
        ]

    def __str__(self):
        return f"{self.title} ({self.source}, {self.year})" if self.year else self.title

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""
