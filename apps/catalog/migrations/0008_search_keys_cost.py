"""catalog_search_keys() becomes PL/pgSQL with a high COST.

As an inlined SQL function its cost looked like a few operators, so the planner could
choose to compute it for every row of catalog_searchdocument (a sequential scan with a
filter: a minute at a million entries) instead of reading the GIN index. Now it is
costed as what it is, and an index is always preferred. The keys are the same, so the
index stays valid.
"""

from django.db import migrations

PLPGSQL = r"""
CREATE OR REPLACE FUNCTION catalog_search_keys(
    head text, body text, publish_date date, organ_id bigint, theme_id bigint, genre_id bigint,
    validity text, article_item integer
) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10000 AS $$
BEGIN
    RETURN array_to_tsvector(array_remove(string_to_array(
        {schema}.catalog_search_grams(head || E'\n' || body || E'\n', '')
        || {schema}.catalog_search_grams(head || E'\n', '^')
        || '#y' || extract(year FROM publish_date)::int
        || ' #m' || (extract(year FROM publish_date) * 100 + extract(month FROM publish_date))::int
        || ' #d' || (publish_date - DATE '2000-01-01')
        || ' #o' || organ_id || ' #t' || theme_id || ' #g' || genre_id
        || ' #v' || validity || ' #i' || coalesce(article_item, 0),
        ' '), ''));
END
$$;
"""

SQL = r"""
CREATE OR REPLACE FUNCTION catalog_search_keys(
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


def _replace(definition: str):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            schema = schema_editor.connection.ops.quote_name(cursor.fetchone()[0])
            cursor.execute(definition.replace("{schema}", schema))

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_interpretations"),
    ]

    operations = [migrations.RunPython(_replace(PLPGSQL), _replace(SQL))]
