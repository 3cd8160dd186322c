"""Every page, public or admin, error pages included, carries the strict headers; production
adds HSTS and passes Django's deployment checks."""

import json

import pytest
from django.test import Client

from articles.models import ReviewerProfile
from reviews import roles
from tests.factories import (
    ArticleFactory,
    PageFactory,
    SpecialtyFactory,
    TopicFactory,
    UserFactory,
    staff,
    workflow_to,
)

from .production import complete_env, run_production

# The whole policy, so that loosening any directive (or adding one) fails here first.
STRICT_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
    "manifest-src": ["'self'"],
}
SWITCHED_OFF = ["camera", "microphone", "geolocation", "payment", "usb", "display-capture"]


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} given twice in {header!r}"
        directives[name] = sources
    return directives


@pytest.fixture
def content(db):
    """One approved article with a board member's public profile, and a site page."""
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, first_name="Ana", last_name="Ruiz")
    infectious = SpecialtyFactory(name="Infectious diseases")
    profile = ReviewerProfile.objects.create(
        user=reviewer, slug="ana-ruiz", display_name="Ana Ruiz", credentials="MD",
    )  # fmt: skip
    profile.specialties.add(infectious)
    # in her specialty: an ordinary approval
    article = workflow_to(
        ArticleFactory(topic=TopicFactory(specialty=infectious)), "approved", reviewer=reviewer
    )
    return {
        "article": article,
        "draft": ArticleFactory(),
        "page": PageFactory(slug="about-us"),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }


def public_urls(content) -> list[str]:
    article = content["article"].get_absolute_url()
    return [
        "/",
        article,
        f"{article}?reader=patient",
        content["page"].get_absolute_url(),
        "/board/",
        "/board/ana-ruiz/",
        f"/reader/?reader=patient&next={article}",
        "/no-such-page/",
    ]


def admin_urls(content) -> list[str]:
    pk = content["article"].pk
    return [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{pk}/change/",
        f"/admin/articles/article/{pk}/review/",
        f"/admin/articles/article/{pk}/revisions/",
        "/admin/references/reference/",
        "/admin/auth/user/",
        "/admin/password_change/",
        f"{content['draft'].get_absolute_url()}?preview=1",
    ]


def all_responses(content):
    """(url, response) for every public page as a reader and every admin page as staff."""
    reader = Client()
    for url in public_urls(content):
        yield url, reader.get(url)
    yield "/admin/login/", reader.get("/admin/login/")
    superuser = Client()
    superuser.force_login(content["superuser"])
    for url in admin_urls(content):
        yield url, superuser.get(url)


def test_the_pages_checked_answer_as_expected(content):
    statuses = {url: response.status_code for url, response in all_responses(content)}
    assert statuses.pop("/no-such-page/") == 404
    assert statuses.pop(next(u for u in statuses if u.startswith("/reader/"))) == 302
    assert set(statuses.values()) == {200}, statuses


def test_every_page_has_the_strict_content_security_policy(content):
    for url, response in all_responses(content):
        assert policy(response) == STRICT_POLICY, url
        header = response.headers["Content-Security-Policy"]
        for loosening in ("unsafe-inline", "unsafe-eval", "unsafe-hashes", "nonce-", "sha256-"):
            assert loosening not in header, (url, header)
        assert "Content-Security-Policy-Report-Only" not in response.headers, url


def test_every_page_has_the_other_security_headers(content):
    for url, response in all_responses(content):
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "same-origin", url
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", url
        features = dict(
            item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")
        )
        for feature in SWITCHED_OFF:
            assert features[feature] == "()", (url, feature)


def test_error_pages_have_the_headers_too(content):
    follow_up = f"{content['article'].get_absolute_url()}follow-up/"
    bad = Client().generic(
        "POST", follow_up, b"a=b", content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    csrf = Client(enforce_csrf_checks=True).post(
        follow_up, {"text": "Why?"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    for response, status in ((bad, 400), (csrf, 403), (Client().get("/nope/"), 404)):
        assert response.status_code == status
        assert policy(response) == STRICT_POLICY
        assert response.headers["X-Frame-Options"] == "DENY"


# -- production ------------------------------------------------------------------------------

HSTS = [
    "-c",
    "import django; django.setup();"
    "from django.http import HttpResponse;"
    "from django.middleware.security import SecurityMiddleware;"
    "from django.test import RequestFactory;"
    "request = RequestFactory().get('/', secure=True);"
    "print(SecurityMiddleware(lambda r: HttpResponse())(request)['Strict-Transport-Security'])",
]


def test_production_sends_hsts_for_a_year_with_subdomains_and_preload():
    result = run_production(HSTS, **complete_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "max-age=31536000; includeSubDomains; preload"


def test_production_hsts_is_configured_from_the_environment():
    result = run_production(
        HSTS,
        **complete_env(
            SECURE_HSTS_SECONDS="600",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
            SECURE_HSTS_PRELOAD="false",
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "max-age=600"


def test_production_settings_are_the_secure_ones():
    names = [
        "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_HTTPONLY", "X_FRAME_OPTIONS",
        "CSRF_FAILURE_VIEW",
    ]  # fmt: skip
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run_production(["-c", code], **complete_env())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
        "CSRF_FAILURE_VIEW": "config.errors.csrf_failure",
    }


def test_production_passes_the_deployment_checks():
    result = run_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **complete_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
