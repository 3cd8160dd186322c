"""More indexes for the admin's daily pages (bench/admin_pages.py), in SQL as in 0018 so the
models' state is untouched.

- Citations by (reference, displayed digest): "Reference updated since approval" asks each
  reference for a citation whose digest sorts below or above its own, two index probes per
  reference (`ArticleQuerySet.reference_updated_since_approval`), instead of comparing every
  approved revision's citations.
- On PostgreSQL:
  - an article's latest review step other than a comment, with its action, in the index
    itself: the "Changes requested" work filter reads one index entry per draft;
  - trigram indexes (pg_trgm, created by 0018) on the upper-cased texts the admin searches
    that had none: review comments (`ReviewEventQuerySet.containing`) and askers' e-mail
    addresses (the question list and autocomplete search them with the text, an OR that
    read the whole table to count the matches).
"""

from django.db import migrations

INDEXES = {
    "citation_reference_digest": "articles_citation (reference_id, displayed_hash)",
}
POSTGRESQL_INDEXES = {
    "review_event_latest_step": (
        "articles_reviewevent (article_id, created_at, id) INCLUDE (action) "
        "WHERE action <> 'commented'"
    ),
    "review_event_comment_trgm": "articles_reviewevent USING gin (UPPER(comment) gin_trgm_ops)",
    "question_asker_email_trgm": ("articles_question USING gin (UPPER(asker_email) gin_trgm_ops)"),
}


def create_indexes(apps, schema_editor):
    indexes = dict(INDEXES)
    if schema_editor.connection.vendor == "postgresql":
        indexes |= POSTGRESQL_INDEXES
    for name, target in indexes.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    for name in [*INDEXES, *POSTGRESQL_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_listing_rank_vector")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
