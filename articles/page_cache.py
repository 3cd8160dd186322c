"""Readers' article pages, rendered once and served as stored bytes.

An anonymous reader's GET of an article page is answered from the shared cache (Redis in
production, so every app server serves what any of them stored) without a single query:
the entry holds the whole page as brotli, gzip and plain bytes, with its ETag and
Last-Modified. Signed-in people (previews, staff) and form answers never use it.

An entry is keyed by release (code, templates and static file names), site address, slug,
reader type and encoding, and is checked on every read against two stamps fetched with it
in one round trip:
- the site stamp, moved when something every article page shows changes: reader types,
  the disclaimers, site settings (`invalidate_all`);
- the article's stamp (by slug), moved when that article's page changes: a save that
  changes its public state, a glossary term it uses, its reviewer's name, its topic, a
  tampered revision found (`invalidate`).
Stamps are articles/stamps.py's: an evicted one comes back newer than any entry, and they
move inside the writing transaction and again once it commits.

Every page rendered is also published in the database (articles/published.py: its brotli bytes,
under the release and the durable copies of the two stamps read before rendering; off with
ARTICLE_PAGES_IN_DATABASE). A page the cache has evicted, or lost in a restart, is answered
from there with one query (`X-Cache: DATABASE`) and kept in the cache again, instead of being
rendered: the cache holds the pages being read (a day at most), the database every page until
something on it changes or its review falls overdue. The durable stamps move inside the
writing transaction, so a published page can't outlive a change that committed, nor be
brought back by the cache forgetting; its bytes are checked against their digest.

When an article's public state changes (an approval commits), its pages are rendered at
once for the site's own address (SITE_URL), before any reader asks (`prerender`; after a
deploy, `manage.py publish_pages`). A miss is rendered by one process only: the first takes
a short lock, the others wait for its entry.
"""

import gzip
import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from io import BytesIO
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

import brotli
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from config.public_cache import mark_public

from . import published, stamps
from .models import Article, PublishedPage
from .published import Published

ENCODINGS = ("br", "gzip")  # stored compressed, in order of preference; and "identity"
NO_READER = "-"  # the key part for the default (professional) text
LOCK_SECONDS = 10  # a render that takes longer is presumed dead: waiting readers render
WAIT_STEP = 0.005  # seconds between looks while another process renders
# Compressed once per page and reader type, but on a reader's request when it misses: at 11
# (brotli's best) a 30 KB page took 62 ms for 11% fewer bytes than at 5 (2 ms).
BROTLI_QUALITY = 5
_SITE_STAMP = "vetted:page-stamp"


class StoredPage(NamedTuple):
    site: int  # the stamps when it was rendered
    article: int
    etag: str
    last_modified: float
    body: bytes


def negotiate(accept_encoding: str) -> str:
    """The stored encoding to send: brotli, else gzip, else none. q=0 refuses one; `*`
    accepts any not named."""
    weights = {}
    for part in accept_encoding[:200].split(","):
        name, _, params = part.partition(";")
        weight = 1.0
        params = params.strip().replace(" ", "")
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                weight = 0.0
        weights[name.strip().lower()] = weight
    for encoding in ENCODINGS:
        if weights.get(encoding, weights.get("*", 0.0)) > 0:
            return encoding
    return "identity"


def _origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _digest(*parts: str) -> str:
    """What the request named, as a short key part: a host, slug or reader value may be
    long or hold bytes a cache key can't (a NUL, a space), whatever a client sent."""
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def _key(origin: str, slug: str, reader: str, part: str) -> str:
    return f"vetted:page:{stamps.release()}:{_digest(origin, slug, reader or NO_READER)}:{part}"


def _stamp_key(slug: str) -> str:
    return f"{_SITE_STAMP}:{_digest(slug)}"


def _valid(page: StoredPage | None, found: dict, slug: str) -> bool:
    return page is not None and (page.site, page.article) == (
        found.get(_SITE_STAMP),
        found.get(_stamp_key(slug)),
    )


# -- reading ----------------------------------------------------------------------------


def serve(request, slug: str, reader: str) -> HttpResponse | None:
    """The stored page for this address and reader type (`reader` as the request names it),
    or None: from the cache (one round trip, no query), else as published in the database
    (one query; then kept in the cache again)."""
    encoding = negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    key = _key(_origin(request), slug, reader, encoding)
    found = cache.get_many([_SITE_STAMP, _stamp_key(slug), key])
    page = found.get(key)
    if _valid(page, found, slug):
        return _respond(page, encoding, "HIT")
    cached = _stamps(slug)  # set again if the cache lost them
    row = _published(request, slug, reader)[1]
    if row is None:
        return None
    return _from_database(_origin(request), slug, reader, row, cached, encoding)


