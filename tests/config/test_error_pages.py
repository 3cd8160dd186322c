"""A malformed request is the client's error: a 4xx with a page that says what to do, never a
500. Each kind of malformed input by name here; tests/test_fuzz.py throws generated ones."""

import io

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import get_resolver

from config import errors
from tests.factories import ArticleFactory, workflow_to

FORM = "application/x-www-form-urlencoded"
TOKEN = "a" * 32  # a well-formed CSRF secret for the cookie
MULTIPART_BODY = b'--xx\r\nContent-Disposition: form-data; name="text"\r\n\r\nWhy?\r\n--xx--\r\n'


@pytest.fixture
def article(db):
    return workflow_to(ArticleFactory(), "approved")


@pytest.fixture
def follow_up(article):
    return f"{article.get_absolute_url()}follow-up/"


@pytest.fixture
def behind_https_proxy(settings):
    """Production's TLS set-up: the proxy says the request came over HTTPS."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def browser_like(*, csrf: bool = True) -> Client:
    client = Client(enforce_csrf_checks=csrf, raise_request_exception=False)
    client.cookies["csrftoken"] = TOKEN
    return client


def post(client, url, body: bytes, content_type: str, **environ):
    return client.generic("POST", url, body, content_type=content_type, **environ)


HTTPS = {
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_REFERER": "https://testserver/",
    "SERVER_PORT": "443",
}


def test_the_handlers_are_ours():
    resolver = get_resolver()
    assert resolver.resolve_error_handler(400) is errors.bad_request
    assert resolver.resolve_error_handler(403) is errors.permission_denied
    assert resolver.resolve_error_handler(404) is errors.page_not_found
    assert resolver.resolve_error_handler(500) is errors.server_error


@pytest.mark.usefixtures("behind_https_proxy")
@pytest.mark.parametrize("csrf", [True, False], ids=["csrf-checked", "csrf-exempt"])
@pytest.mark.parametrize(
    ("url", "status", "page"),
    [
        ("follow_up", 400, "We could not read that request"),
        ("/admin/login/", 400, "We could not read that request"),
        ("/no-such-page/", 404, "Page not found"),
    ],
)
def test_a_utf16_form_is_a_4xx_not_a_500(request, url, status, page, csrf):
    """The reported bug: Django's error pages ran the CSRF check again, which parsed the
    UTF-16 body again, which raised again, inside the error page."""
    url = request.getfixturevalue("follow_up") if url == "follow_up" else url
    response = post(
        browser_like(csrf=csrf),
        url,
        "text=Is a shorter course as good?".encode("utf-16"),
        f"{FORM}; charset=utf-16",
        **HTTPS,
    )
    assert response.status_code == status
    assert page in response.content.decode()


@pytest.mark.usefixtures("behind_https_proxy")
def test_an_unknown_charset_is_read_as_utf8(article, follow_up):
    from articles.models import Question

    body = b"text=Is+a+shorter+course+as+good+for+patients+over+80+%E2%80%93+or+not%3F"
    response = post(browser_like(), follow_up, body, f"{FORM}; charset=nonsense", **HTTPS)
    assert response.status_code == 302
    asked = Question.objects.get(follow_up_to=article)
    assert asked.text == "Is a shorter course as good for patients over 80 – or not?"


def test_the_csrf_page_says_what_to_do():
    response = browser_like().post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form has expired" in html
    assert "Go back, reload the page, and send again." in html
    assert "CSRF" not in html  # the reason is logged, not shown


UNUSABLE_CHARSETS = ["base64", "rot13", "hex", "zip", "quopri", "idna", "undefined"]


@pytest.mark.parametrize("charset", UNUSABLE_CHARSETS)
@pytest.mark.parametrize("csrf", [True, False], ids=["csrf-checked", "csrf-exempt"])
def test_a_charset_that_is_no_text_encoding_is_a_400(article, follow_up, charset, csrf):
    client = browser_like(csrf=csrf)
    multipart = post(
        client, follow_up, MULTIPART_BODY, f"multipart/form-data; boundary=xx; charset={charset}"
    )
    # Django decodes the query string with the body's charset too, even on a GET.
    query = client.get(article.get_absolute_url(), CONTENT_TYPE=f"text/plain; charset={charset}")
    for response in (multipart, query):
        assert response.status_code == 400
        assert "We could not read that request" in response.content.decode()
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def call_wsgi(application, path: str, query: str, content_type: str):
    """One GET straight through a WSGI application, as a server would make it."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers=dict(headers))

    body = b"".join(application(environ, start_response))
    return started["status"], started["headers"], body.decode()


