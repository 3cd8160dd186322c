"""Citing an article (articles/citing.py, the "Cite this article" block, templates/articles/
_cite.html) and the downloads (`articles:cite`, `articles:cited_references`): always from
the public revision, as files reference managers read back."""

import re

import bibtexparser
import pytest
import rispy
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.citing import EDITORIAL_TEAM
from articles.models import Article, ReaderType, SiteSettings, Variant
from references.models import Reference
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    UserFactory,
    logged_in,
    workflow_to,
)

pytestmark = pytest.mark.django_db


def page(client, article, **params):
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def cite_block(html):
    start = html.index('id="cite-title"')
    return html[start : html.index("</section>", start)]


def download(client, article, what, fmt, **params):
    name = "articles:cite" if what == "article" else "articles:cited_references"
    return client.get(reverse(name, args=[article.slug, fmt]), params)


def ris(response):
    return rispy.loads(response.content.decode())


def bibtex(response):
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    return library.entries


def day_of(revision):
    return timezone.localtime(revision.created_at).date()


@pytest.fixture
def approved():
    """Approved; the bottom line cites b, the section a then c."""
    a = ReferenceFactory(key="a", title="Trial of a", authors="Ng A, Ode B", volume="5")
    b = ReferenceFactory(
        key="b",
        kind="textbook",
        title="Handbook of b",
        authors="Østergaard K",
        source="Nordic Press",
        year=2019,
    )
    c = ReferenceFactory(key="c", title="Trial of c", doi="10.1000/c", pmid="123")
    article = ArticleFactory(headline="Is early treatment better?", bottom_line="Yes [@b].")
    SectionFactory(article=article, position=1, heading="Why", body="Trials [@a; @c].")
    return workflow_to(article, "approved"), (a, b, c)


# -- the block on the page -------------------------------------------------------------------


def test_the_page_cites_its_public_revision_in_ama_style(client, approved):
    article, _ = approved
    block = cite_block(page(client, article))
    updated = day_of(article.public_revision)
    url = f"http://testserver{article.get_absolute_url()}"
    text = re.sub(r"<[^>]+>", "", block.split('class="cite__text">', 1)[1].split("</p>")[0])
    assert text == (
        f"{EDITORIAL_TEAM}. Is early treatment better? Vetted. "
        f"Updated {updated:%B} {updated.day}, {updated.year}. {url}"
    )
    assert f'<a href="{url}" rel="noopener noreferrer">{url}</a>' in block


def test_the_page_links_every_download(client, approved):
    article, _ = approved
    block = cite_block(page(client, article))
    for name in ("articles:cite", "articles:cited_references"):
        for fmt in ("ris", "bib"):
            assert f'href="{reverse(name, args=[article.slug, fmt])}"' in block
    for label in ("Citation (RIS)", "Citation (BibTeX)", "Reference list (RIS)"):
        assert f">{label}</a>" in block


def test_no_reference_list_download_without_references(client):
    article = workflow_to(ArticleFactory(bottom_line="No citations."), "approved")
    block = cite_block(page(client, article))
    assert "Citation (RIS)" in block
    assert "Reference list" not in block


def test_the_headline_is_escaped(client):
    article = workflow_to(ArticleFactory(headline='<script>alert("x")</script> & more'), "approved")
    block = cite_block(page(client, article))
    assert "<script>" not in block
    assert "&lt;script&gt;" in block


def test_the_article_s_staff_authors_are_never_named(client, approved):
    article, _ = approved
    author = UserFactory(username="jdoe-login", first_name="Jane", last_name="Doe")
    article.authors.add(author)
    html = page(client, article)
    assert "jdoe-login" not in html
    assert "Jane Doe" not in cite_block(html)
    assert EDITORIAL_TEAM in cite_block(html)


def test_a_staff_preview_of_the_working_copy_has_no_citation(approved):
    article, _ = approved
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    html = page(logged_in(viewer), article, preview=1)
    assert "Preview of the working copy" in html
    assert 'id="cite-title"' not in html


