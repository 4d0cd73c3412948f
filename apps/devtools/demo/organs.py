"""Demo organs of 牡丹江市 with their 政府信息公开指南 and 政府信息公开制度 (used by seed_demo).

Names are the real names of 牡丹江市 organs. Their credit codes, addresses, phone numbers,
e-mail addresses and websites are FICTITIOUS: the real 统一社会信用代码 of the seed organ
(牡丹江市经济合作促进局) is unknown to us, and demo data must never lead anyone to mail or
call a real office. Codes have a valid format ("11" 机关 + 231000 牡丹江市 + "DM" for demo)
but no valid GB 32100 check character; e-mail and web addresses use the reserved
``.example`` top-level domain (RFC 2606).
"""

from __future__ import annotations

import random

from django.db import transaction
from django.db.models import Q

from apps.organs import services as organ_services
from apps.organs.enums import ReviewState
from apps.organs.models import Organ, OrganPage

# key → fields. The keys are what every demo builder receives (see demo/__init__.py); the slugs
# with the demo codes are what identifies demo organs in a database (seed_demo, bench).
ORGAN_SPECS: dict[str, dict] = {
    "city": {
        "name": "牡丹江市人民政府",
        "short_name": "市政府",
        "slug": "mdj",
        "kind": Organ.Kind.GOVERNMENT,
        "code": "11231000DM0000001X",
        "office_name": "牡丹江市人民政府办公室（市政务公开办）",
        "office_address": "黑龙江省牡丹江市东安区长安街1号",
        "phone": "0453-6100001",
        "fax": "0453-6100002",
        "sort_order": 1,
        "abbr": "牡政",
        "profile": "government",
    },
    "jhj": {
        "name": "牡丹江市经济合作促进局",
        "short_name": "市经合局",
        "slug": "jhj",
        "kind": Organ.Kind.DEPARTMENT,
        "code": "11231000DM0000002X",
        "office_name": "牡丹江市经济合作促进局办公室",
        "office_address": "黑龙江省牡丹江市东安区太平路88号",
        "phone": "0453-6100011",
        "fax": "0453-6100012",
        "sort_order": 10,
        "abbr": "牡经合",
        "profile": "investment",
    },
    "busy": {
        "name": "牡丹江市自然资源局",
        "short_name": "市自然资源局",
        "slug": "zrzyj",
        "kind": Organ.Kind.DEPARTMENT,
        "code": "11231000DM0000003X",
        "office_name": "牡丹江市自然资源局办公室",
        "office_address": "黑龙江省牡丹江市西安区西三条路120号",
        "phone": "0453-6100021",
        "fax": "0453-6100022",
        "sort_order": 20,
        "abbr": "牡自然资",
        "profile": "land",
    },
    "tjj": {
        "name": "牡丹江市统计局",
        "short_name": "市统计局",
        "slug": "tjj",
        "kind": Organ.Kind.DEPARTMENT,
        "code": "11231000DM0000004X",
        "office_name": "牡丹江市统计局办公室",
        "office_address": "黑龙江省牡丹江市东安区东一条路66号",
        "phone": "0453-6100031",
        "fax": "0453-6100032",
        "sort_order": 30,
        "abbr": "牡统",
        "profile": "statistics",
    },
    "rsj": {
        "name": "牡丹江市人力资源和社会保障局",
        "short_name": "市人社局",
        "slug": "rsj",
        "kind": Organ.Kind.DEPARTMENT,
        "code": "11231000DM0000005X",
        "office_name": "牡丹江市人力资源和社会保障局办公室",
        "office_address": "黑龙江省牡丹江市爱民区北安街200号",
        "phone": "0453-6100041",
        "fax": "0453-6100042",
        "sort_order": 40,
        "abbr": "牡人社",
        "profile": "labour",
    },
    "scjgj": {
        "name": "牡丹江市市场监督管理局",
        "short_name": "市市场监管局",
        "slug": "scjgj",
        "kind": Organ.Kind.DEPARTMENT,
        "code": "11231000DM0000006X",
        "office_name": "牡丹江市市场监督管理局办公室",
        "office_address": "黑龙江省牡丹江市阳明区新华路18号",
        "phone": "0453-6100051",
        "fax": "0453-6100052",
        "sort_order": 50,
        "abbr": "牡市监",
        "profile": "market",
    },
}


