"""Demo proactive-disclosure records for seed_demo (the builder protocol of apps/devtools/demo/__init__.py).

The seed organ (jhj) gets exactly the facts of its 2018 report (市经合局《2018年政府信息公开工作
年度报告》): 12 items (8 sent to the portal website, 4 newspaper articles on 招商引资) and
《招商指南》和《项目册》 printed in "2500余册", one record as the report gives one figure for
both, with the report's own sentence for each channel. The busy organ gets 2021–2026 records
through every channel, table-2 tallies (one "not applicable" power) and one hand-set table-2
row with its reason.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry
from apps.catalog.selectors import normative_document_counts
from apps.devtools.demo.text import REFERENCE_DATE
from apps.organs.models import Organ
from apps.proactive import services
from apps.proactive.enums import Approximation, Channel, NormativeKind, Power
from apps.proactive.models import Publication, Table2Override, YearTally

SEED_YEAR = 2018
# Up to the catalog demo's fixed "today" (REFERENCE_DATE): the 2026 records stop before it.
BUSY_YEARS = range(2021, 2027)

# The 8 items 市经合局 sent to the portal in 2018: "我局职能、机构、领导班子成员、政策法规、
# 招商动态等信息8条". Titles and dates are those of the catalog demo's seed entries
# (apps/devtools/demo/catalog.py SEED_2018_ITEMS), so that each record links to its catalog entry.
SEED_WEBSITE_ITEMS = (
    ("牡丹江市经济合作促进局主要职能", dt.date(2018, 2, 26)),
    ("牡丹江市经济合作促进局内设机构", dt.date(2018, 2, 26)),
    ("牡丹江市经济合作促进局领导班子成员", dt.date(2018, 3, 2)),
    ("牡丹江市经济合作促进局关于印发《2018年政务公开工作要点》的通知", dt.date(2018, 3, 20)),
    ("牡丹江市鼓励外来投资优惠政策汇编", dt.date(2018, 4, 16)),
    ("市经合局赴长三角地区开展招商推介活动", dt.date(2018, 5, 22)),
    ("市经合局召开2018年重点招商项目推进会", dt.date(2018, 7, 10)),
    ("2018年上半年全市招商引资工作情况", dt.date(2018, 8, 3)),
)
# "在报纸刊登招商引资工作信息稿件4条": the seed gives neither titles nor dates; these are ours.
SEED_NEWSPAPER_ITEMS = (
    ("我市招商引资工作实现良好开局", dt.date(2018, 3, 28)),
    ("市经合局赴长三角开展产业链招商", dt.date(2018, 5, 29)),
    ("重点招商项目加快签约落地", dt.date(2018, 7, 17)),
    ("优化营商环境 推动招商引资提质增效", dt.date(2018, 10, 23)),
)
# "印发《招商指南》和《项目册》2500余册": one figure for both titles, so one record of
# 2500 copies "余" (how they split between the titles is not known). The date is ours.
SEED_PRINTED = ("《招商指南》和《项目册》", dt.date(2018, 4, 10), 2500, Approximation.MORE)

# The report tells each channel in its own words (一是…；二是…；三是…); each sentence sits on the
# channel's first record of the year, and the report prints it there instead of a generated one.
SEED_DETAILS = {
    Channel.WEBSITE: "及时更新市政府门户网站本单位政府信息公开目录，全面、准确公开各类政府信息。"
    "主动向市政府门户网站报送我局职能、机构、领导班子成员、政策法规、招商动态等信息8条。",
    Channel.NEWSPAPER: "充分利用报纸这一宣传阵地，在报纸刊登招商引资工作信息稿件4条。",
    Channel.PRINTED: "面向目标客商、招商一线人员加大宣传力度，印发《招商指南》和《项目册》2500余册，"
    "增进对牡丹江市情和重点产业的深入了解，促进招商项目签约落地。",
}

BUSY_NEW_MEDIA = "“牡丹江自然资源”微信公众号"
BUSY_NEWSPAPER_TOPICS = ("国土空间规划", "不动产登记便民服务", "耕地保护", "矿产资源管理", "土地征收")
BUSY_PRESS_CONFERENCES = ("牡丹江市国土空间总体规划", "不动产登记“一窗办理”改革", "耕地保护专项行动")
BUSY_PRINTED = ("不动产登记办事指南", "耕地保护政策问答")


def wipe(*, organs: dict[str, Organ], stdout) -> None:
    organ_ids = [o.pk for o in organs.values()]
    deleted = Publication.objects.filter(organ_id__in=organ_ids).delete()[0]
    deleted += YearTally.objects.filter(organ_id__in=organ_ids).delete()[0]
    deleted += Table2Override.objects.filter(organ_id__in=organ_ids).delete()[0]
    stdout.write(f"  proactive: removed {deleted} rows")


def build(*, organs: dict[str, Organ], rng: random.Random, stdout) -> None:
    # Idempotent on its own too: the organs it fills are emptied first.
    wipe(organs={k: organs[k] for k in ("jhj", "busy") if k in organs}, stdout=stdout)
    if "jhj" in organs:
        build_seed(organs["jhj"])
        stdout.write(f"  proactive: {organs['jhj'].name} {SEED_YEAR}: 12 items, 2500余册 printed")
    if "busy" in organs:
        count = _build_busy(organs["busy"], rng)
        stdout.write(f"  proactive: {organs['busy'].name}: {count} records, tallies {BUSY_YEARS[0]}–2025")


def build_seed(organ: Organ) -> None:
    """The seed organ's 2018 records (also used by the reports demo on its own)."""
    entries = {
        e.title: e
        for e in CatalogEntry.objects.filter(organ=organ, title__in=[t for t, _ in SEED_WEBSITE_ITEMS])
    }
    for k, (title, day) in enumerate(SEED_WEBSITE_ITEMS):
        services.publication_create(
            organ=organ,
            channel=Channel.WEBSITE,
            date=day,
            title=title,
            catalog_entry=entries.get(title),
            detail=SEED_DETAILS[Channel.WEBSITE] if k == 0 else "",
        )
    for k, (title, day) in enumerate(SEED_NEWSPAPER_ITEMS):
        services.publication_create(
            organ=organ,
            channel=Channel.NEWSPAPER,
            date=day,
            title=title,
            note="《牡丹江日报》",
            detail=SEED_DETAILS[Channel.NEWSPAPER] if k == 0 else "",
        )
    title, day, copies, approximation = SEED_PRINTED
    services.publication_create(
        organ=organ,
        channel=Channel.PRINTED,
        date=day,
        title=title,
        copies=copies,
        approximation=approximation,
        detail=SEED_DETAILS[Channel.PRINTED],
    )


