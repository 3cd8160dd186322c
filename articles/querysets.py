import re

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def public(self, *, show_unapproved: bool):
        """Articles readers may see: those with an approval, and, when the site setting
        `show_unapproved` allows it, never-approved ones that are submitted or under review."""
        visible = models.Q(approval__isnull=False)
        if show_unapproved:
            visible |= models.Q(status__in=self.model.Status.in_review())
        return self.filter(visible)

    def visible_to(self, user, *, show_unapproved: bool):
        """Staff who may view articles also see drafts (as a preview); readers see public."""
        if user.has_perm("articles.view_article"):
            return self.all()
        return self.public(show_unapproved=show_unapproved)

    def with_public_revision(self):
        """Everything needed to show the public revision, its reviewer and topic in one query."""
        return self.select_related(
            "question",
            "topic",
            "submitted_revision",
            "approval__revision",
            "approval__actor__reviewer_profile",
        )

    def awaiting_review(self):
        return self.filter(status__in=self.model.Status.in_review())

    def overdue(self, today=None):
        return self.filter(
            approval__isnull=False, next_review_due__lt=today or timezone.localdate()
        )

    def reference_updated_since_approval(self):
        """Approved articles whose approved revision shows a reference the library has changed
        since: readers still see the frozen copy; editors should take it through review."""
        # Citation is defined after the models this module serves: fetched from the registry.
        Citation = apps.get_model("articles", "Citation")
        outdated = Citation.objects.filter(revision=models.OuterRef("approval__revision")).exclude(
            displayed_hash=models.F("reference__displayed_hash")
        )
        return self.filter(approval__isnull=False).filter(models.Exists(outdated))


class TopicQuerySet(models.QuerySet):
    def with_public_count(self, listings) -> list:
        """Topics with at least one of `listings` (the catalogue readers may see), each with
        `public_count`: one grouped count over the catalogue's topic index, then the topics."""
        counts = dict(listings.order_by().values_list("topic").annotate(n=models.Count("pk")))
        topics = list(self.filter(pk__in=counts))
        for topic in topics:
            topic.public_count = counts[topic.pk]
        return topics


class QuestionQuerySet(models.QuerySet):
    def awaiting_triage(self):
        return self.filter(status=self.model.Status.NEW)


class ReviewEventQuerySet(models.QuerySet):
    def submissions_of(self, revision):
        """The submissions of `revision` (a revision or its id), newest first: each carries
        the editor's summary for readers it was submitted with."""
        return self.filter(revision=revision, action=self.model.Action.SUBMITTED).order_by(
            "-created_at", "-pk"
        )

    def approvals_of(self, article):
        """Every approval of `article`, newest first, with the approved revision and the
        reviewer's public profile in the same query: readers' review history. Each is
        annotated with `submitted_summary`, the summary for readers of the latest submission
        of its revision before it (a revision sent back and submitted again unchanged comes
        with a new one). Approvals only: never pending work, comments or other staff steps."""
        before = models.Q(created_at__lt=models.OuterRef("created_at")) | models.Q(
            created_at=models.OuterRef("created_at"), pk__lt=models.OuterRef("pk")
        )
        submitted = (
            self.model.objects.submissions_of(models.OuterRef("revision"))
            .filter(before)
            .values("change_summary")[:1]
        )
        return (
            self.filter(article=article, action=self.model.Action.APPROVED)
            .select_related("revision", "actor", "actor__reviewer_profile")
            .annotate(submitted_summary=models.Subquery(submitted))
            .order_by("-created_at", "-pk")
        )


MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
SEARCH_CONFIG = "english"
# The weight of a word found in each column, PostgreSQL's A > B > C in spirit (SQLite only).
_WEIGHTS = {"headline": 4, "question": 4, "bottom_line": 2, "body": 1}


def search_query(terms: str) -> SearchQuery:
    return SearchQuery(terms, search_type="websearch", config=SEARCH_CONFIG)


def query_words(terms: str) -> list[str]:
    """The words of a query as SQLite's fallback matches them: letters and digits, two or
    more, at most a handful, each once."""
    words = [w for w in re.findall(r"\w+", terms.lower()) if len(w) > 1]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


class ListingQuerySet(models.QuerySet):
    """Reads of the public catalogue (`Listing`): what readers may see, filtered and searched.
    Full-text search is PostgreSQL's (weighted, English stemming, GIN-indexed); SQLite, the
    embedded default, matches every word of the query in the text columns instead."""

    def public(self, *, show_unapproved: bool):
        if show_unapproved:
            return self.all()
        return self.approved()

    # Both written on the expression the approved-first indexes start with, so a list of
    # either reads its first page straight from the index.
    def approved(self):
        return self.alias(approved_first=self.model.APPROVED_FIRST).filter(approved_first=0)

    def pending(self):
        return self.alias(approved_first=self.model.APPROVED_FIRST).filter(approved_first=1)

    def sorted(self, order: str = "newest"):
        """Approved articles first, pending ones after, then by `order`: "newest",
        "reviewed" (most recently approved) or "relevance" (after `search`). The first two
        are read from indexes written the same way (models/catalogue.py)."""
        then = {
            "newest": [models.F("published_at").desc()],
            "reviewed": [models.F("reviewed_at").desc()],
            "relevance": [models.F("rank").desc(), models.F("published_at").desc()],
        }[order]
        return self.order_by(self.model.APPROVED_FIRST, *then, "-pk")

    def with_facet(self, facet: str):
        Facet = apps.get_model("articles", "ListingFacet")
        return self.filter(
            models.Exists(Facet.objects.filter(listing=models.OuterRef("pk"), facet=facet))
        )

    def search(self, terms: str):
        """Listings matching a reader's words, annotated with `rank` (higher is better).
        PostgreSQL: `websearch` syntax (quotes for phrases, `-word` to exclude, `or`), English
        stemming, headline and question weighted above the bottom line above the sections.
        SQLite: every word must appear somewhere, ranked by where it appears."""
        terms = " ".join(terms.split())[:MAX_QUERY_LENGTH]
        if connections[self.db].vendor == "postgresql":
            query = search_query(terms)
            return self.filter(search=query).annotate(rank=SearchRank(models.F("search"), query))
        words = query_words(terms)
        if not words:
            return self.annotate(rank=models.Value(0)).none()
        matched = self
        rank = models.Value(0)
        for word in words:
            matched = matched.filter(
                models.Q(headline__icontains=word)
                | models.Q(question__icontains=word)
                | models.Q(bottom_line__icontains=word)
                | models.Q(body__icontains=word)
            )
            for column, weight in _WEIGHTS.items():
                rank = rank + models.Case(
                    models.When(**{f"{column}__icontains": word}, then=weight), default=0
                )
        return matched.annotate(rank=rank)

    def for_cards(self):
        """What a list card shows, in the same query: the topic and the reviewer's profile."""
        return self.select_related("topic", "reviewer__reviewer_profile").defer("body", "search")
