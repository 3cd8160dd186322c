from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, View

from reviews.models import SiteSettings

from .forms import FollowUpQuestionForm
from .models import Article, Page, Topic
from .readers import DEFAULT_READER_TYPES, reader_type_from
from .rendering import render_article, render_markdown


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
        context.update(self.shown(article))
        disclaimer = Page.objects.filter(slug=Page.DISCLAIMER).first()
        context["disclaimer"] = disclaimer
        context["disclaimer_html"] = render_markdown(disclaimer.body) if disclaimer else ""
        context["policy_url"] = Page(slug=Page.EDITORIAL_POLICY).get_absolute_url()
        context["reader_types"] = DEFAULT_READER_TYPES
        context["reader_type"] = reader_type_from(self.request.GET.get("reader"))
        context.setdefault("follow_up_form", FollowUpQuestionForm())
        return context

    def shown(self, article: Article) -> dict:
        """What this request shows: a frozen revision, or (staff preview) the working copy."""
        revision = article.public_revision
        may_preview = self.request.user.has_perm("articles.view_article")
        if may_preview and (self.request.GET.get("preview") or revision is None):
            return {
                "preview": True,
                "question_text": article.question.text,
                "headline": article.headline,
                "shown_status": article.status,
                "updated_at": article.updated_at,
                "approval": None,
                "rendered": render_article(article.bottom_line, article.sections.all()),
            }
        if revision is None:
            raise Http404("No public revision")
        return {
            "preview": False,
            "question_text": revision.question,
            "headline": revision.headline,
            "shown_status": article.public_status,
            "updated_at": revision.created_at,
            "approval": article.approval,
            "rendered": render_article(revision.bottom_line, revision.sections),
        }


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
