from django.core.management.base import BaseCommand

from articles import catalogue


class Command(BaseCommand):
    help = (
        "Rebuild the public catalogue (list, search, home and topic pages) from every article's "
        "public revision. Saving an article keeps its entry current; run this once after "
        "upgrading to a version with the catalogue, or after writing articles in bulk."
    )

    def handle(self, *args, **options):
        count = catalogue.rebuild(progress=lambda n: self.stdout.write(f"{n} articles…"))
        self.stdout.write(self.style.SUCCESS(f"Catalogue rebuilt: {count} public articles."))
