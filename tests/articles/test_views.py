import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Page, Question
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    workflow_to,
)

pytestmark = pytest.mark.django_db


def get_page(client, article, **params):
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


class TestArticlePageAnatomy:
    def test_every_element_of_the_page_is_there(self, client, cited_article):
        article, _ = cited_article
        html = get_page(client, article)
        assert article.question.text in html
        assert "Medical Advisory Board" in html
        assert "Exercise caution as content is pending human review" in html
        assert "Article review status" in html
        assert "Last updated:" in html
        assert f'href="{reverse("articles:page", args=["editorial-policy"])}"' in html
        assert "Which best describes you?" in html
        for label in ("Patient or caregiver", "Student", "Nurse", "Physician"):
            assert label in html
        assert f">{article.headline}</h1>" in html
        assert 'class="bottom-line"' in html
        assert "Treat early" in html
        assert html.index(">Why</h2>") < html.index(">How</h2>")
        assert 'id="references-title"' in html
        assert Page.objects.get(slug=Page.DISCLAIMER).title in html
        assert "Have a follow-up question?" in html

    def test_section_kinds_are_styled_hooks(self, client):
        article = ArticleFactory()
        SectionFactory(article=article, kind="algorithm", body="1. First\n2. Second")
        SectionFactory(article=article, kind="pitfalls", body="- Do not guess")
        html = get_page(client, workflow_to(article, "submitted"))
        assert "section--algorithm" in html
        assert "section--pitfalls" in html
        assert "<ol>" in html

    def test_references_listed_in_citation_order_with_type_source_year_and_links(self, client):
        refs = [ReferenceFactory(key=f"key{i}") for i in range(1, 5)]
        refs[1].doi, refs[1].pmid = "10.1000/xyz123", "12345678"
        refs[1].kind = "guideline"
        refs[1].save()
        article = ArticleFactory(bottom_line="Treat early [@key2].")
        SectionFactory(article=article, position=1, heading="Why", body="Because [@key1; @key3].")
        SectionFactory(article=article, position=2, heading="How", body="Like this [@key4].")
        html = get_page(client, workflow_to(article, "submitted"))
        # key2 is cited first (bottom line), then key1, key3, key4.
        order = [html.index(refs[i].title) for i in (1, 0, 2, 3)]
        assert order == sorted(order)
        ref1 = html[html.index('id="ref-1"') : html.index('id="ref-2"')]
        assert refs[1].title in ref1
        assert "Guideline" in ref1
        assert "<i>Journal of Examples</i>. 2024." in ref1
        assert 'href="https://doi.org/10.1000/xyz123"' in ref1
        assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345678/"' in ref1

    def test_citation_links_and_backlinks_point_at_each_other(self, client, cited_article):
        article, refs = cited_article
        html = get_page(client, article)
        # Bottom line cites key2 -> number 1, and its reference links back to that citation.
        bottom = html[html.index('class="bottom-line"') : html.index('id="section-1"')]
        anchor = re.search(r'<sup class="citation" id="(cite-\d+)">', bottom).group(1)
        assert 'href="#ref-1"' in bottom
        ref1 = html[html.index('id="ref-1"') : html.index('id="ref-2"')]
        assert f'href="#{anchor}"' in ref1

    def test_uncited_library_references_are_not_listed(self, client, cited_article):
        article, _ = cited_article
        stranger = ReferenceFactory(title="A reference nobody cites")
        assert stranger.title not in get_page(client, article)

    @pytest.mark.parametrize(
        ("status", "steps"),
        [
            ("submitted", ["current", "todo", "todo"]),
            ("under_review", ["done", "current", "todo"]),
            ("approved", ["done", "done", "current"]),
        ],
    )
    def test_tracker_marks_the_current_step_in_words_not_colour_alone(self, client, status, steps):
        html = get_page(client, workflow_to(ArticleFactory(), status))
        found = re.findall(r"tracker__step--(\w+)", html)
        assert found == steps
        current = html[html.index('aria-current="step"') :]
        assert "(current step)" in current[:400]

    def test_caution_banner_only_while_not_approved(self, client):
        pending = workflow_to(ArticleFactory(), "under_review")
        assert "pending human review" in get_page(client, pending)
        assert "pending human review" not in get_page(
            client, workflow_to(ArticleFactory(), "approved")
        )


