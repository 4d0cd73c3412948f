"""The back office: clerks see and change only their own organ's records."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

import pytest

from apps.proactive.enums import Approximation, Channel, NormativeKind
from apps.proactive.models import Publication, Table2Override, YearTally
from tests.factories import CatalogEntryFactory
from tests.factories.records import PublicationFactory, YearTallyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_publication(organ_b):
    return PublicationFactory(organ=organ_b, title="统计公报（乙）")


def _publication_form(organ, **overrides):
    data = {
        "organ": organ.pk,
        "channel": Channel.NEWSPAPER,
        "date": "2018-05-01",
        "title": "招商引资工作稿件",
        "count": "4",
        "copies": "",
        "catalog_entry": "",
        "note": "",
    }
    return data | overrides


def test_alice_lists_only_her_publications(client, alice, organ_a, bobs_publication):
    PublicationFactory(organ=organ_a, title="市经合局职能")
    client.force_login(alice)
    response = client.get(reverse("admin:proactive_publication_changelist"))
    assert response.status_code == 200
    assert "市经合局职能" in response.text
    assert "统计公报（乙）" not in response.text


def test_alice_cannot_open_bobs_publication(client, alice, bobs_publication):
    client.force_login(alice)
    response = client.get(reverse("admin:proactive_publication_change", args=[bobs_publication.pk]))
    assert response.status_code == 302  # the admin says "does not exist" and goes back to the index
    assert bobs_publication.title not in client.get(response.url).text


def test_alice_cannot_change_bobs_publication(client, alice, organ_a, bobs_publication):
    client.force_login(alice)
    client.post(
        reverse("admin:proactive_publication_change", args=[bobs_publication.pk]),
        _publication_form(organ_a, title="改过了"),
    )
    bobs_publication.refresh_from_db()
    assert bobs_publication.title == "统计公报（乙）"
    assert bobs_publication.organ_id != organ_a.pk


def test_alice_cannot_delete_bobs_publication(client, alice, bobs_publication):
    client.force_login(alice)
    client.post(reverse("admin:proactive_publication_delete", args=[bobs_publication.pk]), {"post": "yes"})
    assert Publication.objects.filter(pk=bobs_publication.pk).exists()


def test_alice_adds_a_publication_of_her_organ(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(reverse("admin:proactive_publication_add"), _publication_form(organ_a))
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert (publication.organ, publication.count, publication.title) == (organ_a, 4, "招商引资工作稿件")


def test_alice_records_a_round_figure_and_her_own_sentence(client, alice, organ_a):
    client.force_login(alice)
    data = _publication_form(
        organ_a,
        channel=Channel.PRINTED,
        title="招商指南",
        count="1",
        copies="2500",
        approximation=Approximation.MORE,
        detail="面向投资者印发招商指南，宣传本区投资环境。",
    )
    response = client.post(reverse("admin:proactive_publication_add"), data)
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert (publication.copies, publication.approximation) == (2500, "more")
    assert publication.detail == "面向投资者印发招商指南，宣传本区投资环境。"
    page = client.get(reverse("admin:proactive_publication_change", args=[publication.pk]))
    assert "具体情况" in page.content.decode() and "余（如2500余册）" in page.content.decode()


def test_alice_cannot_add_a_publication_for_bobs_organ(client, alice, organ_b):
    client.force_login(alice)
    response = client.post(reverse("admin:proactive_publication_add"), _publication_form(organ_b))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.text or "Select a valid choice" in response.text
    assert not Publication.objects.exists()


def test_alice_cannot_link_bobs_catalog_entry(client, alice, organ_a, organ_b):
    entry = CatalogEntryFactory(organ=organ_b)
    client.force_login(alice)
    response = client.post(
        reverse("admin:proactive_publication_add"), _publication_form(organ_a, catalog_entry=str(entry.pk))
    )
    assert response.status_code == 200
    assert not Publication.objects.exists()


def test_printed_material_without_copies_gets_a_clear_message(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(
        reverse("admin:proactive_publication_add"),
        _publication_form(organ_a, channel=Channel.PRINTED, title="招商指南", count="1"),
    )
    assert response.status_code == 200
    assert "印发资料须填写印发册数。" in response.text
    assert not Publication.objects.exists()


@pytest.mark.parametrize("n", [1, 3])
def test_publication_changelist_query_count_does_not_grow(
    client, alice, organ_a, n, django_assert_num_queries
):
    entry = CatalogEntryFactory(organ=organ_a)
    for _ in range(n):
        PublicationFactory(organ=organ_a, catalog_entry=entry)
    client.force_login(alice)
    url = reverse("admin:proactive_publication_changelist")
    client.get(url)  # warm the session and content-type caches
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.text.count('class="action-select"') == n


def _tally_form(organ, **overrides):
    data = {
        "organ": organ.pk,
        "year": "2024",
        "licensing": "12",
        "punishment": "0",
        "enforcement": "",
        "enforcement_not_applicable": "on",
        "fees_wan_yuan": "3.5",
    }
    return {name: value for name, value in (data | overrides).items() if value is not None}


def test_tally_not_applicable_box_and_zero_and_blank_are_three_states(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(reverse("admin:proactive_yeartally_add"), _tally_form(organ_a))
    assert response.status_code == 302
    tally = YearTally.objects.get()
    assert (tally.licensing, tally.punishment, tally.enforcement_not_applicable) == (12, 0, True)
    assert tally.fees_wan_yuan == Decimal("3.5")
    assert tally.licensing_items_last_year is None  # 2019 figure: not entered, and saved so
    assert [tally.state(m) for m in ("licensing", "punishment", "enforcement", "other_services")] == [
        12,
        0,
        None,
        "-",
    ]
    assert tally.updated_by == alice


def test_tally_number_and_box_together_are_refused(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(reverse("admin:proactive_yeartally_add"), _tally_form(organ_a, enforcement="2"))
    assert response.status_code == 200
    assert "已勾选“不适用”，请不要填写数字。" in response.text
    assert not YearTally.objects.exists()


def test_tally_negative_number_gets_a_chinese_message_and_changes_nothing(client, alice, organ_a):
    tally = YearTallyFactory(organ=organ_a, licensing=7)
    client.force_login(alice)
    url = reverse("admin:proactive_yeartally_change", args=[tally.pk])
    for figure in ("licensing", "fees_wan_yuan", "procurement_items"):
        response = client.post(url, _tally_form(organ_a, **{figure: "-1"}))
        assert response.status_code == 200
        assert "不能为负数（没有的填0）。" in response.text, figure
    tally.refresh_from_db()
    assert (tally.licensing, tally.fees_wan_yuan, tally.procurement_items) == (7, Decimal("0"), None)


def test_tally_accepts_a_negative_change_of_the_2019_format(client, alice, organ_a):
    client.force_login(alice)
    data = _tally_form(organ_a, year="2020", licensing_items_last_year="40", licensing_items_change="-3")
    response = client.post(reverse("admin:proactive_yeartally_add"), data)
    assert response.status_code == 302
    tally = YearTally.objects.get()
    assert (tally.licensing_items_last_year, tally.licensing_items_change) == (40, -3)


def test_tally_form_shows_every_power_and_the_2019_figures(client, alice, organ_a):
    client.force_login(alice)
    page = client.get(reverse("admin:proactive_yeartally_add")).text
    for text in (
        "第二十条第（五）项 其他对外管理服务事项",
        "第二十条第（九）项 政府集中采购",
        "行政许可（上一年项目数量）",
        "行政许可（本年增/减）",
        "政府集中采购（采购总金额，万元）",
        'name="fees_not_applicable"',
    ):
        assert text in page, text


def test_tally_changelist_tells_not_entered_from_not_applicable(client, alice, organ_a):
    YearTally.objects.create(organ=organ_a, year=2024, licensing=3, punishment_not_applicable=True)
    client.force_login(alice)
    response = client.get(reverse("admin:proactive_yeartally_changelist"))
    row = response.text.split('class="action-select"')[1]
    assert "未填报" in row and '<td class="field-punishment_display">/</td>' in row


def test_alice_cannot_see_bobs_tally(client, alice, organ_b):
    YearTallyFactory(organ=organ_b, year=2011)
    client.force_login(alice)
    response = client.get(reverse("admin:proactive_yeartally_changelist"))
    assert "2011" not in response.text


def test_override_admin_records_the_author_and_requires_a_reason(client, alice, organ_a):
    client.force_login(alice)
    url = reverse("admin:proactive_table2override_add")
    data = {
        "organ": organ_a.pk,
        "year": "2024",
        "kind": NormativeKind.NORMATIVE,
        "issued": "2",
        "repealed": "0",
        "in_force": "31",
        "reason": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Table2Override.objects.exists()
    response = client.post(url, data | {"reason": "目录上线前的文件未录入。"})
    assert response.status_code == 302
    override = Table2Override.objects.get()
    assert (override.set_by, override.in_force) == (alice, 31)


def test_charlie_without_organ_sees_nothing(client, charlie, organ_a):
    PublicationFactory(organ=organ_a, date=dt.date(2018, 1, 2), title="市经合局职能")
    client.force_login(charlie)
    response = client.get(reverse("admin:proactive_publication_changelist"))
    assert "市经合局职能" not in response.text