def _build_busy(organ: Organ, rng: random.Random) -> int:
    created = sum(_busy_year(organ, rng, year) for year in BUSY_YEARS)
    _busy_tallies(organ, rng)
    _busy_override(organ)
    return created


def _busy_year(organ: Organ, rng: random.Random, year: int) -> int:
    """The busy organ's records of one year through every channel; returns how many."""
    last = min(dt.date(year, 12, 31), REFERENCE_DATE - dt.timedelta(days=1))
    created = _busy_website_and_new_media(organ, rng, year, last)
    for topic in rng.sample(BUSY_NEWSPAPER_TOPICS, 3):
        services.publication_create(
            organ=organ,
            channel=Channel.NEWSPAPER,
            date=_day(rng, year, last),
            title=f"市自然资源局扎实推进{topic}工作",
            note="《牡丹江日报》",
        )
        created += 1
    services.publication_create(
        organ=organ,
        channel=Channel.BROADCAST,
        date=_day(rng, year, last),
        title=f"“政风行风热线”市自然资源局{year}年上线答复群众咨询",
        count=rng.randint(6, 15),
        note="牡丹江人民广播电台",
    )
    services.publication_create(
        organ=organ,
        channel=Channel.PRESS_CONFERENCE,
        date=_day(rng, year, last),
        title=f"{BUSY_PRESS_CONFERENCES[year % len(BUSY_PRESS_CONFERENCES)]}新闻发布会",
    )
    services.publication_create(
        organ=organ,
        channel=Channel.READING_POINT,
        date=dt.date(year, 3, 15),
        title=f"向市档案馆、市图书馆政府信息公开查阅点报送{year}年度政府信息",
        count=rng.randint(20, 60),
    )
    for title in BUSY_PRINTED:
        services.publication_create(
            organ=organ,
            channel=Channel.PRINTED,
            date=_day(rng, year, last),
            title=title,
            copies=rng.randrange(500, 3001, 100),
        )
    return created + 3 + len(BUSY_PRINTED)


def _busy_website_and_new_media(organ: Organ, rng: random.Random, year: int, last: dt.date) -> int:
    # Website: one record per catalog entry published that year, linked to it ...
    entries = CatalogEntry.objects.filter(
        organ=organ, status=Status.PUBLISHED, publish_date__year=year
    ).order_by("publish_date", "pk")
    created = 0
    for entry in entries:
        services.publication_create(
            organ=organ,
            channel=Channel.WEBSITE,
            date=entry.publish_date,
            title=entry.title,
            catalog_entry=entry,
        )
        created += 1
    # ... plus, per month, the column updates that are not catalog entries (动态, 公示).
    for month in range(1, last.month + 1):
        services.publication_create(
            organ=organ,
            channel=Channel.WEBSITE,
            date=min(dt.date(year, month, 28), last),
            title=f"{year}年{month}月门户网站工作动态、公示公告",
            count=rng.randint(8, 30),
        )
        services.publication_create(
            organ=organ,
            channel=Channel.NEW_MEDIA,
            date=min(dt.date(year, month, 27), last),
            title=f"{BUSY_NEW_MEDIA}{year}年{month}月推送",
            count=rng.randint(10, 40),
        )
        created += 2
    return created


def _busy_tallies(organ: Organ, rng: random.Random) -> None:
    for year in range(BUSY_YEARS[0], 2026):  # complete years only: 2026's figures come at its end
        decisions = {
            "licensing": rng.randint(350, 900),
            "punishment": rng.randint(8, 45),
            "enforcement": rng.randint(0, 6),
        }
        # The one "not applicable" power: no 行政事业性收费 left with the bureau in 2025 (demo).
        no_fees = year == 2025
        fees = {} if no_fees else {"fees_wan_yuan": Decimal(rng.randint(50000, 900000)) / 10000}
        services.year_tally_set(
            organ=organ, year=year, not_applicable=[Power.FEES] if no_fees else [], **decisions, **fees
        )


def _busy_override(organ: Organ) -> None:
    clerk, _ = get_user_model().objects.get_or_create(
        username=f"{organ.slug}_clerk", defaults={"is_staff": True}
    )
    catalog = normative_document_counts(organ_ids=[organ.pk], year=2021)[NormativeKind.NORMATIVE]
    services.table2_override_set(
        organ=organ,
        year=2021,
        kind=NormativeKind.NORMATIVE,
        issued=catalog["issued"],
        repealed=catalog["repealed"],
        in_force=catalog["in_force"] + 12,
        reason="2018年以前制发的12件行政规范性文件未录入政府信息公开目录，现行有效件数按2021年文件清理结果填报。",
        set_by=clerk,
    )


def _day(rng: random.Random, year: int, last: dt.date) -> dt.date:
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randint(0, (last - start).days))