class TestVisibility:
    def test_draft_is_404_for_readers(self, client):
        draft = ArticleFactory(status=Article.Status.DRAFT)
        assert client.get(draft.get_absolute_url()).status_code == 404

    def test_draft_is_a_marked_preview_for_staff_who_may_view_articles(self, client, staff_user):
        draft = ArticleFactory(status=Article.Status.DRAFT)
        client.force_login(staff_user)
        html = get_page(client, draft)
        assert "Preview of the working copy (draft)" in html
        assert "Readers cannot see this article." in html
        assert 'name="robots" content="noindex"' in html

    def test_staff_without_view_permission_get_404(self, client, django_user_model):
        user = django_user_model.objects.create_user("plain", is_staff=True)
        client.force_login(user)
        draft = ArticleFactory(status=Article.Status.DRAFT)
        assert client.get(draft.get_absolute_url()).status_code == 404

    def test_home_lists_published_articles_newest_first_with_their_topics(self, client):
        older = workflow_to(ArticleFactory(headline="Older answer"), "approved")
        newer = workflow_to(ArticleFactory(headline="Newer answer"), "approved")
        pending = workflow_to(ArticleFactory(headline="Pending answer"), "submitted")
        draft = ArticleFactory(headline="Secret draft", status=Article.Status.DRAFT)
        html = client.get("/").content.decode()
        assert (
            html.index(newer.headline) < html.index(older.headline) < html.index(pending.headline)
        )
        assert draft.headline not in html
        assert f'href="{older.topic.get_absolute_url()}"' in html

    def test_editorial_policy_page_renders_markdown(self, client):
        response = client.get(reverse("articles:page", args=["editorial-policy"]))
        assert response.status_code == 200
        assert "<h2>How an article is reviewed</h2>" in response.content.decode()


class TestFollowUpQuestion:
    def url(self, article):
        return reverse("articles:follow_up", args=[article.slug])

    def test_valid_question_is_stored_for_triage_linked_to_the_article(self, client, article):
        response = client.post(
            self.url(article),
            {"text": "Does this apply to people over eighty?", "asker_email": "a@example.org"},
            follow=True,
        )
        sent = reverse("articles:follow_up_sent", args=[article.slug])
        assert response.redirect_chain[-1][0].startswith(f"{sent}?c=")
        assert "your question has reached our editors" in response.content.decode()
        question = Question.objects.get(follow_up_to=article)
        assert question.source == Question.Source.READER
        assert question.status == Question.Status.NEW
        assert question.asker_email == "a@example.org"
        assert question in Question.objects.awaiting_triage()

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "Please type your question"),
            ("Too short?", "at least 15 characters"),
            ("x" * 2001, "at most 2000 characters"),
        ],
    )
    def test_invalid_question_shows_error_and_keeps_input(self, client, article, text, message):
        before = Question.objects.count()
        response = client.post(self.url(article), {"text": text, "asker_email": "kept@example.org"})
        html = response.content.decode()
        assert response.status_code == 400
        assert message in html
        assert "Your question was not sent" in html
        assert text in html
        assert 'value="kept@example.org"' in html
        assert Question.objects.count() == before

    def test_bad_email_is_refused_with_message(self, client, article):
        response = client.post(
            self.url(article), {"text": "A perfectly fine question here?", "asker_email": "nope"}
        )
        assert response.status_code == 400
        assert "Enter a valid email address." in response.content.decode()
        assert "A perfectly fine question here?" in response.content.decode()

    def test_honeypot_drops_the_submission_silently(self, client, article):
        response = client.post(
            self.url(article),
            {"text": "Buy cheap pills at my website today", "website": "http://spam.example"},
        )
        assert response.status_code == 302
        assert not Question.objects.filter(follow_up_to=article).exists()

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
            {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://sub.testserver"},
            {"HTTP_ORIGIN": "https://evil.example"},  # a browser without fetch metadata
            {"HTTP_ORIGIN": "null"},  # a sandboxed frame or a data: page
        ],
    )
    def test_a_post_from_another_site_is_refused(self, article, headers):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        response = client.post(self.url(article), {"text": "A question from elsewhere"}, **headers)
        assert response.status_code == 403
        assert not Question.objects.filter(follow_up_to=article).exists()

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
            {"HTTP_ORIGIN": "http://testserver"},  # a browser without fetch metadata
            {},  # no browser at all: no one else's cookies or address ride on it
        ],
    )
    def test_a_post_from_our_own_page_needs_no_token(self, article, headers):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        page = client.get(article.get_absolute_url())
        assert "csrfmiddlewaretoken" not in page.content.decode()
        assert not page.cookies  # nothing personal: the page is the same for every reader
        response = client.post(self.url(article), {"text": "A question from the page"}, **headers)
        assert response.status_code == 302
        assert Question.objects.filter(follow_up_to=article).count() == 1

    def test_no_follow_up_on_a_draft(self, client):
        draft = ArticleFactory(status=Article.Status.DRAFT)
        response = client.post(self.url(draft), {"text": "Is this draft answer final yet?"})
        assert response.status_code == 404


