"""The page cache (articles/page_cache.py): anonymous readers get stored bytes without a
query, in their encoding, with validators; a change reaches them at once, and only the pages
it touches are rendered again; a burst of readers renders a page once."""

import gzip
import threading

import brotli
import pytest
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from articles import page_cache, stamps
from articles.models import Article, Page, ReaderType, ReviewerProfile, SiteSettings
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    TopicFactory,
    approved_term,
    board_member,
    logged_in,
    user_with_role,
    workflow_to,
)

pytestmark = pytest.mark.django_db


def fetch(client, article, reader=None, **headers):
    query = {"reader": reader} if reader else {}
    return client.get(article.get_absolute_url(), query, **headers)


def source(client, article, reader=None) -> str:
    return fetch(client, article, reader)["X-Cache"]


@pytest.fixture
def approved():
    return workflow_to(ArticleFactory(headline="Stored once, served often"), "approved")


def test_the_second_reader_gets_the_stored_page_without_a_query(client, approved):
    first = fetch(client, approved)
    with CaptureQueriesContext(connection) as queries:
        second = fetch(client, approved)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert len(queries) == 0
    assert second.content == first.content
    assert "Stored once, served often" in second.content.decode()


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("*", "br"),
        ("identity", None),
        ("", None),
        ("br;q=nonsense, gzip", "gzip"),
    ],
)
def test_each_encoding_is_the_same_page(client, approved, accept, encoding):
    plain = fetch(client, approved).content  # stores all encodings
    response = fetch(client, approved, HTTP_ACCEPT_ENCODING=accept)
    assert response["X-Cache"] == "HIT"
    assert response.get("Content-Encoding") == encoding
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    assert decode(response.content) == plain
    assert int(response["Content-Length"]) == len(response.content)
    assert "Accept-Encoding" in response["Vary"]


