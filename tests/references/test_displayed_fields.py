"""Volume, issue and pages: shown to readers, frozen with a revision, and added without
changing the digest of any reference or revision frozen before they existed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article
from articles.revisions import Content, hash_of, snapshot
from references.models import DISPLAYED_FIELDS, FrozenReference, Reference, digest, displayed_data
from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory, workflow_to

# The displayed fields as they were before volume, issue and pages.
OLD_FIELDS = ("kind", "title", "authors", "source", "year", "doi", "pmid", "url")


def test_new_fields_are_displayed_fields():
    assert {"volume", "issue", "pages"} <= set(DISPLAYED_FIELDS)


@pytest.mark.django_db
def test_digest_of_a_reference_without_the_new_fields_is_unchanged():
    ref = ReferenceFactory(doi="10.1000/xyz", pmid="123", url="https://example.org/a")
    old = {name: getattr(ref, name) for name in OLD_FIELDS}
    assert ref.displayed() == old
    assert ref.displayed_hash == digest(old)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["volume", "issue", "pages"])
def test_a_new_field_with_a_value_changes_the_digest(field):
    ref = ReferenceFactory()
    before = ref.displayed_hash
    setattr(ref, field, "12")
    ref.save()
    assert ref.displayed()[field] == "12"
    assert ref.displayed_hash != before
    assert ref.displayed_hash == digest(ref.displayed())


@pytest.mark.django_db
def test_update_fields_save_keeps_the_digest_current():
    ref = ReferenceFactory()
    ref.pages = "e123"
    ref.save(update_fields=["pages"])
    ref.refresh_from_db()
    assert ref.displayed_hash == digest(ref.displayed())
    assert ref.displayed()["pages"] == "e123"


def test_displayed_data_reads_mappings_and_objects_alike():
    values = dict.fromkeys(DISPLAYED_FIELDS, "") | {"kind": "review", "title": "T", "year": None}
    frozen = FrozenReference(key="k", kind="review", title="T")
    assert displayed_data(values) == displayed_data(frozen)
    assert "volume" not in displayed_data(values)
    assert displayed_data(values | {"volume": "9"})["volume"] == "9"


def test_references_frozen_before_the_new_fields_still_load():
    old = {"kind": "research", "title": "Old", "authors": "", "source": "J", "year": 2001}
    content = Content({"question": "q", "headline": "h", "bottom_line": "b", "sections": []})
    content.data["references"] = {"old-1": old}
    frozen = content.references["old-1"]
    assert (frozen.volume, frozen.issue, frozen.pages) == ("", "", "")
    assert displayed_data(frozen) == {**dict.fromkeys(OLD_FIELDS, ""), **old, "year": 2001}


@pytest.mark.django_db
def test_an_approved_article_is_not_flagged_and_freezes_the_new_fields_once_set():
    ref = ReferenceFactory(key="trial-2020")
    article = ArticleFactory()
    SectionFactory(article=article, body="It helps [@trial-2020].")
    article = workflow_to(article, Article.Status.APPROVED)
    frozen = article.approval.revision.content["references"]["trial-2020"]
    assert set(frozen) == set(OLD_FIELDS)
    assert not Article.objects.reference_updated_since_approval().exists()

    ref.volume, ref.issue, ref.pages = "373", "22", "2103-2116"
    ref.save()
    assert Article.objects.reference_updated_since_approval().filter(pk=article.pk).exists()
    data = snapshot(article)
    assert data["references"]["trial-2020"]["pages"] == "2103-2116"
    assert hash_of(data) != article.approval.revision.content_hash


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_existing_digest():
    executor = MigrationExecutor(connection)
    before = [("references", "0003_append_only")]
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        OldReference = old_apps.get_model("references", "Reference")
        fields = {"key": "old-2001", "kind": "research", "title": "Old", "year": 2001}
        old = {name: fields.get(name, "" if name != "year" else None) for name in OLD_FIELDS}
        OldReference.objects.create(**fields, displayed_hash=digest(old))
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        ref = Reference.objects.get(key="old-2001")
        assert ref.displayed_hash == digest(old) == digest(ref.displayed())
    finally:
        executor.loader.build_graph()
        leaves = executor.loader.graph.leaf_nodes()
        if executor.migration_plan(leaves):
            executor.migrate(leaves)
