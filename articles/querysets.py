from django.apps import apps
from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def public(self, *, show_unapproved: bool):
        """Articles readers may see: those with an approval, and, when the site setting
        `show_unapproved` allows it, never-approved ones that are submitted or under review."""
        visible = models.Q(approval__isnull=False)
        if show_unapproved:
            visible |= models.Q(status__in=self.model.Status.in_review())
        return self.filter(visible)

    def visible_to(self, user, *, show_unapproved: bool):
        """Staff who may view articles also see drafts (as a preview); readers see public."""
        if user.has_perm("articles.view_article"):
            return self.all()
        return self.public(show_unapproved=show_unapproved)

    def with_public_revision(self):
        """Everything needed to show the public revision, its reviewer and topic in one query."""
        return self.select_related(
            "question",
            "topic",
            "submitted_revision",
            "approval__revision",
            "approval__actor__reviewer_profile",
        )

    def awaiting_review(self):
        return self.filter(status__in=self.model.Status.in_review())

    def overdue(self, today=None):
        return self.filter(
            approval__isnull=False, next_review_due__lt=today or timezone.localdate()
        )

    def reference_updated_since_approval(self):
        """Approved articles whose approved revision shows a reference the library has changed
        since: readers still see the frozen copy; editors should take it through review."""
        # Citation is defined after the models this module serves: fetched from the registry.
        Citation = apps.get_model("articles", "Citation")
        outdated = Citation.objects.filter(revision=models.OuterRef("approval__revision")).exclude(
            displayed_hash=models.F("reference__displayed_hash")
        )
        return self.filter(approval__isnull=False).filter(models.Exists(outdated))

    def latest_first(self):
        return self.order_by("-updated_at", "-pk")


class QuestionQuerySet(models.QuerySet):
    def awaiting_triage(self):
        return self.filter(status=self.model.Status.NEW)
