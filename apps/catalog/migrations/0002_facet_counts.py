"""Exact facet counts of the public catalog, kept up to date by plpgsql triggers.

Counting six facets over a million entries on every list request is far too slow, so
the number of *published* entries per combination of (organ, theme, genre, year of
发布日期, validity, 第二十条 item) is stored in catalog_facet_cube and the per-value totals
in catalog_facet_total. Statement-level triggers with transition tables apply the
changes of each INSERT/UPDATE/DELETE in the same transaction (so a bulk INSERT costs one
aggregate, not one upsert per row); upserts run in key order so concurrent writers
cannot deadlock. article_item 0 stands for "none" (primary keys cannot hold NULL).
catalog_facet_rebuild() recomputes everything (apps.catalog.search_upkeep.rebuild_facet_counts).
"""

from django.db import migrations

FORWARD = r"""
CREATE TABLE catalog_facet_cube (
    organ_id bigint NOT NULL,
    theme_id bigint NOT NULL,
    genre_id bigint NOT NULL,
    year smallint NOT NULL,
    validity varchar(10) NOT NULL,
    article_item smallint NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (organ_id, theme_id, genre_id, year, validity, article_item)
);
CREATE INDEX catalog_facet_cube_theme ON catalog_facet_cube (theme_id);
CREATE INDEX catalog_facet_cube_genre ON catalog_facet_cube (genre_id);
CREATE INDEX catalog_facet_cube_year ON catalog_facet_cube (year);
CREATE INDEX catalog_facet_cube_item ON catalog_facet_cube (article_item);

CREATE TABLE catalog_facet_total (
    dimension varchar(10) NOT NULL,
    value varchar(20) NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (dimension, value)
);

CREATE TYPE catalog_facet_delta AS (
    organ_id bigint, theme_id bigint, genre_id bigint, year smallint,
    validity varchar(10), article_item smallint, n bigint
);

CREATE FUNCTION catalog_facet_apply(deltas catalog_facet_delta[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF deltas IS NULL OR cardinality(deltas) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO catalog_facet_cube AS c (organ_id, theme_id, genre_id, year, validity, article_item, n)
    SELECT d.organ_id, d.theme_id, d.genre_id, d.year, d.validity, d.article_item, d.n
    FROM unnest(deltas) AS d
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (organ_id, theme_id, genre_id, year, validity, article_item)
    DO UPDATE SET n = c.n + EXCLUDED.n;

    INSERT INTO catalog_facet_total AS t (dimension, value, n)
    SELECT dimension, value, sum(n) FROM (
        SELECT 'organ' AS dimension, d.organ_id::text AS value, d.n FROM unnest(deltas) AS d
        UNION ALL SELECT 'theme', d.theme_id::text, d.n FROM unnest(deltas) AS d
        UNION ALL SELECT 'genre', d.genre_id::text, d.n FROM unnest(deltas) AS d
        UNION ALL SELECT 'year', d.year::text, d.n FROM unnest(deltas) AS d
        UNION ALL SELECT 'validity', d.validity::text, d.n FROM unnest(deltas) AS d
        UNION ALL SELECT 'item', d.article_item::text, d.n FROM unnest(deltas) AS d
    ) AS flat
    GROUP BY dimension, value
    HAVING sum(n) <> 0
    ORDER BY dimension, value
    ON CONFLICT (dimension, value) DO UPDATE SET n = t.n + EXCLUDED.n;
END;
$$;

CREATE FUNCTION catalog_facet_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM catalog_facet_apply(ARRAY(
            SELECT ROW(organ_id, theme_id, genre_id, extract(year FROM publish_date)::smallint,
                       validity, coalesce(article_item, 0)::smallint, count(*))::catalog_facet_delta
            FROM catalog_facet_new WHERE status = 'published'
            GROUP BY organ_id, theme_id, genre_id, extract(year FROM publish_date), validity, article_item
        ));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM catalog_facet_apply(ARRAY(
            SELECT ROW(organ_id, theme_id, genre_id, extract(year FROM publish_date)::smallint,
                       validity, coalesce(article_item, 0)::smallint, -count(*))::catalog_facet_delta
            FROM catalog_facet_old WHERE status = 'published'
            GROUP BY organ_id, theme_id, genre_id, extract(year FROM publish_date), validity, article_item
        ));
    ELSE
        PERFORM catalog_facet_apply(ARRAY(
            SELECT ROW(organ_id, theme_id, genre_id, year, validity, article_item, sum(n))::catalog_facet_delta
            FROM (
                SELECT organ_id, theme_id, genre_id, extract(year FROM publish_date)::smallint AS year,
                       validity, coalesce(article_item, 0)::smallint AS article_item, 1 AS n
                FROM catalog_facet_new WHERE status = 'published'
                UNION ALL
                SELECT organ_id, theme_id, genre_id, extract(year FROM publish_date)::smallint,
                       validity, coalesce(article_item, 0)::smallint, -1
                FROM catalog_facet_old WHERE status = 'published'
            ) AS changes
            GROUP BY organ_id, theme_id, genre_id, year, validity, article_item
            HAVING sum(n) <> 0
        ));
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION catalog_facet_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM catalog_facet_cube;
    DELETE FROM catalog_facet_total;
    RETURN NULL;
END;
$$;

CREATE FUNCTION catalog_facet_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE catalog_facet_cube, catalog_facet_total IN EXCLUSIVE MODE;
    DELETE FROM catalog_facet_cube;
    DELETE FROM catalog_facet_total;
    INSERT INTO catalog_facet_cube (organ_id, theme_id, genre_id, year, validity, article_item, n)
    SELECT organ_id, theme_id, genre_id, extract(year FROM publish_date)::smallint,
           validity, coalesce(article_item, 0)::smallint, count(*)
    FROM catalog_catalogentry WHERE status = 'published'
    GROUP BY 1, 2, 3, 4, 5, 6;
    INSERT INTO catalog_facet_total (dimension, value, n)
    SELECT 'organ', organ_id::text, sum(n) FROM catalog_facet_cube GROUP BY 2
    UNION ALL SELECT 'theme', theme_id::text, sum(n) FROM catalog_facet_cube GROUP BY 2
    UNION ALL SELECT 'genre', genre_id::text, sum(n) FROM catalog_facet_cube GROUP BY 2
    UNION ALL SELECT 'year', year::text, sum(n) FROM catalog_facet_cube GROUP BY 2
    UNION ALL SELECT 'validity', validity::text, sum(n) FROM catalog_facet_cube GROUP BY 2
    UNION ALL SELECT 'item', article_item::text, sum(n) FROM catalog_facet_cube GROUP BY 2;
    ANALYZE catalog_facet_cube;
END;
$$;

CREATE TRIGGER catalog_facet_ins AFTER INSERT ON catalog_catalogentry
    REFERENCING NEW TABLE AS catalog_facet_new
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_facet_changed();
CREATE TRIGGER catalog_facet_upd AFTER UPDATE ON catalog_catalogentry
    REFERENCING OLD TABLE AS catalog_facet_old NEW TABLE AS catalog_facet_new
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_facet_changed();
CREATE TRIGGER catalog_facet_del AFTER DELETE ON catalog_catalogentry
    REFERENCING OLD TABLE AS catalog_facet_old
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_facet_changed();
CREATE TRIGGER catalog_facet_trunc AFTER TRUNCATE ON catalog_catalogentry
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_facet_truncated();

SELECT catalog_facet_rebuild();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS catalog_facet_ins ON catalog_catalogentry;
DROP TRIGGER IF EXISTS catalog_facet_upd ON catalog_catalogentry;
DROP TRIGGER IF EXISTS catalog_facet_del ON catalog_catalogentry;
DROP TRIGGER IF EXISTS catalog_facet_trunc ON catalog_catalogentry;
DROP FUNCTION IF EXISTS catalog_facet_rebuild();
DROP FUNCTION IF EXISTS catalog_facet_truncated();
DROP FUNCTION IF EXISTS catalog_facet_changed();
DROP FUNCTION IF EXISTS catalog_facet_apply(catalog_facet_delta[]);
DROP TYPE IF EXISTS catalog_facet_delta;
DROP TABLE IF EXISTS catalog_facet_total;
DROP TABLE IF EXISTS catalog_facet_cube;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
