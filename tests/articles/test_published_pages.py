"""Published pages (articles/page_cache.py, `PublishedPage`): a page the cache no longer holds
is answered as published in the database, with one query and the same bytes and validators,
for as long as nothing it shows has changed. The durable stamps it is checked against move
in the writing transaction, so no eviction, restart or race brings back a stale page."""

import logging
import time
from datetime import datetime, timedelta
from io import StringIO

import brotli
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import page_cache, stamps
from articles.models import Article, Page, PublishedPage, ReaderType, Stamp
from reviews import services
from tests.factories import ArticleFactory, approved_term, board_member, workflow_to

pytestmark = pytest.mark.django_db


def fetch(client, article, reader=None, **headers):
    return client.get(article.get_absolute_url(), {"reader": reader} if reader else {}, **headers)


@pytest.fixture
def approved():
    return workflow_to(ArticleFactory(headline="Kept where the cache can't lose it"), "approved")


def evicted(client, article, reader=None, **headers):
    """The page after the cache lost everything it held (evicted, restarted, flushed)."""
    cache.clear()
    return fetch(client, article, reader, **headers)


def test_a_page_the_cache_lost_is_the_published_one_with_its_validators(client, approved):
    first = fetch(client, approved, HTTP_ACCEPT_ENCODING="br")
    for accept in ("br", "gzip", ""):
        with CaptureQueriesContext(connection) as queries:
            again = evicted(client, approved, HTTP_ACCEPT_ENCODING=accept)
        assert (again["X-Cache"], len(queries)) == ("DATABASE", 1)
        same = fetch(client, approved, HTTP_ACCEPT_ENCODING=accept)  # kept in the cache again
        assert (same["X-Cache"], same.content, same["ETag"]) == (
            "HIT",
            again.content,
            again["ETag"],
        )
    plain = evicted(client, approved)
    assert "Kept where the cache can't lose it" in plain.content.decode()
    # A reader who has the page still gets a 304 from the published copy.
    revalidated = evicted(
        client, approved, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert (revalidated.status_code, revalidated["ETag"]) == (304, first["ETag"])
    assert PublishedPage.objects.filter(article=approved).count() == 1


def test_each_reader_type_is_published_on_its_own(client, approved):
    default, patient = fetch(client, approved), fetch(client, approved, "patient")
    assert evicted(client, approved, "patient").content == patient.content
    assert evicted(client, approved).content == default.content
    assert PublishedPage.objects.filter(article=approved).count() == 2


def test_an_approval_is_never_hidden_behind_a_published_page(client):
    reviewer = board_member(specialties=["General medicine"])  # the factory topics'
    article = workflow_to(ArticleFactory(), "under_review", reviewer=reviewer)
    assert "pending human review" in fetch(client, article).content.decode()
    services.approve(article, by=reviewer, comment="Checked.")
    page = evicted(client, article)
    assert page["X-Cache"] == "MISS"
    assert "pending human review" not in page.content.decode()
    assert "Medically reviewed by" in page.content.decode()


def test_a_glossary_change_reaches_lay_readers_whatever_the_cache_forgot(client):
    article = workflow_to(ArticleFactory(bottom_line="Watch the haemoglobin level."), "approved")
    other = workflow_to(ArticleFactory(bottom_line="Nothing technical here."), "approved")
    for each in (article, other):
        fetch(client, each, "patient")
    approved_term("haemoglobin", "The protein in red blood cells that carries oxygen.")
    page = evicted(client, article, "patient")
    assert (page["X-Cache"], "carries oxygen" in page.content.decode()) == ("MISS", True)
    assert evicted(client, other, "patient")["X-Cache"] == "DATABASE"  # untouched


def test_a_site_wide_change_retires_every_published_page(client, approved):
    fetch(client, approved)
    disclaimer = Page.objects.get(slug=Page.DISCLAIMER)
    disclaimer.body = "A disclaimer every page must now show."
    disclaimer.save()
    page = evicted(client, approved)
    assert page["X-Cache"] == "MISS"
    assert "A disclaimer every page must now show." in page.content.decode()
    ReaderType.objects.create(slug="carer", label="Carer", order=9)
    assert evicted(client, approved)["X-Cache"] == "MISS"


def test_a_deploy_retires_every_published_page(client, approved, settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path)
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.1.css"}}')
    stamps.release.cache_clear()
    try:
        fetch(client, approved)
        assert evicted(client, approved)["X-Cache"] == "DATABASE"
        (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.2.css"}}')
        stamps.release.cache_clear()
        assert evicted(client, approved)["X-Cache"] == "MISS"
    finally:
        stamps.release.cache_clear()


def test_a_published_page_lasts_until_the_review_falls_overdue(client, approved, monkeypatch):
    """Nothing else on the page changes with time (the printout's date is the browser's), so
    it outlives the cached copy's ARTICLE_PAGE_CACHE_SECONDS, but not the day its review falls
    overdue, when the page must say so."""
    approved.next_review_due = timezone.localdate() + timedelta(days=10)
    Article.objects.filter(pk=approved.pk).update(next_review_due=approved.next_review_due)
    page_cache.invalidate([approved.slug])
    fetch(client, approved)
    row = PublishedPage.objects.get(article=approved)
    overdue = datetime.combine(
        approved.next_review_due + timedelta(days=1),
        datetime.min.time(),
        tzinfo=timezone.get_current_timezone(),
    )
    assert row.expires == overdue.timestamp()
    # Long after the cached copy's day: still the published page.
    later = time.time() + 3 * 24 * 3600
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert evicted(client, approved)["X-Cache"] == "DATABASE"
    # From the day it falls overdue: rendered again.
    monkeypatch.setattr(page_cache.time, "time", lambda: overdue.timestamp() + 1)
    assert evicted(client, approved)["X-Cache"] == "MISS"


def test_a_page_with_no_review_date_never_expires(client):
    pending = workflow_to(ArticleFactory(), "under_review")
    fetch(client, pending)
    assert PublishedPage.objects.get(article=pending).expires is None


def test_a_page_rendered_while_a_change_commits_is_never_served_after_it(approved):
    """The race the durable stamps close: the render read the old rows; the change moved the
    stamps (in its transaction) before the render stored its page. The page is stored under
    the stamps read before rendering, so it is stale at once."""

    def request():  # each request looks the page up once
        return page_cache.site_request(approved.get_absolute_url())

    page_cache.store(request(), approved, "", lambda: "<p>rendered, nothing changing</p>")
    assert page_cache.is_published(request(), approved, "")

    def render_while_the_article_changes():
        page_cache.invalidate([approved.slug])  # another transaction's change, committed
        return "<p>rendered from the rows before the change</p>"

    page_cache.store(request(), approved, "", render_while_the_article_changes)
    assert PublishedPage.objects.filter(article=approved).exists()
    assert not page_cache.is_published(request(), approved, "")
    assert evicted(Client(), approved)["X-Cache"] == "MISS"


def durable(key: str) -> int:
    return Stamp.objects.get(key=key).value


@pytest.mark.django_db(transaction=True)
def test_a_stamp_moves_in_the_database_only_if_the_change_commits():
    stamps.move("vetted:test-stamp")
    before = durable("vetted:test-stamp")
    assert before > 0

    def a_change_that_fails():
        with transaction.atomic():
            stamps.move("vetted:test-stamp")
            ArticleFactory(slug=None)  # NOT NULL

    with pytest.raises(DatabaseError):
        a_change_that_fails()
    assert durable("vetted:test-stamp") == before
    stamps.move("vetted:test-stamp")
    assert durable("vetted:test-stamp") > before
    assert Stamp.objects.filter(key="vetted:test-stamp").count() == 1


def test_a_database_that_refuses_the_page_costs_a_render_not_the_readers_page(
    client, approved, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise DatabaseError("cannot execute INSERT in a read-only transaction")

    monkeypatch.setattr(PublishedPage.objects, "bulk_create", refuse)
    with caplog.at_level(logging.WARNING, logger="articles.published"):
        page = fetch(client, approved)
    assert (page.status_code, page["X-Cache"]) == (200, "MISS")
    assert "Publishing the page of article" in caplog.text
    assert fetch(client, approved)["X-Cache"] == "HIT"  # still kept in the cache
    assert not PublishedPage.objects.exists()


def test_a_refused_page_inside_a_transaction_leaves_the_transaction_usable(approved, monkeypatch):
    real = PublishedPage.objects.bulk_create

    def fail_in_the_database(objs, **kwargs):
        objs[0].body = None  # NOT NULL: the database itself refuses the row
        return real(objs, **kwargs)

    monkeypatch.setattr(PublishedPage.objects, "bulk_create", fail_in_the_database)
    request = page_cache.site_request(approved.get_absolute_url())
    with transaction.atomic():
        page_cache.store(request, approved, "", lambda: "<p>page</p>")
        assert Article.objects.filter(pk=approved.pk).exists()  # would fail if broken
    assert not PublishedPage.objects.exists()


def test_with_pages_kept_out_of_the_database_nothing_is_looked_for_or_stored(
    client, approved, settings
):
    settings.ARTICLE_PAGES_IN_DATABASE = False
    fetch(client, approved)
    with CaptureQueriesContext(connection) as queries:
        page = evicted(client, approved)
    assert page["X-Cache"] == "MISS"
    assert not [q for q in queries if "publishedpage" in q["sql"].lower()]
    assert not PublishedPage.objects.exists()
    with pytest.raises(CommandError, match="ARTICLE_PAGES_IN_DATABASE"):
        call_command("publish_pages", stdout=StringIO())


def test_publish_pages_renders_what_is_missing_for_every_reader_type(settings, approved):
    settings.SITE_URL = "http://testserver"
    pending = workflow_to(ArticleFactory(), "under_review")
    draft = ArticleFactory()
    readers = ReaderType.objects.count() + 1  # and the default text
    out = StringIO()
    call_command("publish_pages", stdout=out)
    assert f"{2 * readers} pages rendered for 2 articles at http://testserver" in out.getvalue()
    assert set(PublishedPage.objects.values_list("article", flat=True)) == {
        approved.pk,
        pending.pk,
    }
    assert not PublishedPage.objects.filter(article=draft).exists()
    cache.clear()
    for reader in [None, *ReaderType.objects.values_list("slug", flat=True)]:
        assert fetch(Client(), approved, reader)["X-Cache"] == "DATABASE"

    # Run again: nothing left to render, but what a change made stale.
    page_cache.invalidate([pending.slug])
    out = StringIO()
    call_command("publish_pages", stdout=out)
    assert f"{readers} pages rendered for 2 articles" in out.getvalue()
    out = StringIO()
    call_command("publish_pages", "--slug", approved.slug, stdout=out)
    assert "0 pages rendered for 1 articles" in out.getvalue()


def test_a_published_page_that_is_not_what_was_rendered_is_never_served(client, approved, caplog):
    """Its bytes changed behind the app's back (a manual fix, a bad restore): the page is
    rendered again from the checked revision instead, and the mismatch logged."""
    first = fetch(client, approved)
    altered = first.content.replace(b"Kept where", b"Altered where")
    PublishedPage.objects.filter(article=approved).update(body=brotli.compress(altered, quality=5))
    with caplog.at_level(logging.ERROR, logger="vetted.integrity"):
        page = evicted(client, approved)
    assert page["X-Cache"] == "MISS"
    assert b"Altered where" not in page.content
    assert "is not what was rendered" in caplog.text
    assert evicted(client, approved)["X-Cache"] == "DATABASE"  # published again, as rendered
