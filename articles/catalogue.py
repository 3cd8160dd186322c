"""The public catalogue: keeping `Listing` in step with what readers may see, and showing
search results.

`refresh(article)` runs on every save of an article (connected in `apps.py`): whatever
changed its public revision or state — a submission, an approval, an unpublishing, a
restore — goes through `Article.save`, so the catalogue can never list a draft or miss an
approval. `rebuild()` does the same for every article at once (after a bulk import, or to
repair), and `manage.py rebuild_catalogue` runs it.
"""

import hashlib
import re

from django.contrib.postgres.search import SearchHeadline, SearchVector
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections, models, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import stamps
from .models import Article, Listing, ListingFacet
from .querysets import SEARCH_CONFIG, query_words, search_query
from .rendering import plain_text
from .revisions import Revision, is_intact

# Marks PostgreSQL (or the SQLite fallback) puts around matched words; removed from the
# indexed text so a title can never carry one in.
_START, _STOP = "\u27e6", "\u27e7"
_MARKERS = re.compile(f"[{_START}{_STOP}]")
SNIPPET_WORDS = 30

# Headline and question are what an article is about (A), the bottom line its answer (B),
# the sections the detail (C). The rank vector is the same without the sections (migration
# 0019 fills it with the same expression).
_RANK_VECTOR = (
    SearchVector("headline", weight="A", config=SEARCH_CONFIG)
    + SearchVector("question", weight="A", config=SEARCH_CONFIG)
    + SearchVector("bottom_line", weight="B", config=SEARCH_CONFIG)
)
_VECTOR = _RANK_VECTOR + SearchVector("body", weight="C", config=SEARCH_CONFIG)

_PUBLIC_FIELDS = {"status", "approval", "submitted_revision", "topic", "slug"}


def _clean(text: str) -> str:
    return _MARKERS.sub("", text)


def _listing(article: Article) -> tuple[Listing, set[str]] | None:
    """The listing and facets `article` should have now, or None if readers can't see it."""
    revision: Revision | None = article.public_revision
    if revision is None:
        return None
    approval = article.approval if article.approval_id else None
    status = article.public_status
    if approval and not is_intact(revision):
        # The stored text is not what the board signed (the article page says so too).
        approval, status = None, Article.Status.UNDER_REVIEW
    shown = revision.shown
    texts = []
    for section in shown.sections:
        texts += [section.heading, plain_text(section.body)]
        for variant in section.variants.values():
            texts += [variant["heading"], plain_text(variant["body"])]
    texts += [plain_text(text) for text in shown.bottom_line_variants.values()]
    listing = Listing(
        article=article,
        revision=revision,
        topic_id=article.topic_id,
        slug=article.slug,
        status=status,
        headline=_clean(shown.headline),
        question=_clean(shown.question),
        bottom_line=_clean(plain_text(shown.bottom_line)),
        body=_clean(" ".join(t for t in texts if t)),
        published_at=revision.created_at,
        reviewed_at=approval.created_at if approval else None,
        reviewer_id=approval.actor_id if approval else None,
    )
    facets = {f"reference:{ref.kind}" for ref in shown.references.values()}
    facets |= {f"reader:{slug}" for slug in shown.reader_types_with_variants}
    return listing, facets


def refresh(article: Article, *, force: bool = False) -> None:
    """Make `article`'s listing match what readers may see of it now. Unless `force`d, an
    entry that already shows the same revision, state, topic, slug and approval is kept."""
    revision = article.public_revision
    if revision is not None and not force:
        approved_at = article.approval.created_at if article.approval_id else None
        now = (revision.pk, article.public_status, article.topic_id, article.slug, approved_at)
        fields = ("revision_id", "status", "topic_id", "slug", "reviewed_at")
        if Listing.objects.filter(article=article).values_list(*fields).first() == now:
            return  # an edit of the working copy: readers still see the same revision
    found = _listing(article)
    if found is None:
        removed, _ = Listing.objects.filter(article=article).delete()
        if removed:
            _changed()
        return
    listing, facets = found
    with transaction.atomic():
        Listing.objects.filter(article=article).delete()
        listing.save(force_insert=True)
        ListingFacet.objects.bulk_create(ListingFacet(listing=listing, facet=f) for f in facets)
        _index(Listing.objects.filter(pk=listing.pk))
        _changed()


def refresh_on_save(sender, instance: Article, update_fields=None, raw=False, **kwargs) -> None:
    """`post_save` receiver. Saves that touch only the working copy's own fields leave the
    public revision alone; fixtures (`raw`) are rebuilt with `rebuild_catalogue`."""
    if raw or (update_fields is not None and not _PUBLIC_FIELDS & set(update_fields)):
        return
    refresh(instance)


def on_revision_tampered(sender, revision: Revision, **kwargs) -> None:
    """`signals.revision_tampered`: an approved revision no longer matches its hash. The page
    has dropped its badge; the catalogue drops "approved" too (`_listing` checks the hash)."""
    refresh(Article.objects.get(pk=revision.article_id), force=True)