def test_the_stored_page_is_the_same_for_every_anonymous_reader(client, approved):
    """The page cache keeps the page whole: the block must not depend on the visitor."""
    article, _ = approved
    viewer = UserFactory(username="someone-signed-in", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    page(logged_in(viewer), article)
    first = page(client, article)
    from django.test import Client

    assert page(Client(), article) == first
    assert "someone-signed-in" not in first


# -- the reference list in AMA style ------------------------------------------------------------


def test_the_reference_list_is_in_ama_style_in_citation_order(client, approved):
    article, _ = approved
    html = page(client, article)
    start = html.index('id="references-title"')
    refs = html[start : html.index("</ol>", start)]
    items = re.findall(r'<li id="ref-(\d)".*?class="reference__text">(.*?)</span>', refs, re.S)
    assert [(n, re.sub(r"<[^>]+>", "", text)) for n, text in items] == [
        ("1", "Østergaard K. Handbook of B. Nordic Press; 2019."),
        ("2", "Ng A, Ode B. Trial of a. Journal of Examples. 2024;5."),
        ("3", "Doe J, Roe R. Trial of c. Journal of Examples. 2024. doi:10.1000/c"),
    ]
    third = refs[refs.index('id="ref-3"') :]
    assert 'href="https://doi.org/10.1000/c"' in third
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/123/"' in third
    assert "reference__kind--research" in third
    assert 'class="reference__back' in third


def test_the_reference_list_shows_the_frozen_copy_not_the_library(client, approved):
    article, (a, _, _) = approved
    Reference.objects.filter(pk=a.pk).update(title="Changed in the library")
    Reference.objects.get(pk=a.pk).save()
    from django.core.cache import cache

    cache.clear()
    html = page(client, article)
    assert "Trial of a" in html
    assert "Changed in the library" not in html
    exported = ris(download(client, article, "references", "ris"))
    assert [e["title"] for e in exported] == ["Handbook of b", "Trial of a", "Trial of c"]


# -- downloads -------------------------------------------------------------------------------------


def test_the_article_citation_as_ris(client, approved):
    article, _ = approved
    response = download(client, article, "article", "ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{article.slug}-citation.ris"'
    )
    [entry] = ris(response)
    updated = day_of(article.public_revision)
    assert entry["type_of_reference"] == "ELEC"
    assert entry["title"] == "Is early treatment better?"
    assert entry["authors"] == [EDITORIAL_TEAM]
    assert entry["secondary_title"] == "Vetted"
    assert entry["date"] == f"{updated:%Y/%m/%d}"
    assert entry["urls"] == [f"http://testserver{article.get_absolute_url()}"]


def test_the_article_citation_as_bibtex(client, approved):
    article, _ = approved
    response = download(client, article, "article", "bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{article.slug}-citation.bib"'
    [entry] = bibtex(response)
    assert entry.entry_type == "misc"
    assert entry.key == article.slug
    assert entry["title"] == "Is early treatment better?"
    assert entry["author"] == "{Vetted Editorial Team}"
    assert entry["year"] == str(day_of(article.public_revision).year)


def test_the_reference_list_as_ris_and_bibtex(client, approved):
    article, _ = approved
    response = download(client, article, "references", "ris")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{article.slug}-references.ris"'
    )
    entries = ris(response)
    assert [e["id"] for e in entries] == ["b", "a", "c"]  # as the page numbers them
    assert entries[0]["type_of_reference"] == "BOOK"
    assert entries[0]["authors"] == ["Østergaard, K."]
    assert entries[1]["volume"] == "5"
    assert entries[2]["doi"] == "10.1000/c"
    bib = bibtex(download(client, article, "references", "bib"))
    assert [(e.entry_type, e.key) for e in bib] == [
        ("book", "b"),
        ("article", "a"),
        ("article", "c"),
    ]


def test_the_reference_list_for_a_reader_type_with_its_own_text(client):
    for key in ("a", "b", "c"):
        ReferenceFactory(key=key)
    article = ArticleFactory(bottom_line="Yes [@b].")
    SectionFactory(article=article, position=1, heading="Why", body="Trials [@a; @c].")
    patient = ReaderType.objects.get(slug="patient")
    Variant.objects.create(article=article, reader_type=patient, text="In short [@c].")
    article = workflow_to(article, "approved")
    html = page(client, article, reader="patient")
    link = reverse("articles:cited_references", args=[article.slug, "ris"]) + "?reader=patient"
    assert f'href="{link}"' in html
    response = download(client, article, "references", "ris", reader="patient")
    assert [e["id"] for e in ris(response)] == ["c", "a"]
    assert (
        'filename="' + f'{article.slug}-references-patient.ris"'
        in (response["Content-Disposition"])
    )
    # Readers of another type see the default text: their page's link names no reader type.
    default = download(client, article, "references", "ris", reader="student")
    assert [e["id"] for e in ris(default)] == ["b", "a", "c"]
    assert f'filename="{article.slug}-references.ris"' in default["Content-Disposition"]
    student = cite_block(page(client, article, reader="student"))
    assert "?reader=" not in student
    assert reverse("articles:cited_references", args=[article.slug, "ris"]) in student


def test_downloads_may_be_kept_by_shared_caches(client, approved):
    article, _ = approved
    for what in ("article", "references"):
        response = download(client, article, what, "ris")
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0"} <= cache_control
        assert any(part.startswith("s-maxage=") for part in cache_control)
        assert "Cookie" in response["Vary"]


def test_downloads_for_a_signed_in_person_are_private(approved):
    article, _ = approved
    viewer = UserFactory(username="viewer", is_staff=True)
    response = download(logged_in(viewer), article, "article", "ris")
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]