@pytest.fixture
def wsgi_without_db_closing():
    """Requests made straight through the WSGI handler close the database connection when
    they finish; keep it, as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# On the way in, before any Django middleware: with a query string to decode, Django's own
# request object raises on these. Pages that are looked up are not reached (no database).
BEFORE_DJANGO = [*UNUSABLE_CHARSETS, "utf-8\x00"]


@pytest.mark.usefixtures("wsgi_without_db_closing")
@pytest.mark.parametrize("charset", BEFORE_DJANGO)
def test_django_alone_raises_on_such_a_charset_before_its_middleware(charset):
    """Why `guard_charsets` exists. If this starts passing, Django handles it itself."""
    from django.core.wsgi import get_wsgi_application

    # idna's ValueError comes out of QueryDict as TooManyFieldsSent, a SuspiciousOperation.
    with pytest.raises((LookupError, ValueError, SuspiciousOperation)):
        call_wsgi(get_wsgi_application(), "/board/", "x=%C3%A9", f"text/plain; charset={charset}")


@pytest.mark.usefixtures("wsgi_without_db_closing")
@pytest.mark.parametrize("charset", BEFORE_DJANGO)
def test_guarded_such_a_charset_is_a_400_with_our_page_and_headers(charset):
    from django.core.wsgi import get_wsgi_application

    from config.middleware import guard_charsets

    status, headers, html = call_wsgi(
        guard_charsets(get_wsgi_application()),
        "/board/",
        "x=%C3%A9",
        f"text/plain; charset={charset}",
    )
    assert status == 400
    assert "We could not read that request" in html
    assert "default-src 'none'" in headers["Content-Security-Policy"]


@pytest.mark.usefixtures("wsgi_without_db_closing")
def test_the_production_entry_point_is_guarded():
    from config.wsgi import application

    status, _, _ = call_wsgi(application, "/board/", "x=%C3%A9", "text/plain; charset=base64")
    assert status == 400


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\xe9\xe9",
        "multipart/form-data; boundary=\x7f",
    ],
)
@pytest.mark.parametrize("csrf", [True, False], ids=["csrf-checked", "csrf-exempt"])
def test_a_broken_multipart_boundary_is_a_400(follow_up, content_type, csrf):
    response = post(browser_like(csrf=csrf), follow_up, MULTIPART_BODY, content_type)
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["follow_up", "/admin/login/"])
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"text=Why+is+this+cut+sh", FORM),
        (MULTIPART_BODY[:60], "multipart/form-data; boundary=xx"),
    ],
    ids=["form", "multipart"],
)
def test_a_body_shorter_than_its_content_length_is_read_as_far_as_it_goes(
    request, url, body, content_type
):
    """A server hands over what arrived and then end-of-file: the form is what was sent (and
    may well be invalid), not a server error."""
    url = request.getfixturevalue("follow_up") if url == "follow_up" else url
    response = post(
        browser_like(csrf=False),
        url,
        body,
        content_type,
        CONTENT_LENGTH=str(len(body) + 500),
        **{"wsgi.input": io.BytesIO(body)},
    )
    assert response.status_code in (200, 302, 400)


class HungUp(io.RawIOBase):
    """The body of a client that hung up before sending all it announced: the server's
    read fails (gunicorn raises an OSError, which Django calls UnreadablePostError)."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise OSError("connection reset by peer")


