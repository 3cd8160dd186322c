from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ReviewerProfile(models.Model):
    """A Medical Advisory Board member's public profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewer_profile"
    )
    slug = models.SlugField(max_length=100, unique=True)
    display_name = models.CharField(max_length=150, help_text="As readers see it: “Ana Ruiz”.")
    credentials = models.CharField(max_length=100, help_text="E.g. “MD, PhD”.")
    specialties = models.ManyToManyField(
        "articles.Specialty",
        related_name="board_members",
        help_text="The specialties this member declares: the review queue shows their "
        "articles first, and submissions in them are announced to this member.",
    )
    bio = models.TextField(blank=True, help_text="A few sentences, in the third person.")
    disclosures = models.TextField(
        help_text="Conflicts of interest, or “None declared”. Shown on the public profile."
    )

    history = HistoricalRecords(m2m_fields=[specialties])

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return f"{self.display_name}, {self.credentials}"

    def get_absolute_url(self):
        return reverse("articles:profile", kwargs={"slug": self.slug})

    @property
    def specialty_names(self) -> list[str]:
        """The declared specialties' names (prefetch `specialties` for a list of profiles)."""
        return [specialty.name for specialty in self.specialties.all()]


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
