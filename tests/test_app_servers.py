"""Two app servers, one PostgreSQL, one Redis: what the readers of one server see is what the
other just did. An approval through server A is the text server B serves on its very next
request; follow-up questions sent alternately to A and B meet the limit at the same total
as on one server; a page one server rendered is the other's cache hit, and, once the cache
is lost, its published page.

Both servers are real gunicorn processes on the production settings (tests/app_servers.py),
reached over HTTP as browsers behind the TLS proxy reach them, on the database this test
process uses (so rows the test commits are theirs) and the Redis database of its cache (so
this process's cache-clearing after each test empties theirs too). They need PostgreSQL and
Redis, as production does: on SQLite the tests skip; CI runs them in its PostgreSQL run."""

import re
import secrets
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django_otp.oath import totp

from accounts import two_factor
from articles.models import Article, Question, ReaderType
from reviews import roles, services
from tests import app_servers
from tests.app_servers import Browser
from tests.factories import ArticleFactory, declare, staff, workflow_to

PENDING = "pending human review"  # the caution banner
REVIEWED = "Medically reviewed by"
PASSWORD = "correct horse battery staple"


def _database_url() -> str:
    """The test database pytest-django created for this process (its name differs per
    pytest-xdist worker), as a URL for the servers."""
    db = connection.settings_dict
    login = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        login += ":" + quote(db["PASSWORD"], safe="")
    host = f"{login}@" if login else ""
    host += quote(db["HOST"] or "", safe="")  # a socket directory too
    host += f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{host}/{quote(db['NAME'], safe='')}"


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    app_servers.collect_static(
        app_servers.production_env(
            STATIC_ROOT=str(root),
            SECRET_KEY="collectstatic-only",
            DATABASE_URL="postgres://unused@127.0.0.1/unused",  # collectstatic opens none
            REDIS_URL="redis://127.0.0.1:6379/0",
        )
    )
    return root


@pytest.fixture(scope="module")
def servers(request, tmp_path_factory):
    """Servers A and B, started once for the module and always stopped at its end."""
    if connection.vendor != "postgresql":
        pytest.skip("Two app servers need PostgreSQL and Redis, as production (CI runs it).")
    if not settings.REDIS_URL:
        pytest.skip("Two app servers share a Redis cache: set REDIS_URL (CI does).")
    request.getfixturevalue("django_db_setup")  # the test database exists: its name is known
    env = app_servers.production_env(
        SECRET_KEY=secrets.token_urlsafe(50),  # one key: sessions and tokens work on both
        DATABASE_URL=_database_url(),
        # This process's cache (test settings give each xdist worker its own Redis database).
        REDIS_URL=settings.CACHES["default"]["LOCATION"],
        STATIC_ROOT=str(request.getfixturevalue("static_root")),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=app_servers.SITE_URL,
        # Plain HTTP on loopback; requests say they came through TLS (X-Forwarded-Proto).
        SECURE_SSL_REDIRECT="false",
        # The limit's count as this process reads it, over a day instead of minutes: a window
        # ending in the middle of the test would start the count again.
        FOLLOW_UP_RATE=f"{follow_up_limit()}/d",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",  # no mail server here
        LOG_LEVEL="WARNING",
    )
    started = app_servers.start(env, tmp_path_factory.mktemp("app-servers"))
    try:
        yield started
    finally:
        app_servers.stop(*started)
        cache.clear()  # whatever the servers left in the shared Redis database
        with request.getfixturevalue("django_db_blocker").unblock():
            _wait_until_their_sessions_end()


