"""bench/admin_pages.py counts the rows a changelist shows, and its table compares each large
page with the small one's, rows included."""

import pytest
from django.urls import reverse

from bench.admin_pages import rows_shown, table
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


def result(name: str, median: float, rows: int | None) -> dict:
    return {
        "page": {"name": name, "role": "chief"},
        "median": median,
        "p95": median,
        "queries": 6,
        "rows": rows,
    }


def test_the_table_shows_rows_beside_times_and_a_page_the_small_run_lacks():
    small = {"results": [result("list: articles", 30.0, 5)]}
    large = {"results": [result("list: articles", 90.0, 100), result("list: new", 40.0, None)]}
    lines = table([small, large]).splitlines()
    assert lines[2] == (
        "| list: articles | chief | 30.0 | 6 | 5 | 90.0 | 90.0 | 6 | 100 | 3.0 | > 2× |"
    )
    assert lines[3] == "| list: new | chief | — | — | — | 40.0 | 40.0 | 6 | — | — | ok |"
