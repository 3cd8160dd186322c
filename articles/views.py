from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView, View
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

from config.paging import page_bounds
from config.same_origin import same_origin_only

from . import citing, page_cache
from .board import list_version, members, page_of, reviewed_by
from .catalogue import counts_by_topic, highlight, listing_count, ranked, suggestions
from .filters import ArticleFilter
from .forms import FollowUpQuestionForm
from .models import Article, Listing, Page, ReaderType, ReviewerProfile, SiteSettings, Topic
from .querysets import query_words
from .readers import COOKIE, COOKIE_MAX_AGE, chosen_reader_type, show_article
from .rendering import render_markdown


def _public_articles():
    settings = SiteSettings.load()
    return Article.objects.public(show_unapproved=settings.show_unapproved_articles)


def _public_listings():
    """The catalogue readers may browse: pending articles only while the site shows them."""
    settings = SiteSettings.load()
    return Listing.objects.public(show_unapproved=settings.show_unapproved_articles)


class HomeView(TemplateView):
    """The newest approved articles, the newest pending ones set apart, and the topics: the
    same few queries and a bounded page however large the catalogue."""

    template_name = "articles/home.html"
    LATEST = 6
    PENDING = 3

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        public = _public_listings()
        listings = public.for_cards()
        context["latest"] = list(listings.approved().sorted("newest")[: self.LATEST])
        context["pending"] = list(listings.pending().sorted("newest")[: self.PENDING])
        context["topics"] = Topic.objects.with_public_count(counts_by_topic(public))
        return context


class CataloguePaginator(Paginator):
    """Finds a page's rows by their ids first: the ids come from the sort's index alone
    (an index-only scan, `Listing.pending`), and only the page's twenty rows are read. A
    plain OFFSET would read every row it skips: 400 ms for the last of 5,000 pages at
    100,000 articles (bench/catalogue.py). The count is remembered (`listing_count`)."""

    @cached_property
    def count(self) -> int:
        return listing_count(self.object_list)

    def page(self, number):
        number, bottom, top = page_bounds(self, number)
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class SearchPaginator(Paginator):
    """Search results are counted up to MAX_RESULTS and no further: counting every match of
    a word most articles contain costs more than finding the best twenty (400 ms against
    12 ms at 100,000 articles, bench/catalogue.py), and nobody reads page 2,000 of a search.
    `capped` says there were more. The ids of those best results are ranked once and cached
    (`catalogue.ranked`); a page reads only its own twenty rows."""

    MAX_RESULTS = 1000
    capped = False

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates  # ArticleFilter.candidates

    @cached_property
    def ids(self) -> list[int]:
        return ranked(self.object_list, self.MAX_RESULTS + 1, self.candidates)

    @cached_property
    def count(self) -> int:
        self.capped = len(self.ids) > self.MAX_RESULTS
        return min(len(self.ids), self.MAX_RESULTS)

    def page(self, number):
        number, bottom, top = page_bounds(self, number)
        ids = self.ids[bottom:top]
        # Still through the search's own query: a row that stopped matching is left out.
        found = {item.pk: item for item in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)


class ArticleListView(ListView):
    """Every public article: search, filters and sort from `ArticleFilter`, 20 a page."""

    template_name = "articles/article_list.html"
    context_object_name = "listings"
    paginate_by = 20

    def get_paginator(self, queryset, *args, **kwargs):
        if self.filterset.terms:
            candidates = self.filterset.candidates
            return SearchPaginator(queryset, *args, candidates=candidates, **kwargs)
        return CataloguePaginator(queryset, *args, **kwargs)

    def get_queryset(self):
        self.filterset = ArticleFilter(self.request.GET, queryset=_public_listings())
        return self.filterset.qs.for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["listings"] = listings = list(context["listings"])
        if self.filterset.terms:
            highlight(listings, self.filterset.terms)
        context["filter"] = self.filterset
        context["query_string"] = _without_page(self.request)
        return context


