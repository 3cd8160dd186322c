"""The review workplace's lists as the history grows: the review log, the revisions and the
review queue run as many queries for many rows as for a few, and still show what they did;
the queue's pages are found from its index alone, in the same order as one long page."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import querysets
from articles.models import ReviewEvent
from config.admin_base import CappedCountPaginator
from reviews import roles, services
from reviews.models import ReviewQueueItem
from tests.factories import (
    ArticleFactory,
    SpecialtyFactory,
    TopicFactory,
    board_member,
    logged_in,
    staff,
    workflow_to,
)
from tests.plans import plan_of

pytestmark = pytest.mark.django_db

LISTS = [
    ("admin:articles_reviewevent_changelist", roles.CHIEF_EDITORS, {}),
    ("admin:articles_reviewevent_changelist", roles.CHIEF_EDITORS, {"action__exact": "submitted"}),
    ("admin:articles_reviewevent_changelist", roles.CHIEF_EDITORS, {"q": "Managing"}),
    ("admin:articles_revision_changelist", roles.CHIEF_EDITORS, {}),
    ("admin:articles_revision_changelist", roles.CHIEF_EDITORS, {"q": "Managing"}),
    ("admin:reviews_reviewqueueitem_changelist", roles.MEDICAL_ADVISORY_BOARD, {}),
]


def listed(client, url, query) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured), list(response.context["cl"].result_list)


@pytest.mark.parametrize(("name", "role", "query"), LISTS)
def test_review_lists_run_as_many_queries_for_many_rows_as_for_few(name, role, query):
    client = logged_in(staff(role))
    url = reverse(name)

    def submit(n):
        for _ in range(n):
            workflow_to(ArticleFactory(), "submitted")

    submit(2)
    listed(client, url, query)  # the first request reads more
    few, rows = listed(client, url, query)
    submit(6)
    many, more_rows = listed(client, url, query)
    assert many == few
    assert len(more_rows) > len(rows) > 0


def test_the_queue_and_revision_pages_still_show_what_they_did():
    article = workflow_to(ArticleFactory(headline="Queued article"), "submitted")
    board = logged_in(staff(roles.MEDICAL_ADVISORY_BOARD))
    html = board.get(reverse("admin:reviews_reviewqueueitem_changelist")).content.decode()
    assert "Queued article" in html
    chief = logged_in(staff(roles.CHIEF_EDITORS))
    html = chief.get(reverse("admin:articles_revision_changelist")).content.decode()
    assert article.submitted_revision.content_hash[:12] in html
    page = chief.get(
        reverse("admin:articles_revision_change", args=[article.submitted_revision.pk])
    )
    assert page.status_code == 200
    assert "Queued article" in page.content.decode()


def test_the_review_log_is_counted_up_to_the_cap(monkeypatch):
    """The whole log, unfiltered, is counted no further than a search would be."""
    monkeypatch.setattr(CappedCountPaginator, "MAX_COUNT", 2)
    workflow_to(ArticleFactory(), "under_review")  # submitted, then claimed: two steps
    workflow_to(ArticleFactory(), "submitted")
    chief = logged_in(staff(roles.CHIEF_EDITORS))
    response = chief.get(reverse("admin:articles_reviewevent_changelist"))
    assert ReviewEvent.objects.count() == 3
    assert response.context["cl"].result_count == 2
    assert "More than 2 review events match" in response.content.decode()


# -- the review queue, page by page ----------------------------------------------------------


def queue_pages(client) -> list[list]:
    """Every page of the queue, each as its rows."""
    url = reverse("admin:reviews_reviewqueueitem_changelist")
    pages, number = [], 0
    while True:
        response = client.get(url, {"p": number + 1} if number else {})
        assert response.status_code == 200
        pages.append(list(response.context["cl"].result_list))
        if response.context["cl"].paginator.num_pages == number + 1:
            return pages
        number += 1


def test_the_queues_pages_follow_the_one_long_pages_order(monkeypatch):
    """Five articles in review over pages of two (ids first, then the rows): the member's
    specialty first, then the order of submission, which here is neither the order of
    creation nor of topic; each row still carries what its cells show."""
    cardiology = TopicFactory(specialty=SpecialtyFactory(name="Cardiology"))
    general = TopicFactory()
    articles = [ArticleFactory(topic=topic) for topic in (general, cardiology, general)]
    articles += [ArticleFactory(topic=cardiology), ArticleFactory(topic=general)]
    for index in (4, 1, 0, 3, 2):  # the order of submission
        workflow_to(articles[index], "submitted")
    member = board_member(specialties=["Cardiology"])
    client = logged_in(member)
    expected = [articles[i].pk for i in (1, 3, 4, 0, 2)]

    one_page = [row.pk for row in queue_pages(client)[0]]
    monkeypatch.setattr(admin.site._registry[ReviewQueueItem], "list_per_page", 2)
    pages = queue_pages(client)

    assert one_page == expected
    assert [len(page) for page in pages] == [2, 2, 1]
    rows = [row for page in pages for row in page]
    assert [row.pk for row in rows] == expected
    assert [row.in_specialty for row in rows] == [True, True, False, False, False]
    assert all(row.last_decision is None and row.submitted_revision for row in rows)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("admin:reviews_reviewqueueitem_changelist")).content.decode()
    ids_first = [q["sql"] for q in captured if 'AS "pk" FROM "articles_article"' in q["sql"]]
    assert len(ids_first) == 1  # the page's ids, then its rows in full
    assert html.count("(your specialty)") == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE and plans: PostgreSQL")
def test_the_queues_page_is_found_from_its_index_alone():
    """The query for a page's ids reads the queue's index (articles migration 0027) and no
    row: PostgreSQL is told to avoid other ways, so a column missing from the index (a new
    order, say) makes this plan read the table."""
    workflow_to(ArticleFactory(), "submitted")
    model_admin = admin.site._registry[ReviewQueueItem]
    request = RequestFactory().get("/")
    request.user = board_member(specialties=["General medicine"])
    ids = model_admin.get_queryset(request).values_list("pk", flat=True)[:100]
    plan = plan_of(ids, avoid=("seqscan", "bitmapscan"))
    assert "Index Only Scan using article_review_queue" in plan, plan


# -- the review log's search, ids first ------------------------------------------------------


@pytest.mark.parametrize(
    ("probe_limit", "log_probe_limit"),
    [(querysets.PROBE_LIMIT, querysets.LOG_PROBE_LIMIT), (0, querysets.LOG_PROBE_LIMIT), (0, 0)],
    ids=["steps collected", "articles' ids", "subquery"],
)
def test_the_log_search_finds_what_the_admins_own_search_finds(
    monkeypatch, probe_limit, log_probe_limit
):
    """On a log with matches in every searched column (and in none), each search lists the
    steps Django's own search over search_fields lists, whichever way a word is looked up:
    its few articles' steps collected, its articles' ids, or (every headline word common)
    a subquery tested step by step."""
    monkeypatch.setattr(querysets, "PROBE_LIMIT", probe_limit)
    monkeypatch.setattr(querysets, "LOG_PROBE_LIMIT", log_probe_limit)
    editor = staff(roles.EDITORS, first_name="Nadia", last_name="Okonkwo")
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, username="hepatology-board")
    for headline in ("Kidney function in the elderly", "Statins and sleep", "Knee pain"):
        article = workflow_to(
            ArticleFactory(headline=headline), "under_review", editor=editor, reviewer=reviewer
        )
    services.request_changes(article, by=reviewer, comment="Cite the kidney guideline.")
    services.add_comment(article, by=editor, comment="Statins: done.")

    model_admin = admin.site._registry[ReviewEvent]
    request = RequestFactory().get("/")
    request.user = staff(roles.CHIEF_EDITORS)
    everything = model_admin.get_queryset(request)
    terms = ["kidney", "KIDNEY", "okonkwo", "nadia", "hepatology", "statins", "knee",
             "kidney okonkwo", "statins hepatology", '"cite the kidney"', "absent"]  # fmt: skip
    for term in terms:
        ours, _ = model_admin.get_search_results(request, everything, term)
        django, _ = admin.ModelAdmin.get_search_results(model_admin, request, everything, term)
        assert set(ours) == set(django), term
    assert set(ReviewEvent.objects.containing("kidney")) > set()
    assert not ReviewEvent.objects.containing("absent").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE and plans: PostgreSQL")
def test_a_searched_log_page_of_few_articles_is_found_from_the_newest_first_index():
    """A word in few headlines: its steps are collected first, and the page's ids then come
    from the (created, id) index alone, however far apart the steps are in the log. Without
    the collection, the walk newest first reads each step's row to test its article."""
    for headline in ("Abetomab in asthma", "Statins and sleep"):
        workflow_to(ArticleFactory(headline=headline), "approved")
    model_admin = admin.site._registry[ReviewEvent]
    request = RequestFactory().get("/", {"q": "abetomab"})
    request.user = staff(roles.CHIEF_EDITORS)
    changelist = model_admin.get_changelist_instance(request)
    found = list(changelist.result_list)
    assert found
    assert {event.article.headline for event in found} == {"Abetomab in asthma"}
    ids = changelist.queryset.values_list("pk", flat=True)[:100]
    # The walk in order (no sort), as at 100,000.
    plan = plan_of(ids, avoid=("seqscan", "bitmapscan", "sort"))
    assert "Index Only Scan Backward using review_event_newest" in plan, plan


def test_the_log_finds_a_pages_ids_before_its_rows(monkeypatch):
    """The review log's page: its ids first (from the index, with the search's conditions),
    then those rows in full, by id, without the search's conditions again."""
    article = workflow_to(ArticleFactory(headline="Abetomab in asthma"), "approved")
    monkeypatch.setattr(admin.site._registry[ReviewEvent], "list_per_page", 2)
    client = logged_in(staff(roles.CHIEF_EDITORS))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:articles_reviewevent_changelist"), {"q": "abetomab"})
    rows = list(response.context["cl"].result_list)
    assert len(rows) == 2
    assert {row.article_id for row in rows} == {article.pk}
    full = [q["sql"] for q in captured if '"articles_reviewevent"."comment", ' in q["sql"]]
    assert len(full) == 1
    assert "LIMIT" not in full[0]
    assert "ABETOMAB" not in full[0].upper()
