import re
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles import demo_content
from articles.models import Article, Page, Question, Section, Topic
from articles.rendering import render_article, unknown_citations
from references.models import Reference

pytestmark = pytest.mark.django_db

USERNAMES = ["editor", "reviewer", "chief"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_articles():
    slugs = [a["slug"] for a in demo_content.ARTICLES]
    return list(Article.objects.filter(slug__in=slugs).select_related("topic", "question"))


def row_counts() -> dict:
    """Rows in every table Django knows: models, history models, m2m tables."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_creates_articles_on_different_topics_one_per_status():
    load_demo()
    articles = demo_articles()
    assert len(articles) >= 4
    assert len({a.topic_id for a in articles}) >= 4
    statuses = Counter(a.status for a in articles)
    for status in Article.Status:
        assert statuses[status] >= 1, status
    for article in articles:
        assert article.question.source == Question.Source.EDITORIAL
        assert len(article.question.text) >= Question.MIN_LENGTH
        assert article.headline
        assert article.bottom_line
        assert article.authors.filter(username="editor").exists()


def test_each_article_has_sections_algorithm_and_pitfalls():
    load_demo()
    for article in demo_articles():
        sections = list(article.sections.all())
        assert len(sections) >= 5, article.slug
        assert [s.position for s in sections] == list(range(1, len(sections) + 1))
        kinds = {s.kind for s in sections}
        assert Section.Kind.ALGORITHM in kinds, article.slug
        assert Section.Kind.PITFALLS in kinds, article.slug
        algorithm = next(s for s in sections if s.kind == Section.Kind.ALGORITHM)
        assert algorithm.body.lstrip().startswith("1. "), article.slug


def test_markdown_features_render():
    load_demo()
    html = ""
    for article in demo_articles():
        rendered = render_article(article.bottom_line, article.sections.all())
        html += rendered.bottom_line + "".join(body for _, body in rendered.sections)
    assert "<table>" in html
    assert "<ol>" in html
    assert "<ul>" in html
    assert re.search(r"<h[3-6]>", html)  # ### sub-headings, nested below the section's <h2>
    assert "citation-missing" not in html


def test_each_article_cites_enough_references_of_several_kinds():
    load_demo()
    cited_by = Counter()
    for article in demo_articles():
        refs = render_article(article.bottom_line, article.sections.all()).references
        assert len(refs) >= 6, article.slug
        assert len({c.reference.kind for c in refs}) >= 2, article.slug
        cited_by.update({c.reference.key for c in refs})
    assert any(n >= 2 for n in cited_by.values()), "no reference is shared between articles"


def test_no_unknown_citation_keys():
    load_demo()
    for article in demo_articles():
        assert unknown_citations(article.bottom_line) == []
        for section in article.sections.all():
            assert unknown_citations(section.body) == [], (article.slug, section.heading)


def test_every_demo_reference_is_cited_and_well_formed():
    load_demo()
    cited = set()
    for article in demo_articles():
        refs = render_article(article.bottom_line, article.sections.all()).references
        cited |= {c.reference.key for c in refs}
    keys = {r["key"] for r in demo_content.REFERENCES}
    assert keys <= cited, f"demo references no article cites: {sorted(keys - cited)}"
    for reference in Reference.objects.filter(key__in=keys):
        reference.full_clean()
        assert reference.title
        assert reference.source
        assert reference.year


def test_demo_users_exist_and_can_log_in(client):
    load_demo()
    for username in USERNAMES:
        user = get_user_model().objects.get(username=username)
        assert user.is_staff
        assert user.is_active
        assert user.first_name
        assert user.last_name
        assert user.email
        assert client.login(username=username, password=demo_content.DEMO_PASSWORD)
        client.logout()


def test_demo_users_permissions():
    load_demo()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    editor, reviewer, chief = users["editor"], users["reviewer"], users["chief"]

    assert editor.has_perms(["articles.add_article", "articles.change_section",
                             "articles.view_page", "references.add_reference"])  # fmt: skip
    assert not editor.has_perm("articles.delete_article")
    assert not editor.has_perm("articles.change_page")

    assert reviewer.has_perms(["articles.view_article", "articles.change_article",
                               "references.view_reference"])  # fmt: skip
    assert not reviewer.has_perm("articles.add_article")
    assert not reviewer.has_perm("articles.change_section")

    for model in ["article", "section", "question", "topic", "page"]:
        assert chief.has_perm(f"articles.delete_{model}")
    assert chief.has_perm("references.delete_reference")
    assert not chief.is_superuser


def test_second_run_changes_nothing():
    first = load_demo()
    counts = row_counts()
    updated = {a.slug: a.updated_at for a in demo_articles()}
    ref_updated = dict(Reference.objects.values_list("key", "updated_at"))
    passwords = dict(
        get_user_model().objects.filter(username__in=USERNAMES).values_list("username", "password")
    )

    second = load_demo()

    assert row_counts() == counts
    for model in (Article, Section, Reference, Page):
        assert model.history.model.objects.count() == counts[model.history.model._meta.label]
    assert {a.slug: a.updated_at for a in demo_articles()} == updated
    assert dict(Reference.objects.values_list("key", "updated_at")) == ref_updated
    assert (
        dict(
            get_user_model()
            .objects.filter(username__in=USERNAMES)
            .values_list("username", "password")
        )
        == passwords
    )
    assert " 0 unchanged" in first
    assert "0 created, 0 updated" in second


def test_rerun_restores_edited_content_and_drops_extra_sections():
    load_demo()
    article = Article.objects.get(slug=demo_content.ARTICLES[0]["slug"])
    n_sections = article.sections.count()
    article.headline = "Edited by hand"
    article.save()
    Section.objects.create(article=article, position=n_sections + 1, heading="Extra", body="x")

    output = load_demo()

    article.refresh_from_db()
    assert article.headline == demo_content.ARTICLES[0]["headline"]
    assert article.sections.count() == n_sections
    assert "1 updated" in output
    assert "1 deleted" in output


def test_refuses_unless_demo_content_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_CONTENT_ALLOWED"):
        call_command("load_demo")
    assert not Article.objects.exists()
    assert not Topic.objects.exists()
    assert not get_user_model().objects.filter(username__in=USERNAMES).exists()


def test_unknown_citation_key_aborts_and_rolls_back(monkeypatch):
    broken = {**demo_content.ARTICLES[0], "bottom_line": "Treat it [@no-such-reference]."}
    monkeypatch.setattr(demo_content, "ARTICLES", [broken, *demo_content.ARTICLES[1:]])
    with pytest.raises(CommandError, match="no-such-reference"):
        call_command("load_demo")
    assert not Article.objects.exists()
    assert not Reference.objects.exists()
