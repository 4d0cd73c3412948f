"""Selector figures on a small hand-built data set; expected values worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.catalog.enums import DocumentKind, Validity
from apps.proactive import selectors, services
from apps.proactive.enums import Channel, NormativeKind
from apps.proactive.models import YearTally
from tests.factories import CatalogEntryFactory, OrganFactory
from tests.factories.records import PublicationFactory, YearTallyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publications(organ_a, organ_b):
    d = dt.date
    PublicationFactory(
        organ=organ_a, channel=Channel.WEBSITE, date=d(2018, 2, 1), title="职能、机构", count=5
    )
    PublicationFactory(organ=organ_a, channel=Channel.WEBSITE, date=d(2018, 6, 1), title="政策法规", count=2)
    PublicationFactory(organ=organ_a, channel=Channel.WEBSITE, date=d(2018, 12, 31), title="招商动态")
    PublicationFactory(
        organ=organ_a, channel=Channel.NEWSPAPER, date=d(2018, 5, 1), title="招商引资", count=4
    )
    PublicationFactory(
        organ=organ_a, channel=Channel.PRINTED, date=d(2018, 3, 1), title="招商指南", copies=1000
    )
    PublicationFactory(
        organ=organ_a, channel=Channel.PRINTED, date=d(2018, 5, 2), title="项目册", copies=1000
    )
    PublicationFactory(
        organ=organ_a, channel=Channel.PRINTED, date=d(2018, 9, 1), title="招商指南", copies=500
    )
    # Outside the year or the organ: never counted for organ A in 2018.
    PublicationFactory(organ=organ_a, channel=Channel.WEBSITE, date=d(2017, 12, 31), title="旧闻")
    PublicationFactory(organ=organ_a, channel=Channel.WEBSITE, date=d(2019, 1, 1), title="新闻")
    PublicationFactory(organ=organ_b, channel=Channel.WEBSITE, date=d(2018, 7, 1), title="统计公报", count=3)


def test_channel_counts_adds_up_items_and_keeps_printed_out_of_the_total(organ_a, publications):
    counts = selectors.channel_counts(organ_ids=[organ_a.pk], year=2018)
    assert counts == {
        "website": 8,
        "new_media": 0,
        "newspaper": 4,
        "broadcast": 0,
        "press_conference": 0,
        "reading_point": 0,
        "printed": 3,
        "total": 12,
    }


def test_channel_counts_rolls_up_several_organs(organ_a, organ_b, publications):
    counts = selectors.channel_counts(organ_ids=[organ_a.pk, organ_b.pk], year=2018)
    assert (counts["website"], counts["total"]) == (11, 15)


def test_printed_copies_groups_reprints_by_title_in_first_printing_order(organ_a, publications):
    rows = selectors.printed_copies(organ_ids=[organ_a.pk], year=2018)
    assert rows == [{"title": "招商指南", "copies": 1500}, {"title": "项目册", "copies": 1000}]
    assert sum(r["copies"] for r in rows) == 2500


def test_publications_in_lists_the_counted_records(organ_a, publications):
    titles = [
        p.title for p in selectors.publications_in(organ_ids=[organ_a.pk], year=2018, channel="website")
    ]
    assert titles == ["职能、机构", "政策法规", "招商动态"]
    assert selectors.publications_in(organ_ids=[organ_a.pk], year=2018).count() == 7


def test_report_notes_give_the_qualifiers_and_the_clerks_sentences_of_the_year(organ_a, organ_b):
    d = dt.date
    printed, website = Channel.PRINTED, Channel.WEBSITE
    PublicationFactory(organ=organ_a, channel=printed, date=d(2018, 3, 1), title="招商指南", copies=1500)
    PublicationFactory(
        organ=organ_a, channel=printed, date=d(2018, 9, 1), title="招商指南", copies=500, approximation="more"
    )
    PublicationFactory(
        organ=organ_a, channel=printed, date=d(2018, 5, 1), title="项目册", copies=1000, approximation="about"
    )
    PublicationFactory(organ=organ_a, channel=website, date=d(2018, 6, 1), count=8, approximation="at_least")
    PublicationFactory(organ=organ_a, channel=website, date=d(2018, 2, 1), detail=" 报送职能、机构等信息。 ")
    PublicationFactory(organ=organ_a, channel=website, date=d(2018, 7, 1), detail="报送职能、机构等信息。")
    PublicationFactory(organ=organ_a, channel=website, date=d(2018, 8, 1), detail="更新招商动态。")
    # Another year, another organ.
    PublicationFactory(
        organ=organ_a, channel=website, date=d(2019, 1, 1), approximation="more", detail="次年。"
    )
    PublicationFactory(
        organ=organ_b, channel=website, date=d(2018, 1, 1), approximation="more", detail="乙机关。"
    )

    assert selectors.report_notes(organ_ids=[organ_a.pk], year=2018) == {
        # A printed record's qualifier is that of its copies, by title; the others' of their items.
        "counts": {"website": ["at_least"]},
        "copies": {"招商指南": ["more"], "项目册": ["about"]},
        "details": {"website": ["报送职能、机构等信息。", "更新招商动态。"]},
    }
    assert selectors.report_notes(organ_ids=[organ_a.pk], year=2017) == {
        "counts": {},
        "copies": {},
        "details": {},
    }


def test_publications_in_refuses_an_unknown_channel(organ_a):
    with pytest.raises(ValueError):
        selectors.publications_in(organ_ids=[organ_a.pk], year=2018, channel="fax")


def _normative(organ, **fields):
    defaults = {"document_kind": DocumentKind.NORMATIVE, "publish_date": dt.date(2024, 3, 1)}
    return CatalogEntryFactory(organ=organ, **(defaults | fields))


@pytest.fixture
def table2_data(organ_a, organ_b, alice, bob):
    d = dt.date
    # Organ A, from the catalog: 2024 normative issued, a 2020 one repealed in 2024, a 2024 rule.
    _normative(organ_a, written_date=d(2024, 2, 1))
    _normative(
        organ_a,
        written_date=d(2020, 5, 1),
        publish_date=d(2020, 5, 2),
        expiry_date=d(2024, 6, 30),
        validity=Validity.REPEALED,
    )
    _normative(organ_a, document_kind=DocumentKind.RULE, written_date=d(2024, 4, 1))
    # Organ B has a catalog entry, but its hand count replaces the catalog for that row.
    _normative(organ_b, written_date=d(2024, 1, 10))
    services.table2_override_set(
        organ=organ_b,
        year=2024,
        kind=NormativeKind.NORMATIVE,
        issued=2,
        repealed=0,
        in_force=10,
        reason="2019年前制发的文件未录入目录。",
        set_by=bob,
    )
    services.table2_override_set(
        organ=organ_b,
        year=2024,
        kind=NormativeKind.RULE,
        issued=None,
        repealed=None,
        in_force=None,
        reason="本机关无规章制定权。",
        set_by=bob,
    )
    YearTallyFactory(
        organ=organ_a,
        year=2024,
        licensing=10,
        enforcement=0,
        fees_wan_yuan=Decimal("1.2345"),
        not_applicable=["punishment"],
    )
    YearTallyFactory(
        organ=organ_b, year=2024, licensing=5, enforcement=3, not_applicable=["punishment", "fees"]
    )


FIGURES_2021 = ("licensing", "punishment", "enforcement", "fees_wan_yuan")
PUNISHMENT = YearTally.FIGURES["punishment"]


def test_table2_of_one_organ_comes_from_catalog_and_tally(organ_a, table2_data):
    table = selectors.table2(organ_ids=[organ_a.pk], year=2024)
    tally = YearTally.objects.get(organ=organ_a, year=2024)
    not_entered_2019 = [m for m in YearTally.MEASURES if m not in FIGURES_2021 and m not in PUNISHMENT]
    assert table == {
        "rule": {"issued": 1, "repealed": 0, "in_force": 1},
        "normative": {"issued": 1, "repealed": 1, "in_force": 1},
        "licensing": 10,
        "punishment": None,
        "enforcement": 0,
        "fees_wan_yuan": Decimal("1.2345"),
        # The 2019 trial format's figures were not entered; 行政处罚's are not applicable as a whole.
        "punishment_items_last_year": None,
        "punishment_items_change": None,
        **dict.fromkeys(not_entered_2019, "-"),
        "not_entered": {m: [organ_a.pk] for m in not_entered_2019},
        "tally_ids": {organ_a.pk: tally.pk},
        "tally_missing_organ_ids": [],
    }


def test_table2_override_replaces_the_catalog_and_none_means_not_applicable(organ_b, table2_data):
    table = selectors.table2(organ_ids=[organ_b.pk], year=2024)
    assert table["normative"] == {"issued": 2, "repealed": 0, "in_force": 10}
    assert table["rule"] == {"issued": None, "repealed": None, "in_force": None}
    assert (table["licensing"], table["punishment"], table["enforcement"]) == (5, None, 3)
    assert table["fees_wan_yuan"] is None
    assert table["fees_items_last_year"] is None  # the whole power is not applicable


def test_table2_rolls_up_numbers_and_leaves_out_organs_without_the_power(organ_a, organ_b, table2_data):
    table = selectors.table2(organ_ids=[organ_a.pk, organ_b.pk], year=2024)
    assert table["normative"] == {"issued": 3, "repealed": 1, "in_force": 11}
    # B says "not applicable" for 规章, A counts from the catalog: A's numbers stand.
    assert table["rule"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert (table["licensing"], table["punishment"], table["enforcement"]) == (15, None, 3)
    assert table["fees_wan_yuan"] == Decimal("1.2345")  # B has no fees: adds nothing
    assert "licensing" not in table["not_entered"]
    assert table["tally_missing_organ_ids"] == []


def test_table2_roll_up_with_an_organ_that_entered_nothing_is_not_entered(organ_a, organ_b, table2_data):
    third = OrganFactory()
    table = selectors.table2(organ_ids=[organ_a.pk, organ_b.pk, third.pk], year=2024)
    # Not the sum of the others: the third organ's figure is missing, not 0 and not "/".
    assert (table["licensing"], table["punishment"], table["fees_wan_yuan"]) == ("-", "-", "-")
    assert table["not_entered"]["licensing"] == [third.pk]
    assert table["not_entered"]["other_services"] == [organ_a.pk, organ_b.pk, third.pk]
    assert table["tally_missing_organ_ids"] == [third.pk]


def test_table2_without_any_tally_is_not_entered_rather_than_zero(organ_a):
    table = selectors.table2(organ_ids=[organ_a.pk], year=2030)
    assert {m: table[m] for m in FIGURES_2021} == dict.fromkeys(FIGURES_2021, "-")
    assert set(table["not_entered"]) == set(YearTally.MEASURES)
    assert table["tally_missing_organ_ids"] == [organ_a.pk]


def test_table2_keeps_a_negative_change_and_2019_figures(organ_a):
    YearTallyFactory(
        organ=organ_a,
        year=2020,
        licensing_items_last_year=40,
        licensing_items_change=-3,
        procurement_items=2,
        procurement_wan_yuan=Decimal("35.5"),
        not_applicable=["other_services"],
    )
    table = selectors.table2(organ_ids=[organ_a.pk], year=2020)
    assert (table["licensing_items_last_year"], table["licensing_items_change"]) == (40, -3)
    assert (table["procurement_items"], table["procurement_wan_yuan"]) == (2, Decimal("35.5"))
    assert table["other_services"] is None and table["other_services_items_change"] is None
    assert table["punishment_items_change"] == "-"


def _years_of_data(organ, years):
    for year in years:
        for channel in (Channel.WEBSITE, Channel.NEWSPAPER):
            PublicationFactory(organ=organ, channel=channel, date=dt.date(year, 4, 1))
        PublicationFactory(
            organ=organ, channel=Channel.PRINTED, date=dt.date(year, 4, 1), title="指南", copies=9
        )
        YearTallyFactory(organ=organ, year=year, licensing=year % 7)
        _normative(organ, written_date=dt.date(year, 2, 1), publish_date=dt.date(year, 2, 2))


@pytest.mark.parametrize("years", [[2024], [2022, 2023, 2024]])
def test_selectors_run_in_a_fixed_number_of_queries(organ_a, organ_b, years, django_assert_num_queries):
    _years_of_data(organ_a, years)
    _years_of_data(organ_b, years)
    ids = [organ_a.pk, organ_b.pk]
    with django_assert_num_queries(1):
        selectors.channel_counts(organ_ids=ids, year=2024)
    with django_assert_num_queries(1):
        selectors.printed_copies(organ_ids=ids, year=2024)
    # overrides + catalog + tallies
    with django_assert_num_queries(3):
        table = selectors.table2(organ_ids=ids, year=2024)
    assert table["normative"]["issued"] == 2
    with django_assert_num_queries(1):
        list(selectors.publications_in(organ_ids=ids, year=2024))
    with django_assert_num_queries(1):
        selectors.report_notes(organ_ids=ids, year=2024)


def test_table2_with_overrides_for_different_organs_needs_one_more_query(
    organ_a, organ_b, alice, django_assert_num_queries
):
    _normative(organ_a, document_kind=DocumentKind.RULE, written_date=dt.date(2024, 4, 1))
    _normative(organ_b, document_kind=DocumentKind.RULE, written_date=dt.date(2024, 4, 1))
    _normative(organ_b, written_date=dt.date(2024, 5, 1))
    services.table2_override_set(
        organ=organ_a,
        year=2024,
        kind=NormativeKind.RULE,
        issued=7,
        repealed=0,
        in_force=9,
        reason="规章由市政府统一发布，按市司法局清理结果填报。",
        set_by=alice,
    )
    with django_assert_num_queries(
        4
    ):  # overrides + catalog for 规章 (B) + catalog for 规范性文件 (A, B) + tallies
        table = selectors.table2(organ_ids=[organ_a.pk, organ_b.pk], year=2024)
    assert table["rule"] == {"issued": 8, "repealed": 0, "in_force": 10}
    assert table["normative"] == {"issued": 1, "repealed": 0, "in_force": 1}