class TopicView(ListView):
    """One topic's articles, approved ones first, 20 a page."""

    template_name = "articles/topic_detail.html"
    context_object_name = "listings"
    paginate_by = 20
    paginator_class = CataloguePaginator

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return _public_listings().filter(topic=self.topic).for_cards().sorted("newest")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["topic"] = self.topic
        context["listings"] = list(context["listings"])
        return context


def _without_page(request) -> str:
    """The list's current query string minus the page number, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class ArticleDetailView(DetailView):
    """The public article page shows the revision readers may see: the approved one, or one
    still in review (with the caution banner). Staff who may view articles can also preview
    the working copy with `?preview=1`; it is marked as a preview, never as approved.

    Anonymous readers get the page from the page cache (articles/page_cache.py) when it is
    there: no query at all. Otherwise it is rendered once, stored, and served; signed-in
    people always get it rendered for them, never stored, never from the cache."""

    template_name = "articles/article_detail.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return super().get(request, *args, **kwargs)
        # Stored pages come first there too; the middleware has answered most before.
        return self.render_once()

    def render_once(self):
        self.object = self.get_object()
        reader = self.readers()[1]
        return page_cache.render_once(
            self.request, self.object, reader.slug if reader else "", self.render_html
        )

    def render_html(self) -> str:
        context = self.get_context_data(object=self.object)
        return render_to_string(self.get_template_names(), context, self.request)

    def get_queryset(self):
        if self.request.user.is_authenticated:
            settings = SiteSettings.load()
            articles = Article.objects.visible_to(
                self.request.user, show_unapproved=settings.show_unapproved_articles
            )
        else:  # readers: one query fewer, on every page not yet in the page cache
            articles = Article.objects.public_by_site_settings()
        return articles.with_public_revision()

    def readers(self) -> tuple[list[ReaderType], ReaderType | None]:
        """Every reader type (for the chooser) and the one this request reads as."""
        if not hasattr(self, "_readers"):
            reader_types = list(ReaderType.objects.all())
            self._readers = reader_types, chosen_reader_type(self.request, reader_types)
        return self._readers

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reader_types, reader = self.readers()
        may_preview = self.request.user.has_perm("articles.view_article")
        article = self.object
        preview = may_preview and bool(
            self.request.GET.get("preview") or article.public_revision is None
        )
        context["page"] = show_article(article, reader, preview=preview)
        context["policy_url"] = Page(slug=Page.EDITORIAL_POLICY).get_absolute_url()
        context["reader_types"] = reader_types
        context.setdefault("follow_up_form", FollowUpQuestionForm())
        return context


def prerender(sender=None, article_id: int = 0, *, missing_only=False, **kwargs) -> int:
    """`page_invalidation.public_state_committed`: render the article's pages for every reader type
    at the site's own address and store them, so the first readers after an approval are
    served from the cache. Nothing is stored for an article readers can't see. With
    `missing_only` (`publish_pages`), pages still published are left as they are. Returns how
    many pages were rendered."""
    path = reverse("articles:detail", args=["-"])  # any slug: only the host matters here
    if page_cache.site_request(path) is None:
        return 0
    article = _public_articles().with_public_revision().filter(pk=article_id).first()
    if article is None:
        return 0
    reader_types = list(ReaderType.objects.all())
    rendered = 0
    for reader in [None, *reader_types]:
        slug = reader.slug if reader else ""
        request = page_cache.site_request(article.get_absolute_url(), slug)
        if missing_only and page_cache.is_published(request, article, slug):
            continue
        view = ArticleDetailView()
        view.setup(request, slug=article.slug)
        view.object, view._readers = article, (reader_types, reader)
        page_cache.store(request, article, slug, view.render_html)
        rendered += 1
    return rendered


def choose_reader_type(request):
    """The chooser's target (a plain GET form, so it works without JavaScript): remember the
    choice in a cookie and go back to the page, at its shareable `?reader=` address. An empty
    choice clears it; an unknown one changes nothing."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "reader"]
    slug = request.GET.get("reader", "")
    # Compared in Python, not in a query: PostgreSQL refuses a NUL byte ("?reader=%00").
    reader = {t.slug: t for t in ReaderType.objects.all()}.get(slug)
    if reader:
        query.append(("reader", reader.slug))
    response = HttpResponseRedirect(urlunsplit(parts._replace(query=urlencode(query))))
    if reader:
        response.set_cookie(
            COOKIE,
            reader.slug,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    elif not slug:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response


def _follow_up_rate(group, request) -> str:
    return settings.FOLLOW_UP_RATE


# Every question sent counts, whatever happens to it next (stored, refused, dropped as spam),
# per client address (config.client_ip) in the shared cache.
FOLLOW_UP_LIMIT = {
    "group": "articles.follow_up",
    "key": "ip",
    "rate": _follow_up_rate,
    "method": "POST",
}


# Readers' forms sit on cached pages, so they carry no CSRF token: only posts from our own
# pages are accepted (config.same_origin).
@method_decorator(same_origin_only, name="dispatch")
@method_decorator(ratelimit(**FOLLOW_UP_LIMIT, block=False), name="post")
class FollowUpView(View):
    """Stores a reader's follow-up question for triage and redirects to the confirmation
    (`FollowUpSentView`). On error, or when this client has sent too many in a short time,
    the article page comes back with the messages and everything the reader typed."""

    def post(self, request, slug):
        article = get_object_or_404(_public_articles(), slug=slug)
        form = FollowUpQuestionForm(request.POST)
        if request.limited:
            response = self.article_page(form, status=429, follow_up_limited=True)
            time_left = get_usage(request, **FOLLOW_UP_LIMIT)["time_left"]
            response["Retry-After"] = str(max(time_left, 1))
            return response
        if not form.is_valid():
            return self.article_page(form, status=400)
        if not form.is_spam:
            form.save_for(article)
        # A question dropped as spam gets the very same answer: a bot can't tell.
        matches = follow_up_matches(form.cleaned_data["text"], article)
        return HttpResponseRedirect(
            _sent_url(article, matches, email_given=bool(form.cleaned_data["asker_email"]))
        )

    def article_page(self, form, *, status, **context):
        detail = ArticleDetailView(request=self.request, kwargs=self.kwargs)
        detail.object = detail.get_object()
        context = detail.get_context_data(object=detail.object, follow_up_form=form, **context)
        return detail.render_to_response(context, status=status)


# While a reader types a follow-up question, the page asks which approved articles may
# already answer it. POST, not GET: the reader's words may be health information, and a query
# string is written into access logs and proxies on the way. Never cached; counted per client
# address (each pause in typing is one request; typing on past the limit just shows nothing
# new); only the first SUGGESTION_MAX_TEXT characters are searched.
SUGGESTIONS_LIMIT = {
    "group": "articles.follow_up_suggestions",
    "key": "ip",
    "rate": "60/m",
    "method": "POST",
}
SUGGESTION_MIN_TEXT = 3
SUGGESTION_MAX_TEXT = 300
SUGGESTIONS_SHOWN = 5


def follow_up_matches(text: str, article) -> list[Listing]:
    """Approved articles, other than `article`, that may already answer the question `text`."""
    text = " ".join(text.split())[:SUGGESTION_MAX_TEXT]
    if len(text) < SUGGESTION_MIN_TEXT or not query_words(text):  # nothing to search for
        return []
    return suggestions(text, limit=SUGGESTIONS_SHOWN, exclude=article)


@method_decorator(same_origin_only, name="dispatch")
@method_decorator(never_cache, name="dispatch")
@method_decorator(ratelimit(**SUGGESTIONS_LIMIT, block=False), name="post")
class FollowUpSuggestionsView(View):
    """The matching approved articles as an HTML fragment, for static/js/follow-up.js."""

    http_method_names = ["post"]

    def post(self, request, slug):
        article = get_object_or_404(_public_articles(), slug=slug)
        if request.limited:
            time_left = get_usage(request, **SUGGESTIONS_LIMIT)["time_left"]
            return HttpResponse(status=429, headers={"Retry-After": str(max(time_left, 1))})
        matches = follow_up_matches(request.POST.get("text", ""), article)
        return render(request, "articles/_follow_up_matches.html", {"matches": matches})


# What the confirmation page after sending shows travels in its address, signed so nobody
# can make one up, and expiring after a day. It holds no personal data at all — the article,
# the ids of the approved articles that matched, whether an e-mail address was given; never
# the question or the address — so nothing leaks through access logs, browser history or a
# shared link, no session is needed (public pages stay session-free, see MESSAGE_STORAGE),
# and a question dropped as spam gets exactly the same kind of address and page.
SENT_SALT = "articles.follow-up-sent"
SENT_MAX_AGE = 24 * 60 * 60


def _sent_url(article, matches, *, email_given: bool) -> str:
    token = signing.dumps(
        {"a": article.pk, "m": [m.article_id for m in matches], "e": email_given},
        salt=SENT_SALT,
    )
    url = reverse("articles:follow_up_sent", args=[article.slug])
    return f"{url}?{urlencode({'c': token})}"


class FollowUpSentView(TemplateView):
    """After sending (POST, redirect, GET): the question is with the editors, and these
    approved articles may already answer it. An expired or broken address says so."""

    template_name = "articles/follow_up_sent.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = get_object_or_404(
            _public_articles().with_public_revision(), slug=self.kwargs["slug"]
        )
        try:
            sent = signing.loads(
                self.request.GET.get("c", ""), salt=SENT_SALT, max_age=SENT_MAX_AGE
            )
            if sent["a"] != article.pk:
                raise signing.BadSignature("Another article's confirmation.")
            ids = [int(pk) for pk in sent["m"]][:SUGGESTIONS_SHOWN]
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            sent, ids = None, []
        found = Listing.objects.approved().for_cards().exclude(article=article).in_bulk(ids)
        context.update(
            article=article,
            headline=article.public_revision.headline,
            sent=sent is not None,
            email_given=bool(sent and sent.get("e")),
            matches=[found[pk] for pk in ids if pk in found],
        )
        return context


