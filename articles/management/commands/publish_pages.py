from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import views
from articles.models import Listing


class Command(BaseCommand):
    help = (
        "Render the pages readers may see of every public article (newest first), for every "
        "reader type, at the site's own address (SITE_URL), and store them in the cache and "
        "the database; pages still published are left alone. Run after a deploy, which "
        "makes every stored page stale, so that readers don't wait for their first render."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", action="append", default=[], help="only this article")
        parser.add_argument("--limit", type=int, help="at most this many articles")

    def handle(self, *args, slug, limit, **options):
        if not settings.ARTICLE_PAGES_IN_DATABASE:
            raise CommandError("ARTICLE_PAGES_IN_DATABASE is off: pages are not kept.")
        listings = Listing.objects.order_by("-published_at", "-pk")
        if slug:
            listings = listings.filter(slug__in=slug)
        ids = list(listings.values_list("article_id", flat=True)[:limit])
        rendered = 0
        for done, article_id in enumerate(ids, 1):
            rendered += views.prerender(article_id=article_id, missing_only=True)
            if done % 100 == 0:
                self.stdout.write(f"{done} of {len(ids)} articles…")
        self.stdout.write(
            self.style.SUCCESS(
                f"{rendered} pages rendered for {len(ids)} articles at {settings.SITE_URL}."
            )
        )
