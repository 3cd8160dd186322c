import re

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, models
from django.db.models.functions import Cast
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal

# How many matches a probe of one column looks for before calling a word common (see
# `ArticleQuerySet.containing`).
PROBE_LIMIT = 1000
# The same for the articles whose headline the review log search looks for: a list of ids
# is what lets PostgreSQL read their steps from an index, so it is worth a longer one.
LOG_PROBE_LIMIT = 10_000


def search_words(terms: str) -> list[str]:
    """The admin's words: split on spaces, a quoted phrase kept whole (as Django's admin
    search splits them)."""
    words = []
    for bit in smart_split(terms):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        if bit:
            words.append(bit)
    return words


class ArticleQuerySet(models.QuerySet):
    def public(self, *, show_unapproved: bool):
        """Articles readers may see: those with an approval, and, when the site setting
        `show_unapproved` allows it, never-approved ones that are submitted or under review."""
        visible = models.Q(approval__isnull=False)
        if show_unapproved:
            visible |= models.Q(status__in=self.model.Status.in_review())
        return self.filter(visible)

    def public_by_site_settings(self):
        """`public()` with the site setting read in the same query (the settings row, or its
        default when there is none yet)."""
        site_settings = apps.get_model("articles", "SiteSettings")
        hidden = site_settings.objects.filter(pk=1, show_unapproved_articles=False)
        return self.public(show_unapproved=True).filter(
            models.Q(approval__isnull=False) | ~models.Exists(hidden)
        )

    def visible_to(self, user, *, show_unapproved: bool):
        """Staff who may view articles also see drafts (as a preview); readers see public."""
        if user.has_perm("articles.view_article"):
            return self.all()
        return self.public(show_unapproved=show_unapproved)

    def with_public_revision(self):
        """Everything needed to show the public revision, its reviewer and topic in one query."""
        return self.select_related(
            "question",
            "topic__specialty",
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
        since: readers still see the frozen copy; editors should take it through review.

        References first (one query, run now): those cited with a digest other than their
        own, each asked through the index on (reference, displayed digest) for a citation
        below or above its digest — two index probes per reference, a few thousand in all.
        Usually none has changed and the answer is empty without reading an article; else
        only the citations of the changed ones are compared, instead of every approved
        revision's."""
        # Citation is defined after the models this module serves: fetched from the registry.
        Citation = apps.get_model("articles", "Citation")
        Reference = Citation._meta.get_field("reference").related_model
        changed = list(
            Reference.objects.filter(
                self._cited_with_digest("lt") | self._cited_with_digest("gt")
            ).values_list("pk", flat=True)
        )
        if not changed:
            return self.none()
        outdated = Citation.objects.filter(
            revision=models.OuterRef("approval__revision"), reference__in=changed
        ).exclude(displayed_hash=models.F("reference__displayed_hash"))
        return self.filter(approval__isnull=False).filter(models.Exists(outdated))

    @staticmethod
    def _cited_with_digest(lookup: str) -> models.Q:
        """A reference cited with a digest `lookup` ("lt" or "gt") its own, as a one-row
        subquery: PostgreSQL runs it per reference as a probe of the (reference, digest)
        index (migration 0020); `!=` could not use the index, and an EXISTS may be turned
        into a join that reads every citation."""
        Citation = apps.get_model("articles", "Citation")
        below_or_above = Citation.objects.filter(
            reference=models.OuterRef("pk"),
            **{f"displayed_hash__{lookup}": models.OuterRef("displayed_hash")},
        )
        # The reference column: read from the index alone.
        first = below_or_above.order_by().values("reference")[:1]
        return models.Q(IsNull(models.Subquery(first), False))

    def containing(self, terms: str):
        """Articles whose working copy — headline, question, bottom line or a section — holds
        every word of `terms` (case-insensitive, part of a word too; a quoted phrase as one),
        drafts included: the editors' search, which the public catalogue can't answer.

        Each word is first looked up column by column, at most PROBE_LIMIT matches each
        (PostgreSQL reads them from trigram indexes, migration 0018): a rarer word becomes
        a list of article ids. A word more common than that is tested article by article
        instead, in the list's own order, so the first page stops at its first hundred
        matches rather than collecting the hundreds of thousands of sections that hold it."""
        matched = self
        for word in search_words(terms):
            ids = self._ids_containing(word)
            matched = matched.filter(
                models.Q(pk__in=ids) if ids is not None else self._row_contains(word)
            )
        return matched

    def _ids_containing(self, word: str) -> set | None:
        """The ids of articles containing `word`, or None if one column alone holds it
        more than PROBE_LIMIT times."""
        Section = apps.get_model("articles", "Section")
        articles = self.model._default_manager
        probes = [
            articles.filter(headline__icontains=word).values_list("pk", flat=True),
            articles.filter(bottom_line__icontains=word).values_list("pk", flat=True),
            articles.filter(question__text__icontains=word).values_list("pk", flat=True),
            Section.objects.filter(body__icontains=word).values_list("article_id", flat=True),
        ]
        found = set()
        for matches in probes:
            ids = probe(matches, PROBE_LIMIT)
            if ids is None:
                return None
            found.update(ids)
        return found

    def _row_contains(self, word: str) -> models.Q:
        """`word` in this article's own columns, its question or one of its sections, as
        one-row subqueries: PostgreSQL runs them per article, never collecting every match
        first (which an EXISTS could turn into)."""
        Section = apps.get_model("articles", "Section")
        Question = apps.get_model("articles", "Question")
        question = Question.objects.filter(pk=models.OuterRef("question_id"), text__icontains=word)
        section = Section.objects.filter(article=models.OuterRef("pk"), body__icontains=word)
        return (
            models.Q(headline__icontains=word)
            | models.Q(bottom_line__icontains=word)
            # Unordered: any one will do (the models' orderings would join and sort).
            | models.Q(IsNull(models.Subquery(question.order_by().values("pk")[:1]), False))
            | models.Q(IsNull(models.Subquery(section.order_by().values("pk")[:1]), False))
        )


class TopicQuerySet(models.QuerySet):
    def with_public_count(self, counts: dict[int, int]) -> list:
        """The topics of `counts` (articles readers may see, by topic id: one grouped count
        over the catalogue, `catalogue.counts_by_topic`), each with `public_count`."""
        topics = list(self.filter(pk__in=counts))
        for topic in topics:
            topic.public_count = counts[topic.pk]
        return topics


def probe(matches: models.QuerySet, limit: int) -> list | None:
    """The values of `matches` (a `values_list` of ids), or None if there are more than
    `limit`: a word that common is tested row by row, in the list's order, instead."""
    ids = list(matches.order_by()[: limit + 1])
    return ids if len(ids) <= limit else None


class _AnyOf(models.Func):
    """`column = ANY(array)`, true when the column's value is in the array (PostgreSQL)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = models.BooleanField()


class ProbingQuerySet(models.QuerySet):
    """The admin's searches that look a word's matches up first, through the columns'
    trigram indexes (articles migrations 0018 and 0020), as a list of ids: the list's count
    and page then read those ids from an index, where each of them would otherwise read
    every candidate row again to test the word (`probe`, `_any_of`).

    A search whose ids are the list's matches exactly says how many (`_matching`): its
    `count()` is their number while its conditions stay those ids, through the changelist's
    ordering and joins; filtered further, it counts in the database again."""

    _counted = None  # (the query's conditions, how many rows they match)

    def _matching(self, ids: list):
        """The rows of this list among `ids`, which are all in it."""
        matched = self.filter(self._any_of("pk", ids))
        matched._counted = (matched.query.where, len(ids))
        return matched

    def count(self) -> int:
        query = self.query
        if (
            self._counted is not None
            and self._counted[0] == query.where
            and not (query.is_sliced or query.distinct or query.combinator or query.group_by)
        ):
            return self._counted[1]
        return super().count()

    def _clone(self):
        clone = super()._clone()
        clone._counted = self._counted
        return clone

    def _any_of(self, field: str, ids: list) -> models.Q:
        """`field` (a foreign key or the primary key) among `ids`. On PostgreSQL as
        `= ANY(array)`, one parameter: thousands of `IN (%s, …)` parameters cost more to
        build and send, in each of the changelist's queries, than the database takes to
        answer; its plan is the same. The array goes as its text, cast: as a list, each id
        is prepared by the field and then by the driver (about 5 ms for the 3,765 articles
        whose headline holds "kidney" at 100,000)."""
        if connections[self.db].vendor != "postgresql":
            return models.Q(**{f"{field}__in": ids})
        column = self.model._meta.pk if field == "pk" else self.model._meta.get_field(field)
        target = getattr(column, "target_field", column).__class__()
        text = "{" + ",".join(map(str, map(int, ids))) + "}"  # ids of rows: integers
        array = Cast(models.Value(text), ArrayField(target))
        return models.Q(_AnyOf(models.F(field), array))


class QuestionQuerySet(ProbingQuerySet):
    def awaiting_triage(self):
        return self.filter(status=self.model.Status.NEW)

    def containing(self, terms: str, fields: list[str]):
        """Questions holding every word of `terms` in one of `fields` (case-insensitive,
        part of a word too), as the admin's search over those columns finds them, for a
        list that counts every match (its "select all" names the count).

        Each word's questions in the list (its filters, and the words before) are looked
        up first (`ProbingQuerySet`), unless more than LOG_PROBE_LIMIT hold it: the last
        word's are then the list's matches, counted as they are found. At 100,000
        questions, a word in 2,600 of them had the full count test every match's text and
        the newest hundred about 3,500 questions' (13 ms for both); the probe and the page's
        ids take 8 ms. A list counted only one past its page is better served by testing
        question by question, in its order: the page stops at its last match."""
        matched = self
        for word in search_words(terms):
            holds = models.Q(*(models.Q(**{f"{name}__icontains": word}) for name in fields))
            holds.connector = models.Q.OR
            ids = probe(matched.filter(holds).values_list("pk", flat=True), LOG_PROBE_LIMIT)
            matched = matched.filter(holds) if ids is None else self._matching(ids)
        return matched


class ReviewEventQuerySet(ProbingQuerySet):
    def submissions_of(self, revision):
        """The submissions of `revision` (a revision or its id), newest first: each carries
        the editor's summary for readers it was submitted with."""
        return self.filter(revision=revision, action=self.model.Action.SUBMITTED).order_by(
            "-created_at", "-pk"
        )

    def containing(self, terms: str):
        """Review steps whose article's headline, comment or actor (username, first or last
        name) holds every word of `terms`, as the admin's search over those columns would
        find them (case-insensitive, part of a word too).

        Each word's articles and actors are looked up first (the headline through its
        trigram index, migration 0018; staff are few): a list of ids each, so PostgreSQL
        reads the matching steps from the article, actor and comment (trigram, migration
        0020) indexes instead of joining every step of the log to its article and actor.
        A word in at most PROBE_LIMIT headlines has its steps collected as well, so that a
        page of them is found from the (created, id) index alone. A word in more than
        LOG_PROBE_LIMIT headlines is tested step by step instead, in the log's order, so the
        first page stops at its first matches."""
        User = self.model._meta.get_field("actor").related_model
        Article = self.model._meta.get_field("article").related_model
        matched = self
        for word in search_words(terms):
            actors = User._default_manager.filter(
                models.Q(username__icontains=word)
                | models.Q(first_name__icontains=word)
                | models.Q(last_name__icontains=word)
            ).values_list("pk", flat=True)
            headlines = Article._default_manager.filter(headline__icontains=word)
            articles = probe(headlines.values_list("pk", flat=True), LOG_PROBE_LIMIT)
            by_article = (
                models.Q(article__in=headlines.values("pk"))
                if articles is None
                else self._any_of("article", articles)
            )
            holds = (
                by_article | models.Q(actor__in=list(actors)) | models.Q(comment__icontains=word)
            )
            if articles is not None and len(articles) <= PROBE_LIMIT:
                # Few articles: their steps themselves, collected (in any order, from the
                # indexes). Walking the log newest first, the steps of a word's articles can
                # be far apart: "abetomab" (371 of 100,000 headlines) walked 22,000 steps,
                # 22 ms for the count and 26 for the page, where its 1,400 steps are
                # collected in 1.5 ms and a page of them found from the (created, id) index.
                steps = probe(
                    self.model._default_manager.filter(holds).values_list("pk", flat=True),
                    LOG_PROBE_LIMIT,
                )
                holds = holds if steps is None else self._any_of("pk", steps)
            matched = matched.filter(holds)
        return matched

    def approvals_of(self, article):
        """Every approval of `article`, newest first, with the approved revision and the
        reviewer's public profile in the same query: readers' review history. Each is
        annotated with `submitted_summary`, the summary for readers of the latest submission
        of its revision before it (a revision sent back and submitted again unchanged comes
        with a new one). Approvals only: never pending work, comments or other staff steps."""
        before = models.Q(created_at__lt=models.OuterRef("created_at")) | models.Q(
            created_at=models.OuterRef("created_at"), pk__lt=models.OuterRef("pk")
        )
        submitted = self.model.objects.submissions_of(models.OuterRef("revision")).filter(before)
        return (
            self.filter(article=article, action=self.model.Action.APPROVED)
            .select_related("revision", "actor", "actor__reviewer_profile")
            .annotate(
                submitted_summary=models.Subquery(submitted.values("change_summary")[:1]),
                # Two approvals after the same submission: the later one is a periodic
                # confirmation (reviews' confirm_current), nothing was submitted in between.
                submission_id=models.Subquery(submitted.values("pk")[:1]),
            )
            .order_by("-created_at", "-pk")
        )


MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
SEARCH_CONFIG = "english"
# The weight of a word found in each column, PostgreSQL's A > B > C in spirit (SQLite only).
_WEIGHTS = {"headline": 4, "question": 4, "bottom_line": 2, "body": 1}
# A search matching at most this many listings is ranked over all their words (PostgreSQL:
# about 50 ms for 2,000 matches at 100,000 articles, bench/catalogue.py); one matching more,
# by its headline, question and bottom line (`ListingQuerySet.sorted`).
FULLY_RANKED_MATCHES = 2000


def search_query(terms: str) -> SearchQuery:
    return SearchQuery(terms, search_type="websearch", config=SEARCH_CONFIG)


_NEGATED_PHRASE = re.compile(r'-\s*"')
_OR = re.compile(r"(?i)(?:^|\s)or(?:\s|$)")


def without_phrases(terms: str) -> str | None:
    """`terms` with its quoted phrases loosened into their words: a search that finds every
    article the phrase search finds, and more. None when `terms` quotes nothing, or when
    loosening could lose a match (a negated phrase, `or`). Quotes become spaces, so a quote
    inside a word still splits it as websearch does."""
    if '"' not in terms or _NEGATED_PHRASE.search(terms) or _OR.search(terms):
        return None
    return " ".join(terms.replace('"', " ").split())


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

    # Both on the column the approved-first indexes start with, so a list of either reads
    # its pages and its count straight from the index.
    def approved(self):
        return self.filter(pending=False)

    def pending(self):
        return self.filter(pending=True)

    def sorted(self, order: str = "newest"):
        """Approved articles first, pending ones after, then by `order`: "newest",
        "reviewed" (most recently approved) or "relevance" (after `search`), then newest. The
        first two are read from indexes written the same way (models/catalogue.py).

        Relevance on PostgreSQL: a search matching at most FULLY_RANKED_MATCHES listings (these
        filters included) is ranked by all its words (`rank`, over `search`). One matching
        more — a word most articles contain — is ranked by its headline and question, then its
        bottom line (`rank_vector`): ranking by `search` would read every match's 4 KB vector
        (700 ms for 88,000 matches), and past the first pages the sections add little to the
        order. Whether there are more is asked once, in the same query."""
        if order == "relevance":
            then = [self._relevance().desc(), models.F("published_at").desc()]
        else:
            then = {
                "newest": [models.F("published_at").desc()],
                "reviewed": [models.F("reviewed_at").desc()],
            }[order]
        return self.order_by("pending", *then, "-pk")

    def _relevance(self):
        if "broad_rank" not in self.query.annotations:  # SQLite
            return models.F("rank")
        more = self.order_by().values("pk")[FULLY_RANKED_MATCHES : FULLY_RANKED_MATCHES + 1]
        # An uncorrelated EXISTS: PostgreSQL evaluates it once (an InitPlan), and a CASE
        # computes only the rank it chose.
        return models.Case(
            models.When(models.Exists(more), then=models.F("broad_rank")),
            default=models.F("rank"),
        )

    def with_facet(self, facet: str):
        Facet = apps.get_model("articles", "ListingFacet")
        return self.filter(
            models.Exists(Facet.objects.filter(listing=models.OuterRef("pk"), facet=facet))
        )

    def search(self, terms: str):
        """Listings matching a reader's words, annotated with `rank` (higher is better).
        PostgreSQL: `websearch` syntax (quotes for phrases, `-word` to exclude, `or`), English
        stemming, headline and question weighted above the bottom line above the sections.
        SQLite: every word must appear somewhere, ranked by where it appears. (`sorted`
        explains how relevance ranks a search matching very many articles.)"""
        terms = " ".join(terms.split())[:MAX_QUERY_LENGTH]
        if connections[self.db].vendor == "postgresql":
            query = search_query(terms)
            return (
                self.filter(search=query)
                .annotate(rank=SearchRank(models.F("search"), query))
                .alias(broad_rank=SearchRank(models.F("rank_vector"), query))
            )
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
        return self.select_related("topic", "reviewer__reviewer_profile").defer(
            "body", "search", "rank_vector"
        )
