"""Demo catalog data, and the text generator shared with the bulk loader (apps/catalog/bulk.py).

The generator is pure Python driven by a ``random.Random``: the same seed gives the same
entries, and it is cheap enough (a few microseconds per sentence) to make a million bodies
in the benchmark. Everything here is plausible government prose for 牡丹江市, assembled
from phrase pools; none of it is a real document except where a comment says so.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from dataclasses import dataclass

from django.db import transaction

from apps.catalog.enums import DocumentKind, Validity

# Fixed "today" of the demo, so that a given seed always gives the same validity states.
REFERENCE_DATE = dt.date(2026, 11, 20)
FIRST_YEAR = 2018

# Words that occur in roughly 1 document in 5,000 each, so that the benchmark can search a
# rare word. Each is a single jieba token (checked with rjieba.cut).
RARE_WORDS = ("红豆杉", "兴凯湖", "牡丹峰", "镜泊湖", "黑木耳", "绥芬河", "雪城", "穆棱")
RARE_PROBABILITY = 0.0016  # per document, one of the 8 words: each appears in ~1/5000 documents


@dataclass(frozen=True)
class Profile:
    """What an organ writes about: topics, themes (一级, 二级), 规范性文件 subjects, extra sentences."""

    topics: tuple[str, ...]
    themes: tuple[tuple[str, str], ...]
    regulations: tuple[str, ...]
    sentences: tuple[str, ...]
    events: tuple[str, ...]


PROFILES: dict[str, Profile] = {
    "government": Profile(
        topics=(
            "政务公开",
            "优化营商环境",
            "乡村振兴",
            "民生实事",
            "安全生产",
            "生态环境保护",
            "数字政府建设",
            "对外开放",
        ),
        themes=(
            ("综合政务", "政务公开"),
            ("综合政务", "应急管理"),
            ("国民经济管理、国有资产监管", "宏观经济"),
            ("民政、扶贫、救灾", "扶贫"),
            ("城乡建设、环境保护", "环境监测、保护与治理"),
        ),
        regulations=("政府投资项目", "城市供热", "户外广告设置", "城市公共厕所", "城市绿化"),
        sentences=(
            "各县（市）区人民政府，市政府各委、办、局要认真贯彻执行，确保各项任务落到实处。",
            "全市地区生产总值同比增长{g}%，规模以上工业增加值同比增长{g}%。",
            "坚持稳中求进工作总基调，统筹推进经济社会发展和安全生产各项工作。",
            "聚焦群众急难愁盼问题，全年确定民生实事{n}项，均已按期完成。",
            "深入推进对俄开放合作，持续提升沿边开发开放水平。",
        ),
        events=(
            "市政府召开{y}年政务公开工作推进会议",
            "市政府常务会议研究部署{t}工作",
            "全市{t}工作电视电话会议召开",
        ),
    ),
    "investment": Profile(
        topics=(
            "招商引资",
            "项目建设",
            "对外经贸合作",
            "营商环境",
            "产业链招商",
            "对俄经贸合作",
            "园区建设",
            "项目签约落地",
        ),
        themes=(
            ("商贸、海关、旅游", "对外经贸合作"),
            ("国民经济管理、国有资产监管", "重大建设项目"),
            ("综合政务", "政务公开"),
        ),
        regulations=("招商引资项目包保服务", "招商引资奖励", "重点招商项目库"),
        sentences=(
            "围绕绿色食品、新材料、现代物流等重点产业，开展精准招商和产业链招商。",
            "全年新签约招商项目{n}个，计划总投资{m}亿元，项目履约率保持较高水平。",
            "积极组织企业参加哈洽会、中国—东北亚博览会等重点经贸活动。",
            "建立重点项目包保服务机制，推动签约项目尽快落地开工、投产达效。",
            "印发《招商指南》和《项目册》，向目标客商宣传推介牡丹江市情和重点产业。",
            "及时向“中国·牡丹江”门户网站报送信息，准确反映全市招商工作动态。",
        ),
        events=(
            "{s}赴长三角地区开展招商推介活动",
            "{s}召开{y}年重点招商项目推进会",
            "{s}组织企业参加中国—东北亚博览会",
        ),
    ),
    "land": Profile(
        topics=(
            "国土空间规划",
            "建设用地审批",
            "不动产登记",
            "土地征收",
            "矿产资源管理",
            "耕地保护",
            "测绘地理信息",
            "林草资源保护",
        ),
        themes=(
            ("国土资源、能源", "土地"),
            ("国土资源、能源", "矿产"),
            ("城乡建设、环境保护", "城市规划"),
            ("城乡建设、环境保护", "气象、水文、测绘、地震"),
        ),
        regulations=("国有建设用地使用权出让", "不动产登记", "临时用地", "土地征收补偿"),
        sentences=(
            "依法做好土地征收前期工作，征收土地预公告在拟征收土地所在的乡（镇）和村、村民小组范围内发布。",
            "不动产登记实行“一窗受理、并行办理”，一般登记业务压缩至{d}个工作日内办结。",
            "严格落实耕地保护目标责任，坚决遏制耕地“非农化”、防止“非粮化”。",
            "国有建设用地使用权出让公告和出让结果依法在门户网站公开，接受社会监督。",
            "本次出让地块面积{m}公顷，土地用途为工业用地，出让年限50年。",
        ),
        events=(
            "{s}开展{y}年卫片执法检查工作",
            "{s}召开国土空间规划编制工作会议",
            "{s}开展“不动产登记便民服务月”活动",
        ),
    ),
    "statistics": Profile(
        topics=("统计调查", "经济普查", "统计数据发布", "统计执法", "统计数据质量"),
        themes=(("国民经济管理、国有资产监管", "统计"), ("综合政务", "政务公开")),
        regulations=("统计数据质量", "统计调查项目"),
        sentences=(
            "全市地区生产总值同比增长{g}%，社会消费品零售总额同比增长{g}%。",
            "城镇常住居民人均可支配收入{m}元，农村常住居民人均可支配收入{m}元。",
            "严格执行统计法律法规，依法查处统计造假、弄虚作假行为。",
            "统计数据按照统计调查制度规定的时间和渠道统一发布。",
        ),
        events=("{y}年{mo}月全市主要经济指标", "{s}召开{y}年统计工作会议", "{s}开展统计法治宣传周活动"),
    ),
    "labour": Profile(
        topics=("就业创业", "社会保险", "人才引进", "劳动关系", "职业技能培训", "根治欠薪"),
        themes=(
            ("劳动、人事、监察", "劳动就业"),
            ("劳动、人事、监察", "社会保障"),
            ("劳动、人事、监察", "人事工作"),
        ),
        regulations=("就业创业补贴", "高校毕业生就业见习", "职业技能培训补贴"),
        sentences=(
            "全年城镇新增就业{n}人，城镇登记失业率控制在{g}%以内。",
            "落实援企稳岗政策，向符合条件的企业发放稳岗返还资金{m}万元。",
            "开展职业技能培训{n}人次，培训合格率{p}%。",
            "畅通欠薪维权渠道，依法查处拒不支付劳动报酬违法行为。",
        ),
        events=(
            "{s}举办{y}年春风行动招聘会",
            "{s}开展根治欠薪冬季专项行动",
            "{y}年事业单位公开招聘工作人员公告",
        ),
    ),
    "market": Profile(
        topics=(
            "食品安全",
            "特种设备安全",
            "产品质量监督抽查",
            "市场主体登记",
            "知识产权保护",
            "价格监督检查",
        ),
        themes=(
            ("市场监管、安全生产监管", "食品药品监管"),
            ("市场监管、安全生产监管", "质量监督"),
            ("市场监管、安全生产监管", "工商"),
            ("科技、教育", "知识产权"),
        ),
        regulations=("小餐饮登记", "食品摊贩备案", "市场主体信用信息"),
        sentences=(
            "本次共抽检食品{m}批次，抽检合格率{p}%。",
            "对抽检不合格的产品，已依法责令生产经营者查清流向、召回产品并采取整改措施。",
            "深化“双随机、一公开”监管，抽查结果通过国家企业信用信息公示系统向社会公示。",
            "全市实有市场主体{m}户，同比增长{g}%。",
        ),
        events=(
            "{s}开展{y}年食品安全宣传周活动",
            "{y}年第{q}期食品安全监督抽检信息公告",
            "{s}召开特种设备安全工作会议",
        ),
    ),
}

# Sentences every organ writes. {s} short name, {t} topic, {y} year; {n}/{m}/{d} counts,
# {p} a pass rate, {g} a growth rate.
COMMON_SENTENCES = (
    "为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步推进决策、执行、管理、服务、结果公开，结合{s}工作实际，制定本方案。",
    "各科室要切实提高思想认识，把{t}工作摆上重要议事日程，主要负责同志亲自抓，分管负责同志具体抓。",
    "建立健全工作台账，明确责任科室、责任人和完成时限，确保各项任务按期完成。",
    "深化“放管服”改革，持续优化营商环境，推动{t}工作提质增效。",
    "加大督促检查力度，将{t}工作纳入年度绩效考核，对工作不力的予以通报。",
    "进一步规范{t}工作流程，编制办事指南，明确办理依据、条件、程序、时限和结果。",
    "要加强与新闻媒体的沟通协调，通过报纸、广播、电视和政务新媒体等多种渠道开展宣传。",
    "对企业和群众提出的意见建议，要认真研究、及时反馈，不断改进和完善工作。",
    "强化数据安全和个人信息保护，严格执行网络安全等级保护制度。",
    "{y}年，{s}共组织开展{t}相关活动{n}次，累计服务企业和群众{m}人次。",
    "坚持问题导向和目标导向，认真梳理{t}工作中存在的短板弱项，逐项制定整改措施。",
    "加强干部队伍建设，组织开展业务培训{n}次，不断提升干部职工业务能力和服务水平。",
    "主动对接省直有关部门，积极争取政策和资金支持，全年争取上级资金{m}万元。",
    "严格落实中央八项规定精神，持续纠治形式主义、官僚主义。",
    "各有关单位要加强协调配合，形成工作合力，及时研究解决工作推进中遇到的困难和问题。",
)

# Sentences about disclosure itself: one of these goes into most documents (the benchmark
# searches the word 公开 and expects it almost everywhere).
OPENNESS_SENTENCES = (
    "坚持以公开为常态、不公开为例外，依法依规做好政府信息主动公开和依申请公开工作。",
    "对涉及群众切身利益、需要社会广泛知晓的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开。",
    "进一步完善政府信息公开保密审查机制，严格落实“先审查、后公开”和“一事一审”。",
    "充分发挥政府门户网站作为政府信息公开第一平台的作用，及时更新政府信息公开目录。",
    "加强政策解读，做到政策性文件与解读材料同步组织、同步审签、同步公开。",
    "严格落实“谁公开、谁审查、谁负责”的原则，防止泄露国家秘密、工作秘密和个人隐私。",
    "围绕{t}，聚焦企业和群众关切，及时公开权威信息，主动回应社会关切。",
    "本文件按照主动公开方式发布，公众可通过政府门户网站政府信息公开专栏查阅。",
)

RARE_SENTENCE = "在{w}相关区域开展{t}工作时，要统筹考虑生态保护和群众生产生活需要。"

OPENINGS = {
    "government": "各县（市）区人民政府，市政府各委、办、局，各直属机构：",
    "department": "各科室、各直属单位：",
}

# Title templates: (weight, 体裁, 第二十条 item or None, DocumentKind, title, summary).
# {o} full organ name, {s} short name, {y} year, {t} topic, {r} regulation subject.
TEMPLATES = (
    (
        18,
        "通知",
        None,
        DocumentKind.OTHER,
        "{o}关于印发《{y}年{t}工作要点》的通知",
        "印发{y}年{t}工作要点，明确全年目标任务、责任分工和完成时限。",
    ),
    (
        14,
        "通知",
        None,
        DocumentKind.OTHER,
        "{o}关于做好{y}年{t}工作的通知",
        "就做好{y}年{t}工作有关事项作出部署，要求各单位认真贯彻落实。",
    ),
    (
        8,
        "通知",
        None,
        DocumentKind.OTHER,
        "{o}关于开展{t}专项行动的通知",
        "决定在全市范围内开展{t}专项行动，明确行动目标、工作步骤和保障措施。",
    ),
    (
        6,
        "意见",
        15,
        DocumentKind.OTHER,
        "{o}关于进一步加强{t}工作的实施意见",
        "提出进一步加强{t}工作的总体要求、主要任务和保障措施。",
    ),
    (5, "公告", 15, DocumentKind.OTHER, "{o}关于{t}有关事项的公告", "公告{t}有关事项，请社会各界知悉。"),
    (14, "工作动态", None, DocumentKind.OTHER, "{event}", "{s}{t}工作动态。"),
    (
        5,
        "总结",
        None,
        DocumentKind.OTHER,
        "{o}{y}年{t}工作总结",
        "总结{y}年{t}工作情况、存在问题和下一步工作打算。",
    ),
    (4, "计划", None, DocumentKind.OTHER, "{o}{y}年{t}工作计划", "{y}年{t}工作的目标任务和进度安排。"),
    (
        4,
        "政策解读",
        15,
        DocumentKind.OTHER,
        "《{y}年{t}工作要点》政策解读",
        "解读{y}年{t}工作要点的出台背景、主要内容和创新举措。",
    ),
    (3, "统计数据", 4, DocumentKind.OTHER, "{y}年{s}{t}统计数据", "{y}年{t}有关统计数据。"),
    (3, "函", None, DocumentKind.OTHER, "{o}关于{t}有关问题的复函", "答复{t}有关问题。"),
    (
        2,
        "其他",
        7,
        DocumentKind.OTHER,
        "{o}{y}年部门预算公开",
        "公开{y}年部门收支预算、财政拨款支出预算和“三公”经费预算。",
    ),
    (
        2,
        "其他",
        7,
        DocumentKind.OTHER,
        "{o}{y}年部门决算公开",
        "公开{y}年部门收支决算、财政拨款支出决算和“三公”经费支出决算。",
    ),
    (
        1,
        "其他",
        9,
        DocumentKind.OTHER,
        "{o}{y}年政府采购意向公开",
        "公开{y}年政府采购项目的采购需求概况和预计采购时间。",
    ),
    (
        1,
        "规划",
        3,
        DocumentKind.OTHER,
        "牡丹江市{plan}{t}规划",
        "明确规划期内{t}的发展目标、重点任务和保障措施。",
    ),
    (
        4,
        "通知",
        1,
        DocumentKind.NORMATIVE,
        "{o}关于印发《牡丹江市{r}管理办法》的通知",
        "印发牡丹江市{r}管理办法，规范{r}工作。",
    ),
)
RULE_TEMPLATE = (
    "命令（令）",
    1,
    DocumentKind.RULE,
    "牡丹江市{r}管理规定",
    "牡丹江市{r}管理规定，自公布之日起施行。",
)
_WEIGHTS = [t[0] for t in TEMPLATES]

CN_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (paragraph numbers up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else f"{CN_DIGITS[tens]}十"
    return head + (CN_DIGITS[ones] if ones else "")


def chinese_date(day: dt.date) -> str:
    """Dates in a 公文 落款 are written 2018年3月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class OrganInfo:
    """What the generator needs to know about an organ (picklable for bulk workers)."""

    pk: int
    name: str
    short_name: str
    code: str
    kind: str  # Organ.Kind value
    abbr: str  # 机关代字 of its 发文字号, e.g. 牡经合
    profile: str  # key of PROFILES


