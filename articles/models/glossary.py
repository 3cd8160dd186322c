from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class GlossaryText(models.Model):
    """What a glossary entry says and which words it matches; shared by the working copy
    editors change (`GlossaryTerm`) and the frozen text the board approved
    (`GlossaryApproval`)."""

    term = models.CharField(max_length=100)
    synonyms = models.CharField(
        max_length=300, blank=True, help_text="Other forms that match too, separated by commas."
    )
    definition = models.CharField(
        max_length=300, help_text="One short sentence in everyday words, no jargon."
    )
    match_case = models.BooleanField(
        default=False,
        help_text="Match only this exact capitalisation. Forms written with a capital letter "
        "(EGFR, eGFR, AF) always do; all-lowercase forms otherwise match any case.",
    )

    class Meta:
        abstract = True

    @property
    def forms(self) -> list[str]:
        """The term and its synonyms: every spelling that gets the definition."""
        return [self.term, *(s.strip() for s in self.synonyms.split(",") if s.strip())]

    def matches_case(self, form: str) -> bool:
        """Whether `form` matches only as written: acronyms (EGFR is not eGFR) and any form
        of a term set to match case."""
        return self.match_case or form != form.lower()

    def frozen(self) -> dict:
        return {f: getattr(self, f) for f in ("term", "synonyms", "definition", "match_case")}


class GlossaryTerm(GlossaryText):
    """A plain-language definition for lay readers, as editors write it. Readers see a term
    only once a Medical Advisory Board member has approved it (`approval`); an edit after
    that needs approval again, and the approved text stays live meanwhile."""

    term = models.CharField(max_length=100, unique=True)
    approval = models.ForeignKey(
        "GlossaryApproval",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The approved text readers see.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]
        permissions = [
            ("approve_glossaryterm", "Can approve glossary definitions (Medical Advisory Board)"),
        ]

    def __str__(self):
        return self.term

    @property
    def is_pending(self) -> bool:
        """Written or changed since its last approval, so not (yet) what readers see."""
        return self.approval is None or self.approval.frozen() != self.frozen()


class GlossaryApproval(GlossaryText):
    """A board member's approval of one exact glossary text. Append-only."""

    glossary_term = models.ForeignKey(
        GlossaryTerm,
        on_delete=models.SET_NULL,  # a term may be withdrawn; the record of its approval stays
        null=True,
        related_name="approvals",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="glossary_approvals"
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["glossary_term", "-approved_at", "-pk"]

    def __str__(self):
        return f"“{self.term}” approved by {self.approved_by} on {self.approved_at:%Y-%m-%d}"
