"""The review workplace's lists as the history grows: the review log, the revisions and the
review queue run as many queries for many rows as for a few, and still show what they did."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import querysets
from articles.models import ReviewEvent
from reviews import roles, services
from tests.factories import ArticleFactory, logged_in, staff, workflow_to

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


# -- the review log's search, ids first ------------------------------------------------------


@pytest.mark.parametrize("probe_limit", [querysets.LOG_PROBE_LIMIT, 0])
def test_the_log_search_finds_what_the_admins_own_search_finds(monkeypatch, probe_limit):
    """On a log with matches in every searched column (and in none), each search lists the
    steps Django's own search over search_fields lists. At 0 every headline word counts as
    common: the subquery path is taken."""
    monkeypatch.setattr(querysets, "LOG_PROBE_LIMIT", probe_limit)
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