class PageDetailView(DetailView):
    model = Page
    template_name = "articles/page_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["body"] = render_markdown(self.object.body)
        return context


class BoardView(ListView):
    """The Medical Advisory Board: every active member with a public profile, with their
    credentials and specialties."""

    template_name = "articles/board.html"
    context_object_name = "profiles"

    def get_queryset(self):
        return members()  # read only when the stored list is out of date

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, list_version=list_version())


class ProfileView(DetailView):
    """A board member's profile and the articles whose current approval is theirs, newest
    first, 20 a page (`?page=`): the same few queries however many they reviewed."""

    template_name = "articles/profile.html"
    context_object_name = "profile"
    queryset = ReviewerProfile.objects.prefetch_related("specialties")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = page_of(reviewed_by(self.object.user_id), self.request.GET.get("page"))
        context.update(
            reviewed=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
        )
        return context


class CitationDownloadView(View):
    """A file for reference managers (RIS or BibTeX, `fmt`): the article's own citation
    (`what="article"`) or its reference list as its page numbers it (`what="references"`,
    for the reader type the request names). Always from the public revision, for everyone:
    a draft is never exported, and an article readers can't see is a 404."""

    what = "article"

    def get(self, request, slug, fmt):
        if fmt not in citing.FORMATS:
            raise Http404("Unknown format")
        article = get_object_or_404(
            Article.objects.public_by_site_settings().with_public_revision(), slug=slug
        )
        revision = article.public_revision
        if revision is None:
            raise Http404("No public revision")
        if self.what == "article":
            works = [citing.article_work(article, revision, citing.absolute_url(request, article))]
            filename = f"{article.slug}-citation.{fmt}"
        else:
            reader = chosen_reader_type(request, list(ReaderType.objects.all()))
            works = citing.reference_works(revision, reader)
            own_text = reader and reader.slug in revision.shown.reader_types_with_variants
            suffix = f"-{reader.slug}" if own_text else ""
            filename = f"{article.slug}-references{suffix}.{fmt}"
        text, content_type = citing.download(works, fmt)
        return HttpResponse(
            text,
            content_type=content_type,
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )
