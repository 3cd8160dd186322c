"""A stored `pending` column for the approved-first sort, in place of the indexed expression:
index-only scans can then give a deep page's ids and a list's count without reading rows."""

from django.conf import settings
from django.db import migrations, models


def vacuum(apps, schema_editor):
    # Adding a stored column rewrites the table, which forgets which pages are all-visible:
    # until a vacuum, an index-only scan still visits every row.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("VACUUM ANALYZE articles_listing")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("articles", "0016_section_body_help_table_captions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="listing",
            name="listing_approved_first_newest",
        ),
        migrations.RemoveIndex(
            model_name="listing",
            name="listing_recently_reviewed",
        ),
        migrations.AddField(
            model_name="listing",
            name="pending",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(status="approved", then=models.Value(False)),
                    default=models.Value(True),
                ),
                output_field=models.BooleanField(),
            ),
        ),
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(
                fields=["pending", "-published_at", "-article"], name="listing_pending_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(
                fields=["pending", "-reviewed_at", "-article"], name="listing_pending_reviewed"
            ),
        ),
        migrations.RunPython(vacuum, migrations.RunPython.noop, elidable=True),
    ]