@pytest.mark.parametrize("csrf", [True, False], ids=["csrf-checked", "csrf-exempt"])
@pytest.mark.parametrize("url", ["follow_up", "/admin/login/"])
def test_an_unreadable_body_is_a_400(request, url, csrf):
    url = request.getfixturevalue("follow_up") if url == "follow_up" else url
    response = post(browser_like(csrf=csrf), url, b"text=x", FORM, **{"wsgi.input": HungUp()})
    # Checked, the CSRF middleware treats the unreadable form as one without a token (the
    # follow-up form is checked by its headers instead: config/same_origin.py).
    assert response.status_code == (403 if csrf and "follow-up" not in url else 400)


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", " 12", "0x10", "١٢"])
@pytest.mark.parametrize("url", ["follow_up", "/admin/login/", "/"])
def test_a_content_length_that_is_not_a_number_is_a_400(request, url, length):
    url = request.getfixturevalue("follow_up") if url == "follow_up" else url
    response = post(browser_like(csrf=False), url, b"text=hello", FORM, CONTENT_LENGTH=length)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/articles/%FF%FE/",
        "/pages/%C0%AF/",
        "/board/%00/",
        "/%00",
        "/articles/%00/follow-up/",
        "/reader/?next=%FF%FE&reader=%00",
        "/reader/?next=//evil.example/%00",
        "/reader/?next=http://%00",
        "/reader/?next=%E2%80%AE%2F%2Fevil.example",
        "/admin/login/?next=%00%FF",
        "/?%FF=%FE&%00",
    ],
)
def test_odd_bytes_in_paths_and_query_strings_are_not_errors_of_ours(article, path):
    response = browser_like().get(path)
    assert response.status_code in (200, 302, 400, 404)


def test_odd_bytes_in_an_article_query_string_show_the_article(article):
    response = browser_like().get(f"{article.get_absolute_url()}?reader=%00&preview=%FF%00")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "a" * 5000, "testserver:abc", "test server", "[::1", "testserver\x7f"]
)
def test_a_host_we_do_not_serve_is_a_400(article, host):
    response = browser_like().get(article.get_absolute_url(), HTTP_HOST=host)
    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()


def test_very_long_header_values_are_not_errors_of_ours(article, follow_up):
    long = {
        "HTTP_USER_AGENT": "u" * 100_000,
        "HTTP_ACCEPT_LANGUAGE": "de-" * 20_000,
        "HTTP_COOKIE": f"vetted_reader={'p' * 60_000}; sessionid={'s' * 5_000}; csrftoken={TOKEN}",
        "HTTP_X_FORWARDED_FOR": ", ".join(["10.0.0.1"] * 5_000),
        "HTTP_REFERER": "https://testserver/" + "r" * 50_000,
    }
    client = browser_like()
    assert client.get(article.get_absolute_url(), **long).status_code == 200
    assert post(client, follow_up, b"text=Why%3F", FORM, **long).status_code == 400  # too short
    assert post(client, "/admin/login/", b"username=a", FORM, **long).status_code == 403


def test_the_500_page_stands_alone():
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "{%" not in html


def test_the_500_page_falls_back_to_text_when_its_template_fails(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {
                "500.html": "{% load no_such_library %}",
            })]},
        }
    ]  # fmt: skip
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")


def test_a_server_error_gets_the_500_page(article, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr("articles.views.show_article", broken)
    response = browser_like().get(article.get_absolute_url())
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/article/?status=%00",
        "/admin/articles/question/?q=%00",
        "/admin/autocomplete/?term=%00&app_label=articles&model_name=article&field_name=topic",
    ],
)
def test_a_nul_in_an_admin_search_is_never_a_500(path):
    """PostgreSQL can't hold a NUL in a lookup (the driver refuses it; a 500 before): a 400
    where one reaches the database. SQLite takes it and answers the search."""
    from reviews import roles
    from tests.factories import logged_in, staff

    client = logged_in(staff(roles.CHIEF_EDITORS))
    client.raise_request_exception = False
    assert client.get(path).status_code in (200, 400)


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["%00", "x", "1%20OR%201"])
def test_a_history_version_that_is_not_a_number_is_a_404(version):
    from reviews import roles
    from tests.factories import PageFactory, logged_in, staff

    page = PageFactory(slug="about")
    client = logged_in(staff(roles.CHIEF_EDITORS))
    client.raise_request_exception = False
    response = client.get(f"/admin/articles/page/{page.pk}/history/{version}/")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changelist", ["articles/reviewevent", "accounts/accountevent", "outbox/message"]
)
@pytest.mark.parametrize("year", ["99999999999", "10000"])
def test_a_year_out_of_range_in_the_date_filter_is_the_invalid_filter_page(changelist, year):
    from reviews import roles
    from tests.factories import logged_in, staff

    client = logged_in(staff(roles.CHIEF_EDITORS))
    client.raise_request_exception = False
    response = client.get(f"/admin/{changelist}/?created_at__year={year}")
    assert response.status_code == 302
    assert response.url.endswith("?e=1")
