"""Files every site answers at its root, for crawlers and browsers: /robots.txt and
/favicon.ico. Neither reads the database."""

from functools import cache

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

# Crawlers may read every public page. Staff pages, the reader-type switch (a redirect
# that sets a cookie), the follow-up form's endpoints and confirmation pages, and staff
# previews of articles (`?preview=1`) are not for them.
DISALLOWED = [
    "/admin/",
    "/accounts/",
    "/reader/",
    "/articles/*/follow-up/",
    "/*?preview=",
    "/*&preview=",
]
ROBOTS_MAX_AGE = 24 * 60 * 60
FAVICON_MAX_AGE = 365 * 24 * 60 * 60


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={ROBOTS_MAX_AGE}"
    return response


@cache
def _favicon() -> bytes:
    path = finders.find("favicon.ico")
    if path is None:
        raise Http404("No favicon.ico among the static files")
    with open(path, "rb") as file:
        return file.read()


@require_safe
def favicon(request):
    """static/favicon.ico (16, 32 and 48 pixels, drawn from img/favicon.svg) at the address
    browsers ask for without being told, cached for a year."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response