def random_day(rng: random.Random, year: int, last: dt.date = REFERENCE_DATE) -> dt.date:
    first = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), last)
    return first + dt.timedelta(days=rng.randrange((end - first).days + 1))


def _fill(template: str, rng: random.Random, values: dict) -> str:
    if "{" not in template:
        return template
    return template.format(
        n=rng.randint(3, 120),
        m=rng.randint(12, 9800),
        p=f"{rng.uniform(95.0, 99.9):.1f}",
        g=f"{rng.uniform(0.5, 9.9):.1f}",
        d=rng.randint(3, 10),
        q=rng.randint(1, 30),
        **values,
    )


def entry_fields(rng: random.Random, organ: OrganInfo, publish_date: dt.date, *, doc_serial: int) -> dict:
    """One catalog entry's metadata and text (names, not ids, for theme and genre).

    Returns a dict with title, summary, body, keywords, doc_number, written_date,
    publish_date, effective_date, expiry_date, validity, article_item, document_kind,
    genre (name) and theme ((一级, 二级) names).
    """
    profile = PROFILES[organ.profile]
    year = publish_date.year
    topic = rng.choice(profile.topics)
    regulation = rng.choice(profile.regulations)
    if organ.kind == "government" and rng.random() < 0.02:
        template = (1, *RULE_TEMPLATE)
    else:
        template = rng.choices(TEMPLATES, weights=_WEIGHTS)[0]
    _, genre, item, kind, title_fmt, summary_fmt = template
    values = {
        "o": organ.name,
        "s": organ.short_name,
        "y": year,
        "t": topic,
        "r": regulation,
        "mo": publish_date.month,
        "plan": "“十四五”" if year >= 2021 else "“十三五”",
    }
    values["event"] = _fill(rng.choice(profile.events), rng, values)
    title = _fill(title_fmt, rng, values)
    summary = _fill(summary_fmt, rng, values)

    written = publish_date - dt.timedelta(days=rng.randint(0, 6))
    fields = {
        "title": title,
        "summary": summary,
        "body": _body(rng, organ, profile, values, written, genre),
        "keywords": " ".join(dict.fromkeys((topic, *rng.sample(profile.topics, 2)))),
        "doc_number": "",
        "written_date": written,
        "publish_date": publish_date,
        "effective_date": None,
        "expiry_date": None,
        "validity": Validity.NOT_APPLICABLE,
        "article_item": item,
        "document_kind": kind,
        "genre": genre,
        "theme": rng.choice(profile.themes),
    }
    if kind == DocumentKind.RULE:
        fields["doc_number"] = f"牡丹江市人民政府令第{doc_serial}号"
    elif kind == DocumentKind.NORMATIVE:
        fields["doc_number"] = f"{organ.abbr}规〔{year}〕{doc_serial}号"
    elif genre in ("通知", "意见", "公告"):
        fields["doc_number"] = f"{organ.abbr}发〔{year}〕{doc_serial}号"
    elif genre == "函":
        fields["doc_number"] = f"{organ.abbr}函〔{year}〕{doc_serial}号"
    if kind in (DocumentKind.RULE, DocumentKind.NORMATIVE):
        fields.update(_validity(rng, kind, written))
    return fields


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day some years later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _validity(rng: random.Random, kind: str, written: dt.date) -> dict:
    # 行政规范性文件 usually carry 有效期 5 years (🧠 common local practice, not a national rule);
    # 规章 have none. Some are repealed early (废止).
    effective = written + dt.timedelta(days=30)
    expiry = None
    if kind == DocumentKind.NORMATIVE:
        expiry = add_years(effective, 5) - dt.timedelta(days=1)
    if rng.random() < 0.15 and (REFERENCE_DATE - effective).days > 400:
        repealed = effective + dt.timedelta(days=rng.randint(365, (REFERENCE_DATE - effective).days))
        return {"effective_date": effective, "expiry_date": repealed, "validity": Validity.REPEALED}
    if expiry is not None and expiry < REFERENCE_DATE:
        return {"effective_date": effective, "expiry_date": expiry, "validity": Validity.EXPIRED}
    return {"effective_date": effective, "expiry_date": expiry, "validity": Validity.VALID}


