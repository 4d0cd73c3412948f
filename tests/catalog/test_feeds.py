"""Atom feeds and the sitemap list published entries only."""

import datetime as dt
import re

import pytest

from apps.catalog import services
from tests.factories import CatalogEntryFactory


@pytest.fixture
def catalog(organ_a, organ_b):
    CatalogEntryFactory(organ=organ_a, title="甲机关公开通知", publish_date=dt.date(2024, 5, 1))
    CatalogEntryFactory(organ=organ_b, title="乙机关公开通知", publish_date=dt.date(2024, 6, 1))
    CatalogEntryFactory(organ=organ_a, title="甲机关草稿", publish=False)
    withdrawn = CatalogEntryFactory(organ=organ_a, title="甲机关撤回")
    services.entry_withdraw(entry=withdrawn, reason="内容有误")
    return withdrawn


@pytest.mark.django_db
def test_city_feed_lists_published_entries_newest_first(client, catalog):
    response = client.get("/catalog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert xml.index("乙机关公开通知") < xml.index("甲机关公开通知")
    assert "草稿" not in xml and "撤回" not in xml
    assert "/catalog/11231000MB0000002X/2024-00001/" in xml


@pytest.mark.django_db
def test_organ_feed_lists_that_organ_only(client, catalog, organ_a):
    xml = client.get(f"/catalog/feed/{organ_a.slug}/").content.decode()
    assert "甲机关公开通知" in xml and "乙机关" not in xml
    assert "草稿" not in xml and "撤回" not in xml
    assert organ_a.name in xml


@pytest.mark.django_db
def test_feed_of_unknown_organ_is_404(client):
    assert client.get("/catalog/feed/nonexistent/").status_code == 404


@pytest.mark.django_db
def test_feed_is_limited_to_fifty_entries(client, organ_a):
    for i in range(52):
        CatalogEntryFactory(organ=organ_a, title=f"通知{i:02d}")
    assert client.get("/catalog/feed/").content.decode().count("<entry>") == 50


@pytest.mark.django_db
def test_sitemap_lists_published_entries_only(client, catalog):
    index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>http://testserver(/sitemap-catalog-\d+\.xml)</loc>", index)
    xml = "".join(client.get(page).content.decode() for page in pages)
    assert "/catalog/11231000MB0000001X/2024-00001/" in xml  # 甲机关公开通知
    assert "/catalog/11231000MB0000002X/2024-00001/" in xml
    assert "2024-00002" not in xml and "2024-00003" not in xml  # the draft and the withdrawn one