def test_a_reader_who_has_the_page_gets_a_304(client, approved):
    first = fetch(client, approved, HTTP_ACCEPT_ENCODING="br")
    again = fetch(client, approved, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    # Another encoding is other bytes: its own validator.
    gzipped = fetch(client, approved, HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["ETag"] != first["ETag"]
    since = fetch(client, approved, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_shared_caches_may_keep_it_for_readers_only(client, approved, staff_user):
    response = fetch(client, approved)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=60"} <= cache_control
    assert "Cookie" in response["Vary"]  # the reader-type cookie picks the text
    assert not response.cookies

    staff = logged_in(staff_user)
    for params in ({}, {"preview": "1"}):
        page = staff.get(approved.get_absolute_url(), params)
        assert "X-Cache" not in page
        assert "private" in page["Cache-Control"]
        assert "no-store" in page["Cache-Control"]
        assert "public" not in page["Cache-Control"]


def test_a_preview_is_never_stored_for_readers(client, approved, staff_user):
    approved.headline = "A working copy readers must not see"
    approved.save()
    preview = logged_in(staff_user).get(approved.get_absolute_url(), {"preview": "1"})
    assert "A working copy readers must not see" in preview.content.decode()
    reader = fetch(client, approved).content.decode()
    assert "A working copy readers must not see" not in reader
    assert "Stored once, served often" in reader


def test_each_reader_type_has_its_own_page_and_an_unknown_one_gets_the_default(client, approved):
    default = fetch(client, approved)
    patient = fetch(client, approved, "patient")
    assert patient.content != default.content
    assert "Showing this article for: <strong>Patient" in patient.content.decode()
    # The cookie picks the same page as the address.
    client.cookies["vetted_reader"] = "patient"
    by_cookie = client.get(approved.get_absolute_url())
    assert (by_cookie["X-Cache"], by_cookie.content) == ("HIT", patient.content)
    del client.cookies["vetted_reader"]
    unknown = fetch(client, approved, "no-such-reader")
    assert (unknown["X-Cache"], unknown.content) == ("HIT", default.content)


def test_an_approval_reaches_readers_at_once(client):
    reviewer = board_member(specialties=["General medicine"])  # the factory topics'
    article = workflow_to(ArticleFactory(), "under_review", reviewer=reviewer)
    assert "pending human review" in fetch(client, article).content.decode()
    assert source(client, article) == "HIT"
    services.approve(article, by=article.review_events.last().actor, comment="Checked.")
    page = fetch(client, article).content.decode()
    assert "pending human review" not in page
    assert "Medically reviewed by" in page


def test_an_edit_of_the_working_copy_leaves_the_stored_page(
    client, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved.save()  # the first save after start: the state is not known yet
    fetch(client, approved)
    with django_capture_on_commit_callbacks(execute=True):
        approved.headline = "Draft wording"
        approved.save()
        SectionFactory(article=approved, position=9, body="A draft paragraph.")
    assert source(client, approved) == "HIT"


def test_a_new_slug_leaves_nothing_at_the_old_address(
    client, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved.save()
    old = approved.get_absolute_url()
    assert client.get(old).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        approved.slug = "a-new-address"
        approved.save()
    assert client.get(old).status_code == 404
    assert client.get("/articles/a-new-address/").status_code == 200


def test_a_glossary_term_renders_again_only_the_articles_that_use_it(client):
    uses = workflow_to(ArticleFactory(bottom_line="Watch the haemoglobin level."), "approved")
    other = workflow_to(ArticleFactory(bottom_line="Nothing technical here."), "approved")
    for article in (uses, other):
        fetch(client, article, "patient")
    approved_term("haemoglobin", "The protein in red blood cells that carries oxygen.")
    page = fetch(client, uses, "patient")
    assert page["X-Cache"] == "MISS"
    assert "carries oxygen" in page.content.decode()
    assert source(client, other, "patient") == "HIT"


def test_a_topic_or_reviewer_renders_again_only_their_articles(client):
    reviewer = user_with_role(roles.MEDICAL_ADVISORY_BOARD)
    topic = TopicFactory(name="Nephrology")
    theirs = workflow_to(ArticleFactory(topic=topic), "approved", reviewer=reviewer)
    other = workflow_to(ArticleFactory(), "approved")
    for article in (theirs, other):
        fetch(client, article)

    # The new profile alone (no specialties declared yet) names them on their articles.
    ReviewerProfile.objects.create(
        user=reviewer,
        display_name="Dr. Ada Example",
        slug="ada",
        credentials="MD",
        disclosures="None declared",
    )
    page = fetch(client, theirs)
    assert (page["X-Cache"], "Dr. Ada Example" in page.content.decode()) == ("MISS", True)
    assert source(client, other) == "HIT"

    topic.name = "Kidney medicine"
    topic.save()
    assert "Kidney medicine" in fetch(client, theirs).content.decode()
    assert source(client, other) == "HIT"


def test_what_every_page_shows_renders_every_page_again(client, approved):
    def stored():
        return source(client, approved)

    fetch(client, approved)
    Page.objects.filter(slug=Page.EDITORIAL_POLICY).first() or Page.objects.create(
        slug=Page.EDITORIAL_POLICY, title="Editorial policy", body="How we work."
    )
    assert stored() == "HIT"  # linked to, not shown
    disclaimer = Page.objects.get(slug=Page.DISCLAIMER)
    disclaimer.body = "A new disclaimer for every page."
    disclaimer.save()
    assert "A new disclaimer for every page." in fetch(client, approved).content.decode()
    ReaderType.objects.create(slug="carer", label="Carer", order=9)
    assert "Carer" in fetch(client, approved).content.decode()
    settings_row = SiteSettings.load()
    settings_row.show_unapproved_articles = not settings_row.show_unapproved_articles
    settings_row.save()
    assert fetch(client, approved)["X-Cache"] == "MISS"


def test_a_pending_article_leaves_when_the_site_stops_showing_them(client, article):
    assert fetch(client, article).status_code == 200
    settings_row = SiteSettings.load()
    settings_row.show_unapproved_articles = False
    settings_row.save()
    assert fetch(client, article).status_code == 404


def test_a_page_is_stored_no_longer_than_until_its_review_falls_due(approved, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.ARTICLE_PAGE_CACHE_SECONDS = 7 * 24 * 3600
    approved.next_review_due = timezone.localdate() + timedelta(days=1)
    timeout = page_cache.timeout_for(approved)
    assert 24 * 3600 < timeout <= 2 * 24 * 3600  # until the end of tomorrow
    approved.next_review_due = timezone.localdate() + timedelta(days=300)
    assert page_cache.timeout_for(approved) == 7 * 24 * 3600


def test_an_approval_renders_every_reader_types_page_before_anyone_asks(
    settings, django_capture_on_commit_callbacks
):
    settings.ARTICLE_PAGE_PRERENDER = True
    settings.SITE_URL = "http://testserver"
    reviewer = board_member(specialties=["General medicine"])  # the factory topics'
    article = workflow_to(ArticleFactory(), "under_review", reviewer=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(article, by=article.review_events.last().actor, comment="Checked.")
    client = Client()
    for reader in [None, *ReaderType.objects.values_list("slug", flat=True)]:
        with CaptureQueriesContext(connection) as queries:
            response = fetch(client, article, reader)
        assert (response["X-Cache"], len(queries)) == ("HIT", 0)
        assert "Medically reviewed by" in response.content.decode()


def test_the_site_address_must_be_one_the_site_serves_to_prerender(settings):
    settings.SITE_URL = "https://not-an-allowed-host.example"
    assert page_cache.site_request("/articles/x/") is None
    settings.SITE_URL = "http://localhost:8000"
    request = page_cache.site_request("/articles/x/", "patient")
    assert request.build_absolute_uri() == "http://localhost:8000/articles/x/?reader=patient"


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_readers_renders_a_new_page_once():
    article = workflow_to(ArticleFactory(), "approved")
    renders = []

    def count(sender, template, **kwargs):
        if template.name == "articles/article_detail.html":
            renders.append(template)

    readers = 8
    start = threading.Barrier(readers)
    pages = []

    def read():
        start.wait()
        try:
            pages.append(fetch(Client(), article).content)
        finally:
            connection.close()

    template_rendered.connect(count)
    try:
        threads = [threading.Thread(target=read) for _ in range(readers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        template_rendered.disconnect(count)
    assert len(pages) == readers
    assert len(set(pages)) == 1
    assert len(renders) == 1


def test_a_page_stored_while_taking_the_lock_is_served_not_rendered_again(monkeypatch, approved):
    """The narrow window of a burst: another process stores the page and lets go of the lock
    after this one looked but before it takes the lock. It must look again, not render."""
    request = page_cache.site_request(approved.get_absolute_url())
    other_process_done = []
    add = page_cache.cache.add

    def add_after_the_other_process_finished(key, *args, **kwargs):
        if not other_process_done:
            other_process_done.append(True)
            page_cache.render_once(request, approved, "", lambda: "<p>theirs</p>")
        return add(key, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "add", add_after_the_other_process_finished)
    rendered = []

    response = page_cache.render_once(
        request, approved, "", lambda: rendered.append(1) or "<p>ours</p>"
    )

    assert (response["X-Cache"], response.content, rendered) == ("HIT", b"<p>theirs</p>", [])
    lock = page_cache._key(page_cache._origin(request), approved.slug, "", "lock")
    assert page_cache.cache.add(lock, 1)


def test_the_cache_never_reaches_past_a_deploy(client, approved, settings, tmp_path):
    """A deploy changes the release (our code, templates, static file names), and with it
    every key: no page of the old one is served."""
    settings.STATIC_ROOT = str(tmp_path)
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.1.css"}}')
    stamps.release.cache_clear()
    try:
        fetch(client, approved)
        assert source(client, approved) == "HIT"
        (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.2.css"}}')
        stamps.release.cache_clear()
        assert source(client, approved) == "MISS"
    finally:
        stamps.release.cache_clear()


def test_article_status_is_never_stale_for_a_pending_article_sent_back(client):
    article = workflow_to(ArticleFactory(), "under_review")
    assert fetch(client, article).status_code == 200
    reviewer = article.review_events.last().actor
    services.request_changes(article, by=reviewer, comment="Please cite the trial.")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert fetch(client, article).status_code == 404


def test_a_reader_with_a_stale_session_cookie_still_gets_the_stored_page(client, approved):
    """No session cookie: the stored page is answered before any per-person middleware. An
    expired one: the view finds nobody signed in and answers from the cache all the same."""
    first = fetch(client, approved)
    client.cookies["sessionid"] = "expired-or-made-up"
    again = fetch(client, approved)
    assert (again["X-Cache"], again.content) == ("HIT", first.content)
    assert again["X-Frame-Options"] == "DENY"
    assert "public" in again["Cache-Control"]