def _body(rng, organ: OrganInfo, profile: Profile, values: dict, written: dt.date, genre: str) -> str:
    target = int(rng.triangular(300, 1500, 600))
    pool = profile.sentences + COMMON_SENTENCES
    # Sentences without replacement (cycling only in very long bodies), so that a body does
    # not repeat itself within a paragraph.
    order = rng.sample(range(len(pool)), len(pool))
    picked = 0

    def sentence() -> str:
        nonlocal picked
        picked += 1
        return _fill(pool[order[picked % len(order)]], rng, values)

    paragraphs = []
    if genre in ("通知", "意见", "函"):
        paragraphs.append(OPENINGS["government" if organ.kind == "government" else "department"])
    first = [_fill(rng.choice(OPENNESS_SENTENCES), rng, values)] if rng.random() < 0.92 else []
    paragraphs.append("".join([*first, sentence()]))
    length = sum(len(p) for p in paragraphs)
    rare = rng.random() < RARE_PROBABILITY
    number = 0
    while length < target:
        number += 1
        sentences = [sentence() for _ in range(rng.randint(2, 4))]
        if rare:
            sentences.insert(1, RARE_SENTENCE.format(w=rng.choice(RARE_WORDS), t=values["t"]))
            rare = False
        paragraph = f"{chinese_number(number)}、" + "".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph)
    if genre == "通知":
        paragraphs.append("特此通知。")
    paragraphs.append(f"{organ.name}\n{chinese_date(written)}")
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# The small demo: a few hundred entries per organ through the services (real 索引号 and vectors).

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
    from apps.catalog.models import Genre, ThemeCategory

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
    from django.core.management import call_command

    from apps.catalog.models import Genre, ThemeCategory

    if not ThemeCategory.objects.exists() or not Genre.objects.exists():
        call_command("loaddata", "themes", "genres", verbosity=0)
        if stdout:
            stdout.write("  loaded fixtures themes, genres")


