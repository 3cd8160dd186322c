from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Vetted — editorial workplace"
admin.site.site_title = "Vetted"
admin.site.index_title = "Articles, references and review"

urlpatterns = [
    # The admin's sign-in page links "Forgotten your password?" to this name.
    path(
        "admin/password-reset/",
        RedirectView.as_view(pattern_name="accounts:password_reset"),
        name="admin_password_reset",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("articles.urls")),
]

# Error pages that never parse the request again (config/errors.py explains why).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
