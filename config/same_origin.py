"""Cross-site request forgery protection without a token, for forms on cached pages.

Django's CSRF protection puts a per-visitor token in the page and a cookie beside it, so a
page with a form can't be stored once and served to every reader. Readers' forms (the
follow-up question) are protected instead by what the browser says about where the request
comes from, as Go's net/http CrossOriginProtection and OWASP's Fetch Metadata advice do:

1. `Sec-Fetch-Site` (every current browser sends it; page scripts can't set it): only
   `same-origin` (our own page) or `none` (typed by the user) pass.
2. Without it, an `Origin` header (every browser since 2020 sends one on a cross-origin
   POST) must be our own origin or one in CSRF_TRUSTED_ORIGINS.
3. With neither, the request comes from no browser (or a very old one): nobody else's
   credentials can ride on it, so it passes, as it would by posting directly.

Django has no such mode (its middleware always wants the token), hence this small check.
These forms act on no account and read no session: what forgery could do is borrow other
people's browsers and addresses to send questions, which this stops; rate limits still apply.
"""

import logging
from functools import wraps

from django.conf import settings
from django.urls import get_callable
from django.views.decorators.csrf import csrf_exempt

ALLOWED_FETCH_SITES = {"same-origin", "none"}
logger = logging.getLogger("django.security.csrf")  # where Django logs its own refusals


def is_same_origin(request) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return True
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site in ALLOWED_FETCH_SITES
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return True
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def same_origin_only(view):
    """Accept unsafe requests to `view` only from our own pages (see the module's docstring);
    others get the usual CSRF failure page (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_same_origin(request):
            reason = "Cross-origin request (Sec-Fetch-Site: {}, Origin: {}).".format(
                request.META.get("HTTP_SEC_FETCH_SITE", "-"), request.META.get("HTTP_ORIGIN", "-")
            )
            logger.warning("Forbidden (%s): %s", reason, request.path)
            return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason=reason)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)
