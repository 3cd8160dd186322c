"""The benchmark catalogue generator (bench/generation.py): a tiny catalogue on the test
database has valid rows — intact revisions, citations that match them, a listing for exactly
each public article, pages that render and search that finds — and a story written in bulk
leaves exactly the rows the review services leave for the same story."""

import dataclasses
import re
from collections import Counter

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import override_settings

from articles.models import Article, Listing, ReviewEvent, Revision, SiteSettings
from articles.revisions import Citation, is_intact
from bench import generation
from references.models import digest

OPTIONS = generation.Options(
    articles=30, through_services=6, references=60, batch_size=10, check_every=1
)


class GeneratedCatalogueTests(TestCase):
    """One tiny catalogue, generated once for the class; each test reads it."""

    @classmethod
    def setUpTestData(cls):
        with override_settings(EMAIL_BACKEND=generation.NO_MAIL):
            cls.report = generation.generate(OPTIONS)

    def test_every_article_is_written_with_its_history(self):
        assert Article.objects.count() == OPTIONS.articles
        assert sum(self.report.stories.values()) == OPTIONS.articles
        # Every bulk article's latest revision was compared with `snapshot` of its rows.
        assert self.report.checked == OPTIONS.articles - OPTIONS.through_services
        for article in Article.objects.all():
            assert article.history.filter(history_type="+").count() == 1
            assert article.revisions.exists()
            assert article.question.history.exists()
            assert all(section.history.exists() for section in article.sections.all())

    def test_refuses_a_database_that_is_not_empty(self):
        with pytest.raises(generation.GenerationError, match="already holds articles, topics"):
            generation.generate(OPTIONS)
        assert Article.objects.count() == OPTIONS.articles

    def test_revisions_are_intact_and_their_citations_match(self):
        revisions = list(Revision.objects.all())
        assert len(revisions) > OPTIONS.articles
        assert all(is_intact(revision) for revision in revisions)
        cited = Counter()
        for citation in Citation.objects.select_related("reference", "revision"):
            frozen = citation.revision.content["references"][citation.reference.key]
            assert citation.displayed_hash == digest(frozen) == citation.reference.displayed_hash
            cited[citation.revision_id] += 1
        for revision in revisions:
            assert cited[revision.pk] == len(revision.content.get("references", {})) > 0
            assert len(revision.content["sections"]) >= 4

    def test_listings_are_exactly_the_public_articles(self):
        public = Article.objects.public(show_unapproved=True)
        assert self.report.listings == public.count() > 0
        listed = set(Listing.objects.values_list("article", flat=True))
        assert listed == set(public.values_list("pk", flat=True))
        assert Article.objects.exclude(pk__in=listed).exists(), "drafts are never listed"
        for listing in Listing.objects.select_related("article"):
            assert listing.revision_id == listing.article.public_revision.pk

    def test_pages_render_and_search_finds_an_article_by_its_headline(self):
        SiteSettings.objects.update(show_unapproved_articles=True)
        client = Client()
        listings = list(Listing.objects.select_related("article", "topic"))
        paths = ["/", "/articles/", f"/topics/{listings[0].topic.slug}/"]
        for path in paths + [listing.get_absolute_url() for listing in listings]:
            assert client.get(path).status_code == 200, path
        approved = [listing for listing in listings if listing.is_approved][:5]
        assert len(approved) == 5
        for listing in approved:
            word = max(re.findall(r"[a-z]{5,}", listing.headline.lower()), key=len)
            page = client.get("/articles/", {"q": word})
            assert page.status_code == 200
            assert listing.get_absolute_url() in page.content.decode(), word


@pytest.mark.django_db
def test_the_same_seed_tells_the_same_stories():
    context = generation.prepare(generation.Options(articles=100, references=60))
    assert context.story(7) == context.story(7)
    other = dataclasses.replace(context, seed=2, vocabulary=generation.Vocabulary(2))
    assert other.story(7).sections != context.story(7).sections


# -- the bulk rows are the services' rows ------------------------------------------------------


