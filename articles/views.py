from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import DetailView, ListView, View

from reviews.models import Revision, SiteSettings
from reviews.services import snapshot

from .forms import FollowUpQuestionForm
from .models import Article, Page, ReaderType, Topic
from .readers import COOKIE, COOKIE_MAX_AGE, chosen_reader_type, render_for, revision_for
from .rendering import render_markdown


def _public_articles():
    settings = SiteSettings.load()
    return Article.objects.public(show_unapproved=settings.show_unapproved_articles)


class HomeView(ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return _public_articles().with_public_revision().latest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_topic: dict[Topic, list[Article]] = {}
        for article in sorted(
            context["articles"], key=lambda a: (a.topic.name, a.public_revision.headline)
        ):
            by_topic.setdefault(article.topic, []).append(article)
        context["latest"] = context["articles"][:6]
        context["by_topic"] = by_topic.items()
        return context


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
        article = self.object
        context = super().get_context_data(**kwargs)
        reader_types = list(ReaderType.objects.all())
        reader = chosen_reader_type(self.request, reader_types)
        context.update(self.shown(article, reader))
        context["policy_url"] = Page(slug=Page.EDITORIAL_POLICY).get_absolute_url()
        context["reader_types"] = reader_types
        context["reader_type"] = reader
        context.setdefault("follow_up_form", FollowUpQuestionForm())
        return context

    def shown(self, article: Article, reader) -> dict:
        """What this request shows: a frozen revision as `reader` sees it, or (staff preview)
        the working copy with its variants. Previews are never cached."""
        revision = article.public_revision
        may_preview = self.request.user.has_perm("articles.view_article")
        if may_preview and (self.request.GET.get("preview") or revision is None):
            # The working copy, frozen the way a revision would be (not saved), so variants
            # resolve exactly as they will once it is submitted.
            working = Revision(content=snapshot(article))
            slug = reader.slug if reader else None
            view = render_for(working.bottom_line_for(slug), working.sections_for(slug), reader)
            return {
                "preview": True,
                "question_text": article.question.text,
                "headline": article.headline,
                "shown_status": article.status,
                "updated_at": article.updated_at,
                "approval": None,
                "view": view,
                "rendered": view.rendered,
            }
        if revision is None:
            raise Http404("No public revision")
        view = revision_for(revision, reader)
        return {
            "preview": False,
            "question_text": revision.question,
            "headline": revision.headline,
            "shown_status": article.public_status,
            "updated_at": revision.created_at,
            "approval": article.approval,
            "view": view,
            "rendered": view.rendered,
        }


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


class FollowUpView(View):
    """Stores a reader's follow-up question for triage. On error the article page comes back
    with the messages and everything the reader typed."""

    def post(self, request, slug):
        article = get_object_or_404(_public_articles(), slug=slug)
        form = FollowUpQuestionForm(request.POST)
        if not form.is_valid():
            detail = ArticleDetailView(request=request, kwargs={"slug": slug})
            detail.object = get_object_or_404(detail.get_queryset(), slug=slug)
            context = detail.get_context_data(object=detail.object, follow_up_form=form)
            return detail.render_to_response(context, status=400)
        if not form.is_spam:
            form.save_for(article)
        messages.success(
            request, "Thank you — your question has reached our editors.", extra_tags="follow-up"
        )
        return HttpResponseRedirect(f"{article.get_absolute_url()}#follow-up")


class PageDetailView(DetailView):
    model = Page
    template_name = "articles/page_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["body"] = render_markdown(self.object.body)
        return context
