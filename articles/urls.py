from django.urls import path, re_path

from config.public_cache import public_page

from . import views
from .feeds import ApprovedArticlesFeed

app_name = "articles"

# Readers' pages that shared caches may keep (config.public_cache); the article page sets its
# own headers from the page cache (articles/page_cache.py).
urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("articles/", public_page(views.ArticleListView.as_view()), name="list"),
    path("feed/", public_page(ApprovedArticlesFeed()), name="feed"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path(
        "articles/<slug:slug>/follow-up/",
        views.FollowUpView.as_view(),
        name="follow_up",
    ),
    path(
        "articles/<slug:slug>/follow-up/suggestions/",
        views.FollowUpSuggestionsView.as_view(),
        name="follow_up_suggestions",
    ),
    path(
        "articles/<slug:slug>/follow-up/sent/",
        views.FollowUpSentView.as_view(),
        name="follow_up_sent",
    ),
    # Files for reference managers, from the public revision (articles/citing.py).
    re_path(
        r"^articles/(?P<slug>[-a-zA-Z0-9_]+)/cite\.(?P<fmt>ris|bib)$",
        public_page(views.CitationDownloadView.as_view(what="article")),
        name="cite",
    ),
    re_path(
        r"^articles/(?P<slug>[-a-zA-Z0-9_]+)/references\.(?P<fmt>ris|bib)$",
        public_page(views.CitationDownloadView.as_view(what="references")),
        name="cited_references",
    ),
    path("topics/<slug:slug>/", public_page(views.TopicView.as_view()), name="topic"),
    path("pages/<slug:slug>/", public_page(views.PageDetailView.as_view()), name="page"),
    path("reader/", views.choose_reader_type, name="reader"),
    path("board/", public_page(views.BoardView.as_view()), name="board"),
    path("board/<slug:slug>/", public_page(views.ProfileView.as_view()), name="profile"),
]
