from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .site_files import favicon, robots_txt

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
    # For crawlers: the sitemap (articles/sitemap_urls.py), robots.txt.
    path("", include("articles.sitemap_urls")),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("articles.urls")),
]

# Error pages that never parse the request again (config/errors.py explains why).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
