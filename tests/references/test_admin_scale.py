"""A much-cited reference's pages stay as quick as a rarely cited one's: the delete page
names the first citations that protect it and counts the rest."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from references import admin as reference_admin
from references.models import Reference
from reviews import roles, services
from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory, user_with_role
from tests.plans import plan_of

pytestmark = pytest.mark.django_db


def cite(reference, times: int) -> None:
    """`times` articles citing `reference`, each frozen in a revision (as a save does)."""
    editor = user_with_role(roles.EDITORS)
    for n in range(times):
        article = ArticleFactory(headline=f"Citing article {n}", bottom_line="Plain.")
        SectionFactory(article=article, body=f"See [@{reference.key}].")
        services.record_edit(article, by=editor)


def delete_page_queries(client, reference) -> tuple[int, str]:
    url = reverse("admin:references_reference_delete", args=[reference.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_delete_page_runs_as_many_queries_for_many_citations_as_for_one(
    admin_client, monkeypatch
):
    monkeypatch.setattr(reference_admin, "NAMED", 2)
    once, often = ReferenceFactory(key="once"), ReferenceFactory(key="often")
    cite(once, 1)
    cite(often, 5)
    delete_page_queries(admin_client, once)  # the first request reads more
    few, page = delete_page_queries(admin_client, once)
    many, page_of_many = delete_page_queries(admin_client, often)
    assert many == few
    assert "Citing article 0" in page
    # The first two named, the rest counted; nothing deleted.
    assert page_of_many.count("Revision 1 of “Citing article") == 2
    assert "… and 3 more" in page_of_many
    assert Reference.objects.filter(key="often").exists()


def test_renaming_a_much_cited_key_names_a_few_and_counts_the_rest(admin_client):
    reference = ReferenceFactory(key="popular")
    cite(reference, 7)
    data = {"key": "renamed", "kind": reference.kind, "title": reference.title, "year": 2020}
    response = admin_client.post(
        reverse("admin:references_reference_change", args=[reference.pk]), data
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "is cited by 7 revision(s)" in html
    assert "and 2 more" in html
    reference.refresh_from_db()
    assert reference.key == "popular"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_the_library_search_reads_its_matches_from_the_trigram_indexes(admin_client):
    """Migration 0006: every column the search ORs has its index, so PostgreSQL can read the
    matches from them (told to avoid reading the table or an index in full, as it would on a
    large library); one column without an index would make it test every reference."""
    wanted = ReferenceFactory(key="pectoris2024", title="Stable angina in primary care")
    ReferenceFactory(key="other2024", title="Sleep")
    response = admin_client.get(reverse("admin:references_reference_changelist"), {"q": "angina"})
    assert [r.pk for r in response.context["cl"].result_list] == [wanted.pk]
    queryset = response.context["cl"].queryset
    counted = queryset.order_by().values("pk")  # as counted
    plan = plan_of(counted, avoid=("seqscan", "indexscan"))
    assert "BitmapOr" in plan, plan
    for column in ("key", "title", "authors", "source", "doi", "pmid"):
        assert f"reference_{column}_trgm" in plan, (column, plan)
