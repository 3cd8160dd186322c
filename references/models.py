import hashlib
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

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


# What a reader sees of a reference. An article's revision freezes exactly these fields, so
# editing the library never changes an approved page.
DISPLAYED_FIELDS = ("kind", "title", "authors", "source", "year", "doi", "pmid", "url")


def digest(data) -> str:
    """SHA-256 of `data` as canonical JSON: equal data, equal digest, on every machine."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class DisplayedReference:
    """How a reference is shown, for the library's rows and for frozen copies alike."""

    @property
    def kind_label(self) -> str:
        return ReferenceKind(self.kind).label if self.kind in ReferenceKind.values else self.kind

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def link_url(self) -> str:
        """The URL as a link target, only if it is a web address: a `javascript:` or `data:`
        URL written around the form (an import, the shell) must never become a link."""
        try:
            scheme = urlsplit(self.url or "").scheme
        except ValueError:  # not a URL at all ("https://[oops")
            return ""
        return self.url if scheme in ("http", "https") else ""


@dataclass(frozen=True)
class FrozenReference(DisplayedReference):
    """A reference's displayed fields as a revision froze them."""

    key: str
    kind: str
    title: str
    authors: str = ""
    source: str = ""
    year: int | None = None
    doi: str = ""
    pmid: str = ""
    url: str = ""


class Reference(DisplayedReference, models.Model):
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
    displayed_hash = models.CharField(
        max_length=64, editable=False, help_text="Digest of the displayed fields."
    )
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

    def save(self, *args, **kwargs):
        # A derived column, kept here so a query can tell which frozen copies are outdated.
        self.displayed_hash = digest(self.displayed())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "displayed_hash"}
        super().save(*args, **kwargs)

    def displayed(self) -> dict:
        """The fields a reader sees, as plain data (what a revision freezes)."""
        return {name: getattr(self, name) for name in DISPLAYED_FIELDS}
