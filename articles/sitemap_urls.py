"""sitemap.xml for crawlers: the index, and each section a page at a time (?p=2). Included at
the site's root by config/urls.py, outside the `articles` namespace (the URL names are
`sitemap` and `sitemap_section`, as django.contrib.sitemaps expects)."""

from django.urls import path

from config.public_cache import public_page

from .sitemaps import SITEMAPS, remembered_index, remembered_section

urlpatterns = [
    path(
        "sitemap.xml",
        public_page(remembered_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(remembered_section),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
