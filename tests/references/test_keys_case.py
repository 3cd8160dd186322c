"""Citation keys regardless of case: one stored (lowercase) form, text citing any case,
and revisions frozen under old-case keys still rendering their references."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, Revision
from articles.readers import render_revision
from articles.rendering import render_article, unknown_citations
from articles.revisions import snapshot
from references.citations import canonical_key, keys_in_line
from references.models import Reference
from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory, workflow_to


def test_the_parser_hands_out_canonical_keys():
    assert keys_in_line("As shown [@NCCN-Rectal-2025; @Smith2020].") == [
        "nccn-rectal-2025",
        "smith2020",
    ]
    assert canonical_key("WHO.Guideline") == "who.guideline"


@pytest.mark.django_db
def test_text_citing_any_case_resolves_numbers_and_freezes_the_reference():
    ReferenceFactory(key="NCCN-Rectal-2025", title="Rectal cancer guideline")
    assert Reference.objects.get().key == "nccn-rectal-2025"
    article = ArticleFactory(bottom_line="Radiotherapy first [@NCCN-Rectal-2025].")
    SectionFactory(article=article, body="Then surgery [@nccn-rectal-2025; @Nccn-Rectal-2025].")
    data = snapshot(article)
    assert list(data["references"]) == ["nccn-rectal-2025"]
    assert unknown_citations(article.bottom_line) == []

    article = workflow_to(article, Article.Status.APPROVED)
    view = render_revision(article.approval.revision, None)
    assert [c.reference.title for c in view.rendered.references] == ["Rectal cancer guideline"]
    assert view.rendered.references[0].number == 1
    html = str(view.rendered.bottom_line)
    assert 'href="#ref-1"' in html
    assert "unknown reference" not in html + "".join(str(h) for _, h in view.rendered.sections)


@pytest.mark.django_db
def test_an_unknown_key_is_still_unknown_in_any_case():
    ReferenceFactory(key="known")
    assert unknown_citations("See [@KNOWN] and [@Missing].") == [("missing", 1)]


@pytest.mark.django_db
def test_old_case_frozen_revision_still_renders_its_reference():
    """A revision frozen before keys were lowercased holds its reference under the old-case
    key; reading it must still number and list it (articles/revisions.py Content.references,
    change requested in /work/briefs/requests.md)."""
    article = ArticleFactory()
    frozen = {
        "kind": "guideline",
        "title": "Old-case guideline",
        "authors": "",
        "source": "X",
        "year": 2020,
        "doi": "",
        "pmid": "",
        "url": "",
    }
    revision = Revision(  # unsaved: rendered as stored content, nothing cached
        article=article,
        number=1,
        content={
            "question": "q",
            "headline": "h",
            "bottom_line": "Answer [@NCCN-Old].",
            "sections": [],
            "references": {"NCCN-Old": frozen},
        },
    )
    view = render_revision(revision, None)
    assert [c.reference.title for c in view.rendered.references] == ["Old-case guideline"]
    assert "unknown reference" not in str(view.rendered.bottom_line)


def test_render_article_numbers_mixed_case_citations_once():
    from references.models import FrozenReference

    ref = FrozenReference(key="a-key", kind="research", title="T")
    rendered = render_article("One [@A-Key], two [@a-key].", [], {"a-key": ref})
    assert [c.number for c in rendered.references] == [1]
    assert str(rendered.bottom_line).count('href="#ref-1"') == 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_lowercases_existing_keys():
    executor = MigrationExecutor(connection)
    before = [("references", "0004_volume_issue_pages")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("references", "Reference")
        old.objects.create(key="ESH-2023", kind="guideline", title="T", displayed_hash="x")
        old.objects.create(key="lower-already", kind="guideline", title="U", displayed_hash="y")
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert sorted(Reference.objects.values_list("key", "displayed_hash")) == [
            ("esh-2023", "x"),
            ("lower-already", "y"),
        ]
    finally:
        executor.loader.build_graph()
        leaves = executor.loader.graph.leaf_nodes()
        if executor.migration_plan(leaves):
            executor.migrate(leaves)
