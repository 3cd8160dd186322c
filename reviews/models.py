from articles.models import Article


class ReviewQueueItem(Article):
    """The Medical Advisory Board's queue in the admin: a view of articles, no new table."""

    class Meta:
        proxy = True
        verbose_name = "article to review"
        verbose_name_plural = "review queue"
