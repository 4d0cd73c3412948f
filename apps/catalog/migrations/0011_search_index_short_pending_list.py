"""The search index gets its pending list back, kept short by the connections (fastupdate on).

Migration 0009 turned it off because every search statement scans the list and the default
limit lets it grow to 4 MB. The portal's connections now set gin_pending_list_limit to
256 kB (settings.DATABASES; a few milliseconds of scanning at most), so a clerk's save
appends its keys and about one save in ten merges the list. A large import raises the limit
for its own transaction and has a second connection merge the list while it writes
(search_upkeep.keys_merged_alongside): no ALTER INDEX, so no exclusive lock that made searches
wait during imports. ALTER INDEX keeps the index; only Django's state is redefined.
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
        ("catalog", "0010_review_chain"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER INDEX catalog_search_keys_gin SET (fastupdate = on)",
                    "ALTER INDEX catalog_search_keys_gin SET (fastupdate = off)",
                ),
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="searchdocument", name="catalog_search_keys_gin"),
                migrations.AddIndex(
                    model_name="searchdocument",
                    index=django.contrib.postgres.indexes.GinIndex(
                        KEYS, fastupdate=True, name="catalog_search_keys_gin"
                    ),
                ),
            ],
        ),
    ]