def rebuild(batch_size: int = 1000, progress=None) -> int:
    """Rebuild every listing from the articles' public revisions; returns how many."""
    in_review = Article.Status.in_review()
    public = (
        Article.objects.filter(models.Q(approval__isnull=False) | models.Q(status__in=in_review))
        .select_related("approval__revision", "submitted_revision")
        .order_by("pk")
    )
    count = 0
    with transaction.atomic():
        Listing.objects.all().delete()
        batch: list[tuple[Listing, set[str]]] = []
        for article in public.iterator(chunk_size=batch_size):
            found = _listing(article)
            if found:
                batch.append(found)
            if len(batch) >= batch_size:
                count += _write(batch)
                batch = []
                if progress:
                    progress(count)
        count += _write(batch)
        _index(Listing.objects.all())
        _changed()
    return count


def _write(batch) -> int:
    Listing.objects.bulk_create(listing for listing, _ in batch)
    ListingFacet.objects.bulk_create(
        ListingFacet(listing=listing, facet=facet) for listing, facets in batch for facet in facets
    )
    return len(batch)


def _index(listings) -> None:
    if connections[listings.db].vendor == "postgresql":
        listings.update(search=_VECTOR, rank_vector=_RANK_VECTOR)


# -- the catalogue's generation -------------------------------------------------------------------

_GENERATION_KEY = "vetted:catalogue-generation"


def generation() -> int:
    """A stamp (articles/stamps.py) that moves whenever any listing does: part of the cache
    key of everything computed from the catalogue (`remembered`), so a new approval reaches
    every reader and every app server at once."""
    return stamps.read(_GENERATION_KEY)[_GENERATION_KEY]


def _changed() -> None:
    stamps.move(_GENERATION_KEY)


def new_generation() -> None:
    """Retire everything cached from the catalogue (bench/catalogue.py's cold requests too)."""
    stamps.move(_GENERATION_KEY)


# -- showing results ---------------------------------------------------------------------------

# How long an answer computed from the catalogue is kept (a new generation retires it sooner).
REMEMBERED_SECONDS = 15 * 60