def _shape(article: Article) -> dict:
    """Everything the rows of `article` say, without ids or dates: one story played by the
    services and in bulk must give equal shapes."""
    HistoricalArticle = Article.history.model
    Authors = apps.get_model("articles", "HistoricalArticle_authors")
    revisions = {r.pk: r.number for r in article.revisions.all()}
    events = list(ReviewEvent.objects.filter(article=article).order_by("pk"))
    event_number = {e.pk: n for n, e in enumerate(events)}

    def state(row) -> tuple:
        return (
            row.status,
            row.version,
            row.headline,
            row.slug,
            row.bottom_line,
            row.topic_id,
            row.assigned_reviewer_id,
            revisions.get(row.submitted_revision_id),
            event_number.get(row.approval_id),
            row.next_review_due is not None,
        )

    history = HistoricalArticle.objects.filter(id=article.pk).order_by("history_id")
    sections = {s.pk: s.position for s in article.sections.all()}
    return {
        "article": state(article),
        "authors": sorted(article.authors.values_list("pk", flat=True)),
        "article history": [
            (
                h.history_type,
                h.history_user_id,
                h.history_change_reason,
                state(h),
                sorted(Authors.objects.filter(history=h).values_list("user_id", flat=True)),
            )
            for h in history
        ],
        "question history": [
            (h.history_type, h.history_user_id, h.history_change_reason, h.text, h.status)
            for h in article.question.history.order_by("history_id")
        ],
        "sections": [
            (s.position, s.heading, s.kind, s.body) for s in article.sections.order_by("position")
        ],
        "section history": [
            (h.history_type, h.history_user_id, h.history_change_reason, h.position, h.body)
            for h in Article.sections.rel.related_model.history.filter(
                article_id=article.pk
            ).order_by("history_id")
        ],
        "variants": sorted(
            (sections.get(v.section_id, 0), v.reader_type_id, v.heading, v.text)
            for v in article.variants.all()
        ),
        "variant history": sorted(
            (h.history_type, h.history_user_id, sections.get(h.section_id, 0), h.text)
            for h in Article.variants.rel.related_model.history.filter(article_id=article.pk)
        ),
        "revisions": [
            (r.number, r.content, r.content_hash, r.created_by_id)
            for r in article.revisions.order_by("number")
        ],
        "citations": sorted(
            (revisions[c.revision_id], c.reference_id, c.displayed_hash)
            for c in Citation.objects.filter(revision__article=article)
        ),
        "events": [
            (
                e.action,
                e.actor_id,
                e.assignee_id,
                revisions.get(e.revision_id),
                e.comment,
                e.section_position,
                e.change_summary,
                e.outside_specialty,
            )
            for e in events
        ],
        "event history": [
            (h.history_type, h.history_user_id, h.action, h.comment, h.outside_specialty)
            for h in ReviewEvent.history.filter(article_id=article.pk).order_by("history_id")
        ],
    }


# Tables the bulk player leaves alone: mail the services queue, the catalogue (rebuilt after
# the bulk rows), and the page cache's stamps and published pages (rendered on demand).
NOT_WRITTEN_IN_BULK = {
    "outbox.message",
    "articles.listing",
    "articles.listingfacet",
    "articles.stamp",
    "articles.publishedpage",
}


def _counts() -> Counter:
    """Rows in every table (but those above), in one query."""
    tables = {
        model._meta.label_lower: model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in NOT_WRITTEN_IN_BULK
    }
    quote = connection.ops.quote_name
    # Table names from the models only.
    counts = [f"SELECT %s, COUNT(*) FROM {quote(name)}" for name in tables.values()]  # noqa: S608
    sql = " UNION ALL ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(tables))
        return Counter(dict(cursor.fetchall()))


class Rollback(Exception):
    pass


def _played(play) -> tuple[dict, Counter]:
    """The shape and the new rows of each table after `play()`, then undone."""
    before = _counts()
    result = {}
    try:
        with transaction.atomic():
            article = play()
            result["shape"] = _shape(article)
            result["rows"] = _counts() - before
            raise Rollback
    except Rollback:
        pass
    return result["shape"], result["rows"]


@pytest.mark.django_db
def test_a_story_in_bulk_writes_the_rows_the_services_write():
    with override_settings(EMAIL_BACKEND=generation.NO_MAIL):
        context = generation.prepare(generation.Options(articles=200, references=60))
        service = generation.ServicePlayer(context.reader_types)
        wanted, covered = set(generation.STORIES), set()
        actions = {"assign", "comment"}
        stories = []
        for index in range(2000):
            story = context.story(index)
            new_actions = {step.action for step in story.steps} & actions
            if story.name not in covered or new_actions:
                stories.append(story)
                covered.add(story.name)
                actions -= new_actions
            if covered == wanted and not actions:
                break
        assert covered == wanted, "every story is compared"
        assert not actions, "every kind of step is compared"
        for story in stories:
            by_services = _played(lambda story=story: service.play(story))

            def in_bulk(story=story):
                batch = generation.Batch()
                generation.BulkPlayer(generation.Ids(), context.library, context.reader_types).play(
                    story, batch
                )
                batch.write()
                connection.check_constraints()
                return Article.objects.get(slug=story.slug)

            bulk = _played(in_bulk)
            assert bulk[0] == by_services[0], story.name
            assert bulk[1] == by_services[1], f"{story.name}: rows per table"