class TestQueryCount:
    """The article page costs the same number of queries whatever its length."""

    @staticmethod
    def build(sections: int, references: int) -> Article:
        refs = [ReferenceFactory() for _ in range(references)]
        article = ArticleFactory(bottom_line=f"Answer [@{refs[0].key}].")
        for i in range(sections):
            cited = refs[i % references :: sections] or [refs[i % references]]
            keys = "; ".join(f"@{r.key}" for r in cited)
            SectionFactory(article=article, position=i + 1, body=f"Text [{keys}].")
        return workflow_to(article, "approved")

    @pytest.mark.parametrize("reader", [None, "patient", "student", "nurse", "physician"])
    @pytest.mark.parametrize(("sections", "references"), [(1, 1), (30, 1), (1, 60), (30, 60)])
    def test_page_queries_do_not_grow(
        self, client, django_assert_num_queries, sections, references, reader
    ):
        article = self.build(sections, references)
        params = {"reader": reader} if reader else {}
        # Rendered: article (+question, topic, revisions, approval, reviewer), reader types,
        # glossary, disclaimer, the review history (approvals with their reviewers and
        # summaries); the approved revision's sections are in its snapshot. And the page
        # cache's own: the published page looked for (with the stamps), once though both the
        # middleware and the view ask, then the new page published.
        with CaptureQueriesContext(connection) as queries:
            html = get_page(client, article, **params)
        sql = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        published = [q for q in sql if "articles_publishedpage" in q]
        assert (len(sql) - len(published), len(published)) == (5, 2)
        assert html.count('class="reference"') == references
        # In the page cache: no query at all, the very same page.
        with django_assert_num_queries(0):
            again = get_page(client, article, **params)
        assert again == html
        # Gone from the cache (evicted, restarted): published in the database, one query.
        cache.clear()
        with django_assert_num_queries(1):
            response = client.get(article.get_absolute_url(), params)
        assert (response["X-Cache"], response.content.decode()) == ("DATABASE", html)

    @pytest.mark.parametrize("articles", [1, 12])
    def test_home_queries_do_not_grow(self, client, django_assert_num_queries, articles):
        for _ in range(articles):
            workflow_to(ArticleFactory(), "approved")
        # Site settings, latest approved, latest pending, the count per topic, the topics.
        with django_assert_num_queries(5):
            html = client.get("/").content.decode()
        assert html.count('class="card"') == min(articles, 6)
