"""Project-wide middleware, and one WSGI wrapper for what happens before Django's."""

import codecs
import sys

from compression_middleware.middleware import CompressionMiddleware
from django.core.exceptions import BadRequest
from django.db import DataError
from django.http import UnreadablePostError
from django.utils.cache import add_never_cache_headers
from django.utils.http import parse_header_parameters

# Set in the WSGI environ by `guard_charsets` when it took an unusable charset off a request.
UNUSABLE_CHARSET = "vetted.unusable_charset"


def guard_charsets(application):
    """WSGI middleware, for config/wsgi.py. Django builds the request object, and decodes the
    query string with the Content-Type's charset, before any Django middleware runs; when
    Python knows the charset but can't decode text with it (`charset=base64`, a name with a
    NUL byte) that raises there, and the server answers 500. This takes such a charset off
    the request and marks it, so MalformedRequestMiddleware answers with the usual 400 page
    and headers."""

    def guarded(environ, start_response):
        return application(without_unusable_charset(environ), start_response)

    return guarded


def without_unusable_charset(environ: dict) -> dict:
    """`environ` as `guard_charsets` passes it on (the test client's fuzzing uses it too)."""
    content_type = environ.get("CONTENT_TYPE", "")
    if "charset" in content_type.lower():
        media_type, params = parse_header_parameters(content_type)
        charset = params.get("charset")
        if charset and _unusable(charset):
            return {**environ, "CONTENT_TYPE": media_type, UNUSABLE_CHARSET: charset}
    return environ


class MalformedRequestMiddleware:
    """A request the client got wrong is answered 400, never 500. First in MIDDLEWARE: its
    check runs before any other middleware's `process_view` (the CSRF check reads the form
    there), and as a `process_view` its 400 still passes out through every middleware, so
    the error page gets the same headers as any other.

    Django copes with most malformed input itself (unknown charsets, broken multipart, bad
    hosts; config.errors keeps its error pages from tripping over them again). Three gaps
    are left:
    - `request.body` converts Content-Length with a bare `int()`: a value that is not a
      number raises ValueError, and one past sys.maxsize OverflowError when read;
    - Django decodes the form and the query string with any charset Python knows by that
      name, and some of those are not text encodings (`charset=base64`, `rot13`, `zip`) or
      can't replace bad bytes (`idna`): decoding raises;
    - a body that stops short (the client hung up) raises UnreadablePostError wherever a
      view reads the form;
    - a NUL character typed into a search or filter (`/admin/…/?q=%00`) that reaches a
      PostgreSQL lookup, which can't hold one: the driver refuses it before sending (so the
      transaction is untouched) with a DataError. Pages that compare such values in Python
      (`?reader=%00`) answer them normally."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = request.META.get("CONTENT_LENGTH") or ""
        if length and not (length.isascii() and length.isdigit()):
            raise BadRequest("Content-Length is not a number.")
        if length and int(length) > sys.maxsize:  # no stream can even seek that far
            raise BadRequest("Content-Length is too large.")
        if request.META.get(UNUSABLE_CHARSET) or (
            # Set only when Python knows the charset; an unknown one is read as UTF-8.
            request.encoding and _unusable(request.encoding)
        ):
            raise BadRequest("The request's charset is not a text encoding.")
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, UnreadablePostError):
            raise BadRequest("The request body could not be read to its end.") from exception
        if isinstance(exception, DataError) and "NUL (0x00)" in str(exception):
            raise BadRequest("The request contains a NUL character.") from exception
        return None


def _unusable(charset: str) -> bool:
    """Django would decode with `charset` (Python knows it) but can't: it is no text encoding,
    or can't replace bad bytes the way Django decodes."""
    try:
        codecs.lookup(charset)
    except LookupError:
        return False  # unknown: Django ignores it and reads UTF-8
    except ValueError:
        return True  # a NUL byte in the name: Django's own lookup raises
    try:
        b"\xff\xfe\x00%41+\\u00e9".decode(charset, "replace")
    except (LookupError, ValueError):  # UnicodeError is a ValueError
        return True
    return False


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in person may be stored by a browser cache or a shared cache
    in between: a staff preview of a draft, an admin page or the review screen must not be
    served again from a proxy to a reader, nor from the back button after signing out.

    One place instead of a decorator on every staff view: any response to a request that is
    signed in when it arrives or when it leaves (signing in, signing out) gets
    `Cache-Control: private, no-store` (plus `no-cache, must-revalidate, max-age=0`). Readers'
    pages carry no session, so they are untouched and stay cacheable.

    Sits right after AuthenticationMiddleware: `request.user` is read before anything later
    can replace it (a session still waiting for its second factor is shown the reader's view,
    but it is a signed-in session all the same)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = _signed_in(request)
        response = self.get_response(request)
        if signed_in or _signed_in(request):
            add_never_cache_headers(response)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PublicCompressionMiddleware(CompressionMiddleware):
    """Brotli, zstd or gzip (django-compression-middleware) for what any reader may be given,
    and nothing else: a response that sets a cookie (a CSRF token is always sent with one)
    or is private (everything a signed-in person sees) goes out as is. Compressing a secret
    next to text an attacker can make the page reflect leaks it through the size (BREACH),
    and those pages are not worth the bytes saved."""

    def process_response(self, request, response):
        cache_control = response.get("Cache-Control", "")
        if response.cookies or "private" in cache_control or "no-store" in cache_control:
            return response
        return super().process_response(request, response)