def render_once(request, article: Article, reader: str, render: Callable[[], str]) -> HttpResponse:
    """The page of `article` for `reader` (a known reader type's slug, or "" for the default
    text): from the cache if another request stored it meanwhile, else as published in the
    database if it still is, else rendered with `render()` — by this process if it gets the
    lock, else by the one holding it, whose entry this waits for (a burst of readers on a
    just-approved article renders it once, not once per worker). A render that fails or
    outlasts the lock is done here instead."""
    encoding = negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    origin, slug = _origin(request), article.slug
    key, lock = _key(origin, slug, reader, encoding), _key(origin, slug, reader, "lock")
    cached = _stamps(slug)
    found = {**cached, **cache.get_many([key])}
    if _valid(found.get(key), found, slug):
        return _respond(found[key], encoding, "HIT")
    durable, row = _published(request, slug, reader)
    if row is not None:
        return _from_database(origin, slug, reader, row, cached, encoding)
    locked = cache.add(lock, True, timeout=LOCK_SECONDS)
    if not locked:
        page = _wait_for(key, lock, slug)
        if page is not None:
            return _respond(page, encoding, "HIT")
    else:
        # Another process may have stored the page and let go of the lock between our
        # look and our taking it: look again before rendering (one more round trip, on a
        # miss only).
        found = {**cached, **cache.get_many([key])}
        if _valid(found.get(key), found, slug):
            cache.delete(lock)
            return _respond(found[key], encoding, "HIT")
    try:
        pages = _store(request, article, reader, render(), cached, durable)
    finally:
        if locked:  # never another process's lock
            cache.delete(lock)
    return _respond(pages[encoding], encoding, "MISS")


def _wait_for(key: str, lock: str, slug: str) -> StoredPage | None:
    """Look for the entry another process is rendering until it appears, or its lock goes
    (that render failed), or the lock's time is up. Polling: the cache API has no way to be
    told, and a page takes tens of milliseconds."""
    deadline = time.monotonic() + LOCK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        found = cache.get_many([_SITE_STAMP, _stamp_key(slug), key, lock])
        if _valid(found.get(key), found, slug):
            return found[key]
        if lock not in found:
            return None
    return None


def _stamps(slug: str) -> dict:
    return stamps.read(_SITE_STAMP, _stamp_key(slug))


def _from_database(origin, slug, reader, row: Published, cached: dict, encoding: str):
    """Answer with a published page, and keep it in the cache again for what is left of its
    lifetime (under the cache's stamps as read before the page was fetched): brotli as stored,
    plain (decompressing is cheap) and gzip only if this reader asked for it."""
    pages = _representations(
        row.etag, row.last_modified, html=row.html, br=row.br, with_gzip=encoding == "gzip"
    )
    timeout = settings.ARTICLE_PAGE_CACHE_SECONDS
    if row.expires is not None:
        timeout = min(timeout, max(1, int(row.expires - time.time())))
    _keep(origin, slug, reader, pages, cached, timeout)
    return _respond(pages[encoding], encoding, "DATABASE")


def _published(request, slug: str, reader: str) -> tuple[dict | None, Published | None]:
    """The durable stamps (read before any rendering, so a page rendered now is stored under
    what it was rendered from) and the page as published in the database if it is still
    valid: one query, once per address in a request (the middleware looks, and on a miss the
    view would look again for the same page), none when pages aren't kept there
    (ARTICLE_PAGES_IN_DATABASE off)."""
    if not settings.ARTICLE_PAGES_IN_DATABASE:
        return None, None
    page_key = _page_key(_origin(request), slug, reader)
    looked = request.__dict__.setdefault("_published_pages", {})
    if page_key not in looked:
        looked[page_key] = published.find(_SITE_STAMP, _stamp_key(slug), page_key)
    return looked[page_key]


def _page_key(origin: str, slug: str, reader: str) -> str:
    return _digest(origin, slug, reader or NO_READER)


def _representations(
    tag: str,
    last_modified: float,
    *,
    html: bytes,
    br: bytes | None = None,
    with_gzip: bool = True,
) -> dict[str, StoredPage]:
    """The page in each encoding, with their validators (stamps filled in when kept)."""
    bodies = {
        "identity": html,
        "br": br or brotli.compress(html, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY),
    }
    if with_gzip:
        bodies["gzip"] = gzip.compress(html, compresslevel=6, mtime=0)
    # A representation's own strong ETag: each encoding is different bytes.
    return {
        encoding: StoredPage(0, 0, f'"{tag}-{encoding}"', last_modified, data)
        for encoding, data in bodies.items()
    }


