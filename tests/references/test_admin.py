import pytest
from django.urls import reverse

from references.models import Reference
from reviews import roles, services
from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(db):
    reference = ReferenceFactory(key="cited-one", title="Cited reference")
    article = ArticleFactory(headline="The citing article", bottom_line="Plain.")
    ReferenceFactory(key="other")
    SectionFactory(article=article, body="See this [@other; @cited-one].")
    services.record_edit(article, by=user_with_role(roles.EDITORS))  # as the admin's save does
    return reference, article


def test_cited_reference_cannot_be_deleted(admin_client, cited):
    reference, article = cited
    url = reverse("admin:references_reference_delete", args=[reference.pk])
    page = admin_client.get(url).content.decode()
    assert "The citing article" in page
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_bulk_delete_action_also_refuses_cited_references(admin_client, cited):
    reference, _ = cited
    admin_client.post(
        reverse("admin:references_reference_changelist"),
        {"action": "delete_selected", "_selected_action": [reference.pk], "post": "yes"},
    )
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_uncited_reference_can_be_deleted(admin_client, cited):
    lonely = ReferenceFactory(key="lonely")
    # "@lonely" inside a code span is not a citation.
    section = SectionFactory(body="Type `[@lonely]` to cite.")
    services.record_edit(section.article, by=user_with_role(roles.EDITORS))
    url = reverse("admin:references_reference_delete", args=[lonely.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Reference.objects.filter(pk=lonely.pk).exists()


def test_renaming_a_cited_key_is_refused_and_keeps_the_input(admin_client, cited):
    reference, _ = cited
    url = reverse("admin:references_reference_change", args=[reference.pk])
    data = {
        "key": "renamed-key",
        "kind": reference.kind,
        "title": "Edited title",
        "authors": reference.authors,
        "source": reference.source,
        "year": reference.year,
        "doi": "",
        "pmid": "",
        "url": "",
    }
    response = admin_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "is cited by 1 revision(s)" in html
    assert "The citing article" in html
    assert 'value="Edited title"' in html
    reference.refresh_from_db()
    assert (reference.key, reference.title) == ("cited-one", "Cited reference")


def test_renaming_an_uncited_key_works(admin_client, cited):
    lonely = ReferenceFactory(key="lonely")
    url = reverse("admin:references_reference_change", args=[lonely.pk])
    data = {"key": "still-lonely", "kind": lonely.kind, "title": lonely.title, "year": 2020}
    assert admin_client.post(url, data).status_code == 302
    lonely.refresh_from_db()
    assert lonely.key == "still-lonely"


def test_reference_cited_only_by_an_approved_revision_stays_protected(admin_client):
    from tests.factories import workflow_to

    reference = ReferenceFactory(key="old-evidence")
    article = ArticleFactory(bottom_line="Answer [@old-evidence].")
    SectionFactory(article=article, body="Body.")
    workflow_to(article, "approved")
    # The working copy drops the citation; the approved, public revision still has it.
    article.bottom_line = "Answer without it."
    article.save()
    services.record_edit(article, by=user_with_role(roles.EDITORS))
    url = reverse("admin:references_reference_delete", args=[reference.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 200
    assert Reference.objects.filter(pk=reference.pk).exists()
