"""The back-office pages clerks use must work under the strict CSP (settings.SECURE_CSP):
no inline <script> bodies, no <style> elements, no style="" and no on*="" handlers."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from apps.catalog.resources import COLUMNS
from tests.factories import CatalogEntryFactory, OrganPageFactory

pytestmark = pytest.mark.django_db


class InlineCodeFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._script_without_src = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            data_only = attributes.get("type") in ("application/json", "text/template")
            self._script_without_src = "src" not in attributes and not data_only

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_without_src = False

    def handle_data(self, data):
        if self._script_without_src and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")


def assert_csp_clean(response):
    assert response.status_code == 200
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    assert finder.problems == []


def test_finder_catches_inline_code():
    finder = InlineCodeFinder()
    finder.feed('<p style="x"></p><a onclick="y">z</a><script>alert(1)</script><script src="/a.js"></script>')
    assert len(finder.problems) == 3


def test_catalog_changelist_with_actions_and_filters(client, alice, organ_a):
    CatalogEntryFactory(organ=organ_a)
    client.force_login(alice)
    response = client.get(reverse("admin:catalog_catalogentry_changelist"))
    assert "publish_selected" in response.content.decode()
    assert_csp_clean(response)


def test_catalog_add_and_change_forms_with_attachment_inline(client, alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, publish=False)
    client.force_login(alice)
    add = client.get(reverse("admin:catalog_catalogentry_add"))
    assert "attachments-TOTAL_FORMS" in add.content.decode()
    assert_csp_clean(add)
    change = client.get(reverse("admin:catalog_catalogentry_change", args=[entry.pk]))
    assert "审核与发布" in change.content.decode()  # the state, the link and the history
    assert_csp_clean(change)
    review = client.get(reverse("admin:catalog_catalogentry_review", args=[entry.pk]))
    assert 'name="step"' in review.content.decode()
    assert_csp_clean(review)


def test_import_pages_including_preview_and_errors(client, alice, organ_a):
    from tests.factories import GenreFactory, ThemeFactory

    ThemeFactory()
    GenreFactory()
    entry = CatalogEntryFactory(organ=organ_a, publish=False)
    client.force_login(alice)
    url = reverse("admin:catalog_catalogentry_import")
    assert_csp_clean(client.get(url))

    def upload(rows):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["索引号", "名称", "发布日期", "主题分类", "体裁"])
        writer.writerows(rows)
        return client.post(
            url,
            {
                "import_file": SimpleUploadedFile("a.csv", out.getvalue().encode("utf-8")),
                "format": "0",
                "resource": "0",
            },
        )

    preview = upload(
        [
            ["", "新条目", "2024-01-01", "综合政务\\政务公开", "通知"],
            [entry.index_number, "改名", "2024-01-01", "综合政务\\政务公开", "通知"],
        ]
    )
    assert "<ins>" in preview.content.decode()  # the update diff, without inline styles
    assert_csp_clean(preview)
    errors = upload([["", "坏日期", "2024年1月1日", "综合政务\\政务公开", "通知"]])
    assert "第2行「发布日期」" in errors.content.decode()
    assert_csp_clean(errors)
    assert set(COLUMNS.values()) >= {"索引号", "名称"}


def test_export_delete_and_history_pages(client, alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, publish=False)
    client.force_login(alice)
    assert_csp_clean(client.get(reverse("admin:catalog_catalogentry_export")))
    assert_csp_clean(client.get(reverse("admin:catalog_catalogentry_delete", args=[entry.pk])))
    assert_csp_clean(client.get(reverse("admin:catalog_catalogentry_history", args=[entry.pk])))


def test_organ_pages(client, alice, organ_a):
    OrganPageFactory(organ=organ_a)
    client.force_login(alice)
    assert_csp_clean(client.get(reverse("admin:organs_organ_change", args=[organ_a.pk])))
    assert_csp_clean(client.get(reverse("admin:organs_organpage_changelist")))
    assert_csp_clean(client.get(reverse("admin:organs_organpage_add")))
