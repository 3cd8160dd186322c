"""Error pages that cannot fail themselves.

Django's default error views are wrapped in `requires_csrf_token`, which runs the CSRF check
again and so parses the request body again. When the body was the error (a form posted as
UTF-16, a broken multipart boundary), that second parse raises inside the error page and a
client's bad request turns into our 500. These views read nothing from the request: no body,
no query string, no host, no user, no session. The templates get no request either, so a
context processor can't touch it for them.
"""

import logging

from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)


def _render(template_name: str, status: int, context: dict | None = None) -> HttpResponse:
    return HttpResponse(
        loader.render_to_string(template_name, context or {}),
        status=status,
        content_type="text/html; charset=utf-8",
    )


def bad_request(request, exception=None):
    return _render("400.html", 400)


def permission_denied(request, exception=None):
    return _render("403.html", 403)


def page_not_found(request, exception=None):
    return _render("404.html", 404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent after its session or token expired, or from a page the
    browser no longer has. The middleware has already logged `reason`; the page doesn't show
    it (it helps no reader, and it names our checks)."""
    return _render("403_csrf.html", 403)


def server_error(request):
    """The 500 page is plain HTML with no links to reverse and no database, so it renders
    when the URLconf or the database is what broke; if even the template fails, plain text."""
    try:
        return _render("500.html", 500)
    except Exception:
        logger.exception("The 500 page failed to render")
        return HttpResponse(
            "Server error. Please try again in a few minutes.",
            status=500,
            content_type="text/plain; charset=utf-8",
        )
