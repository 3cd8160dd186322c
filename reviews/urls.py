from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("board/", views.BoardView.as_view(), name="board"),
    path("board/<slug:slug>/", views.ProfileView.as_view(), name="profile"),
]
