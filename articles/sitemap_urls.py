"""sitemap.xml for crawlers: the index, and each section a page at a time (?p=2). Included at
the site's root by config/urls.py, outside the `articles` namespace (the URL names are
`sitemap` and `sitemap_section`, as django.contrib.sitemaps expects)."""

from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from .sitemaps import SITEMAPS

urlpatterns = [
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
]
