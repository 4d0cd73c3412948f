"""manage.py bench: its own organs, reuse of loaded entries, and a guard against the demo database."""

import io
import random

from django.core.management import CommandError, call_command

import pytest

from apps.catalog.models import CatalogEntry
from apps.devtools.bench.bulk import BENCH_SLUG_PREFIX
from apps.devtools.demo import organs as organs_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _bench(*args) -> str:
    out = io.StringIO()
    call_command("bench", "--workers", "1", "--repeat", "2", *args, stdout=out)
    return out.getvalue()


def test_bench_refuses_the_demo_database():
    organs_demo.build(rng=random.Random(1), stdout=io.StringIO())
    with pytest.raises(CommandError, match="demo organs"):
        _bench("--entries", "10")
    assert not CatalogEntry.objects.exists()


def test_bench_loads_what_is_missing_then_reuses_it_and_prints_the_table():
    output = _bench("--entries", "40")

    assert "Loading 40 entries (0 already there)" in output
    assert CatalogEntry.objects.filter(organ__slug__startswith=BENCH_SLUG_PREFIX).count() == 40
    for case in (
        "list /catalog/",
        "list organ+year",
        "search rare",
        "search 公开",
        "search fragment 商引",
        "detail",
    ):
        assert case in output
    assert "p50 ms" in output and "Table catalog_catalogentry: 40 rows" in output

    again = _bench("--entries", "40")
    assert "Reusing 40 entries" in again
    assert CatalogEntry.objects.count() == 40

    more = _bench("--entries", "60")
    assert "Loading 20 entries (40 already there)" in more
    assert CatalogEntry.objects.values("index_number").distinct().count() == 60


def test_bench_rebuild_starts_again():
    _bench("--entries", "20")
    first = set(CatalogEntry.objects.values_list("index_number", flat=True))
    output = _bench("--entries", "20", "--rebuild")
    assert "Loading 20 entries (0 already there)" in output
    assert set(CatalogEntry.objects.values_list("index_number", flat=True)) == first  # same seed, same rows


@pytest.mark.django_db(transaction=True)
def test_the_import_benchmark_prints_its_rates_and_keeps_nothing():
    from apps.catalog.models import SearchDocument
    from apps.devtools.bench import imports

    out = io.StringIO()
    imports.run(out, rows=40)
    text = out.getvalue()
    assert "dry run: 40 rows in" in text and "import : 40 rows in" in text
    assert "vacuumed the rolled-back rows" in text
    assert not CatalogEntry.objects.exists() and not SearchDocument.objects.exists()