def test_a_draft_is_never_exported(client):
    draft = ArticleFactory()
    SectionFactory(article=draft)
    staff_client = logged_in(UserFactory(username="boss", is_superuser=True, is_staff=True))
    for who in (client, staff_client):
        for what in ("article", "references"):
            for fmt in ("ris", "bib"):
                assert download(who, draft, what, fmt).status_code == 404


def test_downloads_come_from_the_public_revision_not_the_working_copy(client, approved):
    article, _ = approved
    Article.objects.filter(pk=article.pk).update(headline="A draft headline nobody approved")
    article.refresh_from_db()
    entry = ris(download(client, article, "article", "ris"))[0]
    assert entry["title"] == "Is early treatment better?"
    assert "A draft headline" not in page(client, article)


def test_a_pending_article_is_exported_only_while_the_site_shows_pending_articles(
    client, cited_article
):
    article, _ = cited_article
    assert download(client, article, "article", "ris").status_code == 200
    SiteSettings.objects.update(show_unapproved_articles=False)
    from django.core.cache import cache

    cache.clear()
    assert download(client, article, "article", "ris").status_code == 404
    assert download(client, article, "references", "bib").status_code == 404


def test_unknown_formats_and_articles_are_404(client, approved):
    article, _ = approved
    assert client.get(f"/articles/{article.slug}/cite.json").status_code == 404
    assert client.get(f"/articles/{article.slug}/cite.RIS").status_code == 404
    assert client.get("/articles/no-such-article/cite.ris").status_code == 404


def test_a_download_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    refs = [ReferenceFactory(key=f"r{i}") for i in range(30)]
    article = ArticleFactory(bottom_line=" ".join(f"[@{r.key}]" for r in refs))
    article = workflow_to(article, "approved")
    download(client, article, "references", "ris")  # renders and caches the revision
    with django_assert_max_num_queries(2):  # the article (one query), the reader types
        response = download(client, article, "references", "ris")
    assert len(ris(response)) == 30
    with django_assert_max_num_queries(1):
        assert download(client, article, "article", "bib").status_code == 200


def test_head_answers_like_get(client, approved):
    article, _ = approved
    response = client.head(reverse("articles:cite", args=[article.slug, "ris"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
