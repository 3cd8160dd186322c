"""The catalogue's pages at scale: a deep page finds its rows by id, a search is ranked once
and its ids remembered for the catalogue's generation. Readers must see exactly what a plain
sorted query gives, page after page, and a change to the catalogue at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import catalogue
from articles.models import Listing
from articles.views import ArticleListView, SearchPaginator, TopicView
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    TopicFactory,
    board_member,
    user_with_role,
    workflow_to,
)

pytestmark = pytest.mark.django_db

PER_PAGE = 3


def article_with(status, *, body="Plain details.", **fields):
    article = ArticleFactory(**fields)
    SectionFactory(article=article, body=body)
    return workflow_to(article, status)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(ArticleListView, "paginate_by", PER_PAGE)
    monkeypatch.setattr(TopicView, "paginate_by", PER_PAGE)


@pytest.fixture
def mixed(small_pages):
    """Approved and pending articles interleaved in time, in two topics, all mentioning
    "zinc" (some in the headline, so relevance differs from age)."""
    topic = TopicFactory(slug="mixed")
    made = []
    for i in range(8):
        made.append(
            article_with(
                "approved" if i % 3 != 1 else "submitted",
                topic=topic if i % 2 else TopicFactory(),
                headline=f"Zinc question {i}" if i % 4 == 0 else f"Question {i}",
                body="Zinc and copper." if i % 2 else "Zinc, zinc and more zinc.",
            )
        )
    # One approved again later, so "recently reviewed" differs from "newest".
    reviewer = board_member(specialties=["General medicine"])  # the topics'
    again = made[0]
    again.headline = "Zinc question 0, revised"
    again.save()
    services.record_edit(again, by=user_with_role(roles.EDITORS))
    services.submit(again, by=user_with_role(roles.EDITORS))
    services.start_review(again, by=reviewer)
    services.approve(again, by=reviewer, comment="Re-checked.")
    return topic


def every_page(client, url, **params) -> list[int]:
    """The article ids of every page of a list, in order, following its page numbers."""
    first = client.get(url, params)
    assert first.status_code == 200
    pages = first.context["paginator"].num_pages
    found = []
    for number in range(1, pages + 1):
        response = client.get(url, {**params, "page": number})
        assert response.status_code == 200
        found += [item.pk for item in response.context["listings"]]
    last = client.get(url, {**params, "page": "last"})
    assert [item.pk for item in last.context["listings"]] == found[-len(last.context["listings"]) :]
    return found


class TestDeepPages:
    @pytest.mark.parametrize("sort", ["newest", "reviewed"])
    def test_pages_hold_the_sorted_list_exactly_once(self, client, mixed, sort):
        expected = list(Listing.objects.sorted(sort).values_list("pk", flat=True))
        assert len(expected) == 8
        pages = every_page(client, reverse("articles:list"), sort=sort)
        assert pages == expected
        # Approved first: no pending article before an approved one.
        pending = [Listing.objects.get(pk=pk).pending for pk in pages]
        assert pending == sorted(pending)

    def test_filtered_and_topic_pages_too(self, client, mixed):
        approved = list(Listing.objects.approved().sorted("newest").values_list("pk", flat=True))
        assert every_page(client, reverse("articles:list"), status="approved") == approved
        in_topic = Listing.objects.filter(topic=mixed).sorted("newest")
        expected = list(in_topic.values_list("pk", flat=True))
        assert every_page(client, reverse("articles:topic", args=["mixed"])) == expected

    def test_pending_column_follows_the_state(self):
        article = article_with("submitted")
        assert Listing.objects.get(article=article).pending is True
        reviewer = board_member(specialties=["General medicine"])  # the topics'
        services.start_review(article, by=reviewer)
        services.approve(article, by=reviewer, comment="Fine.")
        assert Listing.objects.get(article=article).pending is False
        assert list(Listing.objects.approved()) == [Listing.objects.get(article=article)]
        assert list(Listing.objects.pending()) == []


class TestRankedSearch:
    @pytest.mark.parametrize("sort", ["relevance", "newest", "reviewed"])
    def test_pages_hold_the_ranked_search_exactly_once(self, client, mixed, sort):
        searched = Listing.objects.search("zinc").sorted(sort)
        expected = list(searched.values_list("pk", flat=True))
        assert len(expected) == 8
        assert every_page(client, reverse("articles:list"), q="zinc", sort=sort) == expected

    def test_a_later_page_does_not_rank_again(self, client, mixed):
        url = reverse("articles:list")
        with CaptureQueriesContext(connection) as first:
            client.get(url, {"q": "zinc"})
        with CaptureQueriesContext(connection) as second:
            client.get(url, {"q": "zinc", "page": 2})
        # Ranking is one query, after a SET on PostgreSQL (`catalogue.ranked`).
        ranking = 2 if connection.vendor == "postgresql" else 1
        assert len(second) == len(first) - ranking
        # Another filter is another ranking.
        with CaptureQueriesContext(connection) as filtered:
            client.get(url, {"q": "zinc", "status": "approved"})
        assert len(filtered) == len(first)

    def test_a_change_to_the_catalogue_shows_at_once(self, client, small_pages):
        first = article_with("approved", body="Selenium intake.")
        url = reverse("articles:list")
        assert [i.pk for i in client.get(url, {"q": "selenium"}).context["listings"]] == [first.pk]
        generation = catalogue.generation()
        second = article_with("approved", headline="Selenium: how much?", body="Selenium.")
        assert catalogue.generation() != generation
        found = [i.pk for i in client.get(url, {"q": "selenium"}).context["listings"]]
        assert found == [second.pk, first.pk]
        # Unpublished: gone from the remembered ranking too.
        services.unpublish(second, by=user_with_role(roles.CHIEF_EDITORS), comment="Outdated.")
        found = [i.pk for i in client.get(url, {"q": "selenium"}).context["listings"]]
        assert found == [first.pk]

    def test_an_edit_of_the_working_copy_keeps_the_ranking(self, client, small_pages):
        article = article_with("approved", body="Iodine.")
        generation = catalogue.generation()
        article.bottom_line = "A draft change readers do not see yet."
        article.save()
        assert catalogue.generation() == generation

    def test_the_cap_counts_the_remembered_ids(self, client, small_pages, monkeypatch):
        monkeypatch.setattr(SearchPaginator, "MAX_RESULTS", 4)
        for _ in range(6):
            article_with("approved", body="Magnesium.")
        response = client.get(reverse("articles:list"), {"q": "magnesium", "page": 2})
        assert response.context["paginator"].capped
        assert len(response.context["listings"]) == 1  # 4 shown in all, 3 a page


class TestPhraseSearch:
    """A quoted phrase is ranked over its words' matches and tested in that order
    (`catalogue._first_matching`): the pages hold exactly the articles with the phrase."""

    @pytest.fixture
    def phrases(self, mixed):
        made = [
            article_with("approved", headline=f"Kidney function {i}", body="Kidney function.")
            for i in range(3)
        ]
        made += [
            article_with("approved", headline=f"Function of the kidney {i}", body="Plain.")
            for i in range(3)
        ]
        made.append(article_with("submitted", body="Tests of kidney function, pending."))
        return made

    @pytest.mark.parametrize(
        "terms", ['"kidney function"', '"kidney function" tests', 'zinc "copper"']
    )
    def test_pages_hold_exactly_the_phrase_matches(self, client, phrases, terms, monkeypatch):
        # Small batches and a low "broad" threshold, so every branch runs on a few articles.
        monkeypatch.setattr(catalogue, "PHRASE_CHECKS", 2)
        monkeypatch.setattr("articles.querysets.FULLY_RANKED_MATCHES", 2)
        matches = set(Listing.objects.search(terms).values_list("pk", flat=True))
        assert matches
        found = every_page(client, reverse("articles:list"), q=terms)
        assert sorted(found) == sorted(matches)
        pending = [Listing.objects.get(pk=pk).pending for pk in found]
        assert pending == sorted(pending)  # approved first, as always

    def test_ranked_in_the_order_of_the_words_matches(self, phrases, monkeypatch):
        monkeypatch.setattr(catalogue, "PHRASE_CHECKS", 1)
        from articles.filters import ArticleFilter

        search = ArticleFilter({"q": '"kidney function"'}, queryset=Listing.objects.all())
        candidates = search.candidates
        assert candidates is not None
        ids = catalogue.ranked(search.qs, 10, candidates)
        words_order = list(candidates.values_list("pk", flat=True))
        exact = set(search.qs.values_list("pk", flat=True))
        if connection.vendor == "postgresql":
            assert ids == [pk for pk in words_order if pk in exact]
        else:  # SQLite matches words, quotes or not: the search's own order
            assert ids == list(search.qs.values_list("pk", flat=True))

    def test_a_limit_stops_the_testing(self, phrases, monkeypatch):
        monkeypatch.setattr(catalogue, "PHRASE_CHECKS", 1)
        from articles.filters import ArticleFilter

        search = ArticleFilter({"q": '"kidney function"'}, queryset=Listing.objects.all())
        with CaptureQueriesContext(connection) as all_of_them:
            every = catalogue._first_matching(search.qs, search.candidates, 100)
        with CaptureQueriesContext(connection) as two:
            first_two = catalogue._first_matching(search.qs, search.candidates, 2)
        assert first_two == every[:2]
        assert len(two) < len(all_of_them)


@pytest.mark.parametrize(
    ("terms", "loosened"),
    [
        ('"kidney function"', "kidney function"),
        ('"kidney function" -dialysis', "kidney function -dialysis"),
        ('kid"ney function"', "kid ney function"),
        ("kidney function", None),  # nothing quoted
        ('dialysis -"kidney function"', None),  # a negated phrase: loosening loses matches
        ('dialysis - "kidney function"', None),
        ('"kidney function" or dialysis', None),
        ('"kidney function" OR dialysis', None),
    ],
)
def test_without_phrases(terms, loosened):
    from articles.querysets import without_phrases

    assert without_phrases(terms) == loosened
