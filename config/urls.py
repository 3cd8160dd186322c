from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import RedirectView

from articles.sitemaps import SITEMAPS

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
    # For crawlers: the sitemap index, each section a page at a time (?p=2), robots.txt.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("articles.urls")),
]

# Error pages that never parse the request again (config/errors.py explains why).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
