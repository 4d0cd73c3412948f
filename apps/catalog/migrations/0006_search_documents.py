"""Search documents: the folded text of each published entry, and a trigram GIN index over it.

catalog_search_keys() turns a document into its index keys (apps/catalog/search.py
explains them): every trigram of head and body (grams at a field's end are shorter,
so 1-2 character terms are prefixes), the head's trigrams marked with ^, and the
facet and date keys. It runs inside PostgreSQL, so the table stores only the text.
The old word and bigram vectors of catalog_catalogentry are dropped.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# The inner call names its schema: PostgreSQL evaluates index expressions of maintenance
# commands (CREATE INDEX, VACUUM, ANALYZE) with search_path = pg_catalog.
FUNCTIONS = r"""
CREATE FUNCTION catalog_search_grams(t text, mark text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT regexp_replace(t, '(.{1,3})', mark || '\1 ', 'g')
        || regexp_replace(substr(t, 2), '(.{1,3})', mark || '\1 ', 'g')
        || regexp_replace(substr(t, 3), '(.{1,3})', mark || '\1 ', 'g')
$$;

CREATE FUNCTION catalog_search_keys(
    head text, body text, publish_date date, organ_id bigint, theme_id bigint, genre_id bigint,
    validity text, article_item integer
) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(array_remove(string_to_array(
        {schema}.catalog_search_grams(head || E'\n' || body || E'\n', '')
        || {schema}.catalog_search_grams(head || E'\n', '^')
        || '#y' || extract(year FROM publish_date)::int
        || ' #m' || (extract(year FROM publish_date) * 100 + extract(month FROM publish_date))::int
        || ' #d' || (publish_date - DATE '2000-01-01')
        || ' #o' || organ_id || ' #t' || theme_id || ' #g' || genre_id
        || ' #v' || validity || ' #i' || coalesce(article_item, 0),
        ' '), ''))
$$;
"""

DROP_FUNCTIONS = r"""
DROP FUNCTION IF EXISTS catalog_search_keys(text, text, date, bigint, bigint, bigint, text, integer);
DROP FUNCTION IF EXISTS catalog_search_grams(text, text);
"""

# Rows up to a page stay in the heap uncompressed: verifying a candidate reads one page
# and no TOAST (larger documents, with long attachments, are compressed and moved out).
STORAGE = r"""
ALTER TABLE catalog_searchdocument SET (toast_tuple_target = 8160);
ALTER TABLE catalog_searchdocument ALTER COLUMN body SET STORAGE MAIN;
ALTER TABLE catalog_searchdocument ALTER COLUMN head SET STORAGE MAIN;
"""


def create_functions(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = schema_editor.connection.ops.quote_name(cursor.fetchone()[0])
        cursor.execute(FUNCTIONS.replace("{schema}", schema))


def drop_functions(apps, schema_editor):
    schema_editor.execute(DROP_FUNCTIONS)


def build_documents(apps, schema_editor):
    """A search document for every published entry (existing databases)."""
    from apps.catalog.search import document_text

    entry_model = apps.get_model("catalog", "CatalogEntry")
    document_model = apps.get_model("catalog", "SearchDocument")
    entries = entry_model.objects.filter(status="published").prefetch_related("attachments").order_by("pk")
    batch = []
    for entry in entries.iterator(chunk_size=1000):
        attachments = sorted(entry.attachments.all(), key=lambda a: (a.sort_order, a.pk))
        text = document_text(
            title=entry.title,
            doc_number=entry.doc_number,
            index_number=entry.index_number,
            keywords=entry.keywords,
            summary=entry.summary,
            body=entry.body,
            attachments=[a.text for a in attachments],
        )
        batch.append(
            document_model(
                entry_id=entry.pk,
                publish_date=entry.publish_date,
                organ_id=entry.organ_id,
                theme_id=entry.theme_id,
                genre_id=entry.genre_id,
                validity=entry.validity,
                article_item=entry.article_item,
                head=text.head,
                body=text.body,
            )
        )
        if len(batch) >= 1000:
            document_model.objects.bulk_create(batch)
            batch = []
    document_model.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_version"),
    ]

    operations = [
        migrations.RunPython(create_functions, drop_functions),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="catalog.catalogentry",
                    ),
                ),
                ("publish_date", models.DateField()),
                ("organ_id", models.BigIntegerField()),
                ("theme_id", models.BigIntegerField()),
                ("genre_id", models.BigIntegerField()),
                ("validity", models.CharField(max_length=10)),
                ("article_item", models.PositiveSmallIntegerField(null=True)),
                ("head", models.TextField()),
                ("body", models.TextField()),
            ],
        ),
        migrations.CreateModel(
            name="SearchGramStat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("gram", models.CharField(max_length=16)),
                ("year", models.PositiveSmallIntegerField()),
                ("share", models.FloatField()),
            ],
        ),
        migrations.RemoveIndex(
            model_name="catalogentry",
            name="catalog_entry_words_gin",
        ),
        migrations.RemoveIndex(
            model_name="catalogentry",
            name="catalog_entry_grams_gin",
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=django.contrib.postgres.indexes.GinIndex(
                models.Func(
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
                ),
                name="catalog_search_keys_gin",
            ),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["-publish_date", "-entry"], name="catalog_search_by_date"),
        ),
        migrations.AddConstraint(
            model_name="searchgramstat",
            constraint=models.UniqueConstraint(fields=("gram", "year"), name="unique_gram_year"),
        ),
        migrations.RemoveField(
            model_name="catalogentry",
            name="search_grams",
        ),
        migrations.RemoveField(
            model_name="catalogentry",
            name="search_words",
        ),
        migrations.RunSQL(STORAGE, migrations.RunSQL.noop),
        migrations.RunPython(build_documents, migrations.RunPython.noop),
    ]
