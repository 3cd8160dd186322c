"""What shared caches may keep (config/public_cache.py), what is compressed
(config.middleware.PublicCompressionMiddleware), and the same-origin check that stands in for
a CSRF token on readers' forms (config/same_origin.py)."""

import brotli
import pytest
from django.test import Client, RequestFactory

from config.same_origin import is_same_origin
from tests.factories import ArticleFactory, logged_in, staff, workflow_to

pytestmark = pytest.mark.django_db

READERS_PAGES = ["/", "/articles/", "/articles/?q=iron", "/board/", "/feed/"]


@pytest.fixture
def approved():
    return workflow_to(ArticleFactory(), "approved")


@pytest.mark.parametrize("path", READERS_PAGES)
def test_readers_pages_may_be_kept_by_shared_caches_and_revalidated(client, approved, path):
    response = client.get(path)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=60"} <= cache_control
    assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_topic_and_profile_pages_are_public_too(client, approved):
    assert "public" in client.get(approved.topic.get_absolute_url())["Cache-Control"]


@pytest.mark.parametrize("path", [*READERS_PAGES, "/admin/"])
def test_nothing_a_signed_in_person_sees_is_public_or_compressed(approved, path):
    client = logged_in(staff("Editors"))
    response = client.get(path, HTTP_ACCEPT_ENCODING="br, gzip")
    assert "public" not in response.get("Cache-Control", "")
    assert "no-store" in response["Cache-Control"]
    assert "Content-Encoding" not in response


def test_readers_pages_are_compressed_and_a_page_with_a_token_is_not(client, approved):
    home = client.get("/", HTTP_ACCEPT_ENCODING="br")
    assert home["Content-Encoding"] == "br"
    assert b"Vetted" in brotli.decompress(home.content)
    sign_in = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="br, gzip")
    assert sign_in.status_code == 200
    assert "csrftoken" in sign_in.cookies
    assert "Content-Encoding" not in sign_in
    assert "public" not in sign_in.get("Cache-Control", "")


def test_a_not_found_page_is_not_public(client):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, True),
        ({"HTTP_SEC_FETCH_SITE": "none"}, True),  # typed or bookmarked by the user
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, False),  # a sibling subdomain is not us
        ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"}, False),
        ({"HTTP_ORIGIN": "http://testserver"}, True),
        ({"HTTP_ORIGIN": "https://testserver"}, False),  # another scheme, another origin
        ({"HTTP_ORIGIN": "http://testserver.evil.example"}, False),
        ({"HTTP_ORIGIN": "null"}, False),
        ({"HTTP_ORIGIN": "https://trusted.example"}, True),  # CSRF_TRUSTED_ORIGINS
        ({}, True),  # no browser: nobody's cookies or address ride on it
    ],
)
def test_same_origin_by_what_the_browser_says(settings, headers, allowed):
    settings.CSRF_TRUSTED_ORIGINS = ["https://trusted.example"]
    request = RequestFactory().post("/articles/x/follow-up/", **headers)
    assert is_same_origin(request) is allowed
    assert is_same_origin(RequestFactory().get("/", HTTP_SEC_FETCH_SITE="cross-site"))


def test_a_refused_post_gets_the_csrf_page_and_is_logged(approved, caplog):
    client = Client()
    response = client.post(
        f"{approved.get_absolute_url()}follow-up/",
        {"text": "Is this from another site?"},
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert "Sec-Fetch-Site: cross-site" in caplog.text
