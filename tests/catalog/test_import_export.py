"""CSV/XLSX import and export of catalog entries: all or nothing, own organ only."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import openpyxl
import pytest
import tablib

from apps.catalog import services
from apps.catalog.enums import Status, Validity
from apps.catalog.models import CatalogEntry
from apps.catalog.resources import COLUMNS, entries_import
from apps.organs import review
from tests.factories import CatalogEntryFactory, GenreFactory, ThemeFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:catalog_catalogentry_import")
PROCESS = reverse("admin:catalog_catalogentry_process_import")
EXPORT = reverse("admin:catalog_catalogentry_export")
HEADER = list(COLUMNS.values())


@pytest.fixture(autouse=True)
def vocabulary(db):
    ThemeFactory()  # 综合政务\政务公开
    GenreFactory(name="通知")
    GenreFactory(name="公告")


def row(**values) -> list[str]:
    base = {
        "索引号": "",
        "名称": "关于做好2024年政务公开工作的通知",
        "内容概述": "部署年度政务公开工作。",
        "正文": "各科室：现将有关事项通知如下。",
        "发文字号": "牡经合发〔2024〕1号",
        "成文日期": "2024-01-02",
        "发布日期": "2024-01-05",
        "生效日期": "",
        "废止日期": "",
        "有效性": "有效",
        "主题分类": "综合政务\\政务公开",
        "体裁": "通知",
        "第二十条项": "（一）",
        "关键词": "政务公开",
        "状态": "草稿",
    }
    base.update(values)
    return [base[h] for h in HEADER]


def dataset(*rows, headers=HEADER) -> tablib.Dataset:
    data = tablib.Dataset(headers=list(headers))
    for r in rows:
        data.append(r)
    return data


def csv_bytes(*rows, encoding="utf-8-sig", headers=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, content: bytes, name="entries.csv", fmt="0", **extra):
    return client.post(
        IMPORT, {"import_file": SimpleUploadedFile(name, content), "format": fmt, "resource": "0", **extra}
    )


def confirm(client, preview_response, **extra):
    form = preview_response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(extra)
    return client.post(PROCESS, data, follow=True)


# -- import ---------------------------------------------------------------------------------


def test_admin_import_previews_then_creates_entries_for_own_organ(client, alice, organ_a):
    client.force_login(alice)
    content = csv_bytes(row(名称="第一份通知"), row(名称="第二份公告", 体裁="公告", 第二十条项="5"))
    preview = upload(client, content)
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None
    assert not CatalogEntry.objects.exists()  # the preview is a dry run
    assert 'style="' not in preview.content.decode()  # CSP: no inline style in the diff

    response = confirm(client, preview)
    assert "导入完成：新增 2 条" in response.content.decode()
    entries = list(CatalogEntry.objects.order_by("index_serial"))
    assert [e.title for e in entries] == ["第一份通知", "第二份公告"]
    assert [e.index_number for e in entries] == [
        "11231000MB0000001X/2024-00001",
        "11231000MB0000001X/2024-00002",
    ]
    assert {e.organ_id for e in entries} == {organ_a.pk}
    assert all(e.created_by == alice and e.status == Status.DRAFT for e in entries)
    assert entries[0].theme.path == "综合政务\\政务公开"
    assert entries[0].article_item == 1 and entries[1].article_item == 5
    assert entries[0].written_date == dt.date(2024, 1, 2)


def test_file_with_one_bad_row_changes_nothing(client, alice, organ_a):
    client.force_login(alice)
    content = csv_bytes(row(名称="好的一行"), row(名称="坏的一行", 发布日期="2024/1/5"), row(名称="又一好行"))
    preview = upload(client, content)
    page = preview.content.decode()
    assert "第3行「发布日期」：日期格式应为 YYYY-MM-DD" in page
    assert preview.context.get("confirm_form") is None
    assert not CatalogEntry.objects.exists()


def test_a_bad_row_rolls_back_the_good_rows_and_their_serials(alice, organ_a):
    result, errors = entries_import(
        organ=organ_a,
        user=alice,
        dataset=dataset(row(名称="好"), row(名称="坏", 有效性="永久有效"), row(名称="好2")),
    )
    assert errors == ["第3行「有效性」：应为以下之一：有效、已失效、已废止、不适用"]
    assert not CatalogEntry.objects.exists()
    # The rolled-back rows did not use up serials.
    assert CatalogEntryFactory(organ=organ_a).index_number.endswith("/2024-00001")


def test_errors_name_line_and_column_for_every_problem(alice, organ_a):
    _result, errors = entries_import(
        organ=organ_a,
        user=alice,
        dataset=dataset(
            row(),
            row(主题分类="综合政务\\不存在", 体裁="诗歌"),
            row(名称="", 发布日期="2024-02-30"),
            row(生效日期="2024-06-01", 废止日期="2024-05-01"),
        ),
    )
    assert (
        "第3行「主题分类」：找不到主题分类「综合政务\\不存在」，应写作“一级\\二级”，如“综合政务\\政务公开”"
        in errors
    )
    assert any(e.startswith("第3行「体裁」：找不到体裁「诗歌」") for e in errors)
    assert "第4行「发布日期」：日期「2024-02-30」不存在" in errors
    assert any(e.startswith("第4行「名称」：") for e in errors)
    assert any(e.startswith("第5行") for e in errors)
    assert not CatalogEntry.objects.exists()


def test_import_updates_an_entry_of_own_organ_by_index_number(alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, title="旧名称", publish=False)
    _result, errors = entries_import(
        organ=organ_a,
        user=alice,
        dataset=dataset(
            row(索引号=entry.index_number, 名称="新名称", 有效性="已废止", 废止日期="2024-12-31")
        ),
    )
    assert errors == []
    entry.refresh_from_db()
    assert entry.title == "新名称"
    assert entry.validity == Validity.REPEALED
    assert entry.expiry_date == dt.date(2024, 12, 31)
    assert CatalogEntry.objects.count() == 1


def test_import_cannot_update_another_organs_entry(alice, organ_a, organ_b):
    foreign = CatalogEntryFactory(organ=organ_b, title="乙局条目", publish=False)
    _result, errors = entries_import(
        organ=organ_a,
        user=alice,
        dataset=dataset(row(名称="本局新条目"), row(索引号=foreign.index_number, 名称="改写乙局")),
    )
    assert errors == [
        f"第3行「索引号」：本机关没有索引号为「{foreign.index_number}」的条目（新增条目请将索引号留空）"
    ]
    foreign.refresh_from_db()
    assert foreign.title == "乙局条目"
    assert CatalogEntry.objects.count() == 1


def test_admin_import_never_creates_for_another_organ(client, alice, organ_b):
    client.force_login(alice)
    preview = upload(client, csv_bytes(row(名称="想进乙局")), organ=str(organ_b.pk))
    confirm(client, preview, organ=str(organ_b.pk))
    entry = CatalogEntry.objects.get(title="想进乙局")
    assert entry.organ.code == "11231000MB0000001X"  # alice's organ, whatever was posted
    assert not CatalogEntry.objects.filter(organ=organ_b).exists()


def test_importing_published_rows_needs_both_the_review_and_the_publish_role(alice, organ_a):
    alice.user_permissions.remove(Permission.objects.get(codename="review_catalogentry"))
    alice = type(alice).objects.get(pk=alice.pk)  # drop the permission cache
    _result, errors = entries_import(organ=organ_a, user=alice, dataset=dataset(row(状态="已发布")))
    assert errors == ["第2行「状态」：导入已发布的条目须同时具有审核人和发布人角色"]
    assert not CatalogEntry.objects.exists()


def test_import_registers_already_public_documents_and_says_who_vouched(alice, organ_a):
    _result, errors = entries_import(
        organ=organ_a, user=alice, dataset=dataset(row(名称="新发布", 状态="已发布"))
    )
    assert errors == []
    entry = CatalogEntry.objects.get(title="新发布")
    assert entry.status == Status.PUBLISHED
    steps = [(e.action, e.actor_label, e.note) for e in review.history(entry)]
    assert steps == [
        ("created", "alice", ""),
        ("published", "alice", "登记已公开的文件：审核和发布由录入人确认。"),
    ]


def test_import_publishes_only_approved_entries_and_never_withdraws(alice, organ_a):
    draft = CatalogEntryFactory(organ=organ_a, title="草稿", publish=False)
    published = CatalogEntryFactory(organ=organ_a, title="要撤回的")
    _result, errors = entries_import(
        organ=organ_a,
        user=alice,
        dataset=dataset(
            row(索引号=draft.index_number, 名称="草稿", 状态="已发布"),
            row(索引号=published.index_number, 名称="要撤回的", 状态="已撤回"),
        ),
    )
    assert errors == [
        "第2行「状态」：条目尚未审核通过，不能发布",
        "第3行「状态」：撤回须说明原因，请在后台逐条或批量撤回",
    ]
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_import_publishes_an_approved_entry_whose_row_is_unchanged(alice, organ_a):
    entries_import(organ=organ_a, user=alice, dataset=dataset(row(名称="待发布")))
    entry = services.entry_approve(entry=CatalogEntry.objects.get(title="待发布"), actor=None)
    _result, errors = entries_import(
        organ=organ_a,
        user=alice,
        dataset=dataset(row(索引号=entry.index_number, 名称="待发布", 状态="已发布")),
    )
    assert errors == []
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED


def test_an_import_that_changes_an_approved_entry_sends_it_back_to_review(alice, organ_a):
    entries_import(organ=organ_a, user=alice, dataset=dataset(row(名称="待发布")))
    entry = services.entry_approve(entry=CatalogEntry.objects.get(title="待发布"), actor=None)
    _result, errors = entries_import(
        organ=organ_a, user=alice, dataset=dataset(row(索引号=entry.index_number, 名称="改过的标题"))
    )
    assert errors == []
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT
    assert [c["field"] for c in review.history(entry).last().changes] == ["title"]


def test_unknown_and_missing_columns_are_reported_once(alice, organ_a):
    headers = [h if h != "发布日期" else "发布时间" for h in HEADER]
    _result, errors = entries_import(organ=organ_a, user=alice, dataset=dataset(row(), headers=headers))
    assert len(errors) == 1
    assert errors[0].startswith("第1行（表头）有无法识别的列：发布时间")
    assert not CatalogEntry.objects.exists()


def test_file_without_index_number_column_creates_entries(alice, organ_a):
    headers = [h for h in HEADER if h != "索引号"]
    data = dataset(row()[1:], headers=headers)
    _result, errors = entries_import(organ=organ_a, user=alice, dataset=data)
    assert errors == []
    assert CatalogEntry.objects.get().index_number.endswith("-00001")


def test_blank_lines_are_skipped(alice, organ_a):
    _result, errors = entries_import(
        organ=organ_a, user=alice, dataset=dataset(row(), [""] * len(HEADER), row(名称="第二条"))
    )
    assert errors == []
    assert CatalogEntry.objects.count() == 2


def test_gbk_csv_from_excel_is_read(client, alice):
    client.force_login(alice)
    preview = upload(client, csv_bytes(row(名称="国标编码的文件"), encoding="gb18030"))
    confirm(client, preview)
    assert CatalogEntry.objects.filter(title="国标编码的文件").exists()


def test_confirm_with_rows_gone_bad_meanwhile_changes_nothing(client, alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, title="草稿", publish=False)
    client.force_login(alice)
    preview = upload(client, csv_bytes(row(名称="新的"), row(索引号=entry.index_number, 名称="草稿改")))
    entry.delete()  # deleted by a colleague before the confirmation
    response = confirm(client, preview)
    content = response.content.decode()
    assert "导入未完成，没有任何数据被更改" in content
    assert "第3行「索引号」" in content
    assert not CatalogEntry.objects.exists()


def test_superuser_imports_into_the_organ_chosen(client, root, organ_a, organ_b):
    client.force_login(root)
    preview = upload(client, csv_bytes(row(名称="给乙局")), organ=str(organ_b.pk))
    assert preview.context["confirm_form"] is not None
    confirm(client, preview)
    assert CatalogEntry.objects.get(title="给乙局").organ == organ_b


def test_users_without_organ_cannot_import(client, charlie):
    charlie.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    client.force_login(charlie)
    assert client.get(IMPORT).status_code == 403
    assert client.post(EXPORT, {"format": "0", "resource": "0"}).status_code == 403


# -- export ---------------------------------------------------------------------------------


def test_export_csv_has_chinese_columns_and_only_own_entries(client, alice, organ_a, organ_b):
    CatalogEntryFactory(organ=organ_a, title="甲局公开的", doc_number="牡经合发〔2024〕7号")
    CatalogEntryFactory(organ=organ_b, title="乙局公开的")
    client.force_login(alice)
    response = client.post(EXPORT, {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 correctly
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) == 2
    exported = dict(zip(rows[0], rows[1], strict=True))
    assert exported["名称"] == "甲局公开的"
    assert exported["主题分类"] == "综合政务\\政务公开"
    assert exported["发布日期"] == "2024-03-01"
    assert exported["状态"] == "已发布"
    assert exported["有效性"] == "有效"


def test_export_xlsx_round_trips_as_updates(client, alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, title="原标题", article_item=1, publish=False)
    client.force_login(alice)
    response = client.post(EXPORT, {"format": "1", "resource": "0"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == HEADER
    sheet.cell(row=2, column=HEADER.index("名称") + 1, value="改过的标题")
    out = io.BytesIO()
    book.save(out)

    preview = upload(client, out.getvalue(), name="entries.xlsx", fmt="1")
    assert preview.context["confirm_form"] is not None, preview.context.get("import_messages")
    confirm(client, preview)
    entry.refresh_from_db()
    assert entry.title == "改过的标题"
    assert entry.article_item == 1
    assert CatalogEntry.objects.count() == 1


def test_preview_marks_changed_cells_and_escapes_them(client, alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, title="原标题", publish=False)
    client.force_login(alice)
    content = csv_bytes(row(索引号=entry.index_number, 名称="<b>新标题</b>", 状态=""), row(名称="x" * 120))
    page = upload(client, content).content.decode()
    assert "<del>原标题</del> <ins>&lt;b&gt;新标题&lt;/b&gt;</ins>" in page
    assert "x" * 79 + "…" in page and "x" * 80 not in page  # cells are cut at 80 characters
    entry.refresh_from_db()
    assert entry.title == "原标题"  # only a preview
