"""The catalogue's full-text index, on PostgreSQL only (SQLite searches the text columns)."""

from django.db import migrations

INDEX = "listing_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_listing USING gin (search)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_catalogue")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
