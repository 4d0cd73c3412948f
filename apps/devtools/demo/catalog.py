"""The demo catalog: a few hundred entries per demo organ, made through the catalog services.

Real 索引号 and search vectors, the seed organ's eight 2018 items, a few drafts, one withdrawn
entry and some attachments. The text comes from demo.text, as in the benchmark.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from apps.catalog import services
from apps.catalog.models import Attachment, CatalogEntry, Genre, IndexSequence, ThemeCategory
from apps.devtools.demo.files import tiny_pdf, tiny_png
from apps.devtools.demo.organs import ORGAN_SPECS
from apps.devtools.demo.text import FIRST_YEAR, REFERENCE_DATE, OrganInfo, entry_fields, random_day

# The eight items the seed report (2018年度报告, 二、(一)) says 市经合局 sent to the city portal:
# "我局职能、机构、领导班子成员、政策法规、招商动态等信息8条". Titles are plausible
# reconstructions; only their number and kinds come from the report.
SEED_2018_ITEMS = (
    ("牡丹江市经济合作促进局主要职能", "其他", 2, ("综合政务", "政务公开"), dt.date(2018, 2, 26), ""),
    ("牡丹江市经济合作促进局内设机构", "其他", 2, ("综合政务", "政务公开"), dt.date(2018, 2, 26), ""),
    ("牡丹江市经济合作促进局领导班子成员", "其他", 2, ("综合政务", "政务公开"), dt.date(2018, 3, 2), ""),
    (
        "牡丹江市经济合作促进局关于印发《2018年政务公开工作要点》的通知",
        "通知",
        None,
        ("综合政务", "政务公开"),
        dt.date(2018, 3, 20),
        "牡经合发〔2018〕3号",
    ),
    (
        "牡丹江市鼓励外来投资优惠政策汇编",
        "其他",
        15,
        ("商贸、海关、旅游", "对外经贸合作"),
        dt.date(2018, 4, 16),
        "",
    ),
    (
        "市经合局赴长三角地区开展招商推介活动",
        "工作动态",
        None,
        ("商贸、海关、旅游", "对外经贸合作"),
        dt.date(2018, 5, 22),
        "",
    ),
    (
        "市经合局召开2018年重点招商项目推进会",
        "工作动态",
        None,
        ("国民经济管理、国有资产监管", "重大建设项目"),
        dt.date(2018, 7, 10),
        "",
    ),
    (
        "2018年上半年全市招商引资工作情况",
        "工作动态",
        None,
        ("商贸、海关、旅游", "对外经贸合作"),
        dt.date(2018, 8, 3),
        "",
    ),
)

DEMO_PER_ORGAN = 240


def organ_info(organ, *, abbr: str, profile: str) -> OrganInfo:
    return OrganInfo(
        pk=organ.pk,
        name=organ.name,
        short_name=organ.short_name or organ.name,
        code=organ.code,
        kind=organ.kind,
        abbr=abbr,
        profile=profile,
    )


def lookup_maps() -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """(一级, 二级) → ThemeCategory id and 体裁 name → Genre id, from the loaded fixtures."""
    themes = {
        (parent, name): pk
        for pk, name, parent in ThemeCategory.objects.filter(parent__isnull=False).values_list(
            "pk", "name", "parent__name"
        )
    }
    genres = dict(Genre.objects.values_list("name", "pk"))
    return themes, genres


def ensure_fixtures(stdout=None) -> None:
    """seed_demo and bench need the 主题分类 tree and 体裁 list (make migrate loads them too)."""
    if not ThemeCategory.objects.exists() or not Genre.objects.exists():
        call_command("loaddata", "themes", "genres", verbosity=0)
        if stdout:
            stdout.write("  loaded fixtures themes, genres")


def wipe(*, organs: dict, stdout) -> None:
    """Remove the demo organs' catalog (entries, attachments, 索引号 sequences)."""
    organ_ids = [o.pk for o in organs.values()]
    for attachment in Attachment.objects.filter(entry__organ_id__in=organ_ids):
        attachment.file.delete(save=False)
    deleted, _ = CatalogEntry.objects.filter(organ_id__in=organ_ids).delete()
    IndexSequence.objects.filter(organ_id__in=organ_ids).delete()
    stdout.write(f"  catalog: removed {deleted} earlier demo rows")


