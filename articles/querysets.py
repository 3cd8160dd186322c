from django.db import models


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see: anything past Draft (the review workflow narrows this)."""
        return self.filter(status__in=self.model.PUBLIC_STATUSES)

    def visible_to(self, user):
        """Staff who may view articles also see drafts (as a preview); readers see published."""
        if user.has_perm("articles.view_article"):
            return self.all()
        return self.published()

    def for_page(self):
        """What the article page needs, in a fixed number of queries."""
        return self.select_related("question", "topic").prefetch_related("sections")

    def citing(self, key: str) -> list:
        """Articles whose bottom line or sections cite `key` (text search, then a real parse so
        `@key` in code or an e-mail address does not count)."""
        from .rendering import cited_keys

        candidates = (
            self.filter(
                models.Q(bottom_line__contains=f"@{key}")
                | models.Q(sections__body__contains=f"@{key}")
            )
            .distinct()
            .prefetch_related("sections")
        )
        return [
            article
            for article in candidates
            if key in cited_keys([article.bottom_line, *(s.body for s in article.sections.all())])
        ]

    def latest_first(self):
        return self.order_by("-updated_at", "-pk")


class QuestionQuerySet(models.QuerySet):
    def awaiting_triage(self):
        return self.filter(status=self.model.Status.NEW)
