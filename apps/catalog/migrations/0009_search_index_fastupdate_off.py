"""The search index without a pending list (fastupdate off), changed in place.

With fastupdate on, new keys wait in an unsorted list of up to 4 MB that every search
statement scans, and the save that fills it merges it into the index. Off, each save
inserts its own keys. ALTER INDEX keeps the index; only Django's state is redefined.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

KEYS = models.Func(
    models.F("head"),
    models.F("body"),
    models.F("publish_date"),
    models.F("organ_id"),
    models.F("theme_id"),
    models.F("genre_id"),
    models.F("validity"),
    models.F("article_item"),
    function="catalog_search_keys",
    output_field=django.contrib.postgres.search.SearchVectorField(),
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_search_keys_cost"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER INDEX catalog_search_keys_gin SET (fastupdate = off)",
                    "ALTER INDEX catalog_search_keys_gin RESET (fastupdate)",
                ),
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="searchdocument", name="catalog_search_keys_gin"),
                migrations.AddIndex(
                    model_name="searchdocument",
                    index=django.contrib.postgres.indexes.GinIndex(
                        KEYS, fastupdate=False, name="catalog_search_keys_gin"
                    ),
                ),
            ],
        ),
    ]