@transaction.atomic
def build(*, organs: dict, rng: random.Random, stdout, per_organ: int = DEMO_PER_ORGAN) -> None:
    themes, genres = lookup_maps()
    total = 0
    for key, organ in organs.items():
        spec = ORGAN_SPECS[key]
        info = organ_info(organ, abbr=spec["abbr"], profile=spec["profile"])
        entries = []
        if key == "jhj":
            entries += _seed_items(organ, themes, genres)
        dates = sorted(_demo_dates(rng, per_organ, skip_2018=(key == "jhj")))
        doc_serials: dict[int, int] = {}
        for day in dates:
            doc_serials[day.year] = doc_serials.get(day.year, 0) + 1
            fields = entry_fields(rng, info, day, doc_serial=doc_serials[day.year])
            fields["theme_id"] = themes[fields.pop("theme")]
            fields["genre_id"] = genres[fields.pop("genre")]
            entry = services.entry_create(organ=organ, **fields)
            entries.append(entry)
        # Publish everything except a few recent drafts; one entry is withdrawn. The demo is the
        # system (actor None): its history says 系统 for the review and the publication.
        published = entries[: len(entries) - min(3, len(entries) // 5)]
        for entry in published:
            services.entry_approve(entry=entry, actor=None)
            services.entry_publish(entry=entry, actor=None, when=_published_at(entry.publish_date))
        if key == "busy" and published:
            services.entry_withdraw(entry=published[len(published) // 2], reason="内容有误，更正后重新发布。")
        for entry in rng.sample(published, min(3, len(published))):
            _attach(entry, rng)
        total += len(entries)
        stdout.write(f"  catalog: {organ.name} {len(entries)} entries")
    stdout.write(f"  catalog: {total} entries in all")


def _demo_dates(rng: random.Random, count: int, *, skip_2018: bool) -> list[dt.date]:
    years = [y for y in range(FIRST_YEAR, REFERENCE_DATE.year + 1) if not (skip_2018 and y == 2018)]
    weights = [1 + (y - FIRST_YEAR) * 0.25 for y in years]  # more is published every year
    return [random_day(rng, y) for y in rng.choices(years, weights=weights, k=count)]


def _published_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


def _seed_items(organ, themes, genres) -> list:
    entries = []
    for title, genre, item, theme, day, doc_number in SEED_2018_ITEMS:
        entries.append(
            services.entry_create(
                organ=organ,
                title=title,
                summary=f"{organ.short_name}{title.removeprefix(organ.name)}。"
                if title.startswith(organ.name)
                else title,
                body=_SEED_BODIES.get(title, _SEED_DEFAULT_BODY).format(o=organ.name, s=organ.short_name),
                doc_number=doc_number,
                written_date=day,
                publish_date=day,
                theme_id=themes[theme],
                genre_id=genres[genre],
                article_item=item,
                keywords="招商引资 政务公开",
            )
        )
    return entries


_SEED_DEFAULT_BODY = (
    "为进一步做好招商引资信息公开工作，{s}按照《中华人民共和国政府信息公开条例》要求，"
    "及时向“中国·牡丹江”门户网站报送本单位职能、机构、政策法规和招商动态等信息。\n\n"
    "{o}将继续围绕全市重点产业开展精准招商，欢迎广大客商来牡投资兴业。"
)
_SEED_BODIES = {
    "牡丹江市经济合作促进局主要职能": (
        "一、贯彻执行国家、省有关对外经济合作和招商引资的方针政策和法律法规，拟订全市招商引资政策措施并组织实施。\n\n"
        "二、负责全市招商引资工作的综合协调、督促检查和考核评价。\n\n"
        "三、负责全市重点招商项目的策划、储备、推介和跟踪服务，建立招商项目库。\n\n"
        "四、组织开展国内外重大经贸活动和招商推介活动。\n\n"
        "五、负责本单位政务公开和政府信息公开工作。\n\n六、完成市委、市政府交办的其他任务。"
    ),
    "牡丹江市经济合作促进局内设机构": (
        "{o}内设办公室、综合科、项目科、投资促进科、外联科等科室。\n\n"
        "政务公开工作领导小组办公室设在局办公室，负责本单位政府信息公开日常工作。"
    ),
    "牡丹江市经济合作促进局领导班子成员": (
        "局长：主持全面工作。\n\n常务副局长：协助局长负责日常工作，分管办公室、综合科，负责政务公开工作。\n\n"
        "副局长：分管项目科、投资促进科、外联科。"
    ),
}


def _attach(entry, rng: random.Random) -> None:
    if rng.random() < 0.5:
        name, data, content_type = f"{entry.title[:40]}.pdf", tiny_pdf(), "application/pdf"
    else:
        name, data, content_type = "现场照片.png", tiny_png(), "image/png"
    # Through the service, so the demo files pass the same type and content checks as uploads.
    services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile(name, data, content_type))
