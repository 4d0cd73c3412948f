"""The bulk loader (apps/devtools/bench/bulk.py) must produce what the services would."""

import datetime as dt

from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max

import pytest

from apps.catalog import services
from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry, IndexSequence, SearchDocument, SearchGramStat
from apps.catalog.search import fold
from apps.devtools.bench import bulk, rows
from apps.devtools.demo.catalog import lookup_maps
from apps.devtools.demo.text import OrganInfo
from tests.factories import OrganFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixtures_loaded(db):
    call_command("loaddata", "themes", "genres", verbosity=0)


@pytest.fixture
def organs(fixtures_loaded):
    city = OrganFactory(
        name="测试市人民政府", short_name="市政府", kind="government", code="11231000TS0000001X"
    )
    dept = OrganFactory(
        name="测试市经济合作促进局", short_name="市经合局", code="11231000TS0000002X", parent=city
    )
    return [
        (OrganInfo(city.pk, city.name, city.short_name, city.code, city.kind, "测政", "government"), 1),
        (OrganInfo(dept.pk, dept.name, dept.short_name, dept.code, dept.kind, "测经合", "investment"), 3),
    ]


def _document(pk: int) -> tuple:
    """An entry's search document and its index keys, as PostgreSQL computes them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT head, body, catalog_search_keys(head, body, publish_date, organ_id, theme_id,"
            " genre_id, validity, article_item)::text FROM catalog_searchdocument WHERE entry_id = %s",
            [pk],
        )
        return cursor.fetchone()


def test_bulk_load_gives_unique_index_numbers_and_moves_the_sequences_on(organs):
    result = bulk.bulk_load(organs=organs, count=1_000, seed=5, workers=1, batch_size=250)

    assert result.count == 1_000
    entries = CatalogEntry.objects.all()
    assert entries.count() == 1_000
    assert entries.values("index_number").distinct().count() == 1_000
    by_organ = dict(entries.values_list("organ_id").annotate(n=Count("pk")))
    assert by_organ[organs[1][0].pk] > by_organ[organs[0][0].pk]  # weights 3 : 1
    # Each organ-year's serials are exactly 1..n, and the sequence stands at n.
    for row in entries.values("organ_id", "index_year").annotate(n=Count("pk"), top=Max("index_serial")):
        assert row["top"] == row["n"]
        sequence = IndexSequence.objects.get(organ_id=row["organ_id"], year=row["index_year"])
        assert sequence.last_serial == row["n"]
    # Within an organ's year, serials follow the publication dates.
    for organ_id, year in entries.values_list("organ_id", "index_year").distinct():
        dates = list(
            entries.filter(organ_id=organ_id, index_year=year)
            .order_by("index_serial")
            .values_list("publish_date", flat=True)
        )
        assert dates == sorted(dates)
    sample = entries.order_by("pk").first()
    organ = next(info for info, _ in organs if info.pk == sample.organ_id)
    assert sample.index_number == f"{organ.code}/{sample.index_year}-{sample.index_serial:05d}"
    assert sample.publish_date.year == sample.index_year
    assert entries.filter(status=Status.PUBLISHED).count() > 975
    assert not entries.filter(status=Status.PUBLISHED, published_at__isnull=True).exists()


def test_bulk_loaded_search_documents_equal_those_of_the_services(organs):
    bulk.bulk_load(organs=organs, count=40, seed=6, workers=1)
    loaded = CatalogEntry.objects.filter(status=Status.PUBLISHED).order_by("pk")[:10]
    assert not SearchDocument.objects.exclude(entry__status=Status.PUBLISHED).exists()
    for entry in loaded:
        before = _document(entry.pk)
        services.search_document_refresh(entry=entry)
        assert _document(entry.pk) == before
        assert entry.title and fold(entry.title) in before[0]


def test_entry_create_after_a_bulk_load_continues_the_serials(organs):
    bulk.bulk_load(organs=organs, count=300, seed=7, workers=1)
    info = organs[1][0]
    last = CatalogEntry.objects.filter(organ_id=info.pk, index_year=2024).aggregate(m=Max("index_serial"))[
        "m"
    ]
    theme_ids, genre_ids = lookup_maps()

    entry = services.entry_create(
        organ=CatalogEntry.objects.filter(organ_id=info.pk).first().organ,
        title="测试市经济合作促进局关于做好招商引资工作的通知",
        publish_date=CatalogEntry.objects.filter(index_year=2024).first().publish_date,
        theme_id=theme_ids["综合政务", "政务公开"],
        genre_id=genre_ids["通知"],
    )

    assert entry.index_serial == last + 1
    assert entry.index_number.endswith(f"/2024-{last + 1:05d}")


def test_a_second_bulk_load_continues_after_the_first(organs):
    bulk.bulk_load(organs=organs, count=100, seed=8, workers=1)
    bulk.bulk_load(organs=organs, count=100, seed=9, workers=1)
    assert CatalogEntry.objects.values("index_number").distinct().count() == 200
    for row in CatalogEntry.objects.values("organ_id", "index_year").annotate(
        n=Count("pk"), top=Max("index_serial")
    ):
        assert row["top"] == row["n"]


def test_rendering_is_deterministic_and_escapes_copy_text(organs):
    theme_ids, genre_ids = lookup_maps()
    columns, defaults = rows.columns()
    infos = [info for info, _ in organs]
    chunk = rows.Chunk(
        42,
        [(1, 2023, n, dt.date(2023, 3, n).toordinal(), 1000 + n) for n in range(1, 30)],
        infos,
        theme_ids,
        genre_ids,
        columns,
        defaults,
    )

    data, documents, count = rows.render(chunk)

    assert (data, documents, count) == rows.render(chunk)
    lines = data.decode().split("\n")
    assert count == 29 and lines[-1] == "" and len(lines) == 30
    assert all(line.count("\t") == len(columns) - 1 for line in lines[:-1])
    assert all(
        line.count("\t") == len(rows.DOCUMENT_COLUMNS) - 1 for line in documents.decode().split("\n")[:-1]
    )
    assert "\\n\\n" in lines[0]  # paragraphs survive as escaped newlines
    assert rows.copy_text("a\\b\tc\nd") == "a\\\\b\\tc\\nd"
    assert rows.copy_text(None) == "\\N"


def test_two_worker_processes_load_the_same_rows_as_one(organs):
    bulk.bulk_load(organs=organs, count=120, seed=10, workers=2, batch_size=30)
    two = list(CatalogEntry.objects.order_by("index_number").values_list("index_number", "title", "body"))
    CatalogEntry.objects.all().delete()
    IndexSequence.objects.all().delete()

    bulk.bulk_load(organs=organs, count=120, seed=10, workers=1, batch_size=30)

    assert (
        list(CatalogEntry.objects.order_by("index_number").values_list("index_number", "title", "body"))
        == two
    )


def test_indexes_dropped_for_a_big_load_are_rebuilt(organs):
    def index_names():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes"
                " WHERE tablename IN ('catalog_catalogentry', 'catalog_searchdocument')"
            )
            return {row[0] for row in cursor.fetchall()}

    before = index_names()
    bulk.bulk_load(organs=organs, count=50, seed=11, workers=1, drop_indexes=True)
    assert index_names() == before
    assert "catalog_search_keys_gin" in before
    assert SearchGramStat.objects.filter(gram="").exists()  # statistics rebuilt after the load


def _all_visible_pages(table: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpages, relallvisible FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()


def test_a_load_into_an_empty_search_table_writes_it_frozen_and_a_later_one_does_not(organs):
    bulk.bulk_load(organs=organs, count=60, seed=12, workers=1)
    pages, visible = _all_visible_pages("catalog_searchdocument")
    # COPY FREEZE marks the pages it fills from empty all-visible (no VACUUM ran: inside the
    # test's transaction the loader only ANALYZEs); a plain COPY leaves every page unmarked.
    assert pages > 0 and visible >= pages // 3

    bulk.bulk_load(organs=organs, count=60, seed=13, workers=1)  # table not empty: plain COPY
    assert SearchDocument.objects.count() == CatalogEntry.objects.filter(status=Status.PUBLISHED).count()
    assert CatalogEntry.objects.count() == 120


def test_a_failed_load_into_an_empty_table_keeps_nothing(organs, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "_recreate_indexes", fail)
    with pytest.raises(RuntimeError):
        bulk.bulk_load(organs=organs, count=30, seed=14, workers=1, drop_indexes=True)
    assert not CatalogEntry.objects.exists() and not SearchDocument.objects.exists()
    assert not IndexSequence.objects.exists()
