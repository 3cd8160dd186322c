"""`Listing.rank_vector`: the headline and question (A) and bottom line (B) of each listing as
a small search vector, to rank searches that match very many articles without reading every
match's full `search` vector. Filled here for listings already in the catalogue, with the
same expression `articles.catalogue` writes."""

import django.contrib.postgres.search
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite ranks by the text columns
    Listing = apps.get_model("articles", "Listing")
    Listing.objects.using(schema_editor.connection.alias).update(
        rank_vector=SearchVector("headline", weight="A", config=CONFIG)
        + SearchVector("question", weight="A", config=CONFIG)
        + SearchVector("bottom_line", weight="B", config=CONFIG)
    )


def vacuum(apps, schema_editor):
    # The update wrote a new version of every row: reclaim the old ones and refresh the
    # visibility map and statistics the list's index-only scans and the search plans use.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("VACUUM ANALYZE articles_listing")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [("articles", "0018_admin_search_indexes")]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True, atomic=True),
        migrations.RunPython(vacuum, migrations.RunPython.noop, elidable=True),
    ]
