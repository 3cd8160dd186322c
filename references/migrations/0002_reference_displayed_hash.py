"""Each reference keeps a digest of its displayed fields, so a query can tell which frozen
copies in articles' revisions are older than the library."""

import hashlib
import json

from django.db import migrations, models

# Frozen copies of references.models.DISPLAYED_FIELDS and digest() as of this migration.
DISPLAYED_FIELDS = ("kind", "title", "authors", "source", "year", "doi", "pmid", "url")


def digest(data) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def fill(apps, schema_editor):
    # The library and its history: each past version gets the digest of its own fields.
    for name in ("Reference", "HistoricalReference"):
        for row in apps.get_model("references", name).objects.iterator():
            row.displayed_hash = digest({f: getattr(row, f) for f in DISPLAYED_FIELDS})
            row.save(update_fields=["displayed_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("references", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalreference",
            name="displayed_hash",
            field=models.CharField(
                default="", editable=False, help_text="Digest of the displayed fields.", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reference",
            name="displayed_hash",
            field=models.CharField(
                default="", editable=False, help_text="Digest of the displayed fields.", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
