from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.verify, name="two_factor"),
    path("two-factor/setup/", views.setup, name="two_factor_setup"),
    path("password/", views.PasswordLinkRequestView.as_view(), name="password_reset"),
    path("password/sent/", views.PasswordLinkSentView.as_view(), name="password_reset_done"),
    path(
        "password/<uidb64>/<token>/",
        views.PasswordChooseView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/done/", views.PasswordChosenView.as_view(), name="password_reset_complete"),
]
