"""The page cache's fast path: a reader's article page straight from the cache (or, if the
cache no longer holds it, as published in the database: one query), before the session,
authentication, CSRF and other per-person middleware run (none of it applies to a request
that carries no session), so a stored page costs about what a static file does.
Everything else, and every miss, goes on to `ArticleDetailView`, which serves and stores
pages through the same `page_cache` functions."""

from django.conf import settings
from django.urls import Resolver404, resolve

from . import page_cache
from .readers import requested_reader

ARTICLES = "/articles/"  # where articles:detail lives (config/urls.py includes it at the root)


class ArticlePageCacheMiddleware:
    """Sits after the headers every response gets (security, CSP, X-Frame-Options, ETag and
    304 handling) and before SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and request.path_info.startswith(ARTICLES)  # resolving costs more than this
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and match.view_name == "articles:detail":
                slug = match.kwargs["slug"]
                response = page_cache.serve(request, slug, requested_reader(request))
                if response is not None:
                    return response
        return self.get_response(request)
