from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, View

from .forms import FollowUpQuestionForm
from .models import Article, Page, Topic
from .readers import DEFAULT_READER_TYPES, reader_type_from
from .rendering import render_article, render_markdown


class HomeView(ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().select_related("topic", "question").latest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_topic: dict[Topic, list[Article]] = {}
        for article in sorted(context["articles"], key=lambda a: (a.topic.name, a.headline)):
            by_topic.setdefault(article.topic, []).append(article)
        context["latest"] = context["articles"][:6]
        context["by_topic"] = by_topic.items()
        return context


class ArticleDetailView(DetailView):
    """The public article page. Readers get published articles; staff who may view articles
    also get drafts, marked as a preview."""

    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).for_page()

    def get_context_data(self, **kwargs):
        article = self.object
        context = super().get_context_data(**kwargs)
        context["rendered"] = render_article(article.bottom_line, article.sections.all())
        disclaimer = Page.objects.filter(slug=Page.DISCLAIMER).first()
        context["disclaimer"] = disclaimer
        context["disclaimer_html"] = render_markdown(disclaimer.body) if disclaimer else ""
        context["policy_url"] = Page(slug=Page.EDITORIAL_POLICY).get_absolute_url()
        context["reader_types"] = DEFAULT_READER_TYPES
        context["reader_type"] = reader_type_from(self.request.GET.get("reader"))
        context.setdefault("follow_up_form", FollowUpQuestionForm())
        return context


class FollowUpView(View):
    """Stores a reader's follow-up question for triage. On error the article page comes back
    with the messages and everything the reader typed."""

    def post(self, request, slug):
        article = get_object_or_404(Article.objects.published(), slug=slug)
        form = FollowUpQuestionForm(request.POST)
        if not form.is_valid():
            detail = ArticleDetailView(request=request, kwargs={"slug": slug})
            detail.object = get_object_or_404(detail.get_queryset(), slug=slug)
            context = detail.get_context_data(object=detail.object, follow_up_form=form)
            return detail.render_to_response(context, status=400)
        if not form.is_spam:
            form.save_for(article)
        messages.success(
            request,
            "Thank you — your question has reached our editors.",
            extra_tags="follow-up",
        )
        return HttpResponseRedirect(f"{article.get_absolute_url()}#follow-up")


class PageDetailView(DetailView):
    model = Page
    template_name = "articles/page_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["body"] = render_markdown(self.object.body)
        return context