def wipe(*, organs: dict, stdout) -> None:
    """Remove the demo organs' catalog (entries, attachments, 索引号 sequences)."""
    from apps.catalog.models import Attachment, CatalogEntry, IndexSequence

    organ_ids = [o.pk for o in organs.values()]
    for attachment in Attachment.objects.filter(entry__organ_id__in=organ_ids):
        attachment.file.delete(save=False)
    deleted, _ = CatalogEntry.objects.filter(organ_id__in=organ_ids).delete()
    IndexSequence.objects.filter(organ_id__in=organ_ids).delete()
    stdout.write(f"  catalog: removed {deleted} earlier demo rows")


@transaction.atomic
def build(*, organs: dict, rng: random.Random, stdout, per_organ: int = DEMO_PER_ORGAN) -> None:
    from apps.catalog import services
    from apps.organs.demo import ORGAN_SPECS

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
        # Publish everything except a few recent drafts; one entry is withdrawn.
        published = entries[: len(entries) - min(3, len(entries) // 5)]
        for entry in published:
            services.entry_publish(entry=entry, when=_published_at(entry.publish_date))
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
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


def _seed_items(organ, themes, genres) -> list:
    from apps.catalog import services

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


def tiny_pdf(text: str = "Demo attachment") -> bytes:
    """A minimal, valid one-page PDF (correct xref offsets), for demo attachments."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (180, 30, 40)) -> bytes:
    """A small, valid solid-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _attach(entry, rng: random.Random) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.catalog import services

    if rng.random() < 0.5:
        name, data, content_type = f"{entry.title[:40]}.pdf", tiny_pdf(), "application/pdf"
    else:
        name, data, content_type = "现场照片.png", tiny_png(), "image/png"
    # Through the service, so the demo files pass the same type and content checks as uploads.
    services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile(name, data, content_type))
