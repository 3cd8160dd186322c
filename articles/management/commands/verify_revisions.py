from django.core.management.base import BaseCommand, CommandError

from articles import signals
from articles.models import Article
from articles.revisions import Revision, hash_of


class Command(BaseCommand):
    help = (
        "Check every revision's stored content against the SHA-256 taken when it was saved. "
        "Lists each mismatch (article and revision number) and exits with status 1 if there "
        "is any, 0 otherwise. A mismatch in an approved revision is also reported as a reader's "
        "visit would (logged, chief editors alerted once, taken out of the catalogue's approved "
        "articles). Run it after restoring a backup or a manual database fix, and from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=200,
            help="Revisions read from the database at a time (default 200).",
        )

    def handle(self, *args, chunk_size, **options):
        approved = set(
            Article.objects.exclude(approval=None).values_list("approval__revision", flat=True)
        )
        revisions = (
            Revision.objects.select_related("article")
            .only(
                "number",
                "content",
                "content_hash",
                "article_id",
                "article__slug",
                "article__headline",
            )
            .order_by("pk")
        )
        checked = mismatches = 0
        for revision in revisions.iterator(chunk_size=chunk_size):
            checked += 1
            found = hash_of(revision.content)
            if found == revision.content_hash:
                continue
            mismatches += 1
            article = revision.article
            if revision.pk in approved:
                # As when a reader opens the page: logged, chief editors alerted once, and
                # the catalogue no longer lists it as approved.
                signals.report_tampered(revision)
            self.stdout.write(
                f"MISMATCH “{article.headline}” ({article.slug}), revision {revision.number}"
                f"{' — the approved one' if revision.pk in approved else ''}: "
                f"recorded {revision.content_hash}, found {found}"
            )
        summary = f"Checked {checked} revision(s): {mismatches} mismatch(es)."
        if mismatches:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)
