"""matching_entries: the list page's filters and search as one queryset, for the API and downloads."""

import datetime as dt

import pytest

from apps.catalog import services
from apps.catalog.selectors import CatalogFilters, matching_entries, search_entries
from tests.factories import CatalogEntryFactory

pytestmark = pytest.mark.django_db


def test_it_finds_what_the_list_page_finds_newest_first(organ_a, organ_b):
    for i, title in enumerate(["关于招商引资的通知", "招商引资项目公告", "统计公报", "引资商务"]):
        CatalogEntryFactory(organ=organ_a, title=title, publish_date=dt.date(2024, 3, 1 + i))
    CatalogEntryFactory(organ=organ_b, title="招商引资办法", publish_date=dt.date(2024, 3, 9))
    filters = CatalogFilters(organ_id=organ_a.pk)

    found = list(matching_entries(query="商引", filters=filters))

    page = search_entries(query="商引", filters=filters)
    assert [e.pk for e in found] == [e.pk for e in page.entries]
    assert [e.title for e in found] == ["招商引资项目公告", "关于招商引资的通知"]


def test_it_never_gives_drafts_or_withdrawn_entries(organ_a):
    shown = CatalogEntryFactory(organ=organ_a, title="招商引资通知")
    CatalogEntryFactory(organ=organ_a, title="招商引资草稿", publish=False)
    withdrawn = CatalogEntryFactory(organ=organ_a, title="招商引资撤回")
    services.entry_withdraw(entry=withdrawn, reason="有误")

    assert list(matching_entries()) == [shown]
    assert list(matching_entries(query="招商")) == [shown]


def test_an_empty_or_inert_query_lists_everything(organ_a):
    made = [CatalogEntryFactory(organ=organ_a, publish_date=dt.date(2024, 1, d)) for d in (1, 2)]
    assert list(matching_entries(query="！？")) == list(reversed(made))
