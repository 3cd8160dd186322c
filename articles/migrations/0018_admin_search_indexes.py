"""Indexes for the admin's lists and searches (bench/admin_pages.py), written in SQL so the
models' state is untouched.

- The lists are ordered newest first (articles by `-updated_at`, questions, review steps and
  revisions by `-created_at`, then the id the changelist adds to make the order total), or
  articles by headline or within one status: read from an index, not sorted.
- On PostgreSQL, trigram indexes (pg_trgm) on the upper-cased text the admin search reads
  (`icontains` is `UPPER(column) LIKE UPPER('%word%')`): the headline, bottom line, question
  and section texts of the working copy. `ArticleQuerySet.containing` finds a rare word's
  articles through them instead of reading every section.
"""

from django.db import migrations

ORDER_INDEXES = {
    "article_updated_newest": "articles_article (updated_at, id)",
    "article_status_updated": "articles_article (status, updated_at, id)",
    "article_headline_order": "articles_article (headline, id)",
    "question_created_newest": "articles_question (created_at, id)",
    # The review log and the revisions, newest first; an article's latest review step
    # (the "Changes requested" work filter).
    "review_event_newest": "articles_reviewevent (created_at, id)",
    "review_event_article_latest": "articles_reviewevent (article_id, created_at, id)",
    "revision_newest": "articles_revision (created_at, id)",
}
TRIGRAM_INDEXES = {
    "article_headline_trgm": "articles_article USING gin (UPPER(headline) gin_trgm_ops)",
    "article_bottom_line_trgm": "articles_article USING gin (UPPER(bottom_line) gin_trgm_ops)",
    "question_text_trgm": "articles_question USING gin (UPPER(text) gin_trgm_ops)",
    "section_body_trgm": "articles_section USING gin (UPPER(body) gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    indexes = dict(ORDER_INDEXES)
    if schema_editor.connection.vendor == "postgresql":
        # A trusted extension: the database owner who runs migrations may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        indexes |= TRIGRAM_INDEXES
    for name, target in indexes.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    for name in [*ORDER_INDEXES, *TRIGRAM_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_listing_pending")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
