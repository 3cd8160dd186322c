"""bench/admin_pages.py counts the rows a changelist shows, probes a page and times it (drawing
fewer rows when asked, as it does to match the small catalogue's), and its table compares
each large page with the small one's, both ways."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse

from articles.models import Article
from bench.admin_pages import Catalogue, Page, rows_shown, table
from reviews import roles
from tests.factories import ArticleFactory, logged_in, staff


@pytest.mark.django_db
@pytest.mark.parametrize("articles", [0, 1, 3])
def test_the_rows_of_a_changelist_are_counted(articles):
    for _ in range(articles):
        ArticleFactory()
    client = logged_in(staff(roles.CHIEF_EDITORS))
    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert changelist.status_code == 200
    assert rows_shown(changelist.content) == articles
    index = client.get(reverse("admin:index"))
    assert rows_shown(index.content) is None


@pytest.mark.django_db
def test_a_database_probes_a_page_and_times_it_drawing_fewer_rows():
    for _ in range(4):
        ArticleFactory()
    client = logged_in(staff(roles.CHIEF_EDITORS))
    page = Page("list: articles", reverse("admin:articles_article_changelist"), {}, "chief")
    missing = Page("list: nothing", "/admin/no-such-page/", {}, "chief")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    model_admin = admin.site._registry[Article]
    was = model_admin.list_per_page
    # As Django's test client does: the requests must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        catalogue = Catalogue(get_wsgi_application(), [page, missing], {"chief": cookie})
        probed = catalogue.probe(0, warmup=1)
        drawn = {}
        plain_get = catalogue._get

        def recording(page_asked):
            status, body = plain_get(page_asked)
            drawn["rows"] = rows_shown(body)
            return status, body

        catalogue._get = recording
        assert catalogue.time(0, rows=3) > 0
        assert drawn["rows"] == 3
        assert model_admin.list_per_page == was  # the admin is left as it was
        assert catalogue.time(0) > 0
        assert drawn["rows"] == 4
        failed = catalogue.probe(1, warmup=1)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert probed["rows"] == 4
    assert probed["queries"] == len(probed["query_ms"]) > 0
    assert probed["slowest_sql"].startswith("SELECT")
    assert failed == {"failed": "list: nothing (/admin/no-such-page/?): 404 Not Found"}


def result(name: str, median: float, rows: int | None, at_small_rows=None) -> dict:
    return {
        "page": {"name": name, "role": "chief"},
        "median": median,
        "p95": median,
        "queries": 6,
        "rows": rows,
        "at_small_rows": at_small_rows,
    }


def test_the_table_shows_rows_beside_times_and_a_page_the_small_run_lacks():
    small = {"results": [result("list: articles", 30.0, 5), result("list: topics", 20.0, 0)]}
    large = {
        "results": [
            result("list: articles", 90.0, 100, {"median": 45.0, "rows": 5}),
            result("list: topics", 30.0, 100, {"median": 70.0, "rows": 1}),
            result("list: new", 40.0, None),
        ]
    }
    lines = table([small, large]).splitlines()
    assert lines[2] == (
        "| list: articles | chief | 30.0 | 6 | 5 | 90.0 | 90.0 | 6 | 100 | 3.0 | 45.0 (5 rows) "
        "| 1.5 | > 2× (more rows) |"
    )
    assert lines[3] == (
        "| list: topics | chief | 20.0 | 6 | 0 | 30.0 | 30.0 | 6 | 100 | 1.5 | 70.0 (1 rows) "
        "| 3.5 | > 2× with the same rows |"
    )
    assert lines[4] == "| list: new | chief | — | — | — | 40.0 | 40.0 | 6 | — | — | — | — | ok |"
