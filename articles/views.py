from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import DetailView, ListView, TemplateView, View
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

from .catalogue import highlight
from .filters import ArticleFilter
from .forms import FollowUpQuestionForm
from .models import Article, Listing, Page, ReaderType, ReviewerProfile, SiteSettings, Topic
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
        context["topics"] = Topic.objects.with_public_count(public)
        return context


class ArticleListView(ListView):
    """Every public article: search, filters and sort from `ArticleFilter`, 20 a page."""

    template_name = "articles/article_list.html"
    context_object_name = "listings"
    paginate_by = 20

    def get_queryset(self):
        self.filterset = ArticleFilter(self.request.GET or None, queryset=_public_listings())
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
    the working copy with `?preview=1`; it is marked as a preview, never as approved."""

    template_name = "articles/article_detail.html"

    def get_queryset(self):
        settings = SiteSettings.load()
        return Article.objects.visible_to(
            self.request.user, show_unapproved=settings.show_unapproved_articles
        ).with_public_revision()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reader_types = list(ReaderType.objects.all())
        reader = chosen_reader_type(self.request, reader_types)
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


@method_decorator(ratelimit(**FOLLOW_UP_LIMIT, block=False), name="post")
class FollowUpView(View):
    """Stores a reader's follow-up question for triage. On error, or when this client has
    sent too many in a short time, the article page comes back with the messages and
    everything the reader typed."""

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
        messages.success(
            request, "Thank you — your question has reached our editors.", extra_tags="follow-up"
        )
        return HttpResponseRedirect(f"{article.get_absolute_url()}#follow-up")

    def article_page(self, form, *, status, **context):
        detail = ArticleDetailView(request=self.request, kwargs=self.kwargs)
        detail.object = detail.get_object()
        context = detail.get_context_data(object=detail.object, follow_up_form=form, **context)
        return detail.render_to_response(context, status=status)


class PageDetailView(DetailView):
    model = Page
    template_name = "articles/page_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["body"] = render_markdown(self.object.body)
        return context


class BoardView(ListView):
    """The Medical Advisory Board: every reviewer with a public profile."""

    template_name = "articles/board.html"
    context_object_name = "profiles"
    queryset = ReviewerProfile.objects.filter(user__is_active=True)


class ProfileView(DetailView):
    template_name = "articles/profile.html"
    context_object_name = "profile"
    queryset = ReviewerProfile.objects.select_related("user")
