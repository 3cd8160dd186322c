"""Readers' article pages as they were rendered, kept in the database (`PublishedPage`), for
the page cache (articles/page_cache.py) to answer from when the cache no longer holds a page.
A row is served only while the release and the durable stamps (articles/stamps.py) it was
rendered under are current, until it expires, and while its bytes match their digest."""

import hashlib
import logging
import time
from contextlib import nullcontext
from typing import NamedTuple

import brotli
from django.db import DatabaseError, connection, transaction

from . import stamps
from .models import PublishedPage, Stamp
from .signals import integrity_log

logger = logging.getLogger(__name__)


class Published(NamedTuple):
    etag: str  # the page's digest
    last_modified: float
    expires: float | None
    html: bytes
    br: bytes


def digest(html: bytes) -> str:
    """The page's digest: its ETag (before the encoding's suffix), and its row's check."""
    return hashlib.sha256(html).hexdigest()[:32]


def find(site_key: str, article_key: str, page_key: str) -> tuple[dict, Published | None]:
    """The durable stamps of the site and the article (0 if never moved), and the page at
    `page_key` if it is still valid: one query."""
    with connection.cursor() as cursor:
        cursor.execute(_FIND_SQL, [site_key, article_key, page_key])
        site, article, release, *stored, expires, etag, last_modified, body = cursor.fetchone()
    durable = {site_key: site or 0, article_key: article or 0}
    current = release == stamps.release() and tuple(stored) == tuple(durable.values())
    if not current or (expires is not None and expires <= time.time()):
        return durable, None
    html = brotli.decompress(body)
    if digest(html) != etag:
        # Not the bytes that were rendered (a manual fix, a bad restore): never served, so
        # the badge can't sit on other text; the page is rendered again instead.
        integrity_log.error("The published page %s (%s) is not what was rendered", page_key, etag)
        return durable, None
    return durable, Published(etag, last_modified, expires, html, bytes(body))


# Hand-written SQL: the durable stamps and the page in one round trip, whether or not the
# page exists (an ORM query starts from one table's rows). Only our own table names are
# formatted in; every value is a parameter.
_FIND_SQL = (  # noqa: S608
    "SELECT site.value, article.value, page.release, page.site_stamp, page.article_stamp, "
    "page.expires, page.etag, page.last_modified, page.body FROM (SELECT 1 AS one) AS one "
    "LEFT JOIN {stamp} AS site ON site.{key} = %s "
    "LEFT JOIN {stamp} AS article ON article.{key} = %s "
    "LEFT JOIN {page} AS page ON page.{key} = %s"
).format(
    stamp=Stamp._meta.db_table,
    page=PublishedPage._meta.db_table,
    key=connection.ops.quote_name("key"),
)


def publish(page: PublishedPage) -> None:
    """Insert or replace. Kept like a cache entry: a database that refuses the write (read
    only, full) costs the next reader a render, never this reader their page."""
    try:
        # On its own outside a transaction; inside one, in a savepoint, so that a refused
        # write can't break the caller's transaction.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            PublishedPage.objects.bulk_create(
                [page],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=[
                    "article",
                    "release",
                    "site_stamp",
                    "article_stamp",
                    "etag",
                    "last_modified",
                    "expires",
                    "body",
                ],
            )
    except DatabaseError:
        logger.warning("Publishing the page of article %s failed", page.article_id, exc_info=True)
