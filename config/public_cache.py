"""Which responses shared caches (a CDN, a proxy) may keep, and for how long.

A reader's page is the same for every anonymous reader who asks for the same address (and
the same reader-type cookie): it may be stored by a shared cache for PUBLIC_PAGE_CACHE_SECONDS
(`s-maxage`), while browsers revalidate every time (`max-age=0`) and get a 304 when nothing
changed (ETag from ConditionalGetMiddleware, or the page cache's own). Nothing else is ever
marked public: only views that opt in with `public_page`, and only for anonymous GETs that
set no cookie. Signed-in people get `private, no-store` (config.middleware).
"""

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


def may_be_public(request, response) -> bool:
    """A response any anonymous reader could have been given in its place."""
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not (user is not None and user.is_authenticated)
    )


def mark_public(response) -> None:
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=settings.PUBLIC_PAGE_CACHE_SECONDS
    )
    # The reader-type cookie picks an article's text; staff's session cookie makes a page
    # private. Compressed bodies differ by Accept-Encoding.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))


def public_page(view):
    """Let shared caches keep this view's answers to anonymous readers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if may_be_public(request, response):
            mark_public(response)
        return response

    return wrapped
