import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from .citations import KEY_PATTERN, canonical_key

citation_key_validator = RegexValidator(
    rf"^{KEY_PATTERN}\Z",
    "A key starts with a letter, digit or underscore and may hold letters, digits and "
    "the punctuation : . # $ %% & + ? < > ~ / - inside, e.g. nccn-rectal-2025.",
)


# The years a reference may carry, as the database checks them (reference_year_plausible).
YEAR_MIN, YEAR_MAX = 1800, 2100


class ReferenceKind(models.TextChoices):
    GUIDELINE = "guideline", "Guideline"
    RESEARCH = "research", "Research"
    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
    REVIEW = "review", "Review"
    TEXTBOOK = "textbook", "Textbook"
    OTHER = "other", "Other"


# What a reader sees of a reference. An article's revision freezes exactly these fields, so
# editing the library never changes an approved page.
DISPLAYED_FIELDS = (
    "kind",
    "title",
    "authors",
    "source",
    "year",
    "doi",
    "pmid",
    "url",
    "volume",
    "issue",
    "pages",
)
# Fields added after revisions were first frozen. Left out of the displayed data while empty,
# so every digest taken before they existed (a reference's `displayed_hash`, a revision's
# `content_hash`, a citation's frozen digest) stays equal and no approved article is flagged
# "reference updated since approval" by the upgrade.
LATER_DISPLAYED_FIELDS = ("volume", "issue", "pages")


def displayed_data(source) -> dict:
    """The displayed fields of `source` (a Reference, a historical version, a FrozenReference or
    a mapping), as a revision freezes them: the later fields only when they hold a value."""
    get = source.get if isinstance(source, Mapping) else lambda name: getattr(source, name, "")
    data = {name: get(name) for name in DISPLAYED_FIELDS if name not in LATER_DISPLAYED_FIELDS}
    data.update({name: get(name) for name in LATER_DISPLAYED_FIELDS if get(name)})
    return data


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
    # Defaults, so references frozen before these fields existed still load.
    volume: str = ""
    issue: str = ""
    pages: str = ""


class ReferenceQuerySet(models.QuerySet):
    def current(self):
        """References editors may still cite: not merged into another one."""
        return self.filter(merged_into__isnull=True)


class Reference(DisplayedReference, models.Model):
    """One entry in the shared reference library; articles cite it by its key."""

    Kind = ReferenceKind

    key = models.CharField(
        max_length=80,
        unique=True,
        validators=[citation_key_validator],
        help_text="How editors cite this reference: [@key]. Short and stable, "
        "e.g. nccn-rectal-2025; stored in lowercase, and text may cite it in any case. "
        "Changing it breaks articles that cite the old key.",
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
    volume = models.CharField(
        max_length=40, blank=True, help_text="The journal volume, as printed, e.g. 373."
    )
    issue = models.CharField(
        max_length=40, blank=True, help_text="The issue within the volume, e.g. 22 or Suppl 2."
    )
    pages = models.CharField(
        max_length=40,
        blank=True,
        help_text="Page range or article number, e.g. 1165-1175 or e123.",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="merged_from",
        help_text="The reference this duplicate was merged into; old revisions still cite it.",
    )
    displayed_hash = models.CharField(
        max_length=64, editable=False, help_text="Digest of the displayed fields."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        # Each constraint has a message an editor can act on; forms (references/forms.py)
        # also raise it on the field concerned, naming the clash.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ReferenceKind.values),
                name="reference_kind_valid",
                violation_error_message="Choose one of the listed types.",
            ),
            models.CheckConstraint(
                condition=models.Q(year__isnull=True)
                | models.Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="reference_year_plausible",
                violation_error_message=f"The year must be between {YEAR_MIN} and {YEAR_MAX}.",
            ),
            models.UniqueConstraint(
                Lower("key"),
                name="reference_key_unique_ci",
                violation_error_message="A reference with this key already exists "
                "(keys are compared regardless of case).",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="reference_not_merged_into_itself",
                violation_error_message="A reference cannot be merged into itself.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.source}, {self.year})" if self.year else self.title

    def save(self, *args, **kwargs):
        # One canonical form, whatever path wrote the key (form, import, shell): text may cite
        # it in any case, and the parser hands out lowercase keys (citations.canonical_key).
        self.key = canonical_key(self.key)
        # A derived column, kept here so a query can tell which frozen copies are outdated.
        self.displayed_hash = digest(self.displayed())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "displayed_hash"}
        super().save(*args, **kwargs)

    def displayed(self) -> dict:
        """The fields a reader sees, as plain data (what a revision freezes)."""
        return displayed_data(self)

    def protected_by(self, named: int = 20) -> tuple[int, list]:
        """What keeps this reference from being deleted: whatever refers to it with PROTECT
        (the articles app's citations, from every revision, the working copy's included; a
        duplicate merged into it). Asked generically, so this app needs to know nothing about
        the apps above it. Returns how many rows there are and the latest `named` of them
        (with what their names show, in the same query): a much-cited reference has tens of
        thousands."""
        total, first = 0, []
        for relation in self._meta.related_objects:
            if relation.on_delete is not models.PROTECT:
                continue
            rows = relation.related_model._base_manager.filter(**{relation.field.name: self})
            total += rows.count()
            if len(first) < named:
                first += rows.select_related().order_by("-pk")[: named - len(first)]
        return total, sorted(first, key=str)