def _wait_until_their_sessions_end(seconds: float = 15) -> None:
    """The servers' database sessions end a moment after their processes do, and PostgreSQL
    refuses to drop the test database at the end of the run while one is left: wait (with a
    deadline) until this process's is the only one."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0 or time.monotonic() > deadline:
                return
            cursor.execute("SELECT pg_sleep(0.05)")


def follow_up_limit() -> int:
    return int(settings.FOLLOW_UP_RATE.split("/")[0])


def board_member():
    """A board member who can sign in to production: a password hashed the way production
    checks it (the test settings' MD5 hasher is not among production's) and an authenticator
    app, whose code production asks for (REQUIRE_TWO_FACTOR is on there)."""
    user = staff(roles.MEDICAL_ADVISORY_BOARD)
    # Declaring the factory topics' specialty: approving is the ordinary form, no confirmation.
    declare(user, "General medicine")
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    device = two_factor.pending_app(user)
    two_factor.confirm_app(device)
    return user, device


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(browser, server, user, device, then: str) -> None:
    """Username and password on the admin's sign-in page, then the app's code, as a person
    does; ends on `then`."""
    page = browser.get(server, f"{reverse('admin:login')}?next={quote(then)}")
    assert page.status == 200, str(page)
    signed_in = browser.submit(
        server, page.form_with("username"), username=user.username, password=PASSWORD
    )
    assert signed_in.status == 302, str(signed_in)
    asked = browser.get(server, signed_in.location)
    assert asked.status == 302, str(asked)
    assert asked.location.startswith(reverse("accounts:two_factor"))
    code_page = browser.get(server, asked.location)
    assert code_page.status == 200, str(code_page)
    confirmed = browser.submit(server, code_page.form_with("token"), token=code_for(device))
    assert confirmed.status == 302, str(confirmed)
    assert confirmed.location == then


def assert_pending(response):
    assert response.status == 200, str(response)
    assert PENDING in response.text
    assert REVIEWED not in response.text


def assert_approved_by(response, reviewer):
    assert response.status == 200, str(response)
    assert PENDING not in response.text, f"{response} (X-Cache: {response.headers['X-Cache']})"
    reviewed = re.search(rf"{REVIEWED}\s+(.*?)\s+on\s", response.text, re.DOTALL)
    assert reviewed, f"no “{REVIEWED}” on {response.path}"
    assert reviewer.get_full_name() in reviewed.group(1)


def test_an_approval_through_one_server_is_what_the_other_serves_next(servers, transactional_db):
    a, b = servers
    reviewer, device = board_member()
    article = workflow_to(ArticleFactory(), "under_review", reviewer=reviewer)  # holds the claim
    lay = ReaderType.objects.filter(is_professional=False).order_by("order").first()
    pages = [article.get_absolute_url(), f"{article.get_absolute_url()}?reader={lay.slug}"]
    # Both servers have served the pending text, so a copy either one kept would now be stale.
    for server in (a, b):
        for page in pages:
            assert_pending(Browser().get(server, page))

    # The reviewer approves on A, through the review screen, as in the browser.
    review = reverse("admin:articles_article_review", args=[article.pk])
    browser = Browser()
    sign_in(browser, a, reviewer, device, then=review)
    screen = browser.get(a, review)
    assert screen.status == 200, str(screen)
    form = screen.form_with("action", "approve")
    assert form.value("seen_revision") == str(article.submitted_revision_id)
    approved = browser.submit(a, form, button=("action", "approve"))
    assert approved.status == 302, str(approved)
    assert "Approved revision" in browser.get(a, approved.location).text
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED

    # B's very next answers: the approved page, for the default text and the lay reader.
    for page in pages:
        assert_approved_by(Browser().get(b, page), reviewer)


def test_follow_up_questions_sent_to_both_servers_meet_one_limit(servers, transactional_db):
    a, b = servers
    article = workflow_to(ArticleFactory(), "approved")
    limit = follow_up_limit()
    reader = Browser()  # one reader, whom the load balancer sends to either server

    def ask(server, n):
        page = reader.get(server, article.get_absolute_url())
        assert page.status == 200, str(page)
        form = page.form_with("text")
        return reader.submit(server, form, text=f"Is the dose the same for children, case {n}?")

    sent_to = {a: 0, b: 0}
    for n in range(limit):
        server = (a, b)[n % 2]
        answer = ask(server, n)
        assert answer.status == 302, f"question {n + 1}: {answer}"
        assert answer.location.startswith(reverse("articles:follow_up_sent", args=[article.slug]))
        sent_to[server] += 1
    assert Question.objects.filter(source=Question.Source.READER).count() == limit

    # One more, to the server that saw only part of them: refused, the count is shared.
    server = (a, b)[limit % 2]
    assert sent_to[server] < limit
    refused = ask(server, limit)
    assert refused.status == 429, f"question {limit + 1}: {refused}"
    assert int(refused.headers["Retry-After"]) > 0
    assert f"case {limit}?" in refused.text  # what the reader typed is still in the form
    other = a if server is b else b
    assert ask(other, limit + 1).status == 429
    assert Question.objects.filter(source=Question.Source.READER).count() == limit


def test_a_page_one_server_rendered_is_the_other_servers_cache_hit(servers, transactional_db):
    a, b = servers
    article = workflow_to(ArticleFactory(), "approved")
    lay = ReaderType.objects.filter(is_professional=False).order_by("order").first()
    for page in (article.get_absolute_url(), f"{article.get_absolute_url()}?reader={lay.slug}"):
        first = Browser().get(a, page)
        assert first.status == 200, str(first)
        assert first.headers["X-Cache"] in ("HIT", "MISS"), f"A's headers: {dict(first.headers)}"
        second = Browser().get(b, page)
        assert second.status == 200, str(second)
        assert second.headers["X-Cache"] == "HIT", f"B's headers: {dict(second.headers)}"
        assert second.body == first.body


def test_after_the_cache_is_lost_a_page_comes_from_the_database_and_never_stale(
    servers, transactional_db
):
    """Redis restarted (emptied): the page one server rendered is the other's published page,
    one query instead of a render; a change committed after that is what both serve next."""
    a, b = servers
    reviewer, _device = board_member()
    article = workflow_to(ArticleFactory(), "under_review", reviewer=reviewer)
    first = Browser().get(a, article.get_absolute_url())
    assert_pending(first)
    cache.clear()  # FLUSHDB of the Redis database both servers use
    again = Browser().get(b, article.get_absolute_url())
    assert again.headers["X-Cache"] == "DATABASE", f"B's headers: {dict(again.headers)}"
    assert again.body == first.body
    assert Browser().get(a, article.get_absolute_url()).headers["X-Cache"] == "HIT"

    services.approve(article, by=reviewer, comment="Checked.")
    cache.clear()
    for server in (b, a):
        assert_approved_by(Browser().get(server, article.get_absolute_url()), reviewer)