def demo_organ_filter() -> Q:
    """Demo organs: a demo slug together with its fictitious demo code (never a real organ's)."""
    condition = Q(pk__in=[])
    for spec in ORGAN_SPECS.values():
        condition |= Q(slug=spec["slug"], code=spec["code"])
    return condition


OFFICE_HOURS = "工作日 上午8:30—11:30，下午13:30—17:00（法定节假日除外）"
POSTAL_CODE = "157000"

# The 制度 the seed report (2018年度报告, 一、3) says 市经合局 set up; the report lists
# 《政府信息公开保密审查制度》 twice, it is kept once here.
SEED_RULES = (
    "政务公开责任追究制度",
    "政务公开社会评议制度",
    "办事公开制度",
    "重大决策公开制度",
    "重要信息预公开制度",
    "政府信息公开保密审查制度",
    "政府信息公开依申请公开制度",
    "公开政府信息登记统计制度",
)
STANDARD_RULES = (
    "政府信息公开保密审查制度",
    "政府信息公开依申请公开工作制度",
    "政府信息主动公开工作制度",
    "政策解读与回应关切工作制度",
    "政府信息公开工作考核与责任追究制度",
)

_RULE_TEXT = {
    "政务公开责任追究制度": "对不依法履行政府信息公开义务、不及时更新公开内容、违规收费或者泄露国家秘密的，依照《中华人民共和国政府信息公开条例》第五十二条、第五十三条追究责任。",
    "政务公开社会评议制度": "每年通过网上评议、发放评议表等方式，邀请企业、群众和服务对象对政务公开工作进行评议，评议结果纳入年度考核。",
    "办事公开制度": "公开办事依据、条件、程序、时限、收费标准和监督渠道，实行一次性告知和首问负责。",
    "重大决策公开制度": "重大决策事项在作出决策前向社会公开征求意见，决策作出后及时公开决策结果及执行情况。",
    "重要信息预公开制度": "涉及群众切身利益的重要改革方案、重大政策措施，除依法应当保密的外，在制定过程中向社会预公开。",
    "政府信息公开保密审查制度": "拟公开的政府信息实行“先审查、后公开”和“一事一审”，由承办科室初审、办公室复审、分管领导审定。",
    "政府信息公开依申请公开制度": "依申请公开实行登记、审核、办理、答复、归档全流程管理，自收到申请之日起20个工作日内答复。",
    "公开政府信息登记统计制度": "对主动公开和依申请公开的政府信息逐条登记，按季度统计，年终编入政府信息公开工作年度报告。",
    "政府信息公开依申请公开工作制度": "依申请公开实行登记、审核、办理、答复、归档全流程管理，自收到申请之日起20个工作日内答复。",
    "政府信息主动公开工作制度": "属于主动公开范围的政府信息，自形成或者变更之日起20个工作日内通过门户网站等渠道公开。",
    "政策解读与回应关切工作制度": "政策性文件与解读材料同步组织、同步审签、同步公开，对社会关切及时回应。",
    "政府信息公开工作考核与责任追究制度": "将政府信息公开工作纳入年度绩效考核，对工作不力、造成不良影响的依法依规追究责任。",
}


def contact_lines(organ: Organ) -> str:
    return "\n".join(
        [
            f"机构名称：{organ.office_name}",
            f"办公地址：{organ.office_address}",
            f"邮政编码：{organ.postal_code}",
            f"办公时间：{organ.office_hours}",
            f"联系电话：{organ.phone}",
            f"传真号码：{organ.fax}",
            f"电子邮箱：{organ.email}",
            f"互联网联系方式：{organ.website}",
        ]
    )


