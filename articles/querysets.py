from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def public(self, *, show_unapproved: bool):
        """Articles readers may see: those with an approval, and, when the site setting
        `show_unapproved` allows it, never-approved ones that are submitted or under review."""
        visible = models.Q(approval__isnull=False)
        if show_unapproved:
            visible |= models.Q(
                status__in=[self.model.Status.SUBMITTED, self.model.Status.UNDER_REVIEW]
            )
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
        return self.filter(status__in=[self.model.Status.SUBMITTED, self.model.Status.UNDER_REVIEW])

    def overdue(self, today=None):
        return self.filter(
            approval__isnull=False, next_review_due__lt=today or timezone.localdate()
        )

    def citing(self, key: str) -> list:
        """Articles that cite `key` in their working copy or in any revision (a revision may be
        the public text, and history must stay renderable). A text search narrows, then a real
        parse decides, so `@key` in code or an e-mail address does not count."""
        from django.db.models.functions import Cast

        from reviews.models import Revision

        from .rendering import cited_keys

        needle = f"@{key}"
        in_revisions = [
            revision.article_id
            for revision in Revision.objects.annotate(text=Cast("content", models.TextField()))
            .filter(text__contains=needle)
            .only("article_id", "content")
            if key in cited_keys([revision.bottom_line, *(s.body for s in revision.sections)])
        ]
        candidates = (
            self.filter(
                models.Q(bottom_line__contains=needle)
                | models.Q(sections__body__contains=needle)
                | models.Q(pk__in=in_revisions)
            )
            .distinct()
            .prefetch_related("sections")
        )
        return [
            article
            for article in candidates
            if article.pk in in_revisions
            or key in cited_keys([article.bottom_line, *(s.body for s in article.sections.all())])
        ]

    def latest_first(self):
        return self.order_by("-updated_at", "-pk")


class QuestionQuerySet(models.QuerySet):
    def awaiting_triage(self):
        return self.filter(status=self.model.Status.NEW)
