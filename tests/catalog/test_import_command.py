"""manage.py import_entries: the batched import for large files, all or nothing."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command

import pytest

from apps.catalog.models import CatalogEntry
from apps.organs import review
from tests.catalog.test_import_export import csv_bytes, row
from tests.factories import GenreFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vocabulary(db):
    ThemeFactory()
    GenreFactory(name="通知")


def test_the_command_imports_as_the_system_and_prints_the_rate(tmp_path, organ_a):
    path = tmp_path / "目录.csv"
    path.write_bytes(csv_bytes(row(名称="命令导入的", 状态="已发布"), row(名称="命令导入的草稿")))
    out = io.StringIO()
    call_command("import_entries", "--organ", organ_a.slug, str(path), stdout=out)
    assert "Imported: 2 rows (2 new, 0 updated)" in out.getvalue()
    assert "rows/s" in out.getvalue()
    entry = CatalogEntry.objects.get(title="命令导入的")
    assert [(e.action, e.actor_label) for e in review.history(entry)] == [
        ("created", "系统"),
        ("published", "系统"),
    ]


def test_the_dry_run_keeps_nothing(tmp_path, organ_a):
    path = tmp_path / "entries.csv"
    path.write_bytes(csv_bytes(row()))
    out = io.StringIO()
    call_command("import_entries", "--organ", organ_a.slug, "--dry-run", str(path), stdout=out)
    assert "Dry run, nothing kept: 1 rows" in out.getvalue()
    assert not CatalogEntry.objects.exists()


def test_problems_are_printed_and_nothing_is_written(tmp_path, organ_a):
    path = tmp_path / "entries.csv"
    path.write_bytes(csv_bytes(row(), row(发布日期="2024/1/5")))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_entries", "--organ", organ_a.slug, str(path), stderr=err)
    assert "第3行「发布日期」：日期格式应为 YYYY-MM-DD" in err.getvalue()
    assert not CatalogEntry.objects.exists()


def test_unknown_organ_and_missing_file_are_refused(tmp_path, organ_a):
    with pytest.raises(CommandError, match="No organ"):
        call_command("import_entries", "--organ", "nope", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_entries", "--organ", organ_a.slug, str(tmp_path / "missing.csv"))