def guide_text(organ: Organ) -> str:
    """政府信息公开指南 in the usual structure (条例第十二条)."""
    return f"""为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定，编制本指南。公民、法人和其他组织需要获得{organ.name}政府信息公开服务的，建议阅读本指南。

一、主动公开

（一）公开范围。{organ.name}按照《条例》第十九条、第二十条、第二十一条的规定，主动公开本机关的机构职能、政策文件、规划计划、财政预决算、行政执法等政府信息，具体内容见本机关政府信息公开目录。政府信息公开目录按照主题分类和体裁分类编排，每条信息包括索引号、名称、内容概述、发布机构、生成日期等内容。

（二）公开形式。主动公开的政府信息通过“中国·牡丹江”政府门户网站政府信息公开专栏公开，并根据需要通过政务新媒体、新闻发布会、报纸、广播、电视以及政府信息公开查阅点等途径公开。

（三）公开时限。属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开。法律、法规对政府信息公开的期限另有规定的，从其规定。

二、依申请公开

（一）受理机构。
{contact_lines(organ)}

（二）申请方式。申请人可以通过以下方式提出申请，申请应当采用包括信件、数据电文在内的书面形式；采用书面形式确有困难的，可以口头提出，由受理机构代为填写申请。
1.当面提交：在办公时间到受理机构当面提交申请。
2.邮寄申请：通过邮政寄送申请，请在信封左下角注明“政府信息公开申请”字样。
3.传真申请：将申请传真至受理机构，并请电话确认。
4.在线申请：登录本门户网站“依申请公开”栏目在线填写提交。
5.电子邮件申请：将申请发送至受理机构电子邮箱，并请电话确认。
申请应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径。

（三）申请的处理。申请内容不明确的，自收到申请之日起7个工作日内一次性告知申请人作出补正。能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日。征求第三方和其他机关意见所需时间不计算在答复期限内。

（四）收费。依申请提供政府信息，不收取费用。但申请人申请公开政府信息的数量、频次明显超过合理范围的，按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费。

三、监督和救济

公民、法人或者其他组织认为{organ.name}在政府信息公开工作中侵犯其合法权益的，可以向牡丹江市人民政府办公室（市政务公开办）投诉、举报，也可以依法申请行政复议或者提起行政诉讼。
"""


def rules_text(organ: Organ, names: tuple[str, ...]) -> str:
    parts = [f"{organ.name}建立健全以下政府信息公开工作制度，确保政府信息公开流程规范有序："]
    for number, name in enumerate(names, start=1):
        parts.append(f"{number}.《{name}》：{_RULE_TEXT[name]}")
    return "\n\n".join(parts)


@transaction.atomic
def build(*, rng: random.Random, stdout) -> dict[str, Organ]:
    """Create or reset the demo organs and their 指南/制度 pages; return them by key.

    Organs are updated in place (not deleted) because other apps' records point at them.
    """
    organs: dict[str, Organ] = {}
    for key, spec in ORGAN_SPECS.items():
        fields = {k: v for k, v in spec.items() if k not in ("slug", "abbr", "profile")}
        host = f"{spec['slug']}.mdj-demo.example"
        fields.update(
            parent=organs.get("city") if key != "city" else None,
            postal_code=POSTAL_CODE,
            office_hours=OFFICE_HOURS,
            email=f"xxgk@{host}",
            website=f"https://{host}/",
            is_active=True,
        )
        organ = Organ.objects.filter(slug=spec["slug"]).first() or Organ(slug=spec["slug"])
        for name, value in fields.items():
            setattr(organ, name, value)
        organ.full_clean()
        organ.save()
        organs[key] = organ
        for kind, title, body in (
            (OrganPage.Kind.GUIDE, f"{organ.name}政府信息公开指南", guide_text(organ)),
            (
                OrganPage.Kind.RULES,
                f"{organ.name}政府信息公开制度",
                rules_text(organ, SEED_RULES if key == "jhj" else STANDARD_RULES),
            ),
        ):
            # Through the review chain as the system (actor None): the history says 系统.
            page = OrganPage.objects.filter(organ=organ, kind=kind).first()
            if page is None:
                page = organ_services.organ_page_create(organ=organ, kind=kind, title=title, body=body)
            else:
                organ_services.organ_page_update(page=page, title=title, body=body)
            if page.status != ReviewState.PUBLISHED:
                organ_services.organ_page_approve(page=page, actor=None)
                organ_services.organ_page_publish(page=page, actor=None)
        stdout.write(f"  organs: {organ.name} ({organ.slug}) with 指南 and 制度")
    return organs