def _keep(origin, slug, reader, pages: dict[str, StoredPage], cached: dict, timeout: int) -> None:
    """Into the cache, under the stamps read before the page was rendered or fetched."""
    site, article = cached.get(_SITE_STAMP, 0), cached.get(_stamp_key(slug), 0)
    cache.set_many(
        {
            _key(origin, slug, reader, encoding): page._replace(site=site, article=article)
            for encoding, page in pages.items()
        },
        timeout=timeout,
    )


def _store(request, article, reader, html: str, cached: dict, durable: dict | None) -> dict:
    """A page just rendered: into the cache, and published in the database under the durable
    stamps read before rendering (`durable`; None: not kept there)."""
    origin, slug, timeout = _origin(request), article.slug, timeout_for(article)
    body = html.encode()
    tag, now = published.digest(body), time.time()
    pages = _representations(tag, now, html=body)
    _keep(origin, slug, reader, pages, cached, timeout)
    if durable is not None:
        published.publish(
            PublishedPage(
                key=_page_key(origin, slug, reader),
                article_id=article.pk,
                release=stamps.release(),
                site_stamp=durable[_SITE_STAMP],
                article_stamp=durable[_stamp_key(slug)],
                etag=tag,
                last_modified=now,
                expires=overdue.timestamp() if (overdue := _overdue_from(article)) else None,
                body=pages["br"].body,
            )
        )
    return pages


def _respond(page: StoredPage, encoding: str, source: str) -> HttpResponse:
    """The stored bytes with their validators; ConditionalGetMiddleware turns a matching
    If-None-Match or If-Modified-Since into a 304."""
    response = HttpResponse(page.body, content_type="text/html; charset=utf-8")
    response["Content-Length"] = str(len(page.body))
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(page.last_modified)
    if encoding != "identity":
        response["Content-Encoding"] = encoding
    response["X-Cache"] = source
    mark_public(response)
    return response


def timeout_for(article: Article) -> int:
    """How long a page of `article` may be kept in the cache: ARTICLE_PAGE_CACHE_SECONDS, but
    never past the moment its review falls overdue (the page then says so)."""
    timeout = settings.ARTICLE_PAGE_CACHE_SECONDS
    overdue_from = _overdue_from(article)
    if overdue_from is not None:
        timeout = min(timeout, max(1, int((overdue_from - timezone.now()).total_seconds())))
    return timeout


def _overdue_from(article: Article) -> datetime | None:
    """When the approved article's review falls overdue, if it is not already."""
    if article.approval_id and article.next_review_due and not article.is_review_overdue:
        return datetime.combine(
            article.next_review_due + timedelta(days=1),
            datetime.min.time(),
            tzinfo=timezone.get_current_timezone(),
        )
    return None


# -- rendering before anyone asks --------------------------------------------------------


def site_request(path: str, reader: str = "") -> WSGIRequest | None:
    """An anonymous GET of `path` at the site's own address (SITE_URL), as a reader's browser
    would send it, for rendering outside a request; None if that host isn't served."""
    address = urlsplit(settings.SITE_URL)
    secure = address.scheme == "https"
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": urlencode({"reader": reader}) if reader else "",
            "SERVER_NAME": address.hostname or "localhost",
            "SERVER_PORT": str(address.port or (443 if secure else 80)),
            "HTTP_HOST": address.netloc,
            "wsgi.url_scheme": address.scheme or "http",
            "wsgi.input": BytesIO(),
        }
    )
    if settings.SECURE_PROXY_SSL_HEADER and secure:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        request.META[header] = value
    try:
        request.get_host()
    except DisallowedHost:
        return None
    request.user = AnonymousUser()
    return request


def store(request, article: Article, reader: str, render: Callable[[], str]) -> None:
    """Render a page outside a reader's request (`prerender`, `publish_pages`) and store it,
    under the stamps read before rendering."""
    cached, durable = _stamps(article.slug), _published(request, article.slug, reader)[0]
    _store(request, article, reader, render(), cached, durable)


def is_published(request, article: Article, reader: str) -> bool:
    """Whether the database holds a valid page of `article` for `reader` at this address (as
    first looked up for `request`)."""
    return _published(request, article.slug, reader)[1] is not None


# -- invalidation -------------------------------------------------------------------------


def invalidate(slugs: Iterable[str]) -> None:
    """The pages of the articles at these slugs change."""
    stamps.move(*{_stamp_key(slug) for slug in slugs})


def invalidate_all(**kwargs) -> None:
    """Something every article page shows changed (also a signal receiver)."""
    stamps.move(_SITE_STAMP)
