from django.db import models

from .content import Article


class Stamp(models.Model):
    """The durable copy of a stamp (articles/stamps.py): moved in the same transaction as the
    change it stands for, so a published page checked against it can't outlive that change,
    whatever the cache forgets."""

    key = models.CharField(max_length=200, primary_key=True)
    value = models.BigIntegerField()

    def __str__(self):
        return self.key


class PublishedPage(models.Model):
    """A reader's article page as it was rendered and served (articles/page_cache.py): the
    brotli bytes, kept in the database so that a page the shared cache no longer holds is
    answered with one query instead of being rendered again. Valid only while the release
    and the two stamps it was rendered under are still current, and until the article's
    review falls overdue (the page then says so): nothing else on it changes with time."""

    # The page's address as the cache keys it: origin, slug and reader type, digested.
    key = models.CharField(max_length=32, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    release = models.CharField(max_length=12)
    site_stamp = models.BigIntegerField()
    article_stamp = models.BigIntegerField()
    etag = models.CharField(max_length=32, help_text="The page's digest, without encoding.")
    last_modified = models.FloatField(help_text="When it was rendered (a Unix time).")
    expires = models.FloatField(
        null=True, help_text="When its review falls overdue (a Unix time); none: never."
    )
    body = models.BinaryField(help_text="The page's HTML, brotli-compressed.")

    def __str__(self):
        return self.key
