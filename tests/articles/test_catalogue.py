"""The public catalogue: what it lists (only what readers may see, kept by every article
save), search on both databases, filters, sorting, pages and their query counts."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import catalogue, querysets
from articles.models import Article, Listing, ListingFacet, ReaderType, SiteSettings, Variant
from references.models import Reference
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    board_member,
    user_with_role,
    workflow_to,
)

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


def article_with(status="approved", *, headline=None, bottom_line=None, body=None, **fields):
    article = ArticleFactory(
        **({"headline": headline} if headline else {}),
        **({"bottom_line": bottom_line} if bottom_line else {}),
        **fields,
    )
    SectionFactory(article=article, heading="Details", body=body or "Plain details.")
    return workflow_to(article, status)


def list_page(client, **params):
    response = client.get(reverse("articles:list"), params)
    assert response.status_code == 200
    return response


def headlines(response) -> list[str]:
    return [item.headline for item in response.context["listings"]]


def edit_and_record(article, **fields):
    editor = user_with_role(roles.EDITORS)
    for name, value in fields.items():
        setattr(article, name, value)
    article.save()
    services.record_edit(article, by=editor)
    article.refresh_from_db()
    return article


class TestWhatIsListed:
    def test_a_draft_is_never_listed(self):
        article = article_with("draft")
        assert not Listing.objects.filter(article=article).exists()

    def test_submitting_lists_it_as_pending_and_approving_as_approved(self):
        article = article_with("submitted", headline="Ankle sprain: when to image")
        listing = Listing.objects.get(article=article)
        assert (listing.status, listing.headline, listing.reviewer) == (
            "submitted",
            "Ankle sprain: when to image",
            None,
        )
        reviewer = board_member(specialties=["General medicine"])  # the topics'
        services.start_review(article, by=reviewer)
        assert Listing.objects.get(article=article).status == "under_review"
        services.approve(article, by=reviewer, comment="Fine.")
        listing = Listing.objects.get(article=article)
        assert listing.status == "approved"
        assert listing.reviewer == reviewer
        assert listing.reviewed_at == Article.objects.get(pk=article.pk).approval.created_at

    def test_an_edit_after_approval_keeps_the_approved_text_listed(self):
        article = article_with("approved", headline="Gout flares: first treatment")
        edit_and_record(article, headline="Draft headline nobody approved")
        listing = Listing.objects.get(article=article)
        assert listing.headline == "Gout flares: first treatment"
        assert listing.status == "approved"

    def test_draft_words_are_not_searchable(self, client):
        article = article_with("approved", body="Colchicine works.")
        section = article.sections.get()
        section.body = "Secretword zebrafinch appears only in the draft."
        section.save()
        services.record_edit(article, by=user_with_role(roles.EDITORS))
        assert headlines(list_page(client, q="zebrafinch")) == []
        assert headlines(list_page(client, q="colchicine")) == [article.headline]

    def test_unpublishing_removes_it(self):
        article = article_with("approved")
        services.unpublish(article, by=user_with_role(roles.CHIEF_EDITORS), comment="Outdated.")
        assert not Listing.objects.filter(article=article).exists()

    def test_a_new_slug_or_topic_follows_at_once(self, client):
        article = article_with("approved")
        topic = TopicFactory()
        article.slug, article.topic = "renamed-article", topic
        article.save()
        listing = Listing.objects.get(article=article)
        assert (listing.slug, listing.topic) == ("renamed-article", topic)
        assert listing.get_absolute_url() == "/articles/renamed-article/"

    def test_pending_articles_follow_the_site_switch(self, client):
        approved = article_with("approved")
        pending = article_with("submitted")
        assert set(headlines(list_page(client))) == {approved.headline, pending.headline}
        SiteSettings.objects.update(show_unapproved_articles=False)
        assert headlines(list_page(client)) == [approved.headline]
        assert headlines(list_page(client, status="pending")) == []

    def test_facets_come_from_the_public_revision(self):
        ReferenceFactory(key="nice-gl", kind=Reference.Kind.GUIDELINE)
        ReferenceFactory(key="trial", kind=Reference.Kind.RESEARCH)
        article = ArticleFactory(bottom_line="Do this [@nice-gl].")
        section = SectionFactory(article=article, body="Because [@trial].")
        patient = ReaderType.objects.get(slug="patient")
        Variant.objects.create(article=article, section=section, reader_type=patient, text="Yes.")
        article = workflow_to(article, "approved")
        facets = set(
            ListingFacet.objects.filter(listing__article=article).values_list("facet", flat=True)
        )
        assert facets == {"reference:guideline", "reference:research", "reader:patient"}

    def test_tampered_approved_revision_is_not_listed_as_approved(self):
        from tests.tampering import tamper

        article = article_with("approved", headline="Tampered later")
        revision = article.approval.revision
        tamper(revision, {**revision.content, "headline": "Changed behind the app's back"})
        Listing.objects.all().delete()
        catalogue.refresh(Article.objects.get(pk=article.pk))
        assert Listing.objects.get(article=article).status == "under_review"

    def test_a_tampered_approval_leaves_the_approved_list_once_seen(self, client):
        from tests.tampering import tamper

        article = article_with("approved", headline="Signed text")
        revision = article.approval.revision
        tamper(revision, {**revision.content, "headline": "Altered behind the app's back"})
        assert client.get(article.get_absolute_url()).status_code == 200
        assert Listing.objects.get(article=article).status == "under_review"
        assert headlines(list_page(client, status="approved")) == []

    def test_verify_revisions_takes_a_tampered_approval_out_of_the_approved_list(self):
        from django.core.management.base import CommandError

        from tests.tampering import tamper

        article = article_with("approved")
        untouched = article_with("approved")
        revision = article.approval.revision
        tamper(revision, {**revision.content, "headline": "Altered"})
        with pytest.raises(CommandError):
            call_command("verify_revisions", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert Listing.objects.get(article=article).status == "under_review"
        assert Listing.objects.get(article=untouched).is_approved

    def test_rebuild_matches_what_saves_wrote(self):
        for status in ("draft", "submitted", "under_review", "approved"):
            article_with(status)
        columns = ("pk", "status", "body", "search", "rank_vector")
        written = list(Listing.objects.order_by("pk").values_list(*columns))
        facets = set(ListingFacet.objects.values_list("listing_id", "facet"))
        Listing.objects.all().delete()
        call_command("rebuild_catalogue", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert list(Listing.objects.order_by("pk").values_list(*columns)) == written
        assert set(ListingFacet.objects.values_list("listing_id", "facet")) == facets
        assert len(written) == 3


class TestSearch:
    def test_every_word_must_be_found_and_headline_outranks_body(self, client):
        in_body = article_with(
            headline="Back pain at work", body="Ask about sciatica and numbness."
        )
        in_headline = article_with(headline="Sciatica: imaging or not", body="Usually not.")
        article_with(headline="Knee pain", body="Nothing relevant here.")
        assert headlines(list_page(client, q="sciatica")) == [
            in_headline.headline,
            in_body.headline,
        ]

    def test_bottom_line_outranks_sections(self, client):
        in_section = article_with(headline="A", body="Consider tamsulosin for stones.")
        in_bottom = article_with(headline="B", bottom_line="Offer tamsulosin for distal stones.")
        assert headlines(list_page(client, q="tamsulosin")) == [
            in_bottom.headline,
            in_section.headline,
        ]

    def test_several_words_narrow_the_results(self, client):
        both = article_with(body="Hydration and potassium citrate.")
        article_with(body="Hydration only.")
        assert headlines(list_page(client, q="hydration citrate")) == [both.headline]

    def test_matches_are_marked_and_everything_else_escaped(self, client):
        article_with(headline="<b>Bold</b> rosacea care", body="Topical ivermectin for rosacea.")
        html = list_page(client, q="rosacea").content.decode()
        assert "&lt;b&gt;Bold&lt;/b&gt; <mark>rosacea</mark> care" in html
        assert re.search(r"ivermectin for <mark>rosacea</mark>", html)
        assert "<b>Bold</b>" not in html

    def test_a_search_counts_its_matches_up_to_a_limit(self, client, monkeypatch):
        from articles.views import ArticleListView, SearchPaginator

        monkeypatch.setattr(SearchPaginator, "MAX_RESULTS", 3)
        monkeypatch.setattr(ArticleListView, "paginate_by", 2)
        for _ in range(5):
            article_with(body="Vitamin D in winter.")
        response = list_page(client, q="vitamin")
        html = response.content.decode()
        assert "More than 3 articles, page 1 of 2" in html
        assert "Showing the 3 best matches" in html
        assert len(headlines(list_page(client, q="vitamin", page=2))) == 1
        assert client.get(reverse("articles:list"), {"q": "vitamin", "page": 3}).status_code == 404
        # Without words, the list counts everything.
        assert "5 articles" in list_page(client).content.decode()

    @pytest.mark.parametrize("words", ["🙂", "-", '""', "a"])
    def test_words_with_nothing_to_search_find_nothing(self, client, words):
        article_with(body="Sunscreen daily.")
        assert headlines(list_page(client, q=words)) == []
        assert catalogue.suggestions(words) == []

    def test_nothing_found_says_so(self, client):
        article_with()
        response = list_page(client, q="xylophonist")
        assert headlines(response) == []
        assert "No articles found" in response.content.decode()

    @pytest.mark.skipif(not ON_POSTGRESQL, reason="English stemming is PostgreSQL's")
    def test_postgresql_stems_english_words(self, client):
        article = article_with(body="Migraines treated in pregnancy.")
        assert headlines(list_page(client, q="treating migraine")) == [article.headline]
        html = list_page(client, q="treating migraine").content.decode()
        assert "<mark>Migraines</mark> <mark>treated</mark>" in html

    @pytest.mark.skipif(not ON_POSTGRESQL, reason="websearch syntax is PostgreSQL's")
    def test_postgresql_understands_phrases_and_exclusions(self, client):
        phrase = article_with(body="Check blood pressure at home.")
        article_with(body="Pressure on the blood bank.")
        assert headlines(list_page(client, q='"blood pressure"')) == [phrase.headline]
        assert headlines(list_page(client, q="blood -home")) != [phrase.headline]

    def test_suggestions_are_approved_articles_only(self):
        approved = article_with("approved", body="Iron deficiency in runners.")
        article_with("submitted", body="Iron deficiency in swimmers.")
        found = catalogue.suggestions("Is iron deficiency common in athletes?")
        assert [item.article_id for item in found] == [approved.pk]
        assert catalogue.suggestions("Iron deficiency", exclude=approved) == []


class TestBroadSearch:
    """A search matching more than FULLY_RANKED_MATCHES articles is ranked by headline and
    question, then bottom line, then newest (PostgreSQL's `rank_vector`; SQLite ranks every
    search that way already)."""

    @pytest.fixture
    def copper(self):
        made = {
            "pending": article_with("submitted", headline="Copper for pending readers"),
            "body, many times": article_with(
                headline="Trace elements", body="Copper, copper in food, and more copper."
            ),
            "headline": article_with(headline="Copper: how much a day"),
            "bottom line": article_with(headline="Minerals", bottom_line="Copper is enough."),
            "body, once": article_with(headline="Diet basics", body="Some copper."),
        }
        return {name: article.headline for name, article in made.items()}

    def test_headline_then_bottom_line_then_newest(self, client, copper, monkeypatch):
        monkeypatch.setattr(querysets, "FULLY_RANKED_MATCHES", 2)
        expected = ["headline", "bottom line", "body, once", "body, many times", "pending"]
        assert headlines(list_page(client, q="copper")) == [copper[name] for name in expected]

    @pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite ranks every search one way")
    def test_up_to_the_limit_every_word_counts(self, client, copper, monkeypatch):
        exact = ["headline", "bottom line", "body, many times", "body, once", "pending"]
        assert headlines(list_page(client, q="copper")) == [copper[name] for name in exact]
        # The limit counts the matches left by the filters: 4 approved ones are not more.
        monkeypatch.setattr(querysets, "FULLY_RANKED_MATCHES", 4)
        approved = headlines(list_page(client, q="copper", status="approved"))
        assert approved == [copper[name] for name in exact[:4]]
        assert headlines(list_page(client, q="copper"))[2] == copper["body, once"]

    def test_a_newly_approved_headline_ranks_at_once(self, client, monkeypatch):
        monkeypatch.setattr(querysets, "FULLY_RANKED_MATCHES", 1)
        renamed = article_with(headline="Trace elements", body="Zinc in food.")
        newer = article_with(headline="Minerals", body="Zinc again.")
        assert headlines(list_page(client, q="zinc")) == ["Minerals", "Trace elements"]
        renamed.headline = "Zinc: how much a day"
        renamed.save()
        services.record_edit(renamed, by=user_with_role(roles.EDITORS))
        assert headlines(list_page(client, q="zinc")) == ["Minerals", "Trace elements"]
        workflow_to(renamed, "approved")
        assert headlines(list_page(client, q="zinc")) == ["Zinc: how much a day", newer.headline]
        if ON_POSTGRESQL:
            zinc = querysets.search_query("zinc")
            assert Listing.objects.filter(article=renamed, rank_vector=zinc).exists()


class TestFiltersAndSorting:
    def test_topic_status_reference_type_reader_version_and_date(self, client):
        cardiology = TopicFactory(slug="cardiology")
        ReferenceFactory(key="esc-2024", kind=Reference.Kind.GUIDELINE)
        with_guideline = ArticleFactory(topic=cardiology, bottom_line="Per [@esc-2024].")
        section = SectionFactory(article=with_guideline)
        Variant.objects.create(
            article=with_guideline,
            section=section,
            reader_type=ReaderType.objects.get(slug="student"),
            text="For students.",
        )
        with_guideline = workflow_to(with_guideline, "approved")
        pending = article_with("submitted", topic=cardiology)
        other = article_with("approved")
        assert set(headlines(list_page(client, topic="cardiology"))) == {
            with_guideline.headline,
            pending.headline,
        }
        assert headlines(list_page(client, topic="cardiology", status="approved")) == [
            with_guideline.headline
        ]
        assert headlines(list_page(client, status="pending")) == [pending.headline]
        assert headlines(list_page(client, cites="guideline")) == [with_guideline.headline]
        assert headlines(list_page(client, reader="student")) == [with_guideline.headline]
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        assert headlines(list_page(client, since=tomorrow.isoformat())) == []
        assert len(headlines(list_page(client, since="2000-01-01"))) == 3
        assert other.headline in headlines(list_page(client))

    def test_a_wrong_filter_is_explained_and_the_rest_still_applies(self, client):
        article_with(body="Sunscreen daily.")
        response = list_page(client, q="sunscreen", since="31/02/2026", topic="no-such-topic")
        html = response.content.decode()
        assert "Some filters were not applied" in html
        assert 'href="#id_since"' in html
        assert 'href="#id_topic"' in html
        assert len(headlines(response)) == 1
        assert 'value="sunscreen"' in html  # what the reader typed is kept

    def test_approved_first_then_newest_or_recently_reviewed(self, client):
        first = article_with("approved", headline="First approved")
        pending = article_with("submitted", headline="Pending")
        second = article_with("approved", headline="Second approved")
        assert headlines(list_page(client)) == [second.headline, first.headline, pending.headline]
        reviewer = board_member(specialties=["General medicine"])  # the topics'
        edit_and_record(first, headline="First, revised")
        services.submit(first, by=user_with_role(roles.EDITORS))
        services.start_review(first, by=reviewer)
        services.approve(first, by=reviewer, comment="Re-reviewed.")
        assert headlines(list_page(client, sort="reviewed")) == [
            "First, revised",
            second.headline,
            pending.headline,
        ]

    def test_relevance_without_words_falls_back_to_newest(self, client):
        old = article_with(headline="Older")
        new = article_with(headline="Newer")
        assert headlines(list_page(client, sort="relevance")) == [new.headline, old.headline]

    def test_pages_keep_the_filters_in_their_links(self, client):
        topic = TopicFactory(slug="dermatology")
        for _ in range(21):
            article_with(topic=topic)
        html = list_page(client, topic="dermatology").content.decode()
        assert 'href="?topic=dermatology&amp;page=2"' in html
        second = list_page(client, topic="dermatology", page=2)
        assert len(headlines(second)) == 1
        assert client.get(reverse("articles:list"), {"page": 9}).status_code == 404


class TestPages:
    def test_home_is_bounded_and_sets_pending_apart(self, client):
        for _ in range(8):
            article_with("approved")
        for _ in range(4):
            article_with("submitted")
        response = client.get(reverse("articles:home"))
        assert len(response.context["latest"]) == 6
        assert all(item.is_approved for item in response.context["latest"])
        assert len(response.context["pending"]) == 3
        html = response.content.decode()
        assert html.index("Latest approved articles") < html.index("New, pending review")

    def test_home_lists_topics_with_public_articles_only(self, client):
        shown = article_with("approved").topic
        hidden = article_with("draft").topic
        topics = list(client.get(reverse("articles:home")).context["topics"])
        assert [(t.pk, t.public_count) for t in topics] == [(shown.pk, 1)]
        assert hidden not in topics

    def test_topic_page_lists_approved_first_then_pending_apart(self, client):
        topic = TopicFactory(slug="nephrology", name="Nephrology")
        pending = article_with("submitted", topic=topic)
        approved = article_with("approved", topic=topic)
        article_with("approved")  # another topic
        response = client.get(reverse("articles:topic", args=["nephrology"]))
        assert headlines(response) == [approved.headline, pending.headline]
        html = response.content.decode()
        assert (
            html.index("Approved articles")
            < html.index("Pending review")
            < html.index(pending.headline)
        )
        assert client.get(reverse("articles:topic", args=["nowhere"])).status_code == 404

    @pytest.mark.parametrize(
        "url",
        [
            reverse("articles:home"),
            reverse("articles:list"),
            reverse("articles:list") + "?q=plain&sort=newest",
            reverse("articles:list") + "?cites=research&reader=patient&status=approved",
        ],
    )
    def test_queries_do_not_grow_with_the_catalogue(self, client, url):
        topic = TopicFactory(slug="same")
        article_with(topic=topic)
        article_with("submitted", topic=topic)
        with_few = _count_queries(client, url)
        for i in range(12):
            article_with(
                "approved" if i % 3 else "submitted",
                topic=topic if i % 2 else TopicFactory(),
            )
        assert _count_queries(client, url) == with_few

    def test_topic_page_queries_do_not_grow(self, client):
        topic = TopicFactory(slug="same")
        article_with(topic=topic)
        url = reverse("articles:topic", args=["same"])
        with_few = _count_queries(client, url)
        for _ in range(8):
            article_with(topic=topic)
        assert _count_queries(client, url) == with_few


def _count_queries(client, url) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