def remembered(purpose: str, queryset, compute):
    """`compute()`, kept in the cache for this catalogue generation under `purpose` and the
    SQL of `queryset` (the question it answers): any other words, filter, sort or site setting
    is another entry, and any change to the catalogue a fresh one. Shared by every process
    that shares the cache (Redis in production)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a query sure to find nothing: nothing to keep
        return compute()
    digest = hashlib.sha256(repr((purpose, sql, params)).encode()).hexdigest()
    key = f"vetted:catalogue:{generation()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=REMEMBERED_SECONDS)
    return found


def ranked(listings, limit: int, candidates=None) -> list[int]:
    """The ids of the first `limit` of `listings` (a sorted search), remembered. Ranking every
    article that has a common word costs as much for its first page as for its fiftieth
    (every match is ranked to find the best twenty), so a search is ranked once, and its
    pages, and anyone searching the same words with the same filters, read the ids.

    `candidates`, for a search with a quoted phrase (`ArticleFilter.candidates`): the same
    search for the phrase's words alone, sorted the same way. On PostgreSQL the ids are then
    its first `limit` that `listings` matches (`_first_matching`)."""
    ids = listings.values_list("pk", flat=True)[:limit]
    if candidates is None or connections[ids.db].vendor != "postgresql":
        return remembered("ranked", ids, lambda: _through_the_index(ids))
    return remembered("ranked", ids, lambda: _first_matching(listings, candidates, limit))


PHRASE_CHECKS = 1000  # candidates tested against the phrase in one query


def _first_matching(listings, candidates, limit: int) -> list[int]:
    """The first `limit` of `candidates` (ids in order) that `listings` (the phrase search)
    matches, tested a batch at a time until there are enough.

    The GIN index finds the articles holding every word of a phrase, but whether the words
    stand side by side is tested on each one's 4 KB `search` vector: for a common phrase,
    every one of 45,000 candidates at 100,000 articles (500 ms), to keep the best 1,001.
    Ranking the candidates needs no such test (the index answers words; the rank reads the
    small `rank_vector`), so they are sorted first and tested in that order, and the testing
    stops once `limit` have passed: 110 ms (bench/catalogue.py). A rare phrase of common
    words still tests every candidate, as before."""
    ids = candidates.values_list("pk", flat=True)
    found = []
    # The best few first (a top-N sort), the rest only if too few of those have the phrase.
    for part in (ids[: 2 * limit], ids[2 * limit :]):
        order = _through_the_index(part)
        for start in range(0, len(order), PHRASE_CHECKS):
            batch = order[start : start + PHRASE_CHECKS]
            have = set(listings.order_by().filter(pk__in=batch).values_list("pk", flat=True))
            found += [pk for pk in batch if pk in have]
            if len(found) >= limit:
                return found[:limit]
    return found


def _through_the_index(ids) -> list[int]:
    """`ids` evaluated with PostgreSQL told to find the matches through the GIN index.

    Its planner prices `search @@ query` as a cheap operator: it can't know that testing a
    row reads the row's 4 KB `search` vector from TOAST, while the index answers a plain word
    without reading any. For a word most articles contain it reads the whole table instead
    (750 ms for 88,000 matches at 100,000 articles, against 130 ms through the index; a
    lower `random_page_cost` chose an index scan in date order that tests every row: 870 ms).
    SET LOCAL ends with the transaction: here, unless the caller has one open (then it lasts
    until that one ends, changing plans only, never results)."""
    connection = connections[ids.db]
    if connection.vendor != "postgresql":
        return list(ids)
    with transaction.atomic(using=ids.db, savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return list(ids)


def listing_count(listings) -> int:
    """How many `listings` there are, remembered: counting 100,000 index entries for every
    page of the list costs more than showing the page."""
    return remembered("count", listings.order_by(), listings.count)


def counts_by_topic(listings) -> dict[int, int]:
    """How many of `listings` each topic has (topics with none left out), remembered."""
    by_topic = listings.order_by().values_list("topic").annotate(n=models.Count("pk"))
    return remembered("by topic", by_topic, lambda: dict(by_topic))


def marked(text: str) -> SafeString:
    """`text` escaped, with the matched words PostgreSQL or `_mark` set off in <mark>."""
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 — escaped above; only our own tags added


def highlight(listings: list[Listing], terms: str) -> None:
    """Give each listing of a result page `marked_headline` and `snippet` (safe HTML): the
    headline and the passage of its answer or sections that matched, with the matches marked.
    One query (on PostgreSQL, its stemming decides what matched): the result pages leave the
    long `body` out of the sorted rows."""
    if not listings:
        return
    if connections[Listing.objects.db].vendor == "postgresql":
        query = search_query(terms)
        options = {"start_sel": _START, "stop_sel": _STOP}
        rows = (
            Listing.objects.filter(pk__in=[item.pk for item in listings])
            .annotate(
                h=SearchHeadline(
                    "headline", query, config=SEARCH_CONFIG, highlight_all=True, **options
                ),
                s=SearchHeadline(
                    models.functions.Concat(
                        "bottom_line", models.Value(" "), "body", output_field=models.TextField()
                    ),
                    query,
                    config=SEARCH_CONFIG,
                    max_words=SNIPPET_WORDS,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **options,
                ),
            )
            .values_list("pk", "h", "s")
        )
        found = {pk: (h, s) for pk, h, s in rows}
        for item in listings:
            headline, snippet = found.get(item.pk, (item.headline, item.bottom_line))
            item.marked_headline, item.snippet = marked(headline), marked(snippet)
        return
    words = query_words(terms)
    bodies = dict(Listing.objects.filter(pk__in=[i.pk for i in listings]).values_list("pk", "body"))
    for item in listings:
        text = f"{item.bottom_line} {bodies.get(item.pk, '')}"
        item.marked_headline = marked(_mark(item.headline, words))
        item.snippet = marked(_mark(_passage(text, words), words))


def _mark(text: str, words: list[str]) -> str:
    if not words:
        return text
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", text)


def _passage(text: str, words: list[str]) -> str:
    """About SNIPPET_WORDS words of `text` around the first matched word."""
    tokens = text.split()
    lowered = [t.lower() for t in tokens]
    first = next((i for i, t in enumerate(lowered) if any(w in t for w in words)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    passage = " ".join(tokens[start : start + SNIPPET_WORDS])
    return ("… " if start else "") + passage + (" …" if start + SNIPPET_WORDS < len(tokens) else "")


def suggestions(text: str, limit: int = 5, exclude=None) -> list[Listing]:
    """Approved articles best matching a free text (a reader's follow-up question), best
    first. On PostgreSQL any of its words may match (ranked); SQLite needs them all, so it
    tries the longest words alone when the whole text finds nothing."""
    listings = Listing.objects.approved().for_cards()
    if exclude is not None:
        listings = listings.exclude(article=exclude)
    if connections[listings.db].vendor == "postgresql":
        words = query_words(text)
        if not words:
            return []
        # Ranked as the catalogue's search ranks (`sorted`: a text sharing a common word with
        # most articles is ranked by headline, question and bottom line), ids first: whole
        # rows would compute every match's full rank (its 4 KB vector) before sorting.
        ids = ranked(listings.search(" or ".join(words)).sorted("relevance"), limit)
        rows = listings.in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]
    found = list(listings.search(text).order_by("-rank", "-published_at")[:limit])
    if not found:
        for word in sorted(query_words(text), key=len, reverse=True)[:3]:
            found = list(listings.search(word).order_by("-rank", "-published_at")[:limit])
            if found:
                break
    return found
