from django.urls import path

from . import views
from .feeds import ApprovedArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("feed/", ApprovedArticlesFeed(), name="feed"),
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
    path("topics/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    path("pages/<slug:slug>/", views.PageDetailView.as_view(), name="page"),
    path("reader/", views.choose_reader_type, name="reader"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("board/<slug:slug>/", views.ProfileView.as_view(), name="profile"),
]
